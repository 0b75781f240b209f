"""Argument checks every read function shares: limits, dates, LIKE patterns."""

from __future__ import annotations

import re

from dossier.errors import QueryError

MAX_LIMIT = 10_000
_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def limit(value: int, flag: str = "--limit") -> int:
    if value < 1:
        raise QueryError(f"{flag} must be at least 1 (got {value})")
    return min(value, MAX_LIMIT)


def iso(value: str, flag: str) -> str:
    """A date filter as given (YYYY, YYYY-MM or YYYY-MM-DD), or a QueryError naming the flag."""
    if not _ISO.fullmatch(value):
        raise QueryError(f"{flag} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def escape_like(value: str) -> str:
    """``value`` matched literally inside a LIKE pattern (with ``escape="\\\\"``)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
