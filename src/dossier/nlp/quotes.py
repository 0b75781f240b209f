"""Component ``dossier_quotes``: direct quotes in the article's text and who said them.

Quotes are text between straight double quotes (paired within a paragraph; a paragraph that opens a
quote and never closes it continues the quote, as news style does), guillemets, or a dash that opens a
paragraph ("— We are ready, — said Wang Jun.", the style of translated wire copy), of at least
``quote_min_words`` words (shorter ones are scare quotes). The speaker is found next to the quote:
'"...," Name said' / '"...," said Name, role' / 'Name said: "..."' / 'he said' (the last person
named before) / 'a person familiar with the matter said' (anonymous). A quote without a speaker of
its own continues the previous quote of the same paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from dossier.model import Quote
from dossier.nlp.resources import Resources, load_resources, words_regex
from dossier.nlp.state import DocState, article_sentences, in_spans, state_of, subject_like

SPEAKER_TYPES = frozenset({"PERSON", "ORG", "GPE"})
_GUILLEMETS = re.compile(r"«([^«»\n]+)»")
_SENTENCE_END = re.compile(r"[.!?][\"')\]»]*\s+(?=[\"'(\[«]?[A-Z0-9À-Þ])")
_PRONOUN_END = re.compile(r"(?:^|\W)(?P<p>he|she)\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+)?$", re.IGNORECASE)
_PRONOUN = re.compile(r"(?P<p>he|she)$", re.IGNORECASE)
_NEXT_LOWER = re.compile(r"\s+([a-z][\w-]*)\s*$")  # "US officials": the lower-case head ending the phrase
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|of|from|for|with|near|outside|inside|across|by|to)\s+(?:the\s+)?$", re.I)
_MODIFIER_AFTER = re.compile(r"-|\s+[a-z]")  # "Moscow-based", "US news agency"
_RELATIVE_GAP = re.compile(r"\)?,?\s*$")
_LEADING_CONJUNCTION = re.compile(r"(?:and|but|though|although|while|whereas|as|so|yet)\s+", re.IGNORECASE)
_GAP = re.compile(
    r"^\s*(?:\([^()\"]{1,20}\)\s*)?(?:,[^\"«»]{1,160},\s*)?(?:(?:has|had|have|also|then|later|previously|once)\s+)*$"
)
_WORD = re.compile(r"\S+")
# what may follow an anonymous source within its own phrase ("one of the people familiar with the talks")
_SAME_PHRASE = re.compile(r"[^,.;:\"]{0,60}")
_DASH_OPEN = re.compile(r"[ \t]*(?P<dash>[—–])[ \t]+")  # a paragraph that opens on a dash: a quote, in wire style
_DASH_AGAIN = re.compile(r"(?<=[.!?…])[ \t]+(?P<dash>[—–])[ \t]+(?=\S)")
# "Mitarai has said", "Wennink later added": words between a speaker and the speech verb
_TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:has|had|have|also|then|later|previously|once|since|again|repeatedly|many times|often))+$"
)


@dataclass(slots=True)
class _Span:
    outer_start: int
    outer_end: int
    start: int  # the quoted words
    end: int
    line_start: int
    line_end: int
    open_ended: bool  # the paragraph opened the quote and did not close it


@dataclass(slots=True)
class Speaker:
    kind: str  # named | anonymous | unknown
    entity: str | None
    text: str | None
    cue: str | None


class Speakers:
    """Who a speaker phrase is: a named entity, an anonymous source, or unknown (shared with
    :mod:`dossier.nlp.reported`)."""

    def __init__(self, resources: Resources) -> None:
        cues = resources.cues
        self.countries = frozenset(resources.gazetteer.by_iso2.values())
        # "the minister", "the company's chief executive": a person named before with that role
        # "the Nvidia chief executive", "the Chinese leader", "the 50-year-old": one person named before
        self.person_description = re.compile(
            r"(?:the|their|its)\s+(?:[\w'’.&-]+\s+){0,4}?(?P<role>"
            + words_regex(resources.names.person_roles)
            + r"|(?P<age>\d{2}-year-old))",
            re.IGNORECASE,
        )
        self.demonyms = frozenset(k.casefold() for k in resources.gazetteer.demonyms)
        # "US officials", "the Huawei executive": a name modifying an unnamed person
        self.unnamed_heads = frozenset(
            w.lower() for w in (*cues.anonymous_heads, *cues.unnamed_speakers) if " " not in w
        )
        # "Ayumi Tanaka of Meiji Capital Research, noting that ...": the speaker ends before the participle
        self.trailing_participle = re.compile(
            r",\s+" + words_regex((*cues.participle_verbs, *cues.other_participles)) + r"\b", re.IGNORECASE
        )
        self.state_reference = re.compile(
            r"(?:the|its)\s+" + words_regex(cues.state_references), re.IGNORECASE
        )  # "the government said"
        # head words of organisation names ("Union", "Ministry"): "the union" is only one so named
        self.name_heads = resources.names.org_heads
        verbs = words_regex(cues.speech_verbs)
        self.cue = re.compile(r"\b(?P<cue>" + verbs + r")\b", re.IGNORECASE)
        self.anonymous = re.compile(
            r"\b(?:" + "|".join(f"(?:{p})" for p in cues.anonymous_speakers) + r")", re.IGNORECASE
        )
        roles = words_regex(resources.names.person_roles)
        spokespeople = words_regex(cues.spokespeople)
        self.org_role = re.compile(r"\s+" + spokespeople + r"\b", re.IGNORECASE)
        self.spokesperson = re.compile(r"\b" + spokespeople + r"\b", re.IGNORECASE)
        self.spokesperson_for = re.compile(
            r"\b(?:a|an|the|one)\s+(?:[\w-]+\s+){0,3}?" + spokespeople + r"\s+(?:for|of|at|from|with)\s+(?:the\s+)?$",
            re.IGNORECASE,
        )
        # "a spokesperson for the company", "a spokeswoman for the ministry"
        self.spokesperson_for_body = re.compile(
            r"(?:a|an|the|one)\s+(?:[\w-]+\s+){0,2}?" + spokespeople + r"\s+(?:for|of|at)\s+(?:the|its)\s+"
            r"(?:[a-z-]+\s+)?(?P<noun>government|union|" + words_regex(resources.names.org_nouns) + r")"
            r"(?:['’]s(?:\s+[\w-]+){1,3})?",  # "a spokesperson for the company's Russian office"
            re.IGNORECASE,
        )
        self.body_spokesperson = re.compile(
            r"(?:a|an|the)\s+(?:[a-z-]+\s+)?(?P<noun>government|union|"
            + words_regex(resources.names.org_nouns)
            + r")\s+"
            + spokespeople,
            re.IGNORECASE,
        )
        # a sentence opening on an unnamed person: "A Taipei-based supply-chain researcher", "One executive"
        self.unnamed_subject = re.compile(
            r"[\"“]?(?:a|an|one|another)\s+(?:[\w'’.-]+\s+){0,5}?(?:"
            + words_regex((*cues.anonymous_heads, *resources.names.person_roles))
            + r")\b",
            re.IGNORECASE,
        )
        self.unnamed_person = re.compile(
            r"(?:a|an|one|two|three|four|several|some|other|one of them,?)\s+(?:[\w'’.-]+\s+){0,6}?"
            r"(?:" + words_regex(cues.anonymous_heads) + r")\b",
            re.IGNORECASE,
        )
        self.role_for = re.compile(
            r"\b(?:a|an|the|one)\s+(?:[\w-]+\s+){0,3}?(?:" + roles + r")\s+(?:for|of|at|from|with)\s+(?:the\s+)?$",
            re.IGNORECASE,
        )
        # unnamed people: "analysts", "a European official", "several lawmakers", "one of the people"
        self.unnamed_group = re.compile(
            r"^(?:(?:a|an|one|some|several|many|most|other|two|three|four|\d+|few|a few|one of the)\s+)"
            r"|\b(?:" + words_regex(cues.unnamed_speakers) + r")$",
            re.IGNORECASE,
        )
        # "the company said", "the ministry added", "the firm's analysts said": the organisation last
        # named before
        self.org_reference = re.compile(
            r"(?:the|its|their)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>" + words_regex(resources.names.org_nouns) + r")"
            r"(?:['’]s\s+(?:[a-z-]+\s+){0,2}?(?:" + words_regex(cues.anonymous_heads) + r"|" + spokespeople + r"))?$",
            re.IGNORECASE,
        )
        # "a statement from the Commerce Ministry", "a letter by the company's lawyers": the author speaks
        self.document_from = re.compile(
            r"(?:a|an|the|its|their)\s+(?:[\w-]+\s+){0,2}?"
            + words_regex(cues.speaking_documents)
            + r"\s+(?:from|by|of|issued\s+by)\s+",
            re.IGNORECASE,
        )
        # "critics in Brussels", "engineers involved in the project", "officials at the ministry": unnamed
        # people, whatever the words after them name -- but "officials in The Hague" speak for the state
        # there (the gold guide's metonym), which the speaker's place name resolves to
        self.unnamed_group_head = re.compile(
            r"(?:" + words_regex(cues.unnamed_speakers) + r")\s+(?:in|at|from|of|for|with|on|across|inside|outside|"
            r"near|involved|close|familiar|who|working|based)\b(?<!officials in)(?<!official in)",
            re.IGNORECASE,
        )

    def classify(self, text: str, state: DocState, start: int, end: int, cue: str, quote_start: int) -> Speaker | None:
        """Who is the speaker text between ``start`` and ``end``?"""
        start, end = self._trim(text, start, end)
        who = text[start:end]
        if not who:
            return None
        pronoun = _PRONOUN.match(who)
        if pronoun is not None:
            return self.pronoun(text, state, quote_start, who, cue)
        if who.lower() in ("who", "which"):  # "…, said Tanaka, who …" / "the ministry, which said"
            j = self._named_before(text, state, start)
            if j is not None and state.cluster_of(j).type in SPEAKER_TYPES:
                return Speaker("named", state.cluster_of(j).id, who, cue)
            if j is None:  # "according to one of the people familiar with the matter, who said": unnamed
                before = text[max(0, start - 160) : start].rstrip(" ,")
                if any(_SAME_PHRASE.fullmatch(before, m.end()) for m in self.anonymous.finditer(before)):
                    return Speaker("anonymous", None, who, cue)
        if who.lower() == "it":  # "It said …": the organisation the sentences before are about
            organisation = self.salient(text, state, quote_start, ("ORG",))
            return Speaker("named", organisation, who, cue) if organisation else Speaker("unknown", None, who, cue)
        mentions = state.mentions_between(start, end)
        described = self.person_description.fullmatch(who)
        if described is not None:
            person = self.described_person(text, state, start, end, quote_start, described)
            if person is not None:
                return Speaker("named", person, who, cue)
        document = self.document_from.match(who)
        if document is not None:
            author = next((i for i in mentions if state.mention_starts[i] >= start + document.end()), None)
            if author is not None and state.cluster_of(author).type in SPEAKER_TYPES:
                return Speaker("named", state.cluster_of(author).id, who, cue)
        if self.unnamed_group_head.match(who) and all(state.cluster_of(i).type != "ORG" for i in mentions):
            return Speaker("anonymous", None, who, cue)  # but "analysts at Bernstein": the firm
        mention = state.mention_at(start)
        if mention is None and who.lower().startswith("the "):
            mention = state.mention_at(start + 4)
        if mention is not None and text.startswith(("'s ", "’s "), state.mention_ends[mention]):
            # "China's Commerce Ministry", "Putin's spokesman Dmitry Peskov": the owned name speaks
            owned = next((i for i in mentions if state.mention_starts[i] >= state.mention_ends[mention]), None)
            if owned is not None:
                mention = owned
        if mention is not None and state.cluster_of(mention).type != "PERSON":
            head = _NEXT_LOWER.match(text, state.mention_ends[mention], end)
            if head is not None and head.group(1).lower() in self.unnamed_heads:
                return Speaker("anonymous", None, who, cue)  # "US officials", "the Huawei executive"
        if mention is None or state.cluster_of(mention).type != "PERSON":
            # "the president of MTS Alexei Kornya": the person, not the company
            for i in mentions:
                if state.cluster_of(i).type == "PERSON":
                    mention = i
                    break
        # "the Moscow-based news agency Eurasia Signal": the name the phrase ends on is its head when
        # the first one only modifies the phrase
        tail = state.mention_ending_at(end)
        if (
            tail is not None
            and state.mention_starts[tail] >= start
            and tail != mention
            and (mention is None or _MODIFIER_AFTER.match(text, state.mention_ends[mention]))
            and not _PREPOSITION_BEFORE.search(text, start, state.mention_starts[tail])
        ):  # not "a Western diplomat in Moscow", "critics in Brussels"
            mention = tail
        if mention is not None:
            cluster = state.cluster_of(mention)
            if cluster.type in SPEAKER_TYPES:
                return Speaker("named", cluster.id, who, cue)
        if self.anonymous.match(text, start, end):
            return Speaker("anonymous", None, who, cue)
        spokesperson = self.spokesperson.search(who)
        if spokesperson is None and self.unnamed_person.match(who):
            # "a senior US administration official", "a manager at a Moscow integrator": unnamed
            return Speaker("anonymous", None, who, cue)
        for i in mentions:
            cluster = state.cluster_of(i)
            if cluster.type not in SPEAKER_TYPES:
                continue
            # "a spokesperson for MOFCOM", "a TikTok spokesperson": the organisation speaks
            if self.spokesperson_for.search(text, start, state.mention_starts[i]) or self.org_role.match(
                text, state.mention_ends[i], end
            ):
                return Speaker("named", cluster.id, who, cue)
        body = self.body_spokesperson.fullmatch(who) or self.spokesperson_for_body.fullmatch(who)
        if body is not None:  # "a union spokesperson", "a spokesperson for the company"
            noun = body.group("noun").lower()
            if noun == "government":  # "a government spokesperson": the state named before
                speaker = self.government(text, state, quote_start)
            else:
                speaker = self.organisation(text, state, quote_start, noun)
            if speaker is not None:
                return Speaker("named", speaker, who, cue)
        if self.state_reference.fullmatch(who):  # "the government said": the state the text is about
            country = self.government(text, state, quote_start)
            if country is not None:
                return Speaker("named", country, who, cue)
        reference = self.org_reference.fullmatch(who)
        if reference is not None:
            organisation = self.organisation(text, state, quote_start, reference.group("noun").lower())
            if organisation is not None:
                return Speaker("named", organisation, who, cue)
        if len(who.split()) > 8:
            return None
        if not mentions and self.unnamed_group.search(who):
            return Speaker("anonymous", None, who, cue)  # "analysts", "several Democrats", "one of the people"
        return Speaker("unknown", None, who, cue)

    def _trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The speaker phrase without surrounding space and commas, a leading conjunction ("though she")
        or trailing auxiliaries ("Mitarai has")."""
        while start < end and text[start] in " \t\n,":
            start += 1
        while end > start and text[end - 1] in " \t\n,":
            end -= 1
        m = _LEADING_CONJUNCTION.match(text, start, end)
        if m is not None:
            start = m.end()
        m = self.trailing_participle.search(text, start, end)
        if m is not None and m.start() > start:
            end = m.start()
        m = _TRAILING_ADVERBS.search(text, start, end)
        if m is not None and m.start() > start:
            end = m.start()
        return start, end

    @staticmethod
    def _named_before(text: str, state: DocState, start: int) -> int | None:
        """The mention right before a relative pronoun: "Ayumi Tanaka, who", "the ministry (MOFCOM), which"."""
        m = _RELATIVE_GAP.search(text, max(0, start - 6), start)
        return state.mention_ending_at(m.start()) if m is not None else None

    def pronoun(self, text: str, state: DocState, before: int, pronoun: str, cue: str) -> Speaker:
        """ "he said": the person the sentences before are about -- in the nearest sentence naming a
        person, the first one named where a subject stands, else the last one named (within a few
        paragraphs)."""
        if self._unnamed_subject_before(text, state, before):
            # "A Taipei-based researcher, who asked not to be named, said … . "…," he said.": unnamed
            return Speaker("anonymous", None, pronoun, cue)
        person = self.salient(text, state, before, ("PERSON",))
        if person is not None:
            return Speaker("named", person, pronoun, cue)
        return Speaker("unknown", None, pronoun, cue)

    def _unnamed_subject_before(self, text: str, state: DocState, before: int) -> bool:
        """Whether the nearest sentence before ``before`` that has a person in it opens on an unnamed one
        ("A Taipei-based supply-chain researcher …", "One executive …") and names nobody before it."""
        for a, b, people in _sentences_back(state, before, ("PERSON",)):
            m = self.unnamed_subject.match(text, a, b)
            if m is not None:
                return not people or state.mention_starts[people[0]] >= m.end()
            if people:
                return False
        return False

    def salient(self, text: str, state: DocState, before: int, types: tuple[str, ...]) -> str | None:
        """The entity of one of ``types`` the sentences before are about: in the nearest sentence naming
        one, the first named where a subject stands, else the last named (within a few paragraphs)."""
        for a, _, named in _sentences_back(state, before, types):
            if named:
                for i in named:
                    if subject_like(text, a, state.mention_starts[i], state.mention_ends[i]):
                        return state.cluster_of(i).id
                return state.cluster_of(named[-1]).id
        return self.last_of(state, before, types)

    def organisation(self, text: str, state: DocState, before: int, noun: str) -> str | None:
        """Which organisation "the ministry" or "the company" is: one so named for a noun that heads
        names ("Ministry of Commerce"), else the one the sentences before are about."""
        if noun.capitalize() in self.name_heads:
            return self.last_of(state, before, ("ORG",), noun)
        return self.salient(text, state, before, ("ORG",))

    def government(self, text: str, state: DocState, before: int) -> str | None:
        """Whose government "the government" is: the country the sentences before are about, else the one
        the text names most (a city is no government)."""
        salient = self.salient(text, state, before, ("GPE",))
        if salient is not None and any(c.id == salient and c.key in self.countries for c in state.clusters):
            return salient
        return _main_state(state, before, self.countries)

    def described_person(
        self, text: str, state: DocState, start: int, end: int, before: int, m: re.Match[str]
    ) -> str | None:
        """Who a definite description of a person ("the minister", "the Nvidia chief executive", "the
        Chinese leader", "the 50-year-old") is, among the people named before ``before``.

        An age is read like "he". Otherwise, nearest first: a person whose title ("Trade Minister Liesje
        Schreinemacher") or description ("Peter Wennink, chief executive of ASML") holds the role and
        every name the description carries (an organisation, a place, a demonym); then one whose title or
        description holds those names; then, when the description carries no nationality, the only
        person named in the last few paragraphs."""
        if m.group("age"):
            return self.salient(text, state, before, ("PERSON",))
        role = m.group("role").lower()
        marks: set[str] = set()
        for i in state.mentions_between(start, end):
            cluster = state.cluster_of(i)
            marks.add(cluster.name.casefold())
            marks.add(text[state.mention_starts[i] : state.mention_ends[i]].casefold())
        nationality = {w for w in re.findall(r"[\w-]+", text[start : m.start("role")].casefold()) if w in self.demonyms}
        # "A Huawei executive told reporters … the Huawei executive said": an unnamed person introduced
        # after everyone named before is the one meant
        lo = max(0, before - 3000)
        intros = [m.end() for m in _indefinite(role).finditer(text, lo, before)]
        if intros:
            lo = intros[-1]
        # cluster id -> (its descriptions, those and the titles before its mentions), nearest first
        people: dict[str, tuple[str, str]] = {}
        for i in reversed(state.mentions_between(lo, before)):
            cluster = state.cluster_of(i)
            if cluster.type != "PERSON" or in_spans(state.quote_spans, state.mention_starts[i]):
                continue
            title = text[max(0, state.mention_starts[i] - 40) : state.mention_starts[i]].casefold()
            described, about = people.get(cluster.id) or (" ".join(cluster.descriptions).casefold(),) * 2
            people[cluster.id] = described, about + " " + title
        wanted = marks | nationality
        for person, (_, about) in people.items():
            if _holds(about, role) and all(_holds(about, w) for w in wanted):
                return person
        if wanted:
            for person, (_, about) in people.items():
                if all(_holds(about, w) for w in wanted):
                    return person
        if nationality or len(people) != 1:
            return None
        # the only person named: unless described otherwise ("Jari Toivonen, a patent consultant" is no
        # "Huawei executive")
        only, (described, _) = next(iter(people.items()))
        return only if not described or _holds(described, role) else None

    def last_of(self, state: DocState, before: int, types: tuple[str, ...], noun: str | None = None) -> str | None:
        """The entity of the last mention of one of ``types`` before ``before`` (within a few paragraphs);
        with ``noun``, one whose name holds it first ("the union" -> "National Samsung Electronics
        Union", "the ministry" -> "Ministry of Commerce")."""
        last = None
        for i in reversed(state.mentions_between(max(0, before - 1500), before)):
            cluster = state.cluster_of(i)
            if cluster.type not in types or cluster.outlet:
                continue
            if noun is None or noun in cluster.name.lower().split():
                return cluster.id
            last = last or cluster.id
        # "the company" may be any company named before; "the union" or "the ministry" only one so named
        return None if noun is not None and noun.capitalize() in self.name_heads else last


