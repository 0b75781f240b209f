"""Recognise an input's format from its content (the extension is only a tie-breaker)."""

from __future__ import annotations

import json
import re

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(p|div|article|span|a|br|h[1-6]|section|table|li)\b[^>]*>", re.I)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.I)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def sniff(data: bytes, name: str = "") -> str:
    """One of: warc, feed, html, jsonl, text, binary."""
    head = data[:8192]
    if head.startswith(b"WARC/"):
        return "warc"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        if _FEED_ROOT.search(head[:2048]) and not _HTML_START.match(stripped):
            return "feed"
        if _HTML_START.match(stripped) or len(_HTML_TAGS.findall(head)) >= 2:
            return "html"
    if stripped.startswith(b"{") and _first_line_is_json(stripped):
        return "jsonl"
    if looks_binary(head):
        return "binary"
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")) and len(_HTML_TAGS.findall(head)) >= 1:
        return "html"
    return "text"


def looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: not something a person wrote as text."""
    if not head:
        return False
    if b"\x00" in head:
        # UTF-16 text has NULs but also a BOM; decode.py handles that case.
        return not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    return len(_CONTROL.findall(head)) > max(8, len(head) // 100)


def _first_line_is_json(data: bytes) -> bool:
    line = data.split(b"\n", 1)[0].strip()
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        # A very long first line may be cut off by the 8 KB head; an opening brace with a quoted key is enough.
        return len(line) >= 8000 and line.startswith(b'{"')
