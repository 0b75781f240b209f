"""Component ``dossier_aliases``: mentions of the same thing within one document become one entity.

1. gazetteer aliases share their actor's key (done by ``actors``);
2. "Full Name (ACRONYM)" makes the acronym an alias of the name;
3. a person's surname alone ("Wennink said") refers to the full name mentioned in the document, and so
   does a later misspelling of it ("Huang" ... "Hunag") or the person's initials ("MBS");
4. every surface form so learnt is found again wherever else it occurs (the title included), also as a
   hashtag ("#Sinowave"), and an @handle made of a name found in the text ("@lenapetrova") is that name;
5. "the Dutch chipmaker" refers to the last Dutch company named before it;
then entities are numbered in order of first mention and given their descriptions.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from dossier.nlp.describe import Describer
from dossier.nlp.resources import Resources, load_resources, words_regex
from dossier.nlp.state import Cluster, DocState, Hit, state_of

_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})
MAX_DESCRIPTIONS = 5


class AliasesComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        self.actors = resources.gazetteer.actors
        self.describer = Describer(resources)
        self.titles = resources.names.person_titles
        self.stopwords = resources.names.stopwords
        self.first_names = resources.names.first_names
        self.owned = re.compile(
            r"(?:'s|’s)\s+(?:[a-z-]+\s+){0,2}" + words_regex(resources.names.org_possessions) + r"\b"
        )
        self.shares_of = re.compile(r"\b(?:[Ss]hares|[Ss]tock)\s+(?:of|in)\s+$")
        self.body_heads = resources.names.invertible_heads
        self.handle_affixes = resources.names.handle_affixes | {""}
        self.body_forms: dict[str, frozenset[str]] = {}  # gazetteer actor id -> its names' body forms
        self.companies = {a.id: a.country for a in self.actors.values() if a.section == "companies" and a.country}
        demonym_country = {
            demonym: self.actors[actor_id].iso2 for demonym, actor_id in resources.gazetteer.demonyms.items()
        }
        self.demonym_country = {d: c for d, c in demonym_country.items() if c}
        self.country_names = frozenset(
            name
            for actor in self.actors.values()
            if actor.type == "GPE" and actor.iso2
            for name in (actor.name, *actor.aliases)
        )
        self.descriptor = (
            re.compile(
                r"\b[Tt]he\s+(?P<dem>"
                + words_regex(tuple(self.demonym_country))
                + r")(?:\s+[a-z][\w-]*){0,2}?\s+"
                + words_regex(resources.names.org_nouns)
                + r"\b"
            )
            if self.demonym_country
            else None
        )

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        hits = sorted(state.hits, key=lambda h: h.start)
        surfaces: dict[str, str | None] = {}  # surface learnt in this document -> key (None: ambiguous)
        rekey = self._acronyms(text, hits, surfaces)
        rekey.update(self._surnames(text, hits, surfaces, rekey))
        rekey.update(self._short_names(text, hits, rekey))
        rekey.update(self._variants(text, hits, rekey))
        rekey.update(self._bodies(text, hits, rekey))
        if rekey:
            for hit in hits:
                hit.key = _follow(rekey, hit.key)
            surfaces = {s: (None if k is None else _follow(rekey, k)) for s, k in surfaces.items()}
        for hit in hits:
            if hit.key.startswith("name:") and hit.source in ("name", "model"):
                surfaces.setdefault(text[hit.start : hit.end], hit.key)
        hits = self._repeats(text, state, hits, surfaces)
        hits = self._handles(text, state, hits)
        hits = self._descriptors(text, state, hits)
        self._cluster(text, state, hits)
        return doc

    def _acronyms(self, text: str, hits: list[Hit], surfaces: dict[str, str | None]) -> dict[str, str]:
        """ "Semiconductor Manufacturing International Corporation (SMIC)": SMIC is that company."""
        rekey: dict[str, str] = {}
        by_start = {h.start: h for h in hits}
        for hit in hits:
            if hit.type == "PERSON":
                continue
            m = self.describer.acronym_after.match(text, hit.end)
            if m is None:
                continue
            acronym = m.group("acr")
            if acronym == text[hit.start : hit.end] or not _is_acronym(acronym):
                continue
            other = by_start.get(m.start("acr"))
            if other is None:
                surfaces.setdefault(acronym, hit.key)
            elif other.key != hit.key:
                # the gazetteer's key wins over a name found in the text
                if other.key.startswith("name:"):
                    rekey[other.key] = hit.key
                elif hit.key.startswith("name:"):
                    rekey[hit.key] = other.key
        return rekey

    def _surnames(
        self, text: str, hits: list[Hit], surfaces: dict[str, str | None], rekey: dict[str, str]
    ) -> dict[str, str]:
        full: dict[str, str | None] = {}  # surname -> person key
        for hit in hits:
            if hit.type != "PERSON":
                continue
            words = [w for w in text[hit.start : hit.end].split() if w not in _SUFFIXES]
            if len(words) < 2:
                continue
            key = _follow(rekey, hit.key)
            candidates = [words[-1]]
            if len(words) == 2 and words[0] not in self.first_names and words[0] not in self.titles:
                candidates.append(words[0])  # family name first: "Liu Fang" ... "Liu said"
            for surname in candidates:
                known = full.get(surname, key)
                full[surname] = key if known == key else None
        single: dict[str, str] = {}
        for hit in hits:
            if not hit.key.startswith("name:") or " " in text[hit.start : hit.end]:
                continue
            # "Breton told reporters" after "Thierry Breton": the surname is the person even where the
            # model took it for a place or a company
            if hit.type == "PERSON" or hit.source == "model":
                target = full.get(text[hit.start : hit.end])
                if target is not None and target != hit.key:
                    single[hit.key] = target
                    hit.type = "PERSON"
        for surname, person in full.items():
            if surname in surfaces and surfaces[surname] != person:
                surfaces[surname] = None
            else:
                surfaces[surname] = person
        return single

    def _short_names(self, text: str, hits: list[Hit], rekey: dict[str, str]) -> dict[str, str]:
        """ "Sinowave Communications" ... "Sinowave said": a found name's first word, alone, is the same
        organisation (whatever type the model gave the short form)."""
        first: dict[str, str | None] = {}
        for hit in hits:
            words = text[hit.start : hit.end].split()
            if hit.type == "ORG" and hit.key.startswith("name:") and len(words) > 1 and words[0][:1].isupper():
                key = _follow(rekey, hit.key)
                known = first.get(words[0], key)
                first[words[0]] = key if known == key else None
        out: dict[str, str] = {}
        for hit in hits:
            surface = text[hit.start : hit.end]
            target = first.get(surface)
            if target is not None and hit.key.startswith("name:") and " " not in surface and hit.key != target:
                out[hit.key] = target
                hit.type = "ORG"
        return out

    def _variants(self, text: str, hits: list[Hit], rekey: dict[str, str]) -> dict[str, str]:
        """A person named in full and later misspelt ("Jensen Huang" ... "Hunag", "Jensen Haung") or
        called by initials ("Mohammed bin Salman" ... "MBS") is that person. Only a variant of exactly one
        person named before it; first letters must agree, so "Wang" never becomes "Tang"."""
        people: dict[str, list[str]] = {}  # person key -> the words of its fullest name, in order of mention
        out: dict[str, str] = {}
        for hit in hits:
            surface = text[hit.start : hit.end]
            words = [w for w in surface.split() if w not in _SUFFIXES]
            if not hit.key.startswith("name:") or hit.key in rekey:
                if hit.type == "PERSON" and len(words) >= 2:
                    people.setdefault(_follow(rekey, hit.key), words)
                continue
            if hit.type == "PERSON" and len(words) >= 2 and hit.key not in people:
                matches = {key for key, full in people.items() if _one_word_apart(words, full)}
            elif len(words) == 1 and (hit.type == "PERSON" or hit.source == "model"):
                word = words[0]
                matches = {key for key, full in people.items() if _misspelt(word, full[-1])}
                if _is_initials(word):
                    matches |= {key for key, full in people.items() if _initials(full) == word}
            else:
                matches = set()
            if len(matches) == 1:
                out[hit.key] = next(iter(matches))
                hit.type = "PERSON"
            elif hit.type == "PERSON" and len(words) >= 2:
                people.setdefault(hit.key, words)
        return out

    def _bodies(self, text: str, hits: list[Hit], rekey: dict[str, str]) -> dict[str, str]:
        """ "the Commerce Ministry", "the Ministry of Commerce" and "China's Ministry of Commerce" are one
        ministry when the document names only one of that kind: a found name goes to the body with the
        same head and remit, whoever's it is."""
        wanted = {
            hit.key: form
            for hit in hits
            if hit.type == "ORG"
            and hit.key.startswith("name:")
            and hit.key not in rekey
            and (form := self._body_form(text[hit.start : hit.end]))
        }
        if not wanted:
            return {}  # most documents name no body this way
        forms: dict[str, dict[str, None]] = {}  # form -> keys in order of first mention
        for hit in hits:
            key = _follow(rekey, hit.key)
            for found in (
                self._actor_body_forms(key) if key in self.actors else (self._body_form(text[hit.start : hit.end]),)
            ):
                if found is not None:
                    forms.setdefault(found, {})[key] = None
        out: dict[str, str] = {}
        for key, form in wanted.items():
            owners = list(forms.get(form, ()))
            known = [owner for owner in owners if owner in self.actors]
            # the gazetteer's body if the document names one; else the first name found for it
            target = (known[0] if len(known) == 1 else None) if known else owners[0] if owners else None
            if target is not None and target != key:
                out[key] = target
        return out

    def _actor_body_forms(self, actor_id: str) -> frozenset[str]:
        """The body forms of a gazetteer actor's names, worked out once per actor and kept."""
        forms = self.body_forms.get(actor_id)
        if forms is None:
            actor = self.actors[actor_id]
            forms = frozenset(f for f in map(self._body_form, (actor.name, *actor.aliases)) if f is not None)
            self.body_forms[actor_id] = forms
        return forms

    def _body_form(self, name: str) -> str | None:
        """ "China's Commerce Ministry" -> "ministry of commerce"; None for a name that is not a body."""
        words = name.replace("’", "'").split()
        if words and (words[0].lower() == "the" or words[0].endswith("'s") or words[0] in self.demonym_country):
            words = words[1:]
        if len(words) >= 3 and words[-2] == "of" and words[-1] in self.country_names:
            words = words[:-2]  # "Ministry of Commerce of China"
        if len(words) < 2:
            return None
        if words[-1] in self.body_heads:  # "Commerce Ministry", "Foreign Affairs Ministry"
            head, remit = words[-1], words[:-1]
        elif words[0] in self.body_heads and words[1] in ("of", "for"):
            head, remit = words[0], words[2:]
        else:
            return None
        remit = [w for w in remit if w != "of"]
        if remit and remit[-1] == "Affairs":
            remit = remit[:-1]  # "Foreign Ministry" is the "Ministry of Foreign Affairs"
        return f"{head} of {' '.join(remit)}".lower() if remit else None

    def _handles(self, text: str, state: DocState, hits: list[Hit]) -> list[Hit]:
        """ "@lenapetrova", "@Arktel_official": an @handle made of one name the document mentions is a
        mention of it (handles the gazetteer knows are matched by ``actors``)."""
        handles = [m for zs, ze in state.entity_zones.spans for m in _HANDLE.finditer(text, zs, ze)]
        if not handles:
            return hits
        squashed: dict[str, set[str]] = {}  # squashed form -> keys
        for hit in hits:
            if hit.type not in ("PERSON", "ORG", "PRODUCT") or text[hit.start] in "@#":
                continue
            words = [w for w in text[hit.start : hit.end].split() if w not in _SUFFIXES]
            forms = {_squash("".join(words))}
            if hit.type == "PERSON" and len(words) >= 2:
                forms.add(_squash(words[0][:1] + words[-1]))  # "@jhuang"
            for form in forms:
                if len(form) >= 3:
                    squashed.setdefault(form, set()).add(hit.key)
        found: list[Hit] = []
        for m in handles:
            body = _squash(m.group(1))
            keys: set[str] = set()
            for form, owners in squashed.items():
                if body.startswith(form) and body[len(form) :] in self.handle_affixes:
                    keys |= owners  # "@arktel", "@arktel_official"
                elif body.endswith(form) and body[: -len(form)] in self.handle_affixes:
                    keys |= owners  # "@RealLenaPetrova"
            if len(keys) == 1:
                key = next(iter(keys))
                found.append(Hit(m.start(), m.end(), self._type_of(key, hits), key, "handle"))
        if not found:
            return hits
        taken = [(h.start, h.end) for h in found]
        kept = [h for h in hits if not any(h.start < e and s < h.end for s, e in taken)]
        return sorted(kept + found, key=lambda h: h.start)

    def _repeats(self, text: str, state: DocState, hits: list[Hit], surfaces: dict[str, str | None]) -> list[Hit]:
        """Find every surface form learnt in this document wherever else it occurs."""
        if not surfaces:
            return hits
        starts = [h.start for h in hits]
        added: list[Hit] = []
        for surface, key in surfaces.items():
            for zone_start, zone_end in state.entity_zones.spans:
                s = text.find(surface, zone_start, zone_end)
                while s >= 0:
                    e = s + len(surface)
                    tag = s > 0 and text[s - 1] == "#" and (s == 1 or not text[s - 2].isalnum())
                    if self._repeat_ok(text, hits, starts, s - tag, e):
                        target = key if key is not None else self._nearest_person(text, hits, s, surface)
                        if target is not None:
                            added.append(Hit(s - tag, e, self._type_of(target, hits), target, "repeat"))
                    s = text.find(surface, e, zone_end)
        if not added:
            return hits
        return sorted(hits + added, key=lambda h: h.start)

    def _repeat_ok(self, text: str, hits: list[Hit], starts: list[int], s: int, e: int) -> bool:
        if (s > 0 and (text[s - 1].isalnum() or text[s - 1] in "@#$_")) or (e < len(text) and text[e].isalnum()):
            return False  # not a whole word
        i = bisect_right(starts, e - 1) - 1
        if i >= 0 and hits[i].end > s:
            return False  # inside a mention already found
        if e < len(text) - 1 and text[e] == " " and text[e + 1].isupper():
            return False  # part of a longer name ("Wennink Foundation")
        return not self._after_other_name(text, s)  # "Jan Kowalski" is not "Anna Kowalski"

    @staticmethod
    def _nearest_person(text: str, hits: list[Hit], start: int, surname: str) -> str | None:
        """An ambiguous surname goes to the nearest full name before it."""
        best: str | None = None
        for hit in hits:
            if hit.start >= start:
                break
            if hit.type == "PERSON" and text[hit.start : hit.end].endswith(" " + surname):
                best = hit.key
        return best

    def _after_other_name(self, text: str, start: int) -> bool:
        """Whether a capitalised word other than a title or sentence opener stands right before."""
        m = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if m is None:
            return False
        word = m.group(1)
        if word.endswith(".") and len(word) != 2:
            return False  # the end of a sentence, not an initial ("J. Smit")
        word = word.rstrip(".")
        return bool(word) and word[0].isupper() and word not in self.titles and word not in self.stopwords

    def _type_of(self, key: str, hits: list[Hit]) -> str:
        actor = self.actors.get(key)
        if actor is not None:
            return actor.type
        for hit in hits:
            if hit.key == key:
                return hit.type
        return "ORG"

    def _descriptors(self, text: str, state: DocState, hits: list[Hit]) -> list[Hit]:
        """ "the Dutch chipmaker" -> the last Dutch company named before it (within a few paragraphs)."""
        if self.descriptor is None or not hits:
            return hits
        added: list[Hit] = []
        starts = [h.start for h in hits]
        for zone_start, zone_end in state.discovery_zones.spans:
            for m in self.descriptor.finditer(text, zone_start, zone_end):
                s, e = m.start(), m.end()
                i = bisect_right(starts, e - 1) - 1
                if i >= 0 and hits[i].end > s:
                    continue
                country = self.demonym_country[m.group("dem")]
                j = bisect_right(starts, s) - 1
                while j >= 0 and hits[j].start > s - 1500:
                    if self.companies.get(hits[j].key) == country:
                        added.append(Hit(s, e, "ORG", hits[j].key, "descriptor"))
                        break
                    j -= 1
        if not added:
            return hits
        return sorted(hits + added, key=lambda h: h.start)

    def _cluster(self, text: str, state: DocState, hits: list[Hit]) -> None:
        clusters: dict[str, Cluster] = {}
        kept: list[Hit] = []
        last_end = -1
        for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
            if hit.start < last_end:
                continue
            kept.append(hit)
            last_end = hit.end
            cluster = clusters.get(hit.key)
            if cluster is None:
                actor = self.actors.get(hit.key)
                if actor is not None:
                    cluster = Cluster(hit.key, actor.type, actor.name, outlet=actor.outlet)
                    if actor.wikidata:
                        cluster.kb["wikidata"] = actor.wikidata
                else:
                    cluster = Cluster(hit.key, hit.type, text[hit.start : hit.end], outlet=hit.source == "outlet")
                clusters[hit.key] = cluster
            cluster.mentions.append((hit.start, hit.end))
        ordered = list(clusters.values())  # insertion order is order of first mention
        index = {}
        for n, cluster in enumerate(ordered, start=1):
            cluster.id = f"e{n}"
            index[cluster.key] = n - 1
            if cluster.key not in self.actors:
                # a name found in the text is called by its fullest form
                cluster.name = max(
                    (text[s:e] for s, e in cluster.mentions),
                    key=lambda t: (t[:1] not in "@#", len(t.split()), len(t)),  # "Arktel", not "@arktel_official"
                )
            if cluster.key.startswith("name:") and cluster.type in ("PERSON", "ORG", "GPE", "LOC"):
                self._retype(text, cluster)
            if cluster.type in ("PERSON", "ORG"):
                self._describe(text, cluster)
        state.clusters = ordered
        state.hits = kept
        state.mention_starts = [h.start for h in kept]
        state.mention_ends = [h.end for h in kept]
        state.mention_cluster = [index[h.key] for h in kept]

    def _retype(self, text: str, cluster: Cluster) -> None:
        """A name the text describes says what it is: "Nuvia, a CPU start-up," is an organisation and
        "Ayumi Tanaka, an analyst at Meiji Capital," a person, whatever the model or a rule guessed. Only
        for names found in the text (not the gazetteer's), and only when the descriptions agree."""
        as_org = as_person = False
        one_word = cluster.type == "PERSON" and all(" " not in text[s:e] for s, e in cluster.mentions)
        for start, end in cluster.mentions:
            as_org = as_org or self.describer.after(text, end, person=False) is not None
            as_person = as_person or self.describer.after(text, end, person=True) is not None
            if one_word:
                # "Symantec's enterprise unit", "shares of Symantec": a company; "Mr Toon": a person
                as_org = as_org or bool(
                    self.owned.match(text, end) or self.shares_of.search(text, max(0, start - 20), start)
                )
                as_person = as_person or self.describer.has_honorific(text, start)
        if as_org and not as_person:
            cluster.type = "ORG"
        elif as_person and not as_org:
            cluster.type = "PERSON"

    def _describe(self, text: str, cluster: Cluster) -> None:
        person = cluster.type == "PERSON"
        found: dict[str, None] = {}
        for start, end in cluster.mentions:
            description = self.describer.after(text, end, person=person)
            if description is not None:
                found.setdefault(description, None)
            if person:
                before = self.describer.before(text, start)
                if before is not None:
                    found.setdefault(before, None)
            if len(found) >= MAX_DESCRIPTIONS:
                break
        cluster.descriptions = list(found)


