"""The `dossier` command. Thin: parse arguments, call a library function, print.

Exit codes: 0 success · 1 some inputs failed (the rest were stored) · 2 usage error ·
3 database error · 4 query error (nothing matches, bad filter).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from dossier import settings

F = TypeVar("F", bound=Callable[..., Any])

# One BLAS thread per process, set before NumPy is first imported: the model's matrices are small, ingest
# forks worker processes (one per core), and a BLAS thread pool does not survive a fork.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_STORE, EXIT_QUERY = 0, 1, 2, 3, 4


def _handle_errors(func: F) -> F:
    """Turn DossierError into one line on stderr and its exit code; never a traceback for bad input."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from dossier.cli.output import error
        from dossier.errors import DossierError

        try:
            return func(*args, **kwargs)
        except DossierError as exc:
            error(str(exc))
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_OK)

    return wrapper  # type: ignore[return-value]


def db_option(func: F) -> F:
    return click.option(
        "--db",
        envvar="DOSSIER_DB",
        default=settings.SETTINGS["db"].default,
        show_default=True,
        help="Database: SQLAlchemy URL or SQLite path (env DOSSIER_DB).",
    )(func)


def pipeline_option(func: F) -> F:
    return click.option(
        "--pipeline",
        type=click.Choice(["model", "fast", "simple"]),
        default=settings.SETTINGS["pipeline"].default,
        show_default=True,
        envvar="DOSSIER_PIPELINE",
        help="NLP pipeline: model (trained tagger, parser, NER + rules) or fast (rules only) (env DOSSIER_PIPELINE).",
    )(func)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True, help="Output format."
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="dossier", prog_name="dossier")
def main() -> None:
    """Dossier: turn technology and geopolitics news into a sourced knowledge graph.

    Start with `dossier demo`, then explore with `dossier stats`, `dossier entities`, `dossier events`.
    """


# -- ingest ---------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1)
@db_option
@click.option("--fetch", is_flag=True, help="Treat the arguments as URLs and download them (httpx).")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    envvar="DOSSIER_WORKERS",
    help="Worker processes (env DOSSIER_WORKERS).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=None,
    envvar="DOSSIER_MAX_BYTES",
    help="Skip inputs larger than this many bytes (env DOSSIER_MAX_BYTES).",
)
@pipeline_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; errors only.")
@_handle_errors
def ingest(
    paths: tuple[str, ...], db: str, fetch: bool, workers: int, max_bytes: int | None, pipeline: str, quiet: bool
) -> None:
    """Ingest files, directories (recursive), globs, - (stdin) or, with --fetch, URLs into the store.

    Formats are recognised by content: text/Markdown, HTML, JSON Lines, WARC(.gz), RSS/Atom.
    Exit code 0 when every input was stored or already present, 1 when some failed.
    """
    from dossier.store import open_store

    if not paths:
        raise click.UsageError("give at least one PATH (a file, directory, glob, - for stdin, or URLs with --fetch)")
    urls: tuple[str, ...] = ()
    if fetch:
        urls, paths = paths, ()
    else:
        looks_like_urls = [p for p in paths if p.startswith(("http://", "https://"))]
        if looks_like_urls:
            raise click.UsageError(f"{looks_like_urls[0]} looks like a URL: add --fetch to download it")
    with open_store(db) as store:
        report = _run_ingest(store, paths, urls, workers=workers, max_bytes=max_bytes, pipeline=pipeline, quiet=quiet)
    sys.exit(report.exit_code)


def _run_ingest(
    store: Any,
    paths: tuple[str, ...],
    urls: tuple[str, ...],
    *,
    workers: int,
    max_bytes: int | None,
    pipeline: str,
    quiet: bool,
) -> Any:
    from contextlib import nullcontext

    from dossier.cli.output import console, skipped
    from dossier.scale.runner import ingest as run

    err = console(stderr=True)
    show_bar = not quiet and err.is_terminal
    if show_bar:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress: Any = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err)
    else:
        progress = nullcontext()
    with progress as bar:
        on_progress = None
        if bar is not None:
            task = bar.add_task("ingesting", total=None)

            def on_progress(r: Any) -> None:
                seconds = r.seconds or 1e-9
                bar.update(
                    task,
                    description=f"{r.documents} documents · {r.documents / seconds:,.0f} docs/s · "
                    f"{r.words / seconds:,.0f} words/s · {r.failed} failed",
                )

        report = run(
            paths, store=store, urls=urls, workers=workers, pipeline=pipeline,
            command="dossier ingest " + " ".join([*paths, *urls]),
            on_error=skipped, on_progress=on_progress, max_bytes=max_bytes,
        )  # fmt: skip
    if not quiet:
        rate = report.documents / report.seconds if report.seconds else 0.0
        click.echo(
            f"{report.stored} stored ({report.versions} new versions), {report.unchanged} unchanged, "
            f"{report.failed} failed · {report.documents} documents in {report.seconds:.1f}s ({rate:,.0f} docs/s)",
            err=True,
        )
        if report.knowledge:
            click.echo(f"knowledge: {report.knowledge} in {report.knowledge_seconds:.1f}s", err=True)
    return report


