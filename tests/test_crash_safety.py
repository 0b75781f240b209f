"""SIGKILL in the middle of an ingest, then run it again: every document is stored exactly once."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DEMO = Path(__file__).parent.parent / "examples" / "demo"


def _make_corpus(target: Path, copies: int) -> int:
    sources = sorted(p for p in (DEMO / "articles").glob("*.txt"))
    n = 0
    for k in range(copies):
        for src in sources:
            text = src.read_text("utf-8").rstrip() + f"\n\nCrash-test copy {k}.\n"
            (target / f"{k:03d}-{src.name}").write_text(text, "utf-8")
            n += 1
    return n


def _count(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db, isolation_level=None) as conn:
        conn.execute("BEGIN")  # one snapshot: the writer may commit between statements
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        distinct = conn.execute("SELECT count(DISTINCT raw_ref) FROM documents").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute(
            "SELECT count(*) FROM segments WHERE doc_id NOT IN (SELECT id FROM documents)"
        ).fetchone()
        assert orphans[0] == 0
        # One index entry per document (the docsize shadow table has a row per indexed document) ...
        fts = conn.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0]
        assert fts == docs, "search index out of step with documents"
        # ... and the index matches the documents' text.
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        conn.execute("COMMIT")
    return docs, distinct


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path, workers: int) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    total = _make_corpus(corpus, 40)
    db = tmp_path / "crash.db"
    cmd = [
        sys.executable,
        "-m",
        "dossier",
        "ingest",
        "--pipeline",
        "fast",  # this test is about storage: the rule pipeline keeps the runs short
        str(corpus),
        "--db",
        str(db),
        "--quiet",
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:  # a cheap poll; the full checks come after the kill
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue  # schema not created yet
            if stored >= 20:
                break
    assert proc.poll() is None, "ingest finished before it could be killed: make the corpus larger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial, _ = _count(db)
    assert 0 < partial < total

    rerun = subprocess.run([*cmd[:-2], "--workers", "1"], capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    docs, distinct = _count(db)
    assert docs == distinct == total
    summary = subprocess.run(cmd[:-3], capture_output=True, text=True, check=False).stderr  # not --quiet
    assert re.search(rf"0 stored .*{total} unchanged", summary.replace("\n", " ")), summary
