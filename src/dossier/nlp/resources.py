"""Load and validate the packaged word lists and patterns (``dossier/data/*.yaml``) and the ontology.

Code holds mechanisms; the words live in data files. Every file is checked once, when the pipeline is
built: an unknown entity type, event type, role or status is an AnalysisError that names the file and
the entry, never a silent miss at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from typing import Any

import yaml

from dossier.data import parse_yaml
from dossier.errors import AnalysisError, DossierError
from dossier.nlp.inflect import verb_forms

_WIKIDATA = re.compile(r"^Q[1-9]\d*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Actor:
    """One gazetteer entry."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    iso2: str | None = None
    country: str | None = None  # iso2 of the home country
    capital_of: str | None = None  # actor id of the state this city is the capital of
    outlet: bool = False
    section: str = ""
    wikidata: str | None = None
    state_owned: bool = False  # a state corporation or sovereign fund: acts for its country's state


@dataclass(frozen=True, slots=True)
class Gazetteer:
    actors: dict[str, Actor]
    by_iso2: dict[str, str]  # iso2 -> actor id of the country (or bloc)
    demonyms: dict[str, str]  # demonym -> actor id of the country
    company_ids: frozenset[str] = frozenset()  # actors of the "companies" sections


@dataclass(frozen=True, slots=True)
class NameWords:
    connectors: frozenset[str]
    stopwords: frozenset[str]
    legal_forms: frozenset[str]
    org_heads: frozenset[str]
    person_titles: frozenset[str]
    single_name_titles: frozenset[str]
    honorifics: frozenset[str]
    person_roles: tuple[str, ...]
    org_nouns: tuple[str, ...]
    loc_heads: frozenset[str]
    gpe_heads: frozenset[str]
    fac_heads: frozenset[str]
    event_heads: frozenset[str]
    first_names: frozenset[str]
    generic_terms: frozenset[str]
    not_product_codes: tuple[str, ...]
    whole_name_ends: frozenset[str]
    government_nouns: tuple[str, ...]
    org_possessions: tuple[str, ...]
    invertible_heads: frozenset[str]
    handle_affixes: frozenset[str]
    regions: frozenset[str]
    product_heads: frozenset[str]
    modifier_suffixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Values:
    months: dict[str, int]
    weekdays: dict[str, int]
    ordinals: dict[str, int]
    numbers: dict[str, int]
    year_prepositions: tuple[str, ...]
    currency_symbols: dict[str, str]
    currency_codes: dict[str, str]  # code as written -> ISO code
    currency_words: dict[str, str]
    scales: dict[str, float]
    percent_words: tuple[str, ...]
    conversion_hedges: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventFrame:
    """Triggers and the role frame of one event type."""

    type: str
    triggers: tuple[str, ...]
    verb_triggers: frozenset[str]  # the triggers that are verb forms
    block: tuple[str, ...]
    regex: tuple[str, ...]
    agent: str | None
    patient: tuple[str, ...]
    preps: dict[str, tuple[str, ...]]
    types: dict[str, frozenset[str]]
    patterns: tuple[str, ...]
    default_status: str | None
    requires: tuple[str, ...]
    complete: tuple[str, ...]
    no_companies: tuple[str, ...]
    yield_to_others: bool
    roles: tuple[str, ...]  # the ontology's roles, in its order
    agent_for: dict[str, str]  # trigger -> the role its subject takes instead of ``agent``
    not_cues: frozenset[str] = frozenset()  # status cue words that describe this type's event itself
    never_status: frozenset[str] = frozenset()  # statuses this type's event never has (their cues skipped)
    between_people: str | None = None  # the type of an event whose parties are only people
    unnamed: bool = False  # an event with no named participant still is one ("protesters rallied")
    distribute: tuple[str, ...] = ()  # roles whose entities are one event each ("X and Y raised funding")