# -- analyze --------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@format_option("json", "table", default="json")
@pipeline_option
@_handle_errors
def analyze(paths: tuple[str, ...], fmt: str, pipeline: str) -> None:
    """Print the analysis contract of each document (one JSON object per line). Touches no database."""
    from dossier.cli.output import emit_jsonl, skipped, table
    from dossier.ingest import iter_raw, resolve_url_records
    from dossier.model import RawDocument
    from dossier.scale.runner import process

    failed = 0
    rows = []
    for item in resolve_url_records(iter_raw(paths)):
        if not isinstance(item, RawDocument):
            skipped(str(item))
            failed += 1
            continue
        outcome = process(item, pipeline)
        if outcome.error:
            skipped(outcome.error)
            failed += 1
        for analysis in outcome.analyses:
            if fmt == "json":
                emit_jsonl([analysis.to_dict()])
            else:
                doc = analysis.document
                rows.append(
                    {"ref": doc.raw_ref, "title": doc.title, "published": doc.published, "segments": len(doc.segments),
                     "entities": len(analysis.entities), "events": len(analysis.events), "quotes": len(analysis.quotes)}
                )  # fmt: skip
    if fmt == "table":
        cols = [("ref", "input"), ("title", "title"), ("published", "published"), ("segments", "segments"),
                ("entities", "entities"), ("events", "events"), ("quotes", "quotes")]  # fmt: skip
        table(rows, cols)
    sys.exit(EXIT_PARTIAL if failed else EXIT_OK)


# -- queries --------------------------------------------------------------------------------------


def _store(db: str) -> Any:
    from dossier.store import open_store

    return open_store(db)


@main.command()
@db_option
@click.option("--search", "-s", help="Full-text search (all words must appear).")
@click.option("--limit", "-n", type=int, default=50, show_default=True)
@format_option("table", "json")
@_handle_errors
def docs(db: str, search: str | None, limit: int, fmt: str) -> None:
    """List stored documents, or search their text."""
    from dossier import query
    from dossier.cli.output import emit_json, table

    with _store(db) as store:
        rows = query.documents(store, search=search, limit=limit)
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        row["id"] = row["id"].removeprefix("sha256:")[:12]
    cols = [("id", "id"), ("published", "published"), ("source", "source"), ("title", "title"), ("words", "words")]
    if search:
        cols.append(("snippet", "match"))
    table(rows, cols)


@main.command()
@click.argument("doc_id")
@db_option
@format_option("table", "json")
@_handle_errors
def doc(doc_id: str, db: str, fmt: str) -> None:
    """Show one document (id or a unique prefix of it): its text with every segment marked."""
    from rich.text import Text

    from dossier import query
    from dossier.cli.output import console, emit_json

    with _store(db) as store:
        data = query.document(store, doc_id)
    if fmt == "json":
        emit_json(data)
        return
    d = data["document"]
    out = console()
    out.print(Text(d.get("title") or "(untitled)", style="bold"))
    meta = " · ".join(str(x) for x in (d.get("source"), d.get("published"), d.get("language"), d.get("url")) if x)
    out.print(Text(meta, style="dim"))
    out.print(Text(f"{d['id']}  ({len(data['entities'])} entities, {len(data['events'])} events, "
                   f"{len(data['quotes'])} quotes)", style="dim"))  # fmt: skip
    out.print()
    styles = {"body": "", "title": "bold", "byline": "cyan", "dateline": "cyan", "caption": "magenta",
              "boilerplate": "dim strike", "comment": "dim italic", "thread_post": ""}  # fmt: skip
    text = d["text"]
    for seg in data["segments"]:
        label = seg["kind"] + (f" by {seg['author']}" if seg.get("author") else "")
        out.print(Text(f"[{label}]", style="bold blue"))
        out.print(Text(text[seg["start"] : seg["end"]], style=styles.get(seg["kind"], "")))


