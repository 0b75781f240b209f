"""Component ``dossier_actors``: gazetteer matches (data/actors.yaml), flag emojis, "the Dutch government".

Single-token aliases and tickers match case-sensitively (``Arm`` is not ``arm``), longer aliases and
@handles case-insensitively; a hashtag of a name ("#Huawei") is a mention of it. A capital is the city
where the text makes it a place ("talks in Washington") and the state where it acts ("Beijing
responded").
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from dossier.nlp.resources import Gazetteer, Resources, load_resources, words_regex
from dossier.nlp.state import Hit, patterns, state_of, token_offsets

_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_INDICATOR_A = 0x1F1E6
_STATE = "STATE:"
_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)\b(?!['’]s)")


class ActorsComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        self.gazetteer: Gazetteer = resources.gazetteer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact: dict[str, list[str]] = {}
        lower: dict[str, list[str]] = {}
        for actor in self.gazetteer.actors.values():
            for surface in (actor.name, *actor.aliases, *actor.tickers):
                exact.setdefault(actor.id, []).append(surface)
            for handle in actor.handles:
                lower.setdefault(actor.id, []).append(handle)
        for actor_id, surfaces in exact.items():
            one_token: list[Doc] = []
            several: list[Doc] = []
            for pattern in patterns(nlp, surfaces):
                (one_token if len(pattern) == 1 else several).append(pattern)
            if one_token:
                self.exact.add(actor_id, one_token)
            if several:
                self.lower.add(actor_id, several)
        for actor_id, handles in lower.items():
            self.lower.add(actor_id, patterns(nlp, handles))
        # "the Dutch government", "the Chinese side": the state
        state_phrases: dict[str, list[str]] = {}
        for demonym, actor_id in self.gazetteer.demonyms.items():
            state_phrases.setdefault(_STATE + actor_id, []).extend(
                f"{demonym} {noun}" for noun in resources.cues.state_nouns
            )
        for label, phrases in state_phrases.items():
            self.lower.add(label, patterns(nlp, phrases))
        self.vocab = nlp.vocab
        self.first_names = resources.names.first_names
        self.government_after = re.compile(" " + words_regex(resources.names.government_nouns) + r"\b")
        self.stopwords = resources.names.stopwords
        cues = resources.cues
        self.place_before = re.compile(r"(?:^|\W)(?i:" + words_regex(cues.place_prepositions) + r")\s+(?:the\s+)?$")
        self.place_after = re.compile(r"^(?:-|\s+)(?i:" + words_regex(cues.place_followers) + r")\b")

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        zones = state.entity_zones
        actors = self.gazetteer.actors
        strings = self.vocab.strings
        found: list[tuple[int, int, int, str, str]] = []  # start, end, priority, key, source
        token_starts, token_ends = token_offsets(doc)
        for priority, matcher in ((0, self.exact), (1, self.lower)):
            for match_id, start, end in matcher(doc):
                s, e = token_starts[start], token_ends[end - 1]
                if s > 0 and text[s - 1] == "#":
                    if s > 1 and text[s - 2].isalnum():
                        continue  # "C#", "F#": not a hashtag
                    s -= 1  # "#Huawei", "#Russia": a hashtag naming an actor is a mention of it
                label = strings[match_id]
                if label.startswith(_STATE):
                    found.append((s, e, priority, label[len(_STATE) :], "state"))
                else:
                    found.append((s, e, priority, label, "actor"))
        by_iso2 = self.gazetteer.by_iso2
        for zone_start, zone_end in zones.spans:
            for m in _FLAG.finditer(text, zone_start, zone_end):
                code = "".join(chr(ord(c) - _INDICATOR_A + 65) for c in m.group())
                key = by_iso2.get(code)
                if key is not None:
                    found.append((m.start(), m.end(), 0, key, "flag"))
        # longest match wins; on a tie the case-sensitive one
        found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2]))
        hits: list[Hit] = []
        last_end = -1
        for s, e, _, key, source in found:
            if s < last_end or not zones.contains(s, e):
                continue
            actor = actors[key]
            if self._first_name_of_a_person(text, s, e):
                continue  # "Chad Bown", "Jordan Peterson": a person's first name, not the country
            if actor.capital_of is not None and not self._is_place(text, s, e):
                key, source = actor.capital_of, "metonym"
                actor = actors[key]
            government = self.government_after.match(text, e) if actor.type == "PERSON" else None
            if government is not None:  # "the Biden administration": a government, not the person
                e = government.end()
                hits.append(Hit(s, e, "ORG", f"name:{text[s:e]}", "name"))
            else:
                hits.append(Hit(s, e, actor.type, key, source))
            last_end = e
        state.hits = hits
        return doc

    def _first_name_of_a_person(self, text: str, start: int, end: int) -> bool:
        surface = text[start:end]
        if surface not in self.first_names:
            return False
        m = _NEXT_WORD.match(text, end)
        return m is not None and m.group(1) not in self.stopwords

    def _is_place(self, text: str, start: int, end: int) -> bool:
        return bool(
            self.place_before.search(text, max(0, start - 40), start) or self.place_after.match(text[end : end + 30])
        )


@Language.factory("dossier_actors", assigns=["doc._.dossier"])
def make_actors(nlp: Language, name: str) -> ActorsComponent:
    return ActorsComponent(nlp, load_resources())
