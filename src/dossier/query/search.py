"""Search with facets, and the links a document page needs (web/ reads these; so may any client).

`search` finds entities by name and documents by their text, then narrows the documents by facets: the type
of event they report, a country they mention, the year they were published, their outlet. Facet counts and
the facts reported in the results are computed over the best `POOL` matching documents, so a search costs the
same on a large store as on a small one; the answer says when the pool was full.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from dossier.errors import QueryError
from dossier.query.common import limit as _limit
from dossier.query.knowledge import _facts_by_ids, _named
from dossier.query.knowledge import entities as _entities
from dossier.store import Store, chunks
from dossier.store import schema as t

POOL = 1000  # documents a search ranks, narrows and counts facets over
FACET_VALUES = 12  # values shown per facet
_YEAR = re.compile(r"\d{4}")


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Names of the gazetteer's countries and blocs (the GPE entities the country facet counts)."""
    from dossier.nlp.resources import load_resources

    gazetteer = load_resources().gazetteer
    return frozenset(gazetteer.actors[a].name for a in gazetteer.by_iso2.values() if a in gazetteer.actors)


def _entity_types() -> frozenset[str]:
    from dossier.nlp.resources import load_resources

    return frozenset(load_resources().ontology.entity_types)


def search(
    store: Store,
    q: str | None = None,
    *,
    type_: str | None = None,
    country: str | None = None,
    year: str | None = None,
    outlet: str | None = None,
    limit: int = 20,
    marks: tuple[str, str] = ("[", "]"),
) -> dict[str, Any]:
    """Entities named like ``q``, documents matching ``q`` (all documents, latest first, without ``q``)
    narrowed by the facet filters, the facts those documents report, and facet counts.

    ``type_`` is an event type (SANCTION: documents reporting one, and facts of that type) or an entity type
    (ORG: entities only). ``country`` is a country's name, ``year`` YYYY, ``outlet`` a source as stored.
    ``marks`` open and close each match in the documents' snippets."""
    from sqlalchemy import func, select

    q = (q or "").strip() or None
    kind = type_.upper() if type_ else None
    if year is not None and not _YEAR.fullmatch(year):
        raise QueryError(f"year {year!r} is not a year: use YYYY")
    entity_type = kind if kind in _entity_types() else None
    event_type = kind if kind and not entity_type else None
    n = _limit(limit)
    out: dict[str, Any] = {
        "query": q,
        "filters": {"type": kind, "country": country, "year": year, "outlet": outlet},
        "entities": [],
        "documents": {"total": 0, "items": []},
        "facts": [],
        "facets": {"type": [], "country": [], "year": [], "outlet": []},
        "pool": POOL,
        "pool_full": False,
    }
    if q:
        out["entities"] = _entities(store, type_=entity_type, search=q, limit=n)
        out["facets"]["type"] = _count_entity_types(store, q)
    if entity_type:  # an entity type narrows the answer to entities
        return out
    with store.engine.connect() as conn:
        pool = _ranked(conn, store.dialect, q)
        out["pool_full"] = len(pool) >= POOL
        d = t.documents
        narrowed = pool
        if outlet or year:
            keep: set[str] = set()
            for batch in chunks(pool):
                stmt = select(d.c.id).where(d.c.id.in_(batch))
                if outlet:
                    stmt = stmt.where(d.c.source == outlet)
                if year:
                    stmt = stmt.where(func.substr(d.c.published, 1, 4) == year)
                keep.update(conn.execute(stmt).scalars())
            narrowed = [i for i in narrowed if i in keep]
        if country:
            having = set(_docs_mentioning(conn, narrowed, country))
            narrowed = [i for i in narrowed if i in having]
        if event_type:
            reporting: set[str] = set()
            for batch in chunks(narrowed):
                stmt = select(t.events.c.doc_id).where(t.events.c.doc_id.in_(batch), t.events.c.type == event_type)
                reporting.update(conn.execute(stmt).scalars())
            narrowed = [i for i in narrowed if i in reporting]
        out["documents"] = {
            "total": len(narrowed),
            "items": _document_rows(conn, store.dialect, narrowed[:n], q, marks),
        }
        out["facts"] = _named(conn, _facts_by_ids(conn, _fact_ids(conn, narrowed, event_type, n)), evidence=False)
        facets = out["facets"]
        facets["type"] = facets["type"] + _facet(conn, narrowed, "type")
        facets["country"] = _facet(conn, narrowed, "country")
        facets["year"] = _facet(conn, narrowed, "year")
        facets["outlet"] = _facet(conn, narrowed, "outlet")
    return out


def _ranked(conn: Any, dialect: str, q: str | None) -> list[str]:
    """Ids of the best POOL documents for ``q`` (the latest without one)."""
    from sqlalchemy import func, literal_column, select, text

    from dossier.query import _fts_query

    d = t.documents
    if not q:
        stmt = select(d.c.id).order_by(d.c.published.desc(), d.c.id).limit(POOL)
        return [str(i) for i in conn.execute(stmt).scalars()]
    if dialect == "sqlite":
        rows = conn.execute(
            text(
                "SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                "WHERE documents_fts MATCH :q ORDER BY bm25(documents_fts, 4.0, 1.0) LIMIT :n"
            ),
            {"q": _fts_query(q), "n": POOL},
        ).scalars()
        return [str(i) for i in rows]
    _fts_query(q)  # the same check for a query with no words
    query = func.websearch_to_tsquery("english", q)
    search_col: Any = literal_column("search")
    stmt = select(d.c.id).where(search_col.op("@@")(query)).order_by(func.ts_rank(search_col, query).desc())
    return [str(i) for i in conn.execute(stmt.limit(POOL)).scalars()]