@main.command()
@db_option
@click.option("--type", "type_", help="Entity type: PERSON, ORG, GPE, LOC, FAC, PRODUCT, EVENT, WORK_OF_ART.")
@click.option("--search", "-s", help="Part of a name.")
@click.option("--limit", "-n", type=int, default=50, show_default=True)
@format_option("table", "json")
@_handle_errors
def entities(db: str, type_: str | None, search: str | None, limit: int, fmt: str) -> None:
    """List entities resolved across documents, most documented first."""
    from dossier import query
    from dossier.cli.output import emit_json, table

    with _store(db) as store:
        rows = query.entities(store, type_=type_, search=search, limit=limit)
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        row["also"] = "; ".join(row["aliases"][:6])
    table(rows, [("name", "name"), ("type", "type"), ("documents", "documents"), ("mentions", "mentions"),
                 ("wikidata", "wikidata"), ("also", "also named")])  # fmt: skip


@main.command()
@db_option
@click.option("--type", "type_", help="Event type, e.g. ACQUISITION, SANCTION, PARTNERSHIP.")
@click.option("--entity", "-e", help="Only events in which this entity takes part.")
@click.option("--since", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--limit", "-n", type=int, default=100, show_default=True)
@format_option("table", "json")
@_handle_errors
def events(
    db: str, type_: str | None, entity: str | None, since: str | None, until: str | None, limit: int, fmt: str
) -> None:
    """List extracted events with participants, status and evidence."""
    from dossier import query
    from dossier.cli.output import emit_json, table

    with _store(db) as store:
        rows = query.events(store, type_=type_, entity=entity, since=since, until=until, limit=limit)
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        row["who"] = _who(row["participants"])
        row["amount"] = "; ".join(a["text"] for a in row["amounts"])
    table(rows, [("date", "date"), ("type", "type"), ("status", "status"), ("who", "participants"),
                 ("amount", "amount"), ("source", "source"), ("evidence_text", "evidence")])  # fmt: skip


@main.command()
@db_option
@click.option("--speaker", help="Only quotes by this entity.")
@click.option("--limit", "-n", type=int, default=100, show_default=True)
@format_option("table", "json")
@_handle_errors
def quotes(db: str, speaker: str | None, limit: int, fmt: str) -> None:
    """List quotes with their speakers."""
    from dossier import query
    from dossier.cli.output import emit_json, table

    with _store(db) as store:
        rows = query.quotes(store, speaker=speaker, limit=limit)
    if fmt == "json":
        emit_json(rows)
    else:
        table(rows, [("published", "published"), ("speaker", "speaker"), ("speaker_kind", "kind"),
                     ("text", "quote"), ("source", "source")])  # fmt: skip


@main.command()
@db_option
@format_option("table", "json")
@_handle_errors
def stats(db: str, fmt: str) -> None:
    """Counts of documents, entities and events by type, and the most connected entities."""
    from dossier import query
    from dossier.cli.output import emit_json

    with _store(db) as store:
        data = query.stats(store)
    if fmt == "json":
        emit_json(data)
    else:
        _print_stats(data)


def _print_stats(data: dict[str, Any]) -> None:
    from rich.text import Text

    from dossier.cli.output import console

    out = console()
    out.print(Text(f"{data['documents']} documents · {data['words']:,} words · {data['entities']['total']} entities · "
                   f"{data['events']['total']} events · {data['quotes']} quotes", style="bold"))  # fmt: skip
    out.print(Text("entities by type: ") + Text(", ".join(f"{k} {v}" for k, v in data["entities"]["by_type"].items())))
    out.print(Text("events by type:   ") + Text(", ".join(f"{k} {v}" for k, v in data["events"]["by_type"].items())))
    if data["most_connected"]:
        out.print(Text("most connected:   ") + Text(", ".join(
            f"{e['name']} ({e['connections']})" for e in data["most_connected"])))  # fmt: skip


@main.command()
@db_option
@format_option("jsonl", "csv", "graphml", "gexf", "ftm", "analyses", default="jsonl")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to a file, not stdout.")
@_handle_errors
def export(db: str, fmt: str, output: str | None) -> None:
    """Export the knowledge: entities and facts as JSON Lines, facts as CSV, the graph as GraphML or GEXF,
    FollowTheMoney entities (loads into Aleph), or the analysis contract of every document (analyses)."""
    import contextlib
    import json

    from dossier import query
    from dossier.query import formats
    from dossier.query import knowledge as kq

    with _store(db) as store, contextlib.ExitStack() as stack:
        handle = stack.enter_context(open(output, "w", encoding="utf-8", newline="")) if output else sys.stdout
        if fmt == "analyses":
            rows: Any = query.export_analyses(store)
        elif fmt == "jsonl":
            rows = _knowledge_records(kq.all_entities(store), kq.all_facts(store))
        elif fmt == "ftm":
            rows = formats.ftm_entities(list(kq.all_entities(store)), kq.all_facts(store))
        elif fmt == "csv":
            formats.write_csv(kq.all_facts(store), handle)
            return
        else:
            graph = kq.whole_graph(store)
            handle.write(formats.graphml(graph) if fmt == "graphml" else formats.gexf(graph))
            return
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":"), default=str) + "\n")


