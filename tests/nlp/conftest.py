"""Helpers for the NLP tests: documents built from our own small texts, and the offsets rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dossier.model import Analysis, Document, Segment, document_id

NLP_FIXTURES = Path(__file__).parent / "fixtures"

MakeDoc = Callable[..., Document]


def make_document(text: str, *, published: str | None = None, segments: list[Segment] | None = None) -> Document:
    """A cleaned document: the whole text one body segment unless segments are given."""
    return Document(
        id=document_id(text),
        text=text,
        published=published,
        segments=segments if segments is not None else [Segment("body", 0, len(text))],
    )


def event_roles(analysis: Analysis, etype: str) -> list[set[tuple[str, str]]]:
    """(role, entity name) of every event of one type, in text order."""
    names = {e.id: e.name for e in analysis.entities}
    return [{(p.role, names[p.entity]) for p in v.participants} for v in analysis.events if v.type == etype]


def assert_offsets(analysis: Analysis) -> None:
    """Every ``text`` field equals ``document.text[start:end]``; references resolve."""
    text = analysis.document.text
    ids = {e.id for e in analysis.entities}
    for entity in analysis.entities:
        assert entity.mentions, entity
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text, (entity.name, mention)
    for event in analysis.events:
        ev = event.evidence
        assert text[ev.start : ev.end] == ev.text, event
        assert event.participants, event
        for participant in event.participants:
            assert participant.entity in ids
        if event.attribution.speaker is not None:
            assert event.attribution.speaker in ids
    for quote in analysis.quotes:
        assert text[quote.start : quote.end] == quote.text, quote
        assert quote.speaker is None or quote.speaker in ids


@pytest.fixture
def make_doc() -> MakeDoc:
    return make_document


@pytest.fixture
def briefs() -> str:
    return (NLP_FIXTURES / "briefs.txt").read_text("utf-8")
