"""Knowledge across documents: one deal reported by copies, independent outlets, a citing story, a denial and
a completion; entity resolution with two people of one name; human judgements that survive a rebuild; the
incremental path against a rebuild; the commands that read it all. Every analysis here is our own."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dossier import query
from dossier.cli import main
from dossier.knowledge import judge, rebuild, update
from dossier.model import Analysis
from dossier.store import Store, open_store
from dossier.store import schema as t

WIRE = (
    "Orvane Systems has agreed to buy Kestrel Mobile for $2 billion in cash, the two companies said on Tuesday. "
    "The purchase gives Orvane, a maker of radio chips based in Tallinn, its first network business and a "
    "customer list across the Baltic states. Mara Quist, chief executive of Orvane, said the deal would close "
    "by the summer once regulators in Estonia and Latvia had approved it. Kestrel Mobile runs about 4,000 base "
    "stations and employs 1,200 people, most of them engineers working on its private 5G networks."
)
NOTE = "Editor's note: this story was first published by our partner newsroom.\n\n"


def _analysis(key: str, outlet: str, published: str, text: str, entities: list[dict[str, Any]],
              events: list[dict[str, Any]], origin: str | None = None) -> Analysis:  # fmt: skip
    """A contract object for ``text``: entities by their surfaces, events by their evidence sentence."""
    ents = []
    for n, e in enumerate(entities, 1):
        mentions = []
        for surface in [e["name"], *e.get("aliases", [])]:
            at = text.find(surface)
            if at >= 0:
                mentions.append({"start": at, "end": at + len(surface), "text": surface})
        ents.append({"id": f"e{n}", "name": e["name"], "type": e["type"], "aliases": e.get("aliases", []),
                     "mentions": mentions, "descriptions": e.get("descriptions", []), "kb": {}})  # fmt: skip
    local = {e["name"]: f"e{n}" for n, e in enumerate(entities, 1)}
    evs = []
    for n, v in enumerate(events, 1):
        start = text.index(v["evidence"])
        att = v.get("attribution", {"kind": "outlet"})
        evs.append(
            {"id": f"v{n}", "type": v["type"], "status": v["status"], "hedged": False,
             "participants": [{"role": r, "entity": local[name]} for r, name in v["roles"]],
             "date": v.get("date"), "amounts": v.get("amounts", []),
             "attribution": {"kind": att["kind"], "speaker": local.get(att.get("speaker", "")), "cue": None},
             "evidence": {"start": start, "end": start + len(v["evidence"]), "text": v["evidence"]}}
        )  # fmt: skip
    doc_id = "sha256:" + hashlib.sha256((key + text).encode()).hexdigest()
    return Analysis.from_dict(
        {"document": {"id": doc_id, "url": f"https://example.org/{key}", "source": outlet, "title": key,
                      "published": published, "language": "en", "text": text,
                      "origin": {"outlet": origin or outlet}},
         "segments": [{"kind": "body", "start": 0, "end": len(text)}], "entities": ents, "events": evs, "quotes": []}
    )  # fmt: skip


ORVANE = {"name": "Orvane Systems", "type": "ORG", "aliases": ["Orvane"]}
KESTREL = {"name": "Kestrel Mobile", "type": "ORG"}
USD2 = [{"text": "$2 billion", "value": 2e9, "unit": "USD", "usd": 2e9}]
DEAL = {"type": "ACQUISITION", "roles": [("buyer", "Orvane Systems"), ("target", "Kestrel Mobile")]}


def _corpus() -> list[Analysis]:
    quist_ceo = {"name": "Mara Quist", "type": "PERSON", "descriptions": ["chief executive of Orvane"]}
    first = WIRE.split(". ")[0] + "."
    a = _analysis("a", "Harbor Daily", "2023-01-10", WIRE, [ORVANE, KESTREL, quist_ceo],
                  [{**DEAL, "status": "agreed", "evidence": first, "amounts": USD2, "date": {"text": "Tuesday",
                    "start": "2023-01-10", "end": "2023-01-10"}}])  # fmt: skip
    b = _analysis("b", "Pacific Circuit", "2023-01-11", NOTE + WIRE, [ORVANE, KESTREL, quist_ceo],
                  [{**DEAL, "status": "agreed", "evidence": first, "amounts": USD2, "date": {"text": "Tuesday",
                    "start": "2023-01-10", "end": "2023-01-10"}}])  # fmt: skip
    c_text = ("Orvane will pay $2.6 billion for Kestrel Mobile, according to a filing seen by this newspaper, more "
              "than the figure the companies gave. Mara Quist, a professor at Tartu University who studies telecoms "
              "markets, said the price was high.")  # fmt: skip
    c = _analysis("c", "Baltic Tech Review", "2023-02-01", c_text,
                  [{"name": "Orvane", "type": "ORG"}, KESTREL,
                   {"name": "Mara Quist", "type": "PERSON", "descriptions": ["a professor at Tartu University"]},
                   {"name": "Tartu University", "type": "ORG"}],
                  [{"type": "ACQUISITION", "roles": [("buyer", "Orvane"), ("target", "Kestrel Mobile")],
                    "status": "agreed", "evidence": c_text.split(", according")[0],
                    "amounts": [{"text": "$2.6 billion", "value": 2.6e9, "unit": "USD", "usd": 2.6e9}]}])  # fmt: skip
    d_text = "Orvane Systems agreed to buy Kestrel Mobile, Harbor Daily reported, citing the two companies."
    harbor = {"name": "Harbor Daily", "type": "ORG"}
    d = _analysis("d", "Eurasia Signal", "2023-03-01", d_text, [ORVANE, KESTREL, harbor],
                  [{**DEAL, "status": "agreed", "evidence": d_text,
                    "attribution": {"kind": "other_outlet", "speaker": "Harbor Daily"}}])  # fmt: skip
    e_text = "Kestrel Mobile denied on Wednesday that it had agreed to be sold to Orvane Systems."
    e = _analysis("e", "Sonoran Courier", "2023-03-15", e_text, [ORVANE, KESTREL],
                  [{**DEAL, "status": "denied", "evidence": e_text,
                    "attribution": {"kind": "named", "speaker": "Kestrel Mobile"}}])  # fmt: skip
    f_text = ("Orvane Systems completed its acquisition of Kestrel Mobile on June 20, chief executive Mara Quist said. "
              "Orvane Systems bought Lumenfab, a chip-design house, in 2019.")  # fmt: skip
    f = _analysis("f", "The Meridian Ledger", "2023-06-21", f_text,
                  [ORVANE, KESTREL, {"name": "Mara Quist", "type": "PERSON"}, {"name": "Lumenfab", "type": "ORG"}],
                  [{**DEAL, "status": "done", "evidence": f_text.split(" chief")[0],
                    "date": {"text": "June 20", "start": "2023-06-20", "end": "2023-06-20"}},
                   {"type": "ACQUISITION", "roles": [("buyer", "Orvane Systems"), ("target", "Lumenfab")],
                    "status": "done", "evidence": f_text.split("said. ")[1],
                    "date": {"text": "2019", "start": "2019", "end": "2019"}}])  # fmt: skip
    return [a, b, c, d, e, f]


def _store(url: str, analyses: list[Analysis], *, incremental: bool = False) -> Store:
    store = open_store(url)
    for analysis in analyses:
        store.write(analysis)
        if incremental:
            update(store)
    update(store)
    return store


def _deal(store: Store) -> dict[str, Any]:
    (row,) = [f for f in query.facts(store, entity="Kestrel Mobile") if f["type"] == "ACQUISITION"]
    return query.fact(store, row["id"])


def test_one_deal_from_copies_independent_reports_a_citation_a_denial_and_completion(db_url: str) -> None:
    with _store(db_url, _corpus()) as store:
        fact = _deal(store)
        assert fact["reports"] == 6 and fact["documents"] == 6
        # independent sources: the wire text (two copies) and the story citing it count once; the Baltic
        # report and the completion are two more; the denial contradicts rather than corroborates
        assert fact["corroboration"] == 3
        assert {e["source"] for e in fact["evidence"]} == {
            "outlet:harbor daily", "outlet:baltic tech review", "outlet:sonoran courier", "outlet:the meridian ledger",
        }  # fmt: skip
        assert [h["status"] for h in fact["status_history"]] == ["agreed"] * 4 + ["denied", "done"]
        assert fact["status"] == "done"
        assert (fact["first_reported"], fact["last_reported"]) == ("2023-01-10", "2023-06-21")
        kinds = {(c["kind"], c["left_value"], c["right_value"]) for c in fact["contradictions"]}
        assert ("amount", "$2 billion", "$2.6 billion") in kinds
        assert any(k[0] == "status" and "denied" in k[1:] for k in kinds)
        names = {(p["role"], p["name"]) for p in fact["participants"]}
        assert names == {("buyer", "Orvane Systems"), ("target", "Kestrel Mobile")}
        # the 2019 purchase of another company is another fact
        others = [f for f in query.facts(store, entity="Orvane") if f["id"] != fact["id"]]
        assert [(f["type"], f["date"]["start"]) for f in others] == [("ACQUISITION", "2019")]


def test_a_denial_that_comes_last_is_the_current_status(sqlite_url: str) -> None:
    corpus = _corpus()[:5]  # without the completion
    with _store(sqlite_url, corpus) as store:
        assert _deal(store)["status"] == "denied"


def test_names_resolve_and_two_people_of_one_name_stay_apart(sqlite_url: str) -> None:
    with _store(sqlite_url, _corpus()) as store, store.engine.connect() as conn:
        from sqlalchemy import select

        rows = conn.execute(
            select(t.doc_entities.c.name, t.doc_entities.c.descriptions, t.units.c.canonical_id).join(
                t.units, t.units.c.id == t.doc_entities.c.unit_id
            )
        ).all()
        orvane = {c for n, _, c in rows if n in ("Orvane", "Orvane Systems")}
        assert len(orvane) == 1  # "Orvane" alone and "Orvane Systems" are one company
        ceo = {c for n, d, c in rows if n == "Mara Quist" and "Orvane" in d}
        professor = {c for n, d, c in rows if n == "Mara Quist" and "Tartu" in d}
        assert len(ceo) == 1 and len(professor) == 1 and ceo != professor
        verdicts = {r.judgement for r in conn.execute(select(t.judgements.c.judgement, t.judgements.c.algorithm))}
        assert verdicts == {"positive", "negative"}
        assert set(conn.execute(select(t.judgements.c.algorithm)).scalars()) == {"names_v1"}


def _snapshot(store: Store) -> dict[str, Any]:
    from sqlalchemy import select

    j, de = t.judgements, t.doc_entities
    queries = {
        "units": select(t.units),
        "canonical": select(t.canonical),
        "judgements": select(j.c.left_id, j.c.right_id, j.c.source, j.c.judgement, j.c.score, j.c.algorithm),
        "copies": select(t.copies.c.doc_id, t.copies.c.family_id),
        "facts": select(t.facts),
        "fact_participants": select(t.fact_participants),
        "nodes": select(t.event_nodes),
        "classes": select(t.event_classes),
        "class_keys": select(t.class_keys),
        "links": select(t.class_links),
        "doc_units": select(de.c.doc_id, de.c.local_id, de.c.unit_id),
        "quote_refs": select(t.quote_refs),
    }
    with store.engine.connect() as conn:
        return {name: sorted(conn.execute(stmt).all()) for name, stmt in queries.items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_incremental_updates_equal_a_rebuild(tmp_path: Path, seed: int) -> None:
    corpus = _corpus()
    random.Random(seed).shuffle(corpus)
    with _store(f"sqlite:///{tmp_path / 'inc.db'}", corpus, incremental=True) as store:
        incremental = _snapshot(store)
        rebuild(store)
        assert _snapshot(store) == incremental


def test_human_judgements_survive_a_rebuild(sqlite_url: str) -> None:
    with _store(sqlite_url, _corpus()) as store:
        quists = [e for e in query.entities(store, search="Mara Quist")]
        assert len(quists) == 2
        judge(store, "merge", quists[0]["id"], quists[1]["id"], author="tester")
        assert len(query.entities(store, search="Mara Quist")) == 1
        rebuild(store)
        assert len(query.entities(store, search="Mara Quist")) == 1
        # splitting Lumenfab off a wrong merge with Orvane
        before = _deal(store)["participants"]
        judge(store, "merge", "Orvane Systems", "Lumenfab")
        assert len(query.entities(store, search="Lumenfab")) == 1
        assert query.entities(store, search="Lumenfab")[0]["name"] == "Orvane Systems"
        judge(store, "split", "Orvane Systems", "Lumenfab")
        rebuild(store)
        assert query.entities(store, search="Lumenfab")[0]["name"] == "Lumenfab"
        assert _deal(store)["participants"] == before
        with store.engine.connect() as conn:
            from sqlalchemy import select

            human = conn.execute(select(t.judgements.c.judgement).where(t.judgements.c.source == "human")).scalars()
            assert sorted(set(human)) == ["negative", "positive"]


def test_the_reading_commands(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    _store(db, _corpus()).close()
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(main, [*args, "--db", db])
        assert result.exit_code == 0, (args, result.output)
        return result

    shown = json.loads(run("show", "Kestrel Mobile", "--format", "json").stdout)
    assert shown["entity"]["name"] == "Kestrel Mobile" and shown["fact_counts"] == {"ACQUISITION": 1}
    assert shown["contradictions"] and {s["outlet"] for s in shown["sources"]} >= {"Harbor Daily", "Pacific Circuit"}
    assert "ACQUISITION (1)" in run("show", "Kestrel Mobile").stdout
    line = json.loads(run("timeline", "Orvane", "--format", "json").stdout)
    # a fact happened when its current status did: the deal was completed on June 20
    assert [f["happened"]["start"] for f in line["facts"]] == ["2019", "2023-06-20"]
    assert line["facts"][1]["reported"] == {"first": "2023-01-10", "last": "2023-06-21"}
    by_report = json.loads(run("timeline", "Orvane", "--by", "reported", "--format", "json").stdout)
    assert [f["happened"]["start"] for f in by_report["facts"]] == ["2023-06-20", "2019"]
    graph = json.loads(run("graph", "Kestrel Mobile", "--depth", "2", "--format", "json").stdout)
    assert {n["name"] for n in graph["nodes"]} == {"Kestrel Mobile", "Orvane Systems", "Lumenfab"}
    assert {(e["source_role"], e["target_role"]) for e in graph["edges"]} == {("buyer", "target")}
    assert "<graphml" in run("graph", "Kestrel Mobile", "--format", "graphml").stdout
    hops = json.loads(run("path", "Kestrel Mobile", "Lumenfab", "--format", "json").stdout)["hops"]
    assert [(h["from"]["name"], h["to"]["name"]) for h in hops] == [
        ("Kestrel Mobile", "Orvane Systems"), ("Orvane Systems", "Lumenfab")]  # fmt: skip
    listed = json.loads(run("facts", "--contradicted", "--format", "json").stdout)
    assert len(listed) == 1 and listed[0]["corroboration"] == 3
    assert "contradiction (amount)" in run("fact", listed[0]["id"][:12]).stdout
    missing = runner.invoke(main, ["show", "Nobody Corp", "--db", db])
    assert missing.exit_code == 4 and "no entity named 'Nobody Corp'" in missing.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "graphml", "gexf", "ftm"])
def test_every_export_format(tmp_path: Path, fmt: str) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    _store(db, _corpus()).close()
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["export", "--format", fmt, "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    if fmt == "jsonl":
        kinds = [json.loads(line)["kind"] for line in text.splitlines()]
        assert kinds.count("fact") == 2
    elif fmt == "csv":
        assert text.splitlines()[0].startswith("id,type,status") and len(text.splitlines()) == 3
    elif fmt == "ftm":
        schemata = {json.loads(line)["schema"] for line in text.splitlines()}
        assert {"Company", "Ownership"} <= schemata or {"Organization", "Ownership"} <= schemata
    else:
        import networkx as nx

        graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(str(out))
        assert graph.number_of_edges() == 2
