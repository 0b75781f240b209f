"""Property tests for normalisation: the offset map always points at the character that was there."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.clean.dates import date_line, parse_date
from dossier.clean.normalize import normalize

_ALPHABET = st.sampled_from([*list("ab ,.\n\t\r"), "\xa0", "“", "”", "’", "\u200b", "é", "  ", "&amp;"])


@given(st.lists(_ALPHABET, max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_unchanged_characters_map_to_themselves(text: str) -> None:
    norm, mapping = normalize(text)
    assert norm == norm.strip()
    assert "  " not in norm and "\r" not in norm and "\n\n\n" not in norm
    for i, ch in enumerate(norm):
        j = mapping.to_original(i)
        assert 0 <= j < len(text)
        if ch in "abé,.":
            assert text[j] == ch


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
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
