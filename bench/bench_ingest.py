"""Benchmark: ingest + analyze + store over the demo corpus replicated to N documents (distinct ids).

Prints documents/s, words/s and peak RSS with one worker and with two, cleaning alone in MB/s,
analysis alone in words/s, and `dossier --help` start-up time. Results go in bench/README.md.

    python bench/bench_ingest.py            # 2,000+ documents
    python bench/bench_ingest.py --copies 5 # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"


def build_corpus(target: Path, copies: int) -> int:
    """Write ``copies`` variants of every demo article and page; each copy gets one distinct sentence."""
    sources = sorted(p for p in DEMO.glob("*/*") if p.suffix in (".txt", ".md", ".html"))
    sources = [p for p in sources if "threads" not in p.parts]
    count = 0
    for k in range(copies):
        folder = target / f"copy{k:03d}"
        folder.mkdir(parents=True)
        marker = f"This is benchmark edition number {k} of the story.".encode()
        for src in sources:
            data = src.read_bytes()
            if src.suffix == ".html":
                # Into the first long paragraph of the article: not a menu or a cookie banner.
                data = re.sub(rb"(<p\b[^>]*>)(?=(?![^<]*[Cc]ookie)[^<]{150,})", rb"\1" + marker + b" ", data, count=1)
            else:
                data = data.rstrip() + b"\n\n" + marker + b"\n"
            (folder / src.name).write_bytes(data)
            count += 1
    return count


class RssSampler:
    """Samples the summed RSS of a process and its descendants from /proc.

    Every 200 ms for the known processes, with a walk of /proc for new children once a second: the
    sampler shares the two cores with the run it measures, so it must cost next to nothing.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_total = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        pids = [self.pid]
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as handle:
                        ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        i = 0
        while i < len(pids):
            pids.extend(children.get(pids[i], []))
            i += 1
        return pids

    def _run(self) -> None:
        tick = 0
        pids = [self.pid]
        while not self._stop.is_set():
            if tick % 5 == 0:
                pids = self._tree()
            tick += 1
            sizes = []
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/status") as handle:
                        for line in handle:
                            if line.startswith("VmRSS:"):
                                sizes.append(int(line.split()[1]) * 1024)
                except OSError:
                    pass
            if sizes:
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes))
            self._stop.wait(0.2)


def dossier_cmd() -> list[str]:
    return [sys.executable, "-m", "dossier"]


PIPELINE = "model"


def run_ingest(corpus: Path, db: Path, workers: int) -> dict[str, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            *dossier_cmd(),
            "ingest",
            str(corpus),
            "--db",
            str(db),
            "--workers",
            str(workers),
            "--quiet",
            "--pipeline",
            PIPELINE,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    with RssSampler(proc.pid) as rss:
        _, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {err[-2000:]}")
    stats = json.loads(
        subprocess.run(
            [*dossier_cmd(), "stats", "--db", str(db), "--format", "json"], capture_output=True, text=True, check=True
        ).stdout
    )
    return {
        "documents": stats["documents"],
        "words": stats["words"],
        "seconds": seconds,
        "docs_per_s": stats["documents"] / seconds,
        "words_per_s": stats["words"] / seconds,
        "peak_rss_total_mb": rss.peak_total / 1e6,
        "peak_rss_process_mb": rss.peak_single / 1e6,
    }


def bench_cleaning(corpus: Path) -> dict[str, float]:
    """Cleaning alone (decode, normalise, label), per format, in MB of output text per second, one core."""
    from dossier.clean import clean
    from dossier.ingest import iter_raw
    from dossier.model import RawDocument

    out: dict[str, float] = {}
    raws = [r for r in iter_raw([str(corpus)]) if isinstance(r, RawDocument)]
    for fmt in ("text", "html"):
        items = [r for r in raws if r.format == fmt]
        for r in items[:5]:
            clean(r)  # warm-up: lazy imports, compiled patterns
        started = time.perf_counter()
        chars = sum(len(d.text.encode("utf-8")) for r in items for d in clean(r))
        seconds = time.perf_counter() - started
        out[f"clean_{fmt}_mb_per_s"] = chars / 1e6 / seconds
        out[f"clean_{fmt}_docs"] = len(items)
    return out


def bench_analyze(corpus: Path) -> dict[str, float]:
    from dossier.clean import clean
    from dossier.ingest import iter_raw
    from dossier.model import RawDocument
    from dossier.nlp import analyze

    docs = [d for r in iter_raw([str(corpus)]) if isinstance(r, RawDocument) for d in clean(r)]
    analyze(docs[0], pipeline=PIPELINE)
    started = time.perf_counter()
    for d in docs:
        analyze(d, pipeline=PIPELINE)
    seconds = time.perf_counter() - started
    words = sum(len(d.text.split()) for d in docs)
    return {"analyze_words_per_s": words / seconds, "analyze_docs": len(docs)}


def bench_help(runs: int = 15) -> dict[str, float]:
    script = shutil.which("dossier", path=str(Path(sys.executable).parent)) or shutil.which("dossier")
    cmd = [script, "--help"] if script else [*dossier_cmd(), "--help"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return {"help_median_s": statistics.median(times), "help_max_s": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=56, help="copies of the demo articles and pages (56 → 2,016)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--pipeline", default="model", choices=["model", "fast"], help="NLP pipeline (default: model)")
    args = parser.parse_args()
    global PIPELINE
    PIPELINE = args.pipeline

    results: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "pipeline": PIPELINE,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        results["input_files"] = build_corpus(corpus, args.copies)
        results.update(bench_help())
        results.update(bench_cleaning(corpus))
        one = run_ingest(corpus, Path(tmp) / "one.db", 1)
        two = run_ingest(corpus, Path(tmp) / "two.db", 2)
        results["ingest_1_worker"] = one
        results["ingest_2_workers"] = two
        results["speedup_2_vs_1"] = two["words_per_s"] / one["words_per_s"]
        small = Path(tmp) / "small"
        build_corpus(small, 2)
        results.update(bench_analyze(small))

    print(f"machine: {results['machine']}")
    print(f"input files: {results['input_files']}")
    print(f"dossier --help: median {results['help_median_s']:.3f} s, max {results['help_max_s']:.3f} s")
    print(f"cleaning, text: {results['clean_text_mb_per_s']:.2f} MB/s  html: {results['clean_html_mb_per_s']:.2f} MB/s")
    print(f"analysis alone: {results['analyze_words_per_s']:,.0f} words/s")
    for label, r in (("1 worker ", one), ("2 workers", two)):
        print(
            f"ingest {label}: {r['documents']} docs in {r['seconds']:.1f} s · {r['docs_per_s']:.1f} docs/s · "
            f"{r['words_per_s']:,.0f} words/s · peak RSS {r['peak_rss_total_mb']:.0f} MB total, "
            f"{r['peak_rss_process_mb']:.0f} MB largest process"
        )
    print(f"speed-up with 2 workers: {results['speedup_2_vs_1']:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
