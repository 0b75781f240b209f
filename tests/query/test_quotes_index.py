"""Quotes by and about an entity come from the quote_refs index (migration 0005): the same quotes, in the same
order, as reading every document the entity appears in; and the migration's backfill writes the same rows
resolve/ writes on ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dossier import query
from dossier.scale.runner import ingest
from dossier.store import open_store
from dossier.store import schema as t

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _expected(store: Any, cid: str, limit: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Quotes by and about the canonical entity, computed from the documents' own analyses."""
    from sqlalchemy import select

    with store.engine.connect() as conn:
        units = {
            (d, local)
            for d, local in conn.execute(
                select(t.doc_entities.c.doc_id, t.doc_entities.c.local_id)
                .join(t.units, t.units.c.id == t.doc_entities.c.unit_id)
                .where(t.units.c.canonical_id == cid)
            )
        }
        docs = [query.document(store, d) for d in sorted({d for d, _ in units})]
    by, about = [], []
    for doc in docs:
        did, published = doc["document"]["id"], doc["document"]["published"] or ""
        spans = {e["id"]: e["mentions"] for e in doc["entities"] if (did, e["id"]) in units}
        for q in doc["quotes"]:
            if q["speaker"] in spans:
                by.append((published, did, q["start"], q["text"]))
            if any(q["start"] <= m["start"] and m["end"] <= q["end"] for ms in spans.values() for m in ms):
                about.append((published, did, q["text"], q["text"]))
    return [(r[1], r[3]) for r in _newest_first(by)][:limit], [(r[1], r[3]) for r in _newest_first(set(about))][:limit]


def _newest_first(rows: Any) -> list[tuple[str, str, Any, str]]:
    """Publication date descending (documents without one last), then document id, then the tie-breaker."""
    ordered = sorted(sorted(rows, key=lambda r: (r[1], r[2])), key=lambda r: r[0], reverse=True)
    return sorted(ordered, key=lambda r: r[0] == "")


def test_quotes_by_and_about_match_a_full_reading_and_the_backfill(db_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import select

    from dossier.store import _MIGRATIONS

    with open_store(db_url) as store:
        ingest([str(DEMO / "articles"), str(DEMO / "pages")], store=store)
        checked = 0
        for ent in query.entities(store, limit=60):
            for limit in (1, 3, 8):
                shown = query.show(store, ent["id"], quotes=limit)
                by, about = _expected(store, ent["id"], limit)
                assert [(q["doc_id"], q["text"]) for q in shown["quotes_by"]] == by, ent["name"]
                assert [(q["doc_id"], q["text"]) for q in shown["quotes_about"]] == about, ent["name"]
                checked += bool(by) + bool(about)
        assert checked >= 20  # the demo's speakers and the entities they talk about
        with store.engine.connect() as conn:
            written = sorted(conn.execute(select(t.quote_refs)).all())
        assert written
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0004")
            command.upgrade(cfg, "head")
        with store.engine.connect() as conn:
            assert sorted(conn.execute(select(t.quote_refs)).all()) == written
