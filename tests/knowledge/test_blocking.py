"""Blocking keys for fact linking are exact: every pair of reports `facts.link` would link meets on a key,
from either side (a new report probes what stored ones hold). Checked over random reports: participants
from a small pool so pairs collide, dates at every precision, statuses, places and products."""

from __future__ import annotations

import random
from typing import Any

from dossier.knowledge import facts as F

POOL = ["ent_a", "ent_b", "ent_c", "ent_d", "ent_e"]
PLACES = ["ent_p1", "ent_p2"]


def _date(rng: random.Random) -> list[str | None] | None:
    kind = rng.choice(["none", "year", "month", "day", "range"])
    year = rng.randint(2018, 2024)
    if kind == "none":
        return None
    if kind == "year":
        return [str(year), str(year)]
    month = f"{year}-{rng.randint(1, 12):02d}"
    if kind == "month":
        return [month, month]
    day = f"{month}-{rng.randint(1, 28):02d}"
    if kind == "day":
        return [day, day]
    return [day, f"{year + rng.randint(0, 6)}"]


def _report(rng: random.Random) -> dict[str, Any]:
    roles: dict[str, list[str]] = {}
    kind = rng.choice(["PARTNERSHIP", "SANCTION"])
    names = rng.sample(POOL, rng.randint(1, 3))
    if kind == "PARTNERSHIP":
        roles["party"] = sorted(names)
    else:
        roles["imposer"] = names[:1]
        if names[1:]:
            roles["target"] = sorted(names[1:])
    if rng.random() < 0.3:
        roles["location"] = [rng.choice(PLACES)]
    published = f"{rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    states = {"ent_a": "state:a"} if "ent_a" in names and rng.random() < 0.5 else {}
    node = {
        "type": kind, "roles": roles, "date": _date(rng), "status": rng.choice(sorted(F.STAGES)),
        "amounts": [], "published": published,
    }  # fmt: skip
    if states:
        node["states"] = states
    return F.summary(node)


def test_every_pair_link_would_join_meets_on_a_key() -> None:
    rng = random.Random(11)
    reports = [_report(rng) for _ in range(700)]
    keys = [F.block_keys(r) for r in reports]
    linked = 0
    for i, a in enumerate(reports):
        for j in range(i + 1, len(reports)):
            b = reports[j]
            if F.link(a, b) is None:
                continue
            linked += 1
            assert set(keys[i][1]) & set(keys[j][0]), (a, b)
            assert set(keys[j][1]) & set(keys[i][0]), (b, a)
    assert linked > 1000  # the check saw many linkable pairs


def test_refinement_separates_reports_far_apart_in_time() -> None:
    a = F.summary({"type": "SANCTION", "roles": {"imposer": ["ent_a"], "target": ["ent_b"]}, "date": None,
                   "status": "done", "amounts": [], "published": "2019-01-10"})  # fmt: skip
    b = dict(a, published="2023-06")
    assert F.link(a, b) is None
    assert not set(F.block_keys(a)[1]) & set(F.block_keys(b)[0])
