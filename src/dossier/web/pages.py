"""The server-rendered pages: home, search with facets, entity, fact, document, and /docs (Swagger UI).

Templates are Jinja2 with autoescaping on; the document text goes through ``render.blocks``, which escapes
every piece. Pages carry no inline script or style: behaviour lives in static/dossier.js and static/graph.js.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from dossier.store import Store
from dossier.web.render import blocks, entity_href

HERE = Path(__file__).parent
STATIC = HERE / "static"
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # snippet highlight markers, turned into <mark> after escaping


@lru_cache(maxsize=1)
def environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        entity_href=entity_href,
        fact_href=lambda i: "/fact/" + quote(str(i), safe=""),
        doc_href=doc_href,
        short=short_id,
        label=label,
        when=when,
        snippet=snippet,
        amount=amount,
    )
    env.globals.update(facet_href=facet_href, vendored=vendored)
    return env


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(name).render(status_code=status_code, **context)
    return HTMLResponse(html, status_code=status_code)


# -- filters ----------------------------------------------------------------------------------------------------


def doc_href(doc_id: str, anchor: str | None = None) -> str:
    href = "/doc/" + quote(short_id(doc_id, 16), safe="")
    return href + ("#" + quote(anchor, safe="") if anchor else "")


def short_id(value: str, n: int = 12) -> str:
    return str(value).removeprefix("sha256:")[:n]


def label(value: str | None) -> str:
    """ORG → Organisation (ontology.yaml's entity_labels), SANCTION → Sanction, PRODUCT_LAUNCH → Product launch."""
    from dossier.nlp.resources import load_resources

    if not value:
        return ""
    return load_resources().ontology.entity_labels.get(value) or value.replace("_", " ").capitalize()


def when(date: dict[str, Any] | None) -> str:
    """A fact's date range as short text: 2023-09, 2022 – 2024-03, or empty."""
    if not date or not date.get("start"):
        return ""
    start, end = date["start"], date.get("end")
    return start if not end or end == start else f"{start} – {end}"


def snippet(value: str | None) -> Markup:
    """A search snippet: escaped, its match markers turned into <mark>."""
    if not value:
        return Markup("")
    html = str(escape(value))
    return Markup(html.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def amount(a: dict[str, Any]) -> str:
    text = a.get("text") or ""
    usd = a.get("usd")
    if usd and a.get("currency") not in (None, "USD"):
        return f"{text} (≈ ${usd:,.0f})"
    return str(text)


def facet_href(filters: dict[str, Any], query: str | None, **change: Any) -> str:
    """The search URL with one facet set (a value) or cleared (None), the other filters kept."""
    params = {"q": query or ""} | {k: v for k, v in filters.items() if v}
    for key, value in change.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "/search?" + urlencode({k: v for k, v in params.items() if v})


@lru_cache(maxsize=8)
def vendored(path: str) -> bool:
    """Whether a vendored front-end file is in place (the build vendors them from npm)."""
    return (STATIC / "vendor" / path).is_file()


# -- routes -----------------------------------------------------------------------------------------------------


def store_of(request: Request) -> Store:
    """The store the application serves (app.state.store)."""
    store: Store = request.app.state.store
    return store


def router() -> APIRouter:
    from dossier import query
    from dossier.query.knowledge import find
    from dossier.query.search import document_links, search

    pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @pages.get("/")
    def home(request: Request) -> HTMLResponse:
        store = store_of(request)
        return render(
            "home.html",
            stats=query.stats(store),
            facts=query.facts(store, limit=25),
            documents=query.documents(store, limit=12),
        )

    @pages.get("/search")
    def search_page(
        request: Request,
        q: Annotated[str | None, Query(max_length=200)] = None,
        type: Annotated[str | None, Query(max_length=20)] = None,
        country: Annotated[str | None, Query(max_length=100)] = None,
        year: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
    ) -> HTMLResponse:
        result = search(
            store_of(request), q, type_=type, country=country, year=year, outlet=outlet, limit=25,
            marks=(MARK_OPEN, MARK_CLOSE),
        )  # fmt: skip
        return render("search.html", r=result)

    @pages.get("/entity/{entity}", response_model=None)
    def entity_page(
        request: Request,
        entity: Annotated[str, PathParam(max_length=300)],
        by: Annotated[str, Query(pattern="^(happened|reported)$")] = "happened",
    ) -> Response:
        store = store_of(request)
        with store.engine.connect() as conn:
            ident, _ = find(conn, entity)
        if entity != ident:  # one URL per entity: a name redirects to the id
            return RedirectResponse(entity_href(ident) + ("?by=reported" if by == "reported" else ""), status_code=303)
        dossier = query.show(store, ident, facts_per_type=20, quotes=12)
        timeline = query.timeline(store, ident, by=by, limit=100)
        return render("entity.html", d=dossier, timeline=timeline, by=by, neighbours=_neighbours(dossier))

    @pages.get("/fact/{fact_id}")
    def fact_page(request: Request, fact_id: Annotated[str, PathParam(min_length=4, max_length=64)]) -> HTMLResponse:
        fact = query.fact(store_of(request), fact_id)
        by_event = {(e["doc_id"], e["event_id"]): e for e in fact["evidence"]}
        return render("fact.html", f=fact, by_event=by_event, groups=_sources(fact))

    @pages.get("/doc/{doc_id}")
    def document_page(request: Request, doc_id: Annotated[str, PathParam(min_length=6, max_length=80)]) -> HTMLResponse:
        store = store_of(request)
        analysis = query.document(store, doc_id)
        links = document_links(store, analysis["document"]["id"])
        names = {e["id"]: e for e in analysis["entities"]}
        return render("document.html", a=analysis, blocks=blocks(analysis, links), links=links, names=names)

    @pages.get("/docs")
    def docs(request: Request) -> HTMLResponse:
        return render("docs.html")

    return pages


def _neighbours(dossier: dict[str, Any]) -> list[dict[str, Any]]:
    """Entities sharing facts with the dossier's entity, most shared first (the graph's accessible twin)."""
    me = dossier["entity"]["id"]
    seen: dict[str, dict[str, Any]] = {}
    for facts in dossier["facts"].values():
        for fact in facts:
            for p in fact["participants"]:
                if p["entity"] == me:
                    continue
                row = seen.setdefault(
                    p["entity"], {"id": p["entity"], "name": p["name"], "type": p["type"], "facts": 0}
                )
                row["facts"] += 1
    return sorted(seen.values(), key=lambda r: (-r["facts"], r["name"]))


def _sources(fact: dict[str, Any]) -> list[dict[str, Any]]:
    """The fact's evidence grouped by independent source (an outlet and its reprints count once)."""
    groups: dict[str, dict[str, Any]] = {}
    for ev in fact["evidence"]:
        group = groups.setdefault(ev["source"], {"source": ev["source"], "outlets": [], "evidence": []})
        if ev.get("outlet") and ev["outlet"] not in group["outlets"]:
            group["outlets"].append(ev["outlet"])
        group["evidence"].append(ev)
    return list(groups.values())
