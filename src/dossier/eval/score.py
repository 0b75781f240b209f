"""Score analyses (the JSON contract, from Dossier or any other program) against gold documents.

Per layer: precision, recall and F1 for entities (name + type), events (type + every key participant)
and quotes (text + speaker; and text alone), plus status, date, hedging and attribution accuracy over
matched events, and a count of events and quotes whose text lies in comments or page furniture. The
matching rules are documented in docs/gold.md; each document's misses and false positives are kept
for the report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dossier.eval.gold import GoldDocument, GoldEntity, GoldEvent, GoldQuote

# Text that is not the document's own voice: no event evidence or quote may come from it.
FOREIGN_SEGMENTS = frozenset({"comment", "boilerplate"})
QUOTE_COVER = 0.8  # share of the shorter quote's words found in the longer one
QUOTE_DICE = 0.5
SPLIT_GAP = 250  # characters between the two parts of a split quote, at most
_WORD = re.compile(r"\w+", re.UNICODE)
_DESCRIPTIVE = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "our"})
_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"['’]s$")


@lru_cache(maxsize=1)
def key_roles() -> dict[str, tuple[str, ...]]:
    """Roles that decide whether a predicted event is the gold event (ontology.yaml ``key_roles``)."""
    from dossier.nlp.resources import load_ontology

    return load_ontology().key_roles


def normalise(name: str) -> str:
    """Case-folded, accents removed, no leading "the", possessive 's or punctuation; symbols kept."""
    text = unicodedata.normalize("NFKD", name.strip())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()
    text = _POSSESSIVE.sub("", _LEADING_THE.sub("", text))
    stripped = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    stripped = " ".join(stripped.split())
    return stripped or " ".join(text.split())


