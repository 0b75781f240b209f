"""The server-rendered pages through TestClient, faceted search on SQLite and PostgreSQL, and the document
renderer's offsets and escaping."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dossier import query
from dossier.query.search import countries, document_links, search
from dossier.store import Store, open_store
from dossier.web import create_app
from dossier.web.render import blocks

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.fixture(scope="module")
def client(demo_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(demo_db)) as c:
        yield c


@pytest.fixture(scope="module")
def store(demo_db: str) -> Iterator[Store]:
    with open_store(demo_db) as s:
        yield s


def _check_facets(store: Store) -> None:
    """Each facet narrows the documents to those that have the value, and its count is what it yields."""
    base = search(store, "chip", limit=200)
    assert base["entities"] and base["documents"]["total"] > 5 and base["facts"]
    for name in ("type", "country", "year", "outlet"):
        assert base["facets"][name], name
    everything = {d["id"] for d in base["documents"]["items"]}
    for name in ("country", "year", "outlet", "type"):
        facet = next(v for v in base["facets"][name] if v.get("kind") != "entity")
        narrowed = search(store, "chip", limit=200, **{("type_" if name == "type" else name): facet["value"]})
        ids = [d["id"] for d in narrowed["documents"]["items"]]
        assert narrowed["documents"]["total"] == facet["count"] == len(ids), (name, facet)
        assert set(ids) <= everything
        for doc_id in ids:
            analysis = query.document(store, doc_id)
            if name == "year":
                assert analysis["document"]["published"].startswith(facet["value"])
            elif name == "outlet":
                assert analysis["document"]["source"] == facet["value"]
            elif name == "type":
                assert any(e["type"] == facet["value"] for e in analysis["events"])
            elif name == "country":
                resolved = document_links(store, doc_id)["entities"].values()
                assert facet["value"] in {e["name"] for e in resolved}
        if name == "type":
            assert narrowed["facts"] and all(f["type"] == facet["value"] for f in narrowed["facts"])
        if name == "country":
            assert facet["value"] in countries()
    # an entity type narrows the answer to entities of that type
    orgs = search(store, "chip", type_="ORG")
    assert orgs["entities"] and all(e["type"] == "ORG" for e in orgs["entities"])
    assert orgs["documents"]["total"] == 0
    # no query: every document, latest first
    browse = search(store, None, limit=5)
    assert browse["documents"]["total"] == query.stats(store)["documents"]
    assert not browse["entities"]


def test_faceted_search_on_sqlite(store: Store) -> None:
    _check_facets(store)


@pytest.mark.postgres
def test_faceted_search_on_postgres(pg_url: str) -> None:
    from dossier.scale.runner import ingest

    with open_store(pg_url) as pg:
        ingest([str(DEMO / "articles")], store=pg)
        _check_facets(pg)
        snippet = search(pg, "export controls", marks=("<<", ">>"))["documents"]["items"][0]["snippet"]
        assert "<<" in snippet and ">>" in snippet


def test_search_rejects_a_bad_year(store: Store) -> None:
    from dossier.errors import QueryError

    with pytest.raises(QueryError, match="not a year"):
        search(store, "chip", year="20x")


def test_document_blocks_keep_every_character_at_its_offset(store: Store) -> None:
    """Stripping the markup from the rendered blocks gives back the document text, block by block."""
    for doc in query.documents(store, limit=30):
        analysis = query.document(store, doc["id"])
        text = analysis["document"]["text"]
        links = {"entities": {}, "events": {}}
        rendered = blocks(analysis, links)
        assert rendered
        for b in rendered:
            plain = html.unescape(re.sub(r"<[^>]*>", "", str(b.html)))
            assert plain == text[b.start : b.end]
        # every comment and piece of furniture is dimmed, nothing else is
        furniture = {(s["start"], s["end"]) for s in analysis["segments"] if s["kind"] in ("comment", "boilerplate")}
        assert {(b.start, b.end) for b in rendered if b.dimmed} == furniture
        # every event with evidence has its anchor once
        anchors = re.findall(r'id="(ev-[^"]+)"', "".join(str(b.html) for b in rendered))
        assert sorted(anchors) == sorted(f"ev-{e['id']}" for e in analysis["events"] if e.get("evidence"))


def test_pages_answer_with_html_and_links(client: TestClient, store: Store) -> None:
    home = client.get("/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert 'href="/fact/fact_' in home.text and 'href="/doc/' in home.text
    huawei = client.get("/entity/Huawei", follow_redirects=False)
    assert huawei.status_code == 303
    ident = query.show(store, "Huawei")["entity"]["id"]
    assert huawei.headers["location"] == f"/entity/{ident}"
    page = client.get(f"/entity/{ident}")
    assert page.status_code == 200 and 'id="graph"' in page.text and "Timeline" in page.text
    fact_id = re.search(r'href="/fact/(fact_[0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    fact = client.get(f"/fact/{fact_id}")
    assert fact.status_code == 200 and "Status history" in fact.text and "#ev-" in fact.text
    doc_href = re.search(r'href="(/doc/[0-9a-f]+)#ev-', fact.text).group(1)  # type: ignore[union-attr]
    doc = client.get(doc_href)
    assert doc.status_code == 200 and 'class="ev"' in doc.text and 'class="ent t-' in doc.text
    found = client.get("/search", params={"q": "export controls", "country": "China"})
    assert found.status_code == 200 and "Country" in found.text and "<mark>" in found.text
    assert client.get("/docs").status_code == 200
    assert client.get("/static/dossier.js").status_code == 200


def test_missing_things_are_html_404s_off_the_api_and_json_on_it(client: TestClient) -> None:
    page = client.get("/entity/No Such Company Anywhere")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "No Such Company Anywhere" in page.text
    assert client.get("/fact/fact_0000000000000000").status_code == 404
    assert client.get("/doc/ffffffffffffffff").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    bad = client.get("/search", params={"year": "soon"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    api = client.get("/api/entities/No Such Company Anywhere")
    assert api.status_code == 404 and api.json()["detail"]


def test_pages_have_no_inline_script_or_style(client: TestClient, store: Store) -> None:
    ident = query.show(store, "Huawei")["entity"]["id"]
    doc = query.documents(store, limit=1)[0]["id"].removeprefix("sha256:")[:16]
    for url in ("/", "/search?q=chip", f"/entity/{ident}", f"/doc/{doc}", "/docs"):
        text = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", text), url
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text), url
        assert "//cdn" not in text and "https://unpkg" not in text


def test_a_dossier_lists_each_fact_as_the_fact_itself_says(store: Store) -> None:
    """The stored listing a dossier reads agrees with the whole fact: the same fields, its first evidence,
    its outlets, and its status history reduced to the changes; the sources count every evidence document."""
    from dossier.knowledge.facts import status_changes

    whole_dossiers = 0
    for entity in query.entities(store, limit=15):
        dossier = query.show(store, entity["id"], facts_per_type=50)
        outlets: dict[str, set[str]] = {}
        for facts in dossier["facts"].values():
            for listed in facts:
                whole = query.fact(store, listed["id"])
                assert listed["evidence"] == whole["evidence"][:1]
                assert listed["outlets"] == sorted({e["outlet"] for e in whole["evidence"] if e.get("outlet")})
                assert listed["status_changes"] == status_changes(whole["status_history"])
                for key in ("type", "status", "participants", "date", "corroboration", "contradictions", "amounts"):
                    assert listed[key] == whole[key], key
                for e in whole["evidence"]:
                    outlets.setdefault(e.get("outlet") or "(unknown outlet)", set()).add(e["doc_id"])
        if sum(dossier["fact_counts"].values()) <= 50:  # every fact listed: the sources are all theirs
            whole_dossiers += 1
            assert {s["outlet"]: s["documents"] for s in dossier["sources"]} == {o: len(d) for o, d in outlets.items()}
    assert whole_dossiers > 3


def test_labels_name_entity_types_from_the_ontology(monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier.errors import DossierError
    from dossier.nlp import resources
    from dossier.web.pages import label

    assert label("ORG") == "Organisation" and label("GPE") == "Country or place"
    assert label("PRODUCT_LAUNCH") == "Product launch" and label(None) == ""
    real = resources.read_yaml("dossier", "ontology.yaml")
    broken = real | {"entity_labels": {k: v for k, v in real["entity_labels"].items() if k != "FAC"}}
    monkeypatch.setattr(resources, "read_yaml", lambda package, name: broken)
    with pytest.raises(DossierError, match=r"entity_labels.*FAC"):
        resources.load_ontology()
