"""Bytes to text: BOMs, declared charsets, invalid UTF-8 and files that mix encodings; capped gunzip."""

from __future__ import annotations

import codecs
import re
import zlib

from dossier.errors import IngestError

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

GZIP_MAGIC = b"\x1f\x8b"


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 4 KB, if Python knows it."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode bytes to text without ever failing.

    Order: a BOM; strict UTF-8; a declared charset; otherwise line by line (UTF-8 where a line is
    valid, else Windows-1252), because files pasted together from several sources mix encodings.
    """
    # 1. BOMs say exactly what the bytes are.
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    # 2. Most of the web is UTF-8; a strict decode that succeeds is right.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # 3. A declared legacy charset (windows-1252, koi8-r, gb2312...).
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    # 4. Mixed or undeclared: decide per line.
    lines = data.split(b"\n")
    bad = 0
    out: list[str] = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            bad += 1
            out.append(line.decode("cp1252", "replace"))
    if bad == len(lines) and len(data) > 64:
        # Wholly in one legacy encoding: let charset_normalizer pick it (Cyrillic, CJK ...).
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best)
    return "\n".join(out)


def gunzip_capped(data: bytes, *, ref: str, limit: int) -> bytes:
    """Decompress gzip bytes (several members allowed), refusing to produce more than ``limit`` bytes."""
    out = bytearray()
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(wbits=31)
            chunk = d.decompress(rest, limit + 1 - len(out))
            out += chunk
            if len(out) > limit:
                raise IngestError(ref, f"decompresses to more than {limit} bytes (possible gzip bomb); skipped")
            if d.unconsumed_tail:
                raise IngestError(ref, f"decompresses to more than {limit} bytes (possible gzip bomb); skipped")
            rest = d.unused_data
            if not d.eof:
                raise IngestError(ref, "truncated gzip data")
            if rest and not rest.startswith(GZIP_MAGIC):
                break
    except zlib.error as exc:
        raise IngestError(ref, f"corrupt gzip data ({exc})") from exc
    return bytes(out)
