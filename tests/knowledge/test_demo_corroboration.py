"""Corroboration on the demo's syndicated story: two outlets' copies of one Northwind Wire story count as one
source, Harbor Daily's own report of the same deal as another (examples/demo/MANIFEST-articles.md)."""

from __future__ import annotations

from pathlib import Path

from dossier import query
from dossier.scale.runner import ingest
from dossier.store import open_store

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
FILES = [
    DEMO / "articles" / "2023-01-23-harbor-daily-microsoft-openai-wire.txt",
    DEMO / "articles" / "2023-01-24-pacific-circuit-microsoft-openai-wire.txt",
    DEMO / "pages" / "2023-01-24-harbor-daily-microsoft-openai-investment.html",
]


def test_wire_copies_count_once_and_an_own_report_counts_again(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        report = ingest([str(f) for f in FILES], store=store)
        assert report.stored == 3
        investments = query.facts(store, type_="INVESTMENT", entity="OpenAI")
        # Microsoft's 2019 stake: all three documents report it; two are copies of one wire story
        (first,) = [f for f in investments if f["date"]["start"] == "2019"]
        detail = query.fact(store, first["id"])
        assert detail["documents"] == 3
        assert sorted(e["source"] for e in detail["evidence"]) == [
            "outlet:harbor daily", "outlet:northwind wire", "outlet:northwind wire",
        ]  # fmt: skip
        assert detail["corroboration"] == 2
        # every fact drawn only from the two copies counts one source
        wire_only = [
            f for f in query.facts(store) if {e["source"] for e in query.fact(store, f["id"])["evidence"]}
            == {"outlet:northwind wire"}
        ]  # fmt: skip
        assert wire_only and all(f["corroboration"] == 1 for f in wire_only)
