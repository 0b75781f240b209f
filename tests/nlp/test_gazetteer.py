"""The packaged actor gazetteer: coverage and consistency (the loader itself rejects duplicates)."""

from __future__ import annotations

from collections import Counter

import pytest

from dossier.nlp.resources import gazetteer_files, load_resources


def test_every_iso_country_is_known() -> None:
    pycountry = pytest.importorskip("pycountry")
    gazetteer = load_resources().gazetteer
    missing = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in gazetteer.by_iso2)
    assert missing == []


def test_gazetteer_is_a_few_thousand_typed_actors_in_several_files() -> None:
    actors = load_resources().gazetteer.actors
    assert len(gazetteer_files()) > 1
    assert len(actors) >= 2500
    types = Counter(a.type for a in actors.values())
    assert types["ORG"] >= 1500 and types["GPE"] >= 250 and types["PRODUCT"] >= 200
    companies = [a for a in actors.values() if a.section == "companies"]
    assert {a.country for a in companies} >= {"US", "CN", "RU", "IN", "JP", "KR", "TW", "GB", "DE", "FR", "NL"}
    assert any(a.outlet for a in actors.values())


def test_no_actor_claims_a_bare_common_word() -> None:
    """One-token aliases match case-sensitively anywhere in running text: none may be an everyday word."""
    common = {"The", "New", "First", "General", "National", "Global", "International", "Group", "Line", "Box",
              "Target", "Square", "Will", "May", "June", "Sea", "Grab", "Visa", "Delta"}  # fmt: skip
    surfaces = {s for a in load_resources().gazetteer.actors.values() for s in (a.name, *a.aliases)}
    assert not surfaces & common


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"id": "x-corp", "name": "X Corp", "country": "RU", "state_owned": "yes"},
            "state_owned must be true or false",
        ),
        ({"id": "x-corp", "name": "X Corp", "state_owned": True}, "state_owned needs the country"),
    ],
)
def test_a_bad_state_owned_entry_is_a_one_line_error(entry: dict, message: str) -> None:
    from dossier.errors import DossierError
    from dossier.nlp.resources import Checker, _load_actor_sections, load_ontology

    data = {"companies": {"type": "ORG", "entries": [entry]}}
    with pytest.raises(DossierError, match=message):
        _load_actor_sections(Checker("test.yaml"), data, load_ontology(), {}, {}, {})


def test_state_owned_is_read() -> None:
    from dossier.nlp.resources import load_resources

    actors = load_resources().gazetteer.actors
    assert actors["rosatom"].state_owned and not actors["gazprom"].state_owned
