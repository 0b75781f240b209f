"""Dataclasses of the analysis contract (see ONTOLOGY.md) and of the raw input.

The JSON field names produced by :meth:`Analysis.to_dict` are a public API: add, never rename.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "dossier.analysis/1"

SEGMENT_KINDS = (
    "body",
    "title",
    "byline",
    "dateline",
    "caption",
    "boilerplate",
    "comment",
    "thread_post",
)

# Segments whose text is the document's own voice: the only ones events and quotes may come from.
ARTICLE_KINDS = frozenset({"body", "thread_post"})


@dataclass(slots=True)
class RawDocument:
    """One input record before cleaning: bytes or text plus what the reader knew about it."""

    ref: str  # where it came from: a path, "path#line=3", "path#offset=1234", a URL, "<stdin>"
    data: bytes | None = None
    text: str | None = None
    format: str = "text"  # text | html | jsonl-text | feed ...
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    author: str | None = None
    path: str | None = None  # a file on disk the raw bytes can be re-read from
    keep_raw: bool = False  # True when the input cannot be re-read later (stdin, URL, a record)
    raw_sha256: str | None = None

    def sha256(self) -> str:
        if self.raw_sha256 is None:
            payload = self.data if self.data is not None else (self.text or "").encode("utf-8")
            self.raw_sha256 = hashlib.sha256(payload).hexdigest()
        return self.raw_sha256


@dataclass(slots=True)
class Segment:
    kind: str
    start: int
    end: int
    author: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "start": self.start, "end": self.end}
        if self.author is not None:
            out["author"] = self.author
        return out


@dataclass(slots=True)
class OffsetMap:
    """Maps offsets in the normalised text back to the text the cleaner started from.

    Stored as anchor pairs: from ``norm[i]`` on, offsets advance together with ``orig[i]``
    (inside a replaced span they are clamped to its original end).
    """

    norm: list[int] = field(default_factory=list)
    orig: list[int] = field(default_factory=list)

    def to_original(self, offset: int) -> int:
        i = bisect_right(self.norm, offset) - 1
        if i < 0:
            return offset
        mapped = self.orig[i] + (offset - self.norm[i])
        return mapped if i + 1 >= len(self.norm) else min(mapped, self.orig[i + 1])

    def to_dict(self) -> list[list[int]]:
        return [list(t) for t in zip(self.norm, self.orig, strict=True)]

    @classmethod
    def from_dict(cls, pairs: list[list[int]]) -> OffsetMap:
        return cls(norm=[int(p[0]) for p in pairs], orig=[int(p[1]) for p in pairs])


@dataclass(slots=True)
class Document:
    id: str
    text: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    origin: dict[str, Any] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    format: str = "text"
    raw_ref: str | None = None
    raw_sha256: str | None = None
    offset_map: OffsetMap | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "origin": self.origin,
            "authors": self.authors,
            "format": self.format,
            "input": {"ref": self.raw_ref, "sha256": self.raw_sha256},
        }
        if self.offset_map is not None and self.offset_map.norm:
            # [offset in text, offset in the decoded input] pairs where normalisation changed the text.
            out["offset_map"] = self.offset_map.to_dict()
        return out

    def article_spans(self) -> list[tuple[int, int]]:
        """Spans whose text is the document's own voice (body and thread posts)."""
        return [(s.start, s.end) for s in self.segments if s.kind in ARTICLE_KINDS]


_WS = re.compile(r"\s+")


def document_id(text: str) -> str:
    """Content id: the hash of the text with whitespace collapsed, so layout never splits a document."""
    norm = _WS.sub(" ", text).strip()
    return "sha256:" + hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    kb: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": self.aliases,
            "mentions": [m.to_dict() for m in self.mentions],
            "descriptions": self.descriptions,
            "kb": self.kb,
        }


@dataclass(slots=True)
class Participant:
    role: str
    entity: str

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "entity": self.entity}


@dataclass(slots=True)
class EventDate:
    text: str
    start: str | None = None
    end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Amount:
    text: str
    value: float | None = None
    unit: str | None = None
    usd: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "unit": self.unit, "usd": self.usd}