def _knowledge_records(entities: Any, facts: Any) -> Any:
    for entity in entities:
        yield {"kind": "entity", **entity}
    for fact in facts:
        yield {"kind": "fact", **fact}


# -- knowledge ------------------------------------------------------------------------------------


@main.command()
@db_option
@click.option("--type", "type_", help="Event type, e.g. ACQUISITION, SANCTION, PARTNERSHIP.")
@click.option("--status", help="Current status: proposed, negotiating, planned, agreed, done, cancelled, denied.")
@click.option("--entity", "-e", help="Only facts this entity takes part in.")
@click.option("--since", help="Happened (or first reported) from this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", help="Happened (or first reported) up to this date.")
@click.option("--min-sources", type=click.IntRange(0), default=0, help="At least this many independent sources.")
@click.option("--contradicted", is_flag=True, help="Only facts whose sources contradict each other.")
@click.option("--limit", "-n", type=int, default=100, show_default=True)
@format_option("table", "json")
@_handle_errors
def facts(
    db: str, type_: str | None, status: str | None, entity: str | None, since: str | None, until: str | None,
    min_sources: int, contradicted: bool, limit: int, fmt: str,
) -> None:  # fmt: skip
    """List facts: events merged across documents, with status, corroboration and contradictions."""
    from dossier import query
    from dossier.cli.output import emit_json, table

    with _store(db) as store:
        rows = query.facts(
            store, type_=type_, status=status, entity=entity, since=since, until=until,
            min_corroboration=min_sources, contradicted=contradicted, limit=limit,
        )  # fmt: skip
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        _fact_cells(row)
    table(rows, [("id", "fact"), ("when", "happened"), ("type", "type"), ("status", "status"), ("who", "participants"),
                 ("corroboration", "sources"), ("reported", "reported"), ("warn", "contradictions")])  # fmt: skip


def _who(participants: list[dict[str, Any]]) -> str:
    return "; ".join(f"{p['role']}: {p['name']}" for p in participants)


def _fact_cells(row: dict[str, Any]) -> None:
    row["who"] = _who(row["participants"])
    row["when"] = row["date"]["start"] or ""
    first, last = row.get("first_reported") or "", row.get("last_reported") or ""
    row["reported"] = first if first == last else f"{first} → {last}"
    row["warn"] = "; ".join(f"{c['kind']}: {c['left_value']} / {c['right_value']}" for c in row["contradictions"])
    row["status"] = row["status"] + (" (hedged)" if row["hedged"] else "")


@main.command()
@click.argument("fact_id")
@db_option
@format_option("table", "json")
@_handle_errors
def fact(fact_id: str, db: str, fmt: str) -> None:
    """Show one fact (id or a unique prefix): its evidence from every source, status history, contradictions."""
    from rich.text import Text

    from dossier import query
    from dossier.cli.output import console, emit_json

    with _store(db) as store:
        data = query.fact(store, fact_id)
    if fmt == "json":
        emit_json(data)
        return
    out = console()
    _fact_cells(data)
    out.print(Text(f"{data['type']} · {data['status']} · {data['who']}", style="bold"))
    out.print(Text(f"{data['id']} · happened {data['when'] or 'date unknown'} · reported {data['reported']} · "
                   f"{data['corroboration']} independent sources, {data['reports']} reports", style="dim"))  # fmt: skip
    if data["amounts"]:
        out.print(Text("amounts: " + "; ".join(a["text"] for a in data["amounts"])))
    out.print(Text("status history: " + " → ".join(f"{h['status']} ({h['reported'] or '?'}, {h['outlet'] or '?'})"
                                                  for h in data["status_history"])))  # fmt: skip
    for c in data["contradictions"]:
        out.print(Text(f"contradiction ({c['kind']}): {c['left']['outlet']} {c['left_value']!r} vs "
                       f"{c['right']['outlet']} {c['right_value']!r}", style="yellow"))  # fmt: skip
    out.print()
    for e in data["evidence"]:
        who = e["attribution"]["kind"] + (f" ({e['attribution']['speaker']})" if e["attribution"]["speaker"] else "")
        out.print(Text(f"{e['published'] or '?'} · {e['outlet'] or '?'} · {e['status']} · according to {who} · "
                       f"source {e['source']}", style="cyan"))  # fmt: skip
        out.print(Text("  " + " ".join(e["text"].split())))