@dataclass(frozen=True, slots=True)
class Cues:
    speech_verbs: tuple[str, ...]
    reporting_verbs: tuple[str, ...]
    telling_verbs: tuple[str, ...]
    clause_verbs: tuple[str, ...]
    participle_verbs: tuple[str, ...]
    other_participles: tuple[str, ...]
    adverbial_openers: tuple[str, ...]
    subject_enders: frozenset[str]
    non_clause_openers: tuple[str, ...]
    introductory_words: frozenset[str]
    anonymous_speakers: tuple[str, ...]
    unnamed_speakers: tuple[str, ...]
    anonymous_heads: tuple[str, ...]
    spokespeople: tuple[str, ...]
    speaking_documents: tuple[str, ...]
    outlet_nouns: tuple[str, ...]
    hedges: tuple[str, ...]
    status_cues: dict[str, tuple[str, ...]]
    referring_nouns: dict[str, tuple[str, ...]]  # "the deal" -> the event types it may refer back to
    past_date_leads: tuple[str, ...]
    future_date_leads: tuple[str, ...]  # may stand a few words before the date
    deadline_date_leads: tuple[str, ...]  # right before it only
    status_priority: tuple[str, ...]
    future_markers: tuple[str, ...]
    according_to: tuple[str, ...]
    reported_verbs: tuple[str, ...]
    named_verbs: tuple[str, ...]
    place_prepositions: tuple[str, ...]
    site_prepositions: tuple[str, ...]
    continuing_verbs: tuple[str, ...]
    place_followers: tuple[str, ...]
    state_nouns: tuple[str, ...]
    state_references: tuple[str, ...]
    plural_references: dict[str, frozenset[str]]  # "the two companies" -> the types of the two
    prepositions: tuple[str, ...]
    support_verbs: frozenset[str]  # every form
    light_verbs: frozenset[str]
    negations: tuple[str, ...]
    quote_min_words: int
    events: dict[str, EventFrame]
    new_clause_verbs: tuple[str, ...] = ()  # ", and the Commission said": the verb makes it a new clause
    irregular_pasts: tuple[str, ...] = ()  # "the curbs the EU put in place": past forms not in -ed


@dataclass(frozen=True, slots=True)
class Ontology:
    entity_types: frozenset[str]
    event_types: dict[str, tuple[str, ...]]
    statuses: tuple[str, ...]
    key_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    attribution_kinds: tuple[str, ...] = ()
    speaker_kinds: tuple[str, ...] = ()
    entity_labels: dict[str, str] = field(default_factory=dict)  # entity type -> its name on the web pages


@dataclass(frozen=True, slots=True)
class Resources:
    ontology: Ontology
    gazetteer: Gazetteer
    names: NameWords
    values: Values
    cues: Cues
    extra: dict[str, Any] = field(default_factory=dict)


def read_yaml(package: str, name: str) -> Any:
    """A packaged data file, parsed (through the JSON cache); a missing or broken one is an AnalysisError."""
    try:
        text = importlib_resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise AnalysisError(f"{package}/{name}: packaged data file is missing; reinstall dossier") from exc
    try:
        return parse_yaml(text, cache_name=f"{package}.{name}")
    except yaml.YAMLError as exc:
        raise AnalysisError(f"{package}/{name}: not valid YAML ({exc}); fix the file") from exc


class Checker:
    """Validates parsed data files, naming the file and the path inside it in every error."""

    error: type[DossierError] = AnalysisError

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, problem: str) -> DossierError:
        return self.error(f"{self.where}: {path}: {problem}")

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "expected a mapping")
        return value

    def strings(self, value: Any, path: str, *, required: bool = True) -> tuple[str, ...]:
        if value is None and not required:
            return ()
        if not isinstance(value, list):
            raise self.fail(path, "expected a list of strings")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{path}[{i}]", f"expected a non-empty string, got {item!r} (quote it in YAML)")
        return tuple(value)

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"expected a non-empty string, got {value!r}")
        return value

    def optional(self, value: Any, path: str) -> str | None:
        return None if value is None else self.string(value, path)