def _proper(surface: str) -> bool:
    """A surface form that names (not a description such as "the company" or "its rival"): anything but
    a phrase opening with a lower-case determiner or pronoun."""
    first = surface.split()[0] if surface.split() else ""
    return bool(first) and first not in _DESCRIPTIVE


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def quote_overlap(a: str, b: str) -> tuple[float, float]:
    """(cover, dice) of two quotes' word sets: cover is the share of the shorter one's words in the other."""
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return 0.0, 0.0
    common = len(wa & wb)
    return common / min(len(wa), len(wb)), 2 * common / (len(wa) + len(wb))


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def prf(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    def merge(self, other: Accuracy) -> None:
        self.right += other.right
        self.total += other.total

    def value(self) -> dict[str, float | int]:
        return {
            "accuracy": round(self.right / self.total, 4) if self.total else 0.0,
            "right": self.right,
            "total": self.total,
        }


@dataclass(slots=True)
class DocScore:
    """One document's counts and its listing of misses, false positives and wrong attributes."""

    gold: GoldDocument
    found: bool
    entities: Counts = field(default_factory=Counts)
    entities_by_type: dict[str, Counts] = field(default_factory=dict)
    events: Counts = field(default_factory=Counts)
    quotes: Counts = field(default_factory=Counts)
    quote_text: Counts = field(default_factory=Counts)
    status: Accuracy = field(default_factory=Accuracy)
    hedged: Accuracy = field(default_factory=Accuracy)
    date: Accuracy = field(default_factory=Accuracy)
    attribution: Accuracy = field(default_factory=Accuracy)
    foreign: int = 0  # events / quotes whose text lies in comments or furniture
    issues: list[str] = field(default_factory=list)
    entity_align: dict[str, str] = field(default_factory=dict)  # gold entity id -> predicted entity id
    event_align: dict[str, str] = field(default_factory=dict)  # gold event id -> predicted event id


def score_document(gold: GoldDocument, analysis: dict[str, Any] | None) -> DocScore:
    result = DocScore(gold=gold, found=analysis is not None)
    if analysis is None:
        analysis = {"entities": [], "events": [], "quotes": [], "segments": []}
        result.issues.append("document not found among the analyses: everything counts as missed")
    align = _score_entities(gold, analysis, result)
    result.entity_align = dict(align)
    _score_events(gold, analysis, align, result)
    _score_quotes(gold, analysis, align, result)
    _check_foreign(analysis, result)
    return result


def _one_to_one(pairs: list[tuple[Any, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: (rank, gold index, predicted index), best rank first, then by index."""
    chosen: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in sorted(pairs, key=lambda item: (_descending(item[0]), item[1], item[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            chosen.append((gi, pi))
    return chosen


def _descending(rank: Any) -> Any:
    return tuple(-x for x in rank) if isinstance(rank, tuple) else -rank


# -- entities ------------------------------------------------------------------------------------------


def _entity_surfaces(entity: dict[str, Any]) -> set[str]:
    surfaces = {normalise(entity.get("name") or "")}
    surfaces.update(normalise(a) for a in entity.get("aliases") or [] if _proper(a))
    return {s for s in surfaces if s}


def _gold_surfaces(entity: GoldEntity) -> set[str]:
    return {s for s in (normalise(x) for x in entity.surfaces) if s}


def _score_entities(gold: GoldDocument, analysis: dict[str, Any], result: DocScore) -> dict[str, str]:
    """Counts entity hits; returns gold entity id -> predicted entity id for every matched pair."""
    predicted = analysis.get("entities") or []
    pred_surf = [_entity_surfaces(p) for p in predicted]
    gold_surf = [_gold_surfaces(g) for g in gold.entities]
    pairs: list[tuple[Any, int, int]] = []
    for gi, g in enumerate(gold.entities):
        for pi, p in enumerate(predicted):
            if p.get("type") != g.type:
                continue
            common = pred_surf[pi] & gold_surf[gi]
            if not common:
                continue
            pname, gname = normalise(p.get("name") or ""), normalise(g.name)
            rank = 3 if pname == gname else 2 if pname in gold_surf[gi] else 1
            pairs.append(((len(common), rank), gi, pi))
    align: dict[str, str] = {}
    used_g, used_p = set(), set()
    for gi, pi in _one_to_one(pairs):
        used_g.add(gi)
        used_p.add(pi)
        align[gold.entities[gi].id] = predicted[pi].get("id", "")
        if not gold.entities[gi].optional:
            result.entities.tp += 1
            _by_type(result, gold.entities[gi].type).tp += 1
    for gi, g in enumerate(gold.entities):
        if gi not in used_g and not g.optional:
            result.entities.fn += 1
            _by_type(result, g.type).fn += 1
            result.issues.append(f"entity missed: {g.name} ({g.type})")
    optional_surf = [(g.type, gold_surf[gi]) for gi, g in enumerate(gold.entities) if g.optional]
    for pi, p in enumerate(predicted):
        if pi in used_p:
            continue
        if any(t == p.get("type") and pred_surf[pi] & s for t, s in optional_surf):
            continue  # another surface of an optional entity: neither a hit nor a miss
        result.entities.fp += 1
        _by_type(result, str(p.get("type"))).fp += 1
        result.issues.append(f"entity false positive: {p.get('name')} ({p.get('type')})")
    return align


def _by_type(result: DocScore, etype: str) -> Counts:
    return result.entities_by_type.setdefault(etype, Counts())


# -- events --------------------------------------------------------------------------------------------


def _event_matches(g: GoldEvent, p: dict[str, Any], align: dict[str, str]) -> bool:
    if p.get("type") != g.type:
        return False
    predicted_roles: dict[str, set[str]] = {}
    for part in p.get("participants") or []:
        predicted_roles.setdefault(part.get("role"), set()).add(part.get("entity"))
    for role in key_roles().get(g.type, ()):
        wanted = [entity for r, entity in g.participants if r == role]
        if not wanted:
            continue
        if any(entity not in align for entity in wanted):
            return False
        if predicted_roles.get(role, set()) != {align[entity] for entity in wanted}:
            return False
    return True


def _agreement(g: GoldEvent, p: dict[str, Any], align: dict[str, str]) -> int:
    gold_parts = {(role, align.get(entity)) for role, entity in g.participants}
    pred_parts = {(part.get("role"), part.get("entity")) for part in p.get("participants") or []}
    score = 2 * len(gold_parts & pred_parts)
    if g.status and p.get("status") == g.status:
        score += 1
    evidence = (p.get("evidence") or {}).get("text") or ""
    if g.evidence and g.evidence.casefold() in evidence.casefold():
        score += 3
    return score


def _describe_event(g: GoldEvent, gold: GoldDocument) -> str:
    names = {e.id: e.name for e in gold.entities}
    parts = ", ".join(f"{role}={names.get(entity, entity)}" for role, entity in g.participants)
    return f"{g.type} [{parts}] ({g.status or '?'})" + (f' "{g.evidence}"' if g.evidence else "")


def _describe_predicted(p: dict[str, Any], analysis: dict[str, Any]) -> str:
    names = {e.get("id"): e.get("name") for e in analysis.get("entities") or []}
    parts = ", ".join(
        f"{x.get('role')}={names.get(x.get('entity'), x.get('entity'))}" for x in p.get("participants") or []
    )
    evidence = " ".join(((p.get("evidence") or {}).get("text") or "").split())
    return f'{p.get("type")} [{parts}] ({p.get("status")}) "{evidence[:120]}"'


def _score_events(gold: GoldDocument, analysis: dict[str, Any], align: dict[str, str], result: DocScore) -> None:
    predicted = analysis.get("events") or []
    pairs = []
    for gi, g in enumerate(gold.events):
        for pi, p in enumerate(predicted):
            if _event_matches(g, p, align):
                pairs.append((_agreement(g, p, align), gi, pi))
    used_g, used_p = set(), set()
    reverse = {pred: gold_id for gold_id, pred in align.items()}
    for gi, pi in _one_to_one(pairs):
        used_g.add(gi)
        used_p.add(pi)
        g, p = gold.events[gi], predicted[pi]
        result.event_align[g.id] = str(p.get("id", ""))
        if g.optional:
            continue
        result.events.tp += 1
        label = _describe_event(g, gold)
        if g.status is not None:
            result.status.add(p.get("status") == g.status)
            if p.get("status") != g.status:
                result.issues.append(f"event status: {label}: predicted {p.get('status')}")
        if g.hedged is not None:
            result.hedged.add(bool(p.get("hedged")) == g.hedged)
        if g.date is not None:
            date = p.get("date") or {}
            ok = (date.get("start"), date.get("end")) == g.date
            result.date.add(ok)
            if not ok:
                result.issues.append(
                    f"event date: {label}: gold {g.date[0]}..{g.date[1]}, "
                    f"predicted {date.get('start')}..{date.get('end')}"
                )
        if g.attribution is not None:
            attribution = p.get("attribution") or {}
            ok = attribution.get("kind") == g.attribution
            if ok and g.attribution in ("named", "other_outlet") and g.speaker is not None:
                ok = reverse.get(str(attribution.get("speaker"))) == g.speaker
            result.attribution.add(ok)
            if not ok:
                result.issues.append(
                    f"event attribution: {label}: gold {g.attribution}, predicted {attribution.get('kind')}"
                )
    for gi, g in enumerate(gold.events):
        if gi not in used_g and not g.optional:
            result.events.fn += 1
            result.issues.append(f"event missed: {_describe_event(g, gold)}")
    optional = [g for g in gold.events if g.optional]
    for pi, p in enumerate(predicted):
        if pi in used_p or any(_event_matches(g, p, align) for g in optional):
            continue
        result.events.fp += 1
        result.issues.append(f"event false positive: {_describe_predicted(p, analysis)}")


# -- quotes --------------------------------------------------------------------------------------------


def _text_matches(g: GoldQuote, p: dict[str, Any]) -> float:
    cover, dice = quote_overlap(g.text, p.get("text") or "")
    return dice if cover >= QUOTE_COVER and dice >= QUOTE_DICE else 0.0


def _speaker_matches(g: GoldQuote, p: dict[str, Any], align: dict[str, str]) -> bool:
    if g.speaker is not None:
        return g.speaker in align and p.get("speaker") == align[g.speaker]
    return p.get("speaker_kind") == g.speaker_kind


def _match_quotes(
    gold: GoldDocument,
    predicted: list[dict[str, Any]],
    align: dict[str, str],
    *,
    speaker: bool,
    text: str | None = None,
) -> tuple[Counts, list[str]]:
    """One-to-one quote matching. A gold quote split around "he said" may be matched by one predicted
    quote or by two consecutive ones of the same speaker (the parts), which then count once."""
    counts = Counts()
    issues: list[str] = []
    candidates: list[tuple[dict[str, Any], tuple[int, ...]]] = [(p, (i,)) for i, p in enumerate(predicted)]
    for i in range(len(predicted) - 1):
        a, b = predicted[i], predicted[i + 1]
        if _parts_of_one_quote(a, b, text):
            joined = {**a, "text": f"{a.get('text', '')} {b.get('text', '')}", "end": b.get("end")}
            candidates.append((joined, (i, i + 1)))
    pairs = []
    for gi, g in enumerate(gold.quotes):
        for ci, (p, _) in enumerate(candidates):
            overlap = _text_matches(g, p)
            if overlap and (not speaker or _speaker_matches(g, p, align)):
                pairs.append((overlap, gi, ci))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, ci in sorted(pairs, key=lambda item: (-item[0], item[1], item[2])):
        parts = candidates[ci][1]
        if gi in used_g or any(i in used_p for i in parts):
            continue
        used_g.add(gi)
        used_p.update(parts)
        if not gold.quotes[gi].optional:
            counts.tp += 1
    names = {e.id: e.name for e in gold.entities}
    for gi, g in enumerate(gold.quotes):
        if gi not in used_g and not g.optional:
            counts.fn += 1
            who = names.get(g.speaker or "", g.speaker_kind)
            issues.append(f'quote missed: {who}: "{_short(g.text)}"')
    optional = [g for g in gold.quotes if g.optional]
    for pi, p in enumerate(predicted):
        if pi in used_p or any(_text_matches(g, p) for g in optional):
            continue
        counts.fp += 1
        issues.append(
            f'quote false positive: {p.get("speaker_text") or p.get("speaker_kind")}: "{_short(p.get("text") or "")}"'
        )
    return counts, issues


def _parts_of_one_quote(a: dict[str, Any], b: dict[str, Any], text: str | None) -> bool:
    """Two direct quotes of one speaker in one paragraph with only the speech tag between them ("…,"
    said X, a long role, "…")."""
    if not (a.get("direct", True) and b.get("direct", True)):
        return False
    if (a.get("speaker"), a.get("speaker_kind")) != (b.get("speaker"), b.get("speaker_kind")):
        return False
    gap_start, gap_end = a.get("end"), b.get("start")
    if not (isinstance(gap_start, int) and isinstance(gap_end, int) and 0 <= gap_end - gap_start <= SPLIT_GAP):
        return False
    return text is None or "\n" not in text[gap_start:gap_end]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _score_quotes(gold: GoldDocument, analysis: dict[str, Any], align: dict[str, str], result: DocScore) -> None:
    predicted = [q for q in analysis.get("quotes") or [] if q.get("speaker_kind") != "commenter"]
    text = (analysis.get("document") or {}).get("text")
    result.quotes, issues = _match_quotes(gold, predicted, align, speaker=True, text=text)
    result.quote_text, _ = _match_quotes(gold, predicted, align, speaker=False, text=text)
    result.issues.extend(issues)


# -- comments and furniture ------------------------------------------------------------------------------


def _check_foreign(analysis: dict[str, Any], result: DocScore) -> None:
    foreign = [(s["start"], s["end"]) for s in analysis.get("segments") or [] if s.get("kind") in FOREIGN_SEGMENTS]
    if not foreign:
        return
    spans: list[tuple[str, int, int]] = []
    for event in analysis.get("events") or []:
        evidence = event.get("evidence") or {}
        if "start" in evidence:
            spans.append((f"event {event.get('type')}", evidence["start"], evidence["end"]))
    for quote in analysis.get("quotes") or []:
        if quote.get("speaker_kind") != "commenter" and "start" in quote:
            spans.append(("quote", quote["start"], quote["end"]))
    for label, start, end in spans:
        if any(start < b and a < end for a, b in foreign):
            result.foreign += 1
            result.issues.append(f"{label} taken from a comment or page furniture at {start}-{end}")


# -- totals ----------------------------------------------------------------------------------------------


def summarise(scores: Iterable[DocScore]) -> dict[str, Any]:
    """Totals over documents: P/R/F1 per layer and entity type, accuracies, foreign-text count."""
    entities, events, quotes, quote_text = Counts(), Counts(), Counts(), Counts()
    by_type: dict[str, Counts] = {}
    status, hedged, date, attribution = Accuracy(), Accuracy(), Accuracy(), Accuracy()
    foreign = documents = missing = 0
    for doc in scores:
        documents += 1
        missing += int(not doc.found)
        entities.add(doc.entities)
        events.add(doc.events)
        quotes.add(doc.quotes)
        quote_text.add(doc.quote_text)
        for etype, counts in doc.entities_by_type.items():
            by_type.setdefault(etype, Counts()).add(counts)
        status.merge(doc.status)
        hedged.merge(doc.hedged)
        date.merge(doc.date)
        attribution.merge(doc.attribution)
        foreign += doc.foreign
    return {
        "documents": documents,
        "documents_not_found": missing,
        "entities": entities.prf(),
        "entities_by_type": {t: c.prf() for t, c in sorted(by_type.items())},
        "events": events.prf(),
        "quotes": quotes.prf(),
        "quotes_text_only": quote_text.prf(),
        "status": status.value(),
        "hedged": hedged.value(),
        "dates": date.value(),
        "attribution": attribution.value(),
        "foreign_text_in_evidence": foreign,
    }