def _document_rows(
    conn: Any, dialect: str, ids: list[str], q: str | None, marks: tuple[str, str]
) -> list[dict[str, Any]]:
    """The listed documents' metadata, in ``ids`` order, with a snippet of the match when there is a query."""
    from sqlalchemy import func, select, text

    from dossier.query import _fts_query

    if not ids:
        return []
    d = t.documents
    cols = [d.c.id, d.c.published, d.c.source, d.c.title, d.c.url, d.c.words, d.c.language]
    rows = {r.id: dict(r._mapping) for r in conn.execute(select(*cols).where(d.c.id.in_(ids)))}
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
        query = func.websearch_to_tsquery("english", q)
        options = f'StartSel="{marks[0]}", StopSel="{marks[1]}"'
        headline = func.ts_headline("english", d.c.text, query, options)
        found = conn.execute(select(d.c.id, headline).where(d.c.id.in_(ids)))
        snippets = {r[0]: r[1] for r in found}
    out = []
    for doc_id in ids:
        row = rows[doc_id]
        row["snippet"] = " ".join(str(snippets.get(doc_id, "")).split()) or None
        out.append(row)
    return out


def _docs_mentioning(conn: Any, ids: list[str], country: str) -> list[str]:
    from sqlalchemy import select

    de, u, c = t.doc_entities, t.units, t.canonical
    found: list[str] = []
    for batch in chunks(ids):
        stmt = (
            select(de.c.doc_id)
            .distinct()
            .join(u, u.c.id == de.c.unit_id)
            .join(c, c.c.id == u.c.canonical_id)
            .where(de.c.doc_id.in_(batch), c.c.type == "GPE", c.c.name == country)
        )
        found.extend(conn.execute(stmt).scalars())
    return found


def _fact_ids(conn: Any, ids: list[str], event_type: str | None, n: int) -> list[str]:
    """The facts the documents report, best corroborated first."""
    from sqlalchemy import select

    en, f = t.event_nodes, t.facts
    found: set[str] = set()
    for batch in chunks(ids):
        stmt = select(en.c.fact_id).distinct().where(en.c.doc_id.in_(batch), en.c.fact_id.is_not(None))
        if event_type:
            stmt = stmt.where(en.c.type == event_type)
        found.update(conn.execute(stmt).scalars())
    ranked: list[tuple[int, str, str]] = []
    for batch in chunks(sorted(found)):
        stmt = select(f.c.id, f.c.corroboration, f.c.last_reported).where(f.c.id.in_(batch))
        ranked.extend((-r.corroboration, _neg(r.last_reported), r.id) for r in conn.execute(stmt))
    ranked.sort()
    return [fid for _, _, fid in ranked[:n]]


def _neg(day: str | None) -> str:
    """A sort key putting later ISO dates first."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in (day or ""))


def _facet(conn: Any, ids: list[str], name: str) -> list[dict[str, Any]]:
    """Value counts of one facet over the documents ``ids`` (each document counted once per value)."""
    from sqlalchemy import func, select

    d, de, u, c = t.documents, t.doc_entities, t.units, t.canonical
    counts: Counter[str] = Counter()
    for batch in chunks(ids):
        if name == "outlet":
            stmt: Any = select(d.c.source, func.count()).where(d.c.id.in_(batch), d.c.source.is_not(None))
            stmt = stmt.group_by(d.c.source)
        elif name == "year":
            year = func.substr(d.c.published, 1, 4)
            stmt = select(year, func.count()).where(d.c.id.in_(batch), d.c.published.is_not(None)).group_by(year)
        elif name == "type":
            ev = t.events
            stmt = select(ev.c.type, func.count(func.distinct(ev.c.doc_id))).where(ev.c.doc_id.in_(batch))
            stmt = stmt.group_by(ev.c.type)
        else:  # country
            stmt = (
                select(c.c.name, func.count(func.distinct(de.c.doc_id)))
                .join(u, u.c.id == de.c.unit_id)
                .join(c, c.c.id == u.c.canonical_id)
                .where(de.c.doc_id.in_(batch), c.c.type == "GPE", c.c.name.in_(sorted(countries())))
                .group_by(c.c.name)
            )
        for value, count in conn.execute(stmt):
            if value:
                counts[str(value)] += int(count)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_VALUES]
    if name == "year":
        ranked.sort(key=lambda kv: kv[0], reverse=True)
    return [{"value": value, "count": count} for value, count in ranked]


def _count_entity_types(store: Store, q: str) -> list[dict[str, Any]]:
    """Entity types among the entities named like ``q`` (at most POOL of them)."""
    rows = _entities(store, search=q, limit=POOL)
    counts = Counter(r["type"] for r in rows)
    return [{"value": k, "count": v, "kind": "entity"} for k, v in sorted(counts.items(), key=lambda kv: -kv[1])]


def document_links(store: Store, doc_id: str) -> dict[str, Any]:
    """What a document's local ids stand for across the store: each entity's resolved entity (id, name) and
    each event's fact."""
    from sqlalchemy import select

    from dossier.query import _resolve_doc_id

    de, u, c, en = t.doc_entities, t.units, t.canonical, t.event_nodes
    with store.engine.connect() as conn:
        full = _resolve_doc_id(conn, doc_id)
        ents = conn.execute(
            select(de.c.local_id, c.c.id, c.c.name)
            .join(u, u.c.id == de.c.unit_id)
            .join(c, c.c.id == u.c.canonical_id)
            .where(de.c.doc_id == full)
        )
        entities = {r.local_id: {"id": r.id, "name": r.name} for r in ents}
        events = {
            r.event_id: r.fact_id
            for r in conn.execute(select(en.c.event_id, en.c.fact_id).where(en.c.doc_id == full))
            if r.fact_id
        }
    return {"doc_id": full, "entities": entities, "events": events}
