"""Serialisers for the knowledge graph and its facts: GraphML, GEXF, Graphviz DOT, CSV and FollowTheMoney.

Pure functions over the plain dicts ``dossier.query`` returns. Names, aliases and evidence sentences come from
untrusted documents, so every format defends itself: XML is built with ElementTree after stripping the
characters XML 1.0 forbids, DOT strings are quoted and escaped, and CSV text cells a spreadsheet would run as a
formula are defused with a leading apostrophe.
"""

from __future__ import annotations

import csv
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any, TextIO

from dossier.errors import QueryError

__all__ = ["dot", "ftm_entities", "gexf", "graphml", "write_csv"]

_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_XSD = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_GEXF_NS = "http://gexf.net/1.3"
_GEXF_XSD = "http://gexf.net/1.3/gexf.xsd"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Everything outside XML 1.0's Char production: C0 controls other than tab/newline/return, lone surrogates,
# U+FFFE and U+FFFF. A parser rejects the whole file for one of these, so they are dropped.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# (attribute, type) written for nodes and edges; type is "string" or "int". None values are omitted.
_NODE_ATTRS = (
    ("name", "string"),
    ("type", "string"),
    ("wikidata", "string"),
    ("aliases", "string"),
    ("descriptions", "string"),
    ("documents", "int"),
    ("mentions", "int"),
    ("depth", "int"),
)
_EDGE_ATTRS = (
    ("fact", "string"),
    ("type", "string"),
    ("status", "string"),
    ("corroboration", "int"),
    ("source_role", "string"),
    ("target_role", "string"),
    ("date", "string"),
    ("first_reported", "string"),
)
_LIST_SEPARATOR = " | "
# Edges of facts that did not (or will not) happen are drawn dashed in DOT.
_UNREAL_STATUSES = frozenset({"cancelled", "denied"})


def _clean(value: Any) -> str:
    # Line ends become "\n": an XML parser turns a bare "\r" in text into "\n" anyway, so this keeps text
    # and attribute values alike.
    return _NOT_XML_CHAR.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")


def _attr_value(item: Mapping[str, Any], name: str, kind: str) -> str | None:
    """One attribute as text, or None when it is absent (None or an empty list)."""
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, list | tuple):
        if not value:
            return None
        return _clean(_LIST_SEPARATOR.join(str(v) for v in value if v is not None))
    if kind == "int":
        return str(int(value))
    return _clean(value)


