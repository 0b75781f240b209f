"""WARC and WARC.gz (as in Common Crawl News): HTTP response records that hold HTML."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from dossier.errors import IngestError
from dossier.model import RawDocument


def read_warc(data: bytes, *, ref: str, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    """Yield one RawDocument per HTML response; a truncated archive yields what it has, then an error."""
    yield from iter_warc(io.BytesIO(data), ref=ref, max_bytes=max_bytes)


def iter_warc(stream: BinaryIO, *, ref: str, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    """Stream a WARC (plain or gzipped) record by record; each record is capped at ``max_bytes``."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if "html" not in ctype.lower():
                continue
            body = record.content_stream().read(max_bytes + 1)
            url = record.rec_headers.get_header("WARC-Target-URI")
            record_ref = f"{ref}#record={count}"
            if len(body) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
                # The archive ended inside this record: what we have is not the whole page.
                yield IngestError(ref, f"truncated WARC: record {count} ({url}) is incomplete; rest skipped")
                return
            count += 1
            if len(body) > max_bytes:
                yield IngestError(record_ref, f"record larger than {max_bytes} bytes; skipped")
                continue
            yield RawDocument(ref=record_ref, data=body, format="html", url=url, keep_raw=True)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        yield IngestError(ref, f"truncated or corrupt WARC after {count} HTML records ({exc}); rest skipped")
