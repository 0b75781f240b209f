"""Facts: the reports of one real-world event, merged across documents.

Two reported events are linked when they have the same type, share participants (by canonical entity) in
compatible roles, and have compatible dates; a link is a function of the two events alone. Facts are the
components of those links, merged strongest link first and never across a hard conflict (swapped roles,
disjoint participants in one role, or two dates that neither overlap nor read as a deal's later stage).

A fact then says what its evidence says together: first and last reported, its life-cycle (statuses in
report order) and current status, how many independent sources carry it (copies of one text and a story
citing another outlet count once), and where sources contradict each other (amounts, dates, statuses, a
denial against a report), with both sides' evidence.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from dossier.knowledge.rules import rules

_RULES = rules()
STAGES = _RULES.stages
_SYMMETRIC = _RULES.symmetric
_CONTEXT = _RULES.context
_STATUSES = sorted(STAGES)  # every status, terminal ones included


def node_key(doc_id: str, event_id: str) -> str:
    return f"{doc_id}#{event_id}"


def fact_id(classes: Iterable[str]) -> str:
    """A fact's id: from the smallest id of its classes (reports that read alike, see `summary`)."""
    return "fact_" + hashlib.sha1(min(classes).encode()).hexdigest()[:16]


def summary(node: dict[str, Any]) -> dict[str, Any]:
    """What linking and conflicts read of a report: reports with one summary (copies of a wire story, the
    same background mention in one month) form one class, linked and merged as one."""
    date = node["date"]
    amounts = sorted(
        {(a.get("usd"), a.get("unit"), a.get("value")) for a in node["amounts"]}, key=lambda x: json.dumps(x)
    )
    out = {
        "type": node["type"], "roles": node["roles"], "date": date, "status": node["status"],
        "amounts": [{"usd": u, "unit": n, "value": v} for u, n, v in amounts],
        "published": (node["published"] or "")[:7] or None,
    }  # fmt: skip
    if node.get("states"):
        out["states"] = node["states"]
    return out


def class_id(summary: dict[str, Any]) -> str:
    return "cls_" + hashlib.sha1(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:16]


