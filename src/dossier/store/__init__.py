"""The knowledge store: SQLAlchemy Core over SQLite (default) or PostgreSQL; one transaction per document."""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier import settings
from dossier.errors import StoreError
from dossier.model import Analysis, RawDocument

__all__ = ["Prepared", "Store", "WriteResult", "chunks", "entity_key", "first_of_each", "open_store", "prepare"]

HEAD_REVISION = "0007"
_MIGRATIONS = Path(__file__).with_name("migrations")
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class WriteResult:
    status: str  # stored | version | unchanged
    doc_id: str
    previous: str | None = None


@dataclass(slots=True)
class Prepared:
    """The rows of one analysed document, built without a database (in a worker process)."""

    doc_id: str
    url: str | None
    ref: str | None
    words: int
    document: dict[str, Any]
    segments: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    doc_entities: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    events: list[dict[str, Any]]
    participants: list[dict[str, Any]]
    quotes: list[dict[str, Any]]


def prepare(analysis: Analysis, raw: RawDocument | None = None) -> Prepared:
    """Every row to store for one analysis. Pure: the writer only has to insert them."""
    doc = analysis.document
    contract = analysis.to_dict()
    contract["document"] = {k: v for k, v in contract["document"].items() if k != "text"}
    raw_blob = None
    if raw is not None and raw.keep_raw:
        payload = raw.data if raw.data is not None else (raw.text or "").encode("utf-8")
        raw_blob = zlib.compress(payload, 6)
    words = len(doc.text.split())
    document = {
        "id": doc.id,
        "url": doc.url,
        "source": doc.source,
        "title": doc.title,
        "published": doc.published,
        "language": doc.language,
        "format": doc.format,
        "text": doc.text,
        "origin": json.dumps(doc.origin, ensure_ascii=False),
        "authors": json.dumps(doc.authors, ensure_ascii=False),
        "raw_ref": doc.raw_ref,
        "raw_sha256": doc.raw_sha256,
        "raw": raw_blob,
        "analysis": json.dumps(contract, ensure_ascii=False, separators=(",", ":")),
        "pipeline": analysis.pipeline,
        "words": words,
    }
    # Entities: global rows keyed by name and type (cross-document resolution refines this later).
    global_ids: dict[str, str] = {}
    entities: dict[str, dict[str, Any]] = {}
    for ent in analysis.entities:
        gid, norm = entity_key(ent.name, ent.type, ent.kb.get("wikidata"))
        global_ids[ent.id] = gid
        entities.setdefault(
            gid, {"id": gid, "name": ent.name, "type": ent.type, "norm": norm, "wikidata": ent.kb.get("wikidata")}
        )
    doc_entities = [
        {
            "doc_id": doc.id,
            "local_id": e.id,
            "entity_id": global_ids[e.id],
            "name": e.name,
            "type": e.type,
            "aliases": json.dumps(e.aliases, ensure_ascii=False),
            "descriptions": json.dumps(e.descriptions, ensure_ascii=False),
            "mention_count": len(e.mentions),
            "unit_id": None,  # resolve/ assigns it
        }
        for e in analysis.entities
    ]
    mentions = {
        (e.id, m.start): {"doc_id": doc.id, "local_id": e.id, "start": m.start, "end": m.end, "text": m.text}
        for e in analysis.entities
        for m in e.mentions
    }
    events = [
        {
            "doc_id": doc.id,
            "local_id": v.id,
            "type": v.type,
            "status": v.status,
            "hedged": v.hedged,
            "date_text": v.date.text if v.date else None,
            "date_start": v.date.start if v.date else None,
            "date_end": v.date.end if v.date else None,
            "amounts": json.dumps([a.to_dict() for a in v.amounts], ensure_ascii=False),
            "amount_usd": next((a.usd for a in v.amounts if a.usd is not None), None),
            "attribution_kind": v.attribution.kind,
            "attribution_speaker": v.attribution.speaker,
            "attribution_cue": v.attribution.cue,
            "evidence_start": v.evidence.start,
            "evidence_end": v.evidence.end,
            "evidence_text": v.evidence.text,
        }
        for v in analysis.events
    ]
    participants = {
        (v.id, p.role, p.entity): {
            "doc_id": doc.id,
            "event_id": v.id,
            "role": p.role,
            "local_entity_id": p.entity,
            "entity_id": global_ids.get(p.entity, p.entity),
        }
        for v in analysis.events
        for p in v.participants
    }
    quotes = [
        {
            "doc_id": doc.id,
            "local_id": q.id,
            "text": q.text,
            "direct": q.direct,
            "speaker_local_id": q.speaker,
            "speaker_entity_id": global_ids.get(q.speaker) if q.speaker else None,
            "speaker_kind": q.speaker_kind,
            "speaker_text": q.speaker_text,
            "cue": q.cue,
            "start": q.start,
            "end": q.end,
        }
        for q in analysis.quotes
    ]
    segments = [
        {"doc_id": doc.id, "idx": i, "kind": s.kind, "start": s.start, "end": s.end, "author": s.author}
        for i, s in enumerate(doc.segments)
    ]
    return Prepared(
        doc.id, doc.url, doc.raw_ref, words, document, segments, list(entities.values()), doc_entities,
        list(mentions.values()), events, list(participants.values()), quotes,
    )  # fmt: skip