@main.command()
@click.argument("entity")
@db_option
@format_option("table", "json")
@_handle_errors
def show(entity: str, db: str, fmt: str) -> None:
    """An entity's dossier: names, type, Wikidata id, key facts by type, quotes by and about, contradictions,
    sources."""
    from dossier import query

    with _store(db) as store:
        data = query.show(store, entity)
    if fmt == "json":
        from dossier.cli.output import emit_json

        emit_json(data)
        return
    _print_dossier(data)


def _print_dossier(data: dict[str, Any]) -> None:
    from rich.text import Text

    from dossier.cli.output import console

    out = console()
    e = data["entity"]
    out.print(
        Text(f"{e['name']} ({e['type']})" + (f" · wikidata {e['wikidata']}" if e["wikidata"] else ""), style="bold")
    )
    out.print(Text(f"{e['documents']} documents · {e['mentions']} mentions · id {e['id']}", style="dim"))
    if e["aliases"]:
        out.print(Text("also: " + "; ".join(e["aliases"][:15])))
    if e["descriptions"]:
        out.print(Text("described as: " + "; ".join(e["descriptions"][:6])))
    if data["also_named"]:
        others = "; ".join(f"{o['name']} ({o['type']}, {o['id']})" for o in data["also_named"])
        out.print(Text("the name may also mean: " + others, style="dim"))
    for type_, rows in data["facts"].items():
        out.print()
        out.print(Text(f"{type_} ({data['fact_counts'].get(type_, len(rows))})", style="bold blue"))
        for f in rows:
            _fact_cells(f)
            out.print(Text(f"  [{f['status']}] {f['who']} · {f['when'] or '?'} · {f['corroboration']} sources · "
                           f"{f['id']}"))  # fmt: skip
            if f["evidence"]:
                out.print(Text("     " + " ".join(f["evidence"][0]["text"].split())[:160], style="dim"))
    for title, key in (("quotes by", "quotes_by"), ("quotes about", "quotes_about")):
        if data[key]:
            out.print()
            out.print(Text(title, style="bold blue"))
            for q in data[key]:
                out.print(
                    Text(f"  “{' '.join(q['text'].split())[:200]}” · {q['source'] or '?'} {q['published'] or ''}")
                )
    if data["contradictions"]:
        out.print()
        out.print(Text("open contradictions", style="bold yellow"))
        for c in data["contradictions"]:
            for x in c["contradictions"]:
                out.print(Text(f"  {c['type']} {c['fact']}: {x['kind']} {x['left_value']!r} ({x['left']['outlet']}) vs "
                               f"{x['right_value']!r} ({x['right']['outlet']})"))  # fmt: skip
    if data["sources"]:
        out.print()
        out.print(Text("sources: " + "; ".join(f"{s['outlet']} ({s['documents']})" for s in data["sources"][:12])))


@main.command()
@click.argument("entity")
@db_option
@click.option("--by", type=click.Choice(["happened", "reported"]), default="happened", show_default=True,
              help="Order by when facts happened or when they were first reported.")  # fmt: skip
