"""Component ``dossier_events``: events of the ontology's 14 types, one sentence of evidence each.

Per sentence of the article's own text, trigger phrases of each event type (data/cues.yaml) open a
candidate. Its participants are the entities of the sentence, given roles first by the type's
patterns ("{buyer}'s acquisition of {target}"), then by position: the mention right after a
preposition takes the role the frame gives that preposition ("from" -> seller), the nearest mention
before the trigger is the agent and the nearest after it the patient (swapped in the passive), and
coordinated mentions ("X, Y and Z") share a role. A candidate without participants is dropped.
Status, hedging, attribution, date and amounts come from cues in the same sentence. One event is
kept per type and set of (role, entity) pairs in the document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date as date_type
from datetime import timedelta

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from dossier.model import Attribution, Event, EventDate, Evidence, Participant
from dossier.nlp.resources import EventFrame, Resources, load_resources, words_regex
from dossier.nlp.roles import (
    CLAUSE_EDGES,
    EXAMPLE_CASES,
    Heads,
    Trigger,
    clause_chain,
    heads_clause,
    lift,
    prep_roles,
)
from dossier.nlp.state import (
    RELATIVE_CLAUSE,
    Cluster,
    DocState,
    article_sentences,
    patterns,
    sentence_index,
    state_of,
    token_offsets,
)
from dossier.nlp.temporal import resolve

# the words right before a date say which way to read a date without a year ("on September 1")
# between a date and the trigger, one of these puts them in different clauses
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|although|though|which|who|when|after|before)\b")
# "has been on the list since 2019": a state whose "since" dates the event itself, not an activity going on
_STATE = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?been\b", re.IGNORECASE)
_PAIR_JOINERS = frozenset({"-", "–", "—", "/"})
_BLOCK = "BLOCK:"
_STATUS = "STATUS:"
_FUTURE = "FUTURE"
_HEDGE = "HEDGE"
_ANONYMOUS = "ANONYMOUS"
_ACCORDING = "ACCORDING"
_AFTER_ACCORDING = re.compile(r"\s+(?:(?:the|a|an)\s+)?")
_FUTURE_GAP = 16  # "will sign", "expected to formally close": a future marker this close before a cue
_DETERMINERS = r"(?:(?:the|its|their|his|her|a|an|our|rival|fellow)\s+)?"
_PASSIVE_AUX = re.compile(r"\b(?:was|were|is|are|been|being|be|get|gets|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"\w+(?:ed|en|ght|ld|et|ut|ck)\b", re.IGNORECASE)
_BY_AFTER = re.compile(r"\s+by\b")
_POSSESSIVE = re.compile(r"'s?\s+$")
# "its budget brand Honor" (not "its acquisition of VMware")
_OWNED_AFTER_PRONOUN = re.compile(r"\s+(?:(?!(?:of|to|in|for|with|from|on|by|at|and|or)\s)[a-z][\w-]*\s+){0,3}")
_LIST_GOES_ON = re.compile(r"\s*(?:,|and\b|or\b|&)")
_COORDINATION = re.compile(  # "X, Y and Z", "Joe Biden and Chinese President Xi Jinping"
    r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}$"
)
_LOCATED = "<located>"  # "based in X": X says where, not who
_TOLD = "<told>"  # "told Reuters": the one spoken to
_LOCATED_WORDS = frozenset({"based", "headquartered", "located", "registered", "listed"})
_DETERMINER_WORDS = frozenset({"the", "its", "their", "his", "her", "a", "an", "our", "rival", "fellow"})
_WHITESPACE = re.compile(r"\s+")
_CLAUSE_BOUNDARY = (
    r"[;:]|,\s+(?:\w+\s+)?(?:where|which|whom|whose)\b"
    r"|,\s+(?:while|whereas|but|although|though|when|after|before|because|since|even\s+as|even\s+though)\b"
    r"|\s(?:but|while|whereas|although)\s"
    # ", and the European Commission said ...": a new clause with its own subject and verb (cues.yaml
    # new_clause_verbs), not a list
    r"|,\s+and\s+(?=(?:the\s+)?(?:[A-Z][\w.&'’-]*\s+(?:(?:and|of|for|&)\s+)?){1,5}{verbs}\b)"
    # "... who would control the algorithm, Beijing added ...": after a clause, a name and its verb open
    # the next one
    r"|(?<=[a-z]),\s+(?=(?:the\s+)?(?:[A-Z][\w.&'’-]*\s+){1,3}{verbs}\b)"
)
# "X said the proposal ...": X speaks of it, X does not propose (but "X said it would buy" is X's)
_SAID_OF = re.compile(
    r"\b(?:said|says|told|added|noted|argued|warned|believes|thinks|expects)\b"
    r"(?:\s+(?:on\s+\w+|in\s+an?\s+\w+(?:\s+\w+)?|repeatedly|again|also|previously|earlier|today|yesterday))*"
    r"(?:\s+that)?\s+(?!(?:it|he|she|they|we|its|their)\b)\w",
    re.IGNORECASE,
)
# "Turkey's state electricity trading company has agreed": Turkey owns the subject, it is not it
_OWNER_OF_SUBJECT = re.compile(
    r"'s?\s+(?:[\w'-]+,?\s+){1,6}?(?:has|have|had|is|are|was|were|will|would|agreed|said|plans|signed)\b"
)
_ADJACENT = re.compile(r"(?:'s?\s+(?:[\w$€£¥.-]+\s+){0,3})?\s*$")  # "US sanctions", "Nvidia's planned takeover"
_INVERTED_SAID = re.compile(r"[,\"]\s*(?P<verb>said|says)\s+(?:(?:the|a|an)\s+)?$", re.IGNORECASE)
_SPEAKS = re.compile(r"[^.;\"]{0,60}?\b(?:said|says|say|told|tell|tells|added|confirmed|reported|believe)\b")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|their|his|her)\s+$", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+([a-z][\w-]*)")
# "the curbs the EU imposed on ...": a name right after a noun trigger and before a past verb is the
# subject of a relative clause without "that" -- the agent, not the object (``zero_relative_after``)
_ZERO_RELATIVE_BEFORE = re.compile(r"\s+(?:the\s+)?$")
_PATIENT_STOP = re.compile(r"[,;:]|\s[-–—]\s")
_AGENT_REACH = 150  # characters before the trigger its subject may end within
_PATIENT_REACH = 80  # characters after the trigger its object may start within
_STATUS_REACH = 100  # characters around the trigger a status cue may stand within (denials: anywhere)


@dataclass(slots=True)
class _Sentence:
    """One sentence with triggers, and what its candidates share (filled by ``_prepare``)."""

    start: int
    end: int
    cues: list[tuple[int, int, str]]  # status, future and hedge cue words inside it
    triggers: dict[str, list[tuple[int, int]]]  # event type -> its trigger spans in the sentence
    attribution: Attribution | None = None
    clusters: list[Cluster] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    usable: list[bool] | None = None
    preps: list[str | None] = field(default_factory=list)
    boundaries: list[int] = field(default_factory=list)
    relatives: list[tuple[int, int]] = field(default_factory=list)
    masked: str | None = None
    possessive: list[bool] = field(default_factory=list)  # a possessive pronoun ("its"), per mention
    heads: list[Token | None] | None = None  # each mention's head word in the parse
    lifted: list[Token | None] = field(default_factory=list)  # the same, lifted (roles.lift)
    modifier: list[bool] = field(default_factory=list)  # a name only modifying a word ("Alibaba-backed")
    owner: dict[int, int] = field(default_factory=dict)  # mention -> the mention owning it ("Japan's SoftBank")
    nouned: list[int | None] | None = None  # per mention, the common noun it only describes (its token)
    masked_spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # see _masked_span
    masked_cuts: list[int] | None = None  # the clause boundaries, in the masked text


@dataclass(slots=True)
class _Draft:
    event: Event
    pairs: frozenset[tuple[str, str]]
    explicit: bool  # the status came from a cue, not a default


class EventsComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        cues = resources.cues
        self.frames: dict[str, EventFrame] = cues.events
        self.company_ids = resources.gazetteer.company_ids
        self.stage = {status: i for i, status in enumerate(resources.ontology.statuses)}  # life-cycle order
        self.role_order = {etype: {r: i for i, r in enumerate(f.roles)} for etype, f in self.frames.items()}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.regex_triggers: list[tuple[str, re.Pattern[str]]] = []
        self.patterns: dict[str, list[re.Pattern[str]]] = {}
        for etype, frame in self.frames.items():
            if frame.triggers:
                self.matcher.add(etype, patterns(nlp, frame.triggers))
            if frame.block:
                self.matcher.add(_BLOCK + etype, patterns(nlp, frame.block))
            for pattern in frame.regex:
                # matched on the lower-cased text without IGNORECASE: a third faster
                self.regex_triggers.append((etype, re.compile(_lower_literals(pattern))))
            self.patterns[etype] = [_compile_pattern(p) for p in frame.patterns]
        # cue words go through the same matcher: one pass over the tokens instead of a regular
        # expression per list and sentence
        for status, words in cues.status_cues.items():
            self.matcher.add(_STATUS + status, patterns(nlp, words))
        self.matcher.add(_FUTURE, patterns(nlp, cues.future_markers))
        self.matcher.add(_HEDGE, patterns(nlp, cues.hedges))
        self.matcher.add(_ANONYMOUS, patterns(nlp, cues.anonymous_heads))
        self.matcher.add(_ACCORDING, patterns(nlp, cues.according_to))
        self.vocab = nlp.vocab
        preps = {p for f in self.frames.values() for p in f.preps} | set(cues.prepositions)
        self.preps = frozenset(preps | {"and", "or"})
        self.priority = cues.status_priority
        self.rank = {status: i for i, status in enumerate(cues.status_priority)}
        self.anonymous = re.compile(
            r"\b(?:" + "|".join(f"(?:{p})" for p in cues.anonymous_speakers if p != "the people") + r")",
            re.IGNORECASE,
        )
        named = words_regex(cues.named_verbs)
        # "ASML said", "ASML announced on Monday", "ASML confirmed that" -- but not "ASML added Huawei"
        self.named_after = re.compile(
            r"(?:\s*\([^()]{1,20}\))?(?:,[^,;\"]{1,140},)?\s+(?:(?:has|have|had|also|later|then)\s+)?"
            r"(?P<verb>(?:said|says|told|tells)\b|" + named + r"(?=\s*(?:[,.:;\"]|$|that\b|in\s+a\b|on\s+\w+day\b)))",
            re.IGNORECASE,
        )
        self.reported = frozenset(v.lower() for v in cues.reported_verbs) | {"said", "says"}
        self.speech_after = re.compile(
            r"\s+(?:" + words_regex(tuple(v for v in cues.speech_verbs if " " not in v)) + r")\b",
            re.IGNORECASE,
        )
        gazetteer = resources.gazetteer
        demonyms = {d: a for d, a in gazetteer.demonyms.items()}
        self.demonym_before = (
            re.compile(r"\b(?P<dem>" + words_regex(tuple(demonyms)) + r")\s+(?:[\w-]+\s+){0,2}$") if demonyms else None
        )
        self.demonyms = demonyms
        self.org_nouns = frozenset(n for n in resources.names.org_nouns if " " not in n)
        self.clause_boundary = re.compile(_CLAUSE_BOUNDARY.replace("{verbs}", words_regex(cues.new_clause_verbs)))
        self.zero_relative_after = re.compile(
            r"\s+(?:(?:has|have|had)\s+)?(?:[a-z]+ed|" + words_regex(cues.irregular_pasts) + r")\b"
        )
        # "Cambridge-based", "Alibaba-backed": a name that only modifies a word (names.yaml modifier_suffixes)
        self.name_modifier = re.compile(r"-" + words_regex(resources.names.modifier_suffixes) + r"\b")
        # nouns a name stands before as part of what it names ("the Akkuyu power station")
        self.name_heads = self.org_nouns | {w.lower() for w in resources.names.fac_heads}
        self.support_verbs = cues.support_verbs
        # "will remain", "would continue to" (cues.yaml continuing_verbs): what is, unless "until" follows
        self.continues = re.compile(
            r"\b(?:will|would|shall|to)\s+" + words_regex(cues.continuing_verbs) + r"\b(?![^.;]*\b(?:until|till)\b)"
        )
        # month and day names (values.yaml): "said on Tuesday it" has no "on" before "it"
        self.calendar = frozenset(w.lower() for w in (*resources.values.months, *resources.values.weekdays))
        self.verbish = frozenset(
            {t for f in self.frames.values() for t in f.verb_triggers} | cues.support_verbs | cues.light_verbs
        )
        self.negated = re.compile(r"\b" + words_regex(cues.negations) + r"\s+(?:\w+\s+)?$", re.IGNORECASE)
        self.outlet_nouns = frozenset(n.lower() for n in cues.outlet_nouns)
        # the words right before a date say which way to read it (cues.yaml date_leads)
        self.past_lead = re.compile(
            r"\b" + words_regex(cues.past_date_leads) + r"\s+(?:(?:on|in|at|last|earlier|this|since)\s+)?(?:the\s+)?$",
            re.IGNORECASE,
        )
        self.future_lead = re.compile(
            r"(?:\b" + words_regex(cues.future_date_leads) + r"\b[^.;,]{0,40}?\s*(?:(?:on|in|at|from|by)\s+)?"
            r"|\b" + words_regex(cues.deadline_date_leads) + r"\s+(?:(?:on|in|at)\s+)?)(?:the\s+)?$",
            re.IGNORECASE,
        )
        # "a three-day strike": number words from values.yaml ("a" and "several" are no count of days)
        self.numbers = {w: n for w, n in resources.values.numbers.items() if w not in ("a", "several")}
        self.days_long = re.compile(r"\b(" + words_regex(tuple(self.numbers)) + r"|\d{1,2})[- ]day\b", re.IGNORECASE)
        self.referring_types = cues.referring_nouns
        # "the deal", "their merger", "these reports": a noun that refers back to an event told before
        self.referring = re.compile(
            r"\b(?:the|this|that|these|those|their|its|his|her)\s+(?:[\w$€£¥.,-]+\s+){0,2}?(?P<noun>"
            + words_regex(tuple(cues.referring_nouns))
            + r")\b",
            re.IGNORECASE,
        )

    # -- the component --------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        sentences = article_sentences(doc, state)
        if not sentences:
            state.events = []
            return doc
        sent_starts = [s for s, _ in sentences]
        triggers, cues = self._match(doc, state, sentences, sent_starts)
        by_sentence: dict[int, dict[str, list[tuple[int, int]]]] = {}
        for etype, start, end, k in triggers:
            by_sentence.setdefault(k, {}).setdefault(etype, []).append((start, end))
        cue_starts = [c[0] for c in cues]
        own_outlet = _own_outlet(state)
        drafts: list[_Draft] = []
        heads = Heads(doc) if doc.has_annotation("DEP") else None  # the parse, model pipeline only
        for k, types in sorted(by_sentence.items()):
            a, b = sentences[k]
            sentence = _Sentence(a, b, cues[bisect_left(cue_starts, a) : bisect_left(cue_starts, b)], types)
            for etype, spans in types.items():
                frame = self.frames[etype]
                if frame.yield_to_others and len(types) > 1:
                    continue
                found = [d for ts, te in spans if (d := self._event(heads, state, frame, sentence, ts, te, own_outlet))]
                for draft in _separate(found, frame):
                    drafts.extend(_distributed(draft, frame))
        state.events = self._merge(drafts)
        self._later_turns(state, sentences, sent_starts, cues)
        return doc

    def _later_turns(
        self,
        state: DocState,
        sentences: list[tuple[int, int]],
        sent_starts: list[int],
        cues: list[tuple[int, int, str]],
    ) -> None:
        """ "Nvidia agreed to buy Arm. ... The deal collapsed in February": a cancellation or denial told of
        "the deal" (cues.yaml referring_nouns) in a later sentence that tells no such event itself ends
        the last event of a fitting type told before it."""
        if not state.events:
            return
        text = state.document.text
        for s, e, label in cues:
            status = label[len(_STATUS) :] if label.startswith(_STATUS) else None
            if status not in ("cancelled", "denied"):
                continue
            k = sentence_index(sentences, sent_starts, s)
            if k is None:
                continue
            a, b = sentences[k]
            if self.negated.search(text, max(a, s - 25), s) or text[a : a + 5].lower() == "none ":
                continue  # "has not blocked the deal", "None of that has blocked a deal"
            m = self.referring.search(text, max(a, s - 60), min(b, e + 60))
            if m is None or (m.start() < e and s < m.end()):
                continue
            types = self.referring_types[m.group("noun").lower()]
            if any(v.type in types and a <= v.evidence.start < b for v in state.events):
                continue  # the sentence tells its own event, and its own status
            earlier = [v for v in state.events if v.type in types and v.evidence.end <= a]
            if earlier:
                event = max(earlier, key=lambda v: v.evidence.start)
                if self.stage[status] > self.stage[event.status]:
                    event.status = status

    def _match(
        self, doc: Doc, state: DocState, sentences: list[tuple[int, int]], sent_starts: list[int]
    ) -> tuple[list[tuple[str, int, int, int]], list[tuple[int, int, str]]]:
        """Triggers (type, start, end, sentence) and cue words (start, end, label) of the document."""
        strings = self.vocab.strings
        text = state.document.text
        found: list[tuple[str, int, int]] = []
        blocks: list[tuple[str, int, int]] = []
        cues: list[tuple[int, int, str]] = []
        token_starts, token_ends = token_offsets(doc)
        for match_id, start, end in self.matcher(doc):
            label = strings[match_id]
            s, e = token_starts[start], token_ends[end - 1]
            if label.startswith(_BLOCK):
                blocks.append((label[len(_BLOCK) :], s, e))
            elif label.startswith(_STATUS) or label in (_FUTURE, _ANONYMOUS, _ACCORDING):
                cues.append((s, e, label))
            elif label == _HEDGE:
                if text[s:e] != "May":  # the month
                    cues.append((s, e, label))
            else:
                found.append((label, s, e))
        cues.sort()
        lowered = text.lower()
        if len(lowered) != len(text):  # a character whose lower case is longer ("İ"): keep the offsets
            lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
        for etype, pattern in self.regex_triggers:
            for zone_start, zone_end in state.article_zones.spans:
                for m in pattern.finditer(lowered, zone_start, zone_end):
                    found.append((etype, m.start(), m.end()))
        found.sort(key=lambda t: (t[1], -(t[2] - t[1])))
        out: list[tuple[str, int, int, int]] = []
        for i, (etype, s, e) in enumerate(found):
            if any(bt == etype and bs <= s and e <= be for bt, bs, be in blocks):
                continue
            if any(os_ <= s and e <= oe and (oe - os_) > (e - s) for _, os_, oe in found[max(0, i - 8) : i + 8]):
                continue  # inside a longer trigger ("held talks with" holds "talks")
            if state.overlaps_mention(s, e):
                continue  # part of a name ("Vision Fund", "Hanbit Investment & Securities")
            k = sentence_index(sentences, sent_starts, s)
            if k is None or e > sentences[k][1]:
                continue
            out.append((etype, s, e, k))
        return out, cues

    # -- one candidate ----------------------------------------------------------------------------------

    def _prepare(self, text: str, state: DocState, sentence: _Sentence, own_outlet: str | None) -> None:
        """What does not depend on the trigger, once per sentence: mentions, their prepositions, clauses."""
        a, b = sentence.start, sentence.end
        # the sentence's names, and the pronouns and descriptions resolved to them ("it", "its")
        found = [
            (state.mention_starts[i], state.mention_ends[i], state.cluster_of(i), False)
            for i in state.mentions_between(a, b)
        ]
        lo = bisect_left(state.anaphora, a, key=lambda x: x.start)
        for anaphor in state.anaphora[lo:]:
            if anaphor.start >= b:
                break
            found.append((anaphor.start, anaphor.end, state.clusters[anaphor.cluster], anaphor.possessive))
        found.sort(key=lambda f: f[0])
        sentence.clusters = [f[2] for f in found]
        sentence.starts = starts = [f[0] for f in found]
        sentence.ends = ends = [f[1] for f in found]
        sentence.possessive = possessive = [f[3] for f in found]
        n = len(found)
        usable = [True] * n
        modifier = [False] * n
        owner: dict[int, int] = {}
        preps: list[str | None] = [None] * n
        for j in range(n):
            cluster = sentence.clusters[j]
            if own_outlet is not None and cluster.name == own_outlet:
                usable[j] = False
            if self.name_modifier.match(text, ends[j], ends[j] + 16):
                usable[j] = False  # "Cambridge-based", "Alibaba-backed" (a pattern may still read it)
                modifier[j] = True
            m = _NEXT_WORD.match(text, ends[j], ends[j] + 30)
            if m is not None and m.group(1).lower() in self.org_nouns:
                usable[j] = False  # "the San Francisco company": a modifier of another name
            before = text[max(a, starts[j] - 30) : starts[j]].lower().split()
            if before and (before[-1] in self.outlet_nouns or " ".join(before[-2:]) in self.outlet_nouns):
                usable[j] = False  # "the news agency Eurasia Signal reported": a source
            if j + 1 < n and self._owns(text, possessive[j], ends[j], starts[j + 1]):
                usable[j] = False  # "Japan's SoftBank", "its unit HiSilicon": the owner only modifies
                owner[j + 1] = j
            lo = max(a, ends[j - 1]) if j else a
            if j and (
                self._owns(text, possessive[j - 1], lo, starts[j])
                or _coordinated(text, ends[j - 1], starts[j], ends[j])
            ):
                preps[j] = preps[j - 1]  # "from Japan's SoftBank", "in London, Brussels and Beijing"
            else:
                preps[j] = self._preposition(text, lo, starts[j])
            if preps[j] in (_LOCATED, _TOLD):
                usable[j] = False  # "based in Veldhoven" says where, "told Reuters" to whom, not who
        sentence.usable = usable
        sentence.modifier = modifier
        sentence.owner = owner
        sentence.preps = preps
        sentence.boundaries = [m.start() for m in self.clause_boundary.finditer(text, a, b)]
        sentence.relatives = [(m.start(), m.end()) for m in RELATIVE_CLAUSE.finditer(text, a, b)]
        sentence.attribution = self._attribution(text, state, sentence, own_outlet)

    @staticmethod
    def _owns(text: str, possessive: bool, end: int, next_start: int) -> bool:
        """Whether a name or possessive pronoun owns the next name: "Japan's SoftBank", "its unit Honor"."""
        if possessive:
            return bool(_OWNED_AFTER_PRONOUN.fullmatch(text, end, next_start))
        return bool(_POSSESSIVE.match(text, end, next_start))

    def _preposition(self, text: str, lo: int, start: int) -> str | None:
        """The preposition governing a mention: "from", "according to", "in" (across "Woodside, ")."""
        words = text[max(lo, start - 60) : start].split()
        k = len(words) - 1
        skipped = 0
        # only a name continues a place ("in Woodside, California"); "said on Tuesday it had added"
        # puts no "on" before "it"
        skippable = text[start : start + 1].isupper()
        while (
            k >= 0
            and skippable
            and skipped < 2
            and words[k][:1].isupper()
            and words[k].strip(",.").lower() not in self.calendar
            and words[k].lower() not in _DETERMINER_WORDS
            and words[k].lower() not in self.preps
        ):
            k -= 1  # unknown capitalised words: "in Woodside, California"
            skipped += 1
        while k >= 0 and words[k].lower() in _DETERMINER_WORDS:
            k -= 1
        if k < 0:
            return None
        if skippable and words[k].lower() not in self.preps:
            # "under separate United States rules", "in chipmaker Arm": look past two plain words
            # ("to acquire Arm" is an infinitive, not a preposition)
            for back in (1, 2):
                landing = words[k - back].lower() if k - back >= 0 else ""
                passed = [w.lower() for w in words[k - back + 1 : k + 1]]
                if (
                    landing in self.preps
                    and landing != "to"
                    and all(w.isalpha() and w not in self.verbish and w not in self.calendar for w in passed)
                ):
                    k -= back
                    break
        word = words[k].lower()
        if k > 0:
            pair = words[k - 1].lower() + " " + word
            if pair in self.preps:
                return pair
            if word in ("in", "at") and words[k - 1].lower() in _LOCATED_WORDS:
                return _LOCATED
        if word in ("told", "tells", "telling"):
            return _TOLD
        return word if word in self.preps else None

    def _event(
        self,
        heads: Heads | None,
        state: DocState,
        frame: EventFrame,
        sentence: _Sentence,
        ts: int,
        te: int,
        own_outlet: str | None,
    ) -> _Draft | None:
        text = state.document.text
        a, b = sentence.start, sentence.end
        if self.negated.search(text, max(a, ts - 25), ts):
            return None  # "have never been sold to China": no event
        if sentence.usable is None:
            self._prepare(text, state, sentence, own_outlet)
        clusters, starts, ends = sentence.clusters, sentence.starts, sentence.ends
        preps, boundaries = sentence.preps, sentence.boundaries
        n = len(starts)
        if (
            n == 0
            and not frame.unnamed
            and (self.demonym_before is None or not self.demonym_before.search(text, max(a, ts - 40), ts))
        ):
            return None
        roles: list[str | None] = [None] * n
        usable = list(sentence.usable or ())
        measured = "measurer" in frame.types
        # a trigger inside a quote has its participants inside it: the speaker outside is not one
        # (a scare quote, 'so-called "Entity List"', is a name, not someone speaking)
        quote = next(((qs, qe) for qs, qe in state.speech_spans if qs <= ts < qe), None)
        next_boundary = next((p for p in boundaries if p >= te), b)
        readable = list(sentence.modifier)  # names a pattern may read though they only modify a word
        for j in range(n):
            if quote is not None and not (quote[0] <= starts[j] < quote[1]):
                usable[j] = readable[j] = False
                continue
            if (starts[j] <= ts < ends[j]) or (clusters[j].outlet and not measured):
                usable[j] = readable[j] = False
            elif starts[j] > next_boundary:
                usable[j] = readable[j] = False  # after a clause boundary from the trigger: another clause

        described = self._describing(heads, text, sentence, ts, te) if n else set()
        for j in described:
            usable[j] = readable[j] = False

        def fits(j: int, role: str) -> bool:
            accepted = frame.types.get(role)
            if role in frame.no_companies and clusters[j].key in self.company_ids:
                return False
            return accepted is not None and clusters[j].type in accepted

        def modifies(j: int) -> bool:
            if sentence.possessive[j]:  # "its planned takeover"
                return bool(_ADJACENT.match(text, ends[j], ts))
            return _modifies(text, starts[j], ends[j], ts)

        # 1. patterns over the sentence with mentions masked
        if self.patterns[frame.type] and n:
            if sentence.masked is None:
                sentence.masked = _masked(text, a, b, starts, ends, sentence.possessive)
            # a pattern away from the trigger reads its roles only in the trigger's clause, and not when it
            # spans another trigger of the type ("will require licences, ... closer to the controls the US
            # imposed on China"; "officials in The Hague said the rules ..., which imposed")
            own = _masked_span(text, sentence, ts, te)
            others = [_masked_span(text, sentence, s, e) for s, e in sentence.triggers[frame.type] if s != ts]
            if sentence.masked_cuts is None:
                sentence.masked_cuts = [_masked_span(text, sentence, p, p)[0] for p in boundaries]
            cuts = sentence.masked_cuts
            for pattern in self.patterns[frame.type]:
                for m in pattern.finditer(sentence.masked):
                    if (m.end() <= own[0] or m.start() >= own[1]) and (
                        any(m.start() < oe and os_ < m.end() for os_, oe in others)
                        or any(min(m.end(), own[1]) <= c < max(m.start(), own[0]) for c in cuts)
                    ):
                        continue
                    for group, value in m.groupdict().items():
                        if value is None:
                            continue
                        j = int(value)
                        if j in described:
                            continue  # nor through its owner: the name only describes a noun
                        role = group.split("__")[0]
                        k = sentence.owner.get(j)
                        if k is not None and not fits(j, role) and roles[k] is None and fits(k, role):
                            j = k  # "Microsoft's Azure will remain OpenAI's provider": the owner acts
                        elif not (usable[j] or readable[j]):
                            continue
                        if roles[j] is None and fits(j, role):
                            roles[j] = role
        if any(r is not None for r in roles):
            # "Rebellions and FuriosaAI have raised funding": a pattern's role is the whole list's
            self._spread(text, sentence, roles, usable, fits)
        trigger = text[ts:te].lower()
        # 2. the parse: subjects, objects and prepositional dependents of the trigger and the verbs it
        # leans on (model pipeline)
        elsewhere: set[int] = set()  # mentions whose prepositional phrase the parse hangs elsewhere
        if heads is not None and n:
            elsewhere = self._parsed_roles(heads, frame, sentence, ts, te, trigger, roles, usable, fits)
        # 3. prepositions
        participle = bool(_PARTICIPLE.match(text, ts, te))
        # "was acquired by X", and the reduced relative "a processor manufactured by X"
        passive = participle and bool(_PASSIVE_AUX.search(text, max(a, ts - 30), ts) or _BY_AFTER.match(text, te))
        verbal = trigger in frame.verb_triggers or trigger.split(" ", 1)[0] in self.verbish
        reach = _patient_reach(text, te, b)
        for j in range(n):
            prep = preps[j]
            if roles[j] is not None or not usable[j] or prep is None or j in elsewhere:
                continue
            if prep == "of" and (starts[j] < te or starts[j] >= reach):
                continue  # "of" marks the object only right after the trigger ("acquisition of Arm")
            if ends[j] <= ts and modifies(j):
                continue  # "on the US Entity List": the agent, below
            if ends[j] <= ts and any(ends[j] <= p < ts for p in boundaries):
                continue
            if prep == "by":  # the agent of a passive trigger; otherwise "made by SMIC" is no role
                if passive and starts[j] >= te and frame.agent and fits(j, frame.agent):
                    roles[j] = frame.agent
                continue
            for role in prep_roles(frame, prep):
                # before the trigger a prepositional phrase says where ("In Arizona, TSMC will
                # invest"), seldom who ("a licence from The Hague before it can ship")
                if fits(j, role) and (starts[j] >= te or prep not in ("from", "by")):
                    roles[j] = role
                    break
        # 4. agent before the trigger, patient after it (swapped in the passive); a role a pattern
        # already filled stays as it is, unless several may share it ("party")
        filled = {r for r in roles if r is not None} - _shared_roles(frame)
        agent = frame.agent_for.get(trigger, frame.agent)
        before_roles = list(frame.patient) if passive else ([agent] if agent else [])
        after_roles = [agent] if (passive and agent) else list(frame.patient)
        before_roles = [r for r in before_roles if r not in filled]
        after_roles = [r for r in after_roles if r not in filled]
        for j in reversed(range(n)):
            if any(rs <= starts[j] and ends[j] <= re_ for rs, re_ in sentence.relatives if re_ <= ts):
                continue  # "Richard Yu, who heads Huawei's consumer business, met ...": not Huawei
            if ts - ends[j] > _AGENT_REACH or self._beyond_clause(sentence, ends[j], ts):
                break  # too far, or in another clause: "... reduced its operations, in a sign that ..."
            subject_place = preps[j] is None or modifies(j) or self._example_of_subject(sentence, j)
            if ends[j] <= ts and usable[j] and subject_place:
                if _OWNER_OF_SUBJECT.match(text, ends[j], ts):
                    continue  # "Turkey's state company has agreed to buy": Turkey only owns the buyer
                if (
                    roles[j] is None
                    and not _SAID_OF.search(text, ends[j], ts)
                    and (verbal or modifies(j) or self._supported(text, ends[j], ts))
                ):
                    # "X said the proposal ...": X speaks of it, and nobody before X acts either;
                    # "SMIC has managed ... under sanctions": a noun trigger needs a verb for its agent
                    roles[j] = next((r for r in before_roles if fits(j, r)), None)
                break
        for j in range(n):
            if starts[j] >= reach:
                break
            if starts[j] >= te and usable[j] and (preps[j] is None or preps[j] == "of"):
                if (
                    roles[j] is None
                    and not verbal
                    and agent in before_roles
                    and fits(j, agent)
                    and _ZERO_RELATIVE_BEFORE.fullmatch(text, te, starts[j])
                    and self.zero_relative_after.match(text, ends[j])
                ):
                    roles[j] = agent
                elif roles[j] is None:
                    roles[j] = next((r for r in after_roles if fits(j, r)), None)
                break
        # 5. coordination: "X, Y and Z" share a role
        self._spread(text, sentence, roles, usable, fits)
        participants: list[tuple[int, str, str]] = []  # (role rank, position) order
        seen: set[str] = set()
        order = self.role_order[frame.type]
        for j in range(n):
            assigned = roles[j]
            if assigned is not None and clusters[j].id not in seen:
                seen.add(clusters[j].id)
                participants.append((order[assigned] * 100000 + starts[j], assigned, clusters[j].id))
        self._demonym_agent(text, state, frame, a, ts, participants, seen, order)
        if not participants and not frame.unnamed:
            return None
        if not frame.unnamed and frame.requires and not any(role in frame.requires for _, role, _ in participants):
            return None
        if frame.complete:  # "[party=China]" alone is no meeting: every role listed must be filled
            held = Counter(role for _, role, _ in participants)
            if any(held[role] < count for role, count in Counter(frame.complete).items()):
                return None
        participants.sort()
        etype = frame.type
        if frame.between_people is not None:
            # "a meeting between Joe Biden and Xi Jinping", "the Putin–Xi talks": when people meet, they are
            # the parties, not their countries or the summit; talks between people are a meeting
            person_ids = {c.id for c in clusters if c.type == "PERSON"}
            people = {e for _, r, e in participants if r == frame.agent and e in person_ids}
            if len(people) >= 2:
                participants = [p for p in participants if p[1] != frame.agent or p[2] in people]
                if all(r == frame.agent for _, r, _ in participants):
                    etype = frame.between_people
        # talks between people are a meeting, with a meeting's status words
        status, explicit = self._status(text, heads, self.frames[etype], sentence, ts, te)
        date = self._date(state, heads, a, b, ts, te, sentence.relatives, future=status == "planned")
        if not explicit and date is not None:
            # no cue said how far along it is: a date wholly before publication means it happened
            # ("put $1 billion into OpenAI in 2019"), one wholly after it means it is planned
            when = _relative_to(date, state.document.published)
            if when < 0:
                status = "done"
            elif when > 0 and status == "done":
                status = "planned"
        event = Event(
            id="",
            type=etype,
            status=status,
            evidence=Evidence(a, b, text[a:b]),
            hedged=any(label == _HEDGE for _, _, label in sentence.cues),
            participants=[Participant(role, entity) for _, role, entity in participants],
            date=date,
            amounts=[span.amount for span in state.amounts if a <= span.start and span.end <= b],
            attribution=_copy(sentence.attribution or Attribution()),
        )
        return _Draft(event, frozenset((p.role, p.entity) for p in event.participants), explicit)

    def _parsed_roles(
        self,
        heads: Heads,
        frame: EventFrame,
        sentence: _Sentence,
        ts: int,
        te: int,
        trigger: str,
        roles: list[str | None],
        usable: list[bool],
        fits: Callable[[int, str], bool],
    ) -> set[int]:
        """Roles the parse gives; returns the mentions it hangs on other words by a preposition."""
        token = heads(ts, te)
        if token is None:
            return set()
        parse = Trigger(token, frame, frame.agent_for.get(trigger, frame.agent))
        trigger_tokens = heads.tokens(ts, te)
        elsewhere = set()
        if sentence.heads is None:
            sentence.heads = [heads(s, e) for s, e in zip(sentence.starts, sentence.ends, strict=True)]
            sentence.lifted = [None if h is None else lift(h) for h in sentence.heads]
        shared = _shared_roles(frame)
        filled = {r for r in roles if r is not None} - shared
        for j, head in enumerate(sentence.heads):
            lifted = sentence.lifted[j]
            if roles[j] is not None or not usable[j] or head is None or lifted is None:
                continue
            if parse.attached_elsewhere(lifted, trigger_tokens):
                elsewhere.add(j)
                continue
            if parse.subject_elsewhere(lifted, trigger_tokens):
                usable[j] = False  # another clause's subject: no role by position either
                continue
            role = next((r for r in parse.roles_of(lifted) if r not in filled and fits(j, r)), None)
            if role is not None:
                roles[j] = role
                if role not in shared:
                    filled.add(role)
            elif (
                head.dep_ == "compound"
                and head.head.i not in trigger_tokens
                and head.head.i > head.i
                and head.head.lower_ not in self.name_heads
            ):
                elsewhere.add(j)  # "rely on certain US technology": the preposition is the noun's
        return elsewhere

    def _describing(self, heads: Heads | None, text: str, sentence: _Sentence, ts: int, te: int) -> set[int]:
        """Names that only describe a common noun after them, and the names listed with them: "restrictions
        on Tokyo Electron and Nikon equipment" restrict equipment, not the two companies (model pipeline; a
        noun of the trigger itself, "US sanctions", is the trigger's, and a product's name before its kind,
        "its Mate 60 Pro smartphone", names it)."""
        if heads is None:
            return set()
        if sentence.nouned is None:
            nouned: list[int | None] = []
            for s, e, cluster in zip(sentence.starts, sentence.ends, sentence.clusters, strict=True):
                head = heads(s, e)
                noun = None
                if (
                    head is not None
                    and cluster.type != "PRODUCT"  # "its Mate 60 Pro smartphone" names the phone
                    and head.dep_ == "compound"
                    and head.head.i > head.i
                    and head.head.pos_ == "NOUN"
                    and head.head.lower_ not in self.name_heads
                    and not heads_clause(head.head)  # "SMIC plans to invest": "plans" is the verb
                ):
                    noun = head.head.i
                nouned.append(noun)
            for j in range(len(nouned) - 2, -1, -1):  # "Tokyo Electron and Nikon equipment"
                if nouned[j] is None and _coordinated(
                    text, sentence.ends[j], sentence.starts[j + 1], sentence.ends[j + 1]
                ):
                    nouned[j] = nouned[j + 1]
            sentence.nouned = nouned
        trigger = heads.tokens(ts, te)
        return {j for j, noun in enumerate(sentence.nouned) if noun is not None and noun not in trigger}

    @staticmethod
    def _spread(
        text: str, sentence: _Sentence, roles: list[str | None], usable: list[bool], fits: Callable[[int, str], bool]
    ) -> None:
        """Coordinated names ("X, Y and Z") share the role one of them has."""
        starts, ends = sentence.starts, sentence.ends
        n = len(starts)
        for j in range(1, n):
            previous = roles[j - 1]
            # "the two companies" stands for both: one span, two entities
            coordinated = starts[j] == starts[j - 1] or _coordinated(text, ends[j - 1], starts[j], ends[j])
            if roles[j] is None and usable[j] and previous is not None and fits(j, previous) and coordinated:
                roles[j] = previous
        for j in range(n - 2, -1, -1):
            following = roles[j + 1]
            coordinated = starts[j] == starts[j + 1] or _coordinated(text, ends[j], starts[j + 1], ends[j + 1])
            if roles[j] is None and usable[j] and following is not None and fits(j, following) and coordinated:
                roles[j] = following

    @staticmethod
    def _example_of_subject(sentence: _Sentence, j: int) -> bool:
        """ "Japanese companies such as Tokyo Electron and Lasertec supply ...": names given as examples of
        the subject (the first of them after "such as" or "including") stand where the subject stands."""
        k = j
        while k > 0 and sentence.preps[k] in ("and", "or"):
            k -= 1
        return sentence.preps[k] in EXAMPLE_CASES

    def _supported(self, text: str, end: int, ts: int) -> bool:
        """Whether a verb that hands its subject to a noun trigger stands between them."""
        return any(w.lower().strip(",.") in self.support_verbs for w in text[end:ts].split())

    @staticmethod
    def _beyond_clause(sentence: _Sentence, end: int, ts: int) -> bool:
        """Whether a clause boundary other than a closed relative clause lies between end and ts."""
        for p in sentence.boundaries:
            if end <= p < ts and not any(rs == p and re_ <= ts for rs, re_ in sentence.relatives):
                return True
        return False

    def _demonym_agent(
        self,
        text: str,
        state: DocState,
        frame: EventFrame,
        a: int,
        ts: int,
        participants: list[tuple[int, str, str]],
        seen: set[str],
        order: dict[str, int],
    ) -> None:
        """ "Dutch export controls": the Netherlands imposes them, when the document names it."""
        agent = frame.agent
        if agent is None or self.demonym_before is None or any(r == agent for _, r, _ in participants):
            return
        if "GPE" not in frame.types.get(agent, frozenset()):
            return
        m = self.demonym_before.search(text, max(a, ts - 40), ts)
        if m is None:
            return
        key = self.demonyms[m.group("dem")]
        for cluster in state.clusters:
            if cluster.key == key and cluster.id not in seen:
                seen.add(cluster.id)
                participants.append((order[agent] * 100000 + m.start(), agent, cluster.id))
                return

    def _status(
        self, text: str, heads: Heads | None, frame: EventFrame, sentence: _Sentence, ts: int, te: int
    ) -> tuple[str, bool]:
        """The status cue nearest the trigger; a denial or cancellation anywhere in the sentence wins."""
        cues = [
            (label[len(_STATUS) :], s, e)
            for s, e, label in sentence.cues
            # a word that describes the event itself is no cue
            if label.startswith(_STATUS)
            and text[s:e].lower() not in frame.not_cues
            and label[len(_STATUS) :] not in frame.never_status
        ]
        found = [f for f in cues if f[2] <= ts or f[1] >= te]  # the trigger is not its own cue
        if self.continues.search(text, max(sentence.start, ts - 60), ts) and not any(
            f[0] in ("denied", "cancelled") for f in found
        ):
            return "done", True  # "will remain OpenAI's provider", "will continue to supply": it is so now
        if heads is not None and _future_in_parse(heads, ts, te):
            found = [f for f in found if f[0] in ("denied", "cancelled", "planned")]
            if not found:
                return "planned", True  # "will build", "would buy": a plan, whatever else is said
        if not found:
            # "signed an agreement": unless its own words say how far it is
            inner = next((f[0] for f in cues if ts <= f[1] and f[2] <= te), None)
            return (inner, True) if inner else (frame.default_status or "done", False)
        if heads is not None:
            # with a parse, the cues on the trigger's own words ("plans to buy", "called off the
            # takeover") come first; a cue of another clause only when none is there
            token = heads(ts, te)
            if token is not None:
                chain = clause_chain(token)
                connected = []
                for f in found:
                    cue = heads(f[1], f[2])
                    if cue is not None and (cue.i in chain or (cue.head.i in chain and cue.dep_ not in CLAUSE_EDGES)):
                        connected.append(f)
                if connected:
                    found = connected
        overriding = [f for f in found if f[0] in ("denied", "cancelled")]
        # a cue beyond a clause boundary is another clause's ("put €15m into X, and the Commission said it
        # would look at the deal")
        found = [
            f
            for f in found
            if abs(f[1] - ts) <= _STATUS_REACH
            and not any(min(ts, f[1]) <= p < max(ts, f[1]) for p in sentence.boundaries)
        ] or overriding
        if not found:
            return frame.default_status or "done", False
        status, start, _ = min(overriding or found, key=lambda f: (abs(f[1] - ts), self.rank[f[0]]))
        if status not in ("planned", "denied", "cancelled") and any(
            label == _FUTURE and e <= start and start - e <= _FUTURE_GAP for _s, e, label in sentence.cues
        ):
            return "planned", True
        return status, True

    def _date(
        self,
        state: DocState,
        heads: Heads | None,
        a: int,
        b: int,
        ts: int,
        te: int,
        relatives: list[tuple[int, int]],
        *,
        future: bool,
    ) -> EventDate | None:
        """The date the parse hangs on the trigger itself ("last year's Oct 7 chip rules", not the
        "yesterday" they were updated), else the date expression of the trigger's clause nearest to it, else
        the sentence's nearest."""
        text = state.document.text
        trigger = heads(ts, te) if heads is not None else None
        best = None
        for span in state.dates:
            if span.start >= b:
                break
            if span.start >= a and span.end <= b:
                lo, hi = (span.end, ts) if span.end <= ts else (ts, span.start)
                if any((rs <= span.start < re_) != (rs <= ts < re_) for rs, re_ in relatives):
                    continue  # "Microsoft, which abandoned a bid in 2020, has agreed to acquire": not 2020
                other_clause = _CLAUSE_BREAK.search(text, lo, hi) is not None
                own = False
                if trigger is not None and heads is not None:
                    head = heads(span.start, span.end)
                    own = head is not None and head.head.i == trigger.i and head.i != trigger.i
                distance = (not own, other_clause, abs(span.start - ts))
                if best is None or distance < best[0]:
                    best = (distance, span)
        if best is None:
            return None
        span = best[1]
        lead = text[max(a, span.start - 60) : span.start]
        if self.past_lead.search(lead):
            future = False  # "said in January it would cut jobs": January is when it was said
        elif self.future_lead.search(lead):
            future = True  # "will take effect on September 1", "is due in March"
        ongoing = _STATE.search(text, a, span.start) is None
        start, end = resolve(span, state.document.published, future=future, ongoing=ongoing)
        if start is not None and start == end and len(start) == 10:
            # "a three-day strike that began on Monday": the days it lasts
            lasting = self.days_long.search(text, a, b)
            if lasting is not None:
                days = self.numbers.get(lasting.group(1).lower()) or int(lasting.group(1))
                if 1 < days <= 31:
                    end = (date_type.fromisoformat(start) + timedelta(days=days - 1)).isoformat()
        return EventDate(span.text, start, end)

    def _attribution(self, text: str, state: DocState, sentence: _Sentence, own_outlet: str | None) -> Attribution:
        a, b = sentence.start, sentence.end
        labels = {label for _, _, label in sentence.cues}
        # "according to Reuters" / "according to people familiar with the matter"
        if _ACCORDING in labels:
            for s, e, label in sentence.cues:
                if label != _ACCORDING:
                    continue
                after = _AFTER_ACCORDING.match(text, e, b)
                pos = after.end() if after else e
                j = state.mention_at(pos)
                if j is not None:
                    cluster = state.cluster_of(j)
                    if cluster.type in ("ORG", "PERSON", "GPE") and cluster.name != own_outlet:
                        kind = "other_outlet" if cluster.outlet else "named"
                        return Attribution(kind, cluster.id, text[s : state.mention_ends[j]])
                if _ANONYMOUS in labels:
                    anonymous = self.anonymous.match(text, pos, b)
                    if anonymous is not None:
                        return Attribution("anonymous", None, text[s : anonymous.end()])
        if _ANONYMOUS in labels:
            anonymous = self.anonymous.search(text, a, b)
            # "people familiar with the matter said" -- not "a growing source of income"
            if anonymous is not None and _SPEAKS.match(text, anonymous.end(), b):
                return Attribution("anonymous", None, anonymous.group())
        # "ASML said", "Reuters reported", '... said Peter Wennink'
        for i in state.mentions_between(a, b):
            cluster = state.cluster_of(i)
            if cluster.type not in ("ORG", "PERSON", "GPE") or cluster.name == own_outlet:
                continue
            verb = None
            m = self.named_after.match(text, state.mention_ends[i], b)
            if m is not None:
                verb = m.group("verb")
            else:
                inverted = _INVERTED_SAID.search(text, max(a, state.mention_starts[i] - 30), state.mention_starts[i])
                if inverted is not None:  # '"...," said Peter Wennink' -- not "a report said Saudi Arabia"
                    verb = inverted.group("verb")
            if verb is not None:
                kind = "other_outlet" if cluster.outlet and verb.lower() in self.reported else "named"
                return Attribution(kind, cluster.id, verb)
        return Attribution("outlet", None, None)

    # -- one event per type and participants ------------------------------------------------------------

    def _merge(self, drafts: list[_Draft]) -> list[Event]:
        stage = self.stage
        drafts.sort(key=lambda d: (-len(d.pairs), d.event.evidence.start))
        kept: list[_Draft] = []
        for draft in drafts:
            host = next(
                (
                    k
                    for k in kept
                    if k.event.type == draft.event.type
                    and draft.pairs <= k.pairs
                    and _one_life(k.event, draft.event, stage)
                ),
                None,
            )
            if host is None:
                kept.append(draft)
                continue
            # same event told again: keep the fuller one, with the best-evidenced status
            # the furthest stage told wins: "agreed to buy" then "completed the purchase" is done, and a
            # denial or cancellation overrides (ontology.yaml's statuses are in that order)
            if draft.explicit and (not host.explicit or stage[draft.event.status] > stage[host.event.status]):
                host.event.status = draft.event.status
                host.explicit = True
            host.event.hedged = host.event.hedged and draft.event.hedged
            if host.event.date is None and draft.event.date is not None:
                host.event.date = draft.event.date
            if not host.event.amounts and draft.event.amounts:
                host.event.amounts = draft.event.amounts
        kept.sort(key=lambda d: (d.event.evidence.start, d.event.type))
        events = [d.event for d in kept]
        for n, event in enumerate(events, start=1):
            event.id = f"v{n}"
        return events


