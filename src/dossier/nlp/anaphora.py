"""Component ``dossier_anaphora``: what "it", "its", "he", "his" and "the company" refer to.

News names an actor once and then goes on with pronouns and descriptions: "Broadcom said on Wednesday
it had completed its acquisition of VMware", "The company has recruited several hundred engineers".
The events component needs those references to fill roles, so this component resolves them to the
entity named before, by salience rather than by plain recency:

1. in the same sentence, the first entity of a fitting type that stands where a subject stands (not
   after a preposition, not owning another name, not inside a relative clause) before the reference:
   "TSMC, which supplies Apple, said it ..." -> TSMC;
2. otherwise the subject-like entity of the closest sentence before it, up to three sentences back, the
   references already resolved included: "It said ... It expects ..." stays with the first antecedent.

"it" and "its" refer to organisations and places (a country acts too: "China said it would ..."),
"he", "his", "she", "her" to people, and a definite description built on an organisation noun
("the company", "the state-owned operator") to organisations that are not outlets. An "it" that
only fills a slot ("it is expected that ...") refers to nothing; with a parse, the parser's ``expl``
says so. Descriptions with a demonym ("the Dutch chipmaker") are the aliases component's.

The references are kept apart from the entities' mentions (``DocState.anaphora``): they let events
find their participants, and an entity's names and aliases stay names.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from dossier.nlp.resources import Resources, load_resources, words_regex
from dossier.nlp.state import RELATIVE_CLAUSE, Anaphor, DocState, article_sentences, state_of, subject_like

_NEUTER = frozenset({"it", "its"})
_PERSONAL = frozenset({"he", "his", "him", "she", "her"})
_POSSESSIVE = frozenset({"its", "his", "her"})
_NEUTER_TYPES = frozenset({"ORG", "GPE"})
_PERSON_TYPES = frozenset({"PERSON"})
_ORG_TYPES = frozenset({"ORG"})
_STATE_TYPES = frozenset({"GPE"})
_PRONOUN = re.compile(r"\b(?:[Ii]ts?|[Hh]e|[Hh]is|him|[Ss]he|[Hh]er)\b")
# "it is expected that", "it was not clear whether", "it will take years to": a slot, no reference
_EXPLETIVE = re.compile(
    r"\s+(?:is|was|'s|will\s+be|would\s+be|has\s+been|had\s+been|remains|seems|appears|became|takes|took)"
    r"\s+(?:not\s+)?(?:[\w-]+\s+){0,3}?(?:that|to|whether|if|for|how|why|when)\b",
    re.IGNORECASE,
)
_RELATIVE_PRONOUN = re.compile(r"\)?,?\s+(?P<pronoun>which|who|whose)\b")
# from a relative pronoun to a word of its own clause: no punctuation, no other clause opening
_WITHIN_CLAUSE = re.compile(r"(?:\s+(?!(?:that|which|who|whom|whose|and|but|while|said|says)\b)[\w'’-]+){0,8}\s+")
_AND = re.compile(r"\s*(?:,\s*)?(?:and|&)\s+(?:the\s+)?")
_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")
_SENTENCES_BACK = 3


class AnaphoraComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        names = resources.names
        gazetteer = resources.gazetteer
        outlet_nouns = {n.lower() for n in resources.cues.outlet_nouns}
        nouns = tuple(n for n in names.org_nouns if n not in outlet_nouns and " " not in n)
        demonyms = words_regex(tuple(gazetteer.demonyms)) if gazetteer.demonyms else r"(?!x)x"
        # "the company", "the state-owned operator" -- not "the company Huawei", "the firm that ..."
        self.description = re.compile(
            r"\b[Tt]he\s+(?P<mods>(?:(?:[a-z][\w-]*|[A-Z][\w.&-]*)\s+){0,2}?)(?P<noun>" + words_regex(nouns) + r")\b"
            r"(?!\s+(?:that|which|who|whose|of|behind|called|named|known)\b)(?!-)"
        )
        # "the government", "the authorities": the state the text is about
        self.state_description = re.compile(
            r"\b[Tt]he\s+(?P<noun>" + words_regex(resources.cues.state_references) + r")\b"
            r"(?!\s+(?:of|in|that|which)\b)(?!-)"
        )
        self.demonym = re.compile(r"\b" + demonyms + r"\b")
        # "Veldhoven-based", "Tokyo-headquartered": a word made of a name that describes (names.yaml)
        self.name_modifier = re.compile(r"-" + words_regex(names.modifier_suffixes) + r"$")
        self.plural_types = resources.cues.plural_references
        # "in Bali, Indonesia", "at Filoli" (cues.yaml site_prepositions): where, not who
        self.site_before = re.compile(
            r"\b" + words_regex(resources.cues.site_prepositions) + r"\s+(?:the\s+)?(?:[A-Z][\w.-]*,?\s+){0,3}$"
        )
        self.plural = re.compile(
            r"\b(?:[Tt]he\s+two|[Bb]oth)\s+(?P<noun>" + words_regex(tuple(self.plural_types)) + r")\b"
        )
        # "US officials said", "the San Francisco company": a name modifying a noun is not the subject
        cues = resources.cues
        self.head_nouns = frozenset(
            w.lower()
            for w in (*names.org_nouns, *cues.anonymous_heads, *cues.state_nouns, *cues.unnamed_speakers)
            if " " not in w
        )

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        sentences = article_sentences(doc, state)
        if not sentences or not state.clusters:
            state.anaphora = []
            return doc
        text = state.document.text
        expletives = _expletive_starts(doc)
        found: list[Anaphor] = []
        # per sentence, computed when first needed: the subject-like candidates (start, cluster index)
        # with the references resolved in it, and its coordinated subjects "X and Y"
        subjects: dict[int, list[tuple[int, int]]] = {}
        pairs: dict[int, list[tuple[int, tuple[int, int]]]] = {}
        relatives: dict[int, list[tuple[int, int]]] = {}

        def relatives_of(k: int) -> list[tuple[int, int]]:
            if k not in relatives:
                a, b = sentences[k]
                relatives[k] = [(m.start(), m.end()) for m in RELATIVE_CLAUSE.finditer(text, a, b)]
            return relatives[k]

        def subjects_of(k: int) -> list[tuple[int, int]]:
            if k not in subjects:
                a, b = sentences[k]
                subjects[k] = [
                    (state.mention_starts[i], state.mention_cluster[i])
                    for i in state.mentions_between(a, b)
                    if not state.cluster_of(i).outlet
                    and subject_like(text, a, state.mention_starts[i], state.mention_ends[i], relatives_of(k))
                    and not self._modifier(text, state.mention_ends[i])
                ]
            return subjects[k]

        def pairs_of(k: int) -> list[tuple[int, tuple[int, int]]]:
            if k not in pairs:
                a, b = sentences[k]
                pairs[k] = self._pairs(text, state, a, b, relatives_of(k))
            return pairs[k]

        # every reference of the article's text in one pass per pattern, then sentence by sentence
        all_plurals: list[tuple[int, int, frozenset[str], bool]] = []
        all_references: list[tuple[int, int, frozenset[str], bool]] = []
        relative_subjects: list[Anaphor] = []  # "which", "who": subjects of their relative clauses
        for zone_start, zone_end in state.article_zones.spans:
            relatives_here = _relative_pronouns(text, state, zone_start, zone_end)
            found.extend(relatives_here)
            relative_subjects.extend(r for r in relatives_here if not r.possessive)
            all_plurals.extend(self._plurals(text, state, zone_start, zone_end))
            all_references.extend(self._references(text, state, zone_start, zone_end, expletives))
        relative_ends = [r.end for r in relative_subjects]
        plural_starts = [r[0] for r in all_plurals]
        reference_starts = [r[0] for r in all_references]
        for k, (a, b) in enumerate(sentences):
            plurals = all_plurals[bisect_left(plural_starts, a) : bisect_left(plural_starts, b)]
            references = all_references[bisect_left(reference_starts, a) : bisect_left(reference_starts, b)]
            if not plurals and not references:
                continue  # most sentences refer back with nothing this component reads
            back = range(k - 1, max(-1, k - 1 - _SENTENCES_BACK), -1)
            for start, end, types, possessive in plurals:
                pair = next((p for s, p in reversed(pairs_of(k)) if s < start and _fit(state, p, types)), None)
                for earlier in back:
                    if pair is not None:
                        break
                    pair = next((p for _, p in reversed(pairs_of(earlier)) if _fit(state, p, types)), None)
                if pair is None:  # "Huawei has worked with MTS. The two companies ..."
                    pair = _last_two(state, types, sentences[max(0, k - _SENTENCES_BACK)][0], start, self.site_before)
                if pair is not None:
                    found.extend(Anaphor(start, end, c, possessive) for c in pair)
            if not references:
                continue
            candidates = subjects_of(k)
            for start, end, types, possessive in references:
                target = None
                if possessive:
                    # "Washington, which imposed its own controls": inside a relative clause, its pronoun (used
                    # as the owner) is the clause's subject, which the relative pronoun stands for
                    within = relative_subjects[bisect_left(relative_ends, a) : bisect_right(relative_ends, start)]
                    target = next(
                        (
                            r.cluster
                            for r in reversed(within)
                            if r.start >= a
                            and state.clusters[r.cluster].type in types
                            and _WITHIN_CLAUSE.fullmatch(text, r.end, start)
                        ),
                        None,
                    )
                if target is None:
                    target = next((c for s, c in candidates if s < start and state.clusters[c].type in types), None)
                for earlier in back:
                    if target is not None:
                        break
                    target = next((c for _, c in subjects_of(earlier) if state.clusters[c].type in types), None)
                if target is None and types in (_ORG_TYPES, _STATE_TYPES):
                    # "Gelsinger visited Intel's plant. The company said": the organisation named last
                    target = _last_named(state, types, sentences[max(0, k - _SENTENCES_BACK)][0], start)
                if target is None:
                    continue
                found.append(Anaphor(start, end, target, possessive))
                if not possessive and subject_like(text, a, start, end, relatives_of(k)):
                    candidates.append((start, target))
                    candidates.sort()
        found.sort(key=lambda x: x.start)
        state.anaphora = found
        return doc

    def _pairs(
        self, text: str, state: DocState, a: int, b: int, relatives: list[tuple[int, int]]
    ) -> list[tuple[int, tuple[int, int]]]:
        """Two names coordinated where a subject stands ("Nokia and Huawei announced"): (start, pair)."""
        out = []
        idxs = list(state.mentions_between(a, b))
        for i, k in pairwise(idxs):
            first, second = state.mention_cluster[i], state.mention_cluster[k]
            if first == second or not _AND.fullmatch(text, state.mention_ends[i], state.mention_starts[k]):
                continue
            if subject_like(text, a, state.mention_starts[i], state.mention_ends[i], relatives) and not (
                self._modifier(text, state.mention_ends[k])
            ):
                out.append((state.mention_starts[i], (first, second)))
        return out

    def _plurals(self, text: str, state: DocState, a: int, b: int) -> list[tuple[int, int, frozenset[str], bool]]:
        """ "the two companies", "both sides": (start, end, types, possessive)."""
        out = []
        for m in self.plural.finditer(text, a, b):
            s, e = m.span()
            if not state.overlaps_mention(s, e):
                out.append((s, e, self.plural_types[m.group("noun").lower()], text.startswith(("'", "’"), e)))
        return out

    def _modifier(self, text: str, end: int) -> bool:
        m = _NEXT_WORD.match(text, end, end + 30)
        return m is not None and m.group(1) in self.head_nouns

    def _plain_modifiers(self, text: str, state: DocState, m: re.Match[str]) -> bool:
        """The words of a description before its noun describe, they do not name its owner: "the
        Veldhoven-based company", "the iPhone maker", "the US chipmaker" -- not "the Samsung unit"."""
        for w in re.finditer(r"\S+", m.group("mods")):
            s, e = m.start("mods") + w.start(), m.start("mods") + w.end()
            if w.group()[0].islower() or self.name_modifier.search(w.group()):
                continue
            inside = [i for i in state.mentions_between(s, e) if state.mention_ends[i] <= e]
            if not inside or any(state.cluster_of(i).type == "ORG" for i in inside):
                return False
        return True

    def _references(
        self, text: str, state: DocState, a: int, b: int, expletives: set[int]
    ) -> list[tuple[int, int, frozenset[str], bool]]:
        """The pronouns and descriptions of one sentence: (start, end, types they refer to, possessive)."""
        out: list[tuple[int, int, frozenset[str], bool]] = []
        for m in _PRONOUN.finditer(text, a, b):
            s, e = m.span()
            word = m.group().lower()
            if state.overlaps_mention(s, e):
                continue
            if word in _NEUTER:
                if word == "it" and (s in expletives or _EXPLETIVE.match(text, e, b)):
                    continue
                out.append((s, e, _NEUTER_TYPES, word == "its"))
            elif word in _PERSONAL:
                out.append((s, e, _PERSON_TYPES, word in _POSSESSIVE))
        for m in self.description.finditer(text, a, b):
            s, e = m.span()
            if state.overlaps_mention(m.start("noun"), e) or self.demonym.search(m.group("mods")):
                continue
            if not self._plain_modifiers(text, state, m):
                continue
            if _mention_follows(state, e):
                continue  # "the chipmaker Arm": the name itself is there
            possessive = text.startswith(("'s", "’s"), e)
            out.append((s, e, _ORG_TYPES, possessive))
        for m in self.state_description.finditer(text, a, b):
            s, e = m.span()
            if state.overlaps_mention(s, e) or _mention_follows(state, e):
                continue
            out.append((s, e, _STATE_TYPES, text.startswith(("'s", "’s"), e)))
        out.sort()
        return out


