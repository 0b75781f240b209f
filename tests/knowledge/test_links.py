"""What makes two reports one event (`facts.link`): participants counted once each, the state an agency or
state corporation acts for, and the further agreement one shared participant needs."""

from __future__ import annotations

from typing import Any

import pytest

from dossier.knowledge import _state_names
from dossier.knowledge import facts as F
from dossier.knowledge.rules import rules

US, CHINA, RUSSIA, BIS, ROSATOM, TURKEY_PLANT = "ent_us", "ent_cn", "ent_ru", "ent_bis", "ent_rosatom", "ent_akkuyu"
STATES = {US: "state:united states", CHINA: "state:china", RUSSIA: "state:russia", BIS: "state:united states"}


def report(type_: str, roles: dict[str, list[str]], *, date: str | None = None, status: str = "done",
           published: str = "2023-10", states: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    mine = {x: s for x, s in (states or STATES).items() if any(x in ids for ids in roles.values())}
    node = {"type": type_, "roles": roles, "date": [date, date] if date else None, "status": status,
            "published": published, "amounts": []}  # fmt: skip
    if mine:
        node["states"] = mine
    return node


def test_a_state_named_by_both_reports_is_one_shared_participant_not_two() -> None:
    background = report("SANCTION", {"imposer": [US]})
    specific = report("SANCTION", {"imposer": [US], "target": [CHINA]}, date="2023-10-17")
    # one shared participant and nothing else agreeing (no date on one side, no amount, no place)
    assert F.link(background, specific) is None
    also_background = report("SANCTION", {"imposer": [US]}, published="2023-11")
    assert F.link(background, also_background) is None


def test_an_agency_stands_for_its_state() -> None:
    by_agency = report("SANCTION", {"imposer": [BIS], "target": [CHINA]}, date="2022-10-07")
    by_state = report("SANCTION", {"imposer": [US], "target": [CHINA]}, date="2022-10")
    assert F.link(by_agency, by_state) is not None


def test_one_shared_participant_links_only_with_a_precise_date_amount_or_place_in_common() -> None:
    a = report("SUPPLY", {"supplier": [RUSSIA], "location": [TURKEY_PLANT]}, date="2023-04-27")
    b = report("SUPPLY", {"supplier": [RUSSIA], "customer": [CHINA]}, date="2023-04-27")
    assert F.link(a, b) is not None  # the same day
    b["date"] = ["2023-03-22", "2030"]  # a plan "by 2030" merely contains the day: not agreement enough
    assert F.link(a, b) is None


def test_a_state_corporation_acts_for_its_state() -> None:
    names = _state_names()
    assert names["rosatom"] == names["russia"] == "russia"
    assert names["bureau of industry and security"] == "united states"
    assert "gazprom" not in names  # a listed company with the state as a shareholder speaks for itself
    assert "huawei" not in names
    states = {**STATES, ROSATOM: "state:russia"}
    by_company = report("SUPPLY", {"supplier": [ROSATOM], "location": [TURKEY_PLANT]}, date="2023-04-27",
                        states=states)  # fmt: skip
    by_state = report("SUPPLY", {"supplier": [RUSSIA], "location": [TURKEY_PLANT]}, date="2023-04-27",
                      states=states)  # fmt: skip
    assert F.link(by_company, by_state) is not None


def test_undated_market_shares_a_year_apart_are_two_readings() -> None:
    nvidia = "ent_nvidia"
    share = {"unit": "%", "usd": None, "value": 80.0}
    early = report("MARKET_SHARE", {"company": [nvidia]}, published="2022-12")
    early["amounts"] = [share]
    later = {**early, "published": "2023-10"}
    much_later = {**early, "published": "2024-06"}
    assert F.link(early, later) is not None  # the same figure ten months on: one reading
    assert F.link(early, much_later) is None  # 18 months on: another period, even with the same figure
    # other events keep the general reach: an undated investment of the same amount 18 months apart
    stake = report("INVESTMENT", {"investor": [nvidia]}, published="2022-12")
    stake["amounts"] = [{"unit": "USD", "usd": 1e9, "value": 1e9}]
    assert F.link(stake, {**stake, "published": "2024-06"}) is not None


JAPAN = "ent_jp"


def test_an_undated_plan_joins_the_measure_reported_in_the_months_after_it() -> None:
    plan = report("SANCTION", {"imposer": [JAPAN]}, status="planned", published="2023-03")
    measure = report("SANCTION", {"imposer": [JAPAN]}, date="2023-07-23", published="2023-07")
    assert F.link(plan, measure) is not None
    assert F.link(measure, plan) is not None
    # too late, or before the plan was told: nothing says the plan was about it
    assert F.link(plan, report("SANCTION", {"imposer": [JAPAN]}, date="2023-11-02", published="2023-11")) is None
    assert F.link(plan, report("SANCTION", {"imposer": [JAPAN]}, date="2022-12-01", published="2023-01")) is None
    # a report of something done, without a date, foretells nothing
    done = report("SANCTION", {"imposer": [JAPAN]}, published="2023-03")
    assert F.link(done, measure) is None


def test_a_plan_and_a_measure_sharing_only_the_target_are_not_one_event() -> None:
    plan = report("SANCTION", {"target": [CHINA]}, status="planned", published="2023-03")
    measure = report("SANCTION", {"imposer": [US], "target": [CHINA]}, date="2023-05-21", published="2023-05")
    assert F.link(plan, measure) is None
    # the agent role is the event frame's (cues.yaml); where parties share a role there is none
    agents = rules().agents
    assert agents["SANCTION"] == "imposer" and agents["ACQUISITION"] == "buyer"
    assert "MEETING" not in agents and "PARTNERSHIP" not in agents


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"forecast_months": 30}, "forecast_months: expected whole months up to undated_months"),
        ({"forecast_months": None}, "forecast_months: expected whole months up to undated_months"),
        ({"undated_months_by_type": {"MARKET_SHARE": 19}}, "undated_months_by_type.MARKET_SHARE: expected whole"),
        ({"undated_months_by_type": {"TAKEOVER": 6}}, "undated_months_by_type.TAKEOVER: 'TAKEOVER' is not an event"),
    ],
)
def test_the_reach_in_months_is_checked(monkeypatch: pytest.MonkeyPatch, change: dict[str, Any], problem: str) -> None:
    from dossier.errors import DossierError
    from dossier.nlp import resources

    original = resources.read_yaml

    def patched(package: str, name: str) -> Any:
        data = original(package, name)
        return {**data, **change} if name == "knowledge.yaml" else data

    monkeypatch.setattr(resources, "read_yaml", patched)
    with pytest.raises(DossierError, match=problem):
        rules.__wrapped__()
