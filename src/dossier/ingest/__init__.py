"""Readers: turn paths, globs, directories, standard input and URLs into RawDocuments.

Every reader yields ``RawDocument | IngestError``: a bad input becomes one error naming it, and the
batch goes on with the next one.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from dossier import settings
from dossier.errors import IngestError
from dossier.ingest.decode import GZIP_MAGIC, decode_bytes, gunzip_capped
from dossier.ingest.sniff import sniff
from dossier.model import RawDocument

__all__ = ["iter_raw", "read_bytes", "resolve_url_records"]

_GLOB_CHARS = set("*?[")


def iter_raw(
    paths: Iterable[str],
    *,
    urls: Iterable[str] = (),
    stdin: BinaryIO | None = None,
    max_bytes: int | None = None,
    max_decompressed: int | None = None,
) -> Iterator[RawDocument | IngestError]:
    """Every document in the inputs, in order, with an IngestError in place of each bad one."""
    limit = int(settings.get("max_bytes", max_bytes))
    gz_limit = int(settings.get("max_decompressed", max_decompressed))
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(limit + 1)
            if len(data) > limit:
                yield IngestError("<stdin>", f"standard input exceeds the {limit}-byte limit; skipped")
                continue
            yield from read_bytes(data, ref="<stdin>", max_bytes=limit, max_decompressed=gz_limit, keep_raw=True)
            continue
        for file_path in _expand(path):
            if isinstance(file_path, IngestError):
                yield file_path
                continue
            yield from _read_file(file_path, max_bytes=limit, max_decompressed=gz_limit)
    if urls:
        from dossier.ingest.fetch import fetch, new_client

        client = new_client()
        try:
            for url in urls:
                try:
                    raw = fetch(url, client=client)
                except IngestError as exc:
                    yield exc
                    continue
                yield from _resolve_auto(raw, max_bytes=limit, max_decompressed=gz_limit)
        finally:
            client.close()


def resolve_url_records(
    items: Iterator[RawDocument | IngestError],
) -> Iterator[RawDocument | IngestError]:
    """Download records that carry only a URL (JSON Lines lines without text or html)."""
    client = None
    try:
        for item in items:
            if isinstance(item, RawDocument) and item.format == "url" and item.url:
                from dossier.ingest.fetch import fetch, new_client

                client = client or new_client()
                try:
                    fetched = fetch(item.url, client=client)
                except IngestError as exc:
                    yield IngestError(item.ref, exc.problem)
                    continue
                for raw in _resolve_auto(fetched, max_bytes=None, max_decompressed=None):
                    if isinstance(raw, RawDocument):
                        raw.ref = item.ref
                        raw.title = raw.title or item.title
                        raw.published = raw.published or item.published
                        raw.source = raw.source or item.source
                        raw.language = raw.language or item.language
                    yield raw
            else:
                yield item
    finally:
        if client is not None:
            client.close()


def _resolve_auto(
    raw: RawDocument, *, max_bytes: int | None, max_decompressed: int | None
) -> Iterator[RawDocument | IngestError]:
    if raw.format != "auto" or raw.data is None:
        yield raw
        return
    for item in read_bytes(
        raw.data,
        ref=raw.ref,
        max_bytes=int(settings.get("max_bytes", max_bytes)),
        max_decompressed=int(settings.get("max_decompressed", max_decompressed)),
        keep_raw=True,
    ):
        if isinstance(item, RawDocument):
            item.url = item.url or raw.url
        yield item


def _expand(path: str) -> Iterator[str | IngestError]:
    """A path, a directory (recursively, sorted, hidden files skipped) or a glob pattern."""
    if not os.path.lexists(path) and _GLOB_CHARS & set(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            yield IngestError(path, "no files match this pattern")
        for match in matches:
            yield from _expand(match)
        return
    if os.path.isdir(path):
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield os.path.join(root, name)
        return
    if os.path.islink(path) and not os.path.exists(path):
        yield IngestError(path, "broken symbolic link; skipped")
        return
    if not os.path.exists(path):
        yield IngestError(path, "no such file or directory")
        return
    yield path


def _read_file(path: str, *, max_bytes: int, max_decompressed: int) -> Iterator[RawDocument | IngestError]:
    try:
        size = os.stat(path).st_size
        if not os.path.isfile(path):
            yield IngestError(path, "not a regular file; skipped")
            return
        if size == 0:
            yield IngestError(path, "empty file; skipped")
            return
        with open(path, "rb") as handle:
            head = handle.read(64)
            if _is_warc(head, path):
                # WARC archives are streamed record by record; the size limit applies per record.
                handle.seek(0)
                from dossier.ingest.warc import iter_warc

                yield from iter_warc(handle, ref=path, max_bytes=max_bytes)
                return
            if size > max_bytes:
                yield IngestError(path, f"file is {size} bytes, over the {max_bytes}-byte limit (--max-bytes); skipped")
                return
            handle.seek(0)
            data = handle.read()
    except PermissionError:
        yield IngestError(path, "permission denied; skipped")
        return
    except OSError as exc:
        yield IngestError(path, f"cannot read ({exc.strerror or exc}); skipped")
        return
    for item in read_bytes(data, ref=path, max_bytes=max_bytes, max_decompressed=max_decompressed):
        if isinstance(item, RawDocument) and item.ref == path:
            item.path = path
        yield item


def _is_warc(head: bytes, path: str) -> bool:
    if head.startswith(b"WARC/"):
        return True
    return bool(head.startswith(GZIP_MAGIC) and path.lower().endswith((".warc.gz", ".arc.gz", ".warc.gzip")))


def read_bytes(
    data: bytes,
    *,
    ref: str,
    max_bytes: int,
    max_decompressed: int,
    keep_raw: bool = False,
    name: str | None = None,
) -> Iterator[RawDocument | IngestError]:
    """Recognise the format of ``data`` by content and yield its documents."""
    name = name or ref
    if not data.strip():
        yield IngestError(ref, "empty input; skipped")
        return
    if data.startswith(GZIP_MAGIC):
        try:
            data = gunzip_capped(data, ref=ref, limit=max_decompressed)
        except IngestError as exc:
            yield exc
            return
        name = name[:-3] if name.lower().endswith(".gz") else name
        keep_raw = True  # the stored raw is the decompressed text; the path still points to the .gz
        if not data.strip():
            yield IngestError(ref, "empty input after decompression; skipped")
            return
    kind = sniff(data, name)
    if kind == "warc":
        from dossier.ingest.warc import read_warc

        yield from read_warc(data, ref=ref, max_bytes=max_bytes)
    elif kind == "feed":
        from dossier.ingest.feed import read_feed

        yield from read_feed(data, ref=ref)
    elif kind == "jsonl":
        from dossier.ingest.jsonl import read_jsonl

        yield from read_jsonl(decode_bytes(data), ref=ref)
    elif kind == "binary":
        yield IngestError(ref, "binary data, not text, HTML, JSON Lines, WARC or a feed; skipped")
    else:
        yield RawDocument(ref=ref, data=data, format=kind, keep_raw=keep_raw)
