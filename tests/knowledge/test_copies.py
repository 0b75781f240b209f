"""Copies of one text (syndicated reprints) are found; independent reports and shared comments are not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dossier.clean import clean, clean_text
from dossier.errors import DossierError
from dossier.ingest import iter_raw
from dossier.knowledge.copies import copy_families, families, own_text, signature
from dossier.model import Document, Segment

ROOT = Path(__file__).resolve().parents[2]

PARAGRAPHS = [
    "Arktel, a telecoms equipment maker based in Kazan, said on Tuesday it had agreed to supply 4,000 radio "
    "units to a regional operator in Tatarstan over the next three years, its largest order since 2021.",
    "The company did not disclose the value of the contract, but two people familiar with the talks put it "
    "at about 9 billion roubles, paid in stages as the units are installed along the Volga corridor.",
    "Chief executive Lena Petrova told reporters in Kazan that the first shipments would leave the plant in "
    "March and that the company was hiring about 300 engineers to keep up with demand from operators.",
    "Analysts said the deal showed how domestic vendors were filling the gap left by European suppliers, "
    "although they warned that Arktel still depended on imported chips for its newest base stations.",
    "Shares in the operator rose three per cent in Moscow trading after the announcement, while the wider "
    "market index slipped on worries about interest rates and the outlook for consumer spending.",
]
INDEPENDENT = (
    "Regional operator orders Arktel radios\n\nA Tatarstan mobile network has chosen Arktel, the Kazan "
    "vendor, for a three-year rollout of 4,000 radio units, according to a filing published on Tuesday. The "
    "order, worth roughly 9bn roubles by our estimate, is Arktel's biggest since 2021. Lena Petrova, who runs "
    "the company, said deliveries start in March; Arktel is recruiting some 300 engineers. Chips remain the "
    "weak point: the newest base stations use imported processors, engineers at the operator said."
)


def _doc(text: str) -> Document:
    return clean_text(text)[0]


def test_a_reprint_with_a_new_headline_a_note_a_promo_and_a_trimmed_end_is_a_copy() -> None:
    original = _doc("Arktel wins record radio order\n\n" + "\n\n".join(PARAGRAPHS))
    reprint = _doc(
        "Kazan vendor lands biggest deal in years\n\nEditor's note: this story was supplied by a news agency.\n\n"
        + "\n\n".join(PARAGRAPHS[:2])
        + "\n\nREAD MORE: Five things to know about the regional telecoms market\n\n"
        + "\n\n".join(PARAGRAPHS[2:4])
    )
    independent = _doc(INDEPENDENT)
    assert signature(own_text(original)).resemblance(signature(own_text(reprint))) > 0.6
    assert signature(own_text(original)).resemblance(signature(own_text(independent))) < 0.2
    found = copy_families([original, independent, reprint])
    assert found == [[original.id, reprint.id], [independent.id]]


def test_comments_and_furniture_do_not_make_two_stories_one() -> None:
    comments = " ".join(
        f"Reader {n} wrote that the whole market is rigged and nobody should buy anything." for n in range(30)
    )
    first = Document(
        id="a",
        text="Arktel wins an order. " + comments,
        segments=[Segment("body", 0, 22), Segment("comment", 22, 22 + len(comments))],
    )
    second = Document(
        id="b",
        text="Sinowave loses a bid. " + comments,
        segments=[Segment("body", 0, 22), Segment("comment", 22, 22 + len(comments))],
    )
    assert own_text(first) == "Arktel wins an order. "
    assert families([("a", signature(own_text(first))), ("b", signature(own_text(second)))]) == [["a"], ["b"]]


def test_signatures_are_the_same_in_another_process_and_short_texts_stand_alone() -> None:
    text = "\n\n".join(PARAGRAPHS)
    # signatures are stored and compared across runs: another interpreter (another hash seed) agrees
    script = (
        "import sys; from dossier.knowledge.copies import signature; print(list(signature(sys.stdin.read()).values))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert json.loads(other.stdout) == list(signature(text).values)
    assert len(signature(text).values) == 128
    assert signature("Too short.").values == ()
    assert families([("x", signature("Too short.")), ("y", signature("Too short."))]) == [["x"], ["y"]]


def test_the_demo_corpus_copies_are_exactly_its_syndicated_reprints() -> None:
    documents = [
        doc
        for raw in iter_raw([str(ROOT / "examples" / "demo")])
        if not isinstance(raw, DossierError)
        for doc in clean(raw)
    ]
    titles = {d.id: d.title or "" for d in documents}
    copies = [sorted(titles[i] for i in group) for group in copy_families(documents) if len(group) > 1]
    # the two Microsoft-OpenAI wire copies and the two Foxconn-Vedanta wire copies (MANIFEST files)
    assert len(copies) == 2, copies
    assert any(all("Microsoft" in t for t in group) for group in copies)
    assert any(any("Foxconn" in t for t in group) for group in copies)