def _nodes_and_edges(graph: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    nodes: dict[str, Mapping[str, Any]] = {}
    for node in graph.get("nodes") or []:
        nodes.setdefault(str(node["id"]), node)
    edges = list(graph.get("edges") or [])
    for edge in edges:
        for end in (edge["source"], edge["target"]):
            # An edge to a node the graph left out still gets a bare node: no edge is lost, and GEXF readers
            # (Gephi) refuse edges whose ends are not declared.
            nodes.setdefault(str(end), {"id": str(end)})
    return list(nodes.values()), edges


def _xml_document(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def graphml(graph: Mapping[str, Any]) -> str:
    """The graph as GraphML: a directed multigraph with typed keys for node and edge attributes."""
    nodes, edges = _nodes_and_edges(graph)
    root = ET.Element(
        "graphml", {"xmlns": _GRAPHML_NS, "xmlns:xsi": _XSI_NS, "xsi:schemaLocation": f"{_GRAPHML_NS} {_GRAPHML_XSD}"}
    )
    # Key ids are unique over the whole file, and "type" is both a node and an edge attribute: prefix them.
    for domain, attrs in (("node", _NODE_ATTRS), ("edge", _EDGE_ATTRS)):
        for name, kind in attrs:
            ET.SubElement(
                root, "key", {"id": f"{domain[0]}_{name}", "for": domain, "attr.name": name, "attr.type": kind}
            )
    element = ET.SubElement(root, "graph", {"id": "dossier", "edgedefault": "directed"})
    for node in nodes:
        node_el = ET.SubElement(element, "node", {"id": _clean(node["id"])})
        _graphml_data(node_el, node, "n", _NODE_ATTRS)
    for i, edge in enumerate(edges):
        ends = {"id": f"e{i}", "source": _clean(edge["source"]), "target": _clean(edge["target"])}
        _graphml_data(ET.SubElement(element, "edge", ends), edge, "e", _EDGE_ATTRS)
    return _xml_document(root)


def _graphml_data(parent: ET.Element, item: Mapping[str, Any], prefix: str, attrs: tuple[tuple[str, str], ...]) -> None:
    for name, kind in attrs:
        value = _attr_value(item, name, kind)
        if value is not None:
            ET.SubElement(parent, "data", {"key": f"{prefix}_{name}"}).text = value


def gexf(graph: Mapping[str, Any]) -> str:
    """The graph as GEXF 1.3 (Gephi): directed, static, node label = name, edge label = fact type."""
    nodes, edges = _nodes_and_edges(graph)
    root = ET.Element(
        "gexf",
        {"xmlns": _GEXF_NS, "xmlns:xsi": _XSI_NS, "xsi:schemaLocation": f"{_GEXF_NS} {_GEXF_XSD}", "version": "1.3"},
    )
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "Dossier"
    element = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    # The label already carries a node's name and an edge's type: they are not repeated as attributes.
    node_attrs = tuple(a for a in _NODE_ATTRS if a[0] != "name")
    edge_attrs = tuple(a for a in _EDGE_ATTRS if a[0] != "type")
    for cls, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        declared = ET.SubElement(element, "attributes", {"class": cls})
        for i, (name, kind) in enumerate(attrs):
            gexf_type = "integer" if kind == "int" else "string"
            ET.SubElement(declared, "attribute", {"id": str(i), "title": name, "type": gexf_type})
    nodes_el = ET.SubElement(element, "nodes")
    for node in nodes:
        label = node.get("name") if node.get("name") is not None else node["id"]
        node_el = ET.SubElement(nodes_el, "node", {"id": _clean(node["id"]), "label": _clean(label)})
        _gexf_values(node_el, node, node_attrs)
    edges_el = ET.SubElement(element, "edges")
    for i, edge in enumerate(edges):
        xml_attrs = {"id": str(i), "source": _clean(edge["source"]), "target": _clean(edge["target"])}
        if edge.get("type") is not None:
            xml_attrs["label"] = _clean(edge["type"])
        if edge.get("corroboration"):
            # Gephi sizes and lays out by weight: more independent sources, a stronger tie.
            xml_attrs["weight"] = str(float(edge["corroboration"]))
        _gexf_values(ET.SubElement(edges_el, "edge", xml_attrs), edge, edge_attrs)
    return _xml_document(root)


def _gexf_values(parent: ET.Element, item: Mapping[str, Any], attrs: tuple[tuple[str, str], ...]) -> None:
    values = [(str(i), _attr_value(item, name, kind)) for i, (name, kind) in enumerate(attrs)]
    present = [(i, v) for i, v in values if v is not None]
    if present:
        attvalues = ET.SubElement(parent, "attvalues")
        for i, value in present:
            ET.SubElement(attvalues, "attvalue", {"for": i, "value": value})


def _dot_string(value: Any) -> str:
    """A DOT quoted string: backslashes and quotes escaped, line breaks as Graphviz's \\n escape."""
    text = _clean(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _dot_attrs(attrs: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={_dot_string(value)}" for key, value in attrs.items() if value is not None)


def _edge_label(edge: Mapping[str, Any]) -> str:
    details = [str(edge["status"])] if edge.get("status") else []
    n = edge.get("corroboration")
    if n is not None:
        details.append(f"{n} source" if n == 1 else f"{n} sources")
    kind = str(edge.get("type") or "")
    return f"{kind} ({', '.join(details)})" if details else kind


def dot(graph: Mapping[str, Any]) -> str:
    """The graph as a Graphviz DOT digraph: node label = name, edge label = "TYPE (status, N sources)"."""
    nodes, edges = _nodes_and_edges(graph)
    lines = ["digraph dossier {", '  node [shape="box"];']
    for node in nodes:
        attrs = {"label": node.get("name", node["id"]), "type": node.get("type"), "wikidata": node.get("wikidata")}
        lines.append(f"  {_dot_string(node['id'])} [{_dot_attrs(attrs)}];")
    for edge in edges:
        attrs = {
            "label": _edge_label(edge),
            "fact": edge.get("fact"),
            "status": edge.get("status"),
            "style": "dashed" if edge.get("status") in _UNREAL_STATUSES else None,
        }
        lines.append(f"  {_dot_string(edge['source'])} -> {_dot_string(edge['target'])} [{_dot_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_CSV_COLUMNS = (
    "id",
    "type",
    "status",
    "hedged",
    "date_start",
    "date_end",
    "first_reported",
    "last_reported",
    "corroboration",
    "reports",
    "contradictions",
    "participants",
    "amounts",
    "documents",
    "outlets",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_LEADS) else text


def _distinct(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if v is not None))


def write_csv(facts: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write one CSV row per fact (after a header row) to ``out``, opened with newline=""; return the rows written."""
    writer = csv.writer(out)
    writer.writerow(_CSV_COLUMNS)
    rows = 0
    for fact in facts:
        date = fact.get("date") or {}
        evidence = fact.get("evidence") or []
        row = (
            fact.get("id"),
            fact.get("type"),
            fact.get("status"),
            fact.get("hedged"),
            date.get("start"),
            date.get("end"),
            fact.get("first_reported"),
            fact.get("last_reported"),
            fact.get("corroboration"),
            fact.get("reports"),
            len(fact.get("contradictions") or []),
            "; ".join(f"{p.get('role')}: {p.get('name')}" for p in fact.get("participants") or []),
            "; ".join(_distinct(a.get("text") for a in fact.get("amounts") or [])),
            len(_distinct(e.get("doc_id") for e in evidence)),
            "; ".join(_distinct(e.get("outlet") for e in evidence)),
        )
        writer.writerow([_csv_cell(v) for v in row])
        rows += 1
    return rows


# --- FollowTheMoney --------------------------------------------------------------------------------------------
#
# Entity types (ontology.yaml) → FtM schemata:
#   PERSON   Person
#   ORG      PublicBody when the name has a government word (public_body_words in data/knowledge.yaml);
#            Company when it is the asset of an Ownership (FtM's Ownership.asset must be an Asset, and of the
#            organisations only Company is one); Organization otherwise
#   GPE      Territory ("a country, subnational division or other administrative area"), with `country` set
#            when FtM's country type recognises the name or an alias
#   EVENT    Event
#   LOC, FAC, PRODUCT, WORK_OF_ART   skipped: FtM has no schema for natural places, buildings, products or
#            works (Territory is administrative, RealEstate is a land parcel, Document is a file), and a wrong
#            schema misleads more in Aleph than a missing node
#
# Facts → one relationship per pair of exported participants (as the graph has one edge per pair):
#   INVESTMENT investor→target, ACQUISITION buyer→target   Ownership (owner, asset)
#   SANCTION imposer→target                                Sanction (entity = target, authority = imposer's name)
#   anything else                                          UnknownLink (subject, object)
# Ownership and Sanction assert that the stake or the measure exists, so they are used only for facts that
# happened or were agreed (_REAL_STATUSES); a proposed, cancelled or denied deal is an UnknownLink whose role
# says so ("ACQUISITION (cancelled)"), and so is a pair whose ends the schema does not accept (a Territory
# cannot own, a PublicBody or Person cannot be owned).

_SCHEMA_FOR_TYPE = {"PERSON": "Person", "ORG": "Organization", "GPE": "Territory", "EVENT": "Event"}
_OWNERSHIP_ROLES = {"INVESTMENT": ("investor", "target"), "ACQUISITION": ("buyer", "target")}
_SANCTION_ROLES = {"SANCTION": ("imposer", "target")}
_REAL_STATUSES = frozenset({"agreed", "done"})
_FTM_ID_CHARS = re.compile(r"[^0-9A-Za-z.-]")
_FTM_MISSING = "the ftm export needs the followthemoney library: pip install 'dossier[ftm]'"


def _ftm_id(entity_id: str) -> str:
    """The FtM id of a Dossier entity: "dossier-" + its id, with "_" (not allowed in FtM ids) as "-"."""
    return "dossier-" + _FTM_ID_CHARS.sub("-", entity_id)


def ftm_entities(entities: Iterable[Mapping[str, Any]], facts: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """FollowTheMoney entity dicts: the entities first, then one relationship per pair of fact participants."""
    # Imported here, not in the generator, so a missing library is reported when the export is asked for.
    try:
        from followthemoney import model
    except ImportError as exc:
        raise QueryError(_FTM_MISSING) from exc
    return _ftm(model, list(entities), list(facts))


@cache
def _public_body_words() -> re.Pattern[str]:
    """Words that make an organisation a PublicBody ("Ministry of Commerce", not "Samsung"): knowledge.yaml."""
    from dossier.knowledge.rules import rules

    words = "|".join(re.escape(w) for w in rules().public_body_words)
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)


def _base_schema(entity: Mapping[str, Any]) -> str | None:
    schema = _SCHEMA_FOR_TYPE.get(str(entity.get("type")))
    if schema == "Organization" and _public_body_words().search(str(entity.get("name") or "")):
        return "PublicBody"
    return schema


def _pairs(fact: Mapping[str, Any], exported: Mapping[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each unordered pair of distinct exported participants once, in participant order."""
    people = [p for p in fact.get("participants") or [] if p.get("entity") in exported]
    seen: set[frozenset[str]] = set()
    for i, left in enumerate(people):
        for right in people[i + 1 :]:
            key = frozenset((left["entity"], right["entity"]))
            if len(key) == 2 and key not in seen:
                seen.add(key)
                yield left, right


def _oriented(
    fact: Mapping[str, Any], left: dict[str, Any], right: dict[str, Any], roles: Mapping[str, tuple[str, str]]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(from, to) when the pair carries the fact type's key roles (either way round), else None."""
    wanted = roles.get(str(fact.get("type")))
    if wanted is None or fact.get("status") not in _REAL_STATUSES:
        return None
    if (left.get("role"), right.get("role")) == wanted:
        return left, right
    if (right.get("role"), left.get("role")) == wanted:
        return right, left
    return None


def _plan(
    model: Any, facts: list[Mapping[str, Any]], schemata: dict[str, str]
) -> list[tuple[str, Mapping[str, Any], dict[str, Any], dict[str, Any]]]:
    """Choose each relationship's schema; promote the Organizations that are owned to Company."""
    plan = []
    for fact in facts:
        for left, right in _pairs(fact, schemata):
            owned = _oriented(fact, left, right, _OWNERSHIP_ROLES)
            sanctioned = _oriented(fact, left, right, _SANCTION_ROLES)
            if owned is not None:
                owner, asset = owned
                asset_schema = schemata[asset["entity"]]
                if model.get(schemata[owner["entity"]]).is_a("LegalEntity") and (
                    asset_schema == "Organization" or model.get(asset_schema).is_a("Asset")
                ):
                    if asset_schema == "Organization":
                        schemata[asset["entity"]] = "Company"
                    plan.append(("Ownership", fact, owner, asset))
                    continue
            if sanctioned is not None:
                plan.append(("Sanction", fact, *sanctioned))
                continue
            plan.append(("UnknownLink", fact, left, right))
    return plan


def _country(country_type: Any, labels: Mapping[str, str], names: list[Any]) -> str | None:
    """The country code of the first name that is a country's, or None."""
    # Exact English names first: FtM's full lookup builds an index of every locale's names, which takes
    # seconds, and the gazetteer's canonical names ("Germany", "South Korea") are FtM's own labels.
    texts = [str(n) for n in names if n]
    for text in texts:
        if text.casefold() in labels:
            return labels[text.casefold()]
    for text in texts:
        code = country_type.clean(text)
        if code is not None:
            return str(code)
    return None


def _ftm(model: Any, entities: list[Mapping[str, Any]], facts: list[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    from followthemoney.types import registry

    by_id: dict[str, Mapping[str, Any]] = {}
    schemata: dict[str, str] = {}
    for entity in entities:
        schema = _base_schema(entity)
        if schema is not None and entity["id"] not in schemata:
            by_id[entity["id"]] = entity
            schemata[entity["id"]] = schema
    plan = _plan(model, facts, schemata)
    countries: dict[str, str] = {}
    labels = {str(label).casefold(): str(code) for code, label in registry.country.names.items()}
    for entity_id, entity in by_id.items():
        if schemata[entity_id] == "Territory":
            code = _country(registry.country, labels, [entity.get("name"), *(entity.get("aliases") or [])])
            if code is not None:
                countries[entity_id] = code

    for entity_id, entity in by_id.items():
        proxy = model.make_entity(schemata[entity_id])
        proxy.id = _ftm_id(entity_id)
        proxy.add("name", entity.get("name"))
        proxy.add("alias", entity.get("aliases") or [])
        proxy.add("wikidataId", entity.get("wikidata"))
        proxy.add("description", entity.get("descriptions") or [])
        proxy.add("country", countries.get(entity_id))
        yield proxy.to_dict()

    for schema, fact, one, other in plan:
        proxy = model.make_entity(schema)
        digest = hashlib.sha1(f"{fact.get('id')}\n{one['entity']}\n{other['entity']}".encode()).hexdigest()
        proxy.id = f"dossier-{schema.lower()}-{digest}"
        if schema == "Ownership":
            proxy.add("owner", _ftm_id(one["entity"]))
            proxy.add("asset", _ftm_id(other["entity"]))
        elif schema == "Sanction":
            proxy.add("entity", _ftm_id(other["entity"]))
            proxy.add("authority", one.get("name"))
            # The imposing state, when it is one, as the sanction's country.
            proxy.add("country", countries.get(one["entity"]))
        else:
            proxy.add("subject", _ftm_id(one["entity"]))
            proxy.add("object", _ftm_id(other["entity"]))
        _add_fact(proxy, fact, one, other)
        yield proxy.to_dict()


def _add_fact(proxy: Any, fact: Mapping[str, Any], one: Mapping[str, Any], other: Mapping[str, Any]) -> None:
    """What every relationship says about its fact, on whichever of these properties the schema has."""
    kind, status = fact.get("type"), fact.get("status")
    role = f"{kind} ({status})" if status else str(kind)
    date = fact.get("date") or {}
    evidence = fact.get("evidence") or []
    proxy.add("role", role, quiet=True)
    proxy.add("status", status, quiet=True)
    proxy.add("recordId", fact.get("id"), quiet=True)
    proxy.add("startDate", date.get("start"), quiet=True)
    proxy.add("endDate", date.get("end"), quiet=True)
    proxy.add("sourceUrl", _distinct(e.get("url") for e in evidence), quiet=True)
    proxy.add("publisher", _distinct(e.get("outlet") for e in evidence), quiet=True)
    proxy.add("summary", _distinct(e.get("text") for e in evidence), quiet=True)
    proxy.add("description", _describe(fact, role, one, other), quiet=True)


def _describe(fact: Mapping[str, Any], role: str, one: Mapping[str, Any], other: Mapping[str, Any]) -> str:
    parts = [f"{one.get('name')} ({one.get('role')}) → {other.get('name')} ({other.get('role')}): {role}"]
    if fact.get("hedged"):
        parts.append("hedged")
    amounts = _distinct(a.get("text") for a in fact.get("amounts") or [])
    if amounts:
        parts.append("amounts " + ", ".join(amounts))
    if fact.get("corroboration") is not None:
        n, reports = fact["corroboration"], fact.get("reports")
        parts.append(f"{n} independent source{'' if n == 1 else 's'}, {reports} report{'' if reports == 1 else 's'}")
    contradictions = len(fact.get("contradictions") or [])
    if contradictions:
        parts.append(f"{contradictions} contradiction{'' if contradictions == 1 else 's'} between reports")
    return "; ".join(parts)
