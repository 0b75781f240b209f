"""Each kind of bad input gives one clear error naming the input; the batch goes on."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest

from dossier.clean import clean
from dossier.errors import CleanError, IngestError
from dossier.ingest import iter_raw
from dossier.model import RawDocument

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _errors_and_docs(paths: list[str], **kwargs: object) -> tuple[list[str], list[RawDocument]]:
    errors, raws = [], []
    for item in iter_raw(paths, **kwargs):  # type: ignore[arg-type]
        if isinstance(item, IngestError):
            errors.append(str(item))
        else:
            raws.append(item)
    return errors, raws


def _good(tmp_path: Path) -> str:
    path = tmp_path / "good.txt"
    path.write_text("A good headline\n\nA good body paragraph that follows the bad input.", "utf-8")
    return str(path)


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    errors, raws = _errors_and_docs([str(tmp_path / "empty.txt"), _good(tmp_path)])
    assert errors == [f"{tmp_path / 'empty.txt'}: empty file; skipped"]
    assert len(raws) == 1


def test_whitespace_only_file_fails_in_cleaning(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_bytes(b"   \n\n\t  \n")
    errors, _ = _errors_and_docs([str(tmp_path / "blank.txt")])
    assert "empty input" in errors[0]


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 20)
    errors, raws = _errors_and_docs([str(tmp_path / "image.txt"), _good(tmp_path)])
    assert len(errors) == 1 and "image.txt" in errors[0] and "binary" in errors[0]
    assert len(raws) == 1


def test_invalid_utf8_and_mixed_encodings_are_decoded_line_by_line(tmp_path: Path) -> None:
    data = (
        "Café owner speaks\n\n".encode() + "Le café était fermé.\n".encode("cp1252") + "Ünïcödé line stays.\n".encode()
    )
    (tmp_path / "mixed.txt").write_bytes(data)
    _, raws = _errors_and_docs([str(tmp_path / "mixed.txt")])
    (doc,) = clean(raws[0])
    assert "Café owner speaks" in doc.text and "Le café était fermé." in doc.text and "Ünïcödé" in doc.text


def test_legacy_single_byte_encoding_declared_in_html(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1252"><title>Caf\xe9 talks</title></head><body>'
    html += "<p>" + "The minister\x92s caf\xe9 meeting went well, officials said on Monday. " * 5 + "</p></body></html>"
    (tmp_path / "legacy.html").write_bytes(html.encode("latin-1"))
    _, raws = _errors_and_docs([str(tmp_path / "legacy.html")])
    (doc,) = clean(raws[0])
    assert "minister's café meeting" in doc.text


def test_file_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "huge.txt").write_text("word " * 3000, "utf-8")
    errors, raws = _errors_and_docs([str(tmp_path / "huge.txt"), _good(tmp_path)], max_bytes=10_000)
    assert len(errors) == 1 and "huge.txt" in errors[0] and "10000-byte limit" in errors[0]
    assert len(raws) == 1


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    (tmp_path / "bomb.txt.gz").write_bytes(bomb)
    errors, raws = _errors_and_docs([str(tmp_path / "bomb.txt.gz"), _good(tmp_path)], max_decompressed=1_000_000)
    assert len(errors) == 1 and "bomb.txt.gz" in errors[0] and "gzip bomb" in errors[0]
    assert len(raws) == 1


def test_malformed_html_still_yields_text(tmp_path: Path) -> None:
    html = "<html><head><title>Broken page</title><body><div><p>Orvane signed a deal with Kestrel Mobile"
    html += " on Tuesday to build a lab.<p>It has no closing tags at all</div></div></span><p>Third paragraph"
    (tmp_path / "broken.html").write_text(html, "utf-8")
    _, raws = _errors_and_docs([str(tmp_path / "broken.html")])
    (doc,) = clean(raws[0])
    assert "Orvane signed a deal with Kestrel Mobile" in doc.text


def test_truncated_warc_keeps_complete_records(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for i in range(3):
        body = (FIXTURES / "page.html").read_bytes().replace(b"Porto", f"Porto{i}".encode())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://x.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    data = out.getvalue()
    (tmp_path / "cut.warc").write_bytes(data[: int(len(data) * 0.8)])
    errors, raws = _errors_and_docs([str(tmp_path / "cut.warc"), _good(tmp_path)])
    assert len(raws) == 3  # two whole records and the good file
    assert len(errors) == 1 and "cut.warc" in errors[0] and "truncated" in errors[0]


def test_one_bad_jsonl_line(tmp_path: Path) -> None:
    errors, raws = _errors_and_docs([str(FIXTURES / "briefs.jsonl")])
    assert len(errors) == 1 and errors[0].startswith(f"{FIXTURES / 'briefs.jsonl'}:3: invalid JSON")
    assert len(raws) == 3


def test_missing_path_and_broken_link(tmp_path: Path) -> None:
    os.symlink(tmp_path / "nowhere", tmp_path / "link.txt")
    errors, raws = _errors_and_docs([str(tmp_path / "missing.txt"), str(tmp_path / "link.txt"), _good(tmp_path)])
    assert errors == [
        f"{tmp_path / 'missing.txt'}: no such file or directory",
        f"{tmp_path / 'link.txt'}: broken symbolic link; skipped",
    ]
    assert len(raws) == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("private", "utf-8")
    path.chmod(0)
    errors, _ = _errors_and_docs([str(path)])
    assert errors == [f"{path}: permission denied; skipped"]


def test_unreadable_directory_entry_is_reported_not_fatal(tmp_path: Path) -> None:
    """A FIFO (or any non-regular file) in a directory is skipped with a message, even as root."""
    os.mkfifo(tmp_path / "pipe.txt")
    errors, raws = _errors_and_docs([str(tmp_path / "pipe.txt"), _good(tmp_path)])
    assert errors == [f"{tmp_path / 'pipe.txt'}: not a regular file; skipped"]
    assert len(raws) == 1


def test_document_with_no_words_fails_cleaning() -> None:
    with pytest.raises(CleanError, match="no usable text"):
        clean(RawDocument(ref="x.txt", text="-- ** --", format="text"))
