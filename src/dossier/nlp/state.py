"""What the pipeline components share on one ``Doc``: ``doc._.dossier``, a :class:`DocState`.

Every component reads the document (its segments and publication date) from here and adds its own
part: hits (actors, names), entities (aliases), dates, amounts, quotes, events. Offsets are character
offsets into ``Document.text`` (read it from the state: ``Doc.text`` is rebuilt from the tokens on
every access).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dossier.model import ARTICLE_KINDS, Amount, Document, Event, Quote

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

EXTENSION = "dossier"

# Entity mentions may come from these segments; unknown names are only discovered in the ones that
# are running text (a title in headline case capitalises every word).
ENTITY_KINDS = frozenset({"body", "thread_post", "title", "caption"})
DISCOVERY_KINDS = frozenset({"body", "thread_post", "caption"})


@dataclass(slots=True)
class Hit:
    """One entity mention candidate. ``key`` groups mentions of the same entity."""

    start: int
    end: int
    type: str
    key: str  # a gazetteer actor id, or "name:<surface>" for a name found in the text
    source: str  # actor | metonym | flag | state | name | acronym | surname | repeat | descriptor


@dataclass(slots=True)
class Cluster:
    """An entity in the making: every mention of one key."""

    key: str
    type: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    kb: dict[str, str] = field(default_factory=dict)
    outlet: bool = False
    id: str = ""


@dataclass(slots=True)
class Anaphor:
    """A pronoun or description ("it", "its", "the company") resolved to an entity (a cluster index)."""

    start: int
    end: int
    cluster: int
    possessive: bool  # "its acquisition": it owns the next noun


@dataclass(slots=True)
class DateSpan:
    start: int
    end: int
    text: str
    kind: str
    parts: tuple[int, ...]  # what the expression fixed (year, month, day, weekday, offset ...)


@dataclass(slots=True)
class AmountSpan:
    start: int
    end: int
    amount: Amount


@dataclass(slots=True)
class Zones:
    """Sorted, non-overlapping (start, end) spans of text of some segment kinds."""

    spans: list[tuple[int, int]]
    starts: list[int]

    @classmethod
    def of(cls, document: Document, kinds: frozenset[str]) -> Zones:
        segments = document.segments
        if not segments:  # an unlabelled document is all body
            spans = [(0, len(document.text))]
        else:
            spans = sorted((s.start, s.end) for s in segments if s.kind in kinds and s.end > s.start)
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return cls(merged, [s for s, _ in merged])

    def contains(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.spans[i][1]


@dataclass(slots=True)
class DocState:
    document: Document
    entity_zones: Zones
    discovery_zones: Zones
    article_zones: Zones
    hits: list[Hit] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    # every final mention, sorted by start: parallel arrays for bisect
    mention_starts: list[int] = field(default_factory=list)
    mention_ends: list[int] = field(default_factory=list)
    mention_cluster: list[int] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    amounts: list[AmountSpan] = field(default_factory=list)
    sentence_starts: list[int] | None = None  # character offsets, from the sentences component
    sentences: list[tuple[int, int]] | None = None
    quotes: list[Quote] = field(default_factory=list)
    quote_spans: list[tuple[int, int]] = field(default_factory=list)  # every quote, marks included
    # the quotes long enough to be someone speaking (not scare quotes such as 'so-called "Entity List"')
    speech_spans: list[tuple[int, int]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    anaphora: list[Anaphor] = field(default_factory=list)  # sorted by start, from the anaphora component

    @classmethod
    def for_document(cls, document: Document) -> DocState:
        return cls(
            document=document,
            entity_zones=Zones.of(document, ENTITY_KINDS),
            discovery_zones=Zones.of(document, DISCOVERY_KINDS),
            article_zones=Zones.of(document, ARTICLE_KINDS),
        )

    def mentions_between(self, start: int, end: int) -> range:
        """Indexes of the mentions inside [start, end)."""
        lo = bisect_left(self.mention_starts, start)
        hi = bisect_left(self.mention_starts, end)
        while hi > lo and self.mention_ends[hi - 1] > end:
            hi -= 1
        return range(lo, hi)

    def overlaps_mention(self, start: int, end: int) -> bool:
        """Whether any mention overlaps [start, end)."""
        return spans_overlap(self.mention_starts, self.mention_ends, start, end)

    def mention_at(self, start: int) -> int | None:
        """Index of the mention starting exactly at ``start``."""
        i = bisect_left(self.mention_starts, start)
        if i < len(self.mention_starts) and self.mention_starts[i] == start:
            return i
        return None

    def mention_ending_at(self, end: int) -> int | None:
        """Index of the mention ending exactly at ``end``."""
        i = bisect_left(self.mention_starts, end) - 1
        while i >= 0 and self.mention_starts[i] >= end - 200:
            if self.mention_ends[i] == end:
                return i
            i -= 1
        return None

    def cluster_of(self, mention: int) -> Cluster:
        return self.clusters[self.mention_cluster[mention]]


# a relative clause closed by a comma: "TSMC, which supplies Apple, said"
RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|whose|whom)\b[^,;]*,")
_BEFORE_WORD = re.compile(r"([\w'’-]+)\W*$")
_SUBJECT_BLOCKERS = frozenset(
    {
        "in", "at", "on", "of", "for", "with", "from", "to", "by", "about", "against", "into", "over",
        "under", "between", "like", "than", "as", "including", "via", "after", "before", "during",
        "among", "without", "toward", "towards", "across", "behind", "near", "through", "within",
    }
)  # fmt: skip
_POSSESSOR = re.compile(r"['’]s?\s")


def subject_like(text: str, a: int, start: int, end: int, relatives: Iterable[tuple[int, int]] = ()) -> bool:
    """Whether a mention stands where a subject does (in the sentence starting at ``a``): not after a
    preposition, not a possessor of the next noun ("Japan's SoftBank"), not inside a relative clause
    ("TSMC, which supplies Apple,")."""
    if any(rs <= start and end <= re_ for rs, re_ in relatives):
        return False
    if _POSSESSOR.match(text, end, end + 3):
        return False
    m = _BEFORE_WORD.search(text, max(a, start - 30), start)
    if m is not None:
        word = m.group(1).lower()
        if word == "the":
            m = _BEFORE_WORD.search(text, max(a, m.start() - 30), m.start())
            word = m.group(1).lower() if m is not None else ""
        if word in _SUBJECT_BLOCKERS:
            return False
    return True


def in_spans(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies inside one of the (start, end) spans."""
    return any(s <= offset < e for s, e in spans)


