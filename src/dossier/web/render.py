"""A document's text as HTML: segments as blocks (comments and page furniture marked to be dimmed), entity
mentions as links to their resolved entity, event evidence and quotes highlighted at their offsets.

Every character of document text passes through ``markupsafe.escape``: the text is untrusted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

DIMMED = frozenset({"comment", "boilerplate"})  # kinds of segment that are never evidence


@dataclass(frozen=True, slots=True)
class Block:
    """One segment (or a stretch of text outside every segment: ``kind`` None) rendered as HTML."""

    kind: str | None
    start: int
    end: int
    author: str | None
    html: Markup

    @property
    def dimmed(self) -> bool:
        return self.kind in DIMMED


def entity_href(entity_id: str) -> str:
    return "/entity/" + quote(entity_id, safe="")


def blocks(analysis: dict[str, Any], links: dict[str, Any]) -> list[Block]:
    """The document of ``analysis`` (the contract, with ``document.text``) as blocks of highlighted HTML.

    ``links``: ``query.search.document_links`` of the document (local entity id → resolved entity)."""
    text: str = analysis["document"]["text"]
    segments = sorted(analysis.get("segments", []), key=lambda s: (s["start"], s["end"]))
    mentions: list[tuple[int, int, dict[str, Any]]] = []
    for ent in analysis.get("entities", []):
        for m in ent.get("mentions", []):
            if 0 <= m["start"] < m["end"] <= len(text):
                mentions.append((m["start"], m["end"], ent))
    mentions.sort(key=lambda m: (m[0], -m[1]))
    kept: list[tuple[int, int, dict[str, Any]]] = []  # overlapping mentions: the first, longest one wins
    for m in mentions:
        if not kept or m[0] >= kept[-1][1]:
            kept.append(m)
    spans: list[tuple[int, int, str, str]] = []  # start, end, "ev" | "q", id
    for ev in analysis.get("events", []):
        evidence = ev.get("evidence") or {}
        if "start" in evidence:
            spans.append((evidence["start"], evidence["end"], "ev", ev["id"]))
    for q in analysis.get("quotes", []):
        spans.append((q["start"], q["end"], "q", q["id"]))
    spans = [_snap(s, kept) for s in spans if 0 <= s[0] < s[1] <= len(text)]

    out: list[Block] = []
    pos = 0
    first_piece: set[str] = set()
    for seg in segments:
        start, end = max(seg["start"], pos), min(seg["end"], len(text))
        if start >= end:
            continue
        if start > pos and text[pos:start].strip():
            out.append(Block(None, pos, start, None, _html(text, pos, start, kept, spans, links, first_piece)))
        html = _html(text, start, end, kept, spans, links, first_piece)
        out.append(Block(seg["kind"], start, end, seg.get("author"), html))
        pos = end
    if pos < len(text) and text[pos:].strip():
        out.append(Block(None, pos, len(text), None, _html(text, pos, len(text), kept, spans, links, first_piece)))
    return out


def _snap(span: tuple[int, int, str, str], mentions: list[tuple[int, int, Any]]) -> tuple[int, int, str, str]:
    """A highlight never cuts a mention in two: an edge inside one moves out to the mention's edge."""
    start, end, kind, ident = span
    for m_start, m_end, _ in mentions:
        if m_start < start < m_end:
            start = m_start
        if m_start < end < m_end:
            end = m_end
    return start, end, kind, ident


def _html(
    text: str,
    start: int,
    end: int,
    mentions: list[tuple[int, int, dict[str, Any]]],
    spans: list[tuple[int, int, str, str]],
    links: dict[str, Any],
    first_piece: set[str],
) -> Markup:
    """``text[start:end]`` cut at every highlight edge, each piece escaped and wrapped in what covers it."""
    inside = [m for m in mentions if m[0] >= start and m[1] <= end]
    covering = [s for s in spans if s[0] < end and s[1] > start]
    cuts = {start, end}
    for m in inside:
        cuts.update((m[0], m[1]))
    for s in covering:
        cuts.update(p for p in (s[0], s[1]) if start < p < end)
    points = sorted(cuts)
    by_start = {m[0]: m for m in inside}
    entities = links.get("entities", {})
    parts: list[str] = []
    for a, b in itertools.pairwise(points):
        piece = escape(text[a:b])
        mention = by_start.get(a)
        if mention is not None and mention[1] == b:
            ent = mention[2]
            resolved = entities.get(ent["id"])
            title = escape(f"{resolved['name'] if resolved else ent['name']} · {ent['type']}")
            cls = f"ent t-{escape(ent['type'])}"
            if resolved:
                href = escape(entity_href(resolved["id"]))
                piece = Markup(f'<a class="{cls}" href="{href}" title="{title}">{piece}</a>')
            else:
                piece = Markup(f'<span class="{cls}" title="{title}">{piece}</span>')
        active = [s for s in covering if s[0] <= a and s[1] >= b]
        if active:
            evs = " ".join(escape(s[3]) for s in active if s[2] == "ev")
            qs = " ".join(escape(s[3]) for s in active if s[2] == "q")
            classes = " ".join(k for k, on in (("ev", evs), ("q", qs)) if on)
            attrs = f' class="{classes}"'
            if evs:
                attrs += f' data-ev="{evs}"'
            if qs:
                attrs += f' data-q="{qs}"'
            anchors = [f"{s[2]}-{s[3]}" for s in active if f"{s[2]}-{s[3]}" not in first_piece]
            first_piece.update(anchors)
            marks = "".join(f'<span class="anchor" id="{escape(a)}"></span>' for a in anchors)
            piece = Markup(f"{marks}<span{attrs}>{piece}</span>")
        parts.append(str(piece))
    return Markup("".join(parts))