def _holds(text: str, phrase: str) -> bool:
    """Whether the (case-folded) text holds the phrase as whole words."""
    return re.search(r"\b" + re.escape(phrase) + r"\b", text) is not None


@lru_cache(maxsize=256)
def _indefinite(role: str) -> re.Pattern[str]:
    """ "a Huawei executive", "one senior official": an unnamed person of that role."""
    return re.compile(r"\b(?:an?|one|another)\s+(?:[\w'’.&-]+\s+){0,4}?" + re.escape(role) + r"\b", re.IGNORECASE)


def _alone_in_paragraph(text: str, span: _Span) -> bool:
    """Whether the quote is its paragraph's only content (closing punctuation aside)."""
    return span.outer_start - span.line_start <= 1 and not text[span.outer_end : span.line_end].strip(" \t.,;")


def _main_state(state: DocState, before: int, countries: frozenset[str]) -> str | None:
    """The country named most often before ``before`` (the one an article is about), if any."""
    counts = Counter(
        cluster.id
        for cluster in (state.cluster_of(i) for i in state.mentions_between(0, before))
        if cluster.type == "GPE" and cluster.key in countries
    )
    return counts.most_common(1)[0][0] if counts else None


def _sentences_back(state: DocState, before: int, types: tuple[str, ...]) -> Iterator[tuple[int, int, list[int]]]:
    """The article's sentences before ``before``, nearest first, within a few paragraphs, each cut at
    ``before``, with its mentions of ``types`` outside quotes (outlets aside)."""
    sentences = state.sentences or []
    k = bisect_right(sentences, (before, before)) - 1
    lo = max(0, before - 1500)
    while k >= 0 and sentences[k][1] > lo:
        a, b = sentences[k][0], min(sentences[k][1], before)
        named = [
            i
            for i in state.mentions_between(a, b)
            if state.cluster_of(i).type in types
            and not state.cluster_of(i).outlet
            and not in_spans(state.quote_spans, state.mention_starts[i])
        ]
        yield a, b, named
        k -= 1


class QuotesComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        cues = resources.cues
        self.min_words = cues.quote_min_words
        self.speakers = Speakers(resources)
        self.cue = self.speakers.cue
        self.anonymous = self.speakers.anonymous
        verbs = words_regex(cues.speech_verbs)
        self.after_cue_first = re.compile(
            r"\s*,?\s*(?P<cue>" + verbs + r")\s+(?P<who>[^.?!;\"«»\n]{1,160}?)(?=[.?!;](?:\s|$)|\"|«|\n|$)",
            re.IGNORECASE,
        )
        self.after_who_first = re.compile(
            r"\s*,?\s*(?P<who>[^,.?!;\"«»\n]{1,80}?(?:,[^,.?!;\"«»\n]{1,140},)?)\s+(?P<cue>" + verbs + r")\b",
            re.IGNORECASE,
        )
        self.role_for = self.speakers.role_for
        # the dash that closes a dash quote, right before who said it: ", — said Wang Jun", ", — Wang Jun said"
        self.dash_close = re.compile(
            r"(?<=[,.!?…])[ \t]+[—–][ \t]+(?=(?:" + verbs + r")\b|[^,.!?—–\n]{1,80}?\b(?:" + verbs + r")\b)",
            re.IGNORECASE,
        )
        self.comma_cue = re.compile(r",(?=[ \t]+(?:" + verbs + r")\b)", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        spans = self._spans(text, state)
        state.quote_spans = [(s.outer_start, s.outer_end) for s in spans]
        state.speech_spans = [
            (s.outer_start, s.outer_end) for s in spans if len(_WORD.findall(text, s.start, s.end)) >= self.min_words
        ]
        speech = set(state.speech_spans)
        article_sentences(doc, state)  # for the speakers "he" and "she" refer to
        quotes: list[Quote] = []
        previous: _Span | None = None
        previous_speaker: Speaker | None = None
        for span in spans:
            speaker = self._speaker(text, state, span, previous)
            if speaker is None and previous is not None and previous_speaker is not None:
                same_paragraph = previous.line_start == span.line_start
                next_paragraph = span.line_start == _next_line_start(text, previous.line_end)
                # a paragraph that is nothing but a quote, right after one that quoted someone: the same
                # voice goes on ("…," Tanaka said. ¶ "…")
                continued = next_paragraph and (previous.open_ended or _alone_in_paragraph(text, span))
                if same_paragraph or continued:
                    speaker = previous_speaker
            if speaker is None and span.outer_start - span.line_start <= 1:
                speaker = self._from_line_before(text, state, span)
            previous, previous_speaker = span, speaker
            if (span.outer_start, span.outer_end) not in speech:
                continue  # a scare quote
            speaker = speaker or Speaker("unknown", None, None, None)
            quotes.append(
                Quote(
                    id=f"q{len(quotes) + 1}",
                    text=text[span.start : span.end],
                    start=span.start,
                    end=span.end,
                    direct=True,
                    speaker=speaker.entity,
                    speaker_kind=speaker.kind,
                    speaker_text=speaker.text,
                    cue=speaker.cue,
                )
            )
        state.quotes = quotes
        return doc

    # -- finding quotes -------------------------------------------------------------------------------

    def _spans(self, text: str, state: DocState) -> list[_Span]:
        spans: list[_Span] = []
        for zone_start, zone_end in state.article_zones.spans:
            line_start = zone_start
            dash_before = False  # the paragraph before was a dash quote
            while line_start < zone_end:
                nl = text.find("\n", line_start, zone_end)
                line_end = zone_end if nl < 0 else nl
                if line_end > line_start:
                    dashed = self._dash_spans(text, line_start, line_end, dash_before)
                    spans.extend(dashed or _line_spans(text, line_start, line_end))
                    if text[line_start:line_end].strip():
                        dash_before = bool(dashed)
                line_start = line_end + 1
        spans.sort(key=lambda s: s.start)
        return spans

    def _dash_spans(self, text: str, line_start: int, line_end: int, dash_before: bool) -> list[_Span]:
        """A paragraph opening with a dash, as translated Russian and other wire copy quotes: "— We are
        ready, — said Wang Jun. — The rest follows." or "– We are ready, said Wang Jun." It is a quote
        when the speaker is named in it, or after a colon or another such paragraph."""
        m = _DASH_OPEN.match(text, line_start, line_end)
        if m is None:
            return []
        # the comma or stop before the speaker stays with the words, as inside quote marks
        close = self.dash_close.search(text, m.end(), line_end)
        if close is not None:  # "— …, — said X." ("— …, — X said.")
            first = _trimmed(text, m.start("dash"), close.end(), m.end(), close.start(), line_start, line_end)
            rest = _DASH_AGAIN.search(text, close.end(), line_end)
            # ". — More words.": the quote goes on after the speaker
            again = rest and _trimmed(text, rest.start("dash"), line_end, rest.end(), line_end, line_start, line_end)
            return [s for s in (first, again) if s]
        comma = self.comma_cue.search(text, m.end(), line_end)
        if comma is not None:  # "– …, said X."
            end = comma.start() + 1
        else:
            before = text[max(0, line_start - 300) : line_start].rstrip()
            introduced = before.endswith(":") and self.cue.search(before[before.rfind("\n") + 1 :])
            if not (dash_before or introduced):  # 'Wang Jun told reporters: ¶ — …' or the next such paragraph
                return []
            end = line_end
        span = _trimmed(text, m.start("dash"), end, m.end(), end, line_start, line_end)
        return [span] if span else []

    # -- finding speakers -----------------------------------------------------------------------------

    def _speaker(self, text: str, state: DocState, span: _Span, previous: _Span | None) -> Speaker | None:
        inner_tail = text[max(span.start, span.end - 2) : span.end]
        continues = (
            inner_tail.rstrip()[-1:] in (",", "?", "!", "-", "—") or text[span.outer_end : span.outer_end + 1] == ","
        )
        if continues and not span.open_ended:
            speaker = self._after(text, state, span)
            if speaker is not None:
                return speaker
        region_start = span.line_start
        if previous is not None and previous.line_start == span.line_start:
            region_start = max(region_start, previous.outer_end)
        for m in _SENTENCE_END.finditer(text, region_start, span.outer_start):
            region_start = m.end()
        return self._before(text, state, region_start, span.outer_start)

    def _after(self, text: str, state: DocState, span: _Span) -> Speaker | None:
        pos, limit = span.outer_end, span.line_end
        m = self.after_cue_first.match(text, pos, limit)
        if m is not None:
            speaker = self.speakers.classify(text, state, m.start("who"), m.end("who"), m.group("cue"), span.start)
            if speaker is not None:
                return speaker
        m = self.after_who_first.match(text, pos, limit)
        if m is not None:
            return self.speakers.classify(text, state, m.start("who"), m.end("who"), m.group("cue"), span.start)
        return None

    def _before(self, text: str, state: DocState, region_start: int, quote_open: int) -> Speaker | None:
        """'Name said: "...' / 'Name, role, said the rules would cover "..."'"""
        last = None
        for m in self.cue.finditer(text, region_start, quote_open):
            last = m
        if last is None:
            return None
        cue_start, cue = last.start(), last.group("cue")
        if cue.lower().startswith("according"):
            # 'According to Jensen Huang, demand "is off the charts"': the speaker follows the cue
            comma = text.find(",", last.end(), quote_open)
            if comma > 0:
                speaker = self.speakers.classify(text, state, last.end(), comma, cue, quote_open)
                if speaker is not None:
                    return speaker
        pronoun = _PRONOUN_END.search(text, region_start, cue_start)
        if pronoun is not None:
            return self.speakers.pronoun(text, state, quote_open, pronoun.group("p"), cue)
        for i in reversed(state.mentions_between(region_start, cue_start)):
            if _GAP.match(text[state.mention_ends[i] : cue_start]):
                cluster = state.cluster_of(i)
                if cluster.type not in SPEAKER_TYPES:
                    break
                who_start = state.mention_starts[i]
                role = self.role_for.search(text, region_start, who_start)
                if role is not None:
                    who_start = role.start()
                who = _TRAILING_ADVERBS.sub("", text[who_start:cue_start].strip()).rstrip(",").strip()
                return Speaker("named", cluster.id, who, cue)
        clause = text[region_start:cue_start]
        anonymous = None
        for m in self.anonymous.finditer(clause):
            anonymous = m
        if anonymous is not None and len(clause) - anonymous.end() < 60:
            who = clause[anonymous.start() :].strip().rstrip(",").strip()
            return Speaker("anonymous", None, who, cue)
        who = clause.strip(" \t,;:").strip()
        if who and len(who.split()) <= 6 and who[:1].isupper() and not self.cue.search(who):
            return Speaker("unknown", None, who, cue)
        return None

    def _from_line_before(self, text: str, state: DocState, span: _Span) -> Speaker | None:
        """A paragraph that opens with a quote, after one ending in a colon: the previous paragraph's
        subject; a paragraph that is only a quote, after one ending on a named speaker ("…, Tanaka said on
        Monday."): that speaker."""
        end = span.line_start - 1
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if end <= 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        if text[end - 1] != ":":
            # "…, Tanaka said on Monday. ¶ "…"": a paragraph that is only a quote goes on with the voice
            # the paragraph before ends on
            if not _alone_in_paragraph(text, span):
                return None
            last = None
            for m in _SENTENCE_END.finditer(text, start, end - 1):
                last = m
            tail_start = last.end() if last is not None else start
            speaker = self._before(text, state, tail_start, end)
            return speaker if speaker is not None and speaker.kind == "named" else None
        for m in _SENTENCE_END.finditer(text, start, end):
            start = m.end()
        speaker = self._before(text, state, start, end)
        if speaker is not None and speaker.kind != "unknown":
            return speaker
        for i in state.mentions_between(start, end):
            cluster = state.cluster_of(i)
            if cluster.type == "PERSON":
                who = text[state.mention_starts[i] : state.mention_ends[i]]
                return Speaker("named", cluster.id, who, None)
        return None


def _line_spans(text: str, line_start: int, line_end: int) -> list[_Span]:
    """Quotes in one paragraph."""
    spans: list[_Span] = []
    marks = [i for i in range(line_start, line_end) if text[i] == '"'] if '"' in text[line_start:line_end] else []
    for k in range(0, len(marks) - 1, 2):
        open_at, close_at = marks[k], marks[k + 1]
        span = _inner(text, open_at, close_at + 1, line_start, line_end, open_ended=False)
        if span is not None:
            spans.append(span)
    if len(marks) % 2 == 1:
        open_at = marks[-1]
        span = _inner(text, open_at, line_end, line_start, line_end, open_ended=True)
        if span is not None:
            spans.append(span)
    for m in _GUILLEMETS.finditer(text, line_start, line_end):
        span = _inner(text, m.start(), m.end(), line_start, line_end, open_ended=False)
        if span is not None:
            spans.append(span)
    return spans


def _inner(
    text: str, outer_start: int, outer_end: int, line_start: int, line_end: int, *, open_ended: bool
) -> _Span | None:
    """The quote between two marks (or from one mark to the paragraph's end)."""
    end = outer_end if open_ended else outer_end - 1
    return _trimmed(text, outer_start, outer_end, outer_start + 1, end, line_start, line_end, open_ended=open_ended)


def _trimmed(
    text: str,
    outer_start: int,
    outer_end: int,
    start: int,
    end: int,
    line_start: int,
    line_end: int,
    *,
    open_ended: bool = False,
) -> _Span | None:
    """A quote's span: its words between ``start`` and ``end``, spaces trimmed; None when empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    return _Span(outer_start, outer_end, start, end, line_start, line_end, open_ended)


def _next_line_start(text: str, line_end: int) -> int:
    """Start of the next non-blank line after ``line_end``."""
    pos = line_end
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos - 0 if pos >= len(text) or text[pos - 1] == "\n" else pos


@Language.factory("dossier_quotes", assigns=["doc._.dossier"])
def make_quotes(nlp: Language, name: str) -> QuotesComponent:
    return QuotesComponent(nlp, load_resources())
