"""Dossier: turn technology and geopolitics news into a sourced knowledge graph.

The curated public API. Heavy modules load on first use, so `import dossier` stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dossier.errors import DossierError
from dossier.model import Analysis, Document, Entity, Event, Quote, RawDocument, Segment

if TYPE_CHECKING:
    from dossier.store import Store

__all__ = [
    "Analysis",
    "Document",
    "DossierError",
    "Entity",
    "Event",
    "Quote",
    "RawDocument",
    "Segment",
    "Store",
    "analyze",
    "clean",
    "open_store",
]


def analyze(document: Document, *, pipeline: str = "model") -> Analysis:
    """Analyse one cleaned document: pure, per-document, no database."""
    from dossier.nlp import analyze as _analyze

    return _analyze(document, pipeline=pipeline)


def clean(raw: RawDocument) -> list[Document]:
    """Clean one raw input into one or more documents with labelled segments."""
    from dossier.clean import clean as _clean

    return _clean(raw)


def open_store(db: str | None = None) -> Store:
    """Open the store at a SQLAlchemy URL or SQLite path (default ./dossier.db)."""
    from dossier.store import open_store as _open

    return _open(db)


def __getattr__(name: str) -> Any:
    if name == "Store":
        from dossier.store import Store

        return Store
    raise AttributeError(name)
