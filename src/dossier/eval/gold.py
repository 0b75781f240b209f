"""The gold format: hand annotations of documents, in the shape of the analysis contract.

One gold file per document (YAML or JSON; a ``.jsonl`` file holds one object per line), in a folder
that :func:`load_gold` reads whole. Each object is the analysis contract of ONTOLOGY.md without the
parts nobody annotates by hand (offsets, mentions, segments), plus three keys of its own (``split``,
``story``, ``notes``) and an ``optional`` flag on any entity, event or quote. See docs/gold.md.

```yaml
schema: dossier.gold/1
document: {id: "sha256:…", file: articles/2023-….txt, title: "…", published: 2023-09-01}
split: dev            # dev | test (held out: nothing is tuned on it)
story: dutch-duv      # documents of one story share a split
entities:
  - {id: e1, name: ASML, type: ORG, aliases: [ASML Holding, the Dutch chipmaker]}
  - {id: e2, name: Netherlands, type: GPE, aliases: [The Hague, Dutch government]}
events:
  - id: v1
    type: SANCTION
    status: done
    hedged: false
    participants: [{role: imposer, entity: e2}, {role: target, entity: e5}]
    date: {start: 2023-09-01, end: 2023-09-01}
    attribution: {kind: outlet}
    evidence: "rules … took effect on Friday"
quotes:
  - {id: q1, text: "We comply with all export rules", direct: true, speaker: e4, speaker_kind: named}
```

An ``optional: true`` item is neither required nor penalised: a prediction that matches it counts as
neither a hit nor a false positive, and leaving it out is not a miss.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dossier.data import parse_yaml
from dossier.errors import DossierError
from dossier.nlp.resources import Checker

GOLD_SCHEMA = "dossier.gold/1"
SPLITS = ("dev", "test")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


class GoldError(DossierError):
    """A gold file that cannot be read or does not follow the gold format."""


@dataclass(slots=True)
class GoldEntity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    optional: bool = False
    descriptions: list[str] = field(default_factory=list)
    wikidata: str | None = None

    @property
    def surfaces(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass(slots=True)
class GoldEvent:
    id: str
    type: str
    participants: list[tuple[str, str]]  # (role, entity id)
    status: str | None = None
    hedged: bool | None = None
    date: tuple[str | None, str | None] | None = None  # (start, end), ISO partial dates
    attribution: str | None = None
    speaker: str | None = None  # entity id of the named speaker or cited outlet
    evidence: str | None = None
    optional: bool = False


@dataclass(slots=True)
class GoldQuote:
    id: str
    text: str
    speaker: str | None  # entity id, or None for an anonymous / unknown speaker
    speaker_kind: str = "named"
    direct: bool | None = None
    optional: bool = False


@dataclass(slots=True)
class GoldDocument:
    path: str  # the gold file it came from (for messages)
    id: str | None
    file: str | None
    title: str | None
    published: str | None
    split: str
    story: str | None
    entities: list[GoldEntity]
    events: list[GoldEvent]
    quotes: list[GoldQuote]
    notes: str | None = None


_CROSS_DOCUMENT = frozenset({"clusters.yaml", "facts.yaml"})


def gold_files(path: Path) -> list[Path]:
    """The gold files at ``path``: the file itself, or every gold file under the folder, sorted."""
    if path.is_file():
        return [path]
    if path.is_dir():
        # clusters.yaml and facts.yaml beside the documents are cross-document gold (eval/knowledge.py)
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and p.suffix in _SUFFIXES and not (p.parent == path and p.name in _CROSS_DOCUMENT)
        )
    raise GoldError(f"{path}: no such gold file or folder")


def load_gold(path: Path | str, *, ontology: Any = None) -> list[GoldDocument]:
    """Every gold document at ``path`` (a file or a folder), validated; a bad one raises GoldError."""
    if ontology is None:
        from dossier.nlp.resources import load_ontology

        ontology = load_ontology()
    documents: list[GoldDocument] = []
    for file in gold_files(Path(path)):
        for where, raw in _read(file):
            documents.append(parse_gold(raw, where, ontology))
    if not documents:
        raise GoldError(f"{path}: no gold documents found (.yaml, .yml, .json or .jsonl files)")
    seen: dict[str, str] = {}
    for doc in documents:
        key = doc.id or f"{doc.file}#{doc.title}"
        if key in seen:
            raise GoldError(f"{doc.path}: document {key} is already annotated in {seen[key]}")
        seen[key] = doc.path
    return documents


def _read(file: Path) -> list[tuple[str, Any]]:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{file}: cannot read ({exc})") from exc
    try:
        if file.suffix == ".jsonl":
            return [(f"{file}:{n}", json.loads(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if file.suffix == ".json":
            return [(str(file), json.loads(text))]
        return [(str(file), parse_yaml(text))]
    except (ValueError, yaml.YAMLError) as exc:  # json.JSONDecodeError is a ValueError
        raise GoldError(f"{file}: not valid {file.suffix.lstrip('.').upper()} ({exc})") from exc


class _Check(Checker):
    error = GoldError

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, "expected a list")
        return value

    def text(self, value: Any, path: str, *, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "expected a non-empty string")
        return value.strip()

    def choice(self, value: Any, path: str, choices: Any, *, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if value not in choices:
            raise self.fail(path, f"{value!r} is not one of {', '.join(sorted(choices))}")
        return str(value)

    def flag(self, value: Any, path: str) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.fail(path, "expected true or false")
        return value

    def date(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        text = str(value)  # YAML reads 2023-09-01 as a date
        if not _PARTIAL_DATE.match(text):
            raise self.fail(path, f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return text


def parse_gold(raw: Any, where: str, ontology: Any) -> GoldDocument:
    """One gold object, validated against the ontology (types, roles, statuses, references)."""
    chk = _Check(where)
    data = chk.mapping(raw, "<root>")
    if data.get("schema") != GOLD_SCHEMA:
        raise chk.fail("schema", f"expected {GOLD_SCHEMA!r}, got {data.get('schema')!r}")
    meta = chk.mapping(data.get("document"), "document")
    doc_id = chk.text(meta.get("id"), "document.id", required=False)
    file = chk.text(meta.get("file"), "document.file", required=False)
    title = chk.text(meta.get("title"), "document.title", required=False)
    if doc_id is None and (file is None or title is None):
        raise chk.fail("document", "needs an id, or a file and a title, to find the document")
    split = chk.choice(data.get("split"), "split", SPLITS)
    assert split is not None

    entities: list[GoldEntity] = []
    ids: set[str] = set()
    for n, item in enumerate(chk.items(data.get("entities"), "entities")):
        path = f"entities[{n}]"
        item = chk.mapping(item, path)
        entity_id = chk.text(item.get("id"), f"{path}.id")
        assert entity_id is not None
        if entity_id in ids:
            raise chk.fail(f"{path}.id", f"duplicate id {entity_id!r}")
        ids.add(entity_id)
        entities.append(
            GoldEntity(
                id=entity_id,
                name=str(chk.text(item.get("name"), f"{path}.name")),
                type=str(chk.choice(item.get("type"), f"{path}.type", ontology.entity_types)),
                aliases=[
                    str(chk.text(a, f"{path}.aliases[{i}]"))
                    for i, a in enumerate(chk.items(item.get("aliases"), f"{path}.aliases"))
                ],
                optional=bool(chk.flag(item.get("optional"), f"{path}.optional")),
                descriptions=[
                    str(chk.text(d, f"{path}.descriptions[{i}]"))
                    for i, d in enumerate(chk.items(item.get("descriptions"), f"{path}.descriptions"))
                ],
                wikidata=chk.text(item.get("wikidata"), f"{path}.wikidata", required=False),
            )
        )

    def ref(value: Any, path: str) -> str:
        entity_id = chk.text(value, path)
        if entity_id not in ids:
            raise chk.fail(path, f"no entity with id {entity_id!r}")
        return str(entity_id)

    events: list[GoldEvent] = []
    for n, item in enumerate(chk.items(data.get("events"), "events")):
        path = f"events[{n}]"
        item = chk.mapping(item, path)
        etype = str(chk.choice(item.get("type"), f"{path}.type", ontology.event_types))
        roles = ontology.event_types[etype]
        participants = []
        for i, part in enumerate(chk.items(item.get("participants"), f"{path}.participants")):
            ppath = f"{path}.participants[{i}]"
            part = chk.mapping(part, ppath)
            role = str(chk.choice(part.get("role"), f"{ppath}.role", roles))
            participants.append((role, ref(part.get("entity"), f"{ppath}.entity")))
        date = None
        if item.get("date") is not None:
            span = chk.mapping(item.get("date"), f"{path}.date")
            date = (chk.date(span.get("start"), f"{path}.date.start"), chk.date(span.get("end"), f"{path}.date.end"))
        attribution = speaker = None
        if item.get("attribution") is not None:
            attr = chk.mapping(item.get("attribution"), f"{path}.attribution")
            attribution = chk.choice(attr.get("kind"), f"{path}.attribution.kind", ontology.attribution_kinds)
            if attr.get("speaker") is not None:
                speaker = ref(attr.get("speaker"), f"{path}.attribution.speaker")
        events.append(
            GoldEvent(
                id=str(chk.text(item.get("id"), f"{path}.id")),
                type=etype,
                participants=participants,
                status=chk.choice(item.get("status"), f"{path}.status", ontology.statuses, required=False),
                hedged=chk.flag(item.get("hedged"), f"{path}.hedged"),
                date=date,
                attribution=attribution,
                speaker=speaker,
                evidence=chk.text(item.get("evidence"), f"{path}.evidence", required=False),
                optional=bool(chk.flag(item.get("optional"), f"{path}.optional")),
            )
        )

    quotes: list[GoldQuote] = []
    for n, item in enumerate(chk.items(data.get("quotes"), "quotes")):
        path = f"quotes[{n}]"
        item = chk.mapping(item, path)
        kind = str(chk.choice(item.get("speaker_kind", "named"), f"{path}.speaker_kind", ontology.speaker_kinds))
        speaker = ref(item.get("speaker"), f"{path}.speaker") if item.get("speaker") is not None else None
        if kind == "named" and speaker is None:
            raise chk.fail(f"{path}.speaker", "a named speaker needs the id of an entity")
        quotes.append(
            GoldQuote(
                id=str(chk.text(item.get("id"), f"{path}.id")),
                text=str(chk.text(item.get("text"), f"{path}.text")),
                speaker=speaker,
                speaker_kind=kind,
                direct=chk.flag(item.get("direct"), f"{path}.direct"),
                optional=bool(chk.flag(item.get("optional"), f"{path}.optional")),
            )
        )
    return GoldDocument(
        path=where,
        id=doc_id,
        file=file,
        title=title,
        published=chk.date(meta.get("published"), "document.published"),
        split=split,
        story=chk.text(data.get("story"), "story", required=False),
        entities=entities,
        events=events,
        quotes=quotes,
        notes=chk.text(data.get("notes"), "notes", required=False),
    )
