"""The trained pipeline inside the rules: the conflict rule, parsed sentences, descriptions, speakers.

These run the shipped model (dossier/models/en_dossier) on sentences written for the tests.
"""

from __future__ import annotations

import numpy
import pytest
from spacy.tokens import Doc

from conftest import MakeDoc
from dossier.nlp import analyze, annotate
from dossier.nlp.state import state_of


def _doc(make_doc: MakeDoc, text: str) -> Doc:
    return annotate(make_doc(text, published="2024-03-01"))


def test_gazetteer_actor_is_linked_whatever_the_model_says(make_doc: MakeDoc) -> None:
    analysis = analyze(make_doc("Officials in Brussels said Huawei Technologies would appeal."))
    huawei = next(e for e in analysis.entities if e.name == "Huawei")
    assert huawei.type == "ORG" and huawei.kb.get("wikidata")  # linked to the gazetteer's actor


def test_model_finds_names_neither_the_gazetteer_nor_the_rules_know(make_doc: MakeDoc) -> None:
    text = "Talvik Oyelaran met Sundry Marrow in Vostrakh last week to discuss the merger."
    doc = _doc(make_doc, text)
    from_model = {text[h.start : h.end]: h.type for h in state_of(doc).hits if h.source == "model"}
    assert from_model, "the NER found none of the unknown names"
    rules = analyze(make_doc(text), pipeline="fast")
    model = analyze(make_doc(text))
    assert len(model.entities) > len(rules.entities)


def test_model_entity_never_overrides_a_gazetteer_span(make_doc: MakeDoc) -> None:
    text = "Shares of Nvidia rose after Nvidia said demand from Microsoft was strong."
    doc = _doc(make_doc, text)
    hits = state_of(doc).hits
    for hit in hits:
        if hit.source == "model":
            assert all(other.source == "model" or other.end <= hit.start or hit.end <= other.start for other in hits)
    assert {text[h.start : h.end] for h in hits if h.source == "actor"} >= {"Nvidia", "Microsoft"}


def test_no_model_entities_in_comments(make_doc: MakeDoc) -> None:
    from dossier.model import Segment

    body = "The ministry confirmed the plan on Monday."
    comment = "Jarrow Pellington and Quist Amberly knew this years ago."
    text = body + "\n\n" + comment
    document = make_doc(text)
    document.segments = [Segment("body", 0, len(body)), Segment("comment", len(body) + 2, len(text), author="x")]
    analysis = analyze(document)
    assert all(m.start < len(body) for e in analysis.entities for m in e.mentions)


def test_sentences_come_from_the_parser_where_the_text_allows(make_doc: MakeDoc) -> None:
    text = "Huawei launched the Mate 60 Pro last month. Gina Raimondo met Wang Wentao in Beijing on Tuesday."
    doc = _doc(make_doc, text)
    assert state_of(doc).sentence_starts == [0, text.index("Gina")]


def test_apposition_and_copula_describe_entities(make_doc: MakeDoc) -> None:
    text = (
        "Dana Okonkwo, chief executive of Zorvath Telecom, signed the contract in Almaty. "
        "Okonkwo is a former engineer at Ericsson."
    )
    person = next(e for e in analyze(make_doc(text)).entities if e.type == "PERSON")
    assert person.name == "Dana Okonkwo"
    joined = " | ".join(person.descriptions)
    assert "chief executive of Zorvath Telecom" in joined
    assert "former engineer at Ericsson" in joined


def test_a_description_needs_a_whole_role_word(make_doc: MakeDoc) -> None:
    # a copula whose phrase is a place and a purpose, not a role: "official" only inside "officials"
    text = "Trade envoy Marta Kessel was in Oslo for talks with Norwegian officials last week."
    kessel = next(e for e in analyze(make_doc(text)).entities if e.name == "Marta Kessel")
    assert not any("officials" in d for d in kessel.descriptions), kessel.descriptions


def test_products_from_noun_phrases(make_doc: MakeDoc) -> None:
    text = "The phone runs on the Tarsier X7 processor. Kestrel shipped 300 Nebula smartphones to Almaty."
    found = {(e.name, e.type) for e in analyze(make_doc(text)).entities}
    assert ("Tarsier X7", "PRODUCT") in found
    assert ("Nebula", "PRODUCT") in found  # the count is not part of the name


def test_blas_ops_give_the_same_analysis_as_thinc_numpy_ops() -> None:
    import spacy
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    from dossier.nlp.statistical import MODEL_DIR, load_model

    text = "Ericsson signed a five-year deal with Telia to supply radio equipment across Sweden and Finland."
    fast = load_model()(text)
    previous = get_current_ops()
    set_current_ops(NumpyOps())
    try:
        reference = spacy.load(MODEL_DIR)(text)
    finally:
        set_current_ops(previous)
    assert [t.dep_ for t in fast] == [t.dep_ for t in reference]
    assert [t.tag_ for t in fast] == [t.tag_ for t in reference]
    assert [(e.text, e.label_) for e in fast.ents] == [(e.text, e.label_) for e in reference.ents]
    assert numpy.allclose(fast.tensor, reference.tensor, atol=1e-4)


@pytest.mark.parametrize("pipeline", ["model", "fast"])
def test_both_pipelines_analyse_the_same_document(make_doc: MakeDoc, pipeline: str) -> None:
    analysis = analyze(make_doc("Nokia agreed to supply 5G equipment to Vodafone in Germany."), pipeline=pipeline)
    assert analysis.pipeline == ("model" if pipeline == "model" else "simple")
    assert {e.name for e in analysis.entities} >= {"Nokia", "Vodafone", "Germany"}


def test_shipped_model_tokenizes_as_spacy_english() -> None:
    """The model's config names the serialized tokenizer: its rules must all come from its own file."""
    import spacy

    from dossier.nlp.statistical import MODEL_DIR, load_model

    assert "dossier.SerializedTokenizer.v1" in (MODEL_DIR / "config.cfg").read_text(encoding="utf-8")
    english = spacy.blank("en")
    model = load_model()
    for text in (
        "Dr. Smith's U.S.-based firm didn't pay $3.5bn (€3bn) to e-mail x@y.com :) in 2023-24.",
        "Mr. O'Neill can't say whether the 5G deal—worth ¥70bn—closes by Oct. 8; see https://ex.ample/a?b=1 ...",
        "«Мы не ведём переговоров», — said the firm's CEO at 10:30 a.m. on 3/4/2024 (UTC+3) #Huawei @nvidia 🇨🇳",
    ):
        assert [t.text for t in model(text)] == [t.text for t in english(text)]
