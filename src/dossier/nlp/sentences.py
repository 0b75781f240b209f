"""Component ``dossier_sentences``: sentence boundaries, found on token arrays.

A sentence ends at a token that is a terminal mark (". ! ? …"), after any closing quotes or brackets
that follow it; abbreviations such as "U.S.", "Sept." or "Inc." are single tokens of the tokenizer and
so never end one. Same rule as spaCy's ``sentencizer``, but it reads the tokens as arrays instead of
creating a Python object per token, which made the sentencizer cost as much as the gazetteer.
Sets ``Token.is_sent_start`` (so ``doc.sents`` works) and keeps the start offsets for the other
components, which also cut sentences at line breaks and segment edges.
"""

from __future__ import annotations

from typing import Any, cast

import numpy
from spacy.attrs import IDX, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from dossier.nlp.state import state_of

_TERMINALS = (".", "!", "?", "…", "...", "?!", "!?", "!!", "??")
_NOT_START = numpy.uint64(2**64 - 1)
# closing quotes and brackets, and the characters a sentence-final token ends with (also "U.S.", "Inc.")
CLOSING_MARKS = ('"', "'", ")", "]", "»", "”", "’")
TERMINAL_CHARS = (".", "!", "?", "…")
_CLOSERS = CLOSING_MARKS + TERMINAL_CHARS


class SentencesComponent:
    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self.terminals = numpy.array([strings.add(t) for t in _TERMINALS], dtype=numpy.uint64)
        self.closers = frozenset(strings.add(t) for t in _CLOSERS)

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        n = len(doc)
        if n == 0:
            state.sentence_starts = []
            return doc
        array = doc.to_array([ORTH, IDX])
        orth = array[:, 0]
        starts = [0]
        closers = self.closers
        for i in numpy.flatnonzero(numpy.isin(orth, self.terminals)).tolist():
            j = i + 1
            while j < n and int(orth[j]) in closers:
                j += 1
            if starts[-1] < j < n:
                starts.append(j)
        # attribute arrays are uint64: -1 ("not a sentence start") is stored as its two's complement
        marks = numpy.full((n, 1), _NOT_START, dtype=numpy.uint64)
        marks[starts, 0] = 1
        doc.from_array([SENT_START], cast(Any, marks))
        state.sentence_starts = array[starts, 1].astype(numpy.int64).tolist()
        return doc


@Language.factory("dossier_sentences", assigns=["token.is_sent_start", "doc._.dossier"])
def make_sentences(nlp: Language, name: str) -> SentencesComponent:
    return SentencesComponent(nlp)
