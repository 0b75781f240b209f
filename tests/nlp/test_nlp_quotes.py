"""Direct quotes and their speakers."""

from __future__ import annotations

from conftest import MakeDoc, assert_offsets
from dossier.model import Analysis, Quote, Segment
from dossier.nlp import analyze


def only_quote(analysis: Analysis) -> Quote:
    assert len(analysis.quotes) == 1, analysis.quotes
    return analysis.quotes[0]


def entity_id(analysis: Analysis, name: str) -> str:
    return next(e.id for e in analysis.entities if e.name == name)


def test_named_speaker_after_the_quote_with_role(make_doc: MakeDoc) -> None:
    text = 'ASML rose. "We comply with all export rules," Peter Wennink, chief executive of ASML, said.'
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    quote = only_quote(analysis)
    assert quote.text == "We comply with all export rules,"
    assert quote.speaker_kind == "named"
    assert quote.speaker == entity_id(analysis, "Peter Wennink")
    assert quote.speaker_text == "Peter Wennink, chief executive of ASML"
    assert quote.cue == "said"
    assert quote.direct is True


def test_named_speaker_with_cue_first(make_doc: MakeDoc) -> None:
    text = '"The newest scanner is off the menu," said Raf Verbeke, an analyst at Lowlands Advisory.'
    analysis = analyze(make_doc(text))
    quote = only_quote(analysis)
    assert quote.speaker == entity_id(analysis, "Raf Verbeke")
    assert quote.speaker_text == "Raf Verbeke, an analyst at Lowlands Advisory"


