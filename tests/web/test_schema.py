"""Schemathesis over the API's OpenAPI schema, in process through ASGI: every operation, the token-guarded writes
included, fuzzed from its schema. No request may end in a server error, and what the schema does describe
must hold: content types, response bodies, rejection of schema-invalid requests, 405 for undeclared methods.

The writes go to a throwaway copy of the demo store, so the other web tests still read the pristine one.
Real names and ids from that copy (entities, facts, documents, countries, outlets, types) are fuzz
dictionaries for the parameters they fit, so the fuzzing reaches dossiers, timelines, graphs, facets and
judgements and not only the 404 of an unknown name; Schemathesis draws them only where they keep a valid
request valid and an invalid one invalid.

Every default check runs, status_code_conformance and positive_data_acceptance included: the schema
declares the 400/404 of the reads, the 401/403/413 of the writes and the raw body ingest reads.
"""

from __future__ import annotations

import copy
import sqlite3
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from dossier import query
from dossier.store import open_store
from dossier.web import create_app

pytestmark = pytest.mark.slow

TOKEN = "fuzz-token-for-schema-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
    unsupported_method,
]
# fuzz dictionary -> the parameters it feeds ("body.a": the field a of a JSON body)
BINDINGS = {
    "entities": ["path.entity", "query.entity", "query.speaker", "query.q", "body.a", "body.b"],
    "facts": ["path.fact_id"],
    "documents": ["path.doc_id"],
    "countries": ["query.country"],
    "outlets": ["query.outlet"],
    "types": ["query.type"],
}
SEEN: dict[str, Counter[int]] = {}  # status codes per operation, for the last test


def _copy(src: str, dst: str) -> None:
    """A consistent copy of a SQLite store (the backup API, not a file copy)."""
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


@pytest.fixture(scope="module")
def demo_before(demo_db: str) -> dict[str, Any]:
    """The shared demo store's counts before the fuzzing."""
    with open_store(demo_db) as store:
        return query.stats(store)


@pytest.fixture(scope="module")
def fuzz_db(demo_db: str, demo_before: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A throwaway copy of the demo store for the fuzzed writes."""
    path = str(tmp_path_factory.mktemp("schema") / "fuzz.db")
    _copy(demo_db, path)
    return path


def _dictionaries(db: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Real values from the store (names and ids, whole and in part), and a pair of entities kept out of them
    for the example judgement, so that no fuzzed merge touches the pair before its split."""
    with open_store(db) as store:
        ents = query.entities(store, limit=10)
        gpes = query.entities(store, type_="GPE", limit=4)
        facts = query.facts(store, limit=4)
        docs = query.documents(store, limit=3)
        stats = query.stats(store)
    entities = [e["name"] for e in ents[:8]] + [ents[0]["id"], ents[1]["id"]]
    types = [*stats["events"]["by_type"], *stats["entities"]["by_type"]]
    values = {
        "entities": entities,
        "facts": [f["id"] for f in facts] + [facts[0]["id"][:9]],  # and a prefix: unique or ambiguous
        "documents": [d["id"] for d in docs] + [docs[0]["id"].removeprefix("sha256:"), docs[1]["id"][7:15]],
        "countries": [e["name"] for e in gpes],
        "outlets": sorted({d["source"] for d in docs if d["source"]}),
        "types": types[:4] + [t.lower() for t in types[:2]],
    }
    return {name: v for name, v in values.items() if v}, {"a": ents[8]["name"], "b": ents[9]["name"]}


@pytest.fixture(scope="module")
def api_schema(fuzz_db: str) -> schemathesis.BaseSchema:
    app = create_app(fuzz_db, token=TOKEN)
    raw = copy.deepcopy(app.openapi())  # what /openapi.json serves
    values, pair = _dictionaries(fuzz_db)
    paths = raw["paths"]
    # the examples phase runs before the fuzzing: a merge of two real entities, then the split of the pair
    for kind in ("merge", "split"):
        paths[f"/api/{kind}"]["post"]["requestBody"]["content"]["application/json"]["example"] = pair
    config = schemathesis.Config.from_dict(
        {
            "dictionaries": {name: {"values": v} for name, v in values.items()},
            "parameters": {key: {"dictionary": name, "probability": 0.5} for name in values for key in BINDINGS[name]},
        }
    )
    schema = schemathesis.openapi.from_dict(raw, config=config)
    schema.app = app  # as from_asgi does: the requests go to the application in process
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],  # a loaded CI machine; the data is small
)
@schema.parametrize()
def test_no_server_errors_and_the_schema_holds(case: schemathesis.Case) -> None:
    response = case.call_and_validate(headers=AUTH, checks=CHECKS)
    SEEN.setdefault(f"{case.method.upper()} {case.path}", Counter())[response.status_code] += 1


def test_the_fuzzing_got_past_not_found(demo_db: str, demo_before: dict[str, Any], fuzz_db: str) -> None:
    """The real values did their work (a dossier, a fact, a document, each write answered 200 at least once),
    and the writes changed the copy, not the shared demo store."""
    if not SEEN:
        pytest.skip("the schemathesis test did not run")
    for label in (
        "GET /api/entities/{entity}",
        "GET /api/entities/{entity}/timeline",
        "GET /api/entities/{entity}/graph",
        "GET /api/facts/{fact_id}",
        "GET /api/documents/{doc_id}",
        "POST /api/ingest",
        "POST /api/merge",
        "POST /api/split",
    ):
        assert SEEN.get(label, Counter())[200], (label, SEEN.get(label))
    with open_store(demo_db) as demo, open_store(fuzz_db) as fuzzed:
        assert query.stats(demo) == demo_before
        assert query.stats(fuzzed) != demo_before
