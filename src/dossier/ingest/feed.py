"""RSS and Atom feed files: one document per entry."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from dossier.errors import IngestError
from dossier.model import RawDocument


def read_feed(data: bytes, *, ref: str) -> Iterator[RawDocument | IngestError]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = str(parsed.get("bozo_exception") or "no entries")
        yield IngestError(ref, f"feed has no readable entries ({problem})")
        return
    site = (parsed.feed.get("title") or None) if parsed.get("feed") else None
    for i, entry in enumerate(parsed.entries):
        content = _content(entry)
        entry_ref = f"{ref}#entry={i}"
        if not content:
            yield IngestError(entry_ref, "feed entry has no content or summary; skipped")
            continue
        yield RawDocument(
            ref=entry_ref,
            text=content,
            format="html-fragment",
            url=entry.get("link"),
            title=entry.get("title"),
            published=_date(entry),
            source=site,
            author=entry.get("author"),
            keep_raw=True,
        )


def _content(entry: Any) -> str | None:
    for item in entry.get("content") or []:
        if item.get("value"):
            return str(item["value"])
    summary = entry.get("summary")
    return str(summary) if summary else None


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None