def load_ontology() -> Ontology:
    chk = Checker("dossier/ontology.yaml")
    data = chk.mapping(read_yaml("dossier", "ontology.yaml"), "<root>")
    entity_types = frozenset(chk.strings(data.get("entity_types"), "entity_types"))
    events_raw = chk.mapping(data.get("event_types"), "event_types")
    event_types = {name: chk.strings(roles, f"event_types.{name}") for name, roles in events_raw.items()}
    key_roles: dict[str, tuple[str, ...]] = {}
    for name, roles in chk.mapping(data.get("key_roles"), "key_roles").items():
        if name not in event_types:
            raise chk.fail(f"key_roles.{name}", "not an event type")
        key_roles[name] = chk.strings(roles, f"key_roles.{name}")
        unknown = set(key_roles[name]) - set(event_types[name])
        if unknown:
            raise chk.fail(f"key_roles.{name}", f"{sorted(unknown)} are not roles of {name}")
    statuses = chk.strings(data.get("statuses"), "statuses")
    labels = {
        k: chk.string(v, f"entity_labels.{k}")
        for k, v in chk.mapping(data.get("entity_labels"), "entity_labels").items()
    }
    if set(labels) != entity_types:
        raise chk.fail("entity_labels", f"name each entity type once: {sorted(entity_types ^ set(labels))}")
    return Ontology(
        entity_types,
        event_types,
        statuses,
        key_roles,
        chk.strings(data.get("attribution_kinds"), "attribution_kinds"),
        chk.strings(data.get("speaker_kinds"), "speaker_kinds"),
        labels,
    )


_SECTION_KEYS = frozenset({"type", "outlet", "entries"})
_ACTOR_KEYS = frozenset(
    {
        "id",
        "name",
        "type",
        "aliases",
        "handles",
        "tickers",
        "demonyms",
        "iso2",
        "capital",
        "capital_aliases",
        "country",
        "outlet",
        "wikidata",
        "state_owned",
    }
)


def gazetteer_files() -> list[tuple[str, str]]:
    """(package, file name) of every gazetteer file: data/actors.yaml, then data/actors/*.yaml by name."""
    files = [("dossier.data", "actors.yaml")]
    folder = importlib_resources.files("dossier.data").joinpath("actors")
    if folder.is_dir():
        names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
        files.extend(("dossier.data.actors", name) for name in names)
    return files


def load_gazetteer(ontology: Ontology) -> Gazetteer:
    actors: dict[str, Actor] = {}
    by_iso2: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for package, file_name in gazetteer_files():
        chk = Checker(f"{package.replace('.', '/')}/{file_name}")
        data = chk.mapping(read_yaml(package, file_name), "<root>")
        _load_actor_sections(chk, data, ontology, actors, by_iso2, demonyms)
    # a clash may span two files: the message names both actors, whose ids are unique over all files
    _check_surfaces(Checker("dossier/data/actors.yaml + actors/*.yaml"), actors)
    companies = frozenset(a.id for a in actors.values() if a.section == "companies")
    return Gazetteer(actors, by_iso2, demonyms, companies)


