"""Dates and amounts: parsing and resolution against the publication date."""

from __future__ import annotations

import pytest

from conftest import MakeDoc
from dossier.nlp import analyze, get_nlp
from dossier.nlp.state import EXTENSION, DocState
from dossier.nlp.temporal import resolve


def dates(make_doc: MakeDoc, text: str) -> list[tuple[str, str, tuple[int, ...]]]:
    nlp = get_nlp()
    document = make_doc(text)
    doc = nlp.make_doc(text)
    doc._.set(EXTENSION, DocState.for_document(document))
    nlp.get_pipe("dossier_temporal")(doc)
    return [(d.text, d.kind, d.parts) for d in doc._.get(EXTENSION).dates]


def resolved(make_doc: MakeDoc, text: str, published: str | None, *, future: bool = False) -> tuple:
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.set(EXTENSION, DocState.for_document(make_doc(text, published=published)))
    nlp.get_pipe("dossier_temporal")(doc)
    spans = doc._.get(EXTENSION).dates
    assert len(spans) == 1, [s.text for s in spans]
    return (spans[0].text, *resolve(spans[0], published, future=future))


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("It happened on Sept. 12, 2023.", None, ("Sept. 12, 2023", "2023-09-12", "2023-09-12")),
        ("It happened on 12 September 2023.", None, ("12 September 2023", "2023-09-12", "2023-09-12")),
        ("It happened on 2023-09-12.", None, ("2023-09-12", "2023-09-12", "2023-09-12")),
        ("It happened in June 2023.", None, ("June 2023", "2023-06", "2023-06")),
        ("It happened in 2022.", None, ("2022", "2022", "2022")),
        ("It happened last month.", "2023-09-04", ("last month", "2023-08", "2023-08")),
        ("It happened last month.", "2023-01-15", ("last month", "2022-12", "2022-12")),
        ("It happened on Tuesday.", "2023-09-04", ("Tuesday", "2023-08-29", "2023-08-29")),
        ("It happened in June.", "2023-09-04", ("June", "2023-06", "2023-06")),
        ("It happened in November.", "2023-03-09", ("November", "2022-11", "2022-11")),
        ("It happened last year.", "2023-09-04", ("last year", "2022", "2022")),
        ("It happened in the second quarter.", "2023-09-04", ("second quarter", "2023-04", "2023-06")),
        ("It happened earlier this year.", "2023-09-04", ("earlier this year", "2023-01", "2023-09")),
        ("It happened yesterday.", "2023-09-04", ("yesterday", "2023-09-03", "2023-09-03")),
        ("It happened last month.", None, ("last month", None, None)),
        ("It happened on Tuesday.", "2023-09", ("Tuesday", None, None)),
        ("Microsoft said Monday that it would invest.", "2023-01-24", ("Monday", "2023-01-23", "2023-01-23")),
        # a possessive year moves the year, not the month: "last year's Oct 7" is not the latest Oct 7
        ("It updates last year's Oct 7 rules.", "2023-10-18", ("last year's Oct 7", "2022-10-07", "2022-10-07")),
        (
            "It extends last year's 7 October rules.",
            "2023-10-18",
            ("last year's 7 October", "2022-10-07", "2022-10-07"),
        ),
        ("It revives last year's March plan.", "2023-10-18", ("last year's March", "2022-03", "2022-03")),
        ("It waits for next year's June summit.", "2023-10-18", ("next year's June", "2024-06", "2024-06")),
    ],
)
def test_dates_resolve(make_doc: MakeDoc, text: str, published: str | None, expected: tuple) -> None:
    assert resolved(make_doc, text, published) == expected


def test_plans_look_forward(make_doc: MakeDoc) -> None:
    assert resolved(make_doc, "It will open in June.", "2023-09-04", future=True) == (
        "June",
        "2024-06",
        "2024-06",
    )
    assert resolved(make_doc, "It will open next year.", "2023-09-04", future=True) == (
        "next year",
        "2024",
        "2024",
    )
    assert resolved(make_doc, "It will open by the end of the year.", "2023-09-04", future=True) == (
        "by the end of the year",
        "2023-09-04",  # a deadline: from publication up to its last day
        "2023-12-31",
    )
    assert resolved(make_doc, "The line should run before the end of 2025.", "2023-09-04", future=True) == (
        "before the end of 2025",
        "2023-09-04",
        "2025-12-31",
    )


