"""Name keys and pair scores of cross-document resolution, on names of our own choosing."""

from __future__ import annotations

from dossier.resolve.names import acronyms, core, folded, is_name, keys
from dossier.resolve.score import Unit, judge


def _unit(uid: str, name: str, type_: str = "ORG", **kw: object) -> Unit:
    return Unit(id=uid, entity=uid, type=type_, name=name, forms=[name], names=[name], **kw)  # type: ignore[arg-type]


def test_transliteration_variants_fold_together() -> None:
    assert folded("Sergey Lavrenko") == folded("Sergei Lavrenko") == folded("Serguei Lavrenko")
    assert folded("Zhou Minhao") == folded("Chou Minhao") == folded("Minhao Zhou")
    assert folded("Yury Petrenko") == folded("Iurii Petrenko")
    assert folded("Ivan Petrov") != folded("Ivan Pavlov")


def test_cores_acronyms_and_descriptions() -> None:
    assert core("The Orvane Systems Corp") == "orvane systems"
    assert core("H100s") == "h100" and core("Kirin 9000S") == "kirin 9000s"
    assert "mts" in acronyms("Mobile TeleSystems")
    assert "smic" in acronyms("Semiconductor Manufacturing International Corporation")
    assert not is_name("the Dutch company") and not is_name("Dutch government") and is_name("@orvane")


def test_keys_meet_where_they_should() -> None:
    held_short, probe_short = keys(["Huawei"], "ORG")
    held_long, probe_long = keys(["Huawei Technologies"], "ORG")
    assert probe_short & held_long and probe_long & held_short  # found from either side
    held_a, probe_a = keys(["Wang Lin"], "PERSON")
    held_b, probe_b = keys(["Wang Yu"], "PERSON")
    assert not (probe_a & held_b) and not (probe_b & held_a)  # two full names do not meet on a surname


def test_judgements() -> None:
    assert judge(_unit("a", "Lavrenko Group", "ORG"), _unit("b", "Lavrenko Group", "PERSON")) is None
    assert (judge(_unit("a", "Orvane"), _unit("b", "Orvane Technologies")) or 0) >= 0.7
    assert judge(_unit("a", "Orvane"), _unit("b", "Orvane Research")) is None  # a division is not the company
    people = ("Sergey Lavrenko", "Sergei Lavrenko")
    assert (judge(_unit("a", people[0], "PERSON"), _unit("b", people[1], "PERSON")) or 0) >= 0.7
    ceo = _unit("a", "Mara Quist", "PERSON", affiliations=["Orvane"])
    professor = _unit("b", "Mara Quist", "PERSON", affiliations=["Tartu University"])
    assert (judge(ceo, professor) or 1) <= 0.2  # one name, two organisations: two people
    assert judge(_unit("a", "Ukraine", "GPE", wikidata="Q212"), _unit("b", "Ukraine", "GPE", wikidata="Q2")) == 0.0