def _load_actor_sections(
    chk: Checker,
    data: dict[str, Any],
    ontology: Ontology,
    actors: dict[str, Actor],
    by_iso2: dict[str, str],
    demonyms: dict[str, str],
) -> None:
    for section, body in data.items():
        body = chk.mapping(body, section)
        unknown = set(body) - _SECTION_KEYS
        if unknown:
            raise chk.fail(section, f"unknown keys {sorted(unknown)}")
        default_type = body.get("type")
        default_outlet = bool(body.get("outlet", False))
        entries = body.get("entries")
        if not isinstance(entries, list):
            raise chk.fail(f"{section}.entries", "expected a list")
        for i, raw in enumerate(entries):
            path = f"{section}.entries[{i}]"
            raw = chk.mapping(raw, path)
            unknown = set(raw) - _ACTOR_KEYS
            if unknown:
                raise chk.fail(path, f"unknown keys {sorted(unknown)}")
            actor_id = chk.string(raw.get("id"), f"{path}.id")
            path = f"{section}.{actor_id}"
            if not _ID.match(actor_id):
                raise chk.fail(path, "id must be a lower-case slug (a-z, 0-9, -)")
            if actor_id in actors:
                raise chk.fail(path, "duplicate id (ids are unique over every gazetteer file)")
            name = chk.string(raw.get("name"), f"{path}.name")
            etype = raw.get("type", default_type)
            if etype not in ontology.entity_types:
                raise chk.fail(path, f"type {etype!r} is not one of {sorted(ontology.entity_types)}")
            wikidata = chk.optional(raw.get("wikidata"), f"{path}.wikidata")
            if wikidata is not None and not _WIKIDATA.match(wikidata):
                raise chk.fail(path, f"wikidata {wikidata!r} is not an item id like Q42")
            iso2 = chk.optional(raw.get("iso2"), f"{path}.iso2")
            country = chk.optional(raw.get("country"), f"{path}.country")
            for key, code in (("iso2", iso2), ("country", country)):
                if code is not None and not re.fullmatch(r"[A-Z]{2}", code):
                    raise chk.fail(path, f"{key} {code!r} is not a two-letter upper-case code")
            handles = chk.strings(raw.get("handles"), f"{path}.handles", required=False)
            for handle in handles:
                if not handle.startswith("@"):
                    raise chk.fail(path, f"handle {handle!r} must start with @")
            state_owned = raw.get("state_owned", False)
            if not isinstance(state_owned, bool):
                raise chk.fail(path, "state_owned must be true or false")
            if state_owned and not (country or iso2):
                raise chk.fail(path, "state_owned needs the country whose state it acts for")
            actor = Actor(
                id=actor_id,
                name=name,
                type=etype,
                aliases=chk.strings(raw.get("aliases"), f"{path}.aliases", required=False),
                handles=handles,
                tickers=chk.strings(raw.get("tickers"), f"{path}.tickers", required=False),
                demonyms=chk.strings(raw.get("demonyms"), f"{path}.demonyms", required=False),
                iso2=iso2,
                country=country or iso2,
                outlet=bool(raw.get("outlet", default_outlet)),
                section=section,
                wikidata=wikidata,
                state_owned=state_owned,
            )
            actors[actor_id] = actor
            if iso2 is not None:
                if iso2 in by_iso2:
                    raise chk.fail(path, f"iso2 {iso2} is already used by {by_iso2[iso2]}")
                by_iso2[iso2] = actor_id
            for demonym in actor.demonyms:
                demonyms.setdefault(demonym, actor_id)
            capital = chk.optional(raw.get("capital"), f"{path}.capital")
            if capital is not None:
                city_id = re.sub(r"[^a-z0-9]+", "-", capital.lower()).strip("-")
                if city_id in actors:
                    raise chk.fail(path, f"capital id {city_id!r} clashes with another entry")
                actors[city_id] = Actor(
                    id=city_id,
                    name=capital,
                    type="GPE",
                    aliases=chk.strings(raw.get("capital_aliases"), f"{path}.capital_aliases", required=False),
                    country=iso2,
                    capital_of=actor_id,
                    section="capitals",
                )


def _check_surfaces(chk: Checker, actors: dict[str, Actor]) -> None:
    """Two actors must not claim the same surface form: the matcher could not tell them apart."""
    owner: dict[str, str] = {}
    for actor in actors.values():
        for surface in (actor.name, *actor.aliases, *actor.tickers):
            other = owner.setdefault(surface, actor.id)
            if other != actor.id:
                raise chk.fail(actor.id, f"surface form {surface!r} is also claimed by {other}")
        for handle in actor.handles:
            other = owner.setdefault(handle.lower(), actor.id)
            if other != actor.id:
                raise chk.fail(actor.id, f"handle {handle!r} is also claimed by {other}")


