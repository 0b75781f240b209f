"""Benchmark: the statistical pipeline's speed, load time and size (issue 4 targets).

    python bench/bench_model.py [--json FILE] [--rounds N]

Everything runs on one core (BLAS limited to one thread, the process pinned to one CPU where the OS
allows). Texts: the demo corpus's cleaned documents (news-like English), repeated to about 60,000
words. Figures, each the best of ``--rounds`` passes after a warm-up pass, in one process:

* blank tokenizer: ``spacy.blank("en")`` over the texts (the reference the issue asks for);
* trained components only: ``nlp.pipe`` through the shipped model (tok2vec, tagger, morphologizer,
  lemmatizer, parser, NER), no rules;
* whole pipeline: ``analyze_many(pipeline="model")``, the default: model plus every rule component;
* rules only: ``analyze_many(pipeline="fast")``.

Load time: a fresh interpreter builds the default pipeline (``get_nlp("model")``: spaCy import, model
load, rule components and their data), median of 3; plus ``spacy.load`` of the model alone.
Size: the model folder on disk. Targets: whole pipeline >= 8,000 words/s on one core; load < 2 s;
size <= 50 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
TARGET_WORDS = 60_000


def _pin_one_core(cpu: int | None = None) -> str:
    try:
        cpu = sorted(os.sched_getaffinity(0))[-1] if cpu is None else cpu
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def _documents() -> list:
    from dossier.clean import clean
    from dossier.ingest import iter_raw
    from dossier.model import RawDocument

    corpus = ROOT / "examples" / "demo"
    docs = []
    for item in iter_raw([str(corpus / name) for name in ("articles", "pages", "threads", "feeds")]):
        if isinstance(item, RawDocument):
            docs.extend(clean(item))
    return docs


def _best(fn, rounds: int) -> float:
    fn()  # warm-up
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _load_seconds() -> dict[str, float]:
    build = (
        "import time; t = time.perf_counter(); from dossier.nlp import get_nlp; get_nlp('model'); "
        "print(time.perf_counter() - t)"
    )
    alone = (
        "import time; t = time.perf_counter(); from dossier.nlp.statistical import load_model; load_model(); "
        "print(time.perf_counter() - t)"
    )
    out = {}
    for name, code in (("default_pipeline_s", build), ("model_only_s", alone)):
        runs = [
            float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)
        ]
        out[name] = round(statistics.median(runs), 3)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: the last one)")
    parser.add_argument(
        "--compare",
        type=Path,
        action="append",
        default=[],
        help="Another trained pipeline (e.g. the base config's, without word-piece vectors) to time alongside.",
    )
    args = parser.parse_args()
    pinned = _pin_one_core(args.cpu)

    import spacy

    from dossier.nlp import analyze_many, get_nlp
    from dossier.nlp.statistical import MODEL_DIR, load_model
    from dossier.train import model_size

    base = _documents()
    base_words = sum(len(d.text.split()) for d in base)
    docs = base * max(1, round(TARGET_WORDS / base_words))
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)

    blank = spacy.blank("en")
    model = load_model()
    get_nlp("model")
    get_nlp("fast")

    results: dict[str, object] = {"documents": len(docs), "words": words, "cpu": pinned}
    timings = {
        "blank_tokenizer": _best(lambda: list(blank.pipe(texts)), args.rounds),
        "trained_components": _best(lambda: list(model.pipe(texts)), args.rounds),
        "whole_pipeline": _best(lambda: list(analyze_many(docs, pipeline="model")), args.rounds),
        "rules_only": _best(lambda: list(analyze_many(docs, pipeline="fast")), args.rounds),
    }
    for other in args.compare:
        other_nlp = load_model(other)
        timings[f"trained_components[{other.name}]"] = _best(lambda n=other_nlp: list(n.pipe(texts)), args.rounds)
    wps = {name: round(words / seconds) for name, seconds in timings.items()}
    results["words_per_second"] = wps
    results["ratio_whole_to_blank_tokenizer"] = round(wps["whole_pipeline"] / wps["blank_tokenizer"], 4)
    results["load"] = _load_seconds()
    results["model_mb"] = round(model_size(MODEL_DIR) / 1e6, 1)
    print(f"{len(docs)} documents, {words:,} words, one core ({pinned})")
    for name, value in wps.items():
        print(f"  {name:32s} {value:>9,} words/s")
    print(
        f"  whole pipeline / blank tokenizer: {results['ratio_whole_to_blank_tokenizer']:.3f} "
        f"(the tokenizer is {1 / results['ratio_whole_to_blank_tokenizer']:.0f}x faster)"
    )
    print(
        f"  load: default pipeline {results['load']['default_pipeline_s']} s, "
        f"model alone {results['load']['model_only_s']} s (median of 3 fresh processes)"
    )
    print(f"  model on disk: {results['model_mb']} MB")
    ok = wps["whole_pipeline"] >= 8000 and results["load"]["default_pipeline_s"] < 2 and results["model_mb"] <= 50
    print("targets (>= 8,000 words/s, < 2 s load, <= 50 MB):", "met" if ok else "NOT met")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
