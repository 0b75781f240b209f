"""The analysis contract on every fixture and demo document: offsets, ids, types, and no evidence from furniture."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dossier.clean import clean
from dossier.ingest import iter_raw
from dossier.model import ARTICLE_KINDS, Analysis, RawDocument
from dossier.nlp import analyze

ROOT = Path(__file__).parent.parent
INPUTS = sorted(
    [p for p in (ROOT / "tests" / "fixtures").iterdir() if p.is_file()]
    + [p for p in (ROOT / "examples" / "demo").glob("*/*") if p.is_file()]
)
ONTOLOGY = yaml.safe_load((ROOT / "src" / "dossier" / "ontology.yaml").read_text("utf-8"))


def _analyses(path: Path) -> list[Analysis]:
    return [analyze(doc) for raw in iter_raw([str(path)]) if isinstance(raw, RawDocument) for doc in clean(raw)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_contract_offsets_and_references(path: Path) -> None:
    for analysis in _analyses(path):
        data = analysis.to_dict()
        doc = data["document"]
        text = doc["text"]
        assert data["schema"] == "dossier.analysis/1"
        for seg in data["segments"]:
            assert seg["kind"] in ONTOLOGY["segment_kinds"]
            assert 0 <= seg["start"] < seg["end"] <= len(text)
        entity_ids = {e["id"] for e in data["entities"]}
        assert len(entity_ids) == len(data["entities"])
        for ent in data["entities"]:
            assert ent["type"] in ONTOLOGY["entity_types"]
            assert ent["mentions"], ent
            for m in ent["mentions"]:
                assert text[m["start"] : m["end"]] == m["text"], (path, ent["name"], m)
        article = [(s["start"], s["end"]) for s in data["segments"] if s["kind"] in ARTICLE_KINDS]
        for ev in data["events"]:
            assert ev["type"] in ONTOLOGY["event_types"]
            assert ev["status"] in ONTOLOGY["statuses"]
            assert ev["attribution"]["kind"] in ONTOLOGY["attribution_kinds"]
            evidence = ev["evidence"]
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
            assert _inside(article, evidence["start"], evidence["end"]), f"evidence outside the article: {evidence}"
            roles = ONTOLOGY["event_types"][ev["type"]]
            for p in ev["participants"]:
                assert p["role"] in roles, (ev["type"], p)
                assert p["entity"] in entity_ids
        for q in data["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]
            assert q["speaker"] is None or q["speaker"] in entity_ids
            if q["speaker_kind"] != "commenter":
                assert _inside(article, q["start"], q["end"]), f"quote outside the article: {q['text'][:60]}"
        # The JSON is the contract: it round-trips through the dataclasses unchanged.
        assert Analysis.from_dict(data).to_dict() == data


def test_analyze_is_pure_and_deterministic() -> None:
    path = ROOT / "tests" / "fixtures" / "article.txt"
    first = [a.to_dict() for a in _analyses(path)]
    second = [a.to_dict() for a in _analyses(path)]
    assert first == second
