"""Facts as a replay: classes of reports taken in a fixed order (publication month, then class id), each
joining the best-linked earlier fact none of whose earlier classes it conflicts with and enough of which it is
linked to (`join_linked_share` in data/knowledge.yaml: a chain of single links is not one event), or founding
a new one.

The order makes the facts a function of the classes alone, so an update re-decides only what it can change:
its new classes, and the later classes linked to a fact whose membership changed. News arrives in order, so
usually nothing later is stored and an update decides just its own classes; a backfill of old documents
re-decides the later classes its facts reach. A rebuild decides everything; both give the same facts
(tests/knowledge/test_knowledge.py).

Links say two classes may be one event; a linked pair never conflicts (facts.link refuses conflicting
pairs), so a class is checked for conflicts only against the members of a fact it has no link to.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Collection, Iterable
from typing import Any

from dossier.knowledge import facts as F
from dossier.knowledge.rules import rules
from dossier.store import chunks
from dossier.store import schema as t

_SHARE = rules().join_linked_share


def load_summaries(conn: Any, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Stored class summaries by class id."""
    from sqlalchemy import select

    ec = t.event_classes
    out = {}
    for batch in chunks(sorted(set(ids))):
        for cid, data in conn.execute(select(ec.c.id, ec.c.data).where(ec.c.id.in_(batch))):
            out[cid] = json.loads(data)
    return out


def position(summary: dict[str, Any], class_id: str) -> str:
    """Replay order: the publication month (reports without one last), then the class id."""
    return f"{summary.get('published') or '9999-12'}|{class_id}"


