"""Training and evaluation corpora: UD English EWT, UNER (EWT and PUD) and GUM, as spaCy ``DocBin`` files.

The readers take the files as ../shared/data ships them (see SOURCES.md there):

* UD English EWT (CoNLL-U) gives words, spaces, UPOS, XPOS, morphology, lemmas and the tree;
* UNER English EWT (IOB2, same ``sent_id``s and words) gives PER / ORG / LOC. The prerelease train file
  also carries OTH and a stray ``B-O`` at document ends; both become O, as SOURCES.md says;
* UNER English PUD (IOB2 with ``# text``) is a test set only: news and Wikipedia, a genre not trained on;
* GUM (CoNLL-U, permissive genres only) gives trees plus ``Entity=`` brackets for every mention. Only
  named mentions are kept (:func:`gum_named_spans`), trimmed to the proper-noun run of their head, so they
  follow UNER's convention ("Prime Minister Julia Gillard" → PER "Julia Gillard"; "the United States" →
  LOC "United States").

Sentences are grouped into documents of at most :data:`SENTS_PER_DOC` sentences from the same source
document, so the parser learns sentence boundaries from running text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

SENTS_PER_DOC = 10


def _conventions() -> tuple[frozenset[str], frozenset[str]]:
    """The converter's word lists (data/corpora.yaml): person titles and the words inside a name."""
    from importlib import resources as importlib_resources

    from dossier.data import parse_yaml

    data = parse_yaml(importlib_resources.files("dossier.data").joinpath("corpora.yaml").read_text("utf-8"))
    return frozenset(data["gum_person_titles"]), frozenset(data["gum_name_joiners"])


_TITLES, _NAME_JOINERS = _conventions()

# UNER tag -> the entity type of ONTOLOGY.md (UNER's LOC covers countries and cities too; the gazetteer
# and the rules tell GPE from LOC afterwards)
UNER_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
# GUM entity class -> the same labels; other classes (event, object, abstract...) are not named-entity
# types in UNER, whose training sentences leave them unmarked, so they are left out for consistency
GUM_LABELS = {"person": "PERSON", "organization": "ORG", "place": "LOC"}


@dataclass
class Sentence:
    sent_id: str
    doc_id: str
    words: list[str]
    spaces: list[bool]
    upos: list[str] = field(default_factory=list)
    xpos: list[str] = field(default_factory=list)
    feats: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)  # 0-based within the sentence; a root points to itself
    deps: list[str] = field(default_factory=list)
    ents: list[str] | None = None  # IOB tags with our labels ("B-PERSON"), None when not annotated
    misc: list[str] = field(default_factory=list)
    text: str = ""


