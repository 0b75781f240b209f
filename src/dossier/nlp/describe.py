"""Roles and appositions around a name: "Peter Wennink, chief executive of ASML," / "trade minister X".

Used twice: by ``names`` as evidence that an unknown name is a person or an organisation, and by
``aliases`` to fill an entity's ``descriptions``.
"""

from __future__ import annotations

import re

from dossier.nlp.resources import Resources, words_regex

_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_NOT_A_DESCRIPTION = re.compile(
    r"^(?:which|who|whom|whose|that|where|when|and|but|or|said|says|told|added|according|as|in|on|at|"
    r"for|from|to|by|with|after|before|while|if|because|however|though|although|he|she|it|they|we)\b",
    re.IGNORECASE,
)
_ORG_APPOSITION_START = re.compile(r"^(?:a|an|the)\s|^[A-Z][\w&.-]*(?:'s|s')\s")
_NOT_BEFORE_WORDS = re.compile(
    r"^(?:said|says|told|the|a|an|and|by|with|of|from|to|for|at|in|on|as|its|his|her|their|former|then)$",
    re.IGNORECASE,
)


class Describer:
    def __init__(self, resources: Resources) -> None:
        names = resources.names
        roles = words_regex(names.person_roles)
        org_nouns = words_regex(names.org_nouns)
        honorifics = words_regex(tuple(names.honorifics), flexible_space=False)
        self.role_word = re.compile(r"\b" + roles + r"\b", re.IGNORECASE)
        self.org_word = re.compile(r"\b" + org_nouns + r"\b", re.IGNORECASE)
        # ", chief executive of ASML," up to the next clause boundary
        self.apposition = re.compile(
            r",\s+(?P<d>[^,;:\"()\n]{2,120}?)"
            r"(?=\s*(?:,|;|:|\.(?:\s|$)|\(|\"|$)|\s+(?:said|says|told|added|who|which|whose|that|has|had|have|"
            r"is|was|will|would|and\s+said)\b)"
        )
        self.honorific_before = re.compile(r"(?<![\w.])" + honorifics + r"\.?\s+$")
        # "trade minister ", "Commerce Secretary ", "analyst ": looked up word by word, not searched
        self.roles_before = frozenset(names.person_roles) | frozenset(t.lower() for t in names.person_titles)
        self.longest_role = max(len(r.split()) for r in self.roles_before)
        self.speech_after = re.compile(
            r"\s+(?:" + words_regex(tuple(v for v in resources.cues.speech_verbs if " " not in v)) + r")\b"
        )
        self.acronym_after = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9&-]{1,11})\)")

    def after(self, text: str, end: int, *, person: bool) -> str | None:
        """The apposition right after a name when it names a role (person) or a kind of body (org)."""
        m = self.apposition.match(text, end, min(len(text), end + 160))
        if m is None:
            return None
        description = m.group("d").strip()
        if _NOT_A_DESCRIPTION.match(description):
            return None
        noun = self.role_word if person else self.org_word
        if not noun.search(description):
            return None
        if not person and not _ORG_APPOSITION_START.match(description):
            return None  # ", making it the US group's largest shareholder" is not a description
        return _ARTICLE.sub("", description) or None

    def before(self, text: str, start: int) -> str | None:
        """A role right before a person's name: "trade minister", "Commerce Secretary"."""
        if start < 2 or not text[start - 1].isspace():
            return None
        words = text[max(0, start - 60) : start].split()
        if start >= 60:
            words = words[1:]  # the first may be cut
        for size in range(min(self.longest_role, len(words)), 0, -1):
            if " ".join(words[-size:]).lower() in self.roles_before:
                kept = words[-size:]
                for word in reversed(words[: len(words) - size][-2:]):
                    if _NOT_BEFORE_WORDS.match(word) or not word.replace("-", "").isalpha():
                        break
                    kept.insert(0, word)
                return " ".join(kept)
        return None

    def has_honorific(self, text: str, start: int) -> bool:
        return self.honorific_before.search(text, max(0, start - 8), start) is not None
