"""The read API that cli/, api/ and web/ use. Every function returns plain dicts, ready for JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from dossier.errors import QueryError
from dossier.model import Analysis
from dossier.query.common import escape_like as _escape_like
from dossier.query.common import iso as _iso
from dossier.query.common import limit as _limit
from dossier.query.knowledge import entities, fact, facts, graph, path, show, timeline
from dossier.store import Store, chunks, normalise_name
from dossier.store import schema as t

__all__ = [
    "document",
    "documents",
    "entities",
    "events",
    "export_analyses",
    "fact",
    "facts",
    "graph",
    "names",
    "path",
    "quotes",
    "show",
    "stats",
    "timeline",
]

_FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


def _fts_query(q: str) -> str:
    """A safe FTS5 MATCH expression: every word must appear (prefix match on the last one)."""
    words = _FTS_TOKEN.findall(q)
    if not words:
        raise QueryError(f"search {q!r} has no words to look for")
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return " AND ".join(parts)


def documents(store: Store, *, search: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    from sqlalchemy import select

    with store.engine.connect() as conn:
        if not search:
            stmt = select(*_document_columns()).order_by(t.documents.c.published.desc(), t.documents.c.id)
            return [dict(r._mapping) for r in conn.execute(stmt.limit(_limit(limit)))]
        ids = _ranked_ids(conn, store.dialect, search, _limit(limit))
        return _document_rows(conn, store.dialect, ids, search)


def _document_columns() -> list[Any]:
    d = t.documents
    return [d.c.id, d.c.published, d.c.source, d.c.title, d.c.url, d.c.words, d.c.language]


def _ranked_ids(conn: Any, dialect: str, q: str, n: int) -> list[str]:
    """Ids of the ``n`` documents whose text best matches ``q`` (FTS5 bm25 on SQLite, ts_rank on PostgreSQL)."""
    from sqlalchemy import func, literal_column, select, text

    if dialect == "sqlite":
        rows = conn.execute(
            text(
                "SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                "WHERE documents_fts MATCH :q ORDER BY bm25(documents_fts, 4.0, 1.0) LIMIT :n"
            ),
            {"q": _fts_query(q), "n": n},
        ).scalars()
        return [str(i) for i in rows]
    _fts_query(q)  # the same check for a query with no words
    query = func.websearch_to_tsquery("english", q)
    search_col: Any = literal_column("search")
    stmt = select(t.documents.c.id).where(search_col.op("@@")(query)).order_by(func.ts_rank(search_col, query).desc())
    return [str(i) for i in conn.execute(stmt.limit(n)).scalars()]


def _document_rows(
    conn: Any, dialect: str, ids: list[str], q: str | None, marks: tuple[str, str] = ("[", "]")
) -> list[dict[str, Any]]:
    """The documents' metadata in ``ids`` order, each with a ``snippet`` of where ``q`` matches, the match
    between ``marks`` (None without a query)."""
    from sqlalchemy import func, select, text

    if not ids:
        return []
    d = t.documents
    rows = {r.id: dict(r._mapping) for r in conn.execute(select(*_document_columns()).where(d.c.id.in_(ids)))}
    snippets: dict[str, str] = {}
    if q and dialect == "sqlite":
        params = {f"i{k}": i for k, i in enumerate(ids)}
        holes = ", ".join(f":{name}" for name in params)
        found = conn.execute(
            text(
                "SELECT d.id, snippet(documents_fts, 1, :open, :close, ' … ', 12) AS snippet FROM documents_fts "
                f"JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH :q AND d.id IN ({holes})"
            ),
            {"q": _fts_query(q), "open": marks[0], "close": marks[1], **params},
        )
        snippets = {r.id: r.snippet for r in found}
    elif q:
        options = f'StartSel="{marks[0]}", StopSel="{marks[1]}"'
        headline = func.ts_headline("english", d.c.text, func.websearch_to_tsquery("english", q), options)
        snippets = {r[0]: r[1] for r in conn.execute(select(d.c.id, headline).where(d.c.id.in_(ids)))}
    out = []
    for doc_id in ids:
        row = rows[doc_id]
        row["snippet"] = " ".join(str(snippets.get(doc_id, "")).split()) or None
        out.append(row)
    return out


def _resolve_doc_id(conn: Any, doc_id: str) -> str:
    from sqlalchemy import select

    key = doc_id if doc_id.startswith("sha256:") else "sha256:" + doc_id
    exact = conn.execute(select(t.documents.c.id).where(t.documents.c.id == key)).scalar()
    if exact:
        return str(exact)
    if len(doc_id.removeprefix("sha256:")) < 6:
        raise QueryError(f"document id {doc_id!r} is too short: give at least 6 characters of it")
    pattern = _escape_like(key) + "%"
    matches = (
        conn.execute(select(t.documents.c.id).where(t.documents.c.id.like(pattern, escape="\\")).limit(2))
        .scalars()
        .all()
    )
    if not matches:
        raise QueryError(f"no document with id {doc_id!r}")
    if len(matches) > 1:
        raise QueryError(f"document id {doc_id!r} is ambiguous: give more characters")
    return str(matches[0])


def document(store: Store, doc_id: str) -> dict[str, Any]:
    """One stored document: its metadata, text and segments, and what was extracted (the contract)."""
    from sqlalchemy import select

    with store.engine.connect() as conn:
        full_id = _resolve_doc_id(conn, doc_id)
        row = conn.execute(select(t.documents).where(t.documents.c.id == full_id)).one()._mapping
    analysis = json.loads(row["analysis"])
    analysis["document"]["text"] = row["text"]
    analysis["document"]["previous_version"] = row["previous_version"]
    analysis["document"]["ingested_at"] = row["ingested_at"].isoformat() if row["ingested_at"] else None
    return dict(analysis)


def names(
    store: Store, *, type_: str | None = None, search: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Names as documents give them (before cross-document resolution), with their document and mention
    counts, most documented first."""
    from sqlalchemy import func, select

    docs = func.count(func.distinct(t.doc_entities.c.doc_id)).label("documents")
    mentions = func.sum(t.doc_entities.c.mention_count).label("mentions")
    stmt = (
        select(t.entities.c.id, t.entities.c.name, t.entities.c.type, t.entities.c.wikidata, docs, mentions)
        .join(t.doc_entities, t.doc_entities.c.entity_id == t.entities.c.id)
        .group_by(t.entities.c.id, t.entities.c.name, t.entities.c.type, t.entities.c.wikidata)
        .order_by(docs.desc(), mentions.desc(), t.entities.c.name)
        .limit(_limit(limit))
    )
    if type_:
        stmt = stmt.where(t.entities.c.type == type_.upper())
    if search:
        norm = normalise_name(search)
        stmt = stmt.where(t.entities.c.norm.like(f"%{_escape_like(norm)}%", escape="\\"))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def _entity_ids(conn: Any, name: str) -> list[str]:
    """Global entity ids whose name (or any per-document alias) matches ``name``."""
    from sqlalchemy import or_, select

    norm = normalise_name(name)
    if not norm:
        raise QueryError(f"entity name {name!r} has no letters or digits")
    ids = set(conn.execute(select(t.entities.c.id).where(t.entities.c.norm == norm)).scalars())
    # every name of the resolved entity the name belongs to
    canon = select(t.units.c.canonical_id).join(t.entities, t.entities.c.id == t.units.c.entity_id)
    canon_ids = set(conn.execute(canon.where(t.entities.c.norm == norm)).scalars())
    canon_ids |= set(conn.execute(select(t.canonical.c.id).where(t.canonical.c.norm == norm)).scalars())
    if canon_ids:
        ids |= set(
            conn.execute(select(t.units.c.entity_id).where(t.units.c.canonical_id.in_(sorted(canon_ids)))).scalars()
        )
    if not ids:
        like = f"%{_escape_like(name)}%"
        ids |= set(
            conn.execute(
                select(t.doc_entities.c.entity_id).where(
                    or_(t.doc_entities.c.name.like(like, escape="\\"), t.doc_entities.c.aliases.like(like, escape="\\"))
                )
            ).scalars()
        )
    if not ids:
        raise QueryError(f"no entity named {name!r} (try: dossier entities --search {name.split()[0]!r})")
    return sorted(ids)