def chunks(items: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size``: bound parameters per statement stay within every backend's
    limit, however many ids a query asks about."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def first_of_each(conn: Any, keys: Iterable[str], query: Callable[[str], Any]) -> list[Any]:
    """The rows of ``query(key)`` (a SELECT with its own ORDER BY and LIMIT) for every key: one index range
    per key, a hundred keys per statement, instead of a window or sort over every row of busy keys."""
    from sqlalchemy import union_all

    rows: list[Any] = []
    for batch in chunks(keys, 100):
        parts: list[Any] = [query(key).subquery().select() for key in batch]
        stmt: Any = parts[0] if len(parts) == 1 else union_all(*parts)
        rows.extend(conn.execute(stmt))
    return rows


def entity_key(name: str, type_: str, wikidata: str | None = None) -> tuple[str, str]:
    """The global entity id and normalised name: Wikidata id when known, else type + normalised name."""
    norm = normalise_name(name)
    basis = f"wd:{wikidata}" if wikidata else f"{type_}|{norm}"
    return "ent_" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16], norm


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(text.casefold()))


def _url(value: str | None) -> str:
    url = settings.db_url(value)
    # Plain postgresql:// means psycopg2 to SQLAlchemy; Dossier ships psycopg 3.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def open_store(db: str | None = None, *, migrate: bool = True) -> Store:
    """Open (and create or migrate) the store at a SQLAlchemy URL or SQLite path."""
    return Store(_url(db), migrate=migrate)


