"""Printing for the CLI: JSON for programs, rich tables for people. Text from documents is never markup."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_jsonl(rows: Iterable[Any]) -> None:
    write = sys.stdout.write
    for row in rows:
        write(json.dumps(row, ensure_ascii=False, separators=(",", ":"), default=str) + "\n")


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # A terminal sets the width; into a pipe or a file, tables get room instead of 80 columns.
    width = None if stream.isatty() else 200
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], *, title: str | None = None) -> None:
    """A rich table of ``rows``; ``columns`` are (key, header). Values are shown as plain text."""
    from rich.table import Table
    from rich.text import Text

    tbl = Table(title=title, show_lines=False, header_style="bold")
    for _, header in columns:
        tbl.add_column(header, overflow="fold")
    for row in rows:
        tbl.add_row(*[Text(_short(_cell(row.get(key)))) for key, _ in columns])
    console().print(tbl)
    if not rows:
        console().print(Text("(nothing found)", style="dim"))


_MAX_CELL = 160


def _short(text: str) -> str:
    """Long text (evidence, quotes) is cut in tables; --format json has it whole."""
    text = " ".join(text.split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1].rstrip() + "…"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:,.0f}"
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


def error(message: str) -> None:
    """One line on stderr, never wrapped (scripts grep these)."""
    import click

    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)


def skipped(message: str) -> None:
    import click

    click.echo(click.style("skipped: ", fg="yellow") + message, err=True)