def test_since_runs_until_the_report_unless_it_dates_a_state(make_doc: MakeDoc) -> None:
    text = "Tokyo Electron has hired 300 engineers in Kumamoto since 2021."
    analysis = analyze(make_doc(text, published="2024-02-06"))
    assert [(e.date.start, e.date.end) for e in analysis.events if e.date] == [("2021", "2024-02-06")]
    text = "SMIC has been on the US Entity List since 2020."
    analysis = analyze(make_doc(text, published="2024-02-06"))
    assert [(e.date.start, e.date.end) for e in analysis.events if e.date] == [("2020", "2020")]


def test_model_numbers_are_not_years(make_doc: MakeDoc) -> None:
    assert dates(make_doc, "The NXT:1980Di and the 2000i ship to 1980 customers.") == []


def amounts(make_doc: MakeDoc, text: str) -> list[tuple[str, float | None, str | None, float | None]]:
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.set(EXTENSION, DocState.for_document(make_doc(text)))
    nlp.get_pipe("dossier_amounts")(doc)
    return [(a.amount.text, a.amount.value, a.amount.unit, a.amount.usd) for a in doc._.get(EXTENSION).amounts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a $40bn deal", [("$40bn", 40e9, "USD", 40e9)]),
        ("US$1.5 billion", [("US$1.5 billion", 1.5e9, "USD", 1.5e9)]),
        ("€2.2bn in sales", [("€2.2bn", 2.2e9, "EUR", None)]),
        ("1.5 billion yuan ($207 million)", [("1.5 billion yuan ($207 million)", 1.5e9, "CNY", 207e6)]),
        ("£24bn ($32bn)", [("£24bn ($32bn)", 24e9, "GBP", 32e9)]),
        ("10 billion roubles", [("10 billion roubles", 10e9, "RUB", None)]),
        ("EUR 300m", [("EUR 300m", 300e6, "EUR", None)]),
        ("up 24% from 8.1 per cent", [("24%", 24.0, "%", None), ("8.1 per cent", 8.1, "%", None)]),
        ("2,000 engineers in 2023", []),
    ],
)
def test_amounts(make_doc: MakeDoc, text: str, expected: list) -> None:
    assert amounts(make_doc, text) == expected


def test_amounts_only_from_the_article(make_doc: MakeDoc) -> None:
    from dossier.model import Segment

    text = "Save $5 today!\nThe deal is worth $40bn."
    segments = [Segment("boilerplate", 0, 14), Segment("body", 15, len(text))]
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.set(EXTENSION, DocState.for_document(make_doc(text, segments=segments)))
    nlp.get_pipe("dossier_amounts")(doc)
    assert [a.amount.text for a in doc._.get(EXTENSION).amounts] == ["$40bn"]
    assert analyze(make_doc(text, segments=segments)).events == []


def test_periods_resolve_to_intervals_from_publication(make_doc) -> None:
    from dossier.nlp import analyze

    cases = {
        "Huawei plans to hire 1,500 engineers in Russia over the next three years.": ("2022-09-22", "2025-09-22"),
        "Intel will invest $100 billion in the United States over five years.": ("2022-09-22", "2027-09-22"),
    }
    for text, expected in cases.items():
        (event,) = analyze(make_doc(text, published="2022-09-22")).events
        assert event.date is not None and (event.date.start, event.date.end) == expected, text


def test_a_deadline_is_the_interval_up_to_it(make_doc) -> None:
    from dossier.nlp import analyze

    text = "Russia would supply China with 98 billion cubic metres of gas by 2030."
    (event,) = analyze(make_doc(text, published="2023-03-22")).events
    assert event.date is not None and (event.date.start, event.date.end) == ("2023-03-22", "2030")
