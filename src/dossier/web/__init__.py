"""``dossier serve``: one FastAPI application over the store.

The JSON API lives under ``/api`` and is described by its OpenAPI schema (``/openapi.json``). It is read-only
unless ``DOSSIER_API_TOKEN`` is set; then the writes (``POST /api/ingest``, ``/api/merge``, ``/api/split``)
take a request whose ``Authorization: Bearer`` header carries that token, compared in constant time.

Every response carries a strict Content-Security-Policy (nothing inline, nothing from another origin): all
document text is untrusted. Queries go through ``dossier.query`` (parameterised SQL only), with bounded page
sizes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(db: str | None = None, *, token: str | None = None) -> FastAPI:
    """The application over the store at ``db`` (a SQLAlchemy URL or SQLite path). ``token``: the API token
    writes must carry (None: the API is read-only)."""
    from dossier.web.app import build

    return build(db, token=token)
