"""The web UI in a real browser: Playwright driving Debian's headless chromium against a real uvicorn on loopback.

The store is the demo store plus two hostile documents: one ingested the ordinary way (markup and event
handlers in its title, outlet and text), one whose analysis names entities with markup in their names. Every
page must show that markup as text and run none of it.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="needs Debian's chromium (.ci/run installs it)",
    ),
]

# markup that runs if any page puts document text into HTML unescaped: each payload sets window.__pwned
PAYLOADS = (
    '<script>window.__pwned="script"</script>',
    "<img src=x onerror=\"window.__pwned='img'\">",
    '"><svg onload="window.__pwned=\'svg\'">',
)
HOSTILE_ORG = "<img src=x onerror=\"window.__pwned='entity'\">Zeta Systems"
HOSTILE_PERSON = "<script>window.__pwned='person'</script>Ivo Marek"


def _hostile_line() -> str:
    """A JSON Lines document with the payloads in its title, outlet and text (read and analysed as any other)."""
    text = (
        f"Huawei and Nokia signed a patent licence agreement {PAYLOADS[0]} on Tuesday, the companies said. "
        f"Nokia's chief executive said the deal {PAYLOADS[1]} would run for five years. "
        f'"We are pleased {PAYLOADS[2]} with the agreement," Huawei said in a statement.'
    )
    doc = {"title": f"Patent deal {PAYLOADS[0]}", "source": f"Evil Wire {PAYLOADS[2]}", "published": "2024-03-05",
           "text": text}  # fmt: skip
    return json.dumps(doc)


def _hostile_analysis() -> dict[str, Any]:
    """An analysis whose entity names carry markup: a partnership of Huawei with "<img …>Zeta Systems"."""
    text = (
        f"{HOSTILE_ORG} agreed a partnership with Huawei in Shenzhen, according to {HOSTILE_PERSON}, "
        f'who called it "a {PAYLOADS[0]} milestone".'
    )
    org, huawei, person = text.index(HOSTILE_ORG), text.index("Huawei"), text.index(HOSTILE_PERSON)
    sentence_end = text.index(", according")
    quote_start = text.index("a <script>")
    quote_end = text.index('".') - 0
    doc_id = "sha256:" + "ab" * 32
    return {
        "schema": "dossier.analysis/1",
        "document": {
            "id": doc_id, "url": None, "source": "Hostile Herald", "title": f"Partnership {HOSTILE_ORG}",
            "published": "2024-04-01", "language": "en", "origin": {"outlet": "Hostile Herald"}, "authors": [],
            "format": "text", "input": {"ref": "hostile", "sha256": "cd" * 32}, "text": text,
        },
        "segments": [{"kind": "body", "start": 0, "end": len(text)}],
        "entities": [
            {"id": "e1", "name": HOSTILE_ORG, "type": "ORG", "aliases": [], "descriptions": [], "kb": {},
             "mentions": [{"start": org, "end": org + len(HOSTILE_ORG), "text": HOSTILE_ORG}]},
            {"id": "e2", "name": "Huawei", "type": "ORG", "aliases": [], "descriptions": [],
             "kb": {"wikidata": "Q160120"},
             "mentions": [{"start": huawei, "end": huawei + 6, "text": "Huawei"}]},
            {"id": "e3", "name": HOSTILE_PERSON, "type": "PERSON", "aliases": [], "descriptions": [], "kb": {},
             "mentions": [{"start": person, "end": person + len(HOSTILE_PERSON), "text": HOSTILE_PERSON}]},
        ],
        "events": [
            {"id": "v1", "type": "PARTNERSHIP", "status": "agreed", "hedged": False,
             "participants": [{"role": "party", "entity": "e1"}, {"role": "party", "entity": "e2"}],
             "date": None, "amounts": [], "attribution": {"kind": "named", "speaker": "e3", "cue": "according to"},
             "evidence": {"start": 0, "end": sentence_end, "text": text[:sentence_end]}},
        ],
        "quotes": [
            {"id": "q1", "text": text[quote_start:quote_end], "direct": True, "speaker": "e3", "speaker_kind": "named",
             "speaker_text": HOSTILE_PERSON, "cue": "called", "start": quote_start, "end": quote_end},
        ],
        "pipeline": "model",
    }  # fmt: skip


@pytest.fixture(scope="module")
def hostile_db(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo store copied, with the two hostile documents added and the knowledge updated."""
    from dossier.knowledge import update
    from dossier.model import Analysis
    from dossier.scale.runner import ingest
    from dossier.store import open_store, prepare

    path = str(tmp_path_factory.mktemp("browser") / "hostile.db")
    with sqlite3.connect(demo_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    line = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    line.write_text(_hostile_line() + "\n", encoding="utf-8")
    with open_store(path) as store:
        report = ingest([str(line)], store=store)
        assert report.stored == 1, report.errors
        store.write(prepare(Analysis.from_dict(_hostile_analysis())))
        update(store)
    return path


@pytest.fixture(scope="module")
def base_url(hostile_db: str) -> Iterator[str]:
    import uvicorn

    from dossier.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(hostile_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records console errors, page errors and dialogs (an alert would mean a payload ran)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()


def _inert(pg: Any) -> None:
    """No payload ran, no element a payload would create exists, the only scripts are our own files."""
    assert pg.evaluate("window.__pwned") is None
    assert pg.locator("img[src='x'], svg[onload], [onerror], [onload]").count() == 0
    sources = pg.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))")
    assert all(src and src.startswith("/static/") for src in sources), sources
    assert not pg.problems, pg.problems


