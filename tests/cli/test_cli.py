"""The CLI through click's CliRunner: every command, formats, exit codes, idempotent re-runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    return folder


def _ingest(runner: CliRunner, db: str, *args: str) -> object:
    return runner.invoke(main, ["ingest", *args, "--db", db, "--quiet"])


def test_ingest_then_every_query_command(runner: CliRunner, inputs: Path, sqlite_url: str) -> None:
    result = _ingest(runner, sqlite_url, str(inputs))
    # briefs.jsonl has one bad line: partial failure, exit code 1, the rest stored.
    assert result.exit_code == 1, result.output
    assert "briefs.jsonl:3: invalid JSON" in result.stderr

    stats = json.loads(runner.invoke(main, ["stats", "--db", sqlite_url, "--format", "json"]).stdout)
    # article.txt, page.html, 2 threads, 3 JSONL lines, 2 feed entries
    assert stats["documents"] == 9
    assert stats["ingest_log"]["error"] == 1 and stats["ingest_log"]["stored"] == 9
    assert stats["segments"]["comment"] == 5 and stats["segments"]["thread_post"] == 7

    docs = json.loads(runner.invoke(main, ["docs", "--db", sqlite_url, "--format", "json"]).stdout)
    assert len(docs) == 9
    hits = json.loads(
        runner.invoke(main, ["docs", "--db", sqlite_url, "--search", "slicing", "--format", "json"]).stdout
    )
    assert [h["title"] for h in hits] == ["Orvane and Kestrel Mobile sign 5G research pact"]

    doc_id = hits[0]["id"]
    shown = runner.invoke(main, ["doc", doc_id.removeprefix("sha256:")[:12], "--db", sqlite_url])
    assert shown.exit_code == 0 and "[comment by A. Sousa]" in shown.stdout and "[caption]" in shown.stdout
    as_json = json.loads(runner.invoke(main, ["doc", doc_id, "--db", sqlite_url, "--format", "json"]).stdout)
    assert as_json["document"]["id"] == doc_id

    for command in (["entities"], ["events"], ["quotes"], ["stats"], ["docs"]):
        table = runner.invoke(main, [*command, "--db", sqlite_url])
        assert table.exit_code == 0, (command, table.output)
        listed = runner.invoke(main, [*command, "--db", sqlite_url, "--format", "json"])
        assert listed.exit_code == 0 and isinstance(json.loads(listed.stdout), list | dict)

    exported = runner.invoke(main, ["export", "--format", "analyses", "--db", sqlite_url])
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(lines) == 9 and all(line["schema"] == "dossier.analysis/1" for line in lines)
    knowledge = runner.invoke(main, ["export", "--db", sqlite_url])
    records = [json.loads(line) for line in knowledge.stdout.splitlines()]
    kinds = {r["kind"] for r in records}
    assert kinds == {"entity", "fact"}, kinds
    entities = {r["id"] for r in records if r["kind"] == "entity"}
    facts = [r for r in records if r["kind"] == "fact"]
    assert facts and all(p["entity"] in entities for f in facts for p in f["participants"])


def test_reingest_is_idempotent(runner: CliRunner, inputs: Path, sqlite_url: str) -> None:
    (inputs / "briefs.jsonl").unlink()
    assert _ingest(runner, sqlite_url, str(inputs)).exit_code == 0
    again = runner.invoke(main, ["ingest", str(inputs), "--db", sqlite_url])
    assert again.exit_code == 0
    assert "0 stored" in again.stderr and "6 unchanged" in again.stderr
    stats = json.loads(runner.invoke(main, ["stats", "--db", sqlite_url, "--format", "json"]).stdout)
    assert stats["documents"] == 6


def test_stdin_and_globs(runner: CliRunner, sqlite_url: str) -> None:
    text = (FIXTURES / "article.txt").read_text("utf-8")
    assert runner.invoke(main, ["ingest", "-", "--db", sqlite_url, "-q"], input=text).exit_code == 0
    assert _ingest(runner, sqlite_url, str(FIXTURES / "*.html")).exit_code == 0
    stats = json.loads(runner.invoke(main, ["stats", "--db", sqlite_url, "--format", "json"]).stdout)
    assert stats["documents"] == 2


def test_analyze_prints_the_contract_and_touches_no_database(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["analyze", str(FIXTURES / "threads.txt"), str(FIXTURES / "article.txt")])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 3  # two threads and one article
    for obj in objects:
        assert set(obj) >= {"schema", "document", "segments", "entities", "events", "quotes"}
        assert obj["document"]["id"].startswith("sha256:")
    assert list(tmp_path.iterdir()) == []
    table = runner.invoke(main, ["analyze", str(FIXTURES / "page.html"), "--format", "table"])
    assert table.exit_code == 0 and "Orvane" in table.stdout


def test_exit_codes_and_one_line_errors(runner: CliRunner, tmp_path: Path, sqlite_url: str) -> None:
    missing_dir_db = str(tmp_path / "nope" / "x.db")
    result = runner.invoke(main, ["stats", "--db", missing_dir_db])
    assert result.exit_code == 3
    assert result.stderr.strip().startswith("error: cannot open database") and "does not exist" in result.stderr
    assert "Traceback" not in result.output

    result = _ingest(runner, sqlite_url, str(tmp_path / "missing.txt"))
    assert result.exit_code == 1 and "missing.txt: no such file or directory" in result.stderr

    assert runner.invoke(main, ["ingest", "--db", sqlite_url]).exit_code == 2
    assert runner.invoke(main, ["ingest", "https://example.org/x", "--db", sqlite_url]).exit_code == 2
    assert runner.invoke(main, ["doc", "abcdef1234", "--db", sqlite_url]).exit_code == 4
    assert runner.invoke(main, ["events", "--since", "yesterday", "--db", sqlite_url]).exit_code == 4


def test_db_from_environment(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(main, ["ingest", str(FIXTURES / "article.txt"), "-q"], env={"DOSSIER_DB": str(db)})
    assert result.exit_code == 0 and db.exists()


def test_workers_give_the_same_store_as_one_process(runner: CliRunner, inputs: Path, tmp_path: Path) -> None:
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    _ingest(runner, one, str(inputs))
    _ingest(runner, two, str(inputs), "--workers", "2")
    export = [runner.invoke(main, ["export", "--format", "analyses", "--db", db]).stdout for db in (one, two)]
    assert export[0] == export[1] and export[0].count("\n") == 9
    knowledge = [runner.invoke(main, ["export", "--db", db]).stdout for db in (one, two)]
    assert knowledge[0] == knowledge[1] and '"kind":"fact"' in knowledge[0]


def test_demo_builds_a_store_and_prints_a_summary(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dossier.db").exists()
    assert "documents" in result.stdout and "events by type" in result.stdout and "Try next" in result.stdout
    stats = json.loads(runner.invoke(main, ["stats", "--format", "json"]).stdout)
    assert stats["documents"] >= 40
    assert runner.invoke(main, ["demo"]).exit_code == 0  # idempotent
    assert json.loads(runner.invoke(main, ["stats", "--format", "json"]).stdout)["documents"] == stats["documents"]


def test_postgres_end_to_end(runner: CliRunner, inputs: Path, pg_url: str) -> None:
    assert _ingest(runner, pg_url, str(inputs)).exit_code == 1  # the bad JSONL line
    hits = json.loads(runner.invoke(main, ["docs", "--db", pg_url, "--search", "slicing", "--format", "json"]).stdout)
    assert [h["title"] for h in hits] == ["Orvane and Kestrel Mobile sign 5G research pact"]
    assert json.loads(runner.invoke(main, ["stats", "--db", pg_url, "--format", "json"]).stdout)["documents"] == 9