class Replay:
    """Class-to-fact assignments, read from the store as needed and changed in memory.

    ``everything``: a rebuild (nothing is stored; every class is decided). ``latest``: the latest position of
    a class stored before this update (None when none was), so an update knows when nothing later exists.
    """

    def __init__(
        self, conn: Any, summaries: dict[str, dict[str, Any]], *, everything: bool, latest: str | None
    ) -> None:
        self.conn = conn
        self.everything = everything
        self.latest = latest
        self.summaries = dict(summaries)
        self.pos: dict[str, str] = {}
        self.fact: dict[str, str | None] = {}  # class -> the fact (label) it is in now
        self.stored: dict[str, str | None] = {}  # class -> its fact in the store before this update
        self.groups: dict[str, set[str]] = {}  # fact -> classes, for facts whose stored members were read
        self.read: set[str] = set()
        self.nbrs: dict[str, dict[str, float]] = {}
        self.changed: set[str] = set()  # facts whose membership changed
        self.pushed: dict[str, str] = {}  # fact -> position after which its members' neighbours are queued
        self.memo: dict[tuple[str, str], bool] = {}
        self.signature: dict[str, str] = {}
        self.first: dict[str, str] = {}  # a rebuild: fact -> its first class's position

    # -- reading ------------------------------------------------------------------------------------------
    def classes(self, ids: Iterable[str]) -> None:
        from sqlalchemy import select

        ec = t.event_classes
        for batch in chunks(sorted(set(ids) - set(self.pos))):
            for cid, pos, fid in self.conn.execute(
                select(ec.c.id, ec.c.position, ec.c.fact_id).where(ec.c.id.in_(batch))
            ):
                self.pos[cid], self.fact[cid], self.stored[cid] = pos, fid, fid

    def links(self, ids: Iterable[str]) -> None:
        from sqlalchemy import or_, select

        cl = t.class_links
        wanted = sorted(set(ids) - set(self.nbrs))
        for c in wanted:
            self.nbrs[c] = {}
        for batch in chunks(wanted):
            inside = set(batch)
            for left, right, score in self.conn.execute(
                select(cl.c.left, cl.c.right, cl.c.score).where(or_(cl.c.left.in_(batch), cl.c.right.in_(batch)))
            ):
                if left in inside:
                    self.nbrs[left][right] = score
                if right in inside:
                    self.nbrs[right][left] = score
        self.classes({x for c in wanted for x in self.nbrs[c]})

    def preload(self) -> None:
        """A rebuild: every class and link at once."""
        from sqlalchemy import select

        ec, cl = t.event_classes, t.class_links
        for cid, pos in self.conn.execute(select(ec.c.id, ec.c.position)):
            self.pos[cid], self.fact[cid], self.stored[cid] = pos, None, None
            self.nbrs[cid] = {}
        for left, right, score in self.conn.execute(select(cl.c.left, cl.c.right, cl.c.score)):
            self.nbrs[left][right] = score
            self.nbrs[right][left] = score

    def members(self, fact: str) -> set[str]:
        from sqlalchemy import select

        if fact not in self.read:
            self.read.add(fact)
            group = self.groups.setdefault(fact, set())
            if not self.everything:
                ec = t.event_classes
                for cid, pos in self.conn.execute(select(ec.c.id, ec.c.position).where(ec.c.fact_id == fact)):
                    if cid not in self.pos:
                        self.pos[cid], self.fact[cid], self.stored[cid] = pos, fact, fact
                    if self.fact[cid] == fact:
                        group.add(cid)
        return self.groups[fact]

    def summary(self, ids: Iterable[str]) -> None:
        self.summaries.update(load_summaries(self.conn, set(ids) - set(self.summaries)))

    # -- deciding -----------------------------------------------------------------------------------------
    def sign(self, c: str) -> str:
        if c not in self.signature:
            self.signature[c] = F.signature(self.summaries[c])
        return self.signature[c]

    def clash(self, a: str, b: str) -> bool:
        sa, sb = self.sign(a), self.sign(b)
        key = (sa, sb) if sa <= sb else (sb, sa)
        if key not in self.memo:
            self.memo[key] = F.conflict(self.summaries[a], self.summaries[b])
        return self.memo[key]

    def decide(self, c: str) -> str:
        """The fact class ``c`` joins given every earlier class's: the best-linked one it conflicts with no
        earlier member of, else a new fact of its own."""
        self.links([c])
        p = self.pos[c]
        best: dict[str, float] = {}
        linked: dict[str, int] = {}
        for x, score in self.nbrs[c].items():
            fact = self.fact.get(x)
            if fact and self.pos[x] < p:
                best[fact] = max(best.get(fact, 0.0), score)
                linked[fact] = linked.get(fact, 0) + 1
        ranked: list[tuple[float, str, str, Collection[str]]] = []
        for fact, score in best.items():
            if self.everything:  # every member is earlier: classes are decided in order
                earlier: Collection[str] = self.groups[fact]
                ranked.append((-score, self.first[fact], fact, earlier))
            else:
                ms = [m for m in self.members(fact) if self.pos[m] < p]
                ranked.append((-score, min(self.pos[m] for m in ms), fact, ms))
        for _, _, fact, earlier in sorted(ranked):
            if linked[fact] < _SHARE * len(earlier):
                continue  # linked to too few of its reports: a chain, not the same event
            if linked[fact] == len(earlier):
                return fact  # linked to every earlier member: no conflict possible
            others = [m for m in earlier if m not in self.nbrs[c]]
            self.summary([c, *others])
            if not any(self.clash(c, m) for m in others):
                return fact
        return F.fact_id([c])

    def assign(self, c: str, fact: str) -> str | None:
        old = self.fact.get(c)
        if old == fact:
            return old
        if old:
            self.members(old).discard(c)
            self.changed.add(old)
        self.members(fact).add(c)
        self.changed.add(fact)
        self.fact[c] = fact
        self.first.setdefault(fact, self.pos[c])
        return old

    def queue_after(self, fact: str, c: str, p: str, heap: list[tuple[str, str]], queued: set[str]) -> None:
        """Queue the stored classes after ``p`` linked to members of ``fact``, whose membership changed."""
        if self.everything or self.latest is None or p >= self.latest:
            return  # nothing stored comes later
        if fact in self.pushed and self.pushed[fact] <= p:
            sources = {c}
        else:
            sources = set(self.members(fact)) | {c}
            self.pushed[fact] = p
        self.links(sources)
        for m in sources:
            for y in self.nbrs[m]:
                if y not in queued and self.pos[y] > p:
                    queued.add(y)
                    heapq.heappush(heap, (self.pos[y], y))

    def run(self, start: Iterable[str], gone: dict[str, tuple[str | None, str, set[str]]]) -> None:
        """Decide ``start`` (new classes, or all) and every later class a change reaches. ``gone``: classes
        that lost their last report -> (their fact, position, linked classes)."""
        start = set(start)
        self.classes(start)
        heap = [(self.pos[c], c) for c in start]
        heapq.heapify(heap)
        queued = set(start)
        for g, (fact, p, linked) in sorted(gone.items()):
            if fact:
                self.members(fact).discard(g)
                self.changed.add(fact)
                self.queue_after(fact, g, p, heap, queued)
            self.classes(linked)
            for y in linked:
                if y not in queued and y in self.pos and self.pos[y] > p:
                    queued.add(y)
                    heapq.heappush(heap, (self.pos[y], y))
        while heap:
            p, c = heapq.heappop(heap)
            fact = self.decide(c)
            old = self.assign(c, fact)
            if old != fact:
                for f in (old, fact):
                    if f:
                        self.queue_after(f, c, p, heap, queued)

    def result(self) -> dict[str, list[str]]:
        """The changed facts, each under its id (from its earliest class), with its classes."""
        out: dict[str, list[str]] = {}
        for fact in sorted(self.changed):
            group = self.members(fact)
            if group:
                first = min(group, key=lambda c: self.pos[c])
                out[F.fact_id([first])] = sorted(group)
        return out
