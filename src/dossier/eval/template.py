"""Gold skeletons and annotator views: ``python -m dossier.eval.template PATH... [--out DIR] [--show]``.

For every document the inputs hold (after cleaning, exactly as ``dossier analyze`` sees them):

* ``--out DIR`` writes a gold skeleton ``DIR/<file>[-N].yaml`` with the document's id, file, title and
  publication date and empty entity, event and quote lists; an existing file is never overwritten;
* ``--show`` prints the cleaned text, each segment headed by its kind and offsets, so an annotator
  sees which parts are comments or page furniture (they yield no events or quotes).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from dossier.model import Document

_SKELETON = """schema: dossier.gold/1
document:
  id: "{id}"
  file: {file}
  title: {title}
  published: {published}
split: dev
story: null
entities: []
events: []
quotes: []
"""


def documents(paths: list[str], root: Path | None = None) -> Iterator[tuple[str, int, int, Document]]:
    """(file relative to ``root``, index within the file, count in the file, document) for each input."""
    from dossier.clean import clean
    from dossier.errors import DossierError
    from dossier.ingest import iter_raw
    from dossier.model import RawDocument

    by_file: dict[str, list[Document]] = {}
    for item in iter_raw(paths):
        if not isinstance(item, RawDocument):
            print(f"skipped: {item}", file=sys.stderr)
            continue
        try:
            cleaned = clean(item)
        except DossierError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
            continue
        # a record of a JSON Lines file is "file.jsonl:3", a part of a file "file#offset=…"
        path = Path(item.path or re.sub(r":\d+$", "", item.ref.split("#")[0]))
        if root is not None:
            try:
                path = path.resolve().relative_to(root.resolve())
            except ValueError:
                pass
        by_file.setdefault(path.as_posix(), []).extend(cleaned)
    for file, docs in by_file.items():
        for n, doc in enumerate(docs, 1):
            yield file, n, len(docs), doc


def gold_name(file: str, index: int, count: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", file.rsplit(".", 1)[0]).strip("-")
    return f"{stem}-{index:02d}.yaml" if count > 1 else f"{stem}.yaml"


def _quote(value: str | None) -> str:
    if value is None:
        return "null"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def show(file: str, doc: Document) -> str:
    lines = [f"=== {doc.id} | {file} | {doc.title!r} | published {doc.published}"]
    for seg in sorted(doc.segments, key=lambda s: s.start):
        author = f" author={seg.author}" if seg.author else ""
        lines.append(f"--- [{seg.kind} {seg.start}-{seg.end}{author}]")
        lines.append(doc.text[seg.start : seg.end])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--root", type=Path, default=None, help="Record files relative to this folder.")
    parser.add_argument("--out", type=Path, default=None, help="Write gold skeletons into this folder.")
    parser.add_argument("--show", action="store_true", help="Print each document's text by segment.")
    args = parser.parse_args(argv)
    for file, index, count, doc in documents(args.paths, args.root):
        if args.show:
            print(show(file, doc))
            print()
        if args.out is not None:
            args.out.mkdir(parents=True, exist_ok=True)
            target = args.out / gold_name(file, index, count)
            if target.exists():
                continue
            target.write_text(
                _SKELETON.format(
                    id=doc.id,
                    file=file,
                    title=_quote(doc.title),
                    published=doc.published or "null",
                ),
                encoding="utf-8",
            )
            print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