@click.option("--since", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Up to this date.")
@click.option("--limit", "-n", type=int, default=200, show_default=True)
@format_option("table", "json")
@_handle_errors
def timeline(entity: str, db: str, by: str, since: str | None, until: str | None, limit: int, fmt: str) -> None:
    """An entity's facts in time, bi-temporal: when each happened and when it was reported, with its status
    at each report."""
    from dossier import query
    from dossier.cli.output import emit_json, table

    with _store(db) as store:
        data = query.timeline(store, entity, by=by, since=since, until=until, limit=limit)
    if fmt == "json":
        emit_json(data)
        return
    for row in data["facts"]:
        row["who"] = _who(row["participants"])
        row["when"] = row["happened"]["start"] or "?"
        row["rep"] = " → ".join(dict.fromkeys(x for x in (row["reported"]["first"], row["reported"]["last"]) if x))
        row["life"] = " → ".join(f"{h['status']}" for h in row["history"])
    axis = "happened" if by == "happened" else "were reported"
    table(data["facts"], [("when", "happened"), ("rep", "reported"), ("type", "type"), ("status", "status"),
                          ("life", "life-cycle"), ("who", "participants"), ("corroboration", "sources")],
          title=f"{data['entity']['name']}: facts by when they {axis}")  # fmt: skip


@main.command()
@click.argument("entity")
@db_option
@click.option("--depth", "-d", type=click.IntRange(0, 5), default=1, show_default=True)
@click.option("--limit", "-n", type=int, default=200, show_default=True, help="At most this many entities.")
@click.option("--min-sources", type=click.IntRange(0), default=0, help="Only facts with this many sources.")
@format_option("json", "graphml", "gexf", "dot", default="json")
@_handle_errors
def graph(entity: str, db: str, depth: int, limit: int, min_sources: int, fmt: str) -> None:
    """The entities within DEPTH facts of ENTITY and the facts joining them (JSON, GraphML, GEXF or DOT)."""
    from dossier import query
    from dossier.cli.output import emit_json
    from dossier.query import formats

    with _store(db) as store:
        data = query.graph(store, entity, depth=depth, limit=limit, min_corroboration=min_sources)
    if fmt == "json":
        emit_json(data)
    else:
        sys.stdout.write({"graphml": formats.graphml, "gexf": formats.gexf, "dot": formats.dot}[fmt](data))


@main.command()
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--max-hops", type=click.IntRange(1, 6), default=4, show_default=True)
@format_option("table", "json")
@_handle_errors
def path(a: str, b: str, db: str, max_hops: int, fmt: str) -> None:
    """How two entities are connected: the shortest chain of facts between them."""
    from rich.text import Text

    from dossier import query
    from dossier.cli.output import console, emit_json

    with _store(db) as store:
        data = query.path(store, a, b, max_hops=max_hops)
    if fmt == "json":
        emit_json(data)
        return
    out = console()
    if not data["hops"]:
        out.print(Text(f"no connection between {data['from']['name']} and {data['to']['name']} within {max_hops} hops"))
        sys.exit(EXIT_QUERY)
    for hop in data["hops"]:
        out.print(Text(f"{hop['from']['name']} → {hop['to']['name']}", style="bold"))
        for f in hop["facts"]:
            _fact_cells(f)
            out.print(Text(f"  {f['type']} [{f['status']}] {f['who']} · {f['corroboration']} sources · {f['id']}"))


@main.command()
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--author", envvar="USER", help="Who judges (recorded with the judgement; env USER).")
@_handle_errors
def merge(a: str, b: str, db: str, author: str | None) -> None:
    """Record that A and B are one entity (a human judgement every re-run keeps); facts follow."""
    _judge("merge", a, b, db, author)


@main.command()
@click.argument("entity")
@click.argument("part")
@db_option
@click.option("--author", envvar="USER", help="Who judges (recorded with the judgement; env USER).")
@_handle_errors
def split(entity: str, part: str, db: str, author: str | None) -> None:
    """Record that the names PART are not the entity ENTITY (a human judgement every re-run keeps)."""
    _judge("split", entity, part, db, author)


def _judge(kind: str, a: str, b: str, db: str, author: str | None) -> None:
    from dossier.knowledge import judge

    with _store(db) as store:
        report = judge(store, kind, a, b, author=author)
    click.echo(f"{kind}: {report.summary()}", err=True)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--cache-mb",
    type=click.IntRange(0, 4096),
    default=64,
    show_default=True,
    help="Memory for answers to GET requests, kept until the store changes (0: none).",
)
@_handle_errors
def serve(db: str, host: str, port: int, cache_mb: int) -> None:
    """Serve the workbench: web pages (/), the JSON API (/api, schema at /openapi.json, Swagger UI at /docs).
    Writes (ingest, merge, split) need DOSSIER_API_TOKEN set and the same token in each request's
    'Authorization: Bearer' header."""
    import os

    import uvicorn

    from dossier.web import create_app

    token = os.environ.get("DOSSIER_API_TOKEN") or None
    app = create_app(db, token=token, cache_mb=cache_mb)
    click.echo(f"serving {db} on http://{host}:{port} ({'writes need the token' if token else 'read-only'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@db_option
@_handle_errors
def rebuild(db: str) -> None:
    """Recompute resolved entities, copies and facts from the stored analyses (human judgements are kept)."""
    import time

    from dossier.knowledge import rebuild as run

    began = time.perf_counter()
    with _store(db) as store:
        report = run(store)
    click.echo(f"rebuilt: {report.summary()} in {time.perf_counter() - began:.1f}s", err=True)


# -- demo -----------------------------------------------------------------------------------------


DEMO_FOLDERS = ("articles", "pages", "threads", "feeds", "heldout")


def demo_corpus() -> Path:
    """The bundled demo corpus: packaged data in a wheel, examples/demo in a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "data" / "demo"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "examples" / "demo"
    if checkout.is_dir():
        return checkout
    from dossier.errors import DossierError

    raise DossierError("the demo corpus is not installed (expected examples/demo beside the source tree)")


@main.command()
@db_option
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=1, show_default=True)
@_handle_errors
def demo(db: str, workers: int) -> None:
    """Build the store from the bundled demo corpus and print a summary and what to try next."""
    from rich.text import Text

    from dossier import query
    from dossier.cli.output import console
    from dossier.store import open_store

    corpus = demo_corpus()
    out = console()
    out.print(Text(f"Building {db} from the demo corpus in {corpus} …", style="bold"))
    with open_store(db) as store:
        folders = tuple(str(corpus / name) for name in DEMO_FOLDERS if (corpus / name).is_dir())
        report = _run_ingest(
            store, folders, (), workers=workers, max_bytes=None, pipeline=settings.get("pipeline"), quiet=False
        )
        data = query.stats(store)
    out.print()
    _print_stats(data)
    flag = "" if db == settings.SETTINGS["db"].default else f" --db {db}"
    out.print()
    out.print(Text("Try next:", style="bold"))
    for line in (
        f"dossier docs --search Huawei{flag}",
        f"dossier entities --type ORG{flag}",
        f"dossier events --type ACQUISITION{flag}",
        f"dossier events --entity ASML --since 2023{flag}",
        f"dossier quotes{flag}",
        f"dossier doc <id from dossier docs>{flag}",
        f"dossier show Huawei{flag}",
        f"dossier facts --min-sources 2{flag}",
        f"dossier timeline 'Nvidia'{flag}",
        f"dossier path Microsoft OpenAI{flag}",
        f"dossier export --format jsonl{flag} > knowledge.jsonl",
    ):
        out.print(Text("  " + line))
    sys.exit(report.exit_code)


# -- eval -----------------------------------------------------------------------------------------


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, path_type=Path), default=None, required=False)
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder the gold files' document paths are relative to (default: the demo corpus).",
)
@click.option(
    "--analyses",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Score these analyses (JSON Lines, e.g. from `dossier analyze --format json` or another tool) "
    "instead of running the pipeline.",
)
@click.option("--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True)
@click.option("--details", is_flag=True, help="List each document's misses, false positives and wrong attributes.")
@pipeline_option
@format_option("table", "json")
@_handle_errors
def eval_(
    gold: Path | None, corpus: Path | None, analyses: Path | None, split: str, details: bool, pipeline: str, fmt: str
) -> None:
    """Score extraction against gold annotations (default: the demo corpus's gold set).

    Per layer precision, recall and F1 (entities by name and type; events by type and key participants;
    quotes by text and speaker), status, date, hedging and attribution accuracy, and text taken from
    comments or furniture; per split (dev, test) and overall. The format is described in docs/gold.md.
    """
    from dossier.cli.output import console, emit_json
    from dossier.eval.run import evaluate

    if gold is None:
        gold = demo_corpus().parent / "gold"
        if not gold.is_dir():
            raise click.UsageError("no GOLD given and no gold set beside the demo corpus")
    if corpus is None and analyses is None:
        corpus = demo_corpus()
    err = console(stderr=True)
    report = evaluate(
        gold,
        corpus=corpus,
        analyses=analyses,
        pipeline=pipeline,
        split=split,
        progress=lambda message: err.print(message, markup=False, highlight=False),
    )
    if fmt == "json":
        emit_json(report.to_dict(details=details))
        return
    _print_eval(report, details)


def _print_eval(report: Any, details: bool) -> None:
    from rich.table import Table

    from dossier.cli.output import console

    out = console()
    if details:
        for doc in report.documents:
            if not doc.issues:
                continue
            out.print(f"[bold]{doc.gold.path}[/bold] ({doc.gold.split})", highlight=False)
            for issue in doc.issues:
                out.print(f"  {issue}", markup=False, highlight=False)
        out.print()
    names = list(report.splits)
    tbl = Table(title=f"dossier eval ({report.pipeline or 'analyses from file'})")
    tbl.add_column("measure")
    for name in names:
        tbl.add_column(f"{name} ({report.splits[name]['documents']} docs)", justify="right")
    for layer in ("entities", "events", "quotes", "quotes_text_only"):
        for key in ("precision", "recall", "f1"):
            tbl.add_row(f"{layer} {key}", *(f"{report.splits[n][layer][key]:.3f}" for n in names))
    for layer in ("status", "dates", "hedged", "attribution"):
        tbl.add_row(
            f"{layer} accuracy",
            *(f"{report.splits[n][layer]['accuracy']:.3f} ({report.splits[n][layer]['total']})" for n in names),
        )
    tbl.add_row("text from comments/furniture", *(str(report.splits[n]["foreign_text_in_evidence"]) for n in names))
    know = report.knowledge
    for layer, label in (("resolution", "entity resolution"), ("facts", "fact merging")):
        if not know:
            break
        for key in ("precision", "recall", "f1"):
            cells = [f"{know[n][layer][key]:.3f}" if layer in know.get(n, {}) else "" for n in names]
            tbl.add_row(f"{label} {key} (pairwise)", *cells)
    out.print(tbl)
    if report.seconds:
        out.print(
            f"analysed {report.words:,} words in {report.seconds:.1f} s "
            f"({report.words / report.seconds:,.0f} words/s, one process)"
        )


# -- train ----------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    envvar="DOSSIER_TRAIN_DATA",
    help="Folder with ud-english-ewt/, uner-english-ewt/ and gum/ (env DOSSIER_TRAIN_DATA).",
)
@click.option("--config", default="pieces", show_default=True, help="A config of dossier/train/configs or a .cfg path.")
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/train"),
    show_default=True,
    help="Working folder for converted corpora, checkpoints and scores.",
)
@click.option("--install/--no-install", default=True, show_default=True, help="Install the best model as the default.")
@click.option("--max-steps", type=click.IntRange(1), default=None, help="Stop after this many steps (smoke runs).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a config value (repeatable).")
@click.option(
    "--evaluate-only",
    "evaluate_only",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Only score this trained pipeline on the test sets.",
)
@_handle_errors
def train(
    data: Path,
    config: str,
    work: Path,
    install: bool,
    max_steps: int | None,
    sets: tuple[str, ...],
    evaluate_only: Path | None,
) -> None:
    """Train the statistical pipeline (tagger, parser, NER) from the open corpora, score it, install it."""
    import json
    import subprocess

    from dossier import train as training
    from dossier.errors import DossierError

    work.mkdir(parents=True, exist_ok=True)
    try:
        # training always converts afresh; scoring alone reuses a conversion that is already there
        if evaluate_only is None or not (work / "corpus" / "all" / "pud-test.spacy").exists():
            click.echo(f"converting corpora from {data} …", err=True)
            training.build_corpora(data, work)
        if evaluate_only is not None:
            scores = training.evaluate(evaluate_only, work / "corpus")
            if evaluate_only.resolve() == training.MODEL_DIR.resolve():
                # the installed model: also score the names the whole default pipeline finds
                scores["pipeline_entities"] = training.evaluate_pipeline_entities(work / "corpus")
            click.echo(json.dumps(scores, indent=2))
            return
        cfg = training.config_path(config)
        output = work / cfg.stem
        click.echo(f"training {cfg.name} into {output} (one BLAS thread) …", err=True)
        overrides: dict[str, str] = {}
        if max_steps is not None:
            overrides = {"training.max_steps": str(max_steps), "training.eval_frequency": str(max(1, max_steps // 2))}
        for item in sets:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise click.UsageError(f"--set {item!r}: expected KEY=VALUE")
            overrides[key.removeprefix("--")] = value
        seconds = training.run_spacy_train(cfg, work, output, overrides)
        best = output / "model-best"
        scores = training.evaluate(best, work / "corpus")
        (output / "scores.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        click.echo(json.dumps(scores, indent=2))
        click.echo(f"trained in {seconds / 60:.1f} min; scores in {output / 'scores.json'}", err=True)
        if install:
            target = training.install(best, scores, cfg, train_seconds=seconds)
            click.echo(f"installed {target} ({training.model_size(target) / 1e6:.1f} MB)", err=True)
    except FileNotFoundError as exc:
        raise DossierError(str(exc)) from exc
    except subprocess.CalledProcessError as exc:
        raise DossierError(f"spacy train failed (exit {exc.returncode})") from exc


if __name__ == "__main__":  # pragma: no cover
    main()
