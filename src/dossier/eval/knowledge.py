"""Scoring knowledge across documents: entity resolution and fact merging against hand-made gold clusters.

The gold (examples/gold/clusters.yaml, facts.yaml) says which gold entities, and which gold events, of
different documents are one real-world thing. Extraction errors are scored elsewhere; here only what the
extractor found counts: every gold entity (event) matched to a predicted one in its document takes the
predicted one's canonical entity (fact). Scores are pairwise: of the pairs put together, how many the gold
puts together (precision), and of the pairs the gold puts together, how many were put together (recall).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dossier.data import parse_yaml
from dossier.eval.gold import GoldError
from dossier.eval.score import DocScore

CLUSTERS = "clusters.yaml"
FACTS = "facts.yaml"


def _read_groups(path: Path, key: str, schema: str) -> dict[str, str]:
    """member reference (STEM#id) -> group id, from a gold clusters or facts file."""
    import yaml

    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(f"{path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise GoldError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from exc
    if not isinstance(data, dict) or data.get("schema") != schema:
        raise GoldError(f"{path}: not a {schema} file")
    out: dict[str, str] = {}
    for n, group in enumerate(data.get(key) or []):
        gid = str(group.get("id") or f"#{n}")
        for member in group.get("members") or []:
            if member in out:
                raise GoldError(f"{path}: {member} is in both {out[member]} and {gid}")
            out[str(member)] = gid
    return out


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _scores(tp: int, pp: int, gp: int) -> dict[str, float | int]:
    precision = tp / pp if pp else 1.0
    recall = tp / gp if gp else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
        "pairs_predicted": pp, "pairs_gold": gp, "pairs_right": tp,
    }  # fmt: skip


def _pair_counts(items: Sequence[tuple[str, ...]]) -> tuple[int, int, int]:
    """Pairs put together by both labels, by the first (predicted), by the second (gold)."""
    tp = sum(_pairs(n) for n in Counter(x[:2] for x in items).values())
    pp = sum(_pairs(n) for n in Counter(x[0] for x in items).values())
    gp = sum(_pairs(n) for n in Counter(x[1] for x in items).values())
    return tp, pp, gp


def pairwise(items: Iterable[tuple[str, str]]) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 of (predicted cluster, gold cluster) labels, one per item."""
    items = list(items)
    return {**_scores(*_pair_counts(items)), "items": len(items)}


def different_names(items: Iterable[tuple[str, str, str]]) -> dict[str, float | int]:
    """Pairwise scores over the pairs whose two names differ ((predicted, gold, name) per item): the pairs
    that take more than matching a name."""
    items = list(items)
    tp, pp, gp = _pair_counts(items)
    same_tp, same_pp, same_gp = _pair_counts([(f"{p}|{name}", f"{g}|{name}") for p, g, name in items])
    return _scores(tp - same_tp, pp - same_pp, gp - same_gp)


def evaluate_knowledge(
    gold_dir: Path, scores: list[DocScore], index: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, Any]:
    """Build a store from the analyses of the scored documents, update its knowledge, and score entity
    resolution and fact merging against the gold clusters beside the gold documents."""
    from dossier.knowledge import update
    from dossier.model import Analysis
    from dossier.store import normalise_name, open_store
    from dossier.store import schema as t

    clusters_file = gold_dir / CLUSTERS
    facts_file = gold_dir / FACTS
    if not clusters_file.is_file() and not facts_file.is_file():
        return {}
    entity_gold = (
        _read_groups(clusters_file, "clusters", "dossier.gold-clusters/1") if clusters_file.is_file() else None
    )
    fact_gold = _read_groups(facts_file, "facts", "dossier.gold-facts/1") if facts_file.is_file() else None
    found: list[tuple[DocScore, dict[str, Any]]] = []
    for s in scores:
        g = s.gold
        analysis = index.get(("id", g.id or "")) or index.get((g.file or "", g.title or ""))
        if analysis is not None:
            found.append((s, analysis))
    from sqlalchemy import select

    with tempfile.TemporaryDirectory(prefix="dossier-eval-") as tmp, open_store(str(Path(tmp) / "eval.db")) as store:
        for _, analysis in found:
            store.write(Analysis.from_dict(analysis))
        update(store)
        with store.engine.connect() as conn:
            names = {
                (d, local): n
                for d, local, n in conn.execute(
                    select(t.doc_entities.c.doc_id, t.doc_entities.c.local_id, t.doc_entities.c.name)
                )
            }
            canon = {
                (d, local): c
                for d, local, c in conn.execute(
                    select(t.doc_entities.c.doc_id, t.doc_entities.c.local_id, t.units.c.canonical_id).join(
                        t.units, t.units.c.id == t.doc_entities.c.unit_id
                    )
                )
            }
            fact_of = {
                (d, e): f
                for d, e, f in conn.execute(
                    select(t.event_nodes.c.doc_id, t.event_nodes.c.event_id, t.event_nodes.c.fact_id)
                )
            }
            corroboration = dict(conn.execute(select(t.facts.c.id, t.facts.c.corroboration)).all())
    out: dict[str, Any] = {}
    for split in ("dev", "test", "all"):
        ents, evs, named = [], [], []
        for s, analysis in found:
            if split != "all" and s.gold.split != split:
                continue
            stem = Path(s.gold.path.split(":")[0]).stem
            doc_id = analysis["document"]["id"]
            for gid, pid in s.entity_align.items():
                key = f"{stem}#{gid}"
                if entity_gold is not None and (doc_id, pid) in canon:
                    ents.append((canon[(doc_id, pid)], entity_gold.get(key, key)))
                    named.append((*ents[-1], normalise_name(names.get((doc_id, pid), ""))))
            for gid, pid in s.event_align.items():
                key = f"{stem}#{gid}"
                if fact_gold is not None and (doc_id, pid) in fact_of:
                    evs.append((str(fact_of[(doc_id, pid)]), fact_gold.get(key, key)))
        if split != "all" and not ents and not evs:
            continue
        out[split] = {}
        if entity_gold is not None:
            out[split]["resolution"] = pairwise(ents)
            out[split]["resolution_different_names"] = different_names(named)
        if fact_gold is not None:
            out[split]["facts"] = pairwise(evs)
    out["facts_in_store"] = len(corroboration)
    out["facts_with_two_or_more_sources"] = sum(1 for v in corroboration.values() if v >= 2)
    return out