def _separate(found: list[_Draft], frame: EventFrame) -> list[_Draft]:
    """The events of one type a sentence tells: the candidate with the most participants, and each other
    candidate whose agent is someone else ("The Netherlands will require licences, ... closer to the
    controls the United States imposed on China" tells two measures). Candidates that share an agent, or
    lack one, are the same event told by several trigger words."""
    if not found:
        return []
    best = max(found, key=lambda d: len(d.pairs))  # the first of the fullest
    agent = frame.agent
    if agent is None or agent in frame.patient or len(found) == 1:
        return [best]

    def agents(draft: _Draft) -> set[str]:
        return {entity for role, entity in draft.pairs if role == agent}

    kept = [best]
    taken = agents(best)
    if not taken:
        return kept
    for draft in found:
        own = agents(draft)
        if draft is not best and own and own.isdisjoint(taken):
            kept.append(draft)
            taken |= own
    return kept


def _distributed(draft: _Draft, frame: EventFrame) -> list[_Draft]:
    """One event per entity of a distributed role: "Rebellions and FuriosaAI have raised funding" is two
    rounds, "Broadcom bought CA Technologies and Symantec's unit" two acquisitions."""
    for role in frame.distribute:
        several = [p for p in draft.event.participants if p.role == role]
        if len(several) < 2:
            continue
        out = []
        for one in several:
            participants = [p for p in draft.event.participants if p.role != role or p is one]
            event = replace(draft.event, participants=participants, attribution=_copy(draft.event.attribution))
            out.append(_Draft(event, frozenset((p.role, p.entity) for p in participants), draft.explicit))
        return out
    return [draft]