class Store:
    def __init__(self, url: str, *, migrate: bool = True) -> None:
        from sqlalchemy import create_engine, event
        from sqlalchemy.exc import SQLAlchemyError

        self.url = url
        self._sql_cache: dict[str, str] = {}
        shown = _redact(url)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            path = Path(url.removeprefix("sqlite:///"))
            parent = path.parent if str(path.parent) else Path(".")
            if not parent.is_dir():
                raise StoreError(f"cannot open database {shown}: directory {parent} does not exist")
            if path.exists() and not os.access(path, os.W_OK):
                raise StoreError(f"cannot open database {shown}: file is not writable")
        try:
            self.engine = create_engine(url, future=True)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open database {shown}: {exc}") from exc
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":

            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_connection: Any, _record: Any) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA busy_timeout=10000")
                cursor.close()

        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database {shown}: {_first_line(exc)}") from exc
        if migrate:
            self.migrate()

    # -- schema -------------------------------------------------------------------------------------
    def revision(self) -> str | None:
        from sqlalchemy import inspect, text

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def migrate(self) -> None:
        """Bring the schema to the newest revision (a no-op, without importing Alembic, when it is)."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            if self.revision() == HEAD_REVISION:
                return
            from alembic import command
            from alembic.config import Config

            cfg = Config()
            cfg.set_main_option("script_location", str(_MIGRATIONS))
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot migrate database {_redact(self.url)}: {_first_line(exc)}") from exc

    def generation(self) -> int:
        """How many writes have changed the store (see `bump`): equal numbers mean an answer computed earlier
        still holds."""
        from sqlalchemy import select

        from dossier.store.schema import store_state

        with self.engine.connect() as conn:
            value = conn.execute(select(store_state.c.value).where(store_state.c.key == "generation")).scalar()
        return int(value or 0)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        from sqlalchemy import select

        from dossier.store.schema import documents

        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first() is not None

    def write(self, analysis: Analysis | Prepared, raw: RawDocument | None = None) -> WriteResult:
        """Store one analysed document and everything extracted from it, in one transaction."""
        from sqlalchemy import select
        from sqlalchemy.exc import IntegrityError, SQLAlchemyError

        from dossier.store import schema as t

        rows = analysis if isinstance(analysis, Prepared) else prepare(analysis, raw)
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(t.documents.c.id).where(t.documents.c.id == rows.doc_id)).first():
                    return WriteResult("unchanged", rows.doc_id)
                previous = None
                if rows.url:
                    previous = conn.execute(
                        select(t.documents.c.id)
                        .where(t.documents.c.url == rows.url)
                        .order_by(t.documents.c.ingested_at.desc())
                        .limit(1)
                    ).scalar()
                self._insert(conn, rows, previous)
        except IntegrityError:
            # Another writer stored the same document first: that is the idempotent outcome.
            if self.has_document(rows.doc_id):
                return WriteResult("unchanged", rows.doc_id)
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"{rows.ref}: could not store document ({_first_line(exc)})") from exc
        return WriteResult("version" if previous else "stored", rows.doc_id, previous)

    def _insert_sql(self, table: Any) -> str:
        sql = self._sql_cache.get(table.name)
        if sql is None:
            quote = self.engine.dialect.identifier_preparer.quote
            names = [c.name for c in table.columns]
            if self.engine.dialect.paramstyle in ("pyformat", "format"):
                marks = [f"%({n})s" for n in names]
            else:
                marks = [f":{n}" for n in names]
            sql = f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) VALUES ({', '.join(marks)})"
            self._sql_cache[table.name] = sql
        return sql

    def _insert(self, conn: Any, rows: Prepared, previous: str | None) -> None:
        from sqlalchemy import insert, select

        from dossier.store import schema as t

        stamp = {"previous_version": previous, "ingested_at": datetime.now(UTC)}
        conn.execute(insert(t.documents), {**rows.document, **stamp})
        bump(conn)  # a new document changes listings and searches before the knowledge update
        if rows.entities:
            ids = [e["id"] for e in rows.entities]
            known = set(conn.execute(select(t.entities.c.id).where(t.entities.c.id.in_(ids))).scalars())
            fresh = [e for e in rows.entities if e["id"] not in known]
            if fresh:
                conn.execute(insert(t.entities), fresh)
        for table, values in (
            (t.segments, rows.segments),
            (t.doc_entities, rows.doc_entities),
            (t.mentions, rows.mentions),
            (t.events, rows.events),
            (t.participants, rows.participants),
            (t.quotes, rows.quotes),
        ):
            if values:
                # Plain executemany with cached SQL: the single writer's time per document is what limits
                # ingest with several workers, and Core's per-statement work was most of it.
                conn.exec_driver_sql(self._insert_sql(table), values)
        if self.dialect == "sqlite":
            conn.exec_driver_sql(
                "INSERT INTO documents_fts (rowid, title, text) "
                "SELECT rowid, coalesce(title, ''), text FROM documents WHERE id = ?",
                (rows.doc_id,),
            )

    # -- the ingest log -----------------------------------------------------------------------------
    def start_run(self, command: str) -> int:
        from sqlalchemy import insert

        from dossier.store.schema import ingest_runs

        with self.engine.begin() as conn:
            result = conn.execute(
                insert(ingest_runs).values(
                    started_at=datetime.now(UTC), command=command, stored=0, unchanged=0, failed=0
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def finish_run(self, run_id: int, *, stored: int, unchanged: int, failed: int) -> None:
        from sqlalchemy import update

        from dossier.store.schema import ingest_runs

        with self.engine.begin() as conn:
            conn.execute(
                update(ingest_runs)
                .where(ingest_runs.c.id == run_id)
                .values(finished_at=datetime.now(UTC), stored=stored, unchanged=unchanged, failed=failed)
            )

    def log_many(self, run_id: int | None, rows: list[tuple[str, str, str | None, str | None]]) -> None:
        """Several log rows (ref, status, message, doc_id) in one transaction."""
        if not rows:
            return
        from sqlalchemy import insert

        from dossier.store.schema import ingest_log

        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(
                insert(ingest_log),
                [
                    {"run_id": run_id, "at": now, "ref": ref, "status": status, "message": message, "doc_id": doc_id}
                    for ref, status, message, doc_id in rows
                ],
            )


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0] if str(orig or exc).strip() else exc.__class__.__name__


def bump(conn: Any) -> None:
    """Count one more generation of the store, inside the writer's transaction: every stored document and
    every knowledge update, rebuild or judgement that changes anything calls this."""
    from sqlalchemy import update

    from dossier.store.schema import store_state

    state = store_state.c
    conn.execute(update(store_state).where(state.key == "generation").values(value=state.value + 1))