def load_names() -> NameWords:
    chk = Checker("dossier/data/names.yaml")
    data = chk.mapping(read_yaml("dossier.data", "names.yaml"), "<root>")

    def words(key: str) -> tuple[str, ...]:
        return chk.strings(data.get(key), key)

    for i, pattern in enumerate(words("not_product_codes")):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise chk.fail(f"not_product_codes[{i}]", f"not a regular expression: {exc}") from None
    return NameWords(
        connectors=frozenset(words("connectors")),
        stopwords=frozenset(words("stopwords")),
        legal_forms=frozenset(words("legal_forms")),
        org_heads=frozenset(words("org_heads")),
        person_titles=frozenset(words("person_titles")),
        single_name_titles=frozenset(words("single_name_titles")),
        honorifics=frozenset(words("honorifics")),
        person_roles=tuple(w.lower() for w in words("person_roles")),
        org_nouns=tuple(w.lower() for w in words("org_nouns")),
        loc_heads=frozenset(words("loc_heads")),
        gpe_heads=frozenset(words("gpe_heads")),
        fac_heads=frozenset(words("fac_heads")),
        event_heads=frozenset(words("event_heads")),
        first_names=frozenset(words("first_names")),
        generic_terms=frozenset(words("generic_terms")),
        not_product_codes=tuple(words("not_product_codes")),
        whole_name_ends=frozenset(words("whole_name_ends")),
        government_nouns=words("government_nouns"),
        org_possessions=words("org_possessions"),
        invertible_heads=frozenset(words("invertible_heads")),
        handle_affixes=frozenset(w.lower() for w in words("handle_affixes")),
        regions=frozenset(words("regions")),
        product_heads=frozenset(w.lower() for w in words("product_heads")),
        modifier_suffixes=tuple(w.lower() for w in words("modifier_suffixes")),
    )


def load_values() -> Values:
    chk = Checker("dossier/data/values.yaml")
    data = chk.mapping(read_yaml("dossier.data", "values.yaml"), "<root>")

    def int_map(key: str, low: int, high: int) -> dict[str, int]:
        raw = chk.mapping(data.get(key), key)
        out: dict[str, int] = {}
        for word, number in raw.items():
            if not isinstance(number, int) or not low <= number <= high:
                raise chk.fail(f"{key}.{word}", f"expected a number from {low} to {high}")
            out[str(word)] = number
        return out

    def str_map(key: str) -> dict[str, str]:
        raw = chk.mapping(data.get(key), key)
        for word, code in raw.items():
            if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
                raise chk.fail(f"{key}.{word}", f"expected an ISO 4217 code, got {code!r}")
        return {str(k): v for k, v in raw.items()}

    scales_raw = chk.mapping(data.get("scales"), "scales")
    scales: dict[str, float] = {}
    for word, factor in scales_raw.items():
        if not isinstance(factor, (int, float)) or factor <= 0:
            raise chk.fail(f"scales.{word}", "expected a positive number")
        scales[str(word).lower()] = float(factor)
    codes = chk.strings(data.get("currency_codes"), "currency_codes")
    aliases = str_map("currency_aliases")
    return Values(
        months=int_map("months", 1, 12),
        weekdays=int_map("weekdays", 0, 6),
        numbers=int_map("numbers", 1, 100),
        ordinals=int_map("ordinals", 1, 4),
        year_prepositions=chk.strings(data.get("year_prepositions"), "year_prepositions"),
        currency_symbols=str_map("currency_symbols"),
        currency_codes={code: aliases.get(code, code) for code in codes},
        currency_words=str_map("currency_words"),
        scales=scales,
        percent_words=chk.strings(data.get("percent_words"), "percent_words"),
        conversion_hedges=chk.strings(data.get("conversion_hedges"), "conversion_hedges"),
    )


