"""Cross-document entity resolution: block → score → judge → cluster.

Every entity a document names is assigned a *unit*: its name (the `entities` row) and, for a person
described with an organisation ("Kadri Ilves, chief executive of Baltic Silicon"), that sense of the name.
Units sharing a blocking key are scored pairwise (score.py) and the verdicts stored as judgement rows,
machine and human, each with the algorithm that made it. Canonical entities are the connected components
of positive judgements, merged strongest first and never across a negative judgement (two people with one
name stay apart once anything says so). A human judgement overrides the machine's on the same pair and
survives every re-run.

Incremental by construction: a judgement is a function of its two units only, so new documents re-score
just the pairs of the units they touched, and re-cluster just the components those pairs reach. The
result equals a rebuild from scratch (tests/knowledge/test_knowledge.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dossier.errors import QueryError
from dossier.resolve.names import core, keys
from dossier.resolve.score import ALGORITHM, NEGATIVE, POSITIVE, Unit, judge
from dossier.store import chunks, first_of_each, normalise_name
from dossier.store import schema as t

__all__ = ["ResolveReport", "merge", "resolve", "split"]

SAMPLE = 50  # doc-entities per unit that scoring reads (the first by document id: deterministic)
COMPANY_DOCS = 20  # documents per unit whose other entities are its company


@dataclass(slots=True)
class ResolveReport:
    doc_entities: int = 0
    units: int = 0
    pairs: int = 0
    judgements: int = 0
    changed: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # unit -> (old, new) canonical


def unit_id(entity_id: str, sense: str) -> str:
    if not sense:
        return entity_id
    return "unt_" + hashlib.sha1(f"{entity_id}|{sense}".encode()).hexdigest()[:16]


def _sense(descriptions: list[str], orgs: list[tuple[str, list[str]]]) -> str:
    """The organisations a person's descriptions name (from the same document's entities), as one key."""
    if not descriptions:
        return ""
    text = " " + " ".join(descriptions) + " "
    found = set()
    for name, aliases in orgs:
        for form in [name, *aliases]:
            if len(form) > 1 and re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
                found.add(core(name))
                break
    return "|".join(sorted(f for f in found if f))


# -- 1. units --------------------------------------------------------------------------------------------


def _index_quotes(conn: Any, doc_ids: list[str]) -> None:
    """Rewrite the quote_refs of these documents from their quotes, mentions and (now assigned) units."""
    from sqlalchemy import and_, delete, literal, select

    q, de, m, d, qr = t.quotes, t.doc_entities, t.mentions, t.documents, t.quote_refs
    cols = ["doc_id", "quote_id", "local_id", "kind", "unit_id", "published"]
    for batch in chunks(doc_ids):
        conn.execute(delete(qr).where(qr.c.doc_id.in_(batch)))
        by = (
            select(q.c.doc_id, q.c.local_id, de.c.local_id, literal("by"), de.c.unit_id, d.c.published)
            .join(de, and_(de.c.doc_id == q.c.doc_id, de.c.local_id == q.c.speaker_local_id))
            .join(d, d.c.id == q.c.doc_id)
            .where(q.c.doc_id.in_(batch), de.c.unit_id.is_not(None))
        )
        about = (
            select(q.c.doc_id, q.c.local_id, de.c.local_id, literal("about"), de.c.unit_id, d.c.published)
            .join(m, and_(m.c.doc_id == q.c.doc_id, m.c.start >= q.c.start, m.c.end <= q.c.end))
            .join(de, and_(de.c.doc_id == m.c.doc_id, de.c.local_id == m.c.local_id))
            .join(d, d.c.id == q.c.doc_id)
            .where(q.c.doc_id.in_(batch), de.c.unit_id.is_not(None))
            .distinct()
        )
        conn.execute(qr.insert().from_select(cols, by))
        conn.execute(qr.insert().from_select(cols, about))


def _assign_units(conn: Any, doc_ids: list[str] | None, report: ResolveReport) -> set[str]:
    from sqlalchemy import and_, select, update

    de = t.doc_entities
    stmt = select(de.c.doc_id, de.c.local_id, de.c.entity_id, de.c.type, de.c.descriptions).where(
        de.c.unit_id.is_(None)
    )
    pending: list[Any] = []
    if doc_ids is None:
        pending = list(conn.execute(stmt))
    else:
        for batch in chunks(doc_ids):
            pending.extend(conn.execute(stmt.where(de.c.doc_id.in_(batch))))
    if not pending:
        return set()
    people_docs = sorted({r.doc_id for r in pending if r.type == "PERSON"})
    orgs: dict[str, list[tuple[str, list[str]]]] = {}
    for batch in chunks(people_docs):
        for r in conn.execute(
            select(de.c.doc_id, de.c.name, de.c.aliases).where(de.c.doc_id.in_(batch), de.c.type == "ORG")
        ):
            orgs.setdefault(r.doc_id, []).append((r.name, json.loads(r.aliases or "[]")))
    assigned: list[dict[str, Any]] = []
    senses: dict[str, tuple[str, str]] = {}
    for r in pending:
        sense = ""
        if r.type == "PERSON":
            sense = _sense(json.loads(r.descriptions or "[]"), orgs.get(r.doc_id, []))
        uid = unit_id(r.entity_id, sense)
        senses[uid] = (r.entity_id, sense)
        assigned.append({"d": r.doc_id, "l": r.local_id, "u": uid})
    from sqlalchemy import bindparam

    conn.execute(
        update(de)
        .where(and_(de.c.doc_id == bindparam("d"), de.c.local_id == bindparam("l")))
        .values(unit_id=bindparam("u")),
        assigned,
    )
    _index_quotes(conn, sorted({r.doc_id for r in pending}))
    known: set[str] = set()
    for batch in chunks(sorted(senses)):
        known |= set(conn.execute(select(t.units.c.id).where(t.units.c.id.in_(batch))).scalars())
    fresh = sorted(set(senses) - known)
    if fresh:
        ents = {}
        for batch in chunks(sorted({senses[u][0] for u in fresh})):
            for r in conn.execute(select(t.entities).where(t.entities.c.id.in_(batch))):
                ents[r.id] = r
        conn.execute(
            t.units.insert(),
            [
                {"id": u, "entity_id": senses[u][0], "sense": senses[u][1], "name": ents[senses[u][0]].name,
                 "type": ents[senses[u][0]].type, "wikidata": ents[senses[u][0]].wikidata, "canonical_id": u}
                for u in fresh
            ],
        )  # fmt: skip
    report.doc_entities += len(pending)
    report.units += len(fresh)
    return set(senses)


# -- 2. features and keys ------------------------------------------------------------------------------------


def load_units(conn: Any, ids: Iterable[str], *, company: bool = True) -> dict[str, Unit]:
    """Scoring features of units: names and descriptions from their first doc-entities, company (unless
    ``company`` is false) from their first documents."""
    from sqlalchemy import select

    de = t.doc_entities
    out: dict[str, Unit] = {}
    for batch in chunks(sorted(set(ids))):
        for r in conn.execute(select(t.units).where(t.units.c.id.in_(batch))):
            out[r.id] = Unit(
                id=r.id, entity=r.entity_id, type=r.type, name=r.name, wikidata=r.wikidata,
                affiliations=[a for a in r.sense.split("|") if a],
            )  # fmt: skip
        first_docs: dict[str, list[str]] = {}
        for r in _first_rows(conn, batch):
            unit = out[r.unit_id]
            first_docs.setdefault(r.unit_id, []).append(r.doc_id)
            if r.name not in unit.names:
                unit.names.append(r.name)
            for form in [r.name, *json.loads(r.aliases or "[]")]:
                if form not in unit.forms:
                    unit.forms.append(form)
            for d in json.loads(r.descriptions or "[]"):
                if d not in unit.descriptions and len(unit.descriptions) < 20:
                    unit.descriptions.append(d)
        if not company:
            continue
        docs = {u: set(ds[:COMPANY_DOCS]) for u, ds in first_docs.items()}
        present: dict[str, set[str]] = {}
        for doc_batch in chunks(sorted(set().union(*docs.values()))):
            for d, e in conn.execute(select(de.c.doc_id, de.c.entity_id).where(de.c.doc_id.in_(doc_batch))):
                present.setdefault(d, set()).add(e)
        for u, ds in docs.items():
            for d in ds:
                out[u].company |= present.get(d, set())
    for unit in out.values():
        unit.company.discard(unit.entity)
    return out


def _first_rows(conn: Any, units: list[str]) -> list[Any]:
    """Each unit's first SAMPLE doc-entities by document id (doc_entities is indexed on unit and document)."""
    from sqlalchemy import select

    de = t.doc_entities
    rows = first_of_each(
        conn,
        units,
        lambda u: (
            select(de.c.unit_id, de.c.doc_id, de.c.local_id, de.c.name, de.c.aliases, de.c.descriptions)
            .where(de.c.unit_id == u)
            .order_by(de.c.doc_id, de.c.local_id)
            .limit(SAMPLE)
        ),
    )
    rows.sort(key=lambda r: (r.unit_id, r.doc_id, r.local_id))
    return rows


