"""Benchmark: throughput of analyze() alone, in words per second, on one core.

    python bench/bench_analyze.py [FILE ...]

Texts: our NLP fixtures plus, when present, the demo articles (examples/demo/articles). The first pass
runs with the tokenizer's cache cold (as on unseen text); the warm figure is the best of ten passes
(a stream of news keeps the cache warm: most tokens of the next article were seen before).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dossier.model import Document, Segment, document_id
from dossier.nlp import analyze, get_nlp

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = sorted((ROOT / "tests" / "nlp" / "fixtures").glob("*.txt")) + sorted(
    (ROOT / "examples" / "demo" / "articles").glob("*.txt")
)


def _documents(paths: list[Path]) -> list[Document]:
    documents = []
    for path in paths:
        text = path.read_text("utf-8")
        documents.append(
            Document(
                id=document_id(text),
                text=text,
                published="2023-09-04",
                segments=[Segment("body", 0, len(text))],
            )
        )
    return documents


def measure(paths: list[Path], *, passes: int = 10) -> dict[str, float]:
    """Words per second of analyze() over the files: cold first pass, and best warm pass."""
    documents = _documents(paths)
    words = sum(len(d.text.split()) for d in documents)
    get_nlp()  # building the pipeline is not part of the throughput
    started = time.process_time()
    for document in documents:
        analyze(document)
    cold = words / max(time.process_time() - started, 1e-9)
    best = float("inf")
    for _ in range(passes):
        started = time.process_time()
        for document in documents:
            analyze(document)
        best = min(best, time.process_time() - started)
    return {"words": float(words), "cold_wps": cold, "warm_wps": words / max(best, 1e-9)}


if __name__ == "__main__":
    files = [Path(p) for p in sys.argv[1:]] or DEFAULT_FILES
    result = measure(files)
    print(
        f"{len(files)} files, {result['words']:.0f} words: cold {result['cold_wps']:,.0f} words/s, "
        f"warm (best of 10) {result['warm_wps']:,.0f} words/s"
    )