def _future_in_parse(heads: Heads, ts: int, te: int) -> bool:
    """Whether the trigger's clause is in the future: "will build", "would be acquired"."""
    token = heads(ts, te)
    if token is None:
        return False
    return heads.future(clause_chain(token))


def _one_life(a: Event, b: Event, stage: dict[str, int]) -> bool:
    """Whether two mentions of the same type and parties are one real-world event: told at overlapping
    times, or as stages of one life ("agreed in May", "completed on November 22"), in the order of
    ontology.yaml's statuses. A later date at an earlier stage ("invested in 2019", "would invest over
    the next three years") is another event."""
    if _same_time(a.date, b.date):
        return True
    assert a.date is not None and b.date is not None and a.date.end is not None and b.date.start is not None
    first, second = (a, b) if _before(a.date.end, b.date.start) else (b, a)
    return stage[first.status] < stage[second.status]


def _same_time(a: EventDate | None, b: EventDate | None) -> bool:
    """Whether two event dates may describe the same event: unknown, or overlapping intervals ("in 2019"
    and "in January 2023" are two investments, not one told twice)."""
    if a is None or b is None or None in (a.start, a.end, b.start, b.end):
        return True
    assert a.start is not None and a.end is not None and b.start is not None and b.end is not None
    return not (_before(a.end, b.start) or _before(b.end, a.start))


