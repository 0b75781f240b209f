"""Every setting is documented; the public API is what __all__ says; errors carry one-line messages."""

from __future__ import annotations

from pathlib import Path

import dossier
from dossier import settings

README = Path(__file__).parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text("utf-8")
    for setting in settings.SETTINGS.values():
        assert setting.help
        assert setting.env in text, f"{setting.env} is not documented in README.md"


def test_settings_layer_env_over_default(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert settings.get("max_bytes") == 20_000_000
    monkeypatch.setenv("DOSSIER_MAX_BYTES", "123")
    assert settings.get("max_bytes") == 123
    assert settings.get("max_bytes", 7) == 7
    assert settings.db_url("some/file.db") == "sqlite:///some/file.db"


def test_public_api() -> None:
    for name in dossier.__all__:
        assert getattr(dossier, name) is not None
    assert set(dossier.__all__) == {
        "Analysis", "Document", "DossierError", "Entity", "Event", "Quote", "RawDocument", "Segment", "Store",
        "analyze", "clean", "open_store",
    }  # fmt: skip


def test_import_is_light() -> None:
    import subprocess
    import sys

    heavy = ("spacy", "sqlalchemy", "trafilatura", "rich")
    code = f"import sys, dossier.cli; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"heavy modules imported at start-up: {out}"


def test_regression_ingest_errors_survive_pickling() -> None:
    """Reader errors cross into worker processes; an unpicklable one hung the pool."""
    import pickle

    from dossier.errors import CleanError, FetchError, IngestError

    for cls in (IngestError, FetchError, CleanError):
        error = pickle.loads(pickle.dumps(cls("a.txt", "empty file; skipped")))
        assert type(error) is cls and str(error) == "a.txt: empty file; skipped" and error.ref == "a.txt"
