"""``dossier eval``: analyse the gold documents (or read analyses from a file) and score them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.eval.gold import GoldDocument, GoldError, load_gold
from dossier.eval.score import DocScore, score_document, summarise


@dataclass(slots=True)
class Report:
    splits: dict[str, dict[str, Any]]  # "dev" | "test" | "all" -> summary
    documents: list[DocScore]
    pipeline: str | None
    words: int = 0
    seconds: float = 0.0
    knowledge: dict[str, Any] = field(default_factory=dict)  # cross-document resolution and fact merging

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"pipeline": self.pipeline, "splits": self.splits}
        if self.knowledge:
            out["knowledge"] = self.knowledge
        if self.seconds:
            out["speed"] = {
                "words": self.words,
                "seconds": round(self.seconds, 3),
                "words_per_second": round(self.words / self.seconds),
            }
        if details:
            out["documents"] = [
                {
                    "gold": doc.gold.path,
                    "split": doc.gold.split,
                    "found": doc.found,
                    "entities": doc.entities.prf(),
                    "events": doc.events.prf(),
                    "quotes": doc.quotes.prf(),
                    "issues": doc.issues,
                }
                for doc in self.documents
            ]
        return out


def read_analyses(path: Path) -> list[dict[str, Any]]:
    """Analyses in the contract's JSON Lines form (``dossier analyze --format json``)."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read analyses ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise GoldError(f"{path}:{n}: not a JSON analysis ({exc})") from exc
        if not isinstance(item, dict) or not isinstance(item.get("document"), dict):
            raise GoldError(f"{path}:{n}: not an analysis object (no 'document')")
        out.append(item)
    return out


def analyse_gold_documents(
    gold: list[GoldDocument], corpus: Path, pipeline: str, progress: Callable[[str], None] | None = None
) -> tuple[dict[tuple[str, str], dict[str, Any]], int, float]:
    """Analyse every corpus file the gold names; returns analyses keyed by (file, title) and by id."""
    import time

    from dossier.eval.template import documents
    from dossier.nlp import analyze_many

    files = sorted({g.file for g in gold if g.file})
    missing = [f for f in files if not (corpus / f).is_file()]
    for name in missing:
        if progress:
            progress(f"{corpus / name}: no such document file (its gold counts as missed)")
    found = [str(corpus / f) for f in files if f not in missing]
    items = list(documents(found, corpus)) if found else []
    words = sum(len(doc.text.split()) for _, _, _, doc in items)
    started = time.perf_counter()
    analyses = [a.to_dict() for a in analyze_many([doc for _, _, _, doc in items], pipeline=pipeline)]
    seconds = time.perf_counter() - started
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for (file, _, _, doc), analysis in zip(items, analyses, strict=True):
        index[("id", doc.id)] = analysis
        index[(file, doc.title or "")] = analysis
    return index, words, seconds


def evaluate(
    gold_path: Path | str,
    *,
    corpus: Path | None = None,
    analyses: Path | None = None,
    pipeline: str = "model",
    split: str = "all",
    progress: Callable[[str], None] | None = None,
    with_knowledge: bool = True,
) -> Report:
    gold = load_gold(gold_path)
    if split != "all":
        gold = [g for g in gold if g.split == split]
        if not gold:
            raise GoldError(f"{gold_path}: no gold documents in the {split!r} split")
    words, seconds = 0, 0.0
    if analyses is not None:
        index: dict[tuple[str, str], dict[str, Any]] = {}
        for item in read_analyses(analyses):
            doc = item["document"]
            index[("id", str(doc.get("id")))] = item
            index[("title", str(doc.get("title") or ""))] = item
        used_pipeline = None
    else:
        if corpus is None:
            raise GoldError("eval needs the documents: a corpus folder or a file of analyses")
        index, words, seconds = analyse_gold_documents(gold, corpus, pipeline, progress)
        used_pipeline = pipeline
    scores = []
    for g in gold:
        analysis = (
            index.get(("id", g.id or ""))
            or index.get((g.file or "", g.title or ""))
            or index.get(("title", g.title or ""))
        )
        scores.append(score_document(g, analysis))
    splits = {
        name: summarise(s for s in scores if s.gold.split == name)
        for name in ("dev", "test")
        if any(s.gold.split == name for s in scores)
    }
    splits["all"] = summarise(scores)
    knowledge: dict[str, Any] = {}
    if with_knowledge and Path(gold_path).is_dir():
        from dossier.eval.knowledge import evaluate_knowledge

        knowledge = evaluate_knowledge(Path(gold_path), scores, index)
    return Report(
        splits=splits, documents=scores, pipeline=used_pipeline, words=words, seconds=seconds, knowledge=knowledge
    )