def block_keys(node: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(held, probed) blocking keys: a participant key refined by time, place or product.

    Participants: reports naming two or more core participants (a government body also counted as its
    state) meet on each pair of them; a report naming one meets every report naming it. So a busy pair of
    participants does not make every report of either meet every other.

    Refinement, exact for `link` (every pair it can link still meets): reports meet within 18 months of
    publication (`far`), on a shared place, product or market (any distance), and, both dated, in the same
    or a neighbouring quarter (overlapping or close dates) or with different statuses (a deal's stages)."""
    core = _core(node)
    states = node.get("states") or {}
    ids = sorted(core | {states[e] for e in core if e in states})
    kind = node["type"]
    if len(core) < 2:
        held = [f"1|{kind}|{e}" for e in ids]
        probed = [f"{x}|{kind}|{e}" for e in ids for x in ("1", "s")]
    else:
        pairs = [f"2|{kind}|{a}|{b}" for i, a in enumerate(ids) for b in ids[i + 1 :]]
        held, probed = pairs + [f"s|{kind}|{e}" for e in ids], pairs + [f"1|{kind}|{e}" for e in ids]
    sub_held, sub_probed = _refinements(node)
    return [f"{k}#{s}" for k in held for s in sub_held], [f"{k}#{s}" for k in probed for s in sub_probed]


_WIDE_QUARTERS = 8  # a date range longer than two years is held under one key that every dated report probes
# How far the time keys reach, from the rules they must not cut: half-years within `far`'s months, quarters
# within a close date's days.
_HALF_YEARS = -(-_RULES.undated_months // 6)
_QUARTERS = 1 + _RULES.close_date_days // 90


def _refinements(node: dict[str, Any]) -> tuple[list[str], list[str]]:
    held: list[str] = []
    probed: list[str] = []
    roles = node["roles"]
    for role in _RULES.shared_context:
        for e in roles.get(role, ()):
            held.append(f"c:{e}")
            probed.append(f"c:{e}")
    month = _month_index(node["published"])
    if month is not None:
        half = month // 6
        held.append(f"p:{half}")
        probed.extend(f"p:{h}" for h in range(half - _HALF_YEARS, half + _HALF_YEARS + 1))
    bounds = _bounds(node["date"])
    if bounds is not None:
        first, last = _quarter(bounds[0]), _quarter(bounds[1])
        if last - first < _WIDE_QUARTERS:
            held.extend(f"q:{q}" for q in range(first, last + 1))
        else:
            held.append("q:wide")
        probed.extend(f"q:{q}" for q in range(first - _QUARTERS, min(last, first + 400) + _QUARTERS + 1))
        probed.append("q:wide")
        held.append(f"st:{node['status']}")
        probed.extend(f"st:{s}" for s in _STATUSES if s != node["status"])
    return sorted(set(held)), sorted(set(probed))


@lru_cache(maxsize=1 << 16)
def _month_index(d: str | None) -> int | None:
    if not d or len(d) < 7:
        return None
    return int(d[:4]) * 12 + int(d[5:7]) - 1


def _quarter(day: str) -> int:
    return int(day[:4]) * 4 + (int(day[5:7]) - 1) // 3


# -- dates ---------------------------------------------------------------------------------------------------


def _bounds(date: list[str | None] | None) -> tuple[str, str] | None:
    """A date range as comparable (first day, last day) strings, or None when there is no start."""
    if not date or not date[0]:
        return None
    return _bounds_of(date[0], date[1] or date[0])


@lru_cache(maxsize=1 << 16)
def _bounds_of(start: str, end: str) -> tuple[str, str]:
    return _first_day(start), _last_day(end if end >= start else start)


def _first_day(d: str) -> str:
    return (d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10] if len(d) == 7 else d


def _last_day(d: str) -> str:
    return d + "-12-31" if len(d) == 4 else d + "-31" if len(d) == 7 else d


@lru_cache(maxsize=1 << 16)
def _day(s: str) -> int:
    from datetime import date

    y, m, d = (int(x) for x in s.split("-"))
    return date(y, m, min(d, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)).toordinal()


def _days_apart(a: tuple[str, str], b: tuple[str, str]) -> int:
    if a[1] < b[0]:
        return _day(b[0]) - _day(a[1])
    if b[1] < a[0]:
        return _day(a[0]) - _day(b[1])
    return 0


def _date_relation(a: dict[str, Any], b: dict[str, Any]) -> str:
    """'overlap', 'unknown', 'close' (a few weeks apart, the same stage: a contradiction), 'stages' (apart, but
    a later stage of one deal), or 'conflict'."""
    da, db = _bounds(a["date"]), _bounds(b["date"])
    if da is None or db is None:
        return "unknown"
    gap = _days_apart(da, db)
    if gap == 0:
        return "overlap"
    sa, sb = STAGES.get(a["status"], STAGES["done"]), STAGES.get(b["status"], STAGES["done"])
    if a["status"] == b["status"]:
        precise = len(a["date"][0] or "") == 10 and len(b["date"][0] or "") == 10
        return "close" if precise and gap <= _RULES.close_date_days else "conflict"
    early, late = (sa, sb) if da[0] < db[0] else (sb, sa)
    return "stages" if early < late else "conflict"


# -- amounts -------------------------------------------------------------------------------------------------


def _comparable(x: dict[str, Any], y: dict[str, Any]) -> tuple[float, float] | None:
    if x.get("usd") and y.get("usd"):
        return float(x["usd"]), float(y["usd"])
    if x.get("unit") and x.get("unit") == y.get("unit") and x.get("value") and y.get("value"):
        return float(x["value"]), float(y["value"])
    return None


def _close(p: float, q: float) -> bool:
    return abs(p - q) <= _RULES.amount_tolerance * max(abs(p), abs(q))


def amount_relation(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str:
    """'match' when some amounts agree, 'differ' when comparable amounts all disagree, else 'unknown'."""
    compared = False
    for x in a:
        for y in b:
            pair = _comparable(x, y)
            if pair is None:
                continue
            compared = True
            if _close(*pair):
                return "match"
    return "differ" if compared else "unknown"


# -- links ----------------------------------------------------------------------------------------------------


def _as_states(node: dict[str, Any], ids: Iterable[str]) -> set[str]:
    """Participants, a government body also standing for its state ("the US Commerce Department" acts for
    the United States): one report names the state, another the agency."""
    states = node.get("states") or {}
    return {states.get(x, x) for x in ids}


def _common(a: dict[str, Any], b: dict[str, Any], xs: Iterable[str], ys: Iterable[str]) -> set[str]:
    # Each entity counts once, as the state it stands for if any: the United States named in both reports
    # is one shared participant, not two (itself and its state).
    return _as_states(a, xs) & _as_states(b, ys)


def _roles_conflict(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ra, rb = a["roles"], b["roles"]
    for role in ra.keys() & rb.keys():
        if role in _CONTEXT:
            continue
        sa, sb = set(ra[role]), set(rb[role])
        if role in _SYMMETRIC:
            if len(_common(a, b, sa, sb)) < min(2, len(sa), len(sb)):
                return True
        elif not _common(a, b, sa, sb):
            return True
    for one, other in _RULES.directed:
        if set(ra.get(one, ())) & set(rb.get(other, ())) or set(ra.get(other, ())) & set(rb.get(one, ())):
            return True
    return False


def _context_relation(a: dict[str, Any], b: dict[str, Any]) -> str:
    """'match' when the reports share a place, product or market, 'conflict' when both name a product (or
    market) and share none, else 'unknown'."""
    ra, rb = a["roles"], b["roles"]
    for role in _RULES.exclusive_context:
        if ra.get(role) and rb.get(role) and not set(ra[role]) & set(rb[role]):
            return "conflict"
    for role in _RULES.shared_context:
        if set(ra.get(role, ())) & set(rb.get(role, ())):
            return "match"
    return "unknown"


def _precise(node: dict[str, Any]) -> bool:
    """A date to the month or day, spanning no more than a year."""
    bounds = _bounds(node["date"])
    return (
        bounds is not None
        and len(node["date"][0] or "") >= 7
        and _days_apart((bounds[0], bounds[0]), (bounds[1], bounds[1])) <= 366
    )


def _months_apart(x: str | None, y: str | None) -> int:
    mx, my = _month_index(x), _month_index(y)
    return 999 if mx is None or my is None else abs(mx - my)


def _forecast(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether one report foretells the other: an undated plan ("Japan is expected to announce its own
    restrictions within weeks") and a dated report of the same type from the months after it was published
    (`forecast_months`)."""
    for plan, other in ((a, b), (b, a)):
        if plan["status"] != "planned" or plan["date"] is not None:
            continue
        bounds = _bounds(other["date"])
        told = _month_index(plan["published"])
        if bounds is None or told is None:
            continue
        since = _month_index(bounds[0][:7])
        if since is not None and 0 <= since - told <= _RULES.forecast_months:
            return True
    return False


def _same_agent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether both reports name one actor in the type's agent role (a state and its agency count as one)."""
    role = _RULES.agents.get(a["type"])
    if role is None:
        return False
    return bool(_common(a, b, a["roles"].get(role, ()), b["roles"].get(role, ())))


def _core(node: dict[str, Any]) -> set[str]:
    return {e for r, es in node["roles"].items() if r not in _CONTEXT for e in es}


def conflict(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two reports that cannot be of one event: every two reports of a fact share a participant."""
    return (
        a["type"] != b["type"]
        or not _common(a, b, _core(a), _core(b))
        or _roles_conflict(a, b)
        or _date_relation(a, b) == "conflict"
        or _context_relation(a, b) == "conflict"
    )


def link(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """How surely two reported events are one event (None: not linked)."""
    if a["type"] != b["type"]:
        return None
    dates = _date_relation(a, b)  # the cheapest refusals first; every refusal below is independent
    if dates == "conflict":
        return None
    context = _context_relation(a, b)
    if context == "conflict":
        return None
    reach = _RULES.undated_months_by_type.get(a["type"], _RULES.undated_months)
    far = _months_apart(a["published"], b["published"]) > reach
    if dates == "unknown" and context != "match" and far:
        return None  # undated, years apart, and not even the same place or product: nothing says it is one
    if _roles_conflict(a, b):
        return None
    shared = _common(a, b, _core(a), _core(b))
    if not shared:
        return None
    amounts = amount_relation(a["amounts"], b["amounts"])
    if len(shared) < 2:
        # One shared participant is enough only with more agreement: the same precise date, amount, place
        # or product, or a plan told without a date and a report of it in the months that followed.
        agree = (
            (dates == "overlap" and _precise(a) and _precise(b))
            or amounts == "match"
            or context == "match"
            or (_forecast(a, b) and _same_agent(a, b))
        )
        if not agree or amounts == "differ":
            return None
    score = 0.5 + 0.1 * min(len(shared) - 1, 3)
    if dates == "overlap":
        score += 0.2
    if amounts == "match":
        score += 0.1
    all_a = {e for es in a["roles"].values() for e in es}
    all_b = {e for es in b["roles"].values() for e in es}
    score += 0.05 * min(len((all_a & all_b) - shared), 2)
    return round(min(score, 1.0), 3)


def signature(node: dict[str, Any]) -> str:
    """What `conflict` reads of a report: two reports with one signature conflict with the same others."""
    return json.dumps([node["type"], node["roles"], node.get("states"), node["date"], node["status"]], sort_keys=True)


# -- a fact from its evidence -----------------------------------------------------------------------------------


def _current(history: list[dict[str, Any]]) -> str:
    """The latest credible status: the latest report's, unless it only repeats an earlier, surer stage (a
    recap saying "planned" after the deal was signed); a cancellation or denial stands when it is latest."""
    if not history:
        return "done"
    latest = history[-1]["reported"]
    last = [h for h in history if h["reported"] == latest]
    best = max(last, key=lambda h: (not h["hedged"], h["attribution"] == "named", STAGES.get(h["status"], 0)))
    status = str(best["status"])
    if status in _RULES.terminal:
        return status
    sure = [h for h in history if not h["hedged"] and h["status"] not in _RULES.terminal]
    top = max(sure, key=lambda h: STAGES.get(h["status"], 0), default=None)
    if top is not None and STAGES.get(top["status"], 0) > STAGES.get(status, 0):
        return str(top["status"])
    return status


def build(ident: str, members: list[str], nodes: dict[str, dict[str, Any]], sources: dict[str, str]) -> dict[str, Any]:
    """The fact ``ident`` made of these reports. ``sources`` maps each document id to its independent-source
    key (copies of one text share one)."""
    reports = sorted((nodes[m] for m in members), key=lambda n: (n["published"] or "", n["doc"], n["event"]))
    evidence = []
    for n in reports:
        att = n["attribution"]
        key = sources.get(n["doc"], n["doc"])
        if att.get("kind") == "other_outlet" and att.get("speaker"):
            key = "outlet:" + att["speaker_norm"]
        evidence.append(
            {"doc_id": n["doc"], "event_id": n["event"], "url": n["url"], "outlet": n["outlet"],
             "published": n["published"], "title": n["title"], "status": n["status"], "hedged": n["hedged"],
             "attribution": {"kind": att.get("kind"), "speaker": att.get("speaker")}, "source": key,
             "date": {"start": n["date"][0], "end": n["date"][1]} if n["date"] else None,
             "amounts": n["amounts"], "text": n["evidence"]["text"], "start": n["evidence"]["start"],
             "end": n["evidence"]["end"]}
        )  # fmt: skip
    history = [
        {"status": e["status"], "reported": e["published"] or "", "hedged": e["hedged"],
         "attribution": e["attribution"]["kind"], "doc_id": e["doc_id"], "outlet": e["outlet"]}
        for e in evidence
    ]  # fmt: skip
    status = _current(history)
    supporting = [e for e in evidence if e["status"] != "denied"]
    current = [e for e in evidence if e["status"] == status] or evidence
    dated = [e for e in current if e["date"] and e["date"]["start"]] or [
        e for e in evidence if e["date"] and e["date"]["start"]
    ]
    roles: dict[str, set[str]] = {}
    for n in reports:
        for role, ids in n["roles"].items():
            roles.setdefault(role, set()).update(ids)
    amounts: list[dict[str, Any]] = []
    seen: set[tuple[Any, Any]] = set()
    for e in current:
        for a in e["amounts"]:
            k = (a.get("value"), a.get("unit"))
            if k not in seen:
                seen.add(k)
                amounts.append(a)
    published = [e["published"] for e in evidence if e["published"]]
    return {
        "id": ident,
        "type": reports[0]["type"],
        "status": status,
        "hedged": all(e["hedged"] for e in current),
        "date": {
            "start": min(e["date"]["start"] for e in dated) if dated else None,
            "end": max((e["date"]["end"] or e["date"]["start"]) for e in dated) if dated else None,
        },
        "first_reported": min(published) if published else None,
        "last_reported": max(published) if published else None,
        "corroboration": len({e["source"] for e in supporting}),
        "reports": len(evidence),
        "documents": len({e["doc_id"] for e in evidence}),
        "amounts": amounts,
        "participants": [{"role": r, "entity": e} for r in sorted(roles) for e in sorted(roles[r])],
        "status_history": history,
        "contradictions": _contradictions(evidence),
        "evidence": evidence,
    }


def _contradictions(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Conflicting amounts, dates and statuses between sources, once per kind and pair of sources."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for i, a in enumerate(evidence):
        for b in evidence[i + 1 :]:
            if a["source"] == b["source"]:
                continue
            found: list[tuple[str, str, str]] = []
            if amount_relation(a["amounts"], b["amounts"]) == "differ":
                found.append(
                    ("amount", "; ".join(x["text"] for x in a["amounts"]), "; ".join(x["text"] for x in b["amounts"]))
                )
            if (a["status"] == "denied") != (b["status"] == "denied"):
                found.append(("status", a["status"], b["status"]))
            da = [a["date"]["start"], a["date"]["end"]] if a["date"] else None
            db = [b["date"]["start"], b["date"]["end"]] if b["date"] else None
            if (
                a["status"] == b["status"]
                and _date_relation({"date": da, "status": a["status"]}, {"date": db, "status": b["status"]}) == "close"
            ):
                found.append(("date", str(a["date"]["start"]), str(b["date"]["start"])))
            for kind, left, right in found:
                key = (kind, *sorted((a["source"], b["source"])))
                if key in seen or len(out) >= 20:
                    continue
                seen.add(key)
                out.append(
                    {"kind": kind, "left_value": left, "right_value": right,
                     "left": {k: a[k] for k in ("doc_id", "event_id", "outlet", "published")},
                     "right": {k: b[k] for k in ("doc_id", "event_id", "outlet", "published")}}
                )  # fmt: skip
    return out


def status_changes(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A status history reduced to its changes: the first report, then each report of a different status."""
    out: list[dict[str, Any]] = []
    for h in history:
        if not out or h["status"] != out[-1]["status"]:
            out.append({k: h.get(k) for k in ("reported", "status", "outlet")})
    return out


def listing(fact: dict[str, Any]) -> dict[str, Any]:
    """What an entity's dossier reads of a fact, stored beside it so a busy entity's 200 facts are not decoded
    with every report: the fact without its evidence and status history, plus the first evidence, the
    outlets, the status changes and the documents of each outlet."""
    out = {k: v for k, v in fact.items() if k not in ("evidence", "status_history")}
    out["evidence"] = fact["evidence"][:1]
    out["outlets"] = sorted({e["outlet"] for e in fact["evidence"] if e.get("outlet")})
    out["status_changes"] = status_changes(fact["status_history"])
    by_outlet: dict[str, set[str]] = {}
    for e in fact["evidence"]:
        by_outlet.setdefault(e.get("outlet") or "(unknown outlet)", set()).add(e["doc_id"])
    out["documents_by_outlet"] = {o: sorted(d) for o, d in sorted(by_outlet.items())}
    return out
