"""``dossier serve``: one FastAPI application over the store.

The JSON API lives under ``/api`` and is described by its OpenAPI schema (``/openapi.json``). It is read-only
unless ``DOSSIER_API_TOKEN`` is set; then the writes (``POST /api/ingest``, ``/api/merge``, ``/api/split``)
take a request whose ``Authorization: Bearer`` header carries that token, compared in constant time.

The pages (home, search with facets, entity, fact, document, and /docs) are rendered on the server by
``pages.py`` from Jinja2 templates with autoescaping; ``render.py`` turns a document's text into highlighted
HTML, escaping every piece.

Every response carries a strict Content-Security-Policy (nothing inline, nothing from another origin): all
document text is untrusted. Queries go through ``dossier.query`` (parameterised SQL only), with bounded page
sizes. Answers to GET requests are cached in memory until the store's generation moves on (any write).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(db: str | None = None, *, token: str | None = None, cache_mb: int = 64) -> FastAPI:
    """The application over the store at ``db`` (a SQLAlchemy URL or SQLite path). ``token``: the API token
    writes must carry (None: the API is read-only). ``cache_mb``: memory for answers to GET requests, kept
    until the store changes (0: no cache)."""
    from dossier.web.app import build

    return build(db, token=token, cache_mb=cache_mb)
