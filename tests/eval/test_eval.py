"""The gold format's validation and the scorer's matching rules, on small hand-made cases."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dossier.cli import main
from dossier.eval import GoldError, load_gold
from dossier.eval.gold import parse_gold
from dossier.eval.score import normalise, quote_overlap, score_document, summarise
from dossier.nlp.resources import load_ontology

GOLD = """
schema: dossier.gold/1
document: {id: "sha256:abc", file: articles/a.txt, title: "Lumen buys Korvia", published: 2024-03-01}
split: test
story: lumen-korvia
entities:
  - {id: e1, name: Lumen Systems, type: ORG, aliases: [Lumen, "@lumen"]}
  - {id: e2, name: Korvia, type: ORG}
  - {id: e3, name: Ada Brandt, type: PERSON, aliases: [Brandt]}
  - {id: e4, name: Harbor Daily, type: ORG, optional: true}
events:
  - id: v1
    type: ACQUISITION
    status: agreed
    hedged: false
    participants: [{role: buyer, entity: e1}, {role: target, entity: e2}]
    date: {start: 2024-02-29, end: 2024-02-29}
    attribution: {kind: named, speaker: e1}
    evidence: agreed to buy Korvia
quotes:
  - {id: q1, text: "This deal doubles our reach in Europe", direct: true, speaker: e3, speaker_kind: named}
  - {id: q2, text: "the price was too high", direct: false, speaker: null, speaker_kind: anonymous}
