"""Knowledge across documents: resolved entities, copies of one text, facts merged from many reports.

`update(store)` brings everything up to date with the documents stored since the last update (ingest calls
it); `rebuild(store)` recomputes all of it from the stored analyses, keeping human judgements. Both run in
one transaction and give identical results (tests/knowledge/test_knowledge.py).

Steps of an update:
1. resolve/ assigns the new documents' entities to units, re-scores the pairs they touch and re-clusters
   the components those pairs reach (canonical entities);
2. copies: each new document's MinHash signature is banded into buckets; a document resembling another at
   0.5 or more joins its family (syndicated copies count as one source);
3. event nodes: each new event, and each old event whose participants' canonical entity changed, is
   rewritten with canonical participants, and linked to the events it shares a block with (facts.link);
4. facts: the components those links reach are re-formed and their facts rebuilt from the evidence.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from dossier.knowledge import facts as F
from dossier.knowledge.copies import THRESHOLD, Signature, own_text_of, signature
from dossier.resolve import ResolveReport, merge, resolve, split
from dossier.store import Store, chunks, normalise_name
from dossier.store import schema as t

__all__ = ["KnowledgeReport", "judge", "rebuild", "update"]


@dataclass(slots=True)
class KnowledgeReport:
    documents: int = 0
    resolve: ResolveReport = field(default_factory=ResolveReport)
    copies_joined: int = 0
    events: int = 0
    links: int = 0
    facts: int = 0

    def summary(self) -> str:
        if not self.documents:
            return (
                f"{self.resolve.judgements} judgements recorded, {len(self.resolve.changed)} names moved, "
                f"{self.events} events relinked into {self.facts} facts"
            )
        return (
            f"{self.documents} documents: {self.resolve.doc_entities} entity mentions resolved "
            f"({self.resolve.judgements} judgements), {self.copies_joined} copies found, "
            f"{self.events} events linked into {self.facts} facts"
        )


def update(store: Store, *, doc_ids: list[str] | None = None) -> KnowledgeReport:
    """Bring entities, copies and facts up to date with documents stored since the last update."""
    with store.engine.begin() as conn:
        return _update(conn, doc_ids)


def rebuild(store: Store) -> KnowledgeReport:
    """Recompute entities, copies and facts from the stored analyses (human judgements are kept)."""
    from sqlalchemy import delete, update

    with store.engine.begin() as conn:
        for table in (t.fact_participants, t.facts, t.event_links, t.event_keys, t.event_nodes, t.copy_bands,
                      t.copies, t.canonical, t.unit_keys, t.units):  # fmt: skip
            conn.execute(delete(table))
        conn.execute(delete(t.judgements).where(t.judgements.c.source == "machine"))
        conn.execute(update(t.doc_entities).values(unit_id=None))
        return _update(conn, None)


def judge(store: Store, kind: str, a: str, b: str, *, author: str | None = None) -> KnowledgeReport:
    """Record a human judgement (``merge`` a and b, or ``split`` part b off entity a) and carry it through to
    the facts, in one transaction."""
    with store.engine.begin() as conn:
        report = KnowledgeReport()
        report.resolve = (merge if kind == "merge" else split)(conn, a, b, author=author)
        events = _events_of(conn, [], set(report.resolve.changed))
        nodes = _write_nodes(conn, events)
        _refact(conn, set(nodes), report, _relink(conn, nodes, report))
        return report


def _update(conn: Any, doc_ids: list[str] | None) -> KnowledgeReport:
    from sqlalchemy import select

    report = KnowledgeReport()
    stmt = (
        select(t.documents.c.id)
        .outerjoin(t.copies, t.copies.c.doc_id == t.documents.c.id)
        .where(t.copies.c.doc_id.is_(None))
    )
    new_docs: list[str] = []
    if doc_ids is None:
        new_docs = sorted(conn.execute(stmt).scalars())
    else:
        for batch in chunks(sorted(set(doc_ids))):
            new_docs.extend(conn.execute(stmt.where(t.documents.c.id.in_(batch))).scalars())
    if not new_docs:
        return report
    report.documents = len(new_docs)
    report.resolve = resolve(conn, doc_ids=new_docs)
    family_changed = _copies(conn, new_docs, report)
    events = _events_of(conn, new_docs, set(report.resolve.changed))
    seeds = {F.node_key(d, e) for d, e in events}
    en = t.event_nodes
    for batch in chunks(sorted(family_changed)):
        rows = conn.execute(select(en.c.doc_id, en.c.event_id).where(en.c.doc_id.in_(batch)))
        seeds |= {F.node_key(d, e) for d, e in rows}
    nodes = _write_nodes(conn, events)
    _refact(conn, seeds, report, _relink(conn, nodes, report))
    return report


# -- 2. copies ----------------------------------------------------------------------------------------------


def _own_texts(conn: Any, doc_ids: list[str]) -> dict[str, str]:
    from sqlalchemy import select

    texts: dict[str, str] = {}
    for batch in chunks(doc_ids, 200):
        segments: dict[str, list[tuple[str, int, int]]] = {}
        stmt = (
            select(t.segments.c.doc_id, t.segments.c.kind, t.segments.c.start, t.segments.c.end)
            .where(t.segments.c.doc_id.in_(batch))
            .order_by(t.segments.c.doc_id, t.segments.c.idx)
        )
        for r in conn.execute(stmt):
            segments.setdefault(r.doc_id, []).append((r.kind, r.start, r.end))
        for r in conn.execute(select(t.documents.c.id, t.documents.c.text).where(t.documents.c.id.in_(batch))):
            texts[r.id] = own_text_of(r.text, segments.get(r.id, []))
    return texts


def _copies(conn: Any, new_docs: list[str], report: KnowledgeReport) -> set[str]:
    """Sign and band the new documents and join them to the families of documents they copy. Returns every
    document whose family changed."""
    from sqlalchemy import bindparam, select, tuple_, update

    texts = _own_texts(conn, new_docs)
    sigs = {d: signature(texts.get(d, "")) for d in new_docs}
    conn.execute(t.copies.insert(), [{"doc_id": d, "signature": sigs[d].to_bytes(), "family_id": d} for d in new_docs])
    bands = [{"band": b, "bucket": k, "doc_id": d} for d in new_docs for b, k in sigs[d].bands()]
    for batch in chunks(bands, 2000):
        conn.execute(t.copy_bands.insert(), batch)
    # candidate pairs: documents sharing a bucket with a new one
    wanted = sorted({(b["band"], b["bucket"]) for b in bands})
    shared: dict[tuple[int, str], list[str]] = {}
    for batch in chunks(wanted):
        stmt = select(t.copy_bands.c.band, t.copy_bands.c.bucket, t.copy_bands.c.doc_id).where(
            tuple_(t.copy_bands.c.band, t.copy_bands.c.bucket).in_(batch)
        )
        for r in conn.execute(stmt):
            shared.setdefault((r.band, r.bucket), []).append(r.doc_id)
    new = set(new_docs)
    pairs = {
        (min(a, b), max(a, b))
        for docs in shared.values()
        if len(docs) > 1
        for a in docs
        if a in new
        for b in docs
        if b != a
    }
    if not pairs:
        return set()
    others = sorted({x for p in pairs for x in p} - set(sigs))
    family: dict[str, str] = {d: d for d in new_docs}
    for batch in chunks(others):
        for r in conn.execute(select(t.copies).where(t.copies.c.doc_id.in_(batch))):
            sigs[r.doc_id] = Signature.from_bytes(r.signature)
            family[r.doc_id] = r.family_id
    linked = [(a, b) for a, b in sorted(pairs) if sigs[a].resemblance(sigs[b]) >= THRESHOLD]
    if not linked:
        return set()
    # merge families: every member of a joined family takes the smallest document id among them
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in linked:
        ra, rb = find(family[a]), find(family[b])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    old_families = sorted(parent)
    members: dict[str, list[str]] = {}
    for batch in chunks(old_families):
        for r in conn.execute(select(t.copies.c.doc_id, t.copies.c.family_id).where(t.copies.c.family_id.in_(batch))):
            members.setdefault(r.family_id, []).append(r.doc_id)
    changes = []
    changed: set[str] = set()
    groups: dict[str, list[str]] = {}
    for fam, docs in members.items():
        groups.setdefault(find(fam), []).extend(docs)
    for docs in groups.values():
        head = min(docs)
        for d in docs:
            changes.append({"d": d, "f": head})
            changed.add(d)
    conn.execute(update(t.copies).where(t.copies.c.doc_id == bindparam("d")).values(family_id=bindparam("f")), changes)
    report.copies_joined += len(linked)
    return changed


# -- 3. event nodes ----------------------------------------------------------------------------------------------


def _events_of(conn: Any, new_docs: list[str], changed_units: set[str]) -> list[tuple[str, str]]:
    from sqlalchemy import select

    out: set[tuple[str, str]] = set()
    for batch in chunks(new_docs):
        out |= {
            (d, e)
            for d, e in conn.execute(select(t.events.c.doc_id, t.events.c.local_id).where(t.events.c.doc_id.in_(batch)))
        }
    de, p = t.doc_entities, t.participants
    for batch in chunks(sorted(changed_units)):
        stmt = (
            select(p.c.doc_id, p.c.event_id)
            .join(de, (de.c.doc_id == p.c.doc_id) & (de.c.local_id == p.c.local_entity_id))
            .where(de.c.unit_id.in_(batch))
        )
        out |= {(d, e) for d, e in conn.execute(stmt)}
    return sorted(out)


def _outlet(source: str | None, origin: str | None) -> str | None:
    try:
        outlet = (json.loads(origin) or {}).get("outlet") if origin else None
    except ValueError:
        outlet = None
    return outlet or source


def _write_nodes(conn: Any, events: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    """Event nodes with canonical participants, written with their blocking keys."""
    from sqlalchemy import delete, select, tuple_

    if not events:
        return {}
    ev, doc, p, de, u = t.events, t.documents, t.participants, t.doc_entities, t.units
    nodes: dict[str, dict[str, Any]] = {}
    for batch in chunks(events):
        stmt = (
            select(ev, doc.c.published, doc.c.source, doc.c.origin, doc.c.url, doc.c.title)
            .join(doc, doc.c.id == ev.c.doc_id)
            .where(tuple_(ev.c.doc_id, ev.c.local_id).in_(batch))
        )
        speakers: dict[tuple[str, str], str] = {}
        rows = list(conn.execute(stmt))
        want = sorted({(r.doc_id, r.attribution_speaker) for r in rows if r.attribution_speaker})
        for sb in chunks(want):
            for r in conn.execute(
                select(de.c.doc_id, de.c.local_id, de.c.name).where(tuple_(de.c.doc_id, de.c.local_id).in_(sb))
            ):
                speakers[(r.doc_id, r.local_id)] = r.name
        for r in rows:
            speaker = speakers.get((r.doc_id, r.attribution_speaker)) if r.attribution_speaker else None
            nodes[F.node_key(r.doc_id, r.local_id)] = {
                "doc": r.doc_id, "event": r.local_id, "type": r.type, "status": r.status, "hedged": bool(r.hedged),
                "date": [r.date_start, r.date_end] if r.date_start else None,
                "amounts": json.loads(r.amounts or "[]"), "roles": {},
                "published": r.published, "outlet": _outlet(r.source, r.origin), "url": r.url, "title": r.title,
                "attribution": {"kind": r.attribution_kind, "speaker": speaker,
                                "speaker_norm": normalise_name(speaker) if speaker else None},
                "evidence": {"text": r.evidence_text, "start": r.evidence_start, "end": r.evidence_end},
            }  # fmt: skip
        stmt = (
            select(p.c.doc_id, p.c.event_id, p.c.role, u.c.canonical_id)
            .join(de, (de.c.doc_id == p.c.doc_id) & (de.c.local_id == p.c.local_entity_id))
            .join(u, u.c.id == de.c.unit_id)
            .where(tuple_(p.c.doc_id, p.c.event_id).in_(batch))
        )
        for r in conn.execute(stmt):
            roles = nodes[F.node_key(r.doc_id, r.event_id)]["roles"]
            if r.canonical_id not in roles.setdefault(r.role, []):
                roles[r.role].append(r.canonical_id)
    states = _states(conn, sorted({x for n in nodes.values() for ids in n["roles"].values() for x in ids}))
    for node in nodes.values():
        node["roles"] = {role: sorted(ids) for role, ids in sorted(node["roles"].items())}
        mine = {x: states[x] for ids in node["roles"].values() for x in ids if x in states}
        if mine:
            node["states"] = dict(sorted(mine.items()))
    old_fact: dict[tuple[str, str], str | None] = {}
    for batch in chunks(events):
        for r in conn.execute(
            select(t.event_nodes.c.doc_id, t.event_nodes.c.event_id, t.event_nodes.c.fact_id).where(
                tuple_(t.event_nodes.c.doc_id, t.event_nodes.c.event_id).in_(batch)
            )
        ):
            old_fact[(r.doc_id, r.event_id)] = r.fact_id
        conn.execute(delete(t.event_nodes).where(tuple_(t.event_nodes.c.doc_id, t.event_nodes.c.event_id).in_(batch)))
        conn.execute(delete(t.event_keys).where(tuple_(t.event_keys.c.doc_id, t.event_keys.c.event_id).in_(batch)))
    conn.execute(
        t.event_nodes.insert(),
        [
            {"doc_id": n["doc"], "event_id": n["event"], "type": n["type"],
             "data": json.dumps(n, ensure_ascii=False, sort_keys=True), "fact_id": old_fact.get((n["doc"], n["event"]))}
            for n in nodes.values()
        ],
    )  # fmt: skip
    keys = [{"key": k, "doc_id": n["doc"], "event_id": n["event"]} for n in nodes.values() for k in F.block_keys(n)[0]]
    for batch in chunks(keys, 2000):
        conn.execute(t.event_keys.insert(), batch)
    return nodes


@cache
def _state_names() -> dict[str, str]:
    """Normalised names of countries and of government bodies (from the gazetteer) -> their country's."""
    from dossier.nlp.resources import load_resources

    gazetteer = load_resources().gazetteer
    out: dict[str, str] = {}
    for actor in gazetteer.actors.values():
        state_id = actor.id if actor.section == "countries" else None
        if actor.type == "ORG" and actor.country and actor.section not in ("companies", "outlets"):
            state_id = gazetteer.by_iso2.get(actor.country)
        state = gazetteer.actors.get(state_id) if state_id else None
        if state is None:
            continue
        for form in (actor.name, *actor.aliases):
            out.setdefault(normalise_name(form), normalise_name(state.name))
    return out