@dataclass(slots=True)
class Attribution:
    kind: str = "outlet"  # outlet | named | anonymous | other_outlet
    speaker: str | None = None
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "speaker": self.speaker, "cue": self.cue}


@dataclass(slots=True)
class Evidence:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Event:
    id: str
    type: str
    status: str
    evidence: Evidence
    hedged: bool = False
    participants: list[Participant] = field(default_factory=list)
    date: EventDate | None = None
    amounts: list[Amount] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "status": self.status,
            "hedged": self.hedged,
            "participants": [p.to_dict() for p in self.participants],
            "date": self.date.to_dict() if self.date else None,
            "amounts": [a.to_dict() for a in self.amounts],
            "attribution": self.attribution.to_dict(),
            "evidence": self.evidence.to_dict(),
        }


@dataclass(slots=True)
class Quote:
    id: str
    text: str
    start: int
    end: int
    direct: bool = True
    speaker: str | None = None
    speaker_kind: str = "unknown"  # named | anonymous | commenter | unknown
    speaker_text: str | None = None
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "direct": self.direct,
            "speaker": self.speaker,
            "speaker_kind": self.speaker_kind,
            "speaker_text": self.speaker_text,
            "cue": self.cue,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Analysis:
    document: Document
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    pipeline: str = "simple"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "document": self.document.to_dict(),
            "segments": [s.to_dict() for s in self.document.segments],
            "entities": [e.to_dict() for e in self.entities],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "pipeline": self.pipeline,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """Rebuild an Analysis from its contract JSON (as stored or exported)."""
        d = data["document"]
        inp = d.get("input") or {}
        document = Document(
            id=d["id"],
            text=d["text"],
            url=d.get("url"),
            source=d.get("source"),
            title=d.get("title"),
            published=d.get("published"),
            language=d.get("language"),
            origin=d.get("origin") or {},
            authors=d.get("authors") or [],
            segments=[Segment(s["kind"], s["start"], s["end"], s.get("author")) for s in data["segments"]],
            format=d.get("format", "text"),
            raw_ref=inp.get("ref"),
            raw_sha256=inp.get("sha256"),
            offset_map=OffsetMap.from_dict(d["offset_map"]) if d.get("offset_map") else None,
        )
        entities = [
            Entity(
                id=e["id"],
                name=e["name"],
                type=e["type"],
                aliases=list(e.get("aliases", [])),
                mentions=[Mention(m["start"], m["end"], m["text"]) for m in e.get("mentions", [])],
                descriptions=list(e.get("descriptions", [])),
                kb=dict(e.get("kb") or {}),
            )
            for e in data.get("entities", [])
        ]
        events = []
        for v in data.get("events", []):
            date = v.get("date")
            att = v.get("attribution") or {}
            ev = v["evidence"]
            events.append(
                Event(
                    id=v["id"],
                    type=v["type"],
                    status=v["status"],
                    hedged=bool(v.get("hedged")),
                    participants=[Participant(p["role"], p["entity"]) for p in v.get("participants", [])],
                    date=EventDate(date["text"], date.get("start"), date.get("end")) if date else None,
                    amounts=[
                        Amount(a["text"], a.get("value"), a.get("unit"), a.get("usd")) for a in v.get("amounts", [])
                    ],
                    attribution=Attribution(att.get("kind", "outlet"), att.get("speaker"), att.get("cue")),
                    evidence=Evidence(ev["start"], ev["end"], ev["text"]),
                )
            )
        quotes = [
            Quote(
                id=q["id"],
                text=q["text"],
                start=q["start"],
                end=q["end"],
                direct=bool(q.get("direct", True)),
                speaker=q.get("speaker"),
                speaker_kind=q.get("speaker_kind", "unknown"),
                speaker_text=q.get("speaker_text"),
                cue=q.get("cue"),
            )
            for q in data.get("quotes", [])
        ]
        return cls(document, entities, events, quotes, data.get("pipeline", "simple"))
