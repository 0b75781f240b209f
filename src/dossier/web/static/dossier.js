// Keyboard navigation and the document page's highlight toggles. No inline scripts anywhere: this file is it.
"use strict";
(function () {
  var items = [];
  var cursor = -1;
  var pendingG = false;

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function select(i) {
    items = Array.prototype.slice.call(document.querySelectorAll("[data-nav]"));
    if (!items.length) return;
    if (cursor >= 0 && items[cursor]) items[cursor].classList.remove("cursor");
    cursor = Math.max(0, Math.min(items.length - 1, i));
    var item = items[cursor];
    item.classList.add("cursor");
    var link = item.querySelector("a[href]");
    (link || item).focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function toggleHelp(show) {
    var box = document.getElementById("keys");
    var button = document.querySelector(".help-toggle");
    if (!box) return;
    var open = typeof show === "boolean" ? show : box.hidden;
    box.hidden = !open;
    if (button) button.setAttribute("aria-expanded", String(open));
  }

  // document page: jump between events in the text
  var evCursor = -1;
  function jumpEvent(step) {
    var anchors = Array.prototype.slice.call(document.querySelectorAll(".text .anchor[id^='ev-']"));
    if (!anchors.length) return;
    evCursor = (evCursor + step + anchors.length) % anchors.length;
    var id = anchors[evCursor].id;
    history.replaceState(null, "", "#" + id);
    flash(id.slice(3));
    anchors[evCursor].scrollIntoView({ block: "center" });
  }

  function flash(evId) {
    document.querySelectorAll(".text .ev.target").forEach(function (el) { el.classList.remove("target"); });
    if (!evId) return;
    document.querySelectorAll(".text .ev").forEach(function (el) {
      if ((el.dataset.ev || "").split(" ").indexOf(evId) >= 0) el.classList.add("target");
    });
  }

  function fromHash() {
    var h = decodeURIComponent(window.location.hash.slice(1));
    if (h.indexOf("ev-") === 0) flash(h.slice(3));
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(document.activeElement)) {
      if (e.key === "Escape") document.activeElement.blur();
      return;
    }
    if (pendingG) {
      pendingG = false;
      if (e.key === "h") { window.location.href = "/"; e.preventDefault(); }
      return;
    }
    switch (e.key) {
      case "/": var q = document.getElementById("q"); if (q) { q.focus(); q.select(); e.preventDefault(); } break;
      case "j": select(cursor + 1); e.preventDefault(); break;
      case "k": select(cursor - 1); e.preventDefault(); break;
      case "g": pendingG = true; break;
      case "n": jumpEvent(1); break;
      case "p": jumpEvent(-1); break;
      case "?": toggleHelp(); break;
      case "Escape": toggleHelp(false); break;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".help-toggle");
    if (button) button.addEventListener("click", function () { toggleHelp(); });
    document.querySelectorAll("input[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () {
        var text = document.getElementById("text");
        if (text) text.classList.toggle("layer-" + box.dataset.layer, box.checked);
      });
    });
    document.querySelectorAll("a.jump-ev").forEach(function (a) {
      a.addEventListener("click", function () { flash(a.dataset.ev); });
    });
    fromHash();
  });
  window.addEventListener("hashchange", fromHash);
})();
