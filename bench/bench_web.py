"""`dossier serve` over a large store: page and API latency, and entity-detail throughput, over real HTTP.

The real server (`python -m dossier serve`) runs as a subprocess on a free loopback port; this process is the
client and issues only GETs (an existing store is not changed). Measured, client-side:

- latency, one request at a time over a keep-alive httpx client after a short warm-up: entity pages for the
  50 most documented entities and 150 at random, fact pages for 200 random facts, about 100 searches (entity
  names and common words of the store's texts, two in five narrowed by a year, an outlet or an event type),
  document pages for 50 random documents; each through its HTML route (/entity/ID, /fact/ID, /search?q=,
  /doc/ID) and its JSON route (/api/...) in alternating order: median, p95, max (ms) and status codes. A page
  route answering 404 is skipped ("page routes not available: 404");
- throughput of /api/entities/ID over those 200 entities from an asyncio load generator on raw streams (cheap
  on CPU, so it does not starve the server on two cores), --concurrency keep-alive connections, stopped after
  --requests or --seconds, whichever comes first: requests/s, errors, p50/p95 under load, CPU seconds of the
  server and of the generator; then the server's peak RSS (VmHWM).

The server caches answers to GET requests until the store changes (`--cache-mb`, default 64): with it, the
load phase, which cycles over the 200 entities, is served mostly from the cache after the first round. Run
with `--cache-mb 0` for every request computed (the latency figures to quote; the warm-up requests would
otherwise be cache hits).

Targets (issue 7, 20,000 documents): entity and fact pages p95 < 100 ms, search p95 < 150 ms, entity detail
>= 300 requests/s on two cores.

    python bench/bench_web.py --db /tmp/store-20k.db     # a store bench_knowledge.py built
    python bench/bench_web.py --db new.db --docs 2000    # build a 2,000-document store first
    python bench/bench_web.py --db … --json bench/results-web-DATE.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

TARGETS_MS = {"entity": 100.0, "fact": 100.0, "search": 150.0}
TARGET_RPS = 300.0
PAGE = {"entity": "/entity/{}", "fact": "/fact/{}", "search": "/search?{}", "doc": "/doc/{}"}
API = {"entity": "/api/entities/{}", "fact": "/api/facts/{}", "search": "/api/search?{}", "doc": "/api/documents/{}"}


def url(template: str, item: str) -> str:
    """The route for one item: an id quoted into the path, or a search's query string as it is."""
    return template.format(item if "?" in template else quote(item, safe=""))


