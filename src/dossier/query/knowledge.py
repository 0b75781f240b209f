"""Reading the knowledge: resolved entities, facts, an entity's dossier, timelines, graphs and paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dossier.errors import QueryError
from dossier.query.common import escape_like, iso
from dossier.query.common import limit as _limit
from dossier.store import Store, chunks, first_of_each, normalise_name
from dossier.store import schema as t

MAX_FACTS = 200  # facts one dossier reads (the best corroborated, then the latest)


def find(conn: Any, name: str) -> tuple[str, list[dict[str, Any]]]:
    """The canonical entity a name (or id) means, and other entities the name could also mean."""
    from sqlalchemy import select

    c = t.canonical
    if name.startswith(("ent_", "unt_")):
        found = conn.execute(select(c.c.id).where(c.c.id == name)).scalar()
        if found:
            return str(found), []
    norm = normalise_name(name)
    if not norm:
        raise QueryError(f"entity name {name!r} has no letters or digits")
    ids = set(conn.execute(select(c.c.id).where(c.c.norm == norm)).scalars())
    ids |= set(
        conn.execute(
            select(t.units.c.canonical_id)
            .join(t.entities, t.entities.c.id == t.units.c.entity_id)
            .where(t.entities.c.norm == norm)
        ).scalars()
    )
    if not ids:
        raise QueryError(f"no entity named {name!r} (try: dossier entities --search {name.split()[0]!r})")
    rows = [
        dict(r._mapping)
        for r in conn.execute(select(c.c.id, c.c.name, c.c.type, c.c.documents).where(c.c.id.in_(sorted(ids))))
    ]
    rows.sort(key=lambda r: (-r["documents"], r["name"], r["id"]))
    return rows[0]["id"], rows[1:]


def _entity(r: Any) -> dict[str, Any]:
    """A canonical row as the API gives it: lists decoded, the search key left out."""
    row = dict(r._mapping)
    row["aliases"] = json.loads(row["aliases"])
    row["descriptions"] = json.loads(row["descriptions"])
    row.pop("norm", None)
    return row


def _entity_rows(conn: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    from sqlalchemy import select

    out: dict[str, dict[str, Any]] = {}
    for batch in chunks(sorted(set(ids))):
        for r in conn.execute(select(t.canonical).where(t.canonical.c.id.in_(batch))):
            out[r.id] = _entity(r)
    return out


def _named(conn: Any, facts: list[dict[str, Any]], *, evidence: bool = True) -> list[dict[str, Any]]:
    """Facts with their participants' current names and types (and evidence trimmed off unless asked)."""
    ids = [p["entity"] for f in facts for p in f["participants"]]
    names = _entity_rows(conn, ids)
    for f in facts:
        for p in f["participants"]:
            ent = names.get(p["entity"])
            p["name"] = ent["name"] if ent else p["entity"]
            p["type"] = ent["type"] if ent else None
        if not evidence:
            f["outlets"] = sorted({e["outlet"] for e in f["evidence"] if e.get("outlet")})
            f.pop("evidence")
    return facts


def _facts_by_ids(conn: Any, ids: list[str]) -> list[dict[str, Any]]:
    from sqlalchemy import select

    out: dict[str, dict[str, Any]] = {}
    for batch in chunks(ids):
        for fid, data in conn.execute(select(t.facts.c.id, t.facts.c.data).where(t.facts.c.id.in_(batch))):
            out[fid] = json.loads(data)
    return [out[i] for i in ids if i in out]


def _listings_by_ids(conn: Any, ids: list[str]) -> list[dict[str, Any]]:
    """The facts' stored listings (knowledge.facts.listing: no evidence beyond the first), in ``ids`` order."""
    from sqlalchemy import select

    out: dict[str, dict[str, Any]] = {}
    for batch in chunks(ids):
        for fid, listing in conn.execute(select(t.facts.c.id, t.facts.c.listing).where(t.facts.c.id.in_(batch))):
            out[fid] = json.loads(listing)
    return [out[i] for i in ids if i in out]


# -- listings ---------------------------------------------------------------------------------------------------


