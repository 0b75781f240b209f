"""Every setting once: name, default, help. Environment variables DOSSIER_<NAME> and CLI flags layer on top."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from dossier.errors import SettingsError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    type: type = str

    @property
    def env(self) -> str:
        return "DOSSIER_" + self.name.upper()


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("db", "sqlite:///dossier.db", "Database: a SQLAlchemy URL or a path to a SQLite file."),
        Setting("max_bytes", 20_000_000, "Largest input file (bytes) read; larger inputs are skipped.", int),
        Setting(
            "max_decompressed",
            100_000_000,
            "Largest size (bytes) a gzip input may decompress to; guards against gzip bombs.",
            int,
        ),
        Setting("fetch_timeout", 20.0, "Seconds before a --fetch download gives up.", float),
        Setting("fetch_max_bytes", 10_000_000, "Largest body (bytes) --fetch downloads.", int),
        Setting(
            "user_agent",
            "Dossier/0.1 (news analysis research tool; +https://github.com/dossier-news/dossier)",
            "User-Agent header sent by --fetch.",
        ),
        Setting("workers", 1, "Worker processes for ingest.", int),
        Setting(
            "cache_dir",
            "",
            "Folder for parsed data files that speed up loading (default: $XDG_CACHE_HOME/dossier or"
            " ~/.cache/dossier; 'off' disables it).",
        ),
        Setting(
            "pipeline",
            "model",
            "NLP pipeline: model (trained tagger, parser and NER plus the rules) or fast (rules only).",
        ),
    ]
}


def get(name: str, override: Any = None) -> Any:
    """The value of a setting: an explicit override, else DOSSIER_<NAME>, else the default."""
    setting = SETTINGS[name]
    if override is not None:
        return override
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    try:
        return setting.type(raw)
    except ValueError as exc:
        raise SettingsError(f"{setting.env}={raw!r} is not a valid {setting.type.__name__}") from exc


def db_url(value: str | None = None) -> str:
    """Turn the db setting into a SQLAlchemy URL: a bare path means a SQLite file."""
    raw = str(get("db", value))
    if "://" in raw:
        return raw
    return "sqlite:///" + raw