def build_store(path: str, docs: int) -> None:
    """A store of ``docs`` documents and its knowledge, as bench_knowledge.py builds it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_knowledge as bk

    from dossier.knowledge import update
    from dossier.model import Analysis
    from dossier.store import open_store, prepare

    t0 = time.perf_counter()
    base = bk.base_analyses()
    with open_store(path) as store:
        for a in bk.synthetic(base, docs):
            store.write(prepare(Analysis.from_dict(a)))
        print(f"{docs} documents written in {time.perf_counter() - t0:.1f} s", flush=True)
        report = update(store)
    print(f"store built in {time.perf_counter() - t0:.1f} s: {report.summary()}", flush=True)


def sample_store(path: str, rng: random.Random) -> tuple[dict[str, list[str]], dict[str, int]]:
    """What to request, drawn from the store (read-only): ids per kind and search queries; and counts."""
    from dossier.store import HEAD_REVISION

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ranked = [r[0] for r in conn.execute("SELECT id FROM canonical ORDER BY documents DESC, id")]
        names = dict(conn.execute("SELECT id, name FROM canonical").fetchall())
        facts = [r[0] for r in conn.execute("SELECT id FROM facts ORDER BY id")]
        rowids = [r[0] for r in conn.execute("SELECT rowid FROM documents ORDER BY rowid")]
        picked = rng.sample(rowids, min(100, len(rowids)))
        marks = ",".join("?" * len(picked))
        rows = conn.execute(f"SELECT id, text, published, source FROM documents WHERE rowid IN ({marks})", picked)
        doc_ids, words, facets = [], Counter[str](), []
        for doc_id, text, published, source in sorted(rows):
            doc_ids.append(doc_id)
            words.update(w.lower() for w in text.split() if w.isalpha() and len(w) >= 4)
            facets += [{"year": published[:4]}] if published else []
            facets += [{"outlet": source}] if source else []
        facets += [{"type": r[0]} for r in conn.execute("SELECT DISTINCT type FROM facts ORDER BY type")]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()
    entities = ranked[:50] + rng.sample(ranked[50:], min(150, max(0, len(ranked) - 50)))
    common = [w for w, _ in words.most_common(200)]
    queries = [names[e] for e in rng.sample(entities, min(50, len(entities)))]
    queries += rng.sample(common, min(50, len(common)))
    rng.shuffle(queries)  # two in five narrowed by a facet: a year, an outlet or an event type
    queries = [
        urlencode({"q": q} | (rng.choice(facets) if i % 5 < 2 and facets else {})) for i, q in enumerate(queries)
    ]
    ids = {"entity": entities, "fact": rng.sample(facts, min(200, len(facts))), "search": queries,
           "doc": doc_ids[:50]}  # fmt: skip
    if revision != HEAD_REVISION:
        print(f"note: the store's schema is at {revision}, the code's at {HEAD_REVISION}: the server will migrate it")
    return ids, {"documents": len(rowids), "entities": len(ranked), "facts": len(facts)}


def start_server(db: str, port: int, log: Any, cache_mb: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "dossier", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port),
           "--cache-mb", str(cache_mb)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise SystemExit(f"the server exited ({proc.returncode}):\n{log.read().decode(errors='replace')}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=30).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not answer /api/stats within 120 s")


def summary(times: list[float], statuses: Counter[int]) -> dict[str, Any]:
    """Median, p95 and max in ms, and the status codes (any but 200 is an error)."""
    times = sorted(times)
    out: dict[str, Any] = {"n": len(times), "errors": sum(n for s, n in statuses.items() if s != 200)}
    if times:
        p95 = times[int(0.95 * (len(times) - 1))]
        out.update(median=round(statistics.median(times) * 1000, 1), p95=round(p95 * 1000, 1),
                   max=round(times[-1] * 1000, 1))  # fmt: skip
    return out | {"status": dict(statuses)}


def latency(client: httpx.Client, ids: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Each item through its page route and its API route, one request at a time, in alternating order."""
    out: dict[str, dict[str, Any]] = {}
    for kind, items in ids.items():
        pages = client.get(url(PAGE[kind], items[0])).status_code != 404
        if not pages:
            print(f"{kind}: page routes not available: 404 ({url(PAGE[kind], items[0])})")
        times: dict[str, list[float]] = {"page": [], "api": []}
        statuses: dict[str, Counter[int]] = {"page": Counter(), "api": Counter()}
        for i, item in enumerate(items):
            routes = [("api", API[kind]), ("page", PAGE[kind])] if pages else [("api", API[kind])]
            for label, route in routes if i % 2 else reversed(routes):
                t0 = time.perf_counter()
                response = client.get(url(route, item))
                times[label].append(time.perf_counter() - t0)
                statuses[label][response.status_code] += 1
        for label in ("page", "api") if pages else ("api",):
            out[f"{kind}_{label}"] = summary(times[label], statuses[label])
    return out


async def raw_get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, bytes, bool]:
    """One HTTP/1.1 GET on an open keep-alive connection: (status, body, whether the server keeps it open)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
    if "content-length" not in headers:  # uvicorn sends it for every non-streamed response
        raise ValueError("a response without Content-Length")
    body = await reader.readexactly(int(headers["content-length"]))
    return status, body, headers.get("connection", "").lower() != "close"


async def load(port: int, paths: list[str], concurrency: int, requests: int, seconds: float) -> dict[str, Any]:
    """``concurrency`` keep-alive connections issuing ``paths`` in turn until ``requests`` or ``seconds``."""
    times: list[float] = []
    statuses: Counter[int] = Counter()
    issued = 0
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        nonlocal issued
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while issued < requests and time.perf_counter() < deadline:
            path = paths[issued % len(paths)]
            issued += 1
            t0 = time.perf_counter()
            try:
                status, _, keep = await raw_get(reader, writer, path)
            except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                status, keep = 0, False  # 0: the connection failed
            else:
                times.append(time.perf_counter() - t0)
            statuses[status] += 1
            if not keep:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    stats = summary(times, statuses)
    return {"seconds": round(elapsed, 2), "requests": issued, "rps": round(sum(statuses.values()) / elapsed, 1),
            "p50": stats.get("median"), "p95": stats.get("p95"), "max": stats.get("max"),
            "errors": stats["errors"], "status": stats["status"]}  # fmt: skip


async def check_raw(port: int, path: str) -> int:
    """The load generator's body for ``path`` against httpx's: same bytes (or the same JSON)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    status, body, _ = await raw_get(reader, writer, path)
    status2, body2, _ = await raw_get(reader, writer, path)  # a second on the same connection: keep-alive works
    writer.close()
    reference = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=60)
    same = body == reference.content or json.loads(body) == reference.json()
    if not (same and status == status2 == reference.status_code and body2 == body):
        raise SystemExit(f"the raw load generator read {path} differently from httpx")
    return len(body)


