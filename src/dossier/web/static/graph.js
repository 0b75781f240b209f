// The entity page's relationship graph: the neighbourhood from /api/entities/{id}/graph drawn with Cytoscape.js.
// Names come from the API as data and are only ever set as node labels (canvas text), never as HTML.
"use strict";
(function () {
  var root = window.getComputedStyle(document.documentElement);
  function colour(type) {  // the entity type's colour from dossier.css (--type-ORG, ...)
    return (root.getPropertyValue("--type-" + type) || root.getPropertyValue("--type-other")).trim();
  }
  var STATUS = { done: "#2f855a", agreed: "#38a169", negotiating: "#d69e2e", proposed: "#a0aec0",
                 planned: "#a0aec0", denied: "#c53030", cancelled: "#718096" };

  function draw(box, data) {
    var elements = [];
    data.nodes.forEach(function (n) {
      elements.push({ group: "nodes", data: { id: n.id, label: n.name, type: n.type, center: n.depth === 0 ? 1 : 0,
        size: 18 + Math.min(30, Math.sqrt(n.documents || 1) * 4) } });
    });
    data.edges.forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, fact: e.fact,
        label: (e.type || "").replace(/_/g, " ").toLowerCase(), status: e.status, width: 1 + Math.min(6, e.corroboration || 1) } });
    });
    box.textContent = "";
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      style: [
        { selector: "node", style: { "background-color": function (n) { return colour(n.data("type")); },
          label: "data(label)", "font-size": 10, color: "#1a202c", "text-valign": "bottom", "text-margin-y": 3,
          width: "data(size)", height: "data(size)", "text-wrap": "ellipsis", "text-max-width": 110 } },
        { selector: "node[center = 1]", style: { "border-width": 3, "border-color": "#1a202c", "font-weight": "bold" } },
        { selector: "edge", style: { width: "data(width)", "line-color": function (e) { return STATUS[e.data("status")] || "#a0aec0"; },
          "curve-style": "bezier", opacity: 0.7, "font-size": 9, color: "#2d3748",
          "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.9 } },
        { selector: "edge:selected, edge.hover", style: { label: "data(label)", opacity: 1 } },
        { selector: "node.hover", style: { "font-weight": "bold", "z-index": 10 } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#e53e3e", "line-color": "#e53e3e" } }
      ],
      layout: { name: "cose", animate: false, nodeRepulsion: function () { return 40000; }, idealEdgeLength: function () { return 110; }, nodeOverlap: 20, randomize: false, padding: 20 }
    });
    cy.on("tap", "node", function (evt) {
      var id = evt.target.id();
      if (id !== box.dataset.entity) window.location.href = "/entity/" + encodeURIComponent(id);
    });
    cy.on("mouseover", "node, edge", function (evt) { evt.target.addClass("hover"); evt.target.connectedEdges && evt.target.connectedEdges().addClass("hover"); });
    cy.on("mouseout", "node, edge", function (evt) { cy.elements().removeClass("hover"); });
    cy.on("tap", "edge", function (evt) {
      var fact = evt.target.data("fact");
      if (fact) window.location.href = "/fact/" + encodeURIComponent(fact);
    });
    box.dataset.nodes = String(cy.nodes().length);
    box.dataset.edges = String(cy.edges().length);
    box.dataset.rendered = "true";
    window.dossierGraph = cy;
  }

  function load() {
    var box = document.getElementById("graph");
    if (!box || typeof window.cytoscape !== "function") return;
    fetch(box.dataset.api + "?depth=1&limit=60", { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) {
        if (!data.edges.length) { box.textContent = "No relationships yet."; box.dataset.rendered = "empty"; return; }
        draw(box, data);
      })
      .catch(function (err) { box.textContent = "The graph could not be loaded (" + err.message + ")."; box.dataset.rendered = "error"; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load); else load();
})();