def spans_overlap(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether any span (parallel arrays sorted by start; spans may nest) overlaps [start, end)."""
    i = bisect_left(starts, end) - 1
    while i >= 0 and starts[i] > start - 200:  # names are far shorter than 200 characters
        if ends[i] > start:
            return True
        i -= 1
    return i >= 0 and ends[i] > start


def patterns(nlp: Language, phrases: Iterable[str]) -> list[Doc]:
    """Phrases as docs for a PhraseMatcher (on ORTH or LOWER), tokenized exactly as the texts they will match.

    Building a few thousand pattern docs with the pipeline's own vocabulary costs most of a second: each
    new word becomes a lexeme whose every attribute is computed. A PhraseMatcher only compares the ORTH
    or LOWER hash of each token, and hashes do not depend on the vocabulary, so the pattern docs live in
    a light vocabulary that computes LOWER alone; the phrases' token lists (from the pipeline's tokenizer)
    are kept in the cache folder per tokenizer, see :func:`save_patterns`. A phrase whose whitespace
    split differs from its tokens is also a pattern in that form. Callers must accept several docs per
    phrase.
    """
    return _pattern_maker(nlp).docs(phrases)


def save_patterns() -> None:
    """Store the token lists learnt while building pipelines (called once a pipeline is built)."""
    for maker in _PATTERN_MAKERS.values():
        maker.save()


class _PatternMaker:
    def __init__(self, nlp: Language) -> None:
        from spacy.attrs import LOWER
        from spacy.vocab import Vocab

        from dossier.data import read_cache

        self.nlp = nlp
        self.name = "patterns-" + _tokenizer_fingerprint(nlp)
        cached = read_cache(self.name)
        self.known: dict[str, list[str]] = cached if isinstance(cached, dict) else {}
        self.added = False
        self.vocab = Vocab(lex_attr_getters={LOWER: lambda text: text.lower()})

    def docs(self, phrases: Iterable[str]) -> list[Doc]:
        from spacy.tokens import Doc

        out = []
        for phrase in phrases:
            words = self.known.get(phrase)
            if words is None:
                words = self.known[phrase] = [t.text for t in self.nlp.make_doc(phrase)]
                self.added = True
            out.append(Doc(self.vocab, words=words))
            # the same name tokenizes differently in context: "5G" alone splits like "5 km" ("5", "G"),
            # inside "5G-ready" it stays whole; both forms are patterns
            spaced = phrase.split()
            if spaced != words and all(spaced):
                out.append(Doc(self.vocab, words=spaced))
        return out

    def save(self) -> None:
        if self.added:
            from dossier.data import write_cache

            write_cache(self.name, self.known)
            self.added = False


_PATTERN_MAKERS: dict[int, _PatternMaker] = {}


def _pattern_maker(nlp: Language) -> _PatternMaker:
    maker = _PATTERN_MAKERS.get(id(nlp.tokenizer))
    if maker is None or maker.nlp is not nlp:
        maker = _PATTERN_MAKERS[id(nlp.tokenizer)] = _PatternMaker(nlp)
    return maker


def _tokenizer_fingerprint(nlp: Language) -> str:
    """What decides how a phrase is tokenized: spaCy's version, the affix patterns, the special cases."""
    import hashlib

    import spacy

    tokenizer = nlp.tokenizer
    parts = [spacy.__version__]
    for attribute in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        function = getattr(tokenizer, attribute, None)
        parts.append(str(getattr(getattr(function, "__self__", None), "pattern", "")))
    rules = getattr(tokenizer, "rules", None) or {}
    parts.append(repr(sorted((k, repr(v)) for k, v in rules.items())))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end character offsets of every token, read as arrays (no Token objects)."""
    from spacy.attrs import IDX, LENGTH

    if not len(doc):
        return [], []
    array = doc.to_array([IDX, LENGTH])
    starts = array[:, 0].tolist()
    ends = (array[:, 0] + array[:, 1]).tolist()
    return starts, ends


def state_of(doc: Doc) -> DocState:
    state = doc._.get(EXTENSION)
    if state is None:
        # a Doc made without analyze(): treat its text as one body segment
        from dossier.model import document_id

        state = DocState.for_document(Document(id=document_id(doc.text), text=doc.text))
        doc._.set(EXTENSION, state)
    return state


def ensure_extension() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension(EXTENSION):
        Doc.set_extension(EXTENSION, default=None)


def article_sentences(doc: Doc, state: DocState) -> list[tuple[int, int]]:
    """Sentences of the article's own text: the sentencizer's sentences, cut at line breaks and segment
    edges, trimmed of surrounding white space. Computed once per document.

    Sentence starts come from the sentences component; iterating ``doc.sents`` would create a Python
    object per token, which costs more than the whole rest of the pipeline.
    """
    if state.sentences is not None:
        return state.sentences
    text = state.document.text
    zones = state.article_zones
    out: list[tuple[int, int]] = []
    if zones.spans and len(doc):
        bounds = list(state.sentence_starts) if state.sentence_starts is not None else _sent_starts(doc)
        if not bounds or bounds[0] != 0:
            bounds.insert(0, 0)
        bounds.append(len(text))
        for k in range(len(bounds) - 1):
            s_start, s_end = bounds[k], bounds[k + 1]
            i = max(bisect_right(zones.starts, s_start) - 1, 0)
            while i < len(zones.spans) and zones.spans[i][0] < s_end:
                z_start, z_end = zones.spans[i]
                start, end = max(s_start, z_start), min(s_end, z_end)
                pos = start
                while pos < end:
                    nl = text.find("\n", pos, end)
                    stop = end if nl < 0 else nl
                    a, b = pos, stop
                    while a < b and text[a].isspace():
                        a += 1
                    while b > a and text[b - 1].isspace():
                        b -= 1
                    if b > a:
                        out.append((a, b))
                    pos = stop + 1
                i += 1
    state.sentences = out
    return out


def _sent_starts(doc: Doc) -> list[int]:
    """Sentence start offsets set by any sentence splitter, read as arrays."""
    from spacy.attrs import IDX, SENT_START

    array = doc.to_array([IDX, SENT_START])
    return [int(i) for i in array[array[:, 1] == 1, 0]]


def sentence_index(sentences: list[tuple[int, int]], starts: list[int], offset: int) -> int | None:
    """Index of the sentence containing ``offset``."""
    i = bisect_right(starts, offset) - 1
    if i >= 0 and offset < sentences[i][1]:
        return i
    return None
