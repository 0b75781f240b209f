"""Label every line of a cleaned text: title, byline, dateline, caption, body, boilerplate, comment.

Nothing is deleted: the result is a list of segments with offsets into the text, covering every
non-blank character, plus what the header lines told us (title, authors, source, date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dossier.clean import patterns
from dossier.clean.dates import date_line, find_date, parse_date
from dossier.model import Segment

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?…\"')\]]$")


@dataclass(slots=True)
class Header:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    origin: str | None = None
    published: str | None = None


def _words(line: str) -> int:
    return len(line.split())


def _any(pats: tuple[re.Pattern[str], ...], line: str) -> re.Match[str] | None:
    for pat in pats:
        match = pat.search(line)
        if match:
            return match
    return None


def is_boilerplate(line: str) -> bool:
    pats = patterns.load()
    return _words(line) <= pats.limits["boilerplate_max_words"] and _any(pats.boilerplate, line) is not None


def is_caption(line: str) -> bool:
    pats = patterns.load()
    return _words(line) <= pats.limits["caption_max_words"] and _any(pats.caption, line) is not None


def label(
    text: str, *, header: bool = True, start: int = 0, end: int | None = None, title: str | None = None
) -> tuple[list[Segment], Header]:
    """Segments for ``text[start:end]`` and the header facts found there.

    ``title`` (known from metadata) marks a repeat of the headline at the top of the text, and the short
    kicker lines before it ("Telecoms"), as title and boilerplate rather than body.
    """
    pats = patterns.load()
    end = len(text) if end is None else end
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text, start, end)]
    segs: list[Segment] = []
    info = Header()
    i = 0
    if title:
        i = _label_repeated_title(lines, segs, title)
    # 1. Header: title, masthead, standfirst, byline, date and caption lines before the prose begins.
    if header:
        i = _label_header(lines, segs, info)
    # 2. Body, with furniture inside it, until a comment section opens.
    # A wire dateline opens one of the first body lines (a headline or kicker may come before it).
    dateline_chances = 3
    in_comments = False
    current: Segment | None = None
    while i < len(lines):
        s, e, line = lines[i]
        i += 1
        if in_comments:
            author = _any(pats.comment_author, line)
            if is_boilerplate(line) or _any(pats.comment_header, line):
                segs.append(Segment("boilerplate", s, e))
                current = None
            elif author and _words(line) <= pats.limits["comment_author_max_words"]:
                current = Segment("comment", s, e, author.group("author").strip())
                segs.append(current)
            elif current is not None:
                current.end = e
            else:
                current = Segment("comment", s, e)
                segs.append(current)
            continue
        if _any(pats.comment_header, line):
            segs.append(Segment("boilerplate", s, e))
            in_comments = True
            continue
        if is_boilerplate(line):
            segs.append(Segment("boilerplate", s, e))
            continue
        if is_caption(line):
            segs.append(Segment("caption", s, e))
            continue
        if dateline_chances:
            first = dateline_chances == 3
            dateline_chances -= 1
            match = pats.dateline.match(line)
            # After the first line only the unmistakable "(Agency) -" form counts ("NATO — ..." is prose).
            if match and not first and not (match.group("agency1") or match.group("agency2")):
                match = None
            if match and match.end() < len(line):
                dateline_chances = 0
                segs.append(Segment("dateline", s, s + len(line[: match.end()].rstrip())))
                agency = match.group("agency1") or match.group("agency2")
                if agency and not info.origin:
                    info.origin = agency.strip()
                if not info.published and match.group("date"):
                    info.published = parse_date(match.group("date"))
                segs.append(Segment("body", s + match.end(), e))
                continue
        segs.append(Segment("body", s, e))
    return merge(segs), info


_MARKDOWN = re.compile(r"^[#>*_\s]+|[*_]+$")
_MARKUP_CHARS = frozenset("#>*_ ")


def _plain(line: str) -> str:
    """A header line without markdown decoration (# Title, **Outlet**, *By X*)."""
    if line[:1] not in _MARKUP_CHARS and line[-1:] not in _MARKUP_CHARS:
        return line.strip()
    return _MARKDOWN.sub("", line.replace("**", "")).strip()


def _strong_header(line: str, info: Header) -> str | None:
    """Lines that can only be header: date lines, bylines, captions, separators."""
    pats = patterns.load()
    iso = date_line(line)
    if iso:
        info.published = info.published or iso
        return "dateline"
    match = _any(pats.byline, line)
    if match and _words(line) <= pats.limits["byline_max_words"]:
        groups = match.groupdict()
        if groups.get("authors"):
            info.authors.extend(_split_authors(groups["authors"]))
        if groups.get("source"):
            info.source = info.source or groups["source"].strip().rstrip(".")
        if groups.get("origin"):
            info.origin = info.origin or groups["origin"].strip().rstrip(".")
        found = find_date(line)
        if found:
            info.published = info.published or found[0]
        return "byline"
    if is_caption(line):
        return "caption"
    if pats.thread_separator.match(line) or is_boilerplate(line):
        return "boilerplate"
    return None


def _label_header(lines: list[tuple[int, int, str]], segs: list[Segment], info: Header) -> int:
    """Label the header block and return the index of the first body line.

    The header is every line up to the last one that can only be header (a date, a byline, a caption)
    among the first few lines, provided no full paragraph of prose comes before it; between those,
    the first line of four or more words is the title, a short line is the outlet's masthead or a
    section name, and a longer one is the standfirst (labelled body: it is the outlet's own voice).
    """
    limits = patterns.load().limits
    scan = lines[: limits["header_lines"]]
    # One pass classifies the opening lines, each with the facts it states; only the facts of the lines
    # that turn out to be header are kept.
    found: list[tuple[str, str | None, Header]] = []
    last_strong = -1
    for idx, (_, _, line) in enumerate(scan):
        plain = _plain(line)
        if _words(plain) >= limits["paragraph_words"] and _SENTENCE_END.search(plain):
            break
        facts = Header()
        kind = _strong_header(plain, facts)
        found.append((plain, kind, facts))
        if kind is not None:
            last_strong = idx
    if last_strong >= 0:
        end = last_strong + 1
    else:
        end = 1 if found and _words(found[0][0]) <= limits["title_max_words"] else 0
    # A masthead or section line right after the block still belongs to it.
    while end < len(found) and _is_name_line(found[end][0]):
        end += 1
    for idx in range(end):
        s, e, _ = lines[idx]
        plain, kind, facts = found[idx]
        _merge(info, facts)
        if kind is None:
            words = _words(plain)
            later_title = any(_words(x[0]) >= 4 for x in found[idx + 1 : end])
            if info.title is None and (words >= 4 or not later_title):
                info.title = plain
                kind = "title"
            elif words <= limits["name_line_max_words"] and not _SENTENCE_END.search(plain):
                name = re.split(r"\s+[·|•]\s+", plain)[0].strip()
                if info.source is None and name[:1].isupper():
                    info.source = name.title() if name.isupper() else name
                    kind = "byline"
                else:
                    kind = "boilerplate"  # a section name such as "Technology | Trade"
            else:
                kind = "body"
        segs.append(Segment(kind, s, e))
    return end


def _merge(info: Header, facts: Header) -> None:
    """Add one line's facts to the header's: the first date, source and origin win; authors add up."""
    info.published = info.published or facts.published
    info.source = info.source or facts.source
    info.origin = info.origin or facts.origin
    info.authors.extend(facts.authors)


def _label_repeated_title(lines: list[tuple[int, int, str]], segs: list[Segment], title: str) -> int:
    wanted = _fold(title)
    for idx, (_, _, line) in enumerate(lines[:3]):
        folded = _fold(line)
        same = folded == wanted or (len(wanted) > 20 and folded.startswith(wanted))
        if same and all(_words(x[2]) <= patterns.load().limits["kicker_max_words"] for x in lines[:idx]):
            segs.extend(Segment("boilerplate", s, e) for s, e, _ in lines[:idx])
            segs.append(Segment("title", lines[idx][0], lines[idx][1]))
            return idx + 1
    return 0


def _fold(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.casefold()))


def _is_name_line(line: str) -> bool:
    short = 0 < _words(line) <= patterns.load().limits["name_line_max_words"]
    return short and not _SENTENCE_END.search(line) and line[:1].isupper()


def _split_authors(value: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", value.strip())
    return [p.strip() for p in parts if p.strip() and len(p.split()) <= 5]


def merge(segs: list[Segment]) -> list[Segment]:
    """Join neighbouring body (and boilerplate) segments: one segment per run of the same kind."""
    out: list[Segment] = []
    for seg in segs:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == seg.kind and seg.kind in ("body", "boilerplate") and seg.author is None:
            prev.end = seg.end
        else:
            out.append(seg)
    return out