def _relative_pronouns(text: str, state: DocState, a: int, b: int) -> list[Anaphor]:
    """ "Apple and Samsung, which halted shipments": "which" is the names right before it."""
    out = []
    idxs = list(state.mentions_between(a, b))
    for n, i in enumerate(idxs):
        m = _RELATIVE_PRONOUN.match(text, state.mention_ends[i], b)
        if m is None:
            continue
        s, e = m.span("pronoun")
        possessive = m.group("pronoun").lower() == "whose"
        out.append(Anaphor(s, e, state.mention_cluster[i], possessive))
        if n and _AND.fullmatch(text, state.mention_ends[idxs[n - 1]], state.mention_starts[i]):
            out.append(Anaphor(s, e, state.mention_cluster[idxs[n - 1]], possessive))
    return out


def _last_named(state: DocState, types: frozenset[str], lo: int, hi: int) -> int | None:
    """The entity of a fitting type named last in [lo, hi), outlets aside."""
    for i in reversed(state.mentions_between(lo, hi)):
        cluster = state.clusters[state.mention_cluster[i]]
        if cluster.type in types and not cluster.outlet:
            return state.mention_cluster[i]
    return None


def _last_two(
    state: DocState, types: frozenset[str], lo: int, hi: int, site_before: re.Pattern[str]
) -> tuple[int, int] | None:
    """The two entities of fitting types named last in [lo, hi): two of one type ("the two sides" are two
    governments or two leaders, not a leader and a country), and no place something happened in ("they
    last met in Bali, Indonesia")."""
    text = state.document.text
    seen: list[int] = []
    for i in reversed(state.mentions_between(lo, hi)):
        c = state.mention_cluster[i]
        cluster = state.clusters[c]
        if c in seen or cluster.type not in types or cluster.outlet:
            continue
        if cluster.type in ("GPE", "LOC", "FAC") and site_before.search(
            text, max(lo, state.mention_starts[i] - 40), state.mention_starts[i]
        ):
            continue
        if seen and state.clusters[seen[0]].type != cluster.type:
            continue
        seen.append(c)
        if len(seen) == 2:
            return seen[1], seen[0]
    return None


def _fit(state: DocState, pair: tuple[int, int], types: frozenset[str]) -> bool:
    return all(state.clusters[c].type in types for c in pair)


def _expletive_starts(doc: Doc) -> set[int]:
    """Character offsets of the tokens the parser calls expletive (none without a parse), read as
    arrays (no Token objects)."""
    if not len(doc) or not doc.has_annotation("DEP"):
        return set()
    from spacy.attrs import DEP, IDX

    array = doc.to_array([IDX, DEP])
    expl = doc.vocab.strings["expl"]
    return set(array[array[:, 1] == expl, 0].tolist())


def _mention_follows(state: DocState, end: int) -> bool:
    i = bisect_left(state.mention_starts, end)
    return i < len(state.mention_starts) and state.mention_starts[i] - end <= 2


@Language.factory("dossier_anaphora", assigns=["doc._.dossier"])
def make_anaphora(nlp: Language, name: str) -> AnaphoraComponent:
    return AnaphoraComponent(nlp, load_resources())
