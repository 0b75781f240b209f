"""The NLP stage: one document in, its analysis (the contract of ONTOLOGY.md) out.

:func:`analyze` is pure and per-document: no database, no state besides the pipeline built once per
process and name (:func:`get_nlp`). It is the one function a distributed engine maps over.

Two pipelines, each one spaCy ``Language``; every component is a module of this package and its words
and patterns are data (``dossier/data``):

* ``model`` (the default): the statistical pipeline trained by ``dossier train`` (tagger,
  morphologizer, lemmatizer, parser, NER; shipped in ``dossier/models/en_dossier``), then parsed
  sentences → actors (gazetteer) → names (evidence rules) → model entities → aliases → temporal →
  amounts → quotes → reported speech → syntax (descriptions and quote speakers from the parse) →
  anaphora ("it", "the company", "the two companies", "which") → events (roles also read off the
  parse, :mod:`dossier.nlp.roles`). How the gazetteer, the rules and the model combine is documented
  in :mod:`dossier.nlp.statistical`.
* ``fast`` (also ``simple``): rules only, on ``spacy.blank("en")``: sentences (punctuation) → actors →
  names → aliases → temporal → amounts → quotes → reported speech → anaphora → events.

spaCy is imported when a pipeline is first built, not when this package is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from dossier.errors import AnalysisError, DossierError
from dossier.model import Analysis, Document, Entity, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["DEFAULT_PIPELINE", "PIPELINES", "analyze", "analyze_many", "annotate", "get_nlp"]

# pipeline name -> the pipeline it builds
PIPELINES = {"model": "model", "fast": "simple", "simple": "simple"}
DEFAULT_PIPELINE = "model"

_COMPONENTS = {
    "simple": (
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
    ),
    "model": (
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
    ),
}


def _canonical(pipeline: str) -> str:
    try:
        return PIPELINES[pipeline]
    except KeyError:
        known = ", ".join(sorted(PIPELINES))
        raise AnalysisError(f"unknown pipeline {pipeline!r}; choose one of: {known}") from None


@lru_cache(maxsize=4)
def _build(name: str) -> Language:
    import spacy

    # importing the component modules registers their factories
    from dossier.nlp import (  # noqa: F401
        actors,
        aliases,
        amounts,
        anaphora,
        events,
        names,
        quotes,
        reported,
        sentences,
        statistical,
        syntax,
        temporal,
    )
    from dossier.nlp.resources import load_resources
    from dossier.nlp.state import ensure_extension, save_patterns

    load_resources()  # validate every data file before building anything
    ensure_extension()
    nlp = statistical.load_model() if name == "model" else spacy.blank("en")
    _tokenizer_infixes(nlp)
    for component in _COMPONENTS[name]:
        nlp.add_pipe(component)
    save_patterns()
    return nlp


def get_nlp(pipeline: str = DEFAULT_PIPELINE) -> Language:
    """The spaCy pipeline of that name, built once per process."""
    return _build(_canonical(pipeline))


def _tokenizer_infixes(nlp: Language) -> None:
    """Split "U.S.-China" into "U.S.", "-", "China" so both names can match."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex

    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z]\.)-(?=[A-Z])"]
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def _prepare(nlp: Language, document: Document) -> Doc:
    from dossier.nlp.state import EXTENSION, DocState

    doc = nlp.make_doc(document.text)
    doc._.set(EXTENSION, DocState.for_document(document))
    return doc


def _analysis(doc: Doc, pipeline: str) -> Analysis:
    from dossier.nlp.state import EXTENSION

    state = doc._.get(EXTENSION)
    text = state.document.text
    entities = []
    for cluster in state.clusters:
        mentions = [Mention(s, e, text[s:e]) for s, e in cluster.mentions]
        aliases = list(dict.fromkeys(m.text for m in mentions if m.text != cluster.name))
        entities.append(
            Entity(
                id=cluster.id,
                name=cluster.name,
                type=cluster.type,
                aliases=aliases,
                mentions=mentions,
                descriptions=list(cluster.descriptions),
                kb=dict(cluster.kb),
            )
        )
    return Analysis(state.document, entities, list(state.events), list(state.quotes), pipeline=pipeline)


def annotate(document: Document, *, pipeline: str = DEFAULT_PIPELINE) -> Doc:
    """The processed spaCy ``Doc`` of one document: tokens, parse, and ``doc._.dossier`` (every hit
    with its source, clusters, dates, quotes, events) for scoring and inspection below the contract."""
    nlp = get_nlp(_canonical(pipeline))
    try:
        return nlp(_prepare(nlp, document))
    except DossierError:
        raise
    except Exception as exc:  # one document's failure is the caller's to log and skip
        raise AnalysisError(f"{document.id}: the {pipeline!r} pipeline failed: {exc!r}") from exc


def analyze(document: Document, *, pipeline: str = DEFAULT_PIPELINE) -> Analysis:
    """Entities, events and quotes of one document (see ONTOLOGY.md)."""
    doc = annotate(document, pipeline=pipeline)
    try:
        return _analysis(doc, _canonical(pipeline))
    except Exception as exc:
        raise AnalysisError(f"{document.id}: the {pipeline!r} pipeline failed: {exc!r}") from exc


def analyze_many(documents: Iterable[Document], *, pipeline: str = DEFAULT_PIPELINE) -> Iterator[Analysis]:
    """:func:`analyze` over many documents through ``nlp.pipe``, in input order."""
    name = _canonical(pipeline)
    nlp = get_nlp(name)
    docs = (_prepare(nlp, document) for document in documents)
    try:
        for doc in nlp.pipe(docs):
            yield _analysis(doc, name)
    except DossierError:
        raise
    except Exception as exc:
        raise AnalysisError(f"the {pipeline!r} pipeline failed on a batch: {exc!r}") from exc