def test_search_entity_graph_fact_and_document(page: Any, base_url: str) -> None:
    pg = page
    pg.goto(base_url + "/")
    assert pg.locator("ul.facts li.fact").count() > 0  # the latest facts
    pg.keyboard.press("/")  # the search box takes focus from the keyboard
    pg.keyboard.type("Huawei")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/search?q=Huawei")
    assert pg.locator(".facet").count() == 5
    assert pg.locator("ol.docs li").count() > 0 and pg.locator("ol.docs mark").count() > 0
    pg.locator("ul.entities a", has_text="Huawei").first.click()
    pg.wait_for_url("**/entity/ent_*")
    assert pg.locator("h1").inner_text().startswith("Huawei")
    pg.wait_for_selector("#graph[data-rendered='true']", timeout=15_000)
    assert int(pg.get_attribute("#graph", "data-nodes")) > 3
    assert pg.locator("#graph canvas").count() > 0
    assert pg.evaluate("window.dossierGraph.nodes().length") == int(pg.get_attribute("#graph", "data-nodes"))
    assert pg.locator("ol.timeline li[data-nav]").count() > 0
    _inert(pg)

    pg.locator("ul.facts a.fact-type").first.click()
    pg.wait_for_url("**/fact/fact_*")
    assert pg.locator(".evidence blockquote").count() > 0
    assert pg.locator("table.history tbody tr").count() > 0
    pg.locator(".evidence a[href*='#ev-']").first.click()
    pg.wait_for_url("**/doc/*#ev-*")
    event = pg.evaluate("decodeURIComponent(location.hash).slice(4)")
    assert pg.locator(".text .ev").count() > 0 and pg.locator(".text a.ent").count() > 0
    targeted = pg.locator(".text .ev.target")  # the event the fact page linked to is marked in the text
    assert targeted.count() > 0
    assert event in targeted.first.get_attribute("data-ev").split()
    _inert(pg)


def test_document_page_highlights_and_dims(page: Any, base_url: str, demo_db: str) -> None:
    from dossier.store import open_store

    with open_store(demo_db) as store, store.engine.connect() as conn:
        from sqlalchemy import text

        doc_id = conn.execute(text("SELECT doc_id FROM segments WHERE kind = 'comment' LIMIT 1")).scalar()
    pg = page
    pg.goto(f"{base_url}/doc/{doc_id.removeprefix('sha256:')[:16]}")
    comments = pg.locator(".seg-comment.dimmed")
    assert comments.count() > 0
    assert float(comments.first.evaluate("e => getComputedStyle(e).opacity")) < 1
    assert pg.locator(".text .ev").count() > 0
    # the layer switches turn highlights and dimming off
    pg.locator("input[data-layer='dim']").uncheck()
    assert float(comments.first.evaluate("e => getComputedStyle(e).opacity")) == 1
    pg.locator("input[data-layer='ev']").uncheck()
    background = pg.locator(".text .ev").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent")
    # n jumps to the first event in the text
    pg.locator("h1").click()
    pg.keyboard.press("n")
    assert pg.evaluate("location.hash").startswith("#ev-")
    _inert(pg)


def test_hostile_text_and_entity_names_render_inert(page: Any, base_url: str, hostile_db: str) -> None:
    pg = page
    # the ingested document: payloads in its title, outlet and text
    pg.goto(base_url + "/search?q=patent+licence")
    link = pg.locator("ol.docs a", has_text="Patent deal")
    assert link.count() == 1
    assert "<script>" in link.inner_text()  # shown as text
    _inert(pg)
    link.click()
    pg.wait_for_url("**/doc/*")
    body = pg.locator("#text").inner_text()
    for payload in PAYLOADS:
        assert payload in body
    assert "<script>" in pg.locator("h1").inner_text()
    _inert(pg)

    # the analysis with markup in entity names: entity, fact, document and search pages, and the graph
    pg.goto(base_url + "/search?q=Zeta")
    hostile = pg.locator("ul.entities a", has_text="Zeta Systems")
    assert hostile.count() == 1 and hostile.inner_text() == HOSTILE_ORG
    _inert(pg)
    hostile.click()
    pg.wait_for_url("**/entity/ent_*")
    assert pg.locator("h1").inner_text().startswith(HOSTILE_ORG)
    pg.wait_for_selector("#graph[data-rendered='true']", timeout=15_000)
    labels = pg.evaluate("window.dossierGraph.nodes().map(n => n.data('label'))")
    assert HOSTILE_ORG in labels and "Huawei" in labels
    _inert(pg)
    pg.locator("ul.facts a.fact-type").first.click()
    pg.wait_for_url("**/fact/fact_*")
    assert HOSTILE_ORG in pg.locator(".fact-head").inner_text()
    assert HOSTILE_PERSON in pg.locator(".evidence").first.inner_text()  # the attribution's speaker
    _inert(pg)
    pg.locator(".evidence a[href*='#ev-']").first.click()
    pg.wait_for_url("**/doc/*")
    assert pg.locator(".text a.ent", has_text="Zeta Systems").inner_text() == HOSTILE_ORG
    assert HOSTILE_PERSON in pg.locator("aside.side").inner_text()
    _inert(pg)
    pg.goto(base_url + "/entity/Huawei")
    pg.wait_for_selector("#graph[data-rendered='true']", timeout=15_000)
    _inert(pg)


def test_api_docs_render_from_vendored_swagger(page: Any, base_url: str) -> None:
    pg = page
    pg.goto(base_url + "/docs")
    pg.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = pg.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/entities/{entity}" in p for p in paths)
    _inert(pg)
