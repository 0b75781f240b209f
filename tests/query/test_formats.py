"""The graph and fact serialisers: each output is read back by a real reader, hostile strings included."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.errors import QueryError
from dossier.query import formats

HOSTILE = 'Pell & "Fitch" <script>alert(1)</script>'
BELL = "Line one\nline\x07two"
FORMULA = "=cmd|' /C calc'!A0"


def _entity(id_: str, name: str, type_: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": id_, "name": name, "type": type_, "wikidata": None, "aliases": [], "descriptions": []}
    return base | {"documents": 2, "mentions": 5} | extra


ENTITIES = [
    _entity("ent_a1", "Corvid Labs", "ORG", aliases=["Corvid", "@corvidlabs"], descriptions=["a <b>sensor</b> maker"]),
    _entity("ent_b2", HOSTILE, "ORG", wikidata="Q4115189", aliases=['Pell "&" Co']),
    _entity("ent_c3", FORMULA, "PERSON", aliases=[BELL]),
    _entity("ent_d4", "Ministry of Tidewater Affairs", "ORG"),
    _entity("ent_e5", "Germany", "GPE", wikidata="Q183"),
    _entity("ent_f6", "Widget 9", "PRODUCT"),
    _entity("ent_g7", BELL, "PERSON"),
]


def _edge(source: str, target: str, fact: str, type_: str, status: str, n: int, **extra: Any) -> dict[str, Any]:
    base = {"source": source, "target": target, "fact": fact, "type": type_, "status": status, "corroboration": n}
    return base | {"source_role": None, "target_role": None, "date": None, "first_reported": None} | extra


GRAPH = {
    "nodes": [e | {"depth": 0 if e["id"] == "ent_a1" else 1} for e in ENTITIES if e["id"] != "ent_f6"],
    "edges": [
        # Two facts between the same pair: a multigraph must keep both.
        _edge("ent_a1", "ent_b2", "fact_1", "ACQUISITION", "done", 2, source_role="buyer", date="2021-03"),
        _edge("ent_a1", "ent_b2", "fact_2", "SUPPLY", "cancelled", 1, first_reported="2022-01-05"),
        _edge("ent_e5", "ent_c3", "fact_3", "SANCTION", "done", 3, source_role="imposer", target_role="target"),
        _edge("ent_g7", "ent_d4", "fact_4", "MEETING", 'he said "yes"\n', 1),
    ],
}


def _evidence(doc: str, outlet: str | None, text: str, url: str | None = None) -> dict[str, Any]:
    return {"doc_id": doc, "event_id": "v1", "url": url, "outlet": outlet, "published": "2021-03-02", "title": None,
            "status": "done", "hedged": False, "attribution": {"kind": "outlet", "speaker": None}, "text": text,
            "start": 0, "end": len(text)}  # fmt: skip


def _fact(id_: str, type_: str, status: str, participants: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    names = {e["id"]: e for e in ENTITIES}
    return {
        "id": id_, "type": type_, "status": status, "hedged": False, "date": {"start": "2021-03", "end": None},
        "first_reported": "2021-03-02", "last_reported": "2021-04-10", "corroboration": 1, "reports": 1,
        "contradictions": [], "amounts": [],
        "participants": [{"role": r, "entity": e, "name": names[e]["name"], "type": names[e]["type"]}
                         for r, e in participants],
        "evidence": [_evidence("sha256:aa", "Kestrel Business", "Corvid Labs bought Pell & Fitch.")],
    } | extra  # fmt: skip


FACTS = [
    _fact(
        "fact_1",
        "ACQUISITION",
        "done",
        [("buyer", "ent_a1"), ("target", "ent_b2"), ("seller", "ent_c3")],
        corroboration=2,
        reports=3,
        contradictions=[{"kind": "amount", "left_value": "$4bn", "right_value": "$3.8bn"}],
        amounts=[{"text": "$4bn", "value": 4e9, "unit": "USD", "usd": 4e9}, {"text": "-$2m", "value": 2e6}],
        evidence=[
            _evidence("sha256:aa", "Kestrel Business", 'Corvid Labs bought <Pell> & "Fitch"', "https://kb.example/a"),
            _evidence("sha256:bb", '=HYPERLINK("http://x")', "The deal\x07closed.", "https://ev.example/b"),
            _evidence("sha256:bb", "Kestrel Business", "Again."),
        ],
    ),
    _fact("fact_2", "ACQUISITION", "cancelled", [("target", "ent_a1"), ("buyer", "ent_b2")], hedged=True),
    _fact("fact_3", "SANCTION", "done", [("imposer", "ent_e5"), ("target", "ent_c3")], date={"start": None}),
    _fact("fact_4", "PARTNERSHIP", "agreed", [("party", "ent_a1"), ("party", "ent_d4")], evidence=[]),
    _fact("fact_5", "PRODUCT_LAUNCH", "done", [("company", "ent_a1"), ("product", "ent_f6")]),
    _fact("fact_6", "INVESTMENT", "agreed", [("investor", "ent_a1"), ("target", "ent_d4")]),
]


def _read_back(text: str, reader: Any, **kwargs: Any) -> Any:
    return reader(io.BytesIO(text.encode("utf-8")), **kwargs)


# --- GraphML and GEXF ------------------------------------------------------------------------------------------


def test_graphml_round_trips_through_networkx() -> None:
    nx = pytest.importorskip("networkx")
    g = _read_back(formats.graphml(GRAPH), nx.read_graphml)
    assert g.is_directed() and g.is_multigraph()
    assert g.number_of_nodes() == 6
    assert g.number_of_edges() == 4
    assert g.number_of_edges("ent_a1", "ent_b2") == 2
    assert g.nodes["ent_b2"]["name"] == HOSTILE
    assert g.nodes["ent_b2"]["type"] == "ORG"
    assert g.nodes["ent_b2"]["wikidata"] == "Q4115189"
    assert g.nodes["ent_a1"]["aliases"] == "Corvid | @corvidlabs"
    assert g.nodes["ent_a1"]["depth"] == 0 and g.nodes["ent_a1"]["documents"] == 2
    assert "wikidata" not in g.nodes["ent_a1"]  # None is omitted, not written as "None"
    assert g.nodes["ent_c3"]["name"] == FORMULA
    assert g.nodes["ent_g7"]["name"] == "Line one\nlinetwo"  # the bell is stripped, the newline kept
    by_fact = {d["fact"]: d for _, _, d in g.edges(data=True)}
    assert by_fact["fact_1"]["corroboration"] == 2 and isinstance(by_fact["fact_1"]["corroboration"], int)
    assert by_fact["fact_1"]["type"] == "ACQUISITION" and by_fact["fact_1"]["date"] == "2021-03"
    assert by_fact["fact_3"]["source_role"] == "imposer" and by_fact["fact_3"]["target_role"] == "target"
    assert by_fact["fact_4"]["status"] == 'he said "yes"\n'
    assert "first_reported" not in by_fact["fact_1"]


def test_graphml_declares_keys_and_unique_edge_ids() -> None:
    text = formats.graphml(GRAPH)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'xmlns="http://graphml.graphdrawing.org/xmlns"' in text
    assert "\x07" not in text and "<script>" not in text
    ids = re.findall(r'<edge id="([^"]+)"', text)
    assert len(ids) == 4 and len(set(ids)) == 4
    for name in ("name", "type", "wikidata", "documents", "depth", "aliases"):
        assert f'for="node" attr.name="{name}"' in text
    for name in ("fact", "type", "status", "corroboration", "source_role", "target_role", "date", "first_reported"):
        assert f'for="edge" attr.name="{name}"' in text


def test_gexf_round_trips_through_networkx() -> None:
    nx = pytest.importorskip("networkx")
    text = formats.gexf(GRAPH)
    assert 'xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text
    assert 'defaultedgetype="directed"' in text and 'mode="static"' in text
    assert "\x07" not in text and "<script>" not in text
    g = _read_back(text, nx.read_gexf, version="1.3")
    assert g.is_directed() and g.is_multigraph()
    assert g.number_of_nodes() == 6
    assert g.number_of_edges() == 4
    assert g.number_of_edges("ent_a1", "ent_b2") == 2
    assert g.nodes["ent_b2"]["label"] == HOSTILE
    assert g.nodes["ent_b2"]["type"] == "ORG"
    assert g.nodes["ent_g7"]["label"] == "Line one\nlinetwo"
    assert g.nodes["ent_e5"]["depth"] == 1
    edges = {d["fact"]: d for _, _, d in g.edges(data=True)}
    assert edges["fact_1"]["label"] == "ACQUISITION"
    assert edges["fact_1"]["corroboration"] == 2
    assert edges["fact_3"]["weight"] == 3.0
    assert "date" not in edges["fact_3"]
    assert len({d["id"] for _, _, d in g.edges(data=True)}) == 4


def test_an_edge_to_a_node_the_graph_left_out_gets_a_bare_node() -> None:
    nx = pytest.importorskip("networkx")
    graph = {"nodes": GRAPH["nodes"][:1], "edges": [_edge("ent_a1", "ent_zz", "fact_9", "MEETING", "done", 1)]}
    for text, reader, kwargs in ((formats.graphml(graph), nx.read_graphml, {}),
                                 (formats.gexf(graph), nx.read_gexf, {"version": "1.3"})):  # fmt: skip
        g = _read_back(text, reader, **kwargs)
        assert set(g.nodes) == {"ent_a1", "ent_zz"} and g.number_of_edges() == 1


def test_an_empty_graph_is_a_valid_file() -> None:
    nx = pytest.importorskip("networkx")
    assert _read_back(formats.graphml({"nodes": [], "edges": []}), nx.read_graphml).number_of_nodes() == 0
    assert _read_back(formats.gexf({"nodes": [], "edges": []}), nx.read_gexf, version="1.3").number_of_nodes() == 0


# --- DOT -------------------------------------------------------------------------------------------------------


def test_dot_quotes_and_escapes_everything() -> None:
    text = formats.dot(GRAPH)
    assert text.startswith("digraph dossier {") and text.rstrip().endswith("}")
    # Braces inside quoted strings do not count; outside them the file is balanced.
    outside = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    assert outside.count("{") == outside.count("}") == 1
    for node in GRAPH["nodes"]:
        assert f'"{node["id"]}" [' in text
    assert r'label="Pell & \"Fitch\" <script>alert(1)</script>"' in text
    assert r'label="Line one\nlinetwo"' in text
    assert "\x07" not in text
    assert '"ent_a1" -> "ent_b2" [label="ACQUISITION (done, 2 sources)"' in text
    assert 'label="SUPPLY (cancelled, 1 source)"' in text and 'style="dashed"' in text
    assert r'label="MEETING (he said \"yes\"\n, 1 source)"' in text
    # No raw line break inside any quoted string: every statement is one line.
    assert all(line.endswith(("{", "}", ";")) for line in text.splitlines())


def test_dot_escapes_backslashes() -> None:
    graph = {"nodes": [{"id": "n\\1", "name": 'back\\slash"'}], "edges": []}
    assert r'"n\\1" [label="back\\slash\""];' in formats.dot(graph)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_renders_the_dot() -> None:
    done = subprocess.run(["dot", "-Tsvg"], input=formats.dot(GRAPH), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout


# --- CSV -------------------------------------------------------------------------------------------------------


def test_csv_rows_read_back() -> None:
    out = io.StringIO(newline="")
    assert formats.write_csv(iter(FACTS), out) == len(FACTS)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == len(FACTS)
    assert list(rows[0]) == ["id", "type", "status", "hedged", "date_start", "date_end", "first_reported",
                             "last_reported", "corroboration", "reports", "contradictions", "participants",
                             "amounts", "documents", "outlets"]  # fmt: skip
    first = rows[0]
    assert first["id"] == "fact_1" and first["type"] == "ACQUISITION" and first["status"] == "done"
    assert first["hedged"] == "false" and rows[1]["hedged"] == "true"
    assert first["date_start"] == "2021-03" and first["date_end"] == ""
    assert first["first_reported"] == "2021-03-02" and first["last_reported"] == "2021-04-10"
    assert first["corroboration"] == "2" and first["reports"] == "3" and first["contradictions"] == "1"
    assert first["participants"] == f"buyer: Corvid Labs; target: {HOSTILE}; seller: {FORMULA}"
    assert first["documents"] == "2"
    assert rows[2]["date_start"] == "" and rows[3]["documents"] == "0" and rows[3]["outlets"] == ""


def test_csv_defuses_formulas_in_text_cells_only() -> None:
    facts = [
        _fact("=fact", "ACQUISITION", "done", [("buyer", "ent_c3"), ("target", "ent_a1")],
              amounts=[{"text": "-$2m"}, {"text": "+5%"}], corroboration=0, reports=7,
              evidence=[_evidence("sha256:aa", "@outlet", "x"), _evidence("sha256:bb", "Kestrel", "y")]),
        _fact("fact_t", "\tTAB", "\rcr", []),
    ]  # fmt: skip
    out = io.StringIO(newline="")
    formats.write_csv(facts, out)
    first, second = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert first["id"] == "'=fact"
    assert first["amounts"] == "'-$2m; +5%"
    assert first["outlets"] == "'@outlet; Kestrel"
    assert first["participants"] == f"buyer: {FORMULA}; target: Corvid Labs"  # starts with "buyer", harmless
    assert first["corroboration"] == "0" and first["reports"] == "7" and first["documents"] == "2"
    assert second["type"] == "'\tTAB" and second["status"] == "'\rcr"
    assert second["participants"] == ""


# --- FollowTheMoney --------------------------------------------------------------------------------------------


def _ftm() -> tuple[Any, list[dict[str, Any]]]:
    ftm = pytest.importorskip("followthemoney")
    return ftm.model, list(formats.ftm_entities(ENTITIES, FACTS))


def test_ftm_entities_load_and_map_types() -> None:
    model, out = _ftm()
    proxies = [model.get_proxy(d) for d in out]
    by_id = {p.id: p for p in proxies}
    assert len(by_id) == len(proxies)
    schemata = {p.id: p.schema.name for p in proxies if not p.schema.edge and p.schema.name != "Sanction"}
    assert schemata == {
        "dossier-ent-a1": "Organization",
        "dossier-ent-b2": "Company",  # the asset of an Ownership
        "dossier-ent-c3": "Person",
        "dossier-ent-d4": "PublicBody",
        "dossier-ent-e5": "Territory",
        "dossier-ent-g7": "Person",
    }  # the PRODUCT is skipped
    b2 = by_id["dossier-ent-b2"]
    assert b2.get("name") == [HOSTILE]
    assert b2.get("wikidataId") == ["Q4115189"]
    assert b2.get("alias") == ['Pell "&" Co']
    assert sorted(by_id["dossier-ent-a1"].get("alias")) == ["@corvidlabs", "Corvid"]
    assert by_id["dossier-ent-a1"].get("description") == ["a <b>sensor</b> maker"]
    assert by_id["dossier-ent-e5"].get("country") == ["de"]
    assert by_id["dossier-ent-e5"].get("wikidataId") == ["Q183"]
    assert all("\x07" not in v for p in proxies for _, v in p.itervalues())


def test_ftm_relationships() -> None:
    model, out = _ftm()
    proxies = [model.get_proxy(d) for d in out]
    things = {p.id for p in proxies if not p.schema.edge and p.schema.name != "Sanction"}
    links = [p for p in proxies if p.id not in things]
    for link in links:
        refs = [v for prop, v in link.itervalues() if prop.type.name == "entity"]
        assert refs and set(refs) <= things, link.to_dict()
    by_record: dict[str, list[Any]] = {}
    for link in links:
        by_record.setdefault(link.first("recordId"), []).append(link)
    assert "fact_5" not in by_record  # the product was skipped, so its launch has one end left

    # fact_1: the buyer→target pair is an Ownership; the seller's pairs are UnknownLinks.
    kinds = sorted(p.schema.name for p in by_record["fact_1"])
    assert kinds == ["Ownership", "UnknownLink", "UnknownLink"]
    (own,) = [p for p in by_record["fact_1"] if p.schema.name == "Ownership"]
    assert own.get("owner") == ["dossier-ent-a1"] and own.get("asset") == ["dossier-ent-b2"]
    assert own.get("role") == ["ACQUISITION (done)"]
    assert own.get("startDate") == ["2021-03"]
    assert sorted(own.get("sourceUrl")) == ["https://ev.example/b", "https://kb.example/a"]
    assert "Kestrel Business" in own.get("publisher")
    assert 'Corvid Labs bought <Pell> & "Fitch"' in own.get("summary")

    # fact_2: a cancelled acquisition is not an ownership.
    (cancelled,) = by_record["fact_2"]
    assert cancelled.schema.name == "UnknownLink" and cancelled.get("role") == ["ACQUISITION (cancelled)"]

    (sanction,) = by_record["fact_3"]
    assert sanction.schema.name == "Sanction"
    assert sanction.get("entity") == ["dossier-ent-c3"] and sanction.get("authority") == ["Germany"]
    assert sanction.get("country") == ["de"]

    (partnership,) = by_record["fact_4"]
    assert partnership.schema.name == "UnknownLink" and partnership.get("role") == ["PARTNERSHIP (agreed)"]
    assert partnership.get("subject") == ["dossier-ent-a1"] and partnership.get("object") == ["dossier-ent-d4"]

    # fact_6: a public body cannot be an FtM asset, so an investment in one stays an UnknownLink.
    (investment,) = by_record["fact_6"]
    assert investment.schema.name == "UnknownLink"


def test_ftm_without_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "followthemoney", None)
    with pytest.raises(QueryError, match="pip install 'dossier\\[ftm\\]'"):
        formats.ftm_entities(ENTITIES, FACTS)


@settings(max_examples=60, deadline=None)
@given(name=st.text(), status=st.text())
def test_any_name_survives_graphml_gexf_and_dot(name: str, status: str) -> None:
    nx = pytest.importorskip("networkx")
    node = _entity("ent_x", name, "ORG")
    graph = {"nodes": [node], "edges": [_edge("ent_x", "ent_x", "f", "MEETING", status, 1)]}
    expected = re.sub("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "", name)
    expected = expected.replace("\r\n", "\n").replace("\r", "\n")
    assert _read_back(formats.graphml(graph), nx.read_graphml).nodes["ent_x"].get("name", "") == expected
    assert _read_back(formats.gexf(graph), nx.read_gexf, version="1.3").nodes["ent_x"]["label"] == expected
    # Header, node defaults, one node, one edge, closing brace: nothing breaks a statement across lines.
    assert formats.dot(graph).count("\n") == 5
