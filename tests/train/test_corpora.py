"""The corpus readers and converter, on small corpora written here in the shipped file formats."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from dossier.train import corpora

# (form, lemma, upos, xpos, head, deprel, misc) rows: our own sentences, hand-parsed
SENT_A = [
    ("Anna", "Anna", "PROPN", "NNP", 2, "nsubj", "_"),
    ("visited", "visit", "VERB", "VBD", 0, "root", "_"),
    ("Lisbon", "Lisbon", "PROPN", "NNP", 2, "obj", "SpaceAfter=No"),
    (".", ".", "PUNCT", ".", 2, "punct", "_"),
]
SENT_B = [
    ("Kestrel", "Kestrel", "PROPN", "NNP", 2, "compound", "_"),
    ("Labs", "Labs", "PROPN", "NNPS", 3, "nsubj", "_"),
    ("hired", "hire", "VERB", "VBD", 0, "root", "_"),
    ("her", "she", "PRON", "PRP", 3, "obj", "SpaceAfter=No"),
    (".", ".", "PUNCT", ".", 3, "punct", "_"),
]


def conllu(doc_id: str, sentences: list[tuple[str, list[tuple]]], *, entity: dict[int, str] | None = None) -> str:
    lines = [f"# newdoc id = {doc_id}"]
    for sent_id, rows in sentences:
        lines.append(f"# sent_id = {sent_id}")
        text = "".join(r[0] + ("" if "SpaceAfter=No" in r[6] else " ") for r in rows).strip()
        lines.append(f"# text = {text}")
        for i, (form, lemma, upos, xpos, head, deprel, misc) in enumerate(rows, start=1):
            if entity and (sent_id, i) in entity:
                misc = entity[(sent_id, i)] if misc == "_" else misc + "|" + entity[(sent_id, i)]
            lines.append(f"{i}\t{form}\t{lemma}\t{upos}\t{xpos}\t_\t{head}\t{deprel}\t_\t{misc}")
        lines.append("")
    return "\n".join(lines) + "\n"


def iob2(doc_id: str, sentences: list[tuple[str, list[str], list[str]]], *, with_text: bool = False) -> str:
    lines = [f"# newdoc id = {doc_id}"]
    for sent_id, words, tags in sentences:
        lines.append(f"# sent_id = {sent_id}")
        if with_text:
            lines.append("# text = " + " ".join(words[:-1]) + words[-1])
        for i, (word, tag) in enumerate(zip(words, tags, strict=True), start=1):
            lines.append(f"{i}\t{word}\t{tag}\t-\t-")
        lines.append("")
    return "\n".join(lines) + "\n"


def make_corpora(root: Path) -> Path:
    ewt = root / "ud-english-ewt"
    uner = root / "uner-english-ewt"
    gum = root / "gum" / "dep"
    for folder in (ewt, uner, gum):
        folder.mkdir(parents=True)
    words_a = [r[0] for r in SENT_A]
    words_b = [r[0] for r in SENT_B]
    for split in ("train", "dev", "test"):
        (ewt / f"en_ewt-ud-{split}.conllu").write_text(
            conllu(f"d-{split}", [(f"{split}-1", SENT_A), (f"{split}-2", SENT_B)]), encoding="utf-8"
        )
        name = "en_ewt-ud-train.prerelease.iob2" if split == "train" else f"en_ewt-ud-{split}.iob2"
        tags_b = ["B-ORG", "I-ORG", "O", "O", "B-O"] if split == "train" else ["B-ORG", "I-ORG", "O", "O", "O"]
        (uner / name).write_text(
            iob2(
                f"d-{split}", [(f"{split}-1", words_a, ["B-PER", "O", "B-LOC", "O"]), (f"{split}-2", words_b, tags_b)]
            ),
            encoding="utf-8",
        )
    (uner / "en_pud-ud-test.iob2").write_text(
        iob2("pud", [("p-1", words_a, ["B-PER", "O", "B-LOC", "O"])], with_text=True), encoding="utf-8"
    )
    # GUM: "Professor Anna Reyes visited the United States ." with nested person/place brackets
    gum_rows = [
        ("Professor", "professor", "NOUN", "NN", 3, "compound", "Entity=(1-person-new"),
        ("Anna", "Anna", "PROPN", "NNP", 3, "flat", "_"),
        ("Reyes", "Reyes", "PROPN", "NNP", 4, "nsubj", "Entity=1)"),
        ("visited", "visit", "VERB", "VBD", 0, "root", "_"),
        ("the", "the", "DET", "DT", 7, "det", "Entity=(2-place-new"),
        ("United", "United", "ADJ", "JJ", 7, "amod", "_"),
        ("States", "States", "PROPN", "NNPS", 4, "obj", "Entity=2)|SpaceAfter=No"),
        (".", ".", "PUNCT", ".", 4, "punct", "_"),
    ]
    (gum / "GUM_news_sample.conllu").write_text(conllu("GUM_news_sample", [("g-1", gum_rows)]), encoding="utf-8")
    (gum / "GUM_bio_held.conllu").write_text(conllu("GUM_bio_held", [("g-2", gum_rows)]), encoding="utf-8")
    (root / "gum" / "splits.md").write_text("# Splits\n\n## dev\n\n  * GUM_bio_held\n\n## test\n\n", encoding="utf-8")
    return root


def test_conllu_reader_keeps_words_spaces_and_tree(tmp_path: Path) -> None:
    data = make_corpora(tmp_path)
    sentences = list(corpora.read_conllu(data / "ud-english-ewt" / "en_ewt-ud-train.conllu"))
    assert [s.words for s in sentences] == [[r[0] for r in SENT_A], [r[0] for r in SENT_B]]
    first = sentences[0]
    assert first.spaces == [True, True, False, True]
    assert first.heads == [1, 1, 1, 1]  # 0-based; the root points to itself
    assert first.deps[1] == "ROOT" and first.upos[0] == "PROPN" and first.lemmas[1] == "visit"


def test_uner_tags_map_to_our_labels_and_drop_stray_o(tmp_path: Path) -> None:
    data = make_corpora(tmp_path)
    rows = list(corpora.read_iob2(data / "uner-english-ewt" / "en_ewt-ud-train.prerelease.iob2"))
    assert rows[0][4] == ["B-PERSON", "O", "B-LOC", "O"]
    assert rows[1][4] == ["B-ORG", "I-ORG", "O", "O", "O"]  # the stray B-O at the end is O
    assert corpora._map_tag("B-OTH") == "O" and corpora._fix_iob(["O", "I-ORG"]) == ["O", "B-ORG"]


def test_gum_named_mentions_are_trimmed_like_uner(tmp_path: Path) -> None:
    data = make_corpora(tmp_path)
    sent = next(corpora.read_conllu(data / "gum" / "dep" / "GUM_news_sample.conllu"))
    tags = corpora.gum_named_spans(sent)
    # "Professor" is a title, "the" is not part of the name
    assert tags == ["O", "B-PERSON", "I-PERSON", "O", "O", "B-LOC", "I-LOC", "O"]


def test_gum_split_follows_splits_md(tmp_path: Path) -> None:
    data = make_corpora(tmp_path)
    train = corpora.read_gum(data / "gum", "train")
    dev = corpora.read_gum(data / "gum", "dev")
    assert [s.sent_id for s in train] == ["g-1"] and [s.sent_id for s in dev] == ["g-2"]


def test_build_writes_multi_sentence_gold_docs(tmp_path: Path) -> None:
    data = make_corpora(tmp_path / "data")
    counts = corpora.build(data, tmp_path / "out", log=False)
    assert counts["ewt-train"]["sentences"] == 2 and counts["ewt-train"]["ner_matched"] == 2
    assert counts["pud-test"]["words"] == 4
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_disk(tmp_path / "out" / "ewt-train.spacy").get_docs(nlp.vocab)
    assert doc.text == "Anna visited Lisbon. Kestrel Labs hired her."
    assert [s.text for s in doc.sents] == ["Anna visited Lisbon.", "Kestrel Labs hired her."]
    assert [(e.text, e.label_) for e in doc.ents] == [("Anna", "PERSON"), ("Lisbon", "LOC"), ("Kestrel Labs", "ORG")]
    assert doc[5].head.text == "hired" and doc[5].dep_ == "nsubj" and doc[0].pos_ == "PROPN"
    (pud,) = DocBin().from_disk(tmp_path / "out" / "pud-test.spacy").get_docs(nlp.vocab)
    assert pud.text == "Anna visited Lisbon." and [e.label_ for e in pud.ents] == ["PERSON", "LOC"]


def test_sentence_missing_from_uner_is_unannotated_not_o(tmp_path: Path) -> None:
    data = make_corpora(tmp_path / "data")
    iob = data / "uner-english-ewt" / "en_ewt-ud-dev.iob2"
    iob.write_text(iob2("d-dev", [("dev-1", [r[0] for r in SENT_A], ["B-PER", "O", "B-LOC", "O"])]), encoding="utf-8")
    corpora.build(data, tmp_path / "out", log=False)
    (doc,) = DocBin().from_disk(tmp_path / "out" / "ewt-dev.spacy").get_docs(spacy.blank("en").vocab)
    assert [t.ent_iob_ for t in doc][4:] == ["", "", "", "", ""]  # missing, so the NER is not taught "O"


def test_build_names_a_missing_corpus(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="ud-english-ewt"):
        corpora.build(tmp_path, tmp_path / "out", log=False)


def test_piece_splitting_is_bert_wordpiece() -> None:
    from dossier.nlp.pieces import piece_ids

    vocab = ["[PAD]", "[UNK]", "hua", "##wei", "u", ".", "s", "zurich", "chip", "##s"]
    assert piece_ids(vocab, "Huawei") == [2, 3]
    assert piece_ids(vocab, "U.S.") == [4, 5, 6, 5]  # punctuation splits, lower case
    assert piece_ids(vocab, "Zürich") == [7]  # accents stripped
    assert piece_ids(vocab, "chips") == [8, 9]
    assert piece_ids(vocab, "qqq") == [1]  # no piece matches: unknown
