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
   rewritten with canonical participants and put in the class of its summary (reports that read alike:
   copies of a wire story, a background mention repeated month after month); a new class is linked to the
   classes it shares a block with (facts.link), so links grow with distinct reports, not with repeats;
4. facts: the new classes, and the later classes linked to a fact whose membership that changes, are
   replayed into facts in publication order (replay.py); every fact whose classes or reports changed is
   rebuilt from its evidence.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from dossier.knowledge import facts as F
from dossier.knowledge.copies import THRESHOLD, Signature, own_text_of, signature
from dossier.knowledge.replay import Replay, load_summaries, position
from dossier.resolve import ResolveReport, merge, resolve, split
from dossier.store import Store, bump, chunks, normalise_name
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
        report = _update(conn, doc_ids)
        if report.documents:
            bump(conn)
        return report


def rebuild(store: Store) -> KnowledgeReport:
    """Recompute entities, copies and facts from the stored analyses (human judgements are kept)."""
    from sqlalchemy import delete, update

    with store.engine.begin() as conn:
        for table in (t.fact_participants, t.facts, t.class_links, t.class_keys, t.event_classes, t.event_nodes,
                      t.copy_bands, t.copies, t.canonical, t.unit_keys, t.units, t.quote_refs):  # fmt: skip
            conn.execute(delete(table))
        conn.execute(delete(t.judgements).where(t.judgements.c.source == "machine"))
        conn.execute(update(t.doc_entities).values(unit_id=None))
        report = _update(conn, None)
        bump(conn)
        return report


def judge(store: Store, kind: str, a: str, b: str, *, author: str | None = None) -> KnowledgeReport:
    """Record a human judgement (``merge`` a and b, or ``split`` part b off entity a) and carry it through to
    the facts, in one transaction."""
    with store.engine.begin() as conn:
        report = KnowledgeReport()
        report.resolve = (merge if kind == "merge" else split)(conn, a, b, author=author)
        events = _events_of(conn, [], set(report.resolve.changed))
        _refact_events(conn, events, set(), report)
        bump(conn)
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
    touched: set[str] = set()  # facts whose sources changed: a document joined another's copies
    en = t.event_nodes
    for batch in chunks(sorted(family_changed)):
        stmt = select(en.c.fact_id).where(en.c.doc_id.in_(batch), en.c.fact_id.is_not(None))
        touched |= set(conn.execute(stmt).scalars())
    _refact_events(conn, events, touched, report)
    return report


def _refact_events(conn: Any, events: list[tuple[str, str]], touched: set[str], report: KnowledgeReport) -> None:
    """Rewrite these events' nodes, re-class and re-link them, and re-form the facts that reach (and the
    facts in ``touched``)."""
    nodes, dirty, summaries = _write_nodes(conn, events)
    changes = _reclass(conn, dirty, summaries, report)
    report.events += len(nodes)
    _refact(conn, changes, touched, dirty, report, nodes)


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


def _write_nodes(
    conn: Any, events: list[tuple[str, str]]
) -> tuple[dict[str, dict[str, Any]], set[str], dict[str, dict[str, Any]]]:
    """Event nodes with canonical participants, each in the class of its summary. Returns the nodes, every
    class that gained or lost a report, and the summaries of the nodes' classes."""
    from sqlalchemy import delete, select, tuple_

    if not events:
        return {}, set(), {}
    ev, doc, p, de, u, en = t.events, t.documents, t.participants, t.doc_entities, t.units, t.event_nodes
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
    dirty: set[str] = set()
    for batch in chunks(events):
        where = tuple_(en.c.doc_id, en.c.event_id).in_(batch)
        dirty |= set(conn.execute(select(en.c.class_id).where(where)).scalars())
        conn.execute(delete(en).where(where))
    rows = []
    summaries: dict[str, dict[str, Any]] = {}
    for n in nodes.values():
        summary = F.summary(n)
        n["class"] = F.class_id(summary)
        summaries.setdefault(n["class"], summary)
        dirty.add(n["class"])
        rows.append(
            {"doc_id": n["doc"], "event_id": n["event"], "type": n["type"], "class_id": n["class"], "fact_id": None,
             "data": json.dumps(n, ensure_ascii=False, sort_keys=True)}
        )  # fmt: skip
    for batch in chunks(rows, 1000):
        conn.execute(en.insert(), batch)
    return nodes, dirty, summaries


