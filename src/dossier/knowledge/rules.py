"""The data of fact merging (data/knowledge.yaml), loaded and checked against the ontology once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Rules:
    stages: dict[str, int]  # status -> place in the life-cycle; terminal statuses share the last place
    terminal: frozenset[str]
    symmetric: frozenset[str]
    context: frozenset[str]
    exclusive_context: tuple[str, ...]
    shared_context: tuple[str, ...]
    directed: tuple[tuple[str, str], ...]
    undated_months: int
    undated_months_by_type: dict[str, int]  # shorter reach for readings at a time (a market share)
    close_date_days: int
    forecast_months: int  # an undated plan meets a dated report of it this many months after it was told
    agents: dict[str, str]  # event type -> the role of the one who acts (imposer, buyer; cues.yaml frames)
    amount_tolerance: float
    join_linked_share: float
    public_body_words: tuple[str, ...]


@cache
def rules() -> Rules:
    from dossier.nlp.resources import Checker, load_cues, load_ontology, read_yaml

    chk = Checker("dossier/data/knowledge.yaml")
    data = chk.mapping(read_yaml("dossier.data", "knowledge.yaml"), "<root>")
    ontology = load_ontology()
    roles = {r for rs in ontology.event_types.values() for r in rs}

    def role_list(key: str) -> tuple[str, ...]:
        found = chk.strings(data.get(key), key)
        unknown = sorted(set(found) - roles)
        if unknown:
            raise chk.fail(key, f"{unknown} are not roles in ontology.yaml")
        return found

    def number(key: str) -> Any:
        value = data.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise chk.fail(key, f"expected a non-negative number, got {value!r}")
        return value

    terminal = chk.strings(data.get("terminal_statuses"), "terminal_statuses")
    unknown = sorted(set(terminal) - set(ontology.statuses))
    if unknown:
        raise chk.fail("terminal_statuses", f"{unknown} are not statuses in ontology.yaml")
    ordered = [s for s in ontology.statuses if s not in terminal]
    stages = {s: i for i, s in enumerate(ordered)} | {s: len(ordered) for s in terminal}
    directed = []
    for i, raw in enumerate(data.get("directed_roles") or []):
        pair = chk.strings(raw, f"directed_roles[{i}]")
        if len(pair) != 2 or set(pair) - roles:
            raise chk.fail(f"directed_roles[{i}]", "expected [from, to], two roles in ontology.yaml")
        directed.append((pair[0], pair[1]))
    undated_months = int(number("undated_months"))

    def months_up_to_undated(where: str, months: Any) -> int:
        # blocking probes undated_months around a report: a longer reach here would miss pairs
        if not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= undated_months:
            raise chk.fail(where, f"expected whole months up to undated_months, got {months!r}")
        return months

    by_type: dict[str, int] = {}
    for type_, months in chk.mapping(data.get("undated_months_by_type") or {}, "undated_months_by_type").items():
        where = f"undated_months_by_type.{type_}"
        if type_ not in ontology.event_types:
            raise chk.fail(where, f"{type_!r} is not an event type in ontology.yaml")
        by_type[str(type_)] = months_up_to_undated(where, months)
    symmetric = frozenset(role_list("symmetric_roles"))
    # the one who acts in each type (cues.yaml's event frames), where the type has one: not where the parties
    # share the role ("party" of a meeting)
    agents = {
        etype: frame.agent
        for etype, frame in load_cues(ontology).events.items()
        if frame.agent and frame.agent not in symmetric
    }
    return Rules(
        stages=stages,
        terminal=frozenset(terminal),
        symmetric=symmetric,
        context=frozenset(role_list("context_roles")),
        exclusive_context=role_list("exclusive_context_roles"),
        shared_context=role_list("shared_context_roles"),
        directed=tuple(directed),
        undated_months=undated_months,
        undated_months_by_type=by_type,
        close_date_days=int(number("close_date_days")),
        forecast_months=months_up_to_undated("forecast_months", data.get("forecast_months")),
        agents=agents,
        amount_tolerance=float(number("amount_tolerance")),
        join_linked_share=float(number("join_linked_share")),
        public_body_words=chk.strings(data.get("public_body_words"), "public_body_words"),
    )
