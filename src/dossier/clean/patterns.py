"""Load and validate data/furniture.yaml once: compiled patterns for the cleaner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dossier.data import parse_yaml
from dossier.errors import DossierError


@dataclass(frozen=True, slots=True)
class Patterns:
    limits: dict[str, int]
    boilerplate: tuple[re.Pattern[str], ...]
    comment_header: tuple[re.Pattern[str], ...]
    comment_author: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]
    dateline: re.Pattern[str]
    thread_header: tuple[re.Pattern[str], ...]
    thread_separator: re.Pattern[str]
    post_number_start: re.Pattern[str]
    post_number_end: re.Pattern[str]
    post_number_loose: re.Pattern[str]
    english_words: frozenset[str]
    english_min_share: float
    date_line_filler: re.Pattern[str]
    html: dict[str, re.Pattern[str]]


_LIMITS = {
    "boilerplate_max_words", "caption_max_words", "byline_max_words", "comment_author_max_words", "header_lines",
    "paragraph_words", "title_max_words", "name_line_max_words", "kicker_max_words", "thread_header_max_chars",
    "min_document_chars",
}  # fmt: skip
_HTML = {"comment_container", "comment_item", "comment_author", "comment_body", "date_element"}


def _compile(name: str, source: str, flags: int = re.I) -> re.Pattern[str]:
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise DossierError(f"data/furniture.yaml: pattern in {name!r} does not compile ({exc}): {source}") from exc


@lru_cache(maxsize=1)
def load() -> Patterns:
    raw = parse_yaml(resources.files("dossier.data").joinpath("furniture.yaml").read_text("utf-8"))

    def many(name: str) -> tuple[re.Pattern[str], ...]:
        values = raw.get(name)
        if not isinstance(values, list) or not values:
            raise DossierError(f"data/furniture.yaml: {name!r} must be a non-empty list of patterns")
        compiled = tuple(_compile(name, v) for v in values)
        if any(p.groupindex for p in compiled):
            return compiled
        # Without named groups, one alternation searches a line once instead of once per pattern.
        return (_compile(name, "|".join(f"(?:{v})" for v in values)),)

    for pattern in many("comment_author"):
        if "author" not in pattern.groupindex:
            raise DossierError(f"data/furniture.yaml: comment_author pattern lacks (?P<author>...): {pattern.pattern}")
    limits = raw.get("limits")
    missing = sorted(_LIMITS - set(limits or {}))
    if missing:
        raise DossierError(f"data/furniture.yaml: limits lacks {', '.join(missing)}")
    html = raw.get("html") or {}
    missing = sorted(_HTML - set(html))
    if missing:
        raise DossierError(f"data/furniture.yaml: html lacks {', '.join(missing)}")
    return Patterns(
        limits={k: int(v) for k, v in limits.items()},
        boilerplate=many("boilerplate"),
        comment_header=many("comment_header"),
        comment_author=many("comment_author"),
        caption=many("caption"),
        byline=many("byline"),
        # Datelines are upper-case place names: match case-sensitively.
        dateline=_compile("dateline", raw["dateline"], 0),
        thread_header=many("thread_header"),
        thread_separator=_compile("thread_separator", raw["thread_separator"]),
        post_number_start=_compile("post_number_start", raw["post_number_start"]),
        post_number_end=_compile("post_number_end", raw["post_number_end"]),
        post_number_loose=_compile("post_number_loose", raw["post_number_loose"]),
        english_words=frozenset(str(w) for w in raw["english_function_words"]),
        english_min_share=float(raw["english_min_share"]),
        date_line_filler=_compile("date_line_filler", raw["date_line_filler"]),
        html={k: _compile(f"html.{k}", v) for k, v in html.items()},
    )
