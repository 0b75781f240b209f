"""Component ``dossier_temporal``: date expressions in the article's text, resolvable against ``published``.

Absolute dates ("Sept. 12, 2023", "12 September 2023", "2023-09-12", "June 2023", "in 2022") and
relative ones ("last month", "on Tuesday", "in June", "next year", "the second quarter", "by the end
of the year"). Each is kept with what it fixed; :func:`resolve` turns it into ISO ``start``/``end``
(day, month or year precision) given the publication date and whether the sentence speaks of the
future ("in June" is the coming June in a plan, the last one in a report).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from dossier.nlp.resources import Resources, Values, load_resources, words_regex
from dossier.nlp.state import DateSpan, state_of

_DEADLINE = re.compile(r"(?:by|until|till|before)\s", re.IGNORECASE)
_SINCE_WORD = re.compile(r"since\s", re.IGNORECASE)
_LEADING_PREPOSITION = re.compile(r"^(?:in|on|at|during|from|of|for|the)\s+", re.IGNORECASE)
_PUBLISHED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MODIFIERS = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0}
_BY_TENSE = 2  # no modifier: the last such month in a report, the next one in a plan
_SINCE = 4  # "since June": always the past
_WINDOW = 40  # characters around an anchor that a date expression may reach
_WORDS_BEFORE = 5  # words before an anchor that a date expression may start with

Published = tuple[int, int | None, int | None]


def _ci(words: str) -> str:
    return f"(?i:{words})"


class TemporalComponent:
    def __init__(self, nlp: Language, resources: Resources) -> None:
        v: Values = resources.values
        self.values = v
        mon = words_regex(tuple(v.months), flexible_space=False)
        wd = words_regex(tuple(v.weekdays), flexible_space=False)
        ordinal = _ci(words_regex(tuple(v.ordinals), flexible_space=False))
        year_prep = _ci(words_regex(v.year_prepositions))
        suffix = r"(?:st|nd|rd|th)?"
        rel_year = _ci(r"(?:this|last|next)\s+year")
        the, of, quarter, half, year = _ci("the"), _ci("of"), _ci("quarter"), _ci("half"), _ci("year")
        md_mod = _ci("last|next|this")
        first_second = _ci("first|second")
        end_of = _ci(r"(?:by\s+|at\s+|before\s+|until\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?")
        end_rel = _ci(r"last\s+|next\s+")
        rel_mod = _ci(r"last|next|this|earlier\s+this|later\s+this|past|previous|coming")
        rel_unit = _ci("week|month|year|quarter")
        month_pre = _ci(
            r"in|since|by|until|from|early|late|mid|during|before|after|last|next|this"
            r"|(?:the\s+)?(?:end|start|beginning)\s+of"
        )
        weekday_pre = _ci(r"on|last|next|this|since|by|until|(?:late|early)\s+on")
        bare_wd = "|".join(w for w in v.weekdays if len(w) > 3 and w[:1].isupper() and w.endswith("day"))
        day_word = _ci("yesterday|today|tomorrow")
        number = _ci(words_regex(tuple(w for w in v.numbers if w not in ("a", "several")), flexible_space=False))
        period_pre = _ci(r"over|within|in|during|for|across")
        period_dir = _ci(r"next|coming|following|past|last|previous")
        period_unit = _ci(r"years?|months?|weeks?|days?")
        alternatives = [
            # "last year's Oct 7", "next year's March": the year is the publication's, moved by one
            rf"(?P<yp>(?P<yp_rel>{md_mod})\s+{year}['’]s\s+(?:(?P<yp_m>{mon})\.?\s+(?P<yp_d>\d{{1,2}}){suffix}"
            rf"|(?P<yp_d2>\d{{1,2}}){suffix}\s+(?P<yp_m2>{mon})|(?P<yp_m3>{mon}))(?![\d,.]\d))",
            r"(?P<iso>(?P<iso_y>\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2}))",
            rf"(?P<mdy>(?P<mdy_m>{mon})\.?\s+(?P<mdy_d>\d{{1,2}}){suffix},?\s+(?P<mdy_y>\d{{4}}))",
            rf"(?P<dmy>(?P<dmy_d>\d{{1,2}}){suffix}\s+(?P<dmy_m>{mon})\.?,?\s+(?P<dmy_y>\d{{4}}))",
            rf"(?P<my>(?P<my_m>{mon})\.?,?\s+(?P<my_y>(?:19|20)\d{{2}}))",
            rf"(?P<md>(?:(?P<md_mod>{md_mod})\s+)?(?P<md_m>{mon})\.?\s+(?P<md_d>\d{{1,2}}){suffix})(?![\d,.]\d)",
            rf"(?P<dm>(?P<dm_d>\d{{1,2}}){suffix}\s+(?P<dm_m>{mon}))",
            rf"(?P<q>(?:{the}\s+)?(?P<q_n>{ordinal})[\s-]+{quarter}"
            rf"(?:\s+{of}\s+(?:(?P<q_y>\d{{4}})|(?P<q_rel>{rel_year})))?)",
            r"(?P<qq>Q(?P<qq_n>[1-4])(?:\s+|/)?(?P<qq_y>\d{4})?)",
            rf"(?P<h>(?:{the}\s+)?(?P<h_n>{first_second})\s+{half}"
            rf"(?:\s+{of}\s+(?:(?P<h_y>\d{{4}})|(?P<h_rel>{rel_year})))?)",
            rf"(?P<ey>{end_of}(?:(?P<ey_rel>{end_rel})?{year}|(?P<ey_y>(?:19|20)\d{{2}})(?!\d)))",
            rf"(?P<rel>(?P<rel_mod>{rel_mod})\s+(?P<rel_unit>{rel_unit}))",
            rf"(?P<mc>(?P<mc_pre>{month_pre})(?:-|\s+)(?P<mc_m>{mon}))(?!\.?\s*\d)",
            rf"(?P<wd>(?P<wd_pre>{weekday_pre})\s+(?P<wd_d>{wd}))",
            # a weekday name on its own ("Microsoft said Monday that ..."): the full name, capitalised
            rf"(?P<wdb>(?<![\w-])(?P<wdb_d>{bare_wd})(?![\w-]))",
            rf"(?P<day>{day_word})",
            rf"(?P<per>(?P<per_pre>{period_pre})\s+(?:{the}\s+)?(?:(?P<per_dir>{period_dir})\s+)?"
            rf"(?P<per_n>\d{{1,2}}|{number})\s+(?P<per_unit>{period_unit}))",
            rf"(?P<yr>{year_prep}(?:-|\s+)(?:{the}\s+)?(?P<yr_y>(?:19|20)\d{{2}}))(?!\d)",
        ]
        # Every expression holds a four-digit year, a month or weekday name, "Q1".."Q4" or one of a few
        # words; the full pattern only runs around these anchors (it is too slow over a whole text).
        prefixes = sorted({w[:3] for w in (*v.months, *v.weekdays)})
        keywords = ("yesterday", "today", "tomorrow", "week", "month", "year", "quarter", "half")
        keywords_cased = sorted({*keywords, *(k.capitalize() for k in keywords)})
        # words a date expression may start with before its anchor ("by the end of the year")
        self.lead_words = frozenset(
            w.lower()
            for w in (
                *v.year_prepositions,
                *v.ordinals,
                *v.weekdays,
                *v.months,
                *_MODIFIERS,
                "the",
                "by",
                "at",
                "on",
                "in",
                "end",
                "start",
                "beginning",
                "earlier",
                "later",
                "first",
                "second",
                "third",
                "fourth",
                "half",
                "quarter",
                "of",
                "this",
                "late",
                "early",
                "mid",
                "over",
                "within",
                "during",
                "for",
                "across",
                "next",
                "coming",
                "following",
                "past",
                "previous",
                *v.numbers,
            )
        )
        self.anchor = re.compile(r"\b(?:\d{4}|Q[1-4]|" + "|".join(prefixes + keywords_cased) + ")")
        self.pattern = re.compile(r"(?<![\w$€£¥-])(?:" + "|".join(alternatives) + r")(?![\w%])")

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        text = state.document.text
        found: list[DateSpan] = []
        for zone_start, zone_end in state.article_zones.spans:
            pos = zone_start
            for anchor in self.anchor.finditer(text, zone_start, zone_end):
                if anchor.start() < pos:
                    continue
                m = self._around(text, pos, anchor.start(), anchor.end(), zone_end)
                if m is None:
                    continue
                span = self._parse(m)
                if span is not None:
                    found.append(span)
                pos = m.end()
        state.dates = found
        return doc

    def _around(self, text: str, pos: int, start: int, end: int, limit: int) -> re.Match[str] | None:
        """The date expression that holds the anchor text[start:end], if any.

        It can only begin at the anchor or at one of the few words before it ("by the end of the
        year"), so the pattern is matched at those word starts instead of searched for.
        """
        candidates = [start]
        gap = start - 1  # the space before the word being looked at
        lowest = max(pos, start - _WINDOW)
        for _ in range(_WORDS_BEFORE):
            if gap < lowest or text[gap] != " ":
                break
            space = text.rfind(" ", lowest, gap)
            if space < 0:
                space = lowest - 1
            word = text[space + 1 : gap]
            if not (word[:1].isdigit() or word.lower().rstrip(",.") in self.lead_words):
                break  # "Huawei's Mate" cannot open a date
            candidates.append(space + 1)
            gap = space
        high = min(limit, end + _WINDOW)
        for candidate in reversed(candidates):
            if candidate < pos:
                continue
            m = self.pattern.match(text, candidate, high)
            if m is not None and m.end() > start:
                if m.end() == high and high < limit:  # cut short by the window: match again with room
                    m = self.pattern.match(text, candidate, min(limit, high + 4 * _WINDOW)) or m
                return m
        return None

    def _parse(self, m: re.Match[str]) -> DateSpan | None:
        months, weekdays, ordinals = self.values.months, self.values.weekdays, self.values.ordinals
        g = m.group
        kind: str
        parts: tuple[int, ...]
        if g("yp"):
            offset = _relative_year(g("yp_rel"))
            month = months[g("yp_m") or g("yp_m2") or g("yp_m3")]
            day = g("yp_d") or g("yp_d2")
            kind, parts = ("year_day", (month, int(day), offset)) if day else ("year_month", (month, offset))
        elif g("iso"):
            kind, parts = "day", (int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        elif g("mdy"):
            kind, parts = "day", (int(g("mdy_y")), months[g("mdy_m")], int(g("mdy_d")))
        elif g("dmy"):
            kind, parts = "day", (int(g("dmy_y")), months[g("dmy_m")], int(g("dmy_d")))
        elif g("my"):
            kind, parts = "month", (int(g("my_y")), months[g("my_m")])
        elif g("md"):
            mod = _MODIFIERS.get((g("md_mod") or "").lower(), _BY_TENSE)
            kind, parts = "md", (months[g("md_m")], int(g("md_d")), mod)
        elif g("dm"):
            kind, parts = "md", (months[g("dm_m")], int(g("dm_d")), _BY_TENSE)
        elif g("q") or g("qq"):
            n = ordinals[g("q_n").lower()] if g("q") else int(g("qq_n"))
            year = g("q_y") or g("qq_y")
            rel = _relative_year(g("q_rel"))
            kind, parts = "quarter", (n, int(year) if year else 0, rel)
        elif g("h"):
            rel = _relative_year(g("h_rel"))
            kind, parts = "half", (1 if g("h_n").lower() == "first" else 2, int(g("h_y") or 0), rel)
        elif g("ey"):
            offset = {"last": -1, "next": 1}.get((g("ey_rel") or "").strip().lower(), 0)
            kind, parts = "endyear", (offset, int(g("ey_y") or 0))  # "the end of next year", "… of 2019"
        elif g("rel"):
            mod_text = " ".join(g("rel_mod").lower().split())
            mod = {"earlier this": -2, "later this": 2}.get(mod_text, _MODIFIERS.get(mod_text, 0))
            unit = ("week", "month", "quarter", "year").index(g("rel_unit").lower())
            kind, parts = "rel", (unit, mod)
        elif g("mc"):
            pre = g("mc_pre").lower()
            mod = _MODIFIERS.get(pre, _SINCE if pre == "since" else _BY_TENSE)
            kind, parts = "month_of", (months[g("mc_m")], mod)
        elif g("wd"):
            pre = " ".join(g("wd_pre").lower().split())
            mod = {"last": -1, "since": -1, "next": 1, "by": 1, "until": 1}.get(pre, 0)
            kind, parts = "weekday", (weekdays[g("wd_d")], mod)
        elif g("wdb"):
            kind, parts = "weekday", (weekdays[g("wdb_d")], 0)
        elif g("day"):
            kind, parts = "offset_day", ({"yesterday": -1, "today": 0, "tomorrow": 1}[g("day").lower()],)
        elif g("per"):
            n_text = g("per_n").lower()
            n = int(n_text) if n_text.isdigit() else self.values.numbers[n_text]
            unit = ("day", "week", "month", "year").index(g("per_unit").lower().rstrip("s"))
            direction = {"past": -1, "last": -1, "previous": -1}.get((g("per_dir") or "").lower(), 1)
            if g("per_dir") is None and g("per_pre").lower() in ("in", "for"):
                return None  # "in two years" is a point, "for three years" a duration of unknown start
            kind, parts = "period", (n, unit, direction)
        elif g("yr"):
            kind, parts = "year", (int(g("yr_y")),)
        else:  # pragma: no cover - every alternative is named
            return None
        start, end = m.start(), m.end()
        raw = m.group()
        stripped = _LEADING_PREPOSITION.sub("", raw)
        start += len(raw) - len(stripped)
        return DateSpan(start, end, stripped, kind, parts)


def _relative_year(text: str | None) -> int:
    if not text:
        return 9  # not given
    word = text.split()[0].lower()
    return {"last": -1, "next": 1}.get(word, 0)


def parse_published(published: str | None) -> Published | None:
    if not published:
        return None
    m = _PUBLISHED.match(published)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _infer_year(pub: Published, month: int, day: int | None, mod: int, future: bool) -> int:
    """The year of a month (and day) named without one: last/next/this, else by tense."""
    py, pm, pd = pub
    if pm is None:
        return py
    here = (pm, pd or 0) if day is not None else (pm, 0)
    there = (month, day or 0) if day is not None else (month, 0)
    if mod == -1:
        return py if there < here else py - 1
    if mod == 1:
        return py if there > here else py + 1
    if mod == 0:
        return py
    if future:
        return py if there >= here else py + 1
    return py if there <= here else py - 1


def resolve(
    span: DateSpan, published: str | None, *, future: bool = False, ongoing: bool = False
) -> tuple[str | None, str | None]:
    """ISO start and end of a date expression; (None, None) when it cannot be resolved.

    A deadline ("by 2030", "by the end of the year") is the interval from publication to the deadline;
    with ``ongoing`` (an activity, not a state), "since 2021" is the interval from then to publication.
    """
    start, end = _resolve(span, published, future=future)
    if published and end is not None and _DEADLINE.match(span.text) and published[: len(end)] <= end:
        if span.kind == "endyear":  # "by the end of the year": its last day
            end += "-31"
        return published, end
    if ongoing and published and start is not None and _SINCE_WORD.match(span.text) and start <= published[:10]:
        return start, published[:10]  # "has recruited engineers since 2021"
    return start, end


def _resolve(span: DateSpan, published: str | None, *, future: bool = False) -> tuple[str | None, str | None]:
    kind, p = span.kind, span.parts
    if kind == "day":
        iso = _day(*p)
        return iso, iso
    if kind == "month":
        return _ym(p[0], p[1]), _ym(p[0], p[1])
    if kind == "year":
        return f"{p[0]:04d}", f"{p[0]:04d}"
    pub = parse_published(published)
    if pub is None:
        return None, None
    py, pm, pd = pub
    if kind == "year_day":
        month, day, offset = p
        iso = _day(py + offset, month, day)
        return iso, iso
    if kind == "year_month":
        return _ym(py + p[1], p[0]), _ym(py + p[1], p[0])
    if kind == "md":
        month, day, mod = p
        iso = _day(_infer_year(pub, month, day, mod, future), month, day)
        return iso, iso
    if kind == "month_of":
        month, mod = p
        year = _infer_year(pub, month, None, mod, future and mod != _SINCE)
        return _ym(year, month), _ym(year, month)
    if kind == "endyear":
        year = p[1] or py + p[0]
        return _ym(year, 12), _ym(year, 12)
    if kind == "quarter" or kind == "half":
        n, year, rel = p
        span_months = 3 if kind == "quarter" else 6
        if not year:
            if rel != 9:
                year = py + rel
            elif pm is None:
                year = py
            else:
                current = (pm - 1) // span_months + 1
                year = py if (n >= current if future else n <= current) else (py + 1 if future else py - 1)
        first = (n - 1) * span_months + 1
        return _ym(year, first), _ym(year, first + span_months - 1)
    if kind == "rel":
        unit, mod = p
        if unit == 3:  # year
            if mod == -2:
                return _ym(py, 1), _ym(py, pm) if pm else f"{py:04d}"
            if mod == 2:
                return (_ym(py, pm) if pm else f"{py:04d}"), _ym(py, 12)
            return f"{py + mod:04d}", f"{py + mod:04d}"
        if pm is None:
            return None, None
        if unit == 1:  # month
            year, month = _shift_month(py, pm, mod if mod in (-1, 0, 1) else 0)
            return _ym(year, month), _ym(year, month)
        if unit == 2:  # quarter
            quarter_index = py * 4 + (pm - 1) // 3 + (mod if mod in (-1, 0, 1) else 0)
            year, q = quarter_index // 4, quarter_index % 4
            return _ym(year, q * 3 + 1), _ym(year, q * 3 + 3)
        if pd is None:
            return None, None
        today = date(py, pm, pd)
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=mod if mod in (-1, 0, 1) else 0)
        return monday.isoformat(), (monday + timedelta(days=6)).isoformat()
    if kind == "period":  # "over the next five years": from publication on; "over the past two years": up to it
        n, unit, direction = p
        if pm is None:
            return None, None
        if unit == 3 or unit == 2:
            months = n * 12 if unit == 3 else n
            year, month = _shift_month(py, pm, months * direction)
            if pd is not None:
                far = _day(year, month, min(pd, 28) if _day(year, month, pd) is None else pd)
                here = _day(py, pm, pd)
            else:
                far, here = _ym(year, month), _ym(py, pm)
        else:
            if pd is None:
                return None, None
            days = n * 7 if unit == 1 else n
            here = date(py, pm, pd).isoformat()
            far = (date(py, pm, pd) + timedelta(days=days * direction)).isoformat()
        return (here, far) if direction > 0 else (far, here)
    if pm is None or pd is None:
        return None, None
    today = date(py, pm, pd)
    if kind == "weekday":
        weekday, mod = p
        if mod == 1 or (mod == 0 and future):
            delta = (weekday - today.weekday()) % 7 or (7 if mod == 1 else 0)
            when = today + timedelta(days=delta)
        else:
            delta = (today.weekday() - weekday) % 7 or (7 if mod == -1 else 0)
            when = today - timedelta(days=delta)
        return when.isoformat(), when.isoformat()
    if kind == "offset_day":
        when = today + timedelta(days=p[0])
        return when.isoformat(), when.isoformat()
    return None, None


@Language.factory("dossier_temporal", assigns=["doc._.dossier"])
def make_temporal(nlp: Language, name: str) -> TemporalComponent:
    return TemporalComponent(nlp, load_resources())