def _is_acronym(word: str) -> bool:
    """ "SMIC", "MOFCOM", "NXP", "MeitY" -- not "Lisbon"."""
    upper = sum(c.isupper() for c in word)
    return upper >= 2 and upper * 2 >= len(word)


def _is_initials(word: str) -> bool:
    return 3 <= len(word) <= 4 and word.isupper() and word.isalpha()


def _initials(words: list[str]) -> str:
    """ "Mohammed bin Salman" -> "MBS" (a name of three words or more; two initials say too little)."""
    return "".join(w[0] for w in words).upper() if len(words) >= 3 else ""


def _misspelt(word: str, name: str) -> bool:
    """Two letters swapped ("Hunag" for "Huang"), or in a longer name one letter wrong, missing or added
    ("Raimondo" / "Raimundo", "Sergey" / "Sergei"); the first letter always right."""
    if word == name or len(name) < 4 or word[:1] != name[:1] or not word[:1].isupper():
        return False
    if len(word) == len(name):
        diff = [i for i, (a, b) in enumerate(zip(word, name, strict=True)) if a != b]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            return word[diff[0]] == name[diff[1]] and word[diff[1]] == name[diff[0]]
        return len(diff) == 1 and len(name) >= 6
    if abs(len(word) - len(name)) != 1 or min(len(word), len(name)) < 6:
        return False
    short, long_ = sorted((word, name), key=len)
    i = next((k for k, (a, b) in enumerate(zip(short, long_, strict=False)) if a != b), len(short))
    return short[i:] == long_[i + 1 :]


def _one_word_apart(words: list[str], full: list[str]) -> bool:
    """ "Jensen Haung" for "Jensen Huang": the same name with one word misspelt."""
    if len(words) != len(full):
        return False
    diff = [(a, b) for a, b in zip(words, full, strict=True) if a != b]
    return len(diff) == 1 and _misspelt(*diff[0])


def _squash(name: str) -> str:
    """Lower-case ASCII letters only: "Lena Petrova" and "@LenaPetrova_" both give "lenapetrova"."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in folded.casefold() if "a" <= ch <= "z")


_HANDLE = re.compile(r"(?<![\w@])@(\w{3,30})\b")


def _follow(rekey: dict[str, str], key: str) -> str:
    seen = set()
    while key in rekey and key not in seen:
        seen.add(key)
        key = rekey[key]
    return key


_WORD_BEFORE = re.compile(r"([A-Za-zÀ-ÖØ-öø-ÿ'.-]+) $")


@Language.factory("dossier_aliases", assigns=["doc._.dossier"])
def make_aliases(nlp: Language, name: str) -> AliasesComponent:
    return AliasesComponent(nlp, load_resources())
