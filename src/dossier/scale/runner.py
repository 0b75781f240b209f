"""Local runner: read inputs, clean and analyse them in N worker processes, write with one writer.

Workers only compute (clean + analyze are pure); the parent reads inputs and is the single writer, so
SQLite sees one writer and a crash leaves every committed document whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from dossier.errors import DossierError, IngestError, StoreError
from dossier.model import Analysis, RawDocument
from dossier.store import Prepared

__all__ = ["IngestReport", "ingest", "process"]

_LOG_BATCH = 200


@dataclass(slots=True)
class IngestReport:
    stored: int = 0
    versions: int = 0
    unchanged: int = 0
    failed: int = 0
    words: int = 0
    documents: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    knowledge: str = ""  # what the knowledge update did (resolved entities, facts)
    knowledge_seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0: everything succeeded; 1: at least one input failed (the rest were stored)."""
        return 0 if self.failed == 0 else 1


@dataclass(slots=True)
class Outcome:
    """What a worker returns for one raw input."""

    ref: str
    raw: RawDocument
    analyses: list[Analysis] = field(default_factory=list)
    error: str | None = None
    rows: list[Prepared] = field(default_factory=list)


def process(raw: RawDocument, pipeline: str = "model") -> Outcome:
    """Clean and analyse one raw input. Never raises for bad input: the error travels in the Outcome."""
    from dossier.clean import clean
    from dossier.nlp import analyze

    try:
        documents = clean(raw)
        analyses = [analyze(doc, pipeline=pipeline) for doc in documents]
    except DossierError as exc:
        return Outcome(raw.ref, _light(raw), error=str(exc))
    except Exception as exc:  # a bug must not stop a batch of thousands; it is logged with its input
        return Outcome(raw.ref, _light(raw), error=f"{raw.ref}: internal error while analysing ({exc!r})")
    return Outcome(raw.ref, _light(raw), analyses)


def _light(raw: RawDocument) -> RawDocument:
    """The raw input without its bytes unless they must be stored (they cross a process boundary)."""
    raw.sha256()
    if raw.keep_raw:
        return raw
    return RawDocument(ref=raw.ref, format=raw.format, url=raw.url, path=raw.path, raw_sha256=raw.raw_sha256)


def _worker_init(pipeline: str) -> None:
    from dossier.nlp import get_nlp

    get_nlp(pipeline)


def process_for_store(raw: RawDocument | IngestError, pipeline: str = "model") -> Outcome:
    """process() plus the rows to insert, built here so that the single writer only writes.

    A reader's error passes through unchanged, so errors and documents reach the writer in input order.
    """
    from dossier.store import prepare

    if isinstance(raw, IngestError):
        return Outcome(raw.ref, RawDocument(ref=raw.ref), error=str(raw))
    outcome = process(raw, pipeline)
    outcome.rows = [prepare(a, outcome.raw) for a in outcome.analyses]
    outcome.analyses = []
    if outcome.rows and not outcome.raw.keep_raw:
        outcome.raw = _light(outcome.raw)
    elif outcome.rows:
        outcome.raw = RawDocument(ref=outcome.raw.ref, format=outcome.raw.format)  # the bytes are in the rows
    return outcome


def _process_star(args: tuple[RawDocument | IngestError, str]) -> Outcome:
    return process_for_store(*args)


def ingest(
    paths: Iterable[str],
    *,
    store: object,
    urls: Iterable[str] = (),
    stdin: BinaryIO | None = None,
    workers: int = 1,
    pipeline: str = "model",
    command: str = "",
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    max_bytes: int | None = None,
    knowledge: bool = True,
) -> IngestReport:
    """Ingest every input into ``store``; bad inputs are reported and skipped, never fatal. Then, unless
    ``knowledge`` is false, update entities and facts across documents (knowledge.update)."""
    from dossier.ingest import iter_raw, resolve_url_records
    from dossier.store import Store

    assert isinstance(store, Store)
    # Build the pipeline before reading anything: a broken pipeline or data file is one clear error for the
    # whole run (not the same error once per document), and forked workers inherit the built pipeline.
    from dossier.nlp import get_nlp

    get_nlp(pipeline)
    report = IngestReport()
    started = time.perf_counter()
    run_id = store.start_run(command)
    pending_log: list[tuple[str, str, str | None, str | None]] = []

    def fail(message: str, ref: str) -> None:
        report.failed += 1
        report.errors.append(message)
        pending_log.append((ref, "error", message, None))
        if on_error:
            on_error(message)

    items = resolve_url_records(iter_raw(paths, urls=urls, stdin=stdin, max_bytes=max_bytes))
    try:
        for outcome in _outcomes(items, workers=workers, pipeline=pipeline):
            if outcome.error is not None:
                fail(outcome.error, outcome.ref)
            for rows in outcome.rows:
                try:
                    result = store.write(rows)
                except StoreError as exc:
                    fail(str(exc), rows.ref or outcome.ref)
                    continue
                report.documents += 1
                report.words += rows.words
                if result.status == "unchanged":
                    report.unchanged += 1
                elif result.status == "version":
                    report.versions += 1
                    report.stored += 1
                else:
                    report.stored += 1
                pending_log.append((rows.ref or outcome.ref, result.status, result.previous, result.doc_id))
            if len(pending_log) >= _LOG_BATCH:
                store.log_many(run_id, pending_log)
                pending_log.clear()
            report.seconds = time.perf_counter() - started
            if on_progress:
                on_progress(report)
    finally:
        store.log_many(run_id, pending_log)
        report.seconds = time.perf_counter() - started
        store.finish_run(run_id, stored=report.stored, unchanged=report.unchanged, failed=report.failed)
    if knowledge:
        from dossier.knowledge import update

        began = time.perf_counter()
        report.knowledge = update(store).summary()
        report.knowledge_seconds = time.perf_counter() - began
    return report


def _outcomes(items: Iterator[RawDocument | IngestError], *, workers: int, pipeline: str) -> Iterator[Outcome]:
    if workers <= 1:
        for item in items:
            yield process_for_store(item, pipeline)
        return
    import multiprocessing as mp
    import os

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    with ctx.Pool(workers, initializer=_worker_init, initargs=(pipeline,)) as pool:  # a no-op after fork
        yield from pool.imap(_process_star, ((item, pipeline) for item in items), chunksize=4)
