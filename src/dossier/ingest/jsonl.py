"""JSON Lines: one document per line with any of text / html / url / title / published / source / language."""

from __future__ import annotations

import json
from collections.abc import Iterator

from dossier.errors import IngestError
from dossier.model import RawDocument

_TEXT_KEYS = ("text", "content", "body")
_HTML_KEYS = ("html", "raw_html")


def read_jsonl(text: str, *, ref: str) -> Iterator[RawDocument | IngestError]:
    """Yield one RawDocument per good line and one IngestError per bad line; a bad line stops nothing."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line_ref = f"{ref}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(line_ref, f"invalid JSON ({exc.msg} at column {exc.colno}); line skipped")
            continue
        if not isinstance(obj, dict):
            yield IngestError(line_ref, "expected a JSON object; line skipped")
            continue
        yield from _record(obj, line_ref)


def _str(obj: dict[str, object], *keys: str) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, int | float) and key in ("published", "date"):
            return str(value)
    return None


def _record(obj: dict[str, object], ref: str) -> Iterator[RawDocument | IngestError]:
    html = _str(obj, *_HTML_KEYS)
    text = _str(obj, *_TEXT_KEYS)
    url = _str(obj, "url", "link")
    if html is None and text is None and url is None:
        yield IngestError(ref, "no text, html or url field; line skipped")
        return
    # Only a URL: resolve_url_records downloads it like --fetch.
    fmt = "html" if html is not None else "text" if text is not None else "url"
    yield RawDocument(
        ref=ref,
        text=html if html is not None else text,
        format=fmt,
        keep_raw=True,
        url=url,
        title=_str(obj, "title", "headline"),
        published=_str(obj, "published", "date", "published_at", "datePublished"),
        source=_str(obj, "source", "outlet", "site"),
        language=_str(obj, "language", "lang"),
        author=_str(obj, "author", "byline"),
    )
