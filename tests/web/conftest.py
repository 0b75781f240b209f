"""The store the web tests read: the demo articles ingested once into a temporary SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.scale.runner import ingest
from dossier.store import open_store

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store of the demo articles, built once per test session and shared:
    read it only (copy it to write)."""
    path = str(tmp_path_factory.mktemp("web") / "demo.db")
    with open_store(path) as store:
        ingest([str(DEMO / "articles")], store=store)
    return path
