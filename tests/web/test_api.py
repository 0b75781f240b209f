"""The JSON API (`dossier serve`): read endpoints over a store of the demo articles, the token on writes, the
security headers, and the same application served by a real uvicorn on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from dossier import query
from dossier.scale.runner import ingest
from dossier.store import open_store
from dossier.web import create_app

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def client(demo_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(demo_db)) as c:
        yield c


def test_stats_entities_and_pages(client: TestClient, demo_db: str) -> None:
    stats = client.get("/api/stats").json()
    with open_store(demo_db) as store:
        assert stats == query.stats(store)
        expected = [e["id"] for e in query.entities(store, limit=7)]
    first = client.get("/api/entities", params={"limit": 4}).json()
    second = client.get("/api/entities", params={"limit": 3, "offset": 4}).json()
    assert [e["id"] for e in first["items"] + second["items"]] == expected
    orgs = client.get("/api/entities", params={"type": "ORG", "limit": 20}).json()["items"]
    assert orgs and all(e["type"] == "ORG" for e in orgs)


def test_entity_dossier_timeline_and_graph(client: TestClient, demo_db: str) -> None:
    with open_store(demo_db) as store:
        huawei = query.show(store, "Huawei")
        reported = query.timeline(store, "Huawei", by="reported")
    got = client.get("/api/entities/Huawei").json()
    assert got == huawei
    by_id = client.get(f"/api/entities/{huawei['entity']['id']}").json()
    assert by_id["entity"]["id"] == huawei["entity"]["id"]
    timeline = client.get("/api/entities/Huawei/timeline", params={"by": "reported"}).json()
    assert timeline == reported
    graph = client.get("/api/entities/Huawei/graph", params={"depth": 2, "limit": 30}).json()
    assert graph["nodes"] and any(n["id"] == huawei["entity"]["id"] for n in graph["nodes"])
    missing = client.get("/api/entities/No Such Company Anywhere")
    assert missing.status_code == 404 and "no entity named" in missing.json()["detail"]


def test_facts_filters_and_detail(client: TestClient, demo_db: str) -> None:
    everything = client.get("/api/facts", params={"limit": 200}).json()["items"]
    assert everything
    sanctions = client.get("/api/facts", params={"type": "SANCTION", "limit": 200}).json()["items"]
    assert sanctions and all(f["type"] == "SANCTION" for f in sanctions)
    assert {f["id"] for f in sanctions} < {f["id"] for f in everything}
    strong = client.get("/api/facts", params={"min_corroboration": 2, "limit": 200}).json()["items"]
    assert all(f["corroboration"] >= 2 for f in strong)
    page = client.get("/api/facts", params={"limit": 5, "offset": 5}).json()["items"]
    assert [f["id"] for f in page] == [f["id"] for f in everything[5:10]]
    one = client.get(f"/api/facts/{everything[0]['id']}").json()
    with open_store(demo_db) as store:
        assert one == query.fact(store, everything[0]["id"])
    assert one["evidence"]
    assert client.get("/api/facts/fact_0000000000000000").status_code == 404


def test_documents_quotes_and_search(client: TestClient) -> None:
    docs = client.get("/api/documents", params={"limit": 3}).json()["items"]
    assert len(docs) == 3
    doc = client.get(f"/api/documents/{docs[0]['id']}").json()
    assert doc["document"]["id"] == docs[0]["id"] and doc["document"]["text"]
    assert client.get("/api/quotes", params={"limit": 5}).json()["items"]
    found = client.get("/api/search", params={"q": "Huawei"}).json()
    assert any(e["name"] == "Huawei" for e in found["entities"]) and found["documents"]


def test_bad_parameters_are_clear_client_errors(client: TestClient) -> None:
    assert client.get("/api/entities", params={"limit": 100_000}).status_code == 422
    assert client.get("/api/facts", params={"since": "last week"}).status_code == 422
    assert client.get("/api/entities/Huawei/graph", params={"depth": 9}).status_code == 422
    assert client.get("/api/search", params={"year": "last"}).status_code == 422


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for url in ("/api/stats", "/api/entities/No Such Company Anywhere", "/openapi.json"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp and "http" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_writes_are_refused_without_a_token_configured(client: TestClient) -> None:
    response = client.post("/api/merge", json={"a": "Huawei", "b": "HiSilicon"})
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert client.post("/api/ingest", content=b"Some text.").status_code == 403


def test_writes_with_the_token(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    with TestClient(create_app(db, token=TOKEN)) as c:
        body = (DEMO / "articles" / "2019-06-06-eurasia-signal-huawei-mts-5g.txt").read_bytes()
        assert c.post("/api/ingest", content=body).status_code == 401
        assert c.post("/api/ingest", content=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        done = c.post("/api/ingest", content=body, headers=auth).json()
        assert done["stored"] == 1 and done["failed"] == 0
        again = c.post("/api/ingest", content=body, headers=auth).json()
        assert again["stored"] == 0 and again["unchanged"] == 1  # idempotent
        assert c.post("/api/ingest", content=b"   ", headers=auth).status_code == 400
        binary = c.post("/api/ingest", content=b"\x00\x01\xff\xfe" * 50, headers=auth).json()
        assert binary["failed"] == 1 and binary["errors"] == [
            "<stdin>: binary data, not text, HTML, JSON Lines, WARC or a feed; skipped"
        ]
        assert c.get("/api/stats").json()["documents"] == 1
        entities = [e["name"] for e in c.get("/api/entities", params={"limit": 50}).json()["items"]]
        assert "Huawei" in entities and "MTS" in entities
        merged = c.post("/api/merge", json={"a": "Huawei", "b": "MTS"}, headers=auth)
        assert merged.status_code == 200, merged.text
        one = c.get("/api/entities/MTS").json()["entity"]["id"]
        assert c.get("/api/entities/Huawei").json()["entity"]["id"] == one
        split = c.post("/api/split", json={"a": "Huawei", "b": "MTS"}, headers=auth)
        assert split.status_code == 200, split.text
        assert c.get("/api/entities/Huawei").json()["entity"]["id"] != c.get("/api/entities/MTS").json()["entity"]["id"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_real_uvicorn_on_loopback(demo_db: str) -> None:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(demo_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            assert http.get("/api/stats").json()["documents"] > 0
            detail = http.get("/api/entities/Huawei")
            assert detail.status_code == 200 and detail.json()["entity"]["name"] == "Huawei"
            assert "default-src 'none'" in detail.headers["content-security-policy"]
            assert http.get("/openapi.json").json()["paths"]["/api/facts"]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_nul_character_is_refused_before_any_query(client: TestClient) -> None:
    """PostgreSQL text cannot hold NUL: the boundary refuses it (400, one line) on every backend, pages included."""
    for url in ("/api/search?country=%00", "/api/entities/ent_%00", "/api/facts?entity=a%00b", "/search?q=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "NUL" in response.text
    assert client.get("/api/search?q=%00").headers["content-type"] == "application/json"


def test_a_document_id_prefix_is_literal(client: TestClient) -> None:
    """LIKE wildcards in a document id prefix match themselves, not any character."""
    doc = client.get("/api/documents", params={"limit": 1}).json()["items"][0]["id"].removeprefix("sha256:")
    assert client.get(f"/api/documents/{doc[:6]}__").status_code == 404
    assert client.get(f"/api/documents/{doc[:8]}").status_code == 200


def test_answers_are_cached_until_the_store_changes(demo_db: str, tmp_path: Path) -> None:
    """A repeated GET is served from the cache; a write from another process (another store object on the
    same file) moves the generation on and the next GET is computed again, with the new answer."""
    import sqlite3

    path = tmp_path / "cache.db"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    with TestClient(create_app(str(path), cache_mb=8)) as c:
        first = c.get("/api/stats")
        assert first.headers["x-dossier-cache"] == "miss"
        again = c.get("/api/stats")
        assert again.headers["x-dossier-cache"] == "hit" and again.json() == first.json()
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
        assert c.get("/api/entities/No Such Company Anywhere").status_code == 404  # errors are not cached
        with open_store(str(path)) as other:
            before = other.generation()
            report = ingest([str(DEMO / "pages")], store=other)  # documents the demo store lacks
            assert report.stored and other.generation() > before
        fresh = c.get("/api/stats")
        assert fresh.headers["x-dossier-cache"] == "miss"
        assert fresh.json()["documents"] > first.json()["documents"]
    with TestClient(create_app(str(path), cache_mb=0)) as c:
        assert "x-dossier-cache" not in c.get("/api/stats").headers
