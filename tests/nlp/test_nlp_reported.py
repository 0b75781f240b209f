"""Reported (indirect) speech: quotes with ``direct: false`` and their speakers."""

from __future__ import annotations

import pytest

from conftest import MakeDoc, assert_offsets
from dossier.model import Analysis, Quote, Segment
from dossier.nlp import analyze


def indirect(analysis: Analysis) -> list[Quote]:
    return [q for q in analysis.quotes if not q.direct]


def name_of(analysis: Analysis, entity_id: str | None) -> str | None:
    return next((e.name for e in analysis.entities if e.id == entity_id), None)


@pytest.mark.parametrize("pipeline", ["model", "fast"])
def test_said_that_and_said_with_a_time(make_doc: MakeDoc, pipeline: str) -> None:
    text = (
        "Huawei said on Thursday it would open a second research centre in Kazan next year. "
        "Samsung Electronics told investors that its memory orders had doubled since March."
    )
    analysis = analyze(make_doc(text), pipeline=pipeline)
    assert_offsets(analysis)
    quotes = indirect(analysis)
    assert [q.text for q in quotes] == [
        "it would open a second research centre in Kazan next year",
        "its memory orders had doubled since March",
    ]
    assert [name_of(analysis, q.speaker) for q in quotes] == ["Huawei", "Samsung Electronics"]
    assert all(q.speaker_kind == "named" for q in quotes)


def test_speaker_after_the_clause_and_the_company(make_doc: MakeDoc) -> None:
    text = (
        "ASML shipped its first machines to Taiwan in 2010. "
        "The new scanners will reach customers in the second half of the year, the company said."
    )
    analysis = analyze(make_doc(text))
    (quote,) = indirect(analysis)
    assert quote.text == "The new scanners will reach customers in the second half of the year"
    assert name_of(analysis, quote.speaker) == "ASML"
    assert quote.speaker_text == "the company"


def test_according_to_anonymous_and_unnamed_groups(make_doc: MakeDoc) -> None:
    text = (
        "According to two people familiar with the matter, Nokia will cut its Russian staff by half. "
        "The cuts could start before the summer, analysts said."
    )
    analysis = analyze(make_doc(text))
    quotes = indirect(analysis)
    assert [q.speaker_kind for q in quotes] == ["anonymous", "anonymous"]
    assert quotes[0].text == "Nokia will cut its Russian staff by half"
    assert quotes[0].speaker is None


def test_an_unnamed_official_is_anonymous_even_with_a_country(make_doc: MakeDoc) -> None:
    text = "A senior US administration official said the two sides would meet again in the spring."
    (quote,) = indirect(analyze(make_doc(text)))
    assert quote.speaker_kind == "anonymous" and quote.speaker is None


def test_direct_quotes_are_not_repeated_as_reported_speech(make_doc: MakeDoc) -> None:
    text = 'Ericsson said that "the licence covers every generation of our mobile standards".'
    analysis = analyze(make_doc(text))
    assert indirect(analysis) == []


def test_no_reported_speech_from_comments(make_doc: MakeDoc) -> None:
    body = "TSMC opened its plant in Kumamoto on Saturday."
    comment = "Tom wrote: my cousin said the plant will close within a year."
    text = body + "\n\n" + comment
    segments = [Segment("body", 0, len(body)), Segment("comment", len(body) + 2, len(text), author="Tom")]
    analysis = analyze(make_doc(text, segments=segments))
    assert indirect(analysis) == []


def test_a_clause_after_said_may_open_with_any_word(make_doc: MakeDoc) -> None:
    text = (
        "Microsoft is investing in OpenAI. One of the people said part of the money would be provided as "
        "computing capacity. The union says about 6,500 members joined the walkout this week. "
        "The company said in a statement the review was routine."
    )
    quotes = analyze(make_doc(text)).quotes
    assert [(q.text, q.speaker_kind) for q in quotes] == [
        ("part of the money would be provided as computing capacity", "anonymous"),
        ("about 6,500 members joined the walkout this week", "unknown"),
        ("the review was routine", "named"),
    ]


def test_a_participle_reports_what_the_subject_says(make_doc: MakeDoc) -> None:
    text = "Union leaders also raised safety complaints, saying some subcontractors had cut corners."
    (quote,) = analyze(make_doc(text)).quotes
    assert (quote.text, quote.speaker_kind, quote.cue) == (
        "some subcontractors had cut corners",
        "anonymous",
        "saying",
    )


