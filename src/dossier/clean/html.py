"""HTML pages: main text and metadata through trafilatura, comments (with authors) and captions through lxml.

trafilatura drops comment sections when it is told not to include them, and when it includes them it
loses who wrote each comment; so comments are read from the tree here first, one per comment element,
and never silently discarded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dossier.clean import patterns

_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "section",
    "article",
    "figcaption",
}
_HTML_WS = re.compile(r"[ \t\r\n]+")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(slots=True)
class Comment:
    author: str | None
    text: str


@dataclass(slots=True)
class HtmlParts:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None
    body: str = ""
    captions: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _text(el: Any) -> str:
    """Visible text of an element with block elements on their own lines."""
    parts: list[str] = []
    for node in el.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript"):
            continue
        if tag in _BLOCKS:
            parts.append("\n")
        if tag == "br":
            parts.append("\n")
        # Source line breaks are spaces in HTML; only block elements break lines.
        if node.text and tag not in ("script", "style", "noscript"):
            parts.append(_HTML_WS.sub(" ", node.text))
        if node is not el and node.tail:
            parts.append(_HTML_WS.sub(" ", node.tail))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _own_descendants(item: Any, nested: set[Any]) -> list[Any]:
    """Descendants of a comment that do not belong to a nested reply."""
    out = []
    for el in item.iterdescendants():
        if any(anc in nested for anc in el.iterancestors()) or el in nested:
            continue
        out.append(el)
    return out


_AUTHOR_SUFFIX = re.compile(r"\s+(says|said|wrote|writes|commented)\s*:?\s*$", re.I)


def _author_element(own: list[Any]) -> Any:
    """The most specific element naming a comment's author: a cite or .fn inside an author block."""
    author = patterns.load().html["comment_author"]
    candidates = [el for el in own if isinstance(el.tag, str) and (el.tag == "cite" or author.search(_classes(el)))]
    for el in candidates:
        if not any(
            isinstance(d.tag, str) and (d.tag == "cite" or author.search(_classes(d))) for d in el.iterdescendants()
        ):
            return el
    return candidates[0] if candidates else None


def extract_comments(tree: Any) -> list[Comment]:
    """Every comment in the page, in document order, with its author where the markup names one."""
    vocab = patterns.load().html
    container, item_class, author_class, body_class = (
        vocab["comment_container"], vocab["comment_item"], vocab["comment_author"], vocab["comment_body"]
    )  # fmt: skip
    containers = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str) and el.tag not in ("html", "body") and container.search(_classes(el))
    ]
    # Outermost containers only.
    roots = [c for c in containers if not any(a in containers for a in c.iterancestors())]
    comments: list[Comment] = []
    for root in roots:
        items = [
            el
            for el in root.iterdescendants()
            if isinstance(el.tag, str)
            and (item_class.search(el.get("class") or "") or "Comment" in (el.get("itemtype") or ""))
        ]
        if not items and root.tag in ("ol", "ul"):
            items = [li for li in root if getattr(li, "tag", None) == "li"]
        item_set = set(items)
        for item in items:
            nested = {el for el in item.iterdescendants() if el in item_set}
            own = _own_descendants(item, nested)
            author_el = _author_element(own)
            bodies = [
                el
                for el in own
                if isinstance(el.tag, str) and body_class.search(_classes(el)) and not author_class.search(_classes(el))
            ]
            # The innermost body that does not also hold the author line and the date.
            body_el = next(
                (b for b in reversed(bodies) if author_el is None or author_el not in set(b.iterdescendants())),
                None,
            )
            if body_el is not None:
                text = _text(body_el)
            else:
                text = "\n".join(_text(p) for p in own if getattr(p, "tag", None) == "p")
            author = _AUTHOR_SUFFIX.sub("", _text(author_el).split("\n")[0]).strip() if author_el is not None else None
            if text.strip():
                comments.append(Comment(author or None, text.strip()))
    return comments


def extract_captions(tree: Any) -> list[str]:
    seen: list[str] = []
    for el in tree.iter("figcaption"):
        text = _text(el).replace("\n", " ").strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def page_date(tree: Any, body: str) -> str | None:
    """A visible publication date: <time datetime>, an element whose class names a date, or the body's top."""
    from dossier.clean.dates import find_date, parse_date

    for el in tree.iter("time"):
        found = parse_date(el.get("datetime") or _text(el))
        if found:
            return found
    date_class = patterns.load().html["date_element"]
    for el in tree.iter():
        if isinstance(el.tag, str) and date_class.search(_classes(el)):
            text = _text(el)
            hit = find_date(text) if len(text) < 300 else None
            if hit:
                return hit[0]
    hit = find_date("\n".join(body.split("\n")[:6]))
    return hit[0] if hit else None


def split_authors(value: str) -> list[str]:
    """ "A; B and C" → three names; after a comma only multi-word parts are names ("Jane Doe, Moscow")."""
    names: list[str] = []
    for part in re.split(r";|\s+and\s+|\s*&\s*", value):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1:
            pieces = [pieces[0]] + [p for p in pieces[1:] if len(p.split()) >= 2]
        names.extend(pieces)
    return names


def extract_html(html: str, *, url: str | None = None) -> HtmlParts:
    """Title, authors, date, site, main text, captions and comments of one HTML page."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    parts = HtmlParts(url=url)
    if tree is None:
        return parts
    parts.comments = extract_comments(tree)
    parts.captions = extract_captions(tree)
    lang = tree.get("lang")
    parts.language = lang.split("-")[0].lower() if lang else None
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
        fast=True,
        # htmldate's extensive search hands free text to dateparser, which costs seconds a page;
        # page_date() below covers the visible date lines it would have found.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None:
        # trafilatura found no main text: keep the page's visible text rather than lose the document.
        body = tree.find("body")
        parts.body = _text(body if body is not None else tree)
        title = tree.find(".//title")
        parts.title = _text(title).strip() if title is not None else None
        return parts
    data = result if isinstance(result, dict) else result.as_dict()
    parts.title = data.get("title") or None
    parts.authors = split_authors(data.get("author") or "")
    parts.published = data.get("date") or page_date(tree, data.get("text") or "")
    parts.sitename = data.get("sitename") or data.get("hostname") or None
    parts.url = url or data.get("url") or None
    parts.body = data.get("text") or ""
    return parts


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry, a JSONL field), block elements on their own lines."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types for garbage; the fallback is the raw text
        return re.sub(r"<[^>]+>", " ", html)
    return _text(root).replace("\n", "\n\n")
