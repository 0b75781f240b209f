"""Component ``dossier_names``: capitalised names the gazetteer does not know, kept only with evidence.

A run of capitalised words (with connectors such as "of" or "van") is typed by what surrounds it:
a legal form or an organisation head word makes an ORG ("Lowlands Semiconductor Advisory"), a title,
honorific, role or role apposition makes a PERSON ("Raf Verbeke, a partner at ..."), and so on (the
words are in data/names.yaml). A run without evidence is dropped: precision first. Headline-case
titles are not searched; a name found in the body is found again in the title by ``aliases``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from dossier.nlp.describe import Describer
from dossier.nlp.resources import NameWords, Resources, load_resources, words_regex
from dossier.nlp.state import DocState, Hit, state_of

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"(?:[{_UPPER}]\.(?=[ \t]+[{_UPPER}])|[{_UPPER}]\w*(?:[-&]\w+|'(?!s\b)\w+)*)"
_DIGIT = re.compile(r"\d")
_MODEL_SUFFIX = r"(?: (?:Pro|Max|Plus|Ultra|Mini|Lite|Air|Series|Gen \d+))*"
_MODEL_AFTER_BRAND = re.compile(
    rf" ((?:[{_UPPER}][A-Za-z-]*|i[A-Z][A-Za-z]*) \d+[A-Za-z]*{_MODEL_SUFFIX}"
    rf"|[{_UPPER}]{{1,4}}\d{{2,5}}[A-Z]{{0,3}})\b"
)

# a product code: capitals then digits, maybe letters, digits and joined parts ("NXT:1980Di", "FPA-1200NZ2C")
_CODE = re.compile(
    r"(?<![\w@#$.:/-])[A-Z][A-Za-z]{0,5}[-:]?\d{1,5}[A-Za-z0-9]{0,6}(?:[-:][A-Za-z0-9]+)*(?![\w/-]|\.\d)"
)
# the product line before a code: "Galaxy Z Fold6", "TWINSCAN NXT:2000i"
_LINE_BEFORE = re.compile(r"(?:(?<=[\s(])[A-Z][\w-]*[ \t]){1,2}$")
_AND = re.compile(r"\s+and\s+(?P<the>the\s+)?")
_OF = re.compile(r"\s+of\s+(?:the\s+)?")

# connectors that never stand inside a person's name (unlike "van" or "bin")
_NOT_IN_PERSON = frozenset({"and", "of", "for", "the", "&"})

Word = tuple[int, int, str]


class NamesComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        self.words: NameWords = resources.names
        self.describer = Describer(resources)
        self.outlet_before = outlet_noun_before(resources)
        self.company_ids = resources.gazetteer.company_ids
        connectors = "|".join(re.escape(c) for c in sorted(self.words.connectors, key=len, reverse=True))
        self.run = re.compile(rf"(?<![\w@#$]){_WORD}(?:[ \t]+(?:(?:{connectors})[ \t]+)*{_WORD})*")
        self.word = re.compile(r"\S+")
        self.not_codes = re.compile("|".join(f"(?:{p})" for p in self.words.not_product_codes) or r"(?!x)x")

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        hits = state.hits
        hit_starts = [h.start for h in hits]
        found: list[Hit] = []
        absorbed: set[int] = set()
        stopwords = self.words.stopwords
        for zone_start, zone_end in state.discovery_zones.spans:
            for m in self.run.finditer(text, zone_start, zone_end):
                if m.group() in stopwords:
                    continue  # most runs are one capitalised word opening a sentence
                for run_start, run_end in self._sides(text, m.start(), m.end(), hits, hit_starts):
                    inside = self._hits_inside(run_start, run_end, hits, hit_starts)
                    if len(inside) == 1 and hits[inside[0]].start == run_start and hits[inside[0]].end == run_end:
                        continue  # the run is a gazetteer name and nothing else
                    if inside:
                        whole = self._organisation_around(text, run_start, run_end, [hits[i] for i in inside])
                        if whole is not None:  # "Moscow State University", "University of Tokyo"
                            found.append(whole)
                            absorbed.update(inside)
                            continue
                    for start, end in self._pieces(run_start, run_end, hits, hit_starts):
                        for a, b in self._conjuncts(text, start, end):
                            found.extend(self._classify(text, a, b))
        if absorbed:
            hits = [h for i, h in enumerate(hits) if i not in absorbed]
            state.hits = hits
        found.extend(self._models(text, state))
        found.extend(self._codes(text, state, found))
        found.extend(self._own_outlet(text, state, hits, found))
        if found or absorbed:
            state.hits = sorted(hits + found, key=lambda h: h.start)
        return doc

    @staticmethod
    def _hits_inside(start: int, end: int, hits: list[Hit], hit_starts: list[int]) -> list[int]:
        i = max(bisect_right(hit_starts, start) - 1, 0)
        inside = []
        while i < len(hits) and hits[i].start < end:
            if hits[i].start >= start and hits[i].end <= end:
                inside.append(i)
            i += 1
        return inside

    def _organisation_around(self, text: str, start: int, end: int, inside: list[Hit]) -> Hit | None:
        """A run whose own words make it an organisation swallows the places and names it holds:
        "Moscow State University", "National Samsung Electronics Union", "University of Tokyo"."""
        w = self.words
        if any(h.type not in ("GPE", "LOC", "ORG") for h in inside):
            return None
        words = [(start + m.start(), start + m.end(), m.group()) for m in self.word.finditer(text[start:end])]
        while words and words[0][2] in w.stopwords and words[0][0] < inside[0].start:
            words.pop(0)  # "The Tokyo Stock Exchange", but "New York Stock Exchange" keeps its "New"
        if not words or words[0][0] > inside[0].start:
            return None
        tokens = [t for _, _, t in words]
        if any(t in w.person_titles for t in tokens) or "and" in tokens or "&" in tokens:
            return None
        last_hit_end = inside[-1].end
        tail = [t for s, _, t in words if s >= last_hit_end]
        head = [t for _, e, t in words if e <= inside[0].start]
        if tail and any(t in w.org_heads for t in tail) and text[last_hit_end : last_hit_end + 1] == " ":
            pass  # "Moscow State University": the head word comes after the names
        elif head and not tail and head[-1] in ("of", "for") and any(t in w.org_heads for t in head):
            pass  # "University of Tokyo"
        else:
            return None
        first = words[0][0]
        return Hit(first, end, "ORG", "name:" + text[first:end], "name")

    def _sides(self, text: str, start: int, end: int, hits: list[Hit], hit_starts: list[int]) -> list[tuple[int, int]]:
        """A run holding a gazetteer name on each side of "and" is two runs: "The University of Tokyo and
        Bank of America"; "House Energy and Commerce Committee" (no known name) stays one."""
        m = _AND.search(text, start, end)
        if m is None:
            return [(start, end)]
        left = self._hits_inside(start, m.start(), hits, hit_starts)
        right = self._hits_inside(m.end(), end, hits, hit_starts)
        if left and right:
            return [(start, m.start()), *self._sides(text, m.end(), end, hits, hit_starts)]
        return [(start, end)]

    def _conjuncts(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """A run's names: "Ayumi Tanaka of Meiji Capital Research" is a person and her employer, and
        coordinated names are split as :func:`coordinated` says."""
        of = _OF.search(text, start, end)
        if of is not None:  # "Ayumi Tanaka of Meiji Capital Research": a person, then her employer
            person = text[start : of.start()].split()
            employer = text[of.end() : end].split()
            w = self.words
            plain = not any(t in w.org_heads or t in w.legal_forms or t in w.person_titles for t in person)
            if 2 <= len(person) <= 3 and plain and any(t in w.org_heads or t in w.legal_forms for t in employer):
                return [(start, of.start()), *self._conjuncts(text, of.end(), end)]
        parts = coordinated(text, start, end, self.words)
        if parts is None:
            return [(start, end)]
        (left_start, left_end), (right_start, _) = parts
        return [(left_start, left_end), *self._conjuncts(text, right_start, end)]

    @staticmethod
    def _pieces(start: int, end: int, hits: list[Hit], hit_starts: list[int]) -> list[tuple[int, int]]:
        """The parts of a run that no gazetteer hit covers."""
        i = max(bisect_right(hit_starts, start) - 1, 0)
        pieces = []
        cur = start
        while i < len(hits) and hits[i].start < end:
            hit = hits[i]
            if hit.end > cur:
                if hit.start > cur:
                    pieces.append((cur, hit.start))
                cur = max(cur, hit.end)
            i += 1
        if cur < end:
            pieces.append((cur, end))
        return pieces

    def _classify(self, text: str, start: int, end: int) -> list[Hit]:
        w = self.words
        words: list[Word] = [
            (start + m.start(), start + m.end(), m.group()) for m in self.word.finditer(text[start:end])
        ]
        # a piece cut out next to a gazetteer hit may begin with "'s" or end in a connector
        while words and (words[0][2] in w.stopwords or words[0][2] in w.connectors or not words[0][2][0].isupper()):
            words.pop(0)
        while words and (words[-1][2] in w.connectors or not words[-1][2][0].isupper()):
            words.pop()
        if not words:
            return []
        if len(words) > 1 and all(t.isupper() and len(t) > 1 for _, _, t in words):
            return []  # an all-capitals line (a header) is not a name
        titled = self._after_title(text, words)
        if titled is not None:
            return titled
        if "and" in (t for _, _, t in words):
            found = self._classify_typed(text, words)
            if found is not None and found.type == "ORG":
                return [found]
            parts: list[list[Word]] = [[]]
            for word in words:
                if word[2] == "and":
                    parts.append([])
                else:
                    parts[-1].append(word)
            out = []
            for part in parts:
                if part:
                    out.extend(self._classify(text, part[0][0], part[-1][1]))
            return out
        found = self._classify_typed(text, words)
        return [found] if found is not None else []

    def _after_title(self, text: str, words: list[Word]) -> list[Hit] | None:
        """The name after a title: "Commerce Secretary Gina Raimondo", "Minister of Commerce Wang Wentao"."""
        w = self.words
        last_title = -1
        for i, (_, _, t) in enumerate(words):
            if t in w.person_titles:
                last_title = i
        if last_title < 0:
            return None
        i = last_title + 1
        while i < len(words) and words[i][2] in w.connectors:  # "Minister of Commerce" goes on
            i += 2
        tail = words[i:]
        if not tail:
            return []
        if any(t in w.org_heads for _, _, t in tail):
            return None
        if not self._person_shaped(tail) or len(tail) > 4:
            return []
        if len(tail) == 1 and words[last_title][2] not in w.single_name_titles:
            return []
        return [Hit(tail[0][0], tail[-1][1], "PERSON", "name:" + text[tail[0][0] : tail[-1][1]], "name")]

    def _person_shaped(self, words: list[Word]) -> bool:
        w = self.words
        for _, _, t in words:
            if t in w.connectors and t not in _NOT_IN_PERSON:
                continue
            if not t[0].isupper() or (len(t) > 2 and t.isupper()) or _DIGIT.search(t):
                return False
            if t in w.stopwords or t in w.org_heads or t in w.legal_forms:
                return False
        return True

    def _classify_typed(self, text: str, words: list[Word]) -> Hit | None:
        w = self.words
        start, end = words[0][0], words[-1][1]
        tokens = [t for _, _, t in words]
        content = [t for t in tokens if t not in w.connectors]
        n = len(content)
        last = tokens[-1]
        etype: str | None = None
        if n >= 2:
            if last in w.legal_forms or any(t in w.org_heads for t in tokens) or "&" in tokens:
                etype = "ORG"
            elif last in w.loc_heads:
                etype = "LOC"
            elif last in w.gpe_heads:
                etype = "GPE"
            elif last in w.fac_heads:
                etype = "FAC"
            elif last in w.event_heads:
                etype = "EVENT"
        if etype is None and self.outlet_before.search(text, max(0, start - 40), start):
            etype = "ORG"  # "the news agency Eurasia Signal reported": an outlet, not a person
        if etype is None and n <= 4 and self._person_shaped(words) and self._person_evidence(text, words):
            etype = "PERSON"
        if etype is None and n >= 2:
            acronym = self.describer.acronym_after.match(text, end)
            if acronym is not None and _initials_match(content, acronym.group("acr")):
                etype = "ORG"  # "Semiconductor Manufacturing International (SMIC)"
        if etype is None:
            return None
        return Hit(start, end, etype, "name:" + text[start:end], "name")

    def _person_evidence(self, text: str, words: list[Word]) -> bool:
        d = self.describer
        start, end = words[0][0], words[-1][1]
        if d.has_honorific(text, start) or d.before(text, start) is not None:
            return True
        if len(words) < 2:
            return False
        if d.after(text, end, person=True) is not None:
            return True
        if words[0][2] in self.words.first_names and not any(t in _NOT_IN_PERSON for _, _, t in words):
            return True
        return len(words) == 2 and d.speech_after.match(text, end) is not None

    @staticmethod
    def _own_outlet(text: str, state: DocState, hits: list[Hit], found: list[Hit]) -> list[Hit]:
        """The publishing outlet (the document's source) wherever the text names it: "told Kestrel
        Business", "Pacific Circuit reported" -- an organisation, and a news outlet."""
        document = state.document
        names = {_outlet_name(n) for n in (document.source, (document.origin or {}).get("outlet")) if n}
        names = {n for n in names if n and any(ch.isupper() for ch in n) and len(n) > 2}
        if not names:
            return []
        taken = sorted([(h.start, h.end) for h in (*hits, *found)])
        out: list[Hit] = []
        for name in names:
            for zone_start, zone_end in state.entity_zones.spans:
                for m in re.finditer(r"(?<![\w@#])" + re.escape(name) + r"(?!\w)", text[zone_start:zone_end]):
                    start, end = zone_start + m.start(), zone_start + m.end()
                    if any(a < end and start < b for a, b in taken):
                        continue
                    out.append(Hit(start, end, "ORG", "name:" + name, "outlet"))
        return out

    def _codes(self, text: str, state: DocState, found: list[Hit]) -> list[Hit]:
        """ "H100", "MI300X", "NXT:1980Di", "FPA-1200NZ2C": a code of capitals and digits standing on its
        own names a product (not "Q3", "G7" or "FY2024": ``not_product_codes``)."""
        out: list[Hit] = []
        taken = sorted([(h.start, h.end) for h in state.hits] + [(h.start, h.end) for h in found])
        starts = [a for a, _ in taken]
        for zone_start, zone_end in state.discovery_zones.spans:
            for m in _CODE.finditer(text, zone_start, zone_end):
                surface = m.group()
                if self.not_codes.fullmatch(surface):
                    continue
                start = m.start()
                line = _LINE_BEFORE.search(text, max(zone_start, start - 40), start)
                if line is not None and not any(w in self.words.stopwords for w in line.group().split()):
                    start = line.start()
                i = bisect_right(starts, m.end()) - 1
                while i >= 0 and taken[i][1] > start and taken[i][0] <= start and start < m.start():
                    start = taken[i][1] + 1  # "Samsung Galaxy Z Fold6": the brand is its own name
                if (i >= 0 and taken[i][1] > start) or _overlap_before(taken, i, start):
                    continue  # part of a name found otherwise ("Huawei Mate 60", "Nvidia MI300X")
                surface = text[start : m.end()]
                out.append(Hit(start, m.end(), "PRODUCT", "name:" + surface, "name"))
        return out

    def _models(self, text: str, state: DocState) -> list[Hit]:
        """ "Huawei Mate 70", "Nvidia MI300X": a model name right after a company name is a product."""
        out = []
        hit_starts = [h.start for h in state.hits]
        for hit in state.hits:
            if hit.key in self.company_ids:
                m = _MODEL_AFTER_BRAND.match(text, hit.end)
                if (
                    m is not None
                    and state.discovery_zones.contains(m.start(1), m.end(1))
                    and not _overlaps(hit_starts, state.hits, m.start(1), m.end(1))
                ):
                    surface = m.group(1)
                    out.append(Hit(m.start(1), m.end(1), "PRODUCT", "name:" + surface, "name"))
        return out


def _overlap_before(taken: list[tuple[int, int]], i: int, start: int) -> bool:
    """Whether a span before index ``i`` of the sorted spans reaches past ``start``."""
    return any(b > start for _, b in taken[max(0, i - 3) : max(0, i)])


def coordinated(
    text: str, start: int, end: int, words: NameWords, *, always: bool = False
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The two names of "A and B" when they are two ("CA Technologies and Symantec", "the IITs and the
    Indian Institute of Science"): the first is a whole name on its own (it ends in a legal form or a
    word that closes a company name, or is an acronym), the second begins with "the", or ``always``
    (people and places). "Building and Construction Trades Council" is one name. Shared by the
    evidence rules and the model's entities."""
    m = _AND.search(text, start, end)
    if m is None or not text[start : start + 1].isupper() or not text[m.end() : m.end() + 1].isupper():
        return None
    left = text[start : m.start()].split()
    whole = bool(left) and (
        left[-1] in words.legal_forms or left[-1] in words.whole_name_ends or left[-1].rstrip("s").isupper()
    )
    if always or whole or m.group("the"):
        return (start, m.start()), (m.end(), end)
    return None


def outlet_noun_before(resources: Resources) -> re.Pattern[str]:
    """ "the news agency Eurasia Signal": an outlet noun right before a name (searched up to the name)."""
    return re.compile(r"\b(?i:" + words_regex(resources.cues.outlet_nouns) + r")\s+$")


def _outlet_name(source: str) -> str:
    """ "Kestrel Business — Tech & Geopolitics" -> "Kestrel Business"; a domain stays as it is."""
    return re.split(r"\s+[—–|-]\s+", source.strip(), maxsplit=1)[0].strip()


def _initials_match(words: list[str], acronym: str) -> bool:
    """Whether an acronym is made of the initials of (most of) the words."""
    letters = [c for c in acronym if c.isupper()]
    if len(letters) < 2 or len(letters) * 2 < len(acronym):
        return False
    initials = [w[0] for w in words]
    i = 0
    for initial in initials:
        if i < len(letters) and initial == letters[i]:
            i += 1
    return i >= min(len(letters), len(initials)) - 1 and letters[0] == initials[0]


def _overlaps(starts: list[int], hits: list[Hit], start: int, end: int) -> bool:
    i = bisect_right(starts, end - 1) - 1
    return i >= 0 and hits[i].end > start


@Language.factory("dossier_names", assigns=["doc._.dossier"])
def make_names(nlp: Language, name: str) -> NamesComponent:
    return NamesComponent(nlp, load_resources())
