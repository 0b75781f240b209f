"""``python -m dossier.train.loop CONFIG OUTPUT [--section.key value ...]``: spaCy's training loop on BlasOps.

``spacy train`` is spaCy's own CLI around :func:`spacy.training.initialize.init_nlp` and
:func:`spacy.training.loop.train`; it also calls ``require_cpu()``, which resets thinc's operations to
``NumpyOps`` and so to the slow generic BLIS kernels of this project's machines (see
:mod:`dossier.nlp.ops`). This driver runs the same two functions with :class:`~dossier.nlp.ops.BlasOps`
as the current operations, which roughly halves the training time. The config, the seed, the corpora
and the output folders (``model-best``, ``model-last``) are exactly those of ``spacy train``; the
overrides use its ``--section.key value`` syntax.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0].startswith("-") or args[1].startswith("-"):
        print("usage: python -m dossier.train.loop CONFIG OUTPUT [--section.key value ...]", file=sys.stderr)
        return 2
    config_file, output = Path(args[0]), Path(args[1])
    if not config_file.is_file():
        print(f"{config_file}: no such training config", file=sys.stderr)
        return 2

    from spacy import util
    from spacy.cli._util import parse_config_overrides
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train
    from thinc.api import set_current_ops

    import dossier.nlp.pieces  # noqa: F401  (registers the word-piece architectures)
    from dossier.nlp.ops import BlasOps

    overrides = parse_config_overrides(args[2:])
    set_current_ops(BlasOps())
    config = util.load_config(config_file, overrides=overrides, interpolate=False)
    output.mkdir(parents=True, exist_ok=True)
    nlp = init_nlp(config, use_gpu=-1)
    train(nlp, output, use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
