"""The load-time caches: parsed data files and pattern token lists give exactly what the slow path gives."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from dossier.data import parse_yaml
from dossier.nlp import state

PHRASES = ["Taiwan Semiconductor Manufacturing Co", "5G", "ASML Holding", "U.S.", "@nvidia", "Côte d'Ivoire",
           "People's Bank of China", "Nvidia H100", "e-CNY", "Rosatom State Nuclear Energy Corporation"]  # fmt: skip
TEXT = (
    "taiwan semiconductor manufacturing co and ASML Holding met U.S. officials; @NVIDIA replied. "
    "The People's Bank of China tested the e-CNY in Côte d'Ivoire with an Nvidia H100 cluster. "
    "Sinowave sells 4G and 5G-ready base stations; 5G is next."
)


@pytest.mark.parametrize("attr", ["ORTH", "LOWER"])
def test_light_pattern_docs_match_like_pipeline_docs(attr: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path))
    state._PATTERN_MAKERS.clear()
    nlp = spacy.blank("en")
    fast, slow = PhraseMatcher(nlp.vocab, attr=attr), PhraseMatcher(nlp.vocab, attr=attr)
    for n, phrase in enumerate(PHRASES):
        fast.add(str(n), state.patterns(nlp, [phrase]))
        slow.add(str(n), [nlp.make_doc(phrase)])
    state.save_patterns()
    doc = nlp(TEXT)
    found, expected = set(fast(doc)), set(slow(doc))
    assert expected <= found and len(expected) >= 5
    # the whitespace form adds what the tokens alone miss: "5G" inside "5G-ready" is one token
    assert {doc[s:e].text for _, s, e in found - expected} == {"5G"}
    # a second process reads the token lists from the cache and builds the same patterns
    state._PATTERN_MAKERS.clear()
    again = PhraseMatcher(nlp.vocab, attr=attr)
    for n, phrase in enumerate(PHRASES):
        again.add(str(n), state.patterns(nlp, [phrase]))
    assert set(again(doc)) == found
    assert list(tmp_path.glob("patterns-*.json"))


def test_parse_cache_is_used_and_survives_corruption(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path))
    text = "a: [1, 2]\nb: {c: text}\n"
    assert parse_yaml(text, cache_name="sample") == {"a": [1, 2], "b": {"c": "text"}}
    (cached,) = tmp_path.glob("sample-*.json")
    assert json.loads(cached.read_text()) == {"a": [1, 2], "b": {"c": "text"}}
    cached.write_text("{not json", encoding="utf-8")
    assert parse_yaml(text, cache_name="sample") == {"a": [1, 2], "b": {"c": "text"}}
    assert parse_yaml("a: 2\n", cache_name="sample") == {"a": 2}
    assert len(list(tmp_path.glob("sample-*.json"))) == 1  # the earlier version is pruned


def test_cache_can_be_turned_off(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DOSSIER_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert parse_yaml("a: 1\n", cache_name="sample") == {"a": 1}
    assert not any(tmp_path.rglob("*.json"))