def events(
    store: Store,
    *,
    type_: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Events with their participants' names, newest first (event date, else publication date)."""
    from sqlalchemy import exists, func, select

    when = func.coalesce(t.events.c.date_start, t.documents.c.published).label("date")
    stmt = (
        select(
            t.events.c.doc_id,
            t.events.c.local_id,
            t.events.c.type,
            t.events.c.status,
            t.events.c.hedged,
            t.events.c.date_text,
            when,
            t.events.c.amounts,
            t.events.c.attribution_kind,
            t.events.c.evidence_text,
            t.documents.c.source,
            t.documents.c.published,
            t.documents.c.title,
        )
        .join(t.documents, t.documents.c.id == t.events.c.doc_id)
        .order_by(when.desc(), t.events.c.doc_id, t.events.c.local_id)
        .limit(_limit(limit))
    )
    if type_:
        stmt = stmt.where(t.events.c.type == type_.upper())
    if since:
        stmt = stmt.where(when >= _iso(since, "--since"))
    if until:
        stmt = stmt.where(when <= _iso(until, "--until") + "\uffff")
    with store.engine.connect() as conn:
        if entity:
            ids = _entity_ids(conn, entity)
            stmt = stmt.where(
                exists().where(
                    t.participants.c.doc_id == t.events.c.doc_id,
                    t.participants.c.event_id == t.events.c.local_id,
                    t.participants.c.entity_id.in_(ids),
                )
            )
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        _attach_participants(conn, rows)
    for row in rows:
        row["amounts"] = json.loads(row["amounts"] or "[]")
    return rows


def _attach_participants(conn: Any, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import select

    doc_ids = sorted({r["doc_id"] for r in rows})
    if not doc_ids:
        return
    names: dict[tuple[str, str], list[dict[str, str]]] = {}
    for batch in chunks(doc_ids):
        stmt = (
            select(t.participants.c.doc_id, t.participants.c.event_id, t.participants.c.role, t.doc_entities.c.name)
            .join(
                t.doc_entities,
                (t.doc_entities.c.doc_id == t.participants.c.doc_id)
                & (t.doc_entities.c.local_id == t.participants.c.local_entity_id),
            )
            .where(t.participants.c.doc_id.in_(batch))
        )
        for r in conn.execute(stmt):
            names.setdefault((r.doc_id, r.event_id), []).append({"role": r.role, "name": r.name})
    for row in rows:
        row["participants"] = names.get((row["doc_id"], row["local_id"]), [])


def quotes(store: Store, *, speaker: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    from sqlalchemy import select

    speaker_name = t.doc_entities.c.name.label("speaker")
    stmt = (
        select(
            t.quotes.c.doc_id,
            t.quotes.c.local_id,
            t.quotes.c.text,
            t.quotes.c.direct,
            speaker_name,
            t.quotes.c.speaker_kind,
            t.quotes.c.speaker_text,
            t.quotes.c.cue,
            t.documents.c.source,
            t.documents.c.published,
        )
        .join(t.documents, t.documents.c.id == t.quotes.c.doc_id)
        .outerjoin(
            t.doc_entities,
            (t.doc_entities.c.doc_id == t.quotes.c.doc_id) & (t.doc_entities.c.local_id == t.quotes.c.speaker_local_id),
        )
        .order_by(t.documents.c.published.desc(), t.quotes.c.doc_id, t.quotes.c.start)
        .limit(_limit(limit))
    )
    with store.engine.connect() as conn:
        if speaker:
            stmt = stmt.where(t.quotes.c.speaker_entity_id.in_(_entity_ids(conn, speaker)))
        return [dict(r._mapping) for r in conn.execute(stmt)]


def stats(store: Store) -> dict[str, Any]:
    """Counts: documents, words, entities by type, events by type, most connected entities, ingest log."""
    from sqlalchemy import func, select

    with store.engine.connect() as conn:
        n_docs, n_words = conn.execute(select(func.count(), func.coalesce(func.sum(t.documents.c.words), 0))).one()
        by_type = dict(
            (r[0], r[1])
            for r in conn.execute(
                select(t.entities.c.type, func.count()).group_by(t.entities.c.type).order_by(func.count().desc())
            ).all()
        )
        ev_type = dict(
            (r[0], r[1])
            for r in conn.execute(
                select(t.events.c.type, func.count()).group_by(t.events.c.type).order_by(func.count().desc())
            ).all()
        )
        n_quotes = conn.execute(select(func.count()).select_from(t.quotes)).scalar()
        n_segments = {
            r[0]: r[1] for r in conn.execute(select(t.segments.c.kind, func.count()).group_by(t.segments.c.kind))
        }
        # Most connected: entities sharing events with the most distinct other entities.
        p1, p2 = t.participants.alias("p1"), t.participants.alias("p2")
        degree = func.count(func.distinct(p2.c.entity_id)).label("connections")
        connected = conn.execute(
            select(t.entities.c.name, t.entities.c.type, degree)
            .select_from(p1)
            .join(
                p2, (p1.c.doc_id == p2.c.doc_id) & (p1.c.event_id == p2.c.event_id) & (p1.c.entity_id != p2.c.entity_id)
            )
            .join(t.entities, t.entities.c.id == p1.c.entity_id)
            .group_by(t.entities.c.id, t.entities.c.name, t.entities.c.type)
            .order_by(degree.desc(), t.entities.c.name)
            .limit(10)
        ).all()
        log = {
            r[0]: r[1]
            for r in conn.execute(select(t.ingest_log.c.status, func.count()).group_by(t.ingest_log.c.status))
        }
    return {
        "documents": n_docs,
        "words": int(n_words),
        "segments": n_segments,
        "entities": {"total": sum(by_type.values()), "by_type": by_type},
        "events": {"total": sum(ev_type.values()), "by_type": ev_type},
        "quotes": n_quotes,
        "most_connected": [{"name": n, "type": ty, "connections": c} for n, ty, c in connected],
        "ingest_log": log,
    }


def export_analyses(store: Store) -> Iterator[dict[str, Any]]:
    """The analysis contract of every stored document, in publication order."""
    from sqlalchemy import select

    stmt = select(t.documents.c.id, t.documents.c.text, t.documents.c.analysis).order_by(
        t.documents.c.published, t.documents.c.id
    )
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=200).execute(stmt):
            data = json.loads(row.analysis)
            data["document"]["text"] = row.text
            # Round-trip through the dataclasses so an export is always a valid contract object.
            yield Analysis.from_dict(data).to_dict()