def _blocks(path: Path) -> Iterator[tuple[str, dict[str, str], list[list[str]]]]:
    """(document id, sentence comments, token rows) for each sentence of a CoNLL-style file."""
    doc_id = path.stem
    meta: dict[str, str] = {}
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("#"):
                key, _, value = line[1:].partition("=")
                key = key.strip()
                if key == "newdoc id":
                    doc_id = value.strip()
                elif key in ("sent_id", "text"):
                    meta[key] = value.strip()
            elif not line.strip():
                if rows:
                    yield doc_id, meta, rows
                rows, meta = [], {}
            else:
                rows.append(line.split("\t"))
    if rows:
        yield doc_id, meta, rows


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Sentences of a CoNLL-U file; multi-word token lines and empty nodes are skipped."""
    for doc_id, meta, rows in _blocks(path):
        words = [cols for cols in rows if "-" not in cols[0] and "." not in cols[0]]
        if words:
            yield _sentence(meta, doc_id, words)


def _sentence(meta: dict[str, str], doc_id: str, rows: list[list[str]]) -> Sentence:
    sent = Sentence(meta.get("sent_id", ""), doc_id, [], [], text=meta.get("text", ""))
    for i, cols in enumerate(rows):
        _, form, lemma, upos, xpos, feats, head, deprel, _, misc = cols[:10]
        sent.words.append(form)
        sent.spaces.append("SpaceAfter=No" not in misc.split("|"))
        sent.lemmas.append(lemma)
        sent.upos.append(upos)
        sent.xpos.append(xpos)
        sent.feats.append("" if feats == "_" else feats)
        h = int(head)
        sent.heads.append(i if h == 0 else h - 1)
        sent.deps.append("ROOT" if deprel == "root" else deprel)
        sent.misc.append(misc)
    return sent


def read_iob2(path: Path) -> Iterator[tuple[str, str, str, list[str], list[str]]]:
    """(doc_id, sent_id, text, words, tags) of a UNER file, tags mapped to our labels."""
    for doc_id, meta, rows in _blocks(path):
        words = [cols[1] for cols in rows]
        tags = [_map_tag(cols[2] if len(cols) > 2 else "O") for cols in rows]
        yield doc_id, meta.get("sent_id", ""), meta.get("text", ""), words, _fix_iob(tags)


def _map_tag(tag: str) -> str:
    if tag in ("O", "B-O", "I-O", "") or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    mapped = UNER_LABELS.get(label)
    return f"{prefix}-{mapped}" if mapped else "O"


def _fix_iob(tags: list[str]) -> list[str]:
    """An I- tag that does not continue an entity of its label starts one (after OTH was mapped away)."""
    out = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


_ENTITY_OPEN = re.compile(r"\((\d+)-([a-z]+)")
_ENTITY_CLOSE = re.compile(r"(\d+)\)")


def gum_named_spans(sent: Sentence) -> list[str]:
    """IOB tags for GUM's named person / organisation / place mentions in one sentence.

    A mention counts as named when its head (the one word whose parent lies outside it) is a proper noun.
    The span is trimmed to the run of proper nouns (and joiners between them) around that head. Nested
    mentions keep the outermost named one; overlaps are dropped.
    """
    n = len(sent.words)
    open_at: dict[str, list[tuple[int, str]]] = {}
    mentions: list[tuple[int, int, str]] = []
    for i, misc in enumerate(sent.misc):
        value = next((part[7:] for part in misc.split("|") if part.startswith("Entity=")), "")
        if not value:
            continue
        # openings and closings in order of appearance; "(3-place-...-coref)" opens and closes at once
        pos = 0
        while pos < len(value):
            if value[pos] == "(":
                m = _ENTITY_OPEN.match(value, pos)
                if not m:
                    pos += 1
                    continue
                eid, cls = m.group(1), m.group(2)
                end = value.find(")", m.end())
                nxt = value.find("(", m.end())
                if end != -1 and (nxt == -1 or end < nxt):
                    mentions.append((i, i + 1, cls))
                    pos = end + 1
                else:
                    open_at.setdefault(eid, []).append((i, cls))
                    pos = m.end()
            else:
                m = _ENTITY_CLOSE.match(value, pos)
                if m:
                    stack = open_at.get(m.group(1))
                    if stack:
                        start, cls = stack.pop()
                        mentions.append((start, i + 1, cls))
                    pos = m.end()
                else:
                    pos += 1
    tags = ["O"] * n
    chosen: list[tuple[int, int, str]] = []
    for start, end, cls in sorted(mentions, key=lambda m: (m[0], -(m[1] - m[0]))):
        label = GUM_LABELS.get(cls)
        if label is None:
            continue
        span = _named_core(sent, start, end, label)
        if span is None:
            continue
        s, e = span
        if any(s < ce and cs < e for cs, ce, _ in chosen):
            continue
        chosen.append((s, e, label))
    for s, e, label in chosen:
        tags[s] = "B-" + label
        for k in range(s + 1, e):
            tags[k] = "I-" + label
    return tags


def _named_core(sent: Sentence, start: int, end: int, label: str) -> tuple[int, int] | None:
    heads = [k for k in range(start, end) if not (start <= sent.heads[k] < end) or sent.heads[k] == k]
    if len(heads) != 1:
        return None
    head = heads[0]
    if sent.upos[head] != "PROPN":
        return None

    def name_word(k: int) -> bool:
        # a proper noun, or a capitalised word inside a name ("United States", "New York", "Red Sox");
        # a person's title is not part of the name in UNER ("President Obama" -> "Obama")
        word = sent.words[k]
        if label == "PERSON" and word.lower().rstrip(".") in _TITLES:
            return False
        if sent.upos[k] == "PROPN":
            return True
        return word[:1].isupper() and sent.upos[k] in ("ADJ", "NOUN", "VERB", "NUM") and k > 0

    s = head
    while s > start and (
        name_word(s - 1) or (sent.words[s - 1].lower() in _NAME_JOINERS and s - 2 >= start and name_word(s - 2))
    ):
        s -= 1
    while s < head and sent.words[s].lower() in _NAME_JOINERS:
        s += 1
    e = head + 1
    while e < end and (
        sent.upos[e] in ("PROPN", "NUM")
        or (sent.words[e].lower() in _NAME_JOINERS and e + 1 < end and sent.upos[e + 1] == "PROPN")
    ):
        e += 1
    return s, e


def attach_uner(sentences: list[Sentence], iob_path: Path) -> tuple[int, int]:
    """Set ``ents`` from a UNER file by ``sent_id``; returns (matched, mismatched) sentence counts."""
    by_id = {sent_id: (words, tags) for _, sent_id, _, words, tags in read_iob2(iob_path)}
    matched = mismatched = 0
    for sent in sentences:
        found = by_id.get(sent.sent_id)
        if found is None:
            continue
        words, tags = found
        if words == sent.words:
            sent.ents = tags
            matched += 1
        else:
            mismatched += 1
    return matched, mismatched


def gum_split(gum_dir: Path) -> dict[str, set[str]]:
    """GUM's standard split (splits.md): split name -> document names."""
    splits: dict[str, set[str]] = {}
    current = ""
    for line in (gum_dir / "splits.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            splits[current] = set()
        elif line.strip().startswith("* ") and current:
            splits[current].add(line.strip()[2:].strip())
    return splits


def read_gum(gum_dir: Path, split: str) -> list[Sentence]:
    """GUM sentences of one split (train = every permissive document in neither dev nor test)."""
    splits = gum_split(gum_dir)
    held = splits.get("dev", set()) | splits.get("test", set()) | splits.get("test2", set())
    sentences: list[Sentence] = []
    for path in sorted((gum_dir / "dep").glob("*.conllu")):
        name = path.stem
        in_split = name not in held if split == "train" else name in splits.get(split, set())
        if not in_split:
            continue
        for sent in read_conllu(path):
            sent.ents = gum_named_spans(sent)
            sentences.append(sent)
    return sentences


def group(sentences: Iterable[Sentence], size: int = SENTS_PER_DOC) -> Iterator[list[Sentence]]:
    """Consecutive sentences of one source document, at most ``size`` at a time."""
    batch: list[Sentence] = []
    for sent in sentences:
        if batch and (len(batch) >= size or sent.doc_id != batch[0].doc_id):
            yield batch
            batch = []
        batch.append(sent)
    if batch:
        yield batch


def to_docbin(vocab: Vocab, sentences: Iterable[Sentence], *, size: int = SENTS_PER_DOC) -> DocBin:
    """A ``DocBin`` of multi-sentence gold documents."""
    from spacy.tokens import Doc, DocBin

    out = DocBin(store_user_data=False)
    for batch in group(sentences, size):
        words: list[str] = []
        spaces: list[bool] = []
        heads: list[int] = []
        kw: dict[str, list[str]] = {"pos": [], "tags": [], "morphs": [], "lemmas": [], "deps": []}
        sent_starts: list[bool | int | None] = []
        ents: list[str] = []
        has_tree = all(s.deps for s in batch)
        for sent in batch:
            offset = len(words)
            words.extend(sent.words)
            sp = list(sent.spaces)
            sp[-1] = True
            spaces.extend(sp)
            sent_starts.extend([True] + [False] * (len(sent.words) - 1))
            if has_tree:
                heads.extend(h + offset for h in sent.heads)
                kw["pos"].extend(sent.upos)
                kw["tags"].extend(sent.xpos)
                kw["morphs"].extend(sent.feats)
                kw["lemmas"].extend(sent.lemmas)
                kw["deps"].extend(sent.deps)
            # a sentence without NER annotation is missing ("") for the NER, not all-O
            ents.extend(sent.ents if sent.ents is not None else [""] * len(sent.words))
        spaces[-1] = False
        if has_tree:
            doc = Doc(vocab, words=words, spaces=spaces, heads=heads, ents=ents, **kw)  # type: ignore[arg-type]
        else:
            doc = Doc(vocab, words=words, spaces=spaces, sent_starts=sent_starts, ents=ents)
        out.add(doc)
    return out


def read_pud(path: Path) -> list[Sentence]:
    """UNER PUD: words and tags, with spaces recovered from each sentence's ``# text``."""
    sentences = []
    for doc_id, sent_id, text, words, tags in read_iob2(path):
        spaces = _spaces_from_text(text, words)
        sentences.append(Sentence(sent_id, doc_id, words, spaces, ents=tags, text=text))
    return sentences


def _spaces_from_text(text: str, words: list[str]) -> list[bool]:
    spaces = []
    pos = 0
    for word in words:
        found = text.find(word, pos)
        if found == -1:
            spaces.append(True)
            continue
        pos = found + len(word)
        spaces.append(pos < len(text) and text[pos].isspace())
    if spaces:
        spaces[-1] = True
    return spaces


def build(data_dir: Path, out_dir: Path, *, log: bool = True) -> dict[str, dict[str, int]]:
    """Write train/dev/test ``.spacy`` files for every corpus; returns counts per file."""
    import spacy

    ewt = data_dir / "ud-english-ewt"
    uner = data_dir / "uner-english-ewt"
    gum = data_dir / "gum"
    for needed in (ewt, uner, gum):
        if not needed.is_dir():
            raise FileNotFoundError(f"{needed}: corpus folder missing (see ../shared/data/SOURCES.md)")
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    counts: dict[str, dict[str, int]] = {}
    uner_files = {
        "train": "en_ewt-ud-train.prerelease.iob2",
        "dev": "en_ewt-ud-dev.iob2",
        "test": "en_ewt-ud-test.iob2",
    }

    def write(name: str, sentences: list[Sentence], **extra: int) -> None:
        docbin = to_docbin(nlp.vocab, sentences)
        docbin.to_disk(out_dir / f"{name}.spacy")
        counts[name] = {"sentences": len(sentences), "words": sum(len(s.words) for s in sentences), **extra}
        if log:
            print(f"{name}: {counts[name]}")

    for split in ("train", "dev", "test"):
        sentences = list(read_conllu(ewt / f"en_ewt-ud-{split}.conllu"))
        matched, mismatched = attach_uner(sentences, uner / uner_files[split])
        # a sentence without NER (one train sentence is missing from UNER) keeps its tree only
        write(f"ewt-{split}", sentences, ner_matched=matched, ner_mismatched=mismatched)
        gum_sents = read_gum(gum, split)
        write(f"gum-{split}", gum_sents)
    write("pud-test", read_pud(uner / "en_pud-ud-test.iob2"))
    return counts
