"""Every reader, through iter_raw: files, directories, globs, stdin, JSONL, WARC(.gz), feeds, URLs."""

from __future__ import annotations

import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from dossier.clean import clean
from dossier.errors import IngestError
from dossier.ingest import iter_raw, resolve_url_records
from dossier.model import RawDocument

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _split(items: object) -> tuple[list[RawDocument], list[IngestError]]:
    raws, errors = [], []
    for item in items:  # type: ignore[attr-defined]
        (raws if isinstance(item, RawDocument) else errors).append(item)
    return raws, errors


def test_text_and_html_are_recognised_by_content_not_extension(tmp_path: Path) -> None:
    (tmp_path / "story.dat").write_bytes((FIXTURES / "page.html").read_bytes())
    (tmp_path / "notes.html").write_text("Just a plain note.\n\nNothing marked up here, only words.", "utf-8")
    raws, errors = _split(iter_raw([str(tmp_path)]))
    assert not errors
    formats = {Path(r.ref).name: r.format for r in raws}
    assert formats == {"story.dat": "html", "notes.html": "text"}


def test_directories_recurse_sorted_and_globs_expand(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second document text here.", "utf-8")
    (tmp_path / "a.txt").write_text("First document text here.", "utf-8")
    (tmp_path / ".hidden.txt").write_text("never read", "utf-8")
    raws, _ = _split(iter_raw([str(tmp_path)]))
    assert [Path(r.ref).name for r in raws] == ["a.txt", "two.txt"]
    raws, _ = _split(iter_raw([str(tmp_path / "**" / "*.txt")]))
    assert sorted(Path(r.ref).name for r in raws) == ["a.txt", "two.txt"]
    _, errors = _split(iter_raw([str(tmp_path / "*.nothing")]))
    assert "no files match" in str(errors[0])


def test_stdin_is_read_and_kept_raw() -> None:
    raws, _ = _split(iter_raw(["-"], stdin=io.BytesIO(b"A headline\n\nA body paragraph from standard input.")))
    assert raws[0].ref == "<stdin>" and raws[0].keep_raw and raws[0].format == "text"


def test_jsonl_one_document_per_line_and_a_bad_line_does_not_stop_the_rest() -> None:
    raws, errors = _split(iter_raw([str(FIXTURES / "briefs.jsonl")]))
    assert len(raws) == 3
    assert len(errors) == 1 and "briefs.jsonl:3" in str(errors[0]) and "invalid JSON" in str(errors[0])
    first, second, third = raws
    assert first.title == "Kalnor completes DataQuay purchase" and first.url and first.source == "Nordline News"
    assert second.format == "html"
    (doc,) = clean(second)
    assert doc.title == "Estonia proposes investment screening for telecoms"
    assert doc.published == "2024-02-07" and "<p>" not in doc.text
    (doc3,) = clean(third)
    assert doc3.source == "Baltic Bytes" and doc3.published == "2024-03-01"


def _warc(records: list[tuple[str, bytes, str]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, body, ctype in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_become_documents(tmp_path: Path, gz: bool) -> None:
    page = (FIXTURES / "page.html").read_bytes()
    data = _warc(
        [
            ("https://northernledger.example/a", page, "text/html; charset=utf-8"),
            ("https://northernledger.example/logo.png", b"\x89PNG....", "image/png"),
            ("https://northernledger.example/b", page.replace(b"Porto", b"Braga"), "text/html"),
        ],
        gz=gz,
    )
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data)
    raws, errors = _split(iter_raw([str(path)]))
    assert not errors
    assert [r.url for r in raws] == ["https://northernledger.example/a", "https://northernledger.example/b"]
    (doc,) = clean(raws[1])
    assert "Braga" in doc.text and doc.url == "https://northernledger.example/b"


def test_rss_feed_one_document_per_entry() -> None:
    raws, errors = _split(iter_raw([str(FIXTURES / "feed.xml")]))
    assert not errors and len(raws) == 2
    doc = clean(raws[0])[0]
    assert doc.title == "Riga start-up Sonaris raises €8m for satellite modems"
    assert doc.published == "2024-04-09" and doc.authors == ["Liga Ozola"] and doc.source == "Baltic Bytes"
    assert "Baltic Innovation Fund" in doc.text
    assert clean(raws[1])[0].url == "https://balticbytes.example/lithuania-fibre"


def test_atom_feed(tmp_path: Path) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Nordline News</title>
<entry><title>Telnova buys a Latvian tower company</title><link href="https://nordline.example/telnova"/>
<updated>2024-05-02T10:00:00Z</updated><author><name>Oskar Lind</name></author>
<content type="html">&lt;p&gt;Telnova said on Thursday it had agreed to buy a Latvian tower company
for €60 million.&lt;/p&gt;</content>
</entry></feed>"""
    path = tmp_path / "atom.xml"
    path.write_text(atom, "utf-8")
    raws, _ = _split(iter_raw([str(path)]))
    (doc,) = clean(raws[0])
    assert doc.title == "Telnova buys a Latvian tower company" and doc.published == "2024-05-02"
    assert "€60 million" in doc.text and doc.authors == ["Oskar Lind"]


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[int, str, bytes]]] = {}
    seen_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        status, ctype, body = self.pages.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_over_real_http_with_size_cap_and_user_agent(http_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    page = (FIXTURES / "page.html").read_bytes()
    _Handler.pages = {
        "/story": (200, "text/html; charset=utf-8", page),
        "/big": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
        "/plain": (200, "text/plain", b"A plain text headline\n\nAnd a body that is long enough to keep."),
    }
    monkeypatch.setenv("DOSSIER_FETCH_MAX_BYTES", "4000")
    urls = [f"{http_server}/story", f"{http_server}/big", f"{http_server}/missing", f"{http_server}/plain"]
    raws, errors = _split(iter_raw([], urls=urls))
    assert [r.ref for r in raws] == [urls[0], urls[3]]
    assert raws[0].format == "html" and raws[1].format == "text" and raws[0].keep_raw
    messages = sorted(str(e) for e in errors)
    assert any("/big" in m and "4000-byte limit" in m for m in messages)
    assert any("/missing" in m and "HTTP 404" in m for m in messages)
    assert all(agent.startswith("Dossier/") for agent in _Handler.seen_agents)


def test_fetch_timeout_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection but never answers
    monkeypatch.setenv("DOSSIER_FETCH_TIMEOUT", "0.5")
    try:
        _, errors = _split(iter_raw([], urls=[f"http://127.0.0.1:{listener.getsockname()[1]}/slow"]))
    finally:
        listener.close()
    assert "timed out" in str(errors[0])


def test_jsonl_records_with_only_a_url_are_downloaded(http_server: str, tmp_path: Path) -> None:
    _Handler.pages = {"/story": (200, "text/html", (FIXTURES / "page.html").read_bytes())}
    path = tmp_path / "urls.jsonl"
    path.write_text(f'{{"url": "{http_server}/story", "source": "Northern Ledger"}}\n', "utf-8")
    raws, errors = _split(resolve_url_records(iter_raw([str(path)])))
    assert not errors and raws[0].format == "html" and raws[0].ref.endswith("urls.jsonl:1")
    assert clean(raws[0])[0].source == "Northern Ledger"


def test_gzipped_text_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress((FIXTURES / "article.txt").read_bytes()))
    raws, _ = _split(iter_raw([str(path)]))
    assert clean(raws[0])[0].title.startswith("Lumenfab agrees")