def peak_rss_mb(pid: int) -> int:
    """The process's peak resident set (VmHWM), MB."""
    found = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return round(int(found.group(1)) / 1024) if found else 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(port: int, pid: int, ids: dict[str, list[str]], args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """Latency one request at a time, then throughput under load, then the server's peak RSS."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for kind, items in ids.items():  # warm-up: a few of each, not measured
            for item in items[:5]:
                client.get(url(API[kind], item))
                client.get(url(PAGE[kind], item))
        figures["latency_ms"] = latency(client, ids)
    for label, f in figures["latency_ms"].items():
        target = TARGETS_MS.get(label.split("_")[0])
        met = "met" if target and f["n"] and f["p95"] < target else "NOT met"
        ratio = f" (target < {target:.0f} ms: {f['p95'] / target:.2f}×, {met})" if target and f["n"] else ""
        print(f"{label:12} {f['n']:4} requests: median {f.get('median')} ms, p95 {f.get('p95')} ms{ratio}, "
              f"max {f.get('max')} ms, errors {f['errors']} {f['status']}", flush=True)  # fmt: skip
    paths = [url(API["entity"], e) for e in ids["entity"]]
    random.Random(args.seed).shuffle(paths)
    busiest = url(API["entity"], ids["entity"][0])  # the largest body
    size = asyncio.run(check_raw(port, busiest))
    print(f"load generator check: {busiest} read as httpx reads it ({size} bytes)", flush=True)
    cpu0, own0 = cpu_seconds(pid), time.process_time()
    run = asyncio.run(load(port, paths, args.concurrency, args.requests, args.seconds))
    run.update(concurrency=args.concurrency, server_cpu_seconds=round(cpu_seconds(pid) - cpu0, 1),
               generator_cpu_seconds=round(time.process_time() - own0, 1))  # fmt: skip
    run["server_cpu_ms_per_request"] = round(run["server_cpu_seconds"] * 1000 / max(run["requests"], 1), 1)
    figures["throughput"] = run
    met = "met" if run["rps"] >= TARGET_RPS else "NOT met"
    print(f"/api/entities/ID under load ({args.concurrency} connections, {len(paths)} entities): "
          f"{run['requests']} requests in {run['seconds']} s = {run['rps']} requests/s "
          f"(target >= {TARGET_RPS:.0f}: {run['rps'] / TARGET_RPS:.2f}×, {met}), p50 {run['p50']} ms, "
          f"p95 {run['p95']} ms, max {run['max']} ms, errors {run['errors']} {run['status']}")  # fmt: skip
    print(f"CPU under load: server {run['server_cpu_seconds']} s ({run['server_cpu_ms_per_request']} ms a request), "
          f"load generator {run['generator_cpu_seconds']} s", flush=True)  # fmt: skip
    figures["server_peak_rss_mb"] = peak_rss_mb(pid)
    print(f"server peak RSS {figures['server_peak_rss_mb']} MB; started in {figures['server_start_seconds']} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a SQLite store (built here if missing); default: a new temporary one")
    parser.add_argument("--docs", type=int, default=20_000, help="documents of the store to build if --db is missing")
    parser.add_argument("--concurrency", type=int, default=8, help="connections of the load generator")
    parser.add_argument("--requests", type=int, default=5000, help="at most this many requests under load")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long under load")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache-mb", type=int, default=64, help="the server's response cache (serve --cache-mb); 0: none"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "web.db")
    if not Path(db).is_file():
        print(f"building a {args.docs}-document store at {db} (about 5 min for 20,000)", flush=True)
        build_store(db, args.docs)
    ids, counts = sample_store(db, random.Random(args.seed))
    figures: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)),
                    "python": platform.python_version(), "machine": platform.machine()},
        "store": {"path": db, **counts}, "args": vars(args),
    }  # fmt: skip
    print(f"store {db}: {counts}; machine {figures['machine']}", flush=True)
    with tempfile.TemporaryFile() as log:
        with socket.socket() as sock:  # a free port
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        t0 = time.perf_counter()
        server = start_server(db, port, log, args.cache_mb)
        figures["server_start_seconds"] = round(time.perf_counter() - t0, 1)
        try:
            measure(port, server.pid, ids, args, figures)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
