"""Scoring a candidate pair of units: the same thing, different things, or no judgement.

A judgement is a pure function of the two units' features, so re-scoring a pair always gives the same
answer, whichever documents arrived first. The algorithm's name is stored with every judgement it makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossier.resolve.names import acronyms, core, folded, is_name, org_extensions, words

ALGORITHM = "names_v1"
POSITIVE = 0.7  # a score at or above this is a positive judgement
NEGATIVE = 0.2  # at or below, a negative one (a constraint clustering respects)

_PLACES = frozenset({"GPE", "LOC", "FAC"})
_DESCRIPTION_STOP = frozenset(
    {"a", "an", "the", "of", "at", "in", "for", "and", "its", "his", "her", "their", "who", "which", "that",
     "former", "chief", "executive", "head", "said"}
)  # fmt: skip


@dataclass(slots=True)
class Unit:
    """What scoring knows of a unit: its names, descriptions, affiliations and company."""

    id: str
    entity: str
    type: str
    name: str
    wikidata: str | None = None
    forms: list[str] = field(default_factory=list)  # name and aliases, as written
    names: list[str] = field(default_factory=list)  # the names documents gave it (no aliases)
    descriptions: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)  # for a person: the organisations in the sense
    company: set[str] = field(default_factory=set)  # entity ids seen in the same documents

    def matchable(self) -> list[str]:
        """The forms names are compared on. A place's aliases are left out: a document that reads "Beijing"
        as China's government lists the city as an alias of the country, and the city elsewhere is a city."""
        forms = [self.name, *self.names] if self.type in _PLACES else [self.name, *self.forms]
        return [f for f in forms if is_name(f)]

    def cores(self) -> set[str]:
        """Normalised names; a person's single words (a surname alone) are matched as surnames instead."""
        out = {c for c in (core(f) for f in self.matchable()) if c}
        if self.type == "PERSON":
            out = {c for c in out if " " in c}
        return out

    def folds(self) -> set[str]:
        out = {f for f in (folded(x) for x in self.matchable()) if f}
        if self.type == "PERSON":
            out = {f for f in out if " " in f}
        return out


def _description_words(unit: Unit) -> set[str]:
    return {w for d in unit.descriptions for w in words(d) if w not in _DESCRIPTION_STOP and len(w) > 2}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _affiliations_conflict(a: Unit, b: Unit) -> bool | None:
    """True when both people are tied to organisations and none of them shares a word; None if unknown."""
    if not a.affiliations or not b.affiliations:
        return None
    wa = {w for x in a.affiliations for w in core(x).split()}
    wb = {w for x in b.affiliations for w in core(x).split()}
    return not (wa & wb)


def judge(a: Unit, b: Unit) -> float | None:
    """A score in [0, 1] for "a and b are one thing", or None for no judgement."""
    if a.type != b.type:
        return None
    if a.wikidata and b.wikidata:
        return 1.0 if a.wikidata == b.wikidata else 0.0
    ca, cb = a.cores(), b.cores()
    score = 0.0
    if ca & cb:
        score = 0.9
    elif a.folds() & b.folds():
        score = 0.85  # the same name in another transliteration
    elif a.type == "PERSON":
        score = _surname_score(a, b)
    elif a.type == "ORG" and _generic_extension(ca, cb):
        score = 0.8  # "Samsung" and "Samsung Electronics": the longer adds only words organisations are made of
    else:
        short_a = {c for c in ca if " " not in c and len(c) >= 3}
        short_b = {c for c in cb if " " not in c and len(c) >= 3}
        acr_a = {x for f in a.matchable() for x in acronyms(f)}
        acr_b = {x for f in b.matchable() for x in acronyms(f)}
        if (short_a & acr_b) or (short_b & acr_a):
            score = 0.55  # an acronym and its expansion: only with company or descriptions in common
    if score == 0.0:
        return None
    company = _overlap(a.company, b.company)
    described = _overlap(_description_words(a), _description_words(b))
    if a.type == "PERSON":
        conflict = _affiliations_conflict(a, b)
        if conflict:
            return 0.1  # the same name, tied to different organisations: two people
        if conflict is False:
            score += 0.1
    if score < POSITIVE:
        score += 0.2 * min(1.0, company * 3) + 0.1 * described
    return round(min(score, 1.0), 3)


def _generic_extension(ca: set[str], cb: set[str]) -> bool:
    """One name is another followed only by generic organisation words ("Huawei" / "Huawei Technologies")."""
    generic = org_extensions()
    for short, longs in ((ca, cb), (cb, ca)):
        for x in short:
            for y in longs:
                if y.startswith(x + " ") and all(w in generic for w in y[len(x) + 1 :].split()):
                    return True
    return False


def _surname_score(a: Unit, b: Unit) -> float:
    """A surname alone against a full name ending in it: weak unless the company they keep agrees."""
    all_a = {c for c in (core(f) for f in a.matchable()) if c}
    all_b = {c for c in (core(f) for f in b.matchable()) if c}
    # a lone surname is a unit's own name only when it has no full name: "Tan" beside "Hock Tan" is his
    lone_a = {c for c in all_a if " " not in c} if all(" " not in c for c in all_a) else set()
    lone_b = {c for c in all_b if " " not in c} if all(" " not in c for c in all_b) else set()
    last_a = {c.split()[-1] for c in all_a if " " in c}
    last_b = {c.split()[-1] for c in all_b if " " in c}
    if (lone_a & last_b) or (lone_b & last_a):
        return 0.55
    return 0.0
