"""Packaged data: the actor gazetteer, cue words, furniture patterns (YAML, validated by their loaders)."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser is about ten times faster than the pure-Python one; the data is the same either way.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Parse YAML with the safe loader (C implementation when available)."""
    return yaml.load(text, Loader=_LOADER)
