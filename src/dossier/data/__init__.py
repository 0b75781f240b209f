"""Packaged data: the actor gazetteer, cue words, furniture patterns (YAML, validated by their loaders)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser is about ten times faster than the pure-Python one; the data is the same either way.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, *, cache_name: str | None = None) -> Any:
    """Parse YAML with the safe loader (C implementation when available).

    With ``cache_name`` the parsed data is also kept as JSON in the cache folder, keyed by a hash of the
    text, and read from there next time: JSON parses about ten times faster than YAML, which matters
    for the few thousand gazetteer entries every process loads. A missing, unwritable or corrupt cache
    only means parsing the YAML again.
    """
    if cache_name is None:
        return yaml.load(text, Loader=_LOADER)
    folder = cache_dir()
    path = None
    if folder is not None:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
        path = folder / f"{cache_name}-{digest}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    data = yaml.load(text, Loader=_LOADER)
    if path is not None:
        _write_json(path, data)
        for old in path.parent.glob(f"{cache_name}-*.json"):  # earlier versions of the file
            if old != path:
                old.unlink(missing_ok=True)
    return data


def read_cache(name: str) -> Any:
    """A JSON value kept in the cache folder under ``name``, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_cache(name: str, data: Any) -> None:
    folder = cache_dir()
    if folder is not None:
        _write_json(folder / f"{name}.json", data)


def cache_dir() -> Path | None:
    from dossier import settings

    configured = str(settings.get("cache_dir") or "")
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dossier"


def _write_json(path: Path, data: Any) -> None:
    """Atomically, or not at all (a value JSON cannot hold, such as a YAML date, is simply not cached)."""
    try:
        payload = json.dumps(data, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        pass
