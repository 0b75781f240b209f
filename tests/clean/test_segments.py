"""The cleaner labels every span (nothing deleted) and finds header facts, on our own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.clean import clean, clean_text
from dossier.ingest import iter_raw
from dossier.model import Document, RawDocument

FIXTURES = Path(__file__).parent.parent / "fixtures"
DEMO = Path(__file__).parent.parent.parent / "examples" / "demo"


def _docs(*paths: Path) -> list[Document]:
    out = []
    for item in iter_raw([str(p) for p in paths]):
        assert isinstance(item, RawDocument), item
        out.extend(clean(item))
    return out


def _kinds(doc: Document) -> list[tuple[str, str, str | None]]:
    return [(s.kind, doc.text[s.start : s.end], s.author) for s in doc.segments]


def _check_cover(doc: Document) -> None:
    """Segments are ordered, do not overlap, and together cover every non-blank character."""
    covered = [False] * len(doc.text)
    last_end = 0
    for seg in doc.segments:
        assert 0 <= seg.start < seg.end <= len(doc.text), seg
        assert seg.start >= last_end, f"overlap at {seg}"
        last_end = seg.end
        for i in range(seg.start, seg.end):
            covered[i] = True
    missing = [i for i, ch in enumerate(doc.text) if not covered[i] and not ch.isspace()]
    assert not missing, f"unlabelled text: {doc.text[missing[0] : missing[0] + 40]!r}"


def test_plain_text_header_body_furniture_comments() -> None:
    (doc,) = _docs(FIXTURES / "article.txt")
    _check_cover(doc)
    assert doc.title == "Lumenfab agrees to supply wafer inspection tools to Baltic Silicon"
    assert doc.published == "2024-03-14"
    assert doc.authors == ["Maria Tamm", "Jonas Berg"]
    assert doc.source == "Tallinn Tech Courier"
    assert doc.origin == {"outlet": "Nordline News"}  # from the wire dateline
    kinds = _kinds(doc)
    assert ("title", doc.title, None) in kinds
    assert any(k == "caption" and t.startswith("Photo:") for k, t, _ in kinds)
    assert ("dateline", "TARTU, Estonia, March 14 (Nordline News) -", None) in kinds
    boiler = [t for k, t, _ in kinds if k == "boilerplate"]
    assert any("Read more" in t for t in boiler)
    assert any("Share this article" in t for t in boiler)
    assert any("All rights reserved" in t for t in boiler)
    comments = [(t, a) for k, t, a in kinds if k == "comment"]
    assert [a for _, a in comments] == ["riga_reader", "Peeter K."]
    assert "signed a deal with Intel" in comments[0][0]
    body = " ".join(t for k, t, _ in kinds if k == "body")
    assert "Intel" not in body and "Reply" not in body
    assert "€45 million" in body


def test_html_main_text_metadata_and_comments_with_authors() -> None:
    (doc,) = _docs(FIXTURES / "page.html")
    _check_cover(doc)
    assert doc.title == "Orvane and Kestrel Mobile sign 5G research pact"
    assert doc.published == "2024-02-20"
    assert doc.authors == ["Ines Duarte"]
    assert doc.source == "The Northern Ledger"
    assert doc.url == "https://northernledger.example/tech/orvane-kestrel-5g"
    assert doc.language == "en"
    kinds = _kinds(doc)
    body = " ".join(t for k, t, _ in kinds if k == "body")
    assert "network slicing" in body and "field trials in 2025" in body
    assert "cookies" not in body and "newsletter" not in body.lower()
    captions = [t for k, t, _ in kinds if k == "caption"]
    assert captions and captions[0].startswith("Engineers at the Orvane lab")
    comments = [(a, t) for k, t, a in kinds if k == "comment"]
    assert [a for a, _ in comments] == ["netops_pt", "A. Sousa", "netops_pt"]
    # A nested reply is its own comment, not part of its parent.
    assert "They never are." not in comments[1][1]
    assert comments[2][1].endswith("They never are.")


def test_threads_file_becomes_one_document_per_thread() -> None:
    docs = _docs(FIXTURES / "threads.txt")
    assert len(docs) == 2
    first, second = docs
    for doc in docs:
        _check_cover(doc)
    assert first.authors == ["@fab_tracker"] and second.authors == ["@grid_and_chips"]
    assert first.published == "2024-05-03" and second.published == "2024-05-06"
    posts = [t for k, t, _ in _kinds(first) if k == "thread_post"]
    assert len(posts) == 4 and posts[1].startswith("2/ Germany confirmed")
    assert all(s.author == "@fab_tracker" for s in first.segments if s.kind == "thread_post")
    assert len([s for s in second.segments if s.kind == "thread_post"]) == 3
    assert first.id != second.id
    assert first.raw_ref.endswith("#thread=1") and second.raw_ref.endswith("#thread=2")


def test_numbered_list_in_an_article_is_not_a_thread() -> None:
    text = (
        "Five things to know about the chip rules\n\nBy A. Writer\nMay 2, 2024\n\n"
        "The rules change a great deal for exporters and their customers in several countries at once.\n\n"
        "1. Licences are needed for more tools.\n\n2. More countries are covered.\n\n"
        "Officials said the list would be reviewed every year, and that companies could comment on it.\n\n"
        "Analysts expect more changes in the autumn, after the consultation closes and the data is in."
    )
    (doc,) = clean_text(text)
    assert not any(s.kind == "thread_post" for s in doc.segments)


def test_mojibake_is_repaired_and_quotes_normalised_with_a_map_to_the_original() -> None:
    original = "Title line here\n\nThe minister PÃ©ter said \u201cwe agreed\u201d  on Tuesday.\r\n"
    (doc,) = clean_text(original)
    assert "Péter" in doc.text and '"we agreed"' in doc.text and "  " not in doc.text
    assert doc.offset_map is not None
    start = doc.text.index("on Tuesday")
    assert original[doc.offset_map.to_original(start) :].startswith("on Tuesday")
    q = doc.text.index('"we')
    assert original[doc.offset_map.to_original(q)] == "\u201c"
    # The map is part of the exported contract and survives a round trip.
    from dossier.model import OffsetMap

    restored = OffsetMap.from_dict(doc.to_dict()["offset_map"])
    assert restored.to_original(start) == doc.offset_map.to_original(start)


@pytest.mark.parametrize("path", sorted(p for p in DEMO.glob("*/*") if p.is_file()))
def test_every_demo_document_is_fully_labelled(path: Path) -> None:
    for doc in _docs(path):
        _check_cover(doc)
        assert doc.title, f"{doc.raw_ref}: no title"
        assert doc.published, f"{doc.raw_ref}: no publication date"
        assert doc.language == "en"
