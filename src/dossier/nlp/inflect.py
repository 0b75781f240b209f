"""Verb forms for cue lists: the data names base forms, the matcher needs every inflection."""

from __future__ import annotations

_VOWELS = frozenset("aeiou")


def _third_person(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _doubles(word: str) -> bool:
    """Short consonant-vowel-consonant verbs double their last letter (ban -> banned, ship -> shipped)."""
    return (
        2 < len(word) <= 4
        and word[-1] not in _VOWELS
        and word[-1] not in "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )


def _past(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ied"
    if _doubles(word):
        return word + word[-1] + "ed"
    return word + "ed"


def _gerund(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith("ee"):
        return word[:-1] + "ing"
    if _doubles(word):
        return word + word[-1] + "ing"
    return word + "ing"


def verb_forms(spec: str) -> list[str]:
    """All forms of a verb written ``base``, ``base/past`` or ``base/past/participle``.

    Only the first word inflects: ``team up`` -> ``teams up``, ``teamed up``, ``teaming up``.
    """
    parts = [p.strip() for p in spec.split("/") if p.strip()]
    base = parts[0]
    head, _, rest = base.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = [base, _third_person(head) + tail, _gerund(head) + tail]
    if len(parts) >= 2:
        forms.extend(parts[1:])
    else:
        forms.append(_past(head) + tail)
    seen: dict[str, None] = dict.fromkeys(forms)
    return list(seen)