def test_a_clause_after_said_is_not_a_speaker_and_told_closes_a_quote(make_doc: MakeDoc) -> None:
    text = (
        "Alexei Borodin, a telecom analyst in Moscow, said a larger research footprint would make sense. "
        "A Huawei Russia executive admitted on local TV that the five-year figure was approximate. "
        "The two men have now met around 40 times, Xi Jinping told reporters."
    )
    analysis = analyze(make_doc(text))
    names = {e.id: e.name for e in analysis.entities}
    assert [(q.text, q.speaker_kind, names.get(q.speaker or "")) for q in analysis.quotes] == [
        ("a larger research footprint would make sense", "named", "Alexei Borodin"),
        ("the five-year figure was approximate", "anonymous", None),
        ("The two men have now met around 40 times", "named", "Xi Jinping"),
    ]


def test_unnamed_people_near_a_place_stay_anonymous(make_doc: MakeDoc) -> None:
    text = (
        "A Western diplomat in Moscow said the figure was a number on a slide. "
        "US officials said the rules would stay in place for years. "
        "Hungary has not published the full text, but officials said the loan covers 80% of the cost."
    )
    quotes = analyze(make_doc(text)).quotes
    assert [(q.text, q.speaker_kind) for q in quotes] == [
        ("the figure was a number on a slide", "anonymous"),
        ("the rules would stay in place for years", "anonymous"),
        ("the loan covers 80% of the cost", "anonymous"),
    ]


def test_an_object_after_a_reporting_verb_is_no_reported_clause(make_doc: MakeDoc) -> None:
    text = "SK Hynix confirmed the plan on Monday. SK Hynix said the plant would open in 2028."
    assert [q.text for q in analyze(make_doc(text)).quotes] == ["the plant would open in 2028"]


def speakers(analysis: Analysis) -> list[tuple[str, str | None]]:
    return [(q.speaker_kind, name_of(analysis, q.speaker)) for q in analysis.quotes]


def test_a_definite_description_is_the_person_named_before(make_doc: MakeDoc) -> None:
    text = (
        "Jensen Huang opened the trade fair in Taipei on Tuesday. "
        "The Nvidia chief executive said orders for the new accelerators had tripled since spring. "
        "Pat Gelsinger, who runs Intel, spoke an hour later. "
        "The 62-year-old said the industry would need three more years to catch up with demand."
    )
    analysis = analyze(make_doc(text))
    assert speakers(analysis) == [("named", "Jensen Huang"), ("named", "Pat Gelsinger")]


def test_a_description_that_fits_nobody_named_stays_unresolved(make_doc: MakeDoc) -> None:
    text = (
        "Narendra Modi met Fumio Kishida in Hiroshima on Saturday. "
        "The Japanese leader said both countries would deepen their semiconductor cooperation this year."
    )
    analysis = analyze(make_doc(text))
    assert [kind for kind, _ in speakers(analysis)] == ["unknown"]
    text = (
        "A Samsung executive told reporters in Seoul that the line would start in May. "
        "Lee Jae-yong, the group's chairman, visited the plant a week later. "
        "The Samsung executive said the delay had been caused by a shortage of inspection tools."
    )
    analysis = analyze(make_doc(text))
    assert speakers(analysis)[-1] == ("anonymous", None)


def test_unnamed_groups_with_a_place_or_a_relative_clause_are_anonymous(make_doc: MakeDoc) -> None:
    text = (
        "Rosatom expects the first unit to run next year. "
        "Critics in Ankara say the plant leaves Turkey dependent on Russian fuel for decades. "
        "Engineers involved in the project said the start date was likely to slip again. "
        "The loan terms were generous, according to one of the people familiar with the talks, "
        "who said the interest rate was below the market rate."
    )
    analysis = analyze(make_doc(text))
    assert [kind for kind, _ in speakers(analysis)] == ["anonymous", "anonymous", "anonymous"]


def test_the_firm_is_the_organisation_the_sentences_before_are_about(make_doc: MakeDoc) -> None:
    text = (
        "Counterpoint Research had examined a Kirin chip made by SMIC in 2022. "
        "The firm's analysts said the new part used a denser layout than the earlier one."
    )
    analysis = analyze(make_doc(text))
    assert speakers(analysis) == [("named", "Counterpoint Research")]
