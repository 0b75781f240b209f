"""The trained pipeline inside the rule pipeline: parsed sentences, model entities, products.

``model`` (the default pipeline) is the statistical pipeline trained by ``dossier train`` and shipped in
``dossier/models/en_dossier`` (tagger, morphologizer, lemmatizer, parser, NER), followed by the rule
components. Two components here connect them:

* ``dossier_parsed_sentences`` takes sentence boundaries from the parser (instead of punctuation);
* ``dossier_model_entities`` adds the names the NER finds and the gazetteer and the evidence rules do
  not, and products from noun chunks ("the Kirin 9000S processor").

How the gazetteer, the rules and the model combine (the conflict rule): a gazetteer actor is recognised
and linked wherever its name appears, whatever the model says; the evidence rules of ``names`` come
next; a model entity is added only where it overlaps neither, so it finds the unknown names and never
overrides a known or an evidenced one. Model entities, like rule names, are only looked for in running
text (body, thread posts, captions), never in headline-case titles, comments or page furniture.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from dossier.nlp.names import coordinated, outlet_noun_before
from dossier.nlp.resources import NameWords, Resources, load_resources, words_regex
from dossier.nlp.sentences import CLOSING_MARKS, TERMINAL_CHARS
from dossier.nlp.state import DocState, Hit, spans_overlap, state_of

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "en_dossier"

# NER label -> entity type; LOC is refined by the name's head word (see _place_type)
_LABELS = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE"}
_STRIP_START = frozenset({"the", "The", "a", "an"})


def load_model(path: Path = MODEL_DIR) -> Language:
    """The trained pipeline (its architectures registered first), its layers on :class:`BlasOps`."""
    import spacy
    from thinc.api import get_current_ops, set_current_ops

    import dossier.nlp.pieces  # noqa: F401  (registers dossier.PieceVectors / PieceHashEmbed)
    from dossier.nlp.ops import BlasOps

    if not (path / "meta.json").exists():
        from dossier.errors import AnalysisError

        raise AnalysisError(
            f"{path}: the trained pipeline is missing; run `dossier train` or use --pipeline fast (rules only)"
        )
    previous = get_current_ops()
    set_current_ops(BlasOps())  # layers keep the ops current when they are built
    try:
        return spacy.load(path)
    finally:
        set_current_ops(previous)


class ParsedSentences:
    """``state.sentence_starts`` from the parser's sentence boundaries, where they are plausible.

    The parser decides where sentences start; a boundary it proposes is kept when the text allows one
    there: after a terminal mark (". ! ? …", possibly followed by closing quotes or brackets) or at a
    line break. A boundary in mid-phrase ("the Mate | 60 Pro") is a parsing error, not a sentence.
    """

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        if not len(doc):
            state.sentence_starts = []
            return doc
        starts = [0]
        for sent in doc.sents:
            i = sent.start
            if i and _boundary_allowed(doc, i):
                starts.append(doc[i].idx)
        state.sentence_starts = starts
        return doc


def _boundary_allowed(doc: Doc, i: int) -> bool:
    prev = doc[i - 1]
    if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
        return True
    j = i - 1
    while j > 0 and doc[j].text in CLOSING_MARKS:
        j -= 1
    return doc[j].text.endswith(TERMINAL_CHARS)


class ModelEntities:
    def __init__(self, resources: Resources) -> None:
        self.words: NameWords = resources.names
        self.product_heads = frozenset(resources.names.product_heads)
        # their string hashes, to compare with the token arrays (a hash needs no vocabulary entry)
        self.product_head_ids = np.array([get_string_id(w) for w in self.product_heads], dtype="uint64")
        self.demonyms = frozenset(resources.gazetteer.demonyms)
        self.outlet_before = outlet_noun_before(resources)
        # "analysts at Bernstein", "an economist with Nomura": people work at an organisation
        people = {*resources.names.person_roles, *resources.cues.unnamed_speakers}
        self.works_at = re.compile(r"\b" + words_regex(tuple(people)) + r"\s+(?:at|with)\s+$", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        hits = sorted(state.hits, key=lambda h: h.start)
        starts = [h.start for h in hits]
        ends = [h.end for h in hits]
        added: list[Hit] = []
        for ent in doc.ents:
            for hit in self._entity(text, state, ent):
                if not spans_overlap(starts, ends, hit.start, hit.end):
                    added.append(hit)
        for hit in self._products(text, state, doc):
            if not spans_overlap(starts, ends, hit.start, hit.end) and not any(
                a.start < hit.end and hit.start < a.end for a in added
            ):
                added.append(hit)
        if added:
            hits = sorted(hits + added, key=lambda h: h.start)
        hits = self._coordinated_names(text, state, hits)
        state.hits = hits
        return doc

    def _coordinated_names(self, text: str, state: DocState, hits: list[Hit]) -> list[Hit]:
        """A capitalised name coordinated with a found one is a name of the same type: "Xiaomi and Realme",
        "start-ups Rebellions and FuriosaAI" (the NER knows one of them, the list shows what the other is).
        Organisations only (lists of people and places are names the gazetteer and the NER already find;
        taking them too cost precision on the gold set); the word must not be a common or generic one."""
        starts = [h.start for h in hits]
        ends = [h.end for h in hits]
        found: list[Hit] = []
        for hit in hits:
            if hit.type not in _COORDINATED_TYPES:
                continue
            after = _AND_NAME_AFTER.match(text, hit.end)
            if after is not None:
                found.extend(self._coordinated(text, state, *after.span("name"), hit, starts, ends))
            lo = max(0, hit.start - 60)
            before = _AND_NAME_BEFORE.search(text[lo : hit.start])
            if before is not None:
                s, e = before.span("name")
                found.extend(self._coordinated(text, state, lo + s, lo + e, hit, starts, ends))
        if not found:
            return hits
        unique = {(h.start, h.end): h for h in found}
        return sorted(hits + list(unique.values()), key=lambda h: h.start)

    def _coordinated(
        self, text: str, state: DocState, start: int, end: int, hit: Hit, starts: list[int], ends: list[int]
    ) -> list[Hit]:
        if _opens_sentence(text, start):  # "Start-ups Rebellions and FuriosaAI": the first capital says nothing
            m = re.match(r"\S+[ \t]+", text[start:end])
            if m is None:
                return []
            start += m.end()
        surface = text[start:end]
        words = surface.split()
        if spans_overlap(starts, ends, start, end) or not state.discovery_zones.contains(start, end):
            return []
        if any(w in self.words.stopwords or w in self.demonyms for w in words) or surface in self.words.generic_terms:
            return []
        if text[end : end + 1].isalnum() or (start and text[start - 1] in "#@"):
            return []
        return [Hit(start, end, hit.type, f"name:{surface}", "model")]

    def _names_a_product(self, token: Token) -> bool:
        if token.pos_ == "PROPN" or _has_digit_or_inner_capital(token.text):
            return True
        # a capitalised word inside a sentence ("300 Nebula smartphones"), unless it is a common one
        return token.text[:1].isupper() and not token.is_sent_start and token.text not in self.words.stopwords

    def _entity(self, text: str, state: DocState, ent: Span) -> list[Hit]:
        label = _LABELS.get(ent.label_)
        if label is None:
            return []
        tokens = list(ent)
        while tokens and (tokens[0].text in _STRIP_START or tokens[0].is_punct):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].text in ("'s", "’s")):
            tokens = tokens[:-1]
        if not tokens:
            return []
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        surface = text[start:end]
        if not any(ch.isupper() for ch in surface) or surface in self.words.stopwords:
            return []
        if "\n" in surface or not state.discovery_zones.contains(start, end):
            return []
        if start > 0 and text[start - 1] in "#@":
            return []  # hashtags are topics; handles are resolved by the gazetteer
        parts = coordinated(text, start, end, self.words, always=label in ("PERSON", "LOC"))
        if parts is not None:  # "Noida and Chennai", "CA Technologies and Symantec": two names
            return [hit for s, e in parts for hit in self._name(text, s, e, label)]
        return self._name(text, start, end, label)

    def _name(self, text: str, start: int, end: int, label: str) -> list[Hit]:
        surface = text[start:end]
        words = surface.split()
        if surface in self.words.generic_terms or words[-1] in self.demonyms:
            return []  # "AI", "GPU"; "New Dutch (export rules)": an adjective, not a name
        if any(w[:1].islower() and w not in self.words.connectors for w in words[1:]):
            return []  # "Soviet-designed reactors", "Eurasia Signal economics": a phrase, not a name
        if words[-1] in self.words.person_titles and not any(w in self.words.org_heads for w in words):
            return []  # "Dutch Foreign Trade Minister (Liesje Schreinemacher)": a role, not a name
        if self.outlet_before.search(text, max(0, start - 40), start):
            label = "ORG"  # "the news agency Eurasia Signal", "the newspaper Kommersant"
        elif label == "PERSON" and self.works_at.search(text, max(0, start - 40), start):
            label = "ORG"  # "analysts at Bernstein": where people work, not a person
        if label == "LOC":
            label = self._place_type(surface)
            if label == "GPE" and _OWNED_BY.search(text, max(0, start - 40), start):
                label = "ORG"  # "France's Framatome", "Japan's Denso": a country's company, not a place
        return [Hit(start, end, label, f"name:{surface}", "model")]

    def _place_type(self, surface: str) -> str:
        last = surface.split()[-1]
        words = self.words
        if last in words.loc_heads or surface in words.regions:
            return "LOC"
        if last in words.fac_heads:
            return "FAC"
        if last in words.event_heads:
            return "EVENT"
        return "GPE"  # a place name on its own is most often a country, region or city

    def _product_nouns(self, doc: Doc) -> list[int]:
        """Indexes of the nouns that may head a product ("chips", "Processors"), read as arrays: a
        Token object per word would cost more than the rest of the component."""
        from spacy.attrs import LEMMA, LOWER, POS

        if not len(doc):
            return []
        array = doc.to_array([POS, LOWER, LEMMA])
        noun = array[:, 0] == doc.vocab.strings["NOUN"]
        # the lemma may be capitalised ("Chips" opening a sentence): any noun whose lower form or
        # lemma is not a plain product head is checked once more on its text
        known = np.isin(array[:, 1], self.product_head_ids) | np.isin(array[:, 2], self.product_head_ids)
        capitalised = noun & ~known & ~doc.to_array("IS_LOWER").astype(bool)
        return np.flatnonzero(noun & (known | capitalised)).tolist()

    def _products(self, text: str, state: DocState, doc: Doc) -> list[Hit]:
        """A named modifier of a product noun: "the Kirin 9000S processor", "its Ascend 910B chips".

        The noun phrase is read off the UD tree (spaCy's English ``noun_chunks`` expects OntoNotes
        labels): the compound / nummod / flat words right before the product noun that hang off it.
        """
        found = []
        heads = self.product_heads
        for index in self._product_nouns(doc):
            token = doc[index]
            if token.lemma_.lower() not in heads and token.lower_ not in heads:
                continue
            members = {token.i}
            i = token.i - 1
            while (
                i >= 0
                and doc[i].head.i in members
                and doc[i].dep_ in _MODIFIERS
                and _name_like(doc[i])
                and doc[i].text not in self.demonyms  # "American chips": a demonym is not a product name
            ):
                members.add(i)
                i -= 1
            first = i + 1
            while first < token.i and doc[first].dep_ == "nummod" and doc[first].pos_ == "NUM":
                first += 1  # "300 Nebula smartphones", "four VVER-1200 reactors": a count, not part of the name
            run = doc[first : token.i]
            if not len(run) or not any(self._names_a_product(t) for t in run):
                continue  # "Older chips" opening a sentence: a capitalised adjective
            start, end = doc[first].idx, doc[token.i - 1].idx + len(doc[token.i - 1].text)
            if not state.discovery_zones.contains(start, end):
                continue
            surface = text[start:end]
            if surface in self.words.generic_terms:
                continue  # "AI chips", "GPU servers": a kind of product, not a named one
            found.append(Hit(start, end, "PRODUCT", f"name:{surface}", "model"))
        return found


_COORDINATED_TYPES = frozenset({"ORG"})
_OPENING = frozenset(" \t\"“‘'(")
_CAPITALISED_RUN = r"[A-Z][\w&.'’-]*[\w&](?:[ \t]+[A-Z][\w&.-]*[\w&]){0,3}"
# right after a name: "(Xiaomi) and Realme took", "(Nokia) or Ericsson"
_AND_NAME_AFTER = re.compile(
    r"[ \t]*,?[ \t]+(?:and|or)[ \t]+(?P<name>" + _CAPITALISED_RUN + r")(?=['’]s\b|[\s,.;:)]|$)"
)
# right before one: "start-ups Rebellions and (FuriosaAI)"
_AND_NAME_BEFORE = re.compile(r"(?<![\w.-])(?P<name>" + _CAPITALISED_RUN + r"),?[ \t]+(?:and|or)[ \t]+$")
_MODIFIERS = frozenset({"compound", "nummod", "flat", "amod", "nmod"})
_OWNED_BY = re.compile(r"\b[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?['’]s\s+(?:[a-z-]+\s+){0,2}$")


def _opens_sentence(text: str, start: int) -> bool:
    """Whether ``start`` opens a sentence or a line (opening quotes and brackets aside), read back from
    ``start`` only as far as those marks go."""
    i = start
    while i > 0 and text[i - 1] in _OPENING:
        i -= 1
    return i == 0 or text[i - 1] == "\n" or text[i - 1] in TERMINAL_CHARS


def _has_digit_or_inner_capital(word: str) -> bool:  # "X7", "VVER-1200", "HarmonyOS"
    return any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:])


def _name_like(token: Token) -> bool:
    if token.pos_ in ("PROPN", "NUM"):
        return True
    word = token.text
    return token.pos_ in ("NOUN", "X", "ADJ") and any(ch.isupper() or ch.isdigit() for ch in word)


@Language.factory("dossier_parsed_sentences", assigns=["doc._.dossier"], requires=["token.is_sent_start"])
def make_parsed_sentences(nlp: Language, name: str) -> ParsedSentences:
    return ParsedSentences()


@Language.factory("dossier_model_entities", assigns=["doc._.dossier"], requires=["doc.ents"])
def make_model_entities(nlp: Language, name: str) -> ModelEntities:
    return ModelEntities(load_resources())
