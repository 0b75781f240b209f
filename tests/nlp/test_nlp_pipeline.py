"""The public surface of dossier.nlp: pipelines, purity, batches, lazy spaCy, data validation."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MakeDoc, assert_offsets, make_document
from dossier.errors import AnalysisError
from dossier.model import Segment
from dossier.nlp import PIPELINES, analyze, analyze_many, get_nlp
from dossier.nlp.inflect import verb_forms


def test_unknown_pipeline_is_an_analysis_error(make_doc: MakeDoc) -> None:
    with pytest.raises(AnalysisError, match="unknown pipeline 'huge'"):
        analyze(make_doc("Text."), pipeline="huge")


def test_fast_is_the_rule_only_pipeline(make_doc: MakeDoc, briefs: str) -> None:
    document = make_doc(briefs, published="2023-09-04")
    assert analyze(document, pipeline="fast").to_dict() == analyze(document, pipeline="simple").to_dict()
    assert analyze(document, pipeline="fast").pipeline == "simple"
    assert analyze(document).pipeline == "model"  # the default is the trained pipeline
    assert set(PIPELINES) >= {"model", "simple", "fast"}


def test_the_default_pipeline_is_the_trained_model_then_the_rules() -> None:
    nlp = get_nlp()
    assert nlp is get_nlp("model")
    assert nlp.pipe_names == [
        "tok2vec",
        "tagger",
        "morphologizer",
        "trainable_lemmatizer",
        "parser",
        "ner",
        "dossier_parsed_sentences",
        "dossier_actors",
        "dossier_names",
        "dossier_model_entities",
        "dossier_aliases",
        "dossier_temporal",
        "dossier_amounts",
        "dossier_quotes",
        "dossier_reported",
        "dossier_syntax",
        "dossier_anaphora",
        "dossier_events",
    ]
    assert nlp.meta["dossier"]["scores"]["ewt-test"]["raw"]["dep_las"] > 0  # provenance travels with it
    assert any("UD English EWT" in source["name"] for source in nlp.meta["sources"])


def test_rule_pipeline_components_in_order() -> None:
    nlp = get_nlp("fast")
    assert nlp is get_nlp("simple")
    assert nlp.pipe_names == [
        "dossier_sentences",
        "dossier_actors",
        "dossier_names",
        "dossier_aliases",
        "dossier_temporal",
        "dossier_amounts",
        "dossier_quotes",
        "dossier_reported",
        "dossier_anaphora",
        "dossier_events",
    ]


def test_analyze_is_pure_and_repeatable(make_doc: MakeDoc, briefs: str) -> None:
    document = make_doc(briefs, published="2023-09-04")
    first = analyze(document).to_dict()
    analyze(make_doc("Intel and TSMC met in Taipei."))  # nothing leaks from one document to the next
    assert analyze(document).to_dict() == first


def test_analyze_many_equals_analyze(make_doc: MakeDoc, briefs: str) -> None:
    documents = [
        make_doc(briefs, published="2023-09-04"),
        make_doc("Huawei launched the Mate 60 Pro last month.", published="2023-09-04"),
        make_doc(""),
        make_doc("Nothing to see here."),
    ]
    batch = [a.to_dict() for a in analyze_many(documents)]
    assert batch == [analyze(d).to_dict() for d in documents]


def test_empty_and_unsegmented_documents(make_doc: MakeDoc) -> None:
    assert analyze(make_doc("")).entities == []
    bare = make_document("Nvidia bought Mellanox in 2019.", segments=[])
    analysis = analyze(bare)  # no segments: the whole text is the body
    assert {e.name for e in analysis.entities} >= {"Nvidia"}


def test_importing_dossier_nlp_does_not_import_spacy() -> None:
    code = "import sys, dossier.nlp; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_verb_forms() -> None:
    assert verb_forms("acquire") == ["acquire", "acquires", "acquiring", "acquired"]
    assert verb_forms("ban") == ["ban", "bans", "banning", "banned"]
    assert verb_forms("buy/bought") == ["buy", "buys", "buying", "bought"]
    assert verb_forms("team up/teamed up") == ["team up", "teams up", "teaming up", "teamed up"]
    assert verb_forms("supply/supplied") == ["supply", "supplies", "supplying", "supplied"]


def test_data_files_are_validated() -> None:
    from dossier.nlp.resources import Checker, _load_frame, load_ontology, load_resources

    resources = load_resources()
    assert set(resources.cues.events) == set(resources.ontology.event_types)
    assert len(resources.gazetteer.actors) > 250
    with pytest.raises(AnalysisError, match="'owner' is not a role of SANCTION"):
        _load_frame(
            Checker("test.yaml"),
            "SANCTION",
            {"phrases": ["ban"], "agent": "owner", "types": {"owner": ["ORG"]}},
            load_ontology(),
        )


_WORDS = st.sampled_from(
    [
        "Nvidia",
        "agreed",
        "to",
        "acquire",
        "Arm",
        "from",
        "SoftBank",
        "for",
        "$40bn",
        "(about",
        "£31bn)",
        '"',
        "«",
        "»",
        "said",
        "Peter",
        "Wennink,",
        "chief",
        "executive",
        "of",
        "ASML,",
        "last",
        "month",
        "on",
        "Tuesday",
        "in",
        "Beijing",
        "The",
        "Hague",
        "🇳🇱",
        "sanctions",
        "on",
        "Huawei",
        "\n",
        "\n\n",
        ".",
        ",",
        "people",
        "familiar",
        "with",
        "the",
        "matter",
        "Mr.",
        "Verbeke",
        "(SMIC)",
        "#Huawei",
        "@nvidia",
        "24%",
        "Sept.",
        "12,",
        "2023",
        "é",
        "İstanbul",
        "ﬁ",
        "’",
        "—",
        "U.S.-China",
        "Q3",
        "the",
        "Dutch",
        "chipmaker",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(_WORDS, max_size=60), split=st.integers(min_value=0, max_value=400))
def test_offsets_hold_on_any_text(words: list[str], split: int) -> None:
    text = " ".join(words)
    split = min(split, len(text))
    segments = [Segment("body", 0, split), Segment("comment", split, len(text))] if split < len(text) else None
    analysis = analyze(make_document(text, published="2023-09-04", segments=segments))
    assert_offsets(analysis)
    for event in analysis.events:
        assert event.evidence.end <= split or segments is None
