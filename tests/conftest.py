"""Shared fixtures: paths to our own fixture documents, temporary stores (SQLite and real PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).parent.parent / "examples" / "demo"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def _pg_base() -> str | None:
    return os.environ.get("DOSSIER_TEST_PG_URL")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database on the real PostgreSQL server named by DOSSIER_TEST_PG_URL (.ci/run starts one)."""
    base = _pg_base()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("DOSSIER_TEST_PG_URL is not set: CI must run the PostgreSQL tests")
        pytest.skip("DOSSIER_TEST_PG_URL not set (no PostgreSQL server)")
    import sqlalchemy as sa

    name = "dossier_test_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on a SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return str(request.getfixturevalue("pg_url"))
