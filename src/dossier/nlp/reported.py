"""Component ``dossier_reported``: indirect speech, quotes with ``direct: false``.

What someone says without quotation marks, in the sentence shapes news uses for it:

* "X said (on Tuesday) (that) CLAUSE", "X told Y (that) CLAUSE", "X added / noted / argued that CLAUSE";
* "CLAUSE, X said." and "CLAUSE, said X, role.";
* "According to X, CLAUSE." and "CLAUSE, according to X."

The quote's text is the reported clause; the speaker is resolved as for direct quotes (a named entity,
"he" or "she" to the person named last, "the company" to the organisation named last, an anonymous
source, or unknown). Only sentences of the article's own text are read, never comments or furniture,
and a clause that is itself mostly a direct quote is left to the direct quote. The verbs are data
(``reporting_verbs`` in cues.yaml): verbs that take a reported clause, not every speech verb.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from dossier.model import Quote
from dossier.nlp.quotes import Speaker, Speakers
from dossier.nlp.resources import Resources, load_resources, words_regex
from dossier.nlp.state import DocState, article_sentences, state_of

_WORD = re.compile(r"\w+")
# How a reported clause without "that" may begin: "Huawei said it would …", "… said the deal was off".
_CLAUSE_OPENER = (
    r"(?:it|its|they|their|he|she|his|her|we|our|there|this|these|those|the|a|an|no|all|some|any|most|"
    r"[A-Z][\w'’.-]*|\d[\d,.]*)\b"
)
_AUXILIARIES = r"would|will|is|are|was|were|has|have|had|could|should|can|may|might|must|does|did"
# an auxiliary or modal: the words it is in make a clause, not a speaker or an adverbial
_CLAUSE_LIKE = re.compile(r"\b(?:" + _AUXILIARIES + r")\b", re.IGNORECASE)
# a clause has a verb: an auxiliary or modal, or a past or present-tense form
_HAS_VERB = re.compile(r"\b(?:" + _AUXILIARIES + r"|do|\w{2,}ed|\w{2,}(?:es|s))\b(?!['’])", re.IGNORECASE)
_RELATIVE_SUBJECT = re.compile(r",\s+(?P<who>who|which)\s+(?:\w+\s+)?$", re.IGNORECASE)
# "said on Tuesday", "said in a statement", "said last week": what may stand between verb and clause
_ADVERBIAL = (
    r"(?:\s+(?:on|in|at|last|this|earlier|later|late|early|during|after|before|by|via|through)"
    r"\s+[^,.;:\"“”«»]{1,50}?)?,?"
)


class ReportedComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        cues = resources.cues
        self.min_words = cues.quote_min_words
        self.speakers = Speakers(resources)
        verbs = words_regex(cues.reporting_verbs)
        told = words_regex(cues.telling_verbs)
        self.introductory = cues.introductory_words
        self.reporting = re.compile(r"\b(?:" + verbs + r")\b", re.IGNORECASE)
        self.telling = re.compile(told, re.IGNORECASE)
        self.adverbial_opener = re.compile(r"\s+" + words_regex(cues.adverbial_openers) + r"\b", re.IGNORECASE)
        self.subject_enders = cues.subject_enders
        self.that_clause = re.compile(
            r"(?P<cue>\b(?:" + verbs + r"|" + told + r")\b)(?P<mid>[^.;:\"“”«»]{0,80}?)\s+that\s+(?P<content>.+)$",
            re.IGNORECASE,
        )
        self.bare_clause = re.compile(
            r"(?P<cue>\b(?:" + verbs + r")\b)" + _ADVERBIAL + r"\s+(?P<content>" + _CLAUSE_OPENER + r".+)$"
        )
        # verbs that take a clause and seldom an object ("said part of the money would ...", "says about
        # 6,500 members joined"): the clause may open with any word but those that open something else
        clause_only = words_regex(cues.clause_verbs)
        self.bare_clause_wide = re.compile(
            r"(?P<cue>\b(?:" + clause_only + r")\b)" + _ADVERBIAL + r"\s+(?P<content>"
            r"(?!(?:" + words_regex(cues.non_clause_openers) + r")\b)(?!about\s+\D)[\w$€£¥'’-].+)$",
            re.IGNORECASE,
        )
        self.told_clause = re.compile(
            r"(?P<cue>\b" + told + r")\s+(?P<obj>[^,.;:\"“”«»]{1,50}?)" + _ADVERBIAL + r"\s+(?P<content>"
            r"(?:it|its|they|their|he|she|his|her|we|our|there|the)\b.+)$"
        )
        self.participle_clause = re.compile(
            r",\s+(?P<cue>" + words_regex(cues.participle_verbs) + r")\s+(?:that\s+)?(?P<content>[^\"“”«»]+)$",
        )
        self.final_who_cue = re.compile(
            r"^(?P<content>.+?),\s+(?P<who>[^,\"“”«»]{1,80}?(?:,[^,\"“”«»]{1,100},)?)\s+(?P<cue>"
            + verbs
            + r"|"
            + told
            + r")(?P<rest>\s+[^,.;\"“”«»]{1,60})?[.!]?$",
            re.IGNORECASE,
        )
        self.final_cue_who = re.compile(
            r"^(?P<content>.+?),\s+(?P<cue>" + verbs + r")\s+(?P<who>[^\"“”«»]{1,160}?)[.!]?$", re.IGNORECASE
        )
        self.according_first = re.compile(r"^according\s+to\s+(?P<who>[^,]{1,120}),\s+(?P<content>.+)$", re.IGNORECASE)
        self.according_last = re.compile(
            r"^(?P<content>.+?),?\s+according\s+to\s+(?P<who>[^,\"“”«»]{1,120}?)[.!]?$", re.IGNORECASE
        )

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        direct = [(q.start, q.end) for q in state.quotes]
        found: list[Quote] = []
        for s_start, s_end in article_sentences(doc, state):
            sentence = text[s_start:s_end]
            if (
                not self.speakers.cue.search(sentence)
                and not self.reporting.search(sentence)
                and not self.participle_clause.search(sentence)
            ):
                continue  # the speech verbs include "according to"
            quote = self._reported(text, state, s_start, s_end, direct)
            if quote is not None:
                found.append(quote)
        if found:
            quotes = sorted([*state.quotes, *found], key=lambda q: q.start)
            for n, quote in enumerate(quotes, start=1):
                quote.id = f"q{n}"
            state.quotes = quotes
        return doc

    def _reported(
        self, text: str, state: DocState, s_start: int, s_end: int, direct: list[tuple[int, int]]
    ) -> Quote | None:
        sentence = text[s_start:s_end]
        for pattern in (self.according_first, self.according_last, self.final_who_cue, self.final_cue_who):
            m = pattern.match(sentence)
            if m is None:
                continue
            if pattern is self.final_cue_who and _CLAUSE_LIKE.search(m.group("who")):
                continue  # "Borodin, an analyst, said a larger footprint would make sense": no "…, said X"
            rest = m.group("rest") if pattern is self.final_who_cue else None
            if rest and (
                _CLAUSE_LIKE.search(rest)
                or (not self.adverbial_opener.match(rest) and not self.telling.fullmatch(m.group("cue")))
            ):
                continue  # "…, but officials said the loan covers 80%": the clause follows the verb
            cue = m.group("cue") if "cue" in pattern.groupindex else "according to"
            quote = self._make(
                text, state, s_start + m.start("content"), s_start + m.end("content"),
                s_start + m.start("who"), s_start + m.end("who"), cue, direct,
            )  # fmt: skip
            if quote is not None:
                return quote
        clauses = [(m, m.start("cue")) for p in (self.that_clause, self.told_clause, self.bare_clause,
                   self.bare_clause_wide) for m in p.finditer(sentence)]  # fmt: skip
        # "Union leaders raised complaints, saying some subcontractors had cut corners": last resort
        clauses += [(m, m.start()) for m in self.participle_clause.finditer(sentence)]
        for m, verb_start in clauses:
            who_start = self._subject_start(text, s_start, s_start + verb_start)
            if who_start is None:
                continue
            if m.re in (self.bare_clause, self.bare_clause_wide) and not _HAS_VERB.search(m.group("content")):
                continue  # "confirmed the plan on Monday": an object, not a clause
            participle = m.re is self.participle_clause
            who_end = self._subject_end(text, who_start, s_start + verb_start) if participle else s_start + verb_start
            quote = self._make(
                text, state, s_start + m.start("content"), s_start + m.end("content"),
                who_start, who_end, m.group("cue"), direct,
            )  # fmt: skip
            if quote is not None:
                return quote
        return None

    def _subject_end(self, text: str, start: int, limit: int) -> int:
        """Where the subject of a clause ends: before its first verb-like word ("Union leaders | also
        raised", "The ministry | has said", "Dutch minister Liesje Schreinemacher | outlined")."""
        for m in _WORD.finditer(text, start, limit):
            word = m.group()
            if m.start() > start and word.islower() and (word in self.subject_enders or word.endswith("ed")):
                return m.start()
        return limit

    def _subject_start(self, text: str, s_start: int, cue_start: int) -> int | None:
        """Where the speaker phrase before the verb begins: after the last clause break before it."""
        region = text[s_start:cue_start]
        if not region.strip():
            return None
        relative = _RELATIVE_SUBJECT.search(region)
        if relative is not None:  # "criticised by Ayumi Tanaka, who said that": the speaker is "who"
            return s_start + relative.start("who")
        cut = max(region.rfind(", and "), region.rfind(", but "), region.rfind(", while "), region.rfind("; "),
                  region.rfind(": "))  # fmt: skip
        # "In a statement on Friday, the ministry said": the subject follows the one introductory phrase,
        # but "Liu Fang, a spokesperson for Sinowave, said" keeps its apposition
        comma = region.rfind(", ")
        introduced = region.split(maxsplit=1)[0].lower() in self.introductory
        if introduced and comma > cut and "," not in region[:comma] and region[comma + 2 : comma + 3].islower():
            cut = comma
        return s_start + (cut + 2 if cut >= 0 else 0)

    def _make(
        self,
        text: str,
        state: DocState,
        c_start: int,
        c_end: int,
        who_start: int,
        who_end: int,
        cue: str,
        direct: list[tuple[int, int]],
    ) -> Quote | None:
        while c_end > c_start and text[c_end - 1] in " .!,;":
            c_end -= 1
        while c_start < c_end and text[c_start] in " ,":
            c_start += 1
        words = len(_WORD.findall(text, c_start, c_end))
        if words < max(self.min_words, 4):
            return None
        inside = sum(min(b, c_end) - max(a, c_start) for a, b in direct if a < c_end and c_start < b)
        if inside * 2 > c_end - c_start:
            return None  # mostly (or wholly) a direct quote: that one is already there
        speaker = self.speakers.classify(text, state, who_start, who_end, cue, c_start)
        if speaker is None or (speaker.kind == "unknown" and not _plausible_unknown(speaker)):
            return None
        return Quote(
            id="",
            text=text[c_start:c_end],
            start=c_start,
            end=c_end,
            direct=False,
            speaker=speaker.entity,
            speaker_kind=speaker.kind,
            speaker_text=speaker.text,
            cue=speaker.cue,
        )


def _plausible_unknown(speaker: Speaker) -> bool:
    """An unresolved speaker phrase still reads like one ("the analyst", "critics"), not a clause."""
    who = (speaker.text or "").strip()
    return 0 < len(who.split()) <= 5 and not any(ch in who for ch in ",;:")


@Language.factory("dossier_reported", assigns=["doc._.dossier"])
def make_reported(nlp: Language, name: str) -> ReportedComponent:
    return ReportedComponent(nlp, load_resources())