def _states(conn: Any, ids: list[str]) -> dict[str, str]:
    """For each canonical entity that is a state or a government body: the state it stands for."""
    from sqlalchemy import select

    names = _state_names()
    out = {}
    for batch in chunks(ids):
        for r in conn.execute(
            select(t.canonical.c.id, t.canonical.c.name, t.canonical.c.aliases, t.canonical.c.type).where(
                t.canonical.c.id.in_(batch)
            )
        ):
            if r.type not in ("GPE", "ORG"):
                continue
            for form in (r.name, *json.loads(r.aliases)):
                state = names.get(normalise_name(form))
                if state:
                    out[r.id] = "state:" + state
                    break
    return out


def _load_nodes(conn: Any, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    from sqlalchemy import select, tuple_

    out = {}
    pairs = sorted(tuple(k.split("#", 1)) for k in set(keys))
    for batch in chunks(pairs):
        stmt = select(t.event_nodes.c.data).where(tuple_(t.event_nodes.c.doc_id, t.event_nodes.c.event_id).in_(batch))
        for (data,) in conn.execute(stmt):
            node = json.loads(data)
            out[F.node_key(node["doc"], node["event"])] = node
    return out


def _relink(conn: Any, nodes: dict[str, dict[str, Any]], report: KnowledgeReport) -> dict[str, dict[str, Any]]:
    """Re-link ``nodes`` to every report they share a block with; returns every node it read (for _refact)."""
    from sqlalchemy import delete, or_, select

    if not nodes:
        return {}
    probes = {k: F.block_keys(n)[1] for k, n in nodes.items()}
    partners: dict[str, set[str]] = {}
    for batch in chunks(sorted({key for keys in probes.values() for key in keys})):
        stmt = select(t.event_keys.c.key, t.event_keys.c.doc_id, t.event_keys.c.event_id).where(
            t.event_keys.c.key.in_(batch)
        )
        for r in conn.execute(stmt):
            partners.setdefault(r.key, set()).add(F.node_key(r.doc_id, r.event_id))
    pairs: set[tuple[str, str]] = set()
    for k, keys in probes.items():
        for key in keys:
            for other in partners.get(key, ()):
                if other != k:
                    pairs.add((min(k, other), max(k, other)))
    everything = dict(nodes)
    everything.update(_load_nodes(conn, {x for p in pairs for x in p} - set(nodes)))
    for batch in chunks(sorted(nodes)):
        conn.execute(
            delete(t.event_links).where(or_(t.event_links.c.left.in_(batch), t.event_links.c.right.in_(batch)))
        )
    rows = []
    for a, b in sorted(pairs):
        score = F.link(everything[a], everything[b])
        if score is not None:
            rows.append({"left": a, "right": b, "score": score})
    for batch in chunks(rows, 2000):
        conn.execute(t.event_links.insert(), batch)
    report.events += len(nodes)
    report.links += len(rows)
    return everything


# -- 4. facts -------------------------------------------------------------------------------------------------------


def _fact_ids(conn: Any, keys: Iterable[str]) -> set[str]:
    """The facts the reports ``keys`` (doc#event) belong to now."""
    from sqlalchemy import select, tuple_

    en = t.event_nodes
    found: set[str] = set()
    for batch in chunks(sorted(tuple(k.split("#", 1)) for k in keys)):
        stmt = select(en.c.fact_id).where(tuple_(en.c.doc_id, en.c.event_id).in_(batch), en.c.fact_id.is_not(None))
        found |= set(conn.execute(stmt).scalars())
    return found


def _refact(
    conn: Any, seeds: set[str], report: KnowledgeReport, known: dict[str, dict[str, Any]] | None = None
) -> None:
    """Re-form the facts the reports ``seeds`` reach through links (``known``: nodes already read)."""
    from sqlalchemy import bindparam, delete, or_, select, update

    if not seeds:
        return
    en = t.event_nodes
    old_facts = _fact_ids(conn, seeds)
    region = set(seeds)
    for batch in chunks(sorted(old_facts)):
        region |= {
            F.node_key(d, e) for d, e in conn.execute(select(en.c.doc_id, en.c.event_id).where(en.c.fact_id.in_(batch)))
        }
    links: dict[tuple[str, str], float] = {}
    frontier = set(region)
    while frontier:
        found: set[str] = set()
        for batch in chunks(sorted(frontier)):
            stmt = select(t.event_links).where(or_(t.event_links.c.left.in_(batch), t.event_links.c.right.in_(batch)))
            for r in conn.execute(stmt):
                links[(r.left, r.right)] = r.score
                found.update((r.left, r.right))
        frontier = found - region
        region |= frontier
    # the region's old facts all go; reports that joined from outside bring theirs
    old_facts |= _fact_ids(conn, region - seeds)
    nodes = {k: n for k, n in (known or {}).items() if k in region}
    nodes.update(_load_nodes(conn, region - set(nodes)))
    groups = F.components(nodes, links)
    sources = _sources(conn, sorted({n["doc"] for n in nodes.values()}))
    for batch in chunks(sorted(old_facts)):
        conn.execute(delete(t.facts).where(t.facts.c.id.in_(batch)))
        conn.execute(delete(t.fact_participants).where(t.fact_participants.c.fact_id.in_(batch)))
    fact_rows: list[dict[str, Any]] = []
    part_rows: list[dict[str, Any]] = []
    assign: list[dict[str, Any]] = []
    for members in groups:
        fact = F.build(members, nodes, sources)
        fact_rows.append(
            {"id": fact["id"], "type": fact["type"], "status": fact["status"], "hedged": fact["hedged"],
             "date_start": fact["date"]["start"], "date_end": fact["date"]["end"],
             "first_reported": fact["first_reported"], "last_reported": fact["last_reported"],
             "corroboration": fact["corroboration"], "reports": fact["reports"],
             "contradictions": len(fact["contradictions"]),
             "amount_usd": next((a["usd"] for a in fact["amounts"] if a.get("usd")), None),
             "data": json.dumps(fact, ensure_ascii=False, sort_keys=True)}
        )  # fmt: skip
        part_rows.extend(
            {"fact_id": fact["id"], "role": p["role"], "entity_id": p["entity"]} for p in fact["participants"]
        )
        assign.extend({"d": nodes[m]["doc"], "e": nodes[m]["event"], "f": fact["id"]} for m in members)
    for batch in chunks(fact_rows, 1000):
        conn.execute(t.facts.insert(), batch)
    for batch in chunks(part_rows, 2000):
        conn.execute(t.fact_participants.insert(), batch)
    if assign:
        conn.execute(
            update(en)
            .where(en.c.doc_id == bindparam("d"), en.c.event_id == bindparam("e"))
            .values(fact_id=bindparam("f")),
            assign,
        )
    report.facts += len(fact_rows)


def _sources(conn: Any, doc_ids: list[str]) -> dict[str, str]:
    """Each document's independent-source key: its originating outlet (a wire copy's is the wire), or, for a
    copy of another text, the outlet most of that text's copies name."""
    from sqlalchemy import select

    family: dict[str, str] = {}
    for batch in chunks(doc_ids):
        for r in conn.execute(select(t.copies.c.doc_id, t.copies.c.family_id).where(t.copies.c.doc_id.in_(batch))):
            family[r.doc_id] = r.family_id
    members: dict[str, list[str]] = {}
    fams = sorted(set(family.values()))
    for batch in chunks(fams):
        for r in conn.execute(select(t.copies.c.doc_id, t.copies.c.family_id).where(t.copies.c.family_id.in_(batch))):
            members.setdefault(r.family_id, []).append(r.doc_id)
    every = sorted({d for ds in members.values() for d in ds} | set(doc_ids))
    outlets: dict[str, str | None] = {}
    for batch in chunks(every):
        stmt = select(t.documents.c.id, t.documents.c.source, t.documents.c.origin).where(t.documents.c.id.in_(batch))
        for r in conn.execute(stmt):
            outlet = _outlet(r.source, r.origin)
            outlets[r.id] = normalise_name(outlet) if outlet else None
    out = {}
    for d in doc_ids:
        fam = members.get(family.get(d, d), [d])
        if len(fam) > 1:
            named = Counter(outlets[x] for x in fam if outlets.get(x))
            if named:
                best = min(named, key=lambda o: (-named[o], o))
                out[d] = f"outlet:{best}"
                continue
            out[d] = "copy:" + family.get(d, d)
        else:
            out[d] = f"outlet:{outlets[d]}" if outlets.get(d) else f"doc:{d}"
    return out
