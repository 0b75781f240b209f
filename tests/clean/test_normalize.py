"""Property tests for normalisation: the offset map always points at the character that was there."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.clean.dates import date_line, parse_date
from dossier.clean.normalize import normalize

_PIECES = ["\xa0", "“", "”", "’", "\u200b", "é", "  ", "\u2003", "&amp;", "&nbsp;", "&#13;", "amp;", "Ã©"]
_ALPHABET = st.sampled_from([*list("ab ,.\n\t\r'&;"), *_PIECES])


@given(st.lists(_ALPHABET, max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_unchanged_characters_map_to_themselves(text: str) -> None:
    norm, mapping = normalize(text)
    assert norm == norm.strip()
    assert "  " not in norm and "\r" not in norm and "\n\n\n" not in norm
    for i, ch in enumerate(norm):
        j = mapping.to_original(i)
        # A character a repair inserted maps to a boundary of the original text, possibly its very end.
        assert 0 <= j <= len(text)
        if ch in "ab,.":  # characters no repair produces (é may come from mojibake)
            assert text[j] == ch


@given(st.one_of(st.text(max_size=200), st.lists(_ALPHABET, max_size=60).map("".join)))
@settings(max_examples=600, deadline=None)
def test_normalize_is_idempotent(text: str) -> None:
    once, _ = normalize(text)
    twice, _ = normalize(once)
    assert twice == once


def test_dates() -> None:
    assert date_line("Published: 2023-09-01 08:15 UTC") == "2023-09-01"
    assert date_line("Updated Sept. 4, 2023 at 10:32 a.m. ET") == "2023-09-04"
    assert date_line("Mon 4 Sep 2023 07.30 BST") == "2023-09-04"
    assert date_line("04.09.2023") == "2023-09-04"
    assert date_line("The deal was signed on 4 September 2023 in Veldhoven by both firms") is None
    assert parse_date("Tue, 09 Apr 2024 08:00:00 GMT") == "2024-04-09"
    assert parse_date("2024-03") == "2024-03"
    assert parse_date("not a date") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u2019\u2019", "''"),  # two apostrophes are not a double quote
        ("&nbsp;a", "a"),  # an entity for a blank is a blank
        ("&amp;amp;", "&"),  # escaped twice
        ("&amp;\u200bamp;", "&"),  # removing a zero-width character joins an entity
        ("a\n\n&#13; a", "a\n\na"),  # a decoded line break inside a paragraph break
        ("Caf&eacute; PÃ©ter", "Café Péter"),
    ],
)
def test_regression_repairs_are_idempotent(text: str, expected: str) -> None:
    once, _ = normalize(text)
    assert once == expected
    assert normalize(once)[0] == once


def test_regression_carriage_return_then_tab_is_one_line_break() -> None:
    assert normalize("0\r\t0")[0] == "0\n0"
    assert normalize("a\r\n  b\r\n\r\n\r\nc")[0] == "a\nb\n\nc"
