"""Find and parse publication dates in header lines, datelines and metadata (fast regexes, no guessing)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class _Compiled:
    months: dict[str, int]  # lower-case name or abbreviation -> month number
    full: tuple[re.Pattern[str], ...]  # patterns for a full date
    month_year: re.Pattern[str]
    filler: re.Pattern[str]


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    """Date patterns built from the month names in data/values.yaml (shared with nlp/temporal)."""
    from importlib import resources

    from dossier.clean import patterns
    from dossier.data import parse_yaml

    values = parse_yaml(resources.files("dossier.data").joinpath("values.yaml").read_text("utf-8"))
    months = {str(name).lower(): int(number) for name, number in values["months"].items()}
    names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
    mon = rf"(?P<mon>{names})\.?"
    year = r"(?P<y>(?:19|20)\d\d)"
    full = (
        re.compile(rf"\b{year}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?:[T ][0-2]\d:[0-5]\d)?", re.I),
        re.compile(rf"\b{mon}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{year}\b", re.I),
        re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+{mon},?\s+{year}\b", re.I),
        re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{year}\b"),
        re.compile(rf"\b{year}[/.](?P<m>[01]?\d)[/.](?P<d>[0-3]?\d)\b"),
        re.compile(rf"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/{year}\b"),
    )
    month_year = re.compile(rf"\b{mon}\s+{year}\b", re.I)
    return _Compiled(months, full, month_year, patterns.load().date_line_filler)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date in ``text`` as (ISO date, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern in _compiled().full:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[1]):
            iso = _iso(match)
            if iso:
                best = (iso, match.start(), match.end())
    return best


def _iso(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    year = int(parts["y"])
    if parts.get("mon"):
        month = _compiled().months[parts["mon"].lower()]
        day = int(parts["d"])
    elif parts.get("a"):
        a, b = int(parts["a"]), int(parts["b"])
        # Day first unless that is impossible: most of the world writes 04/09/2023 for 4 September.
        day, month = (a, b) if b <= 12 else (b, a)
    else:
        month, day = int(parts["m"]), int(parts["d"])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value: str | None) -> str | None:
    """ISO ``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY``) from a metadata value, else None."""
    if not value:
        return None
    value = value.strip()
    found = find_date(value)
    if found:
        return found[0]
    compiled = _compiled()
    month_year = compiled.month_year.search(value)
    if month_year:
        return f"{int(month_year['y']):04d}-{compiled.months[month_year['mon'].lower()]:02d}"
    if re.fullmatch(r"(19|20)\d\d(-[01]\d)?", value):
        return value
    # RFC 822 and other machine formats.
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def date_line(line: str) -> str | None:
    """The ISO date when ``line`` is a date line (a date with only filler around it), else None."""
    if len(line) > 90:
        return None
    found = find_date(line)
    if not found:
        return None
    rest = line[: found[1]] + " " + line[found[2] :]
    rest = _compiled().filler.sub(" ", rest)
    words = re.findall(r"[A-Za-z]{2,}", rest)
    return found[0] if len(words) <= 1 else None
