"""Knowledge at scale: a store of N documents, then adding 100 more (resolution, copies, facts), then
`dossier show` latency.

The documents are the demo corpus's own analyses, replicated: each copy gets a new id, a publication date
moved by whole months (over three years) and its events' dates moved with it, a body whose every fourth
word is replaced (so copies are not syndicated copies of one another), and new names for the entities that
appear in fewer than five demo documents, drawn from a pool that grows with the store (new companies and
people keep appearing; China and Huawei stay themselves). Events keep their participants, so busy pairs
(the United States and China) grow with the store as they would in real news.

    python bench/bench_knowledge.py                 # 20,000 documents + 100
    python bench/bench_knowledge.py --docs 2000     # a quick run
    python bench/bench_knowledge.py --json bench/results-knowledge-DATE.json
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def base_analyses() -> list[dict[str, Any]]:
    """The demo corpus analysed once (the default pipeline), as contract dicts."""
    from dossier import query
    from dossier.scale.runner import ingest
    from dossier.store import open_store

    demo = ROOT / "examples" / "demo"
    folders = [str(demo / f) for f in ("articles", "pages", "threads", "feeds", "heldout") if (demo / f).is_dir()]
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "base.db")) as store:
        ingest(folders, store=store, knowledge=False)
        return list(query.export_analyses(store))


def synthetic(base: list[dict[str, Any]], n: int, *, start: int = 0, after: bool = False) -> list[dict[str, Any]]:
    """``n`` copies, from copy number ``start``; ``after``: published after every copy before them (new news),
    rather than within the three years they span (a backfill)."""
    docs_per_name = Counter(e["name"] for a in base for e in {x["name"]: x for x in a["entities"]}.values())
    rng = random.Random(7)
    vocab = sorted({w for a in base for w in a["document"]["text"].split() if w.isalpha()})
    out = []
    for i in range(start, start + n):
        a = copy.deepcopy(base[i % len(base)])
        doc = a["document"]
        words = doc["text"].split(" ")
        rng.seed(i)
        for k in range(0, len(words), 4):
            words[k] = rng.choice(vocab)
        doc["text"] = " ".join(words)[: len(doc["text"])].ljust(len(doc["text"]))
        doc["id"] = "sha256:" + hashlib.sha256(f"bench-{i}".encode()).hexdigest()
        doc["url"] = f"https://bench.example/{i}"
        shift = (i // len(base)) % 36
        if after:
            shift = 36 + _span_months(base)
        if doc.get("published"):
            doc["published"] = _later(doc["published"], shift)
        for ev in a["events"]:
            if ev.get("date"):
                for k in ("start", "end"):
                    if ev["date"].get(k):
                        ev["date"][k] = _later(ev["date"][k], shift)
        pool = max(50, i // 4)  # the number of distinct names grows with the store
        for e in a["entities"]:
            if docs_per_name[e["name"]] < 5:
                key = f"{e['name']}-{i % pool}"
                suffix = " " + hashlib.sha1(key.encode()).hexdigest()[:5]
                e["name"] += suffix
                e["aliases"] = [x + suffix for x in e.get("aliases", [])]
                e["kb"] = {}
        out.append(a)
    return out


def _span_months(base: list[dict[str, Any]]) -> int:
    months = [int(d[:4]) * 12 + int(d[5:7]) for a in base if len(d := a["document"].get("published") or "") >= 7]
    return max(months) - min(months) + 1 if months else 0


def _later(date: str, months: int) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD...) moved ``months`` later; a bare year moves by whole years."""
    if len(date) < 7:
        return f"{int(date[:4]) + months // 12:04d}" + date[4:]
    total = int(date[:4]) * 12 + int(date[5:7]) - 1 + months
    day = date[7:]
    if day[:1] == "-" and day[1:3].isdigit() and int(day[1:3]) > 28:
        day = "-28" + day[3:]
    return f"{total // 12:04d}-{total % 12 + 1:02d}" + day


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--shows", type=int, default=200)
    parser.add_argument("--db", help="keep the store here (a SQLite path); default: a temporary file")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="--db already holds the --docs documents and their knowledge: measure"
        " only the additions and `show` (a copy of a store built by an earlier run)",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    from dossier import query
    from dossier.knowledge import update
    from dossier.model import Analysis
    from dossier.store import open_store, prepare

    t0 = time.perf_counter()
    base = base_analyses()
    print(f"demo corpus analysed: {len(base)} documents in {time.perf_counter() - t0:.1f} s", flush=True)
    tmp = tempfile.TemporaryDirectory()
    path = args.db or str(Path(tmp.name) / "bench.db")
    figures: dict[str, Any] = {"documents": args.docs, "added": args.add}
    if args.reuse and not (args.db and Path(args.db).is_file()):
        parser.error("--reuse needs --db naming an existing store")
    with open_store(path) as store:
        if not args.reuse:
            t0 = time.perf_counter()
            for a in synthetic(base, args.docs):
                store.write(prepare(Analysis.from_dict(a)))
            figures["write_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"{args.docs} documents written in {figures['write_seconds']} s", flush=True)
            t0 = time.perf_counter()
            report = update(store)
            figures["build_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"knowledge built from scratch in {figures['build_seconds']} s: {report.summary()}", flush=True)
        figures["reused_store"] = args.reuse
        stats = {
            "documents_stored": _count(store, "documents"),
            "canonical_entities": _count(store, "canonical"),
            "facts": _count(store, "facts"),
            "event_classes": _count(store, "event_classes"),
            "class_links": _count(store, "class_links"),
            "judgements": _count(store, "judgements"),
        }
        figures.update(stats)
        print(stats, flush=True)
        for label, after in (("add", True), ("backfill", False)):
            for a in synthetic(base, args.add, start=args.docs + (args.add if label == "backfill" else 0), after=after):
                store.write(prepare(Analysis.from_dict(a)))
            t0 = time.perf_counter()
            report = update(store)
            figures[f"{label}_seconds"] = round(time.perf_counter() - t0, 2)
            what = "published after the store's" if after else "a backfill, published within the store's years"
            print(f"adding {args.add} documents ({what}): resolution and facts in {figures[f'{label}_seconds']} s "
                  f"(target < 10 s): {report.summary()}", flush=True)  # fmt: skip
        names = [e["name"] for e in query.entities(store, limit=50)]
        rng = random.Random(1)
        names += [e["name"] for e in rng.sample(query.entities(store, limit=5000), min(args.shows - 50, 150))]
        times = []
        for name in names:
            t0 = time.perf_counter()
            query.show(store, name)
            times.append(time.perf_counter() - t0)
        busiest = max(times[:50])  # the 50 most documented, before sorting
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        figures["show_ms"] = {
            "n": len(times), "median": round(statistics.median(times) * 1000, 1), "p95": round(p95 * 1000, 1),
            "max": round(times[-1] * 1000, 1), "busiest": round(busiest * 1000, 1),
        }  # fmt: skip
        print(f"dossier show over {len(times)} entities (the 50 most documented and {len(times) - 50} at random): "
              f"median {figures['show_ms']['median']} ms, p95 {figures['show_ms']['p95']} ms (target < 200 ms), "
              f"max {figures['show_ms']['max']} ms", flush=True)  # fmt: skip
    figures["peak_rss_mb"] = round(rss_mb())
    print(f"peak RSS {figures['peak_rss_mb']} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    tmp.cleanup()
    return 0


def _count(store: Any, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)


if __name__ == "__main__":
    sys.exit(main())