@cache
def _state_names() -> dict[str, str]:
    """Normalised names of countries, government bodies and state corporations (from the gazetteer) -> their
    country's."""
    from dossier.nlp.resources import load_resources

    gazetteer = load_resources().gazetteer
    out: dict[str, str] = {}
    for actor in gazetteer.actors.values():
        state_id = actor.id if actor.section == "countries" else None
        acts_for_state = actor.section not in ("companies", "outlets") or actor.state_owned
        if actor.type == "ORG" and actor.country and acts_for_state:
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


@dataclass(slots=True)
class _Changes:
    """What re-classing found: new classes, classes gone (-> their fact, position and linked classes), facts
    whose reports changed, the latest position stored before, summaries read."""

    fresh: list[str] = field(default_factory=list)
    gone: dict[str, tuple[str | None, str, set[str]]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)
    latest: str | None = None
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)


def _reclass(conn: Any, dirty: set[str], summaries: dict[str, dict[str, Any]], report: KnowledgeReport) -> _Changes:
    """Bring the classes in line with their reports: a class that lost its last report goes with its keys
    and links; a new one is keyed and linked to every class it shares a block with (facts.link)."""
    from sqlalchemy import delete, func, or_, select

    ec, en, ck, cl = t.event_classes, t.event_nodes, t.class_keys, t.class_links
    out = _Changes(summaries=summaries)
    if not dirty:
        return out
    existing: dict[str, tuple[str | None, str]] = {}
    alive: set[str] = set()
    for batch in chunks(sorted(dirty)):
        stmt = select(ec.c.id, ec.c.fact_id, ec.c.position).where(ec.c.id.in_(batch))
        existing.update((r.id, (r.fact_id, r.position)) for r in conn.execute(stmt))
        alive |= set(conn.execute(select(en.c.class_id).where(en.c.class_id.in_(batch)).distinct()).scalars())
    out.touched = {f for f, _ in existing.values() if f}
    out.fresh = sorted(alive - set(existing))
    gone = sorted(set(existing) - alive)
    for g in gone:
        out.gone[g] = (existing[g][0], existing[g][1], set())
    for batch in chunks(gone):
        touching = or_(cl.c.left.in_(batch), cl.c.right.in_(batch))
        for left, right in conn.execute(select(cl.c.left, cl.c.right).where(touching)):
            if left in out.gone:
                out.gone[left][2].add(right)
            if right in out.gone:
                out.gone[right][2].add(left)
        conn.execute(delete(cl).where(touching))
        conn.execute(delete(ck).where(ck.c.class_id.in_(batch)))
        conn.execute(delete(ec).where(ec.c.id.in_(batch)))
    out.latest = conn.execute(select(func.max(ec.c.position))).scalar()
    fresh = out.fresh
    if not fresh:
        return out
    conn.execute(
        ec.insert(),
        [{"id": c, "type": summaries[c]["type"], "fact_id": None, "position": position(summaries[c], c),
          "data": json.dumps(summaries[c], ensure_ascii=False, sort_keys=True)} for c in fresh],
    )  # fmt: skip
    keys = {c: F.block_keys(summaries[c]) for c in fresh}
    rows = [{"key": k, "class_id": c} for c in fresh for k in keys[c][0]]
    for batch in chunks(rows, 2000):
        conn.execute(ck.insert(), batch)
    partners: dict[str, set[str]] = {}
    for batch in chunks(sorted({k for c in fresh for k in keys[c][1]})):
        for key, cid in conn.execute(select(ck.c.key, ck.c.class_id).where(ck.c.key.in_(batch))):
            partners.setdefault(key, set()).add(cid)
    pairs: set[tuple[str, str]] = set()
    for c in fresh:
        for key in keys[c][1]:
            for other in partners.get(key, ()):
                if other != c:
                    pairs.add((min(c, other), max(c, other)))
    summaries.update(load_summaries(conn, {x for p in pairs for x in p} - set(summaries)))
    links: list[dict[str, Any]] = []
    for a, b in sorted(pairs):
        score = F.link(summaries[a], summaries[b])
        if score is not None:
            links.append({"left": a, "right": b, "score": score})
    for batch in chunks(links, 2000):
        conn.execute(cl.insert(), batch)
    report.links += len(links)
    return out