def _before(x: str, y: str) -> bool:
    """ISO dates of any precision: x ends before y begins, compared on the precision they share."""
    n = min(len(x), len(y))
    return x[:n] < y[:n]


def _relative_to(date: EventDate, published: str | None) -> int:
    """-1 when the date lies wholly before the publication date, 1 wholly after it, else 0 (ISO strings
    of any precision, compared on the precision they share)."""
    if not published or date.start is None or date.end is None:
        return 0
    if _before(date.end, published):
        return -1
    if _before(published, date.start):
        return 1
    return 0


def _copy(attribution: Attribution) -> Attribution:
    return Attribution(attribution.kind, attribution.speaker, attribution.cue)


def _lower_literals(pattern: str) -> str:
    """A regular expression with its literal letters in lower case ("US\\$" -> "us\\$"), escapes such as
    ``\\S`` or ``\\W`` left as they are."""
    out = []
    escaped = False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out).replace("(?p<", "(?P<").replace("(?p=", "(?P=")  # named groups keep their syntax


def _compile_pattern(pattern: str) -> re.Pattern[str]:
    counter = [0]

    def placeholder(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "any":
            return r"\x01\d+\x02"
        counter[0] += 1
        return rf"\x01(?P<{name}__{counter[0]}>\d+)\x02"

    # whole words: "{imposer}'s ... ban" is not "Russia's banks"
    return re.compile(r"(?<!\w)(?:" + re.sub(r"\{(\w+)\}", placeholder, pattern) + r")(?!\w)", re.IGNORECASE)


def _masked(text: str, a: int, b: int, starts: list[int], ends: list[int], possessive: list[bool]) -> str:
    """The sentence with its k-th mention replaced by \\x01k\\x02 and white space collapsed ("its" by
    \\x01k\\x02's, so that "{buyer}'s acquisition" reads "its acquisition" too)."""
    parts = []
    pos = a
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        parts.append(text[pos:s])
        parts.append(f"\x01{k}\x02's" if possessive[k] else f"\x01{k}\x02")
        pos = e
    parts.append(text[pos:b])
    return _WHITESPACE.sub(" ", "".join(parts))


def _masked_span(text: str, sentence: _Sentence, ts: int, te: int) -> tuple[int, int]:
    """Where the span [ts, te) (a trigger, or an empty one at a clause boundary) stands in the sentence's
    masked text (``_masked``), remembered per sentence."""
    found = sentence.masked_spans.get((ts, te))
    if found is None:
        before = bisect_left(sentence.starts, ts)
        start = len(
            _masked(text, sentence.start, ts, sentence.starts[:before], sentence.ends[:before], sentence.possessive)
        )
        found = sentence.masked_spans[(ts, te)] = (start, start + len(_WHITESPACE.sub(" ", text[ts:te])))
    return found


def _modifies(text: str, start: int, end: int, ts: int) -> bool:
    """ "the US Entity List", "Nvidia's takeover": a name that qualifies the trigger noun right after it
    (unlike "workers at Samsung went on strike", where the name ends a prepositional phrase)."""
    if not _ADJACENT.match(text, end, ts):
        return False
    return text.startswith("'", end) or _DETERMINER_BEFORE.search(text, max(0, start - 8), start) is not None


def _patient_reach(text: str, te: int, b: int) -> int:
    """Where the object of a trigger may start at the latest: before the next comma, within reach."""
    limit = min(b, te + _PATIENT_REACH)
    stop = _PATIENT_STOP.search(text, te, limit)
    return stop.start() if stop else limit


def _coordinated(text: str, prev_end: int, start: int, end: int) -> bool:
    """ "X, Y and Z": Y is in a list with X. After a bare comma, only if the list goes on after Y
    ("OpenAI, the San Francisco company" is an apposition, not a list). "Putin–Xi talks", "US-China
    trade": two names joined by a dash or slash are a pair."""
    if text[prev_end:start] in _PAIR_JOINERS:
        return True
    if not _COORDINATION.match(text, prev_end, start):
        return False
    gap = text[prev_end:start]
    if "and" in gap or "or" in gap or "&" in gap:
        return True
    return _LIST_GOES_ON.match(text, end) is not None


def _shared_roles(frame: EventFrame) -> set[str]:
    """Roles several entities may fill: the symmetric ones ("party")."""
    return {frame.agent} & set(frame.patient) if frame.agent else set()


def _own_outlet(state: DocState) -> str | None:
    origin = state.document.origin or {}
    outlet = origin.get("outlet") if isinstance(origin, dict) else None
    return outlet if isinstance(outlet, str) else None


@Language.factory("dossier_events", assigns=["doc._.dossier"])
def make_events(nlp: Language, name: str) -> EventsComponent:
    return EventsComponent(nlp, load_resources())