_FRAME_KEYS = frozenset(
    {
        "verbs",
        "phrases",
        "block",
        "regex",
        "agent",
        "patient",
        "preps",
        "types",
        "patterns",
        "default_status",
        "requires",
        "complete",
        "no_companies",
        "yield_to_others",
        "agent_for",
        "not_cues",
        "never_status",
        "between_people",
        "unnamed",
        "distribute",
    }
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _load_frame(chk: Checker, etype: str, raw: Any, ontology: Ontology) -> EventFrame:
    path = f"events.{etype}"
    raw = chk.mapping(raw, path)
    unknown = set(raw) - _FRAME_KEYS
    if unknown:
        raise chk.fail(path, f"unknown keys {sorted(unknown)}")
    roles = ontology.event_types[etype]

    def role(name: Any, where: str) -> str:
        if name not in roles:
            raise chk.fail(where, f"{name!r} is not a role of {etype} in ontology.yaml ({', '.join(roles)})")
        return str(name)

    triggers: list[str] = []
    for spec in chk.strings(raw.get("verbs"), f"{path}.verbs", required=False):
        triggers.extend(verb_forms(spec))
    verb_triggers = frozenset(t.lower() for t in triggers)
    triggers.extend(chk.strings(raw.get("phrases"), f"{path}.phrases", required=False))
    regex = chk.strings(raw.get("regex"), f"{path}.regex", required=False)
    for i, pattern in enumerate(regex):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise chk.fail(f"{path}.regex[{i}]", f"bad regular expression: {exc}") from exc
    if not triggers and not regex:
        raise chk.fail(path, "needs verbs, phrases or regex triggers")
    agent_raw = raw.get("agent")
    agent = role(agent_raw, f"{path}.agent") if agent_raw is not None else None
    patient = tuple(
        role(r, f"{path}.patient") for r in chk.strings(raw.get("patient"), f"{path}.patient", required=False)
    )
    preps: dict[str, tuple[str, ...]] = {}
    for prep, prep_roles in chk.mapping(raw.get("preps") or {}, f"{path}.preps").items():
        if not isinstance(prep, str):
            raise chk.fail(f"{path}.preps", f"key {prep!r} is not a word (quote on/off/yes/no in YAML)")
        preps[prep.lower()] = tuple(
            role(r, f"{path}.preps.{prep}") for r in chk.strings(prep_roles, f"{path}.preps.{prep}")
        )
    types: dict[str, frozenset[str]] = {}
    for role_name, role_types in chk.mapping(raw.get("types"), f"{path}.types").items():
        role(role_name, f"{path}.types")
        accepted = chk.strings(role_types, f"{path}.types.{role_name}")
        bad = [t for t in accepted if t not in ontology.entity_types]
        if bad:
            raise chk.fail(f"{path}.types.{role_name}", f"unknown entity types {bad}")
        types[str(role_name)] = frozenset(accepted)
    used = {agent, *patient, *(r for rs in preps.values() for r in rs)} - {None}
    missing = sorted(str(r) for r in used if r not in types)
    if missing:
        raise chk.fail(f"{path}.types", f"roles {missing} are used but have no accepted entity types")
    patterns = chk.strings(raw.get("patterns"), f"{path}.patterns", required=False)
    for i, pattern in enumerate(patterns):
        for name in _PLACEHOLDER.findall(pattern):
            if name != "any":
                role(name, f"{path}.patterns[{i}]")
    status = raw.get("default_status")
    if status is not None and status not in ontology.statuses:
        raise chk.fail(f"{path}.default_status", f"{status!r} is not a status in ontology.yaml")
    never_status = frozenset(chk.strings(raw.get("never_status"), f"{path}.never_status", required=False))
    no_such = sorted(never_status - set(ontology.statuses))
    if no_such:
        raise chk.fail(f"{path}.never_status", f"{no_such[0]!r} is not a status in ontology.yaml")
    agent_for: dict[str, str] = {}
    for phrase, phrase_role in chk.mapping(raw.get("agent_for") or {}, f"{path}.agent_for").items():
        # a phrase a regular expression matches ("accounted for"): each word's stem is written in one
        stems = [w[: max(4, len(w) - 2)] for w in str(phrase).lower().split()]
        in_regex = any(all(stem in r for stem in stems) for r in regex)
        if str(phrase).lower() not in {t.lower() for t in triggers} and not in_regex:
            raise chk.fail(f"{path}.agent_for", f"{phrase!r} is not one of the type's triggers")
        agent_for[str(phrase).lower()] = role(phrase_role, f"{path}.agent_for")
    requires = tuple(
        role(r, f"{path}.requires") for r in chk.strings(raw.get("requires"), f"{path}.requires", required=False)
    )
    complete = tuple(
        role(r, f"{path}.complete") for r in chk.strings(raw.get("complete"), f"{path}.complete", required=False)
    )
    return EventFrame(
        type=etype,
        triggers=tuple(dict.fromkeys(t.lower() for t in triggers)),
        verb_triggers=verb_triggers,
        block=tuple(b.lower() for b in chk.strings(raw.get("block"), f"{path}.block", required=False)),
        regex=regex,
        agent=agent,
        patient=patient,
        preps=preps,
        types=types,
        patterns=patterns,
        default_status=status,
        requires=requires,
        complete=complete,
        no_companies=tuple(
            role(r, f"{path}.no_companies")
            for r in chk.strings(raw.get("no_companies"), f"{path}.no_companies", required=False)
        ),
        yield_to_others=bool(raw.get("yield_to_others", False)),
        unnamed=bool(raw.get("unnamed", False)),
        distribute=tuple(
            role(r, f"{path}.distribute")
            for r in chk.strings(raw.get("distribute"), f"{path}.distribute", required=False)
        ),
        roles=roles,
        agent_for=agent_for,
        between_people=_event_type(chk, raw.get("between_people"), f"{path}.between_people", ontology),
        not_cues=frozenset(w.lower() for w in chk.strings(raw.get("not_cues"), f"{path}.not_cues", required=False)),
        never_status=never_status,
    )


def _event_type(chk: Checker, raw: Any, path: str, ontology: Ontology) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or raw not in ontology.event_types:
        raise chk.fail(path, f"not an event type of ontology.yaml: {raw!r}")
    return raw


def load_cues(ontology: Ontology) -> Cues:
    chk = Checker("dossier/data/cues.yaml")
    data = chk.mapping(read_yaml("dossier.data", "cues.yaml"), "<root>")

    def words(key: str, source: dict[str, Any] = data, prefix: str = "") -> tuple[str, ...]:
        return chk.strings(source.get(key), prefix + key)

    for i, pattern in enumerate(words("anonymous_speakers")):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise chk.fail(f"anonymous_speakers[{i}]", f"bad regular expression: {exc}") from exc
    status_raw = chk.mapping(data.get("status_cues"), "status_cues")
    status_cues: dict[str, tuple[str, ...]] = {}
    for status, cue_words in status_raw.items():
        if status not in ontology.statuses:
            raise chk.fail(f"status_cues.{status}", "not a status in ontology.yaml")
        status_cues[status] = tuple(w.lower() for w in chk.strings(cue_words, f"status_cues.{status}"))
    plural: dict[str, frozenset[str]] = {}
    for noun, types in chk.mapping(data.get("plural_references"), "plural_references").items():
        plural[noun.lower()] = frozenset(chk.strings(types, f"plural_references.{noun}"))
        unknown_types = plural[noun.lower()] - ontology.entity_types
        if unknown_types:
            raise chk.fail(f"plural_references.{noun}", f"unknown entity types {sorted(unknown_types)}")
    date_leads = chk.mapping(data.get("date_leads"), "date_leads")
    referring: dict[str, tuple[str, ...]] = {}
    for noun, types in chk.mapping(data.get("referring_nouns"), "referring_nouns").items():
        referring[noun.lower()] = chk.strings(types, f"referring_nouns.{noun}")
        for t in referring[noun.lower()]:
            if t not in ontology.event_types:
                raise chk.fail(f"referring_nouns.{noun}", f"unknown event type {t!r}")
    priority = words("status_priority")
    if set(priority) != set(ontology.statuses):
        raise chk.fail("status_priority", f"must list exactly the statuses {list(ontology.statuses)}")
    attribution = chk.mapping(data.get("attribution"), "attribution")
    events_raw = chk.mapping(data.get("events"), "events")
    unknown = set(events_raw) - set(ontology.event_types)
    if unknown:
        raise chk.fail("events", f"unknown event types {sorted(unknown)}")
    missing = set(ontology.event_types) - set(events_raw)
    if missing:
        raise chk.fail("events", f"event types without cues: {sorted(missing)}")
    min_words = data.get("quote_min_words")
    if not isinstance(min_words, int) or min_words < 1:
        raise chk.fail("quote_min_words", "expected a positive whole number")
    return Cues(
        speech_verbs=words("speech_verbs"),
        reporting_verbs=words("reporting_verbs"),
        telling_verbs=words("telling_verbs"),
        clause_verbs=words("clause_verbs"),
        participle_verbs=words("participle_verbs"),
        other_participles=words("other_participles"),
        adverbial_openers=words("adverbial_openers"),
        subject_enders=frozenset(words("subject_enders")),
        non_clause_openers=words("non_clause_openers"),
        introductory_words=frozenset(w.lower() for w in words("introductory_words")),
        anonymous_speakers=words("anonymous_speakers"),
        unnamed_speakers=words("unnamed_speakers"),
        anonymous_heads=words("anonymous_heads"),
        spokespeople=words("spokespeople"),
        speaking_documents=words("speaking_documents"),
        outlet_nouns=words("outlet_nouns"),
        hedges=words("hedges"),
        status_cues=status_cues,
        referring_nouns=referring,
        past_date_leads=words("past", date_leads, "date_leads."),
        future_date_leads=words("future", date_leads, "date_leads."),
        deadline_date_leads=words("deadline", date_leads, "date_leads."),
        status_priority=priority,
        future_markers=words("future_markers"),
        according_to=words("according_to", attribution, "attribution."),
        reported_verbs=words("reported_verbs", attribution, "attribution."),
        named_verbs=words("named_verbs", attribution, "attribution."),
        place_prepositions=words("place_prepositions"),
        site_prepositions=words("site_prepositions"),
        continuing_verbs=words("continuing_verbs"),
        place_followers=words("place_followers"),
        state_nouns=words("state_nouns"),
        state_references=words("state_references"),
        plural_references=plural,
        prepositions=tuple(w.lower() for w in words("prepositions")),
        support_verbs=frozenset(f.lower() for spec in words("support_verbs") for f in verb_forms(spec)),
        light_verbs=frozenset(w.lower() for w in words("light_verbs")),
        negations=tuple(w.lower() for w in words("negations")),
        quote_min_words=min_words,
        events={etype: _load_frame(chk, etype, events_raw[etype], ontology) for etype in ontology.event_types},
        new_clause_verbs=tuple(w.lower() for w in words("new_clause_verbs")),
        irregular_pasts=tuple(w.lower() for w in words("irregular_pasts")),
    )


@lru_cache(maxsize=1)
def load_resources() -> Resources:
    """Every data file, loaded and validated once per process."""
    ontology = load_ontology()
    return Resources(
        ontology=ontology,
        gazetteer=load_gazetteer(ontology),
        names=load_names(),
        values=load_values(),
        cues=load_cues(ontology),
    )


def words_regex(words: tuple[str, ...] | list[str] | frozenset[str], *, flexible_space: bool = True) -> str:
    """An alternation of literal phrases, longest first, spaces matching any run of spaces."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    parts = []
    for word in ordered:
        escaped = re.escape(word)
        if flexible_space:
            escaped = escaped.replace(r"\ ", r"\s+")
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"
