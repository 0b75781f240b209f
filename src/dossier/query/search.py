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
from dossier.query import _document_rows, _ranked_ids, _resolve_doc_id
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
    from sqlalchemy import func

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
    if q:  # one reading of the entities named like q (at most POOL): the list and its type counts
        named = _entities(store, search=q, limit=POOL)
        out["entities"] = [e for e in named if not entity_type or e["type"] == entity_type][:n]
        counts = Counter(e["type"] for e in named)
        out["facets"]["type"] = [{"value": k, "count": v, "kind": "entity"} for k, v in counts.most_common()]
    if entity_type:  # an entity type narrows the answer to entities
        return out
    with store.engine.connect() as conn:
        pool = _ranked(conn, store.dialect, q)
        out["pool_full"] = len(pool) >= POOL
        d, de, c, ev = t.documents, t.doc_entities, t.canonical, t.events
        narrowed = pool
        if outlet:
            narrowed = _having(conn, narrowed, d.c.id, d.c.source == outlet)
        if year:
            narrowed = _having(conn, narrowed, d.c.id, func.substr(d.c.published, 1, 4) == year)
        if country:
            mentions = (c.c.type == "GPE", c.c.name == country)
            narrowed = _having(conn, narrowed, de.c.doc_id, *mentions, from_=_resolved())
        if event_type:
            narrowed = _having(conn, narrowed, ev.c.doc_id, ev.c.type == event_type)
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
    from sqlalchemy import select

    if q:
        return _ranked_ids(conn, dialect, q, POOL)
    d = t.documents
    return [str(i) for i in conn.execute(select(d.c.id).order_by(d.c.published.desc(), d.c.id).limit(POOL)).scalars()]


def _having(conn: Any, ids: list[str], column: Any, *conditions: Any, from_: Any = None) -> list[str]:
    """The documents of ``ids`` (in their order) with a row of ``column``'s table meeting ``conditions``."""
    from sqlalchemy import select

    keep: set[str] = set()
    for batch in chunks(ids):
        stmt = select(column).distinct().where(column.in_(batch), *conditions)
        keep.update(conn.execute(stmt if from_ is None else stmt.select_from(from_)).scalars())
    return [i for i in ids if i in keep]


def _resolved() -> Any:
    """A document's entities joined to the resolved entities they belong to."""
    de, u, c = t.doc_entities, t.units, t.canonical
    return de.join(u, u.c.id == de.c.unit_id).join(c, c.c.id == u.c.canonical_id)


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
    ranked: list[Any] = []
    for batch in chunks(sorted(found)):
        ranked.extend(conn.execute(select(f.c.id, f.c.corroboration, f.c.last_reported).where(f.c.id.in_(batch))))
    # best corroborated, then latest reported (undated first), then by id: stable sorts, last key first
    ranked.sort(key=lambda r: r.id)
    ranked.sort(key=lambda r: (r.last_reported is None, r.last_reported or ""), reverse=True)
    ranked.sort(key=lambda r: -r.corroboration)
    return [r.id for r in ranked[:n]]


def _facet(conn: Any, ids: list[str], name: str) -> list[dict[str, Any]]:
    """Value counts of one facet over the documents ``ids`` (each document counted once per value)."""
    from sqlalchemy import func, select

    d, de, c = t.documents, t.doc_entities, t.canonical
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
                .select_from(_resolved())
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


def document_links(store: Store, doc_id: str) -> dict[str, Any]:
    """What a document's local ids stand for across the store: each entity's resolved entity (id, name) and
    each event's fact."""
    from sqlalchemy import select

    de, c, en = t.doc_entities, t.canonical, t.event_nodes
    with store.engine.connect() as conn:
        full = _resolve_doc_id(conn, doc_id)
        ents = conn.execute(select(de.c.local_id, c.c.id, c.c.name).select_from(_resolved()).where(de.c.doc_id == full))
        entities = {r.local_id: {"id": r.id, "name": r.name} for r in ents}
        events = {
            r.event_id: r.fact_id
            for r in conn.execute(select(en.c.event_id, en.c.fact_id).where(en.c.doc_id == full))
            if r.fact_id
        }
    return {"doc_id": full, "entities": entities, "events": events}