def _update_keys(conn: Any, units: dict[str, Unit]) -> dict[str, set[str]]:
    from sqlalchemy import delete

    probes: dict[str, set[str]] = {}
    rows: list[dict[str, str]] = []
    for batch in chunks(sorted(units)):
        conn.execute(delete(t.unit_keys).where(t.unit_keys.c.unit_id.in_(batch)))
    for uid, unit in sorted(units.items()):
        held, probe = keys([unit.name, *unit.forms], unit.type)
        probes[uid] = probe
        rows.extend({"key": k, "unit_id": uid} for k in sorted(held))
    for batch in chunks(rows, 2000):
        conn.execute(t.unit_keys.insert(), batch)
    return probes


# -- 3. scoring --------------------------------------------------------------------------------------------


def _fingerprint(unit: Unit) -> str:
    data = [unit.type, unit.name, unit.wikidata, unit.forms, unit.names, unit.descriptions, unit.affiliations,
            sorted(unit.company)]  # fmt: skip
    return hashlib.sha1(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def _changed(conn: Any, units: dict[str, Unit]) -> list[str]:
    """The units whose features differ from the fingerprint stored with them (which is updated).

    A judgement is a function of its two units' features: a unit whose features did not change keeps its
    judgements (a new mention of China rarely enters its sample), and keys are symmetric, so its pairs with
    changed units are found from their side."""
    from sqlalchemy import bindparam, select, update

    stored: dict[str, str | None] = {}
    for batch in chunks(sorted(units)):
        stmt = select(t.units.c.id, t.units.c.features).where(t.units.c.id.in_(batch))
        stored.update((r.id, r.features) for r in conn.execute(stmt))
    prints = {u: _fingerprint(unit) for u, unit in units.items()}
    changed = sorted(u for u in units if stored.get(u) != prints[u])
    if changed:
        conn.execute(
            update(t.units).where(t.units.c.id == bindparam("i")).values(features=bindparam("f")),
            [{"i": u, "f": prints[u]} for u in changed],
        )
    return changed


def _rescore(conn: Any, touched: set[str], report: ResolveReport) -> dict[str, Unit]:
    """Re-key and re-score the touched units whose features changed against every unit they share a key
    with; returns the units it read."""
    from sqlalchemy import delete, or_, select

    units = load_units(conn, touched)
    changed = _changed(conn, units)
    probes = _update_keys(conn, {u: units[u] for u in changed})
    by_key: dict[str, set[str]] = {}
    all_probes = sorted({k for p in probes.values() for k in p})
    for batch in chunks(all_probes):
        for r in conn.execute(select(t.unit_keys.c.key, t.unit_keys.c.unit_id).where(t.unit_keys.c.key.in_(batch))):
            by_key.setdefault(r.key, set()).add(r.unit_id)
    pairs: set[tuple[str, str]] = set()
    for uid, probe in probes.items():
        for key in probe:
            for other in by_key.get(key, ()):
                if other != uid:
                    pairs.add((min(uid, other), max(uid, other)))
    missing = {u for p in pairs for u in p} - set(units)
    units.update(load_units(conn, missing))
    for batch in chunks(changed):
        conn.execute(
            delete(t.judgements).where(
                t.judgements.c.source == "machine",
                or_(t.judgements.c.left_id.in_(batch), t.judgements.c.right_id.in_(batch)),
            )
        )
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for left, right in sorted(pairs):
        score = judge(units[left], units[right])
        if score is None or NEGATIVE < score < POSITIVE:
            continue
        rows.append(
            {"left_id": left, "right_id": right, "source": "machine",
             "judgement": "positive" if score >= POSITIVE else "negative", "score": score,
             "algorithm": ALGORITHM, "author": None, "created_at": now}
        )  # fmt: skip
    for batch in chunks(rows, 2000):
        conn.execute(t.judgements.insert(), batch)
    report.pairs += len(pairs)
    report.judgements += len(rows)
    return units


# -- 4. clustering -------------------------------------------------------------------------------------------


def _effective(conn: Any, ids: Iterable[str]) -> dict[tuple[str, str], tuple[str, float]]:
    """The judgement that counts for each pair touching ``ids``: a human's over the machine's."""
    from sqlalchemy import or_, select

    j = t.judgements
    found: dict[tuple[str, str], tuple[str, float, str]] = {}
    for batch in chunks(sorted(set(ids))):
        stmt = select(j.c.left_id, j.c.right_id, j.c.source, j.c.judgement, j.c.score).where(
            or_(j.c.left_id.in_(batch), j.c.right_id.in_(batch))
        )
        for r in conn.execute(stmt):
            pair = (r.left_id, r.right_id)
            if pair in found and found[pair][2] == "human":
                continue
            score = 2.0 if r.source == "human" else float(r.score or 0.0)
            found[pair] = (r.judgement, score, r.source)
    return {p: (v[0], v[1]) for p, v in found.items()}


def _recluster(conn: Any, seeds: set[str], report: ResolveReport, known: dict[str, Unit] | None = None) -> None:
    """Re-form the canonical entities the seeds' positive judgements reach (``known``: units already read)."""
    from sqlalchemy import bindparam, delete, select, update

    u = t.units
    start = set(seeds)
    for batch in chunks(sorted(seeds)):
        old = select(u.c.canonical_id).where(u.c.id.in_(batch))
        start |= set(conn.execute(select(u.c.id).where(u.c.canonical_id.in_(old))).scalars())
    # The region: everything positive judgements reach from the seeds and their old components.
    region, frontier = set(start), set(start)
    edges: dict[tuple[str, str], tuple[str, float]] = {}
    while frontier:
        found = _effective(conn, frontier)
        edges.update(found)
        frontier = {x for (a, b), (verdict, _) in found.items() if verdict == "positive" for x in (a, b)} - region
        region |= frontier
    old_canon: dict[str, str] = {}
    wikidata: dict[str, str | None] = {}
    for batch in chunks(sorted(region)):
        for r in conn.execute(select(u.c.id, u.c.canonical_id, u.c.wikidata).where(u.c.id.in_(batch))):
            old_canon[r.id], wikidata[r.id] = r.canonical_id, r.wikidata
    members = _constrained_components(region, edges)
    new_canon: dict[str, str] = {}
    for group in members:
        with_kb = sorted(x for x in group if wikidata.get(x))
        head = with_kb[0] if with_kb else min(group)
        for x in group:
            new_canon[x] = head
    changed = [{"i": x, "c": c} for x, c in sorted(new_canon.items()) if old_canon.get(x) != c]
    if changed:
        conn.execute(update(u).where(u.c.id == bindparam("i")).values(canonical_id=bindparam("c")), changed)
    for row in changed:
        report.changed[row["i"]] = (old_canon.get(row["i"]), row["c"])
    for batch in chunks(sorted(set(old_canon.values()) | set(new_canon.values()))):
        conn.execute(delete(t.canonical).where(t.canonical.c.id.in_(batch)))
    units = {x: known[x] for x in region if known and x in known}
    units.update(load_units(conn, region - set(units), company=False))
    _write_canonical(conn, members, new_canon, units)


def _constrained_components(region: set[str], edges: dict[tuple[str, str], tuple[str, float]]) -> list[list[str]]:
    """Union along positive judgements, strongest first, refusing any union that would join two units a
    negative judgement keeps apart."""
    parent = {x: x for x in region}
    group: dict[str, set[str]] = {x: {x} for x in region}
    apart: dict[str, set[str]] = {x: set() for x in region}
    for (a, b), (verdict, _) in edges.items():
        if verdict == "negative" and a in region and b in region:
            apart[a].add(b)
            apart[b].add(a)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    positives = sorted(
        (
            (score, a, b)
            for (a, b), (verdict, score) in edges.items()
            if verdict == "positive" and a in region and b in region
        ),
        key=lambda e: (-e[0], e[1], e[2]),
    )
    for _, a, b in positives:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if apart[ra] & group[rb]:
            continue
        if len(group[ra]) < len(group[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        group[ra] |= group.pop(rb)
        apart[ra] |= apart.pop(rb)
    return [sorted(g) for _, g in sorted(group.items())]


def _write_canonical(conn: Any, members: list[list[str]], canon: dict[str, str], units: dict[str, Unit]) -> None:
    """Canonical rows: the most used name, aliases and descriptions from the units' samples, counts of all."""
    from sqlalchemy import func, select

    if not members:
        return
    de = t.doc_entities
    counts: dict[str, tuple[int, int]] = {}
    names: dict[str, Counter[str]] = {}
    for batch in chunks(sorted(units)):
        stmt = (
            select(de.c.unit_id, func.count(func.distinct(de.c.doc_id)), func.sum(de.c.mention_count))
            .where(de.c.unit_id.in_(batch))
            .group_by(de.c.unit_id)
        )
        for uid, docs, mentions in conn.execute(stmt):
            counts[uid] = (int(docs), int(mentions or 0))
        stmt2 = (
            select(de.c.unit_id, de.c.name, func.count())
            .where(de.c.unit_id.in_(batch))
            .group_by(de.c.unit_id, de.c.name)
        )
        for uid, name, n in conn.execute(stmt2):
            names.setdefault(uid, Counter())[name] += int(n)
    rows = []
    for group in members:
        head = canon[group[0]]
        used: Counter[str] = Counter()
        aliases: list[str] = []
        descriptions: list[str] = []
        wikidata = None
        for x in group:
            used.update(names.get(x, Counter()))
            unit = units[x]
            wikidata = wikidata or unit.wikidata
            for form in [unit.name, *unit.forms]:
                if form not in aliases:
                    aliases.append(form)
            descriptions.extend(d for d in unit.descriptions if d not in descriptions)
        name = min(used, key=lambda n: (-used[n], -len(n), n)) if used else units[group[0]].name
        documents = sum(counts.get(x, (0, 0))[0] for x in group)
        mentions = sum(counts.get(x, (0, 0))[1] for x in group)
        type_ = Counter(units[x].type for x in group).most_common(1)[0][0]
        rows.append(
            {"id": head, "name": name, "norm": normalise_name(name), "type": type_, "wikidata": wikidata,
             "aliases": json.dumps(sorted(a for a in aliases if a != name)[:100], ensure_ascii=False),
             "descriptions": json.dumps(descriptions[:20], ensure_ascii=False),
             "documents": documents, "mentions": mentions}
        )  # fmt: skip
    for batch in chunks(rows, 1000):
        conn.execute(t.canonical.insert(), batch)


# -- the public API -------------------------------------------------------------------------------------------


def resolve(conn: Any, *, doc_ids: list[str] | None = None) -> ResolveReport:
    """Resolve the entities of documents not yet resolved (of ``doc_ids``, or all), inside ``conn``'s
    transaction."""
    report = ResolveReport()
    touched = _assign_units(conn, doc_ids, report)
    if not touched:
        return report
    _recluster(conn, touched, report, _rescore(conn, touched, report))
    return report


def units_named(conn: Any, name: str) -> list[str]:
    """Units an entity id (canonical or unit) names, or whose name or canonical entity's name normalises to
    ``name``'s."""
    from sqlalchemy import or_, select

    if name.startswith(("ent_", "unt_")):
        ids = conn.execute(
            select(t.units.c.id).where(or_(t.units.c.canonical_id == name, t.units.c.id == name))
        ).scalars()
        found = sorted(set(ids))
        if found:
            return found
    norm = normalise_name(name)
    if not norm:
        raise QueryError(f"entity name {name!r} has no letters or digits")
    ids = set(
        conn.execute(
            select(t.units.c.id)
            .join(t.entities, t.entities.c.id == t.units.c.entity_id)
            .where(t.entities.c.norm == norm)
        ).scalars()
    )
    canon = set(conn.execute(select(t.canonical.c.id).where(t.canonical.c.norm == norm)).scalars())
    if canon:
        ids |= set(conn.execute(select(t.units.c.id).where(t.units.c.canonical_id.in_(sorted(canon)))).scalars())
    if not ids:
        raise QueryError(f"no entity named {name!r} (try: dossier entities --search {name.split()[0]!r})")
    return sorted(ids)


def _human(conn: Any, pairs: Iterable[tuple[str, str]], verdict: str, author: str | None) -> int:
    from sqlalchemy import delete

    now = datetime.now(UTC)
    rows = []
    for a, b in sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b}):
        conn.execute(
            delete(t.judgements).where(
                t.judgements.c.left_id == a, t.judgements.c.right_id == b, t.judgements.c.source == "human"
            )
        )
        rows.append(
            {"left_id": a, "right_id": b, "source": "human", "judgement": verdict, "score": None,
             "algorithm": "human", "author": author, "created_at": now}
        )  # fmt: skip
    if rows:
        conn.execute(t.judgements.insert(), rows)
    return len(rows)


def merge(conn: Any, a: str, b: str, *, author: str | None = None) -> ResolveReport:
    """A human says ``a`` and ``b`` are one entity: a positive judgement between every unit of each."""
    from sqlalchemy import select

    left, right = units_named(conn, a), units_named(conn, b)
    canon = set(conn.execute(select(t.units.c.canonical_id).where(t.units.c.id.in_(left + right))).scalars())
    if len(canon) == 1 and set(left) & set(right):
        raise QueryError(f"{a!r} and {b!r} are already one entity")
    report = ResolveReport()
    report.judgements = _human(conn, [(x, y) for x in left for y in right], "positive", author)
    _recluster(conn, set(left) | set(right), report)
    return report


def split(conn: Any, entity: str, part: str, *, author: str | None = None) -> ResolveReport:
    """A human says the units named ``part`` are not the entity ``entity``: negative judgements between them
    and every other unit of that entity, so no machine judgement joins them again."""
    from sqlalchemy import select

    whole = set(units_named(conn, entity))
    canon = set(conn.execute(select(t.units.c.canonical_id).where(t.units.c.id.in_(sorted(whole)))).scalars())
    members = set(conn.execute(select(t.units.c.id).where(t.units.c.canonical_id.in_(sorted(canon)))).scalars())
    detach = set(units_named(conn, part)) & members
    if not detach:
        raise QueryError(f"no part of {entity!r} is named {part!r} (see: dossier show {entity!r})")
    rest = members - detach
    if not rest:
        raise QueryError(f"{part!r} is all of {entity!r}: name the part to split off")
    report = ResolveReport()
    report.judgements = _human(conn, [(x, y) for x in detach for y in rest], "negative", author)
    _recluster(conn, members, report)
    return report