"""


def _gold(text: str = GOLD):
    import yaml

    return parse_gold(yaml.safe_load(text), "gold.yaml", load_ontology())


def _analysis(**changes):
    analysis = {
        "document": {"id": "sha256:abc", "title": "Lumen buys Korvia"},
        "segments": [{"kind": "body", "start": 0, "end": 500}, {"kind": "comment", "start": 500, "end": 600}],
        "entities": [
            {"id": "e1", "name": "Lumen", "type": "ORG", "aliases": ["Lumen Systems Inc", "the company"]},
            {"id": "e2", "name": "Korvia", "type": "ORG", "aliases": []},
            {"id": "e3", "name": "Ada Brandt", "type": "PERSON", "aliases": ["Brandt"]},
            {"id": "e4", "name": "Harbor Daily", "type": "ORG", "aliases": []},
        ],
        "events": [
            {
                "id": "v1",
                "type": "ACQUISITION",
                "status": "agreed",
                "hedged": False,
                "participants": [{"role": "buyer", "entity": "e1"}, {"role": "target", "entity": "e2"}],
                "date": {"text": "on Thursday", "start": "2024-02-29", "end": "2024-02-29"},
                "attribution": {"kind": "named", "speaker": "e1", "cue": "said"},
                "evidence": {"start": 10, "end": 60, "text": "Lumen said it agreed to buy Korvia"},
            }
        ],
        "quotes": [
            {
                "id": "q1",
                "text": "This deal doubles our reach in Europe,",
                "speaker": "e3",
                "speaker_kind": "named",
                "start": 100,
                "end": 140,
            },
            {
                "id": "q2",
                "text": "the price was too high",
                "speaker": None,
                "speaker_kind": "anonymous",
                "start": 200,
                "end": 222,
            },
        ],
    }
    analysis.update(changes)
    return analysis


def test_perfect_analysis_scores_one():
    score = score_document(_gold(), _analysis())
    assert (score.entities.tp, score.entities.fp, score.entities.fn) == (3, 0, 0)  # the optional outlet is neither
    assert (score.events.tp, score.events.fp, score.events.fn) == (1, 0, 0)
    assert (score.quotes.tp, score.quotes.fp, score.quotes.fn) == (2, 0, 0)
    assert score.status.right == score.date.right == score.attribution.right == 1
    assert score.foreign == 0 and score.issues == []


def test_wrong_type_is_a_miss_and_a_false_positive():
    analysis = _analysis()
    analysis["entities"][1]["type"] = "PRODUCT"
    score = score_document(_gold(), analysis)
    assert (score.entities.tp, score.entities.fp, score.entities.fn) == (2, 1, 1)
    # the event's target is no longer a matched entity, so the event does not match either
    assert (score.events.tp, score.events.fp, score.events.fn) == (0, 1, 1)
    assert any("entity missed: Korvia (ORG)" in issue for issue in score.issues)


def test_event_needs_every_key_participant():
    analysis = _analysis()
    analysis["events"][0]["participants"] = [{"role": "buyer", "entity": "e1"}]
    score = score_document(_gold(), analysis)
    assert (score.events.tp, score.events.fp, score.events.fn) == (0, 1, 1)
    analysis["events"][0]["participants"] = [{"role": "buyer", "entity": "e2"}, {"role": "target", "entity": "e1"}]
    assert score_document(_gold(), analysis).events.tp == 0


def test_duplicate_event_is_a_false_positive_and_attributes_are_scored():
    analysis = _analysis()
    twin = json.loads(json.dumps(analysis["events"][0]))
    twin["id"] = "v2"
    twin["status"] = "planned"
    analysis["events"][0]["date"] = {"text": "", "start": "2024-02", "end": "2024-02"}
    analysis["events"][0]["attribution"] = {"kind": "outlet", "speaker": None}
    analysis["events"].append(twin)
    score = score_document(_gold(), analysis)
    assert (score.events.tp, score.events.fp) == (1, 1)
    assert score.status.value()["accuracy"] == 1.0  # the agreed copy is the better match
    assert score.date.right == 0 and score.attribution.right == 0


def test_quote_needs_text_and_speaker():
    analysis = _analysis()
    analysis["quotes"][0]["speaker"] = "e1"
    analysis["quotes"][1]["text"] = "a wholly different sentence about prices"
    score = score_document(_gold(), analysis)
    assert (score.quotes.tp, score.quotes.fp, score.quotes.fn) == (0, 2, 2)
    assert score.quote_text.tp == 1  # the first quote's text is right


def test_quote_overlap_rule():
    assert quote_overlap("We will build it here", "“We will build it here,” he said") == (
        1.0,
        pytest.approx(2 * 5 / 12),
    )
    cover, dice = quote_overlap("one two three four five", "one two")
    assert cover == 1.0 and dice < 0.6


def test_text_from_comments_is_counted():
    analysis = _analysis()
    analysis["quotes"][1]["start"], analysis["quotes"][1]["end"] = 510, 540
    score = score_document(_gold(), analysis)
    assert score.foreign == 1


def test_missing_document_counts_everything_missed():
    score = score_document(_gold(), None)
    assert not score.found and score.entities.fn == 3 and score.events.fn == 1 and score.quotes.fn == 2
    total = summarise([score])
    assert total["documents_not_found"] == 1 and total["entities"]["recall"] == 0.0


def test_normalise():
    assert normalise("The Kremlin's") == "kremlin"
    assert normalise("Société Générale") == "societe generale"
    assert normalise("🇳🇱") == "🇳🇱"
    assert normalise("@ASMLcompany") == "asmlcompany"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("split: test", "split: 'later' is not one of dev, test"),
        ("type: ACQUISITION", "events[0].type: 'TAKEOVER' is not one of"),
        ("{role: buyer, entity: e1}", "events[0].participants[0].role: 'owner' is not one of buyer, seller, target"),
        ("{role: target, entity: e2}", "events[0].participants[1].entity: no entity with id 'e9'"),
        ("start: 2024-02-29,", "events[0].date.start: 'last week' is not an ISO date"),
        ("speaker: e3, speaker_kind: named}", "quotes[0].speaker: a named speaker needs the id of an entity"),
    ],
)
def test_bad_gold_is_named(change, message):
    bad = {
        "split: test": "split: later",
        "type: ACQUISITION": "type: TAKEOVER",
        "{role: buyer, entity: e1}": "{role: owner, entity: e1}",
        "{role: target, entity: e2}": "{role: target, entity: e9}",
        "start: 2024-02-29,": "start: last week,",
        "speaker: e3, speaker_kind: named}": "speaker: null, speaker_kind: named}",
    }[change]
    with pytest.raises(GoldError) as info:
        _gold(GOLD.replace(change, bad, 1))
    assert str(info.value).startswith("gold.yaml: ") and message in str(info.value)


def test_load_gold_folder_and_duplicates(tmp_path):
    (tmp_path / "a.yaml").write_text(GOLD, encoding="utf-8")
    assert [d.id for d in load_gold(tmp_path)] == ["sha256:abc"]
    (tmp_path / "b.yaml").write_text(GOLD, encoding="utf-8")
    with pytest.raises(GoldError, match="already annotated"):
        load_gold(tmp_path)
    (tmp_path / "b.yaml").write_text("schema: [", encoding="utf-8")
    with pytest.raises(GoldError, match=r"b\.yaml: not valid YAML"):
        load_gold(tmp_path)
    with pytest.raises(GoldError, match="no such gold file"):
        load_gold(tmp_path / "nowhere")


def test_cli_scores_analyses_file(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.yaml").write_text(GOLD, encoding="utf-8")
    analyses = tmp_path / "analyses.jsonl"
    analyses.write_text(json.dumps(_analysis()) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["eval", str(tmp_path / "gold"), "--analyses", str(analyses), "--format", "json", "--details"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    test = report["splits"]["test"]
    assert test["entities"]["f1"] == test["events"]["f1"] == test["quotes"]["f1"] == 1.0
    assert report["documents"][0]["issues"] == []


def test_cli_runs_the_pipeline_on_documents(tmp_path):
    """End to end: a document on disk, analysed by the rules pipeline and scored."""
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    text = (
        "Lumen Systems agrees to buy Korvia\n\n"
        "Lumen Systems said on Thursday it had agreed to buy Korvia, a Finnish maker of radar chips.\n"
    )
    (corpus / "articles" / "a.txt").write_text(text, encoding="utf-8")
    gold = tmp_path / "gold"
    from dossier.eval.template import main as template

    assert template([str(corpus / "articles"), "--root", str(corpus), "--out", str(gold)]) == 0
    skeleton = (gold / "articles-a.yaml").read_text(encoding="utf-8")
    assert "file: articles/a.txt" in skeleton
    (gold / "articles-a.yaml").write_text(
        skeleton.replace(
            "entities: []",
            "entities:\n  - {id: e1, name: Lumen Systems, type: ORG}\n  - {id: e2, name: Korvia, type: ORG}",
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["eval", str(gold), "--corpus", str(corpus), "--pipeline", "fast", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    dev = json.loads(result.output)["splits"]["dev"]
    assert dev["documents"] == 1 and dev["documents_not_found"] == 0
    assert dev["entities"]["tp"] + dev["entities"]["fn"] == 2  # both gold entities are accounted for


def test_cli_bad_gold_is_one_line(tmp_path):
    (tmp_path / "a.yaml").write_text("schema: dossier.gold/0\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--analyses", str(tmp_path / "a.yaml")])
    assert result.exit_code != 0
    assert "a.yaml: schema: expected 'dossier.gold/1'" in result.output


def test_split_quote_matches_its_two_parts():
    gold = _gold(
        GOLD.replace('"This deal doubles our reach in Europe"', '"This deal doubles our reach in Europe and Asia"')
    )
    analysis = _analysis()
    first = analysis["quotes"][0]
    first["text"], first["end"] = "This deal", 109
    second = {**first, "id": "q3", "text": "doubles our reach in Europe and Asia", "start": 123, "end": 160}
    analysis["quotes"].insert(1, second)
    score = score_document(gold, analysis)
    assert (score.quotes.tp, score.quotes.fp, score.quotes.fn) == (2, 0, 0)
    second["speaker"] = "e1"  # parts of different speakers are two quotes, not one
    score = score_document(gold, analysis)
    assert score.quotes.tp == 1 and score.quotes.fn == 1
