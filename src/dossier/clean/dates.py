"""Find and parse publication dates in header lines, datelines and metadata (fast regexes, no guessing)."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?:[T ][0-2]\d:[0-5]\d)?", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[/.](?P<m>[01]?\d)[/.](?P<d>[0-3]?\d)\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d)\b"),
]
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<y>(?:19|20)\d\d)\b", re.I)

# Words that may stand beside a date on a date line without making it a sentence.
_FILLER = re.compile(
    r"\b(published|updated|posted|last|modified|date|on|at|am|pm|a\.m\.|p\.m\.|[ecmp][sd]?t|utc|gmt|bst|cet|cest|"
    r"msk|jst|kst|hkt|sgt|ist|et|pt|mon(day)?|tue(s(day)?)?|wed(nesday)?|thu(rs(day)?)?|fri(day)?|sat(urday)?|"
    r"sun(day)?|first|originally|time|z|\d{1,2}[:.]\d\d(:\d\d)?|\d{1,2}\s?(am|pm)|\+\d{2}:?\d{2})\b",
    re.I,
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date in ``text`` as (ISO date, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern in _PATTERNS:
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
        month = MONTHS[parts["mon"].lower()[:3]]
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
    month_year = _MONTH_YEAR.search(value)
    if month_year:
        return f"{int(month_year['y']):04d}-{MONTHS[month_year['mon'].lower()[:3]]:02d}"
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
    rest = _FILLER.sub(" ", rest)
    words = re.findall(r"[A-Za-z]{2,}", rest)
    return found[0] if len(words) <= 1 else None
