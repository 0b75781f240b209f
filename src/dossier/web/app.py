"""The FastAPI application: the JSON API under /api over one store (see the package docstring)."""

from __future__ import annotations

import hmac
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from dossier.errors import DossierError, QueryError
from dossier.store import Store, open_store
from dossier.web import pages

MAX_PAGE = 200  # rows one request may ask for
MAX_BODY = 20 * 1024 * 1024  # bytes one ingest request may post
MAX_DEPTH = 3  # graph neighbourhood depth
_WRITE_LOCK = threading.Lock()  # one write at a time per process: a knowledge update must not run twice at once

# Nothing inline, nothing from another origin: every piece of document text is untrusted.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"rows to return (at most {MAX_PAGE})")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="rows to skip, for the next page")]
Day = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")]


class Problem(BaseModel):
    """Why a request failed, in one line."""

    detail: str


READ_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The request cannot be answered (e.g. a search with no words)"},
    404: {"model": Problem, "description": "No such entity, fact or document"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "The Authorization header does not carry the API token"},
    403: {"model": Problem, "description": "The API is read-only: DOSSIER_API_TOKEN is not set"},
    413: {"model": Problem, "description": "The body is too large"},
}
INGEST_BODY = {
    "requestBody": {
        "required": True,
        "description": "One or more documents in any format the reader recognises by content",
        "content": {
            "text/plain": {"schema": {"type": "string", "pattern": r"\S"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
NUL = "\x00"
NO_NUL = r"^[^\x00]*$"  # what a JSON string field may hold (PostgreSQL text cannot hold NUL)


class Judgement(BaseModel):
    """A human judgement: merge ``a`` and ``b`` into one entity, or split the names ``b`` off entity ``a``."""

    a: str = Field(min_length=1, max_length=300, pattern=NO_NUL, description="an entity name or id")
    b: str = Field(
        min_length=1, max_length=300, pattern=NO_NUL, description="an entity name or id (split: the names to part)"
    )
    author: str | None = Field(default=None, max_length=100, pattern=NO_NUL)


class ResponseCache:
    """Answers to GET requests, kept while the store's generation is unchanged (any knowledge update,
    rebuild, judgement or new document, from this process or another, moves it on), least recently used
    first out beyond ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, tuple[int, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, generation: int) -> tuple[bytes, str] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self._entries.move_to_end(key)
            return entry[1], entry[2]

    def put(self, key: str, generation: int, body: bytes, media_type: str) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            self._entries[key] = (generation, body, media_type)
            self.size += len(body)
            while self.size > self.max_bytes:
                _, (_, dropped, _) = self._entries.popitem(last=False)
                self.size -= len(dropped)


def build(db: str | None, *, token: str | None, cache_mb: int = 64) -> FastAPI:
    store = open_store(db)
    cache = ResponseCache(cache_mb * 1024 * 1024) if cache_mb > 0 else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        yield
        store.close()

    app = FastAPI(
        title="Dossier",
        summary="A sourced knowledge graph of technology and geopolitics news",
        docs_url=None,  # /docs is a page of ours: Swagger UI vendored from npm, no CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.token = token or None

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if NUL in request.url.path or any(NUL in k or NUL in v for k, v in request.query_params.multi_items()):
            response = _error(request, 400, "a NUL character (%00) is not allowed in a path or a parameter")
        elif cache is not None and request.method == "GET" and not request.url.path.startswith("/static/"):
            response = await _cached(request, call_next, cache, store)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(QueryError)
    async def not_found(request: Request, exc: QueryError) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(DossierError)
    async def bad_request(request: Request, exc: DossierError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return _error(request, 422, f"bad request parameters ({problems})")

    app.include_router(_api(), prefix="/api")
    app.include_router(pages.router())
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    return app


async def _cached(
    request: Request, call_next: Callable[[Request], Awaitable[Response]], cache: ResponseCache, store: Store
) -> Response:
    """The cached answer to this GET if the store has not changed since; else the answer, cached if 200."""
    from starlette.concurrency import run_in_threadpool

    key = request.url.path + "?" + request.url.query
    generation = await run_in_threadpool(store.generation)
    hit = cache.get(key, generation)
    if hit is not None:
        return Response(hit[0], media_type=hit[1], headers={"X-Dossier-Cache": "hit"})
    response = await call_next(request)
    if response.status_code != 200:
        return response
    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    media_type = response.headers.get("content-type", "application/octet-stream")
    cache.put(key, generation, body, media_type)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return Response(body, status_code=200, headers=headers | {"X-Dossier-Cache": "miss"})


def _json(data: Any) -> Response:
    """An answer serialised once, here: the query layer returns plain JSON-ready dicts, so FastAPI's
    validation and encoding of the return value would only repeat work."""
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), media_type="application/json")


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON error under /api, an HTML page elsewhere."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return pages.render("error.html", status_code=status, message=message)


StoreDep = Annotated[Store, Depends(pages.store_of)]


def _writer(request: Request) -> None:
    """Writes need DOSSIER_API_TOKEN set on the server and the same token in the request (constant time)."""
    token: str | None = request.app.state.token
    if token is None:
        raise HTTPException(403, "the API is read-only: start the server with DOSSIER_API_TOKEN set to allow writes")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "a write needs the header 'Authorization: Bearer <DOSSIER_API_TOKEN>'")


def _api() -> APIRouter:
    from dossier import query

    api = APIRouter(responses=READ_ERRORS)

    @api.get("/stats", summary="Counts: documents, words, entities and events by type, ingest runs")
    def stats(store: StoreDep) -> dict[str, Any]:
        return query.stats(store)

    @api.get("/search", summary="Entities named like q and documents matching q, narrowed by facets, with counts")
    def search(
        store: StoreDep,
        q: Annotated[
            str | None, Query(max_length=200, description="words to find (none: browse all documents)")
        ] = None,
        type: Annotated[str | None, Query(max_length=20, description="an event type, or an entity type")] = None,
        country: Annotated[str | None, Query(max_length=100, description="a country the documents mention")] = None,
        year: Annotated[str | None, Query(pattern=r"^\d{4}$", description="the year of publication")] = None,
        outlet: Annotated[str | None, Query(max_length=200, description="the outlet, as stored")] = None,
        limit: Limit = 20,
    ) -> dict[str, Any]:
        from dossier.query.search import search

        return search(store, q, type_=type, country=country, year=year, outlet=outlet, limit=limit)

    @api.get("/entities", summary="Resolved entities, most documented first")
    def entities(
        store: StoreDep,
        type: Annotated[str | None, Query(max_length=20, description="PERSON, ORG, GPE, ...")] = None,
        q: Annotated[str | None, Query(max_length=200, description="part of a name or alias")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        rows = query.entities(store, type_=type, search=q, limit=limit, offset=offset)
        return {"items": rows, "limit": limit, "offset": offset}

    @api.get("/entities/{entity}", summary="An entity's dossier: names, facts by type, quotes, contradictions",
             response_model=dict[str, Any])  # fmt: skip
    def entity(
        store: StoreDep,
        entity: str,
        facts_per_type: Annotated[int, Query(ge=1, le=50)] = 10,
        quotes: Annotated[int, Query(ge=0, le=50)] = 8,
    ) -> Response:
        return _json(query.show(store, entity, facts_per_type=facts_per_type, quotes=quotes))

    @api.get("/entities/{entity}/timeline", summary="An entity's facts by when they happened or were reported")
    def timeline(
        store: StoreDep,
        entity: str,
        by: Annotated[str, Query(pattern="^(happened|reported)$")] = "happened",
        since: Day = None,
        until: Day = None,
        limit: Limit = 200,
    ) -> dict[str, Any]:
        return query.timeline(store, entity, by=by, since=since, until=until, limit=limit)

    @api.get("/entities/{entity}/graph", summary="The neighbourhood of an entity: entities and facts around it")
    def graph(
        store: StoreDep,
        entity: str,
        depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 1,
        limit: Limit = 100,
        min_corroboration: Annotated[int, Query(ge=0, le=1000)] = 0,
    ) -> dict[str, Any]:
        return query.graph(store, entity, depth=depth, limit=limit, min_corroboration=min_corroboration)

    @api.get("/facts", summary="Facts, latest reported first")
    def facts(
        store: StoreDep,
        type: Annotated[str | None, Query(max_length=20, description="an event type: SANCTION, ...")] = None,
        status: Annotated[str | None, Query(max_length=20)] = None,
        entity: Annotated[str | None, Query(max_length=300, description="a participant's name or id")] = None,
        since: Day = None,
        until: Day = None,
        min_corroboration: Annotated[int, Query(ge=0, le=1000)] = 0,
        contradicted: bool = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        rows = query.facts(
            store,
            type_=type,
            status=status,
            entity=entity,
            since=since,
            until=until,
            min_corroboration=min_corroboration,
            contradicted=contradicted,
            limit=limit,
            offset=offset,
        )
        return {"items": rows, "limit": limit, "offset": offset}

    @api.get("/facts/{fact_id}", summary="One fact with its evidence, status history and contradictions")
    def fact(store: StoreDep, fact_id: Annotated[str, Path(min_length=4, max_length=64)]) -> dict[str, Any]:
        return query.fact(store, fact_id)

    @api.get("/documents", summary="Stored documents, latest first, or those matching a full-text search")
    def documents(
        store: StoreDep, q: Annotated[str | None, Query(max_length=200)] = None, limit: Limit = 50
    ) -> dict[str, Any]:
        return {"items": query.documents(store, search=q, limit=limit), "limit": limit}

    @api.get("/documents/{doc_id}", summary="One document: text, segments and what was extracted (the contract)")
    def document(store: StoreDep, doc_id: str) -> dict[str, Any]:
        return query.document(store, doc_id)

    @api.get("/quotes", summary="Quotes, latest first, optionally by one speaker")
    def quotes(
        store: StoreDep, speaker: Annotated[str | None, Query(max_length=300)] = None, limit: Limit = 50
    ) -> dict[str, Any]:
        return {"items": query.quotes(store, speaker=speaker, limit=limit), "limit": limit}

    @api.post("/ingest", summary="Ingest the request body (text, HTML, JSON Lines, feeds, WARC) [token]",
              dependencies=[Depends(_writer)], responses=WRITE_ERRORS, openapi_extra=INGEST_BODY)  # fmt: skip
    async def ingest(request: Request) -> dict[str, Any]:
        body = await _read_body(request)
        return _ingest(request.app.state.store, body)

    judgements = (
        ("merge", "Record that two entities are one (a human judgement) [token]"),
        ("split", "Record that the names b are not the entity a (a human judgement) [token]"),
    )
    for kind, summary in judgements:
        api.add_api_route(
            f"/{kind}",
            _judgement(kind),
            methods=["POST"],
            summary=summary,
            dependencies=[Depends(_writer)],
            responses=WRITE_ERRORS,
        )

    return api


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise HTTPException(413, f"the body is larger than {MAX_BODY} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise HTTPException(413, f"the body is larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    if not body.strip():
        raise HTTPException(400, "the body is empty: post the document(s) to ingest")
    return body


def _ingest(store: Store, body: bytes) -> dict[str, Any]:
    from dossier.scale.runner import ingest

    with _WRITE_LOCK:
        report = ingest(["-"], store=store, stdin=io.BytesIO(body), command="POST /api/ingest")
    return {
        "stored": report.stored,
        "versions": report.versions,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "errors": report.errors,
        "knowledge": report.knowledge,
    }


def _judgement(kind: str) -> Callable[[Store, Judgement], dict[str, Any]]:
    """The endpoint recording one kind of human judgement ("merge" or "split")."""

    def endpoint(store: StoreDep, judgement: Judgement) -> dict[str, Any]:
        from dossier.knowledge import judge

        with _WRITE_LOCK:
            report = judge(store, kind, judgement.a, judgement.b, author=judgement.author or "api")
        return {"judgement": kind, "a": judgement.a, "b": judgement.b, "summary": report.summary()}

    endpoint.__name__ = kind
    return endpoint
