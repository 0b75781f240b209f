"""Component ``dossier_syntax``: what the dependency parse adds to the rules (model pipeline only).

* Entity descriptions from appositions ("Peter Wennink, chief executive of ASML,") and copulas
  ("Kirin is a chip designer owned by Huawei"), read off the tree rather than off commas, so they also
  work when the description is long or the sentence continues oddly.
* Quote speakers the rules left unknown: the subject of the speech verb governing the quote's sentence
  ("…," the minister of trade for the region, Ana Ruiz, told reporters.) or the agent of a passive
  one (… was stated by the ministry), when it is, or contains, a known entity.

Descriptions come only from the article's own text (body, thread posts): never from comments or
page furniture.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dossier.nlp.aliases import MAX_DESCRIPTIONS
from dossier.nlp.describe import Describer
from dossier.nlp.quotes import SPEAKER_TYPES
from dossier.nlp.resources import Resources, load_resources
from dossier.nlp.state import Cluster, DocState, state_of

_MAX_DESCRIPTION_TOKENS = 14
_NOMINAL = frozenset({"NOUN", "PROPN"})


class SyntaxComponent:
    def __init__(self, resources: Resources) -> None:
        self.speech = frozenset(v.lower() for v in resources.cues.speech_verbs if " " not in v)
        self.describer = Describer(resources)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not doc.has_annotation("DEP"):
            return doc
        state = state_of(doc)
        self._describe(doc, state)
        self._speakers(doc, state)
        return doc

    # -- descriptions ---------------------------------------------------------------------------------

    def _describe(self, doc: Doc, state: DocState) -> None:
        text = state.document.text
        for cluster in state.clusters:
            if cluster.type not in ("PERSON", "ORG") or len(cluster.descriptions) >= MAX_DESCRIPTIONS:
                continue
            for start, end in cluster.mentions:
                if not state.article_zones.contains(start, end):
                    continue
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None:
                    continue
                for description in self._descriptions_of(span):
                    self._add(cluster, text, description)
                if len(cluster.descriptions) >= MAX_DESCRIPTIONS:
                    break

    def _descriptions_of(self, span: Span) -> list[Span]:
        root = span.root
        found: list[Span] = []
        for child in root.children:
            if child.dep_ == "appos" and child.i >= span.end and child.pos_ in _NOMINAL:
                found.append(_subtree_span(child))
        head = root.head
        copula = root.dep_ in ("nsubj", "nsubj:pass") and head.pos_ in _NOMINAL and head.i > root.i
        if copula and any(c.dep_ == "cop" for c in head.children):
            phrase = _subtree_span(head, exclude=root)
            cop_end = max((c.i for c in head.children if c.dep_ == "cop"), default=phrase.start - 1)
            if cop_end + 1 < phrase.end:
                found.append(phrase.doc[cop_end + 1 : phrase.end])
        if root.dep_ == "appos" and head.pos_ == "NOUN" and head.i < span.start:
            found.append(_subtree_span(head, exclude=root))
        return found

    def _add(self, cluster: Cluster, text: str, phrase: Span) -> None:
        tokens = [t for t in phrase if not t.is_space]
        while tokens and (tokens[-1].is_punct or tokens[-1].dep_ in ("cc", "mark")):
            tokens.pop()
        while tokens and tokens[0].is_punct:
            tokens.pop(0)
        if not tokens or len(tokens) > _MAX_DESCRIPTION_TOKENS:
            return
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        description = text[start:end]
        if any(ch in description for ch in '"“”«»\n'):
            return
        noun = self.describer.role_word if cluster.type == "PERSON" else self.describer.org_word
        if not noun.search(description):
            return  # "X is a disaster" is not a description of X
        lowered = description.lower()
        if any(lowered in d.lower() or d.lower() in lowered for d in cluster.descriptions):
            return
        cluster.descriptions.append(description)

    # -- quote speakers -------------------------------------------------------------------------------

    def _speakers(self, doc: Doc, state: DocState) -> None:
        for quote in state.quotes:
            if quote.speaker is not None or quote.speaker_kind == "anonymous":
                continue
            token = _token_at(doc, quote.end)
            if token is None:
                continue
            sentence = token.sent
            for candidate in (sentence, _neighbour(doc, sentence, -1)):
                if candidate is None:
                    continue
                found = self._speaker_in(state, candidate, quote.start, quote.end)
                if found is not None:
                    cluster, who, cue = found
                    quote.speaker = cluster.id
                    quote.speaker_kind = "named"
                    quote.speaker_text = who
                    quote.cue = cue
                    break

    def _speaker_in(self, state: DocState, sentence: Span, q_start: int, q_end: int) -> tuple[Cluster, str, str] | None:
        text = state.document.text
        for token in sentence:
            if token.lower_ not in self.speech or q_start <= token.idx < q_end:
                continue
            for child in token.children:
                if child.dep_ in ("nsubj", "obl:agent") or (child.dep_ == "obl" and _has_by(child)):
                    if q_start <= child.idx < q_end:
                        continue
                    subject = _subtree_span(child)
                    start, end = subject.start_char, subject.end_char
                    if start < q_end and q_start < end:
                        continue
                    cluster = _best_cluster(state, start, end)
                    if cluster is not None:
                        return cluster, text[start:end].strip(" ,"), token.text
        return None


def _best_cluster(state: DocState, start: int, end: int) -> Cluster | None:
    best = None
    for i in state.mentions_between(start, end):
        cluster = state.cluster_of(i)
        if cluster.type == "PERSON":
            return cluster
        if best is None and cluster.type in SPEAKER_TYPES:
            best = cluster
    return best


def _has_by(token: Token) -> bool:
    return any(c.dep_ == "case" and c.lower_ == "by" for c in token.children)


def _subtree_span(token: Token, exclude: Token | None = None) -> Span:
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i + 1
    if exclude is not None:
        ex_left, ex_right = exclude.left_edge.i, exclude.right_edge.i + 1
        if ex_left <= left < ex_right:
            left = ex_right
        if ex_left < right <= ex_right:
            right = ex_left
    return doc[left:right]


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(max(0, char - 1), char, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _neighbour(doc: Doc, sentence: Span, step: int) -> Span | None:
    i = sentence.start - 1 if step < 0 else sentence.end
    if i < 0 or i >= len(doc):
        return None
    return doc[i].sent


@Language.factory("dossier_syntax", assigns=["doc._.dossier"], requires=["token.dep"])
def make_syntax(nlp: Language, name: str) -> SyntaxComponent:
    return SyntaxComponent(load_resources())