def test_speaker_before_a_colon_and_quote_continuation(make_doc: MakeDoc) -> None:
    text = (
        "Satya Nadella, Microsoft's chief executive, said: \"We formed our partnership around a shared "
        'ambition." He added: "The work has only just begun for all of us."'
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    nadella = entity_id(analysis, "Satya Nadella")
    assert [q.speaker for q in analysis.quotes] == [nadella, nadella]
    assert analysis.quotes[1].speaker_text == "He"


def test_anonymous_quote(make_doc: MakeDoc) -> None:
    text = '"The deal is off for now and may never come back," said a person familiar with the matter.'
    analysis = analyze(make_doc(text))
    quote = only_quote(analysis)
    assert quote.speaker_kind == "anonymous"
    assert quote.speaker is None
    assert quote.speaker_text == "a person familiar with the matter"


def test_anonymous_official_before_the_verb(make_doc: MakeDoc) -> None:
    text = '"This was a negotiation between allies," one European official familiar with the process told us.'
    quote = only_quote(analyze(make_doc(text)))
    assert quote.speaker_kind == "anonymous"
    assert quote.cue == "told"


def test_guillemets_and_scare_quotes(make_doc: MakeDoc) -> None:
    text = 'The ministry was "dissatisfied". Lavrov said: «We will respond to every hostile step».'
    analysis = analyze(make_doc(text))
    quote = only_quote(analysis)  # "dissatisfied" is one word: a scare quote
    assert quote.text == "We will respond to every hostile step"
    assert quote.speaker == entity_id(analysis, "Sergei Lavrov")


def test_quote_without_a_speaker_is_unknown(make_doc: MakeDoc) -> None:
    quote = only_quote(analyze(make_doc('"Nobody expected a phone like this one." The launch was quiet.')))
    assert quote.speaker_kind == "unknown"
    assert quote.speaker is None


def test_multi_paragraph_quote_continues(make_doc: MakeDoc) -> None:
    text = (
        "Eleanor Whitcombe, an analyst at Fenwick Partners, put it bluntly in a note:\n\n"
        "\"Arm's value comes from being neutral to every customer.\n\n"
        '"Regulators will ask the same question, and they will take their time."'
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    whitcombe = entity_id(analysis, "Eleanor Whitcombe")
    assert [q.speaker for q in analysis.quotes] == [whitcombe, whitcombe]


def test_no_quotes_from_comments(make_doc: MakeDoc) -> None:
    body = "Huawei launched a phone on Tuesday."
    comment = '"This phone will change everything in China," said Peter Wennink.'
    text = body + "\n" + comment
    segments = [
        Segment("body", 0, len(body)),
        Segment("comment", len(body) + 1, len(text), author="reader42"),
    ]
    analysis = analyze(make_doc(text, segments=segments))
    assert analysis.quotes == []


def test_a_quote_paragraph_goes_on_with_the_voice_the_paragraph_before_ends_on(make_doc: MakeDoc) -> None:
    text = (
        "Demand for older chips has weakened, Marta Kowalski, an analyst at Vistula Research, said on Monday.\n\n"
        '"We expect inventories to stay high until the spring of next year."\n\n'
        "The company did not comment.\n\n"
        '"Nobody will say this on the record."'
    )
    analysis = analyze(make_doc(text))
    direct = [q for q in analysis.quotes if q.direct]
    assert direct[0].speaker == entity_id(analysis, "Marta Kowalski")
    assert direct[1].speaker is None  # the paragraph before quotes nobody


def test_the_owned_name_speaks_not_its_owner(make_doc: MakeDoc) -> None:
    text = '"The review is routine and follows the law," China\'s State Administration for Market Regulation said.'
    analysis = analyze(make_doc(text))
    assert only_quote(analysis).speaker == entity_id(analysis, "State Administration for Market Regulation")


def test_a_government_spokesperson_speaks_for_the_country_the_text_is_about(make_doc: MakeDoc) -> None:
    text = (
        "South Korea will widen tax credits for chip plants, according to a draft bill. Seoul also plans cheaper "
        "loans. Officials met in Sejong on Monday to discuss the bill.\n\n"
        "Business groups welcomed the plan. Critics called it a giveaway. Opposition lawmakers want changes.\n\n"
        '"We will fund every qualifying plant without delay," a government spokesperson said.'
    )
    analysis = analyze(make_doc(text))
    quote = next(q for q in analysis.quotes if q.direct)
    assert quote.speaker == entity_id(analysis, "South Korea")


def test_a_surname_the_model_took_for_a_place_is_the_person(make_doc: MakeDoc) -> None:
    text = (
        "European Commissioner Thierry Breton visited the plant on Monday. "
        '"Europe must make its own chips again and soon," Breton told reporters.'
    )
    analysis = analyze(make_doc(text))
    assert only_quote(analysis).speaker == entity_id(analysis, "Thierry Breton")
    assert "Breton" not in {e.name for e in analysis.entities}


def test_according_to_before_a_direct_quote(make_doc: MakeDoc) -> None:
    text = 'According to Lisa Su, demand for the accelerators "has outgrown every forecast we made".'
    analysis = analyze(make_doc(text))
    names = {e.id: e.name for e in analysis.entities}
    assert [(q.speaker_kind, names.get(q.speaker or "")) for q in analysis.quotes if q.direct] == [("named", "Lisa Su")]


def test_dash_quotes_in_wire_style(make_doc: MakeDoc) -> None:
    text = (
        "Rostelecom and Huawei signed a framework agreement in Kazan on Thursday.\n\n"
        "— Russia remains a key market for us, and we are expanding our laboratories, — said Li Wei, "
        "vice-president of Huawei. — Next year we will open two more.\n\n"
        "– The equipment will arrive before the winter, said Rostelecom vice-president Boris Glazkov.\n\n"
        "Main points of the agreement:\n\n"
        "– Huawei supplies radio equipment for the pilot zones in Kazan"
    )
    analysis = analyze(make_doc(text))
    assert_offsets(analysis)
    names = {e.id: e.name for e in analysis.entities}
    assert [(q.text, names.get(q.speaker or "")) for q in analysis.quotes if q.direct] == [
        ("Russia remains a key market for us, and we are expanding our laboratories,", "Li Wei"),
        ("Next year we will open two more.", "Li Wei"),
        ("The equipment will arrive before the winter,", "Boris Glazkov"),
    ]


def test_a_statement_from_an_organisation_speaks_for_it(make_doc: MakeDoc) -> None:
    text = "A statement from the Ministry of Industry and Trade said the new plant would open in the spring."
    analysis = analyze(make_doc(text))
    names = {e.id: e.name for e in analysis.entities}
    assert [(q.speaker_kind, names.get(q.speaker or "")) for q in analysis.quotes] == [
        ("named", "Ministry of Industry and Trade")
    ]