# -- 4. facts -------------------------------------------------------------------------------------------------------


def _refact(
    conn: Any,
    changes: _Changes,
    touched: set[str],
    dirty: set[str],
    report: KnowledgeReport,
    nodes: dict[str, dict[str, Any]],
) -> None:
    """Replay the new classes (and every later class a change reaches) into facts, then rebuild each fact
    whose classes or reports changed (``touched``: facts whose sources changed) from its evidence."""
    from sqlalchemy import bindparam, delete, select, update

    ec, en = t.event_classes, t.event_nodes
    everything = changes.latest is None and not changes.gone  # nothing was stored: decide every class
    replay = Replay(conn, changes.summaries, everything=everything, latest=changes.latest)
    if everything:
        replay.preload()
    replay.run(changes.fresh, changes.gone)
    replay.changed |= touched | changes.touched  # their evidence changed, if not their classes
    groups = replay.result()
    stale = replay.changed | set(groups)
    for batch in chunks(sorted(stale)):
        conn.execute(delete(t.facts).where(t.facts.c.id.in_(batch)))
        conn.execute(delete(t.fact_participants).where(t.fact_participants.c.fact_id.in_(batch)))
    wanted = {c for g in groups.values() for c in g}
    reports: dict[str, list[str]] = {}
    read: dict[str, dict[str, Any]] = {}
    for batch in chunks(sorted(wanted)):
        for doc_id, event_id, cid, data in conn.execute(
            select(en.c.doc_id, en.c.event_id, en.c.class_id, en.c.data).where(en.c.class_id.in_(batch))
        ):
            key = F.node_key(doc_id, event_id)
            read[key] = nodes.get(key) or json.loads(data)
            reports.setdefault(cid, []).append(key)
    sources = _sources(conn, sorted({n["doc"] for n in read.values()}))
    fact_rows: list[dict[str, Any]] = []
    part_rows: list[dict[str, Any]] = []
    moved: list[dict[str, str]] = []
    for ident, classes in sorted(groups.items()):
        fact = F.build(ident, [k for c in classes for k in reports.get(c, [])], read, sources)
        fact_rows.append(
            {"id": fact["id"], "type": fact["type"], "status": fact["status"], "hedged": fact["hedged"],
             "date_start": fact["date"]["start"], "date_end": fact["date"]["end"],
             "first_reported": fact["first_reported"], "last_reported": fact["last_reported"],
             "corroboration": fact["corroboration"], "reports": fact["reports"],
             "contradictions": len(fact["contradictions"]),
             "amount_usd": next((a["usd"] for a in fact["amounts"] if a.get("usd")), None),
             "data": json.dumps(fact, ensure_ascii=False, sort_keys=True),
             "listing": json.dumps(F.listing(fact), ensure_ascii=False, sort_keys=True)}
        )  # fmt: skip
        part_rows.extend({"fact_id": ident, "role": p["role"], "entity_id": p["entity"]} for p in fact["participants"])
        moved.extend({"c": c, "f": ident} for c in classes if c in dirty or replay.stored.get(c) != ident)
    for batch in chunks(fact_rows, 1000):
        conn.execute(t.facts.insert(), batch)
    for batch in chunks(part_rows, 2000):
        conn.execute(t.fact_participants.insert(), batch)
    if moved:
        conn.execute(update(ec).where(ec.c.id == bindparam("c")).values(fact_id=bindparam("f")), moved)
        conn.execute(update(en).where(en.c.class_id == bindparam("c")).values(fact_id=bindparam("f")), moved)
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
