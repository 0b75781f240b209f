"""RawDocument → Document(s): decode, repair, find title/date/byline/source, label every span of text."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from dossier.clean import lines, patterns
from dossier.clean.dates import parse_date
from dossier.clean.normalize import normalize
from dossier.errors import CleanError
from dossier.ingest.decode import declared_charset, decode_bytes
from dossier.model import Document, OffsetMap, RawDocument, Segment, document_id

__all__ = ["clean", "clean_text"]


def clean(raw: RawDocument) -> list[Document]:
    """The documents in one raw input (several when a file holds several threads)."""
    # 1. Decode.
    if raw.text is not None:
        text = raw.text
    elif raw.data is not None:
        text = decode_bytes(raw.data, declared=declared_charset(raw.data) if raw.format == "html" else None)
    else:
        raise CleanError(raw.ref, "no content")
    # 2. Per format: build the text and its segments.
    if raw.format == "html":
        docs = [_from_html(raw, text, fragment=False)]
    elif raw.format == "html-fragment" or (raw.format != "text" and "<" in text and re.search(r"</\w+>", text)):
        docs = [_from_html(raw, text, fragment=True)]
    else:
        docs = _from_text(raw, text)
    # 3. Shared finishing: language, source, id; refuse documents with no words.
    out = []
    for doc in docs:
        if len(doc.text.strip()) < patterns.load().limits["min_document_chars"] or not re.search(r"\w{2,}", doc.text):
            raise CleanError(raw.ref, "no usable text after cleaning; skipped")
        doc.language = raw.language or doc.language or detect_language(doc)
        doc.id = document_id(doc.text)
        doc.raw_sha256 = raw.sha256()
        out.append(doc)
    return out


def clean_text(text: str, *, ref: str = "<text>") -> list[Document]:
    """Convenience for tests and the library: clean a plain string."""
    return clean(RawDocument(ref=ref, text=text, format="text"))


def _base(raw: RawDocument, text: str) -> Document:
    return Document(
        id="",
        text=text,
        url=raw.url,
        source=raw.source,
        title=raw.title,
        published=parse_date(raw.published),
        format=raw.format,
        raw_ref=raw.ref,
    )


def _from_text(raw: RawDocument, decoded: str) -> list[Document]:
    from dossier.clean.threads import is_thread_text, split_threads

    if raw.title and not decoded.lstrip().startswith(raw.title.strip()):
        # A record whose title came as metadata (JSON Lines): put it on the first line, as a page shows it.
        decoded = raw.title.strip() + "\n\n" + decoded
    text, mapping = normalize(decoded)
    if is_thread_text(text):
        docs = []
        for i, thread in enumerate(split_threads(text)):
            doc = _base(raw, text[thread.start : thread.end])
            doc.format = "thread"
            doc.raw_ref = f"{raw.ref}#thread={i + 1}"
            doc.segments = [
                Segment(s.kind, s.start - thread.start, s.end - thread.start, s.author) for s in thread.segments
            ]
            doc.title = doc.title or thread.title
            doc.published = doc.published or thread.published
            doc.authors = [thread.author] if thread.author else []
            doc.origin = {"outlet": raw.source or thread.author}
            doc.offset_map = _shift(mapping, thread.start, thread.end)
            docs.append(doc)
        if docs:
            return docs
    doc = _base(raw, text)
    doc.offset_map = mapping
    segs, info = lines.label(text, header=True)
    doc.segments = segs
    doc.title = doc.title or info.title
    doc.published = doc.published or info.published
    doc.authors = [raw.author] if raw.author else info.authors
    doc.source = doc.source or info.source or _host(raw.url)
    doc.origin = {"outlet": info.origin or doc.source}
    return [doc]


def _from_html(raw: RawDocument, html: str, *, fragment: bool) -> Document:
    from dossier.clean.html import HtmlParts, extract_html, fragment_text

    if fragment:
        parts = HtmlParts(title=raw.title, body=fragment_text(html), url=raw.url)
    else:
        parts = extract_html(html, url=raw.url)
    title = normalize(raw.title or parts.title or "")[0] or None
    authors = [raw.author] if raw.author else parts.authors
    # Compose the text: title, byline, captions, body, comments; each part normalised on its own.
    pieces: list[tuple[str, str, str | None]] = []
    if title:
        pieces.append(("title", title, None))
    if authors:
        pieces.append(("byline", "By " + " and ".join(authors), None))
    pieces.extend(("caption", c, None) for c in parts.captions)
    pieces.append(("body", parts.body, None))
    pieces.extend(("comment", f"{c.author}\n{c.text}" if c.author else c.text, c.author) for c in parts.comments)
    chunks: list[str] = []
    segs: list[Segment] = []
    origin: str | None = None
    pos = 0
    for kind, value, author in pieces:
        norm, _ = normalize(value)
        if not norm:
            continue
        if chunks:
            chunks.append("\n\n")
            pos += 2
        chunks.append(norm)
        if kind == "body":
            body_segs, info = lines.label(norm, header=False, title=title)
            segs.extend(Segment(s.kind, s.start + pos, s.end + pos, s.author) for s in body_segs)
            origin = info.origin
        else:
            segs.append(Segment(kind, pos, pos + len(norm), author))
        pos += len(norm)
    text = "".join(chunks)
    doc = _base(raw, text)
    doc.segments = lines.merge(segs)
    doc.title = title
    doc.authors = authors
    doc.url = raw.url or parts.url
    doc.published = doc.published or parse_date(parts.published)
    doc.source = raw.source or parts.sitename or _host(doc.url)
    doc.language = parts.language
    doc.origin = {"outlet": origin or doc.source}
    return doc


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _shift(mapping: OffsetMap, start: int, end: int) -> OffsetMap:
    """The part of a map that covers ``[start, end)``, re-based to 0."""
    shifted = OffsetMap()
    base = mapping.to_original(start)
    shifted.norm.append(0)
    shifted.orig.append(base)
    for n, o in zip(mapping.norm, mapping.orig, strict=True):
        if start < n <= end:
            shifted.norm.append(n - start)
            shifted.orig.append(o)
    return shifted


def detect_language(doc: Document) -> str | None:
    """ISO 639-1 code of the article text (py3langid), None when there is too little text."""
    body = " ".join(doc.text[s.start : s.end] for s in doc.segments if s.kind in ("body", "thread_post", "title"))
    # 600 characters identify a language reliably; more only costs time.
    sample = (body or doc.text)[:600]
    if len(sample) < 40:
        return None
    # English news is most of the input: a text dense in English function words needs no classifier.
    pats = patterns.load()
    words = sample.lower().split()
    if len(words) >= 40 and sum(w in pats.english_words for w in words) >= pats.english_min_share * len(words):
        return "en"
    import py3langid

    lang, _ = py3langid.classify(sample)
    return str(lang)