def entities(
    store: Store, *, type_: str | None = None, search: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Resolved entities, most documented first (``offset``: how many to skip, for pages)."""
    from sqlalchemy import select

    c = t.canonical
    stmt = (
        select(c.c.id, c.c.name, c.c.type, c.c.wikidata, c.c.documents, c.c.mentions, c.c.aliases)
        .order_by(c.c.documents.desc(), c.c.mentions.desc(), c.c.name, c.c.id)
        .limit(_limit(limit))
        .offset(max(offset, 0))
    )
    if type_:
        stmt = stmt.where(c.c.type == type_.upper())
    if search:
        norm, raw = escape_like(normalise_name(search)), escape_like(search)
        stmt = stmt.where(c.c.norm.like(f"%{norm}%", escape="\\") | c.c.aliases.like(f"%{raw}%", escape="\\"))
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    for row in rows:
        row["aliases"] = json.loads(row["aliases"])
    return rows


def facts(
    store: Store,
    *,
    type_: str | None = None,
    status: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_corroboration: int = 0,
    contradicted: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Facts, latest reported first, with participants named (evidence left out: see `fact`)."""
    from sqlalchemy import func, select

    f = t.facts
    when = func.coalesce(f.c.date_start, f.c.first_reported)
    stmt = select(f.c.id).order_by(f.c.last_reported.desc(), f.c.id).limit(_limit(limit)).offset(max(offset, 0))
    if type_:
        stmt = stmt.where(f.c.type == type_.upper())
    if status:
        stmt = stmt.where(f.c.status == status.lower())
    if min_corroboration:
        stmt = stmt.where(f.c.corroboration >= min_corroboration)
    if contradicted:
        stmt = stmt.where(f.c.contradictions > 0)
    if since:
        stmt = stmt.where(when >= iso(since, "--since"))
    if until:
        stmt = stmt.where(when <= iso(until, "--until") + "\uffff")
    with store.engine.connect() as conn:
        if entity:
            cid, _ = find(conn, entity)
            stmt = stmt.where(
                f.c.id.in_(select(t.fact_participants.c.fact_id).where(t.fact_participants.c.entity_id == cid))
            )
        ids = list(conn.execute(stmt).scalars())
        return _named(conn, _facts_by_ids(conn, ids), evidence=False)


def fact(store: Store, fact_id: str) -> dict[str, Any]:
    """One fact with its whole evidence list, status history and contradictions."""
    from sqlalchemy import select

    with store.engine.connect() as conn:
        ids = list(
            conn.execute(
                select(t.facts.c.id).where(t.facts.c.id.like(escape_like(fact_id) + "%", escape="\\")).limit(2)
            ).scalars()
        )
        if not ids:
            raise QueryError(f"no fact with id {fact_id!r} (list them: dossier facts)")
        if len(ids) > 1 and fact_id not in ids:
            raise QueryError(f"fact id {fact_id!r} is ambiguous: give more characters")
        return _named(conn, _facts_by_ids(conn, [fact_id if fact_id in ids else ids[0]]))[0]


# -- an entity's dossier ------------------------------------------------------------------------------------------


def _entity_fact_ids(conn: Any, cid: str, limit: int = MAX_FACTS) -> list[str]:
    from sqlalchemy import select

    f, fp = t.facts, t.fact_participants
    # IN, not a join and DISTINCT: PostgreSQL refuses DISTINCT ordered by columns it does not select
    stmt = (
        select(f.c.id)
        .where(f.c.id.in_(select(fp.c.fact_id).where(fp.c.entity_id == cid)))
        .order_by(f.c.corroboration.desc(), f.c.last_reported.desc(), f.c.id)
        .limit(limit)
    )
    return list(conn.execute(stmt).scalars())


def show(store: Store, name: str, *, facts_per_type: int = 10, quotes: int = 8) -> dict[str, Any]:
    """An entity's dossier: names, type, Wikidata id, descriptions, key facts by type with status and
    corroboration, quotes by and about it, open contradictions and its sources."""
    from sqlalchemy import func, select

    with store.engine.connect() as conn:
        cid, others = find(conn, name)
        entity = _entity_rows(conn, [cid])[cid]
        counts = {
            r[0]: r[1]
            for r in conn.execute(
                select(t.facts.c.type, func.count(func.distinct(t.facts.c.id)))
                .join(t.fact_participants, t.fact_participants.c.fact_id == t.facts.c.id)
                .where(t.fact_participants.c.entity_id == cid)
                .group_by(t.facts.c.type)
            )
        }
        found = _named(conn, _listings_by_ids(conn, _entity_fact_ids(conn, cid)))
        by_type: dict[str, list[dict[str, Any]]] = {}
        contradictions = []
        sources: dict[str, set[str]] = {}
        for f in found:
            for outlet, docs in f.pop("documents_by_outlet").items():
                sources.setdefault(outlet, set()).update(docs)
            if f["contradictions"]:
                contradictions.append(
                    {
                        "fact": f["id"],
                        "type": f["type"],
                        "participants": f["participants"],
                        "contradictions": f["contradictions"],
                    }
                )
            if len(by_type.setdefault(f["type"], [])) < facts_per_type:
                by_type[f["type"]].append(f)  # its first evidence and status changes: the whole is `fact`
        units = list(conn.execute(select(t.units.c.id).where(t.units.c.canonical_id == cid)).scalars())
        by, about = _quotes(conn, units, quotes)
    return {
        "entity": entity,
        "units": len(units),
        "also_named": others,
        "fact_counts": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        "facts": dict(sorted(by_type.items(), key=lambda kv: (-counts.get(kv[0], 0), kv[0]))),
        "quotes_by": by,
        "quotes_about": about,
        "contradictions": contradictions,
        "sources": sorted(
            ({"outlet": o, "documents": len(d)} for o, d in sources.items()),
            key=lambda s: (-s["documents"], s["outlet"]),
        ),
    }


def _latest_docs(conn: Any, units: list[str], kind: str, limit: int) -> list[str]:
    """The ``limit`` latest documents holding a quote by (about) any of the units, newest first: each unit's
    latest from the quote_refs index, then the best of those (each such document holds at least one quote, so
    the first ``limit`` quotes in (published desc, document) order lie in these documents)."""
    from sqlalchemy import select

    qr = t.quote_refs
    rows = first_of_each(
        conn,
        units,
        lambda u: (
            select(qr.c.published, qr.c.doc_id)
            .where(qr.c.unit_id == u, qr.c.kind == kind)
            .distinct()
            .order_by(qr.c.published.desc().nulls_last(), qr.c.doc_id)
            .limit(limit)
        ),
    )
    ordered = sorted({(p or "", d) for p, d in rows}, key=lambda r: r[1])
    ordered.sort(key=lambda r: r[0], reverse=True)  # newest first, stable: then by document id
    ordered.sort(key=lambda r: r[0] == "")  # documents without a date last (NULLS LAST below)
    return [d for _, d in ordered[:limit]]


def _quotes(conn: Any, units: list[str], limit: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Quotes by the units (one is the speaker) and about them (one is named inside), the latest documents'
    first, at most ``limit`` of each (quote_refs says which quotes are whose)."""
    from sqlalchemy import and_, select

    q, d, qr = t.quotes, t.documents, t.quote_refs
    cols = [q.c.doc_id, q.c.text, q.c.direct, q.c.speaker_text, q.c.cue, d.c.source, d.c.published, d.c.title]

    def read(kind: str, tie: Any) -> list[dict[str, Any]]:
        docs = _latest_docs(conn, units, kind, limit)
        if not docs:
            return []
        stmt = (
            select(*cols)
            .join(q, and_(q.c.doc_id == qr.c.doc_id, q.c.local_id == qr.c.quote_id))
            .join(d, d.c.id == qr.c.doc_id)
            .where(qr.c.unit_id.in_(units), qr.c.kind == kind, qr.c.doc_id.in_(docs))
            .order_by(d.c.published.desc().nulls_last(), q.c.doc_id, tie)
            .limit(limit)
        )
        if kind == "about":  # a quote about two of the units (the "US" and the "United States" of a text) once
            stmt = stmt.distinct()
        return [dict(r._mapping) for r in conn.execute(stmt)]

    if not units or limit <= 0:
        return [], []
    return read("by", q.c.start), read("about", q.c.text)


# -- timeline, graph, path --------------------------------------------------------------------------------------


def timeline(
    store: Store,
    name: str,
    *,
    by: str = "happened",
    since: str | None = None,
    until: str | None = None,
    limit: int = 200,
) -> dict[str, Any]:
    """An entity's facts on two time axes: when each happened and when it was reported (first and last), with
    each report's status in order."""
    if by not in ("happened", "reported"):
        raise QueryError(f"--by {by!r}: use happened or reported")
    since = iso(since, "--since") if since else None
    until = iso(until, "--until") if until else None
    from sqlalchemy import func, or_, select

    f, fp = t.facts, t.fact_participants
    key = (
        func.coalesce(f.c.date_start, f.c.first_reported, "")
        if by == "happened"
        else func.coalesce(f.c.first_reported, "")
    )
    # the order and the date window in SQL, so only the facts shown are read and decoded
    stmt = select(f.c.id).order_by(key == "", key, f.c.id).limit(_limit(limit))
    if since:
        stmt = stmt.where(or_(key == "", key >= since))
    if until:
        stmt = stmt.where(or_(key == "", func.substr(key, 1, len(until)) <= until))
    with store.engine.connect() as conn:
        cid, _ = find(conn, name)
        entity = _entity_rows(conn, [cid])[cid]
        ids = list(conn.execute(stmt.where(f.c.id.in_(select(fp.c.fact_id).where(fp.c.entity_id == cid)))).scalars())
        found = _named(conn, _facts_by_ids(conn, ids))
    rows = [
        {"fact": f["id"], "type": f["type"], "status": f["status"], "hedged": f["hedged"],
         "happened": f["date"], "reported": {"first": f["first_reported"], "last": f["last_reported"]},
         "corroboration": f["corroboration"], "participants": f["participants"], "amounts": f["amounts"],
         "history": [{k: h[k] for k in ("reported", "status", "outlet")} for h in f["status_history"]],
         "evidence": f["evidence"][0]["text"] if f["evidence"] else None}
        for f in found
    ]  # fmt: skip
    return {"entity": entity, "by": by, "facts": rows}


def _edges_of(conn: Any, ids: list[str], *, min_corroboration: int = 0) -> list[dict[str, Any]]:
    """Edges between the participants of every fact any of ``ids`` takes part in."""
    from sqlalchemy import select

    fp, f = t.fact_participants, t.facts
    fact_ids: set[str] = set()
    for batch in chunks(ids):
        stmt = select(fp.c.fact_id).where(fp.c.entity_id.in_(batch))
        if min_corroboration:
            stmt = stmt.join(f, f.c.id == fp.c.fact_id).where(f.c.corroboration >= min_corroboration)
        fact_ids |= set(conn.execute(stmt).scalars())
    parts: dict[str, list[tuple[str, str]]] = {}
    meta: dict[str, Any] = {}
    for batch in chunks(sorted(fact_ids)):
        for r in conn.execute(select(fp).where(fp.c.fact_id.in_(batch))):
            parts.setdefault(r.fact_id, []).append((r.role, r.entity_id))
        for r in conn.execute(
            select(f.c.id, f.c.type, f.c.status, f.c.corroboration, f.c.date_start, f.c.first_reported).where(
                f.c.id.in_(batch)
            )
        ):
            meta[r.id] = r
    edges = []
    for fid in sorted(parts):
        m = meta[fid]
        for src, dst in _pairs(parts[fid]):
            edges.append(
                {"source": src[1], "target": dst[1], "fact": fid, "type": m.type, "status": m.status,
                 "corroboration": m.corroboration, "source_role": src[0], "target_role": dst[0],
                 "date": m.date_start, "first_reported": m.first_reported}
            )  # fmt: skip
    return edges


def _pairs(parts: list[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Directed pairs within one fact: actor → the party it acts on; parties of a symmetric relation both
    ways once (sorted); context (place, product) hangs off each actor."""
    from dossier.knowledge.rules import rules

    context_roles, directed = rules().context, set(rules().directed)
    core = sorted(p for p in parts if p[0] not in context_roles)
    context = sorted(p for p in parts if p[0] in context_roles)
    out = []
    for i, a in enumerate(core):
        for b in core[i + 1 :]:
            if a[1] == b[1]:
                continue
            if (b[0], a[0]) in directed:
                out.append((b, a))
            else:
                out.append((a, b))
    for a in core or context[:1]:
        for c in context:
            if c[1] != a[1]:
                out.append((a, c))
    return out


def graph(store: Store, name: str, *, depth: int = 1, limit: int = 200, min_corroboration: int = 0) -> dict[str, Any]:
    """The neighbourhood of an entity: entities within ``depth`` facts of it and the facts joining them."""
    if depth < 0 or depth > 5:
        raise QueryError(f"--depth must be between 0 and 5 (got {depth})")
    limit = _limit(limit)
    with store.engine.connect() as conn:
        cid, _ = find(conn, name)
        level = {cid: 0}
        frontier = [cid]
        edges: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
        for d in range(1, depth + 1):
            found = _edges_of(conn, frontier, min_corroboration=min_corroboration)
            nxt = []
            for e in sorted(found, key=lambda e: (-e["corroboration"], e["fact"], e["source"], e["target"])):
                for x in (e["source"], e["target"]):
                    if x not in level and len(level) < limit:
                        level[x] = d
                        nxt.append(x)
                if e["source"] in level and e["target"] in level:
                    edges[(e["fact"], e["source"], e["target"], e["source_role"], e["target_role"])] = e
            frontier = nxt
            if not frontier:
                break
        nodes = _entity_rows(conn, list(level))
    out_nodes = [{**nodes[x], "depth": level[x]} for x in sorted(level, key=lambda x: (level[x], x)) if x in nodes]
    return {"center": cid, "depth": depth, "nodes": out_nodes, "edges": [edges[k] for k in sorted(edges)]}


def _walk_back(
    prev: dict[str, tuple[str, list[dict[str, Any]]] | None], node: str
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(node, the node it was reached from, the edges between) back to where the search started."""
    steps = []
    step = prev[node]
    while step is not None:
        steps.append((node, step[0], step[1]))
        node = step[0]
        step = prev[node]
    return steps


def path(store: Store, a: str, b: str, *, max_hops: int = 4) -> dict[str, Any]:
    """How two entities are connected: the shortest chain of facts between them, with the facts on each hop."""
    if max_hops < 1 or max_hops > 6:
        raise QueryError(f"--max-hops must be between 1 and 6 (got {max_hops})")
    with store.engine.connect() as conn:
        start, _ = find(conn, a)
        goal, _ = find(conn, b)
        if start == goal:
            raise QueryError(f"{a!r} and {b!r} are the same entity")
        # breadth-first from both ends, expanding the smaller side
        prev: dict[str, dict[str, tuple[str, list[dict[str, Any]]] | None]] = {"a": {start: None}, "b": {goal: None}}
        front = {"a": [start], "b": [goal]}
        meet = None
        hops = 0
        while front["a"] and front["b"] and meet is None and hops < max_hops:
            side = "a" if len(front["a"]) <= len(front["b"]) else "b"
            hops += 1
            nxt = []
            here_set = set(front[side])
            seen = prev[side]
            for e in _edges_of(conn, front[side]):
                for here, there in ((e["source"], e["target"]), (e["target"], e["source"])):
                    if here not in here_set:
                        continue
                    step = seen.get(there)
                    if there not in seen:
                        seen[there] = (here, [e])
                        nxt.append(there)
                    elif step is not None and step[0] == here and there in nxt:
                        step[1].append(e)
            front[side] = sorted(set(nxt))
            common = sorted(set(prev["a"]) & set(prev["b"]))
            if common:
                meet = common[0]
        if meet is None:
            return {"from": _entity_rows(conn, [start])[start], "to": _entity_rows(conn, [goal])[goal], "hops": []}
        chain_a = [(here, x, es) for x, here, es in reversed(_walk_back(prev["a"], meet))]
        chain_b = _walk_back(prev["b"], meet)
        chain = chain_a + chain_b
        ents = _entity_rows(conn, [start, goal, *[c[0] for c in chain], *[c[1] for c in chain]])
        fact_ids = sorted({e["fact"] for c in chain for e in c[2]})
        fs = {f["id"]: f for f in _named(conn, _facts_by_ids(conn, fact_ids), evidence=False)}
    hops_out = [
        {"from": {"id": s, "name": ents[s]["name"]}, "to": {"id": d, "name": ents[d]["name"]},
         "facts": [fs[f] for f in sorted({e["fact"] for e in es}) if f in fs]}
        for s, d, es in chain
    ]  # fmt: skip
    return {"from": ents[start], "to": ents[goal], "hops": hops_out}


# -- export ------------------------------------------------------------------------------------------------------------


def all_entities(store: Store) -> Iterator[dict[str, Any]]:
    from sqlalchemy import select

    with store.engine.connect() as conn:
        for r in conn.execution_options(yield_per=1000).execute(select(t.canonical).order_by(t.canonical.c.id)):
            yield _entity(r)


def all_facts(store: Store) -> Iterator[dict[str, Any]]:
    from sqlalchemy import select

    with store.engine.connect() as conn:
        names = {
            r.id: (r.name, r.type)
            for r in conn.execute(select(t.canonical.c.id, t.canonical.c.name, t.canonical.c.type))
        }
        for (data,) in conn.execution_options(yield_per=500).execute(select(t.facts.c.data).order_by(t.facts.c.id)):
            f = json.loads(data)
            for p in f["participants"]:
                p["name"], p["type"] = names.get(p["entity"], (p["entity"], None))
            yield f


def whole_graph(store: Store) -> dict[str, Any]:
    """Every entity that takes part in a fact, and every fact's edges."""
    from sqlalchemy import select

    with store.engine.connect() as conn:
        ids = sorted(set(conn.execute(select(t.fact_participants.c.entity_id)).scalars()))
        edges = _edges_of(conn, ids) if ids else []
        nodes = _entity_rows(conn, ids)
    return {"nodes": [{**nodes[x], "depth": 0} for x in ids if x in nodes], "edges": edges}
