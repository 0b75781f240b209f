"""The store on a SQLite file and on a real PostgreSQL server: writes, idempotency, versions, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier import query
from dossier.clean import clean_text
from dossier.errors import QueryError, StoreError
from dossier.model import (
    Analysis,
    Attribution,
    Entity,
    Event,
    Evidence,
    Mention,
    Participant,
    Quote,
    RawDocument,
)
from dossier.store import open_store

TEXT = (
    "Lumenfab to supply inspection tools to Baltic Silicon\n\n"
    "By Maria Tamm\nMarch 14, 2024\n\n"
    "Lumenfab has agreed to supply inspection tools worth €45 million to Baltic Silicon, the companies said.\n\n"
    '"This order matters," said Kadri Ilves, chief executive of Baltic Silicon.'
)


def _analysis(text: str = TEXT, *, url: str | None = "https://ttc.example/lumenfab") -> Analysis:
    (doc,) = clean_text(text, ref="story.txt")
    doc.url = url
    t = doc.text

    def mention(word: str, nth: int = 0) -> Mention:
        start = -1
        for _ in range(nth + 1):
            start = t.index(word, start + 1)
        return Mention(start, start + len(word), word)

    lumenfab = Entity("e1", "Lumenfab", "ORG", mentions=[mention("Lumenfab"), mention("Lumenfab", 1)])
    baltic = Entity("e2", "Baltic Silicon", "ORG", mentions=[mention("Baltic Silicon", 1)])
    ilves = Entity("e3", "Kadri Ilves", "PERSON", mentions=[mention("Kadri Ilves")],
                   descriptions=["chief executive of Baltic Silicon"])  # fmt: skip
    sent_start = t.index("Lumenfab has agreed")
    sent_end = t.index("said.") + 5
    event = Event(
        "v1", "SUPPLY", "agreed",
        Evidence(sent_start, sent_end, t[sent_start:sent_end]),
        participants=[Participant("supplier", "e1"), Participant("customer", "e2")],
        attribution=Attribution("named", "e1", "the companies said"),
    )  # fmt: skip
    qs = t.index("This order")
    said = "Kadri Ilves, chief executive of Baltic Silicon"
    quote = Quote("q1", "This order matters,", qs, qs + len("This order matters,"), speaker="e3",
                  speaker_kind="named", speaker_text=said, cue="said")  # fmt: skip
    return Analysis(doc, [lumenfab, baltic, ilves], [event], [quote])


def test_write_is_idempotent_and_everything_is_queryable(db_url: str) -> None:
    with open_store(db_url) as store:
        analysis = _analysis()
        first = store.write(analysis, RawDocument(ref="story.txt", text=TEXT, keep_raw=True))
        again = store.write(analysis)
        assert (first.status, again.status) == ("stored", "unchanged")
        stats = query.stats(store)
        assert stats["documents"] == 1
        assert stats["entities"]["by_type"] == {"ORG": 2, "PERSON": 1}
        assert stats["events"]["by_type"] == {"SUPPLY": 1}
        assert stats["quotes"] == 1
        assert {e["name"] for e in stats["most_connected"]} == {"Lumenfab", "Baltic Silicon"}
        (event,) = query.events(store, entity="lumenfab")
        assert event["status"] == "agreed"
        assert {(p["role"], p["name"]) for p in event["participants"]} == {
            ("supplier", "Lumenfab"), ("customer", "Baltic Silicon")}  # fmt: skip
        assert query.events(store, type_="SANCTION") == []
        assert query.events(store, since="2024-03", until="2024-03-31")[0]["date"] == "2024-03-14"
        assert query.events(store, since="2025") == []
        (q,) = query.quotes(store, speaker="Kadri Ilves")
        assert q["speaker"] == "Kadri Ilves" and q["text"] == "This order matters,"
        people = query.names(store, type_="person")
        assert [p["name"] for p in people] == ["Kadri Ilves"]
        doc = query.document(store, analysis.document.id.removeprefix("sha256:")[:10])
        assert doc["document"]["text"] == analysis.document.text
        assert doc["schema"] == "dossier.analysis/1"
        exported = list(query.export_analyses(store))
        assert exported == [analysis.to_dict()]


def test_full_text_search(db_url: str) -> None:
    with open_store(db_url) as store:
        store.write(_analysis())
        store.write(_analysis(TEXT.replace("inspection", "metrology"), url=None))
        hits = query.documents(store, search="metrology tools")
        assert len(hits) == 1 and "metrology" in hits[0]["title"]
        assert "metrology" in hits[0]["snippet"]
        assert len(query.documents(store, search="Baltic")) == 2
        assert query.documents(store, search="nonexistentword") == []
        with pytest.raises(QueryError):
            query.documents(store, search="'\"*")


def test_same_url_new_text_is_a_new_version(db_url: str) -> None:
    with open_store(db_url) as store:
        old = _analysis()
        new = _analysis(TEXT.replace("€45 million", "€50 million"))
        assert store.write(old).status == "stored"
        result = store.write(new)
        assert result.status == "version" and result.previous == old.document.id
        assert query.document(store, new.document.id)["document"]["previous_version"] == old.document.id
        assert query.stats(store)["documents"] == 2


def test_raw_input_kept_only_when_it_cannot_be_reread(sqlite_url: str) -> None:
    import zlib

    import sqlalchemy as sa

    with open_store(sqlite_url) as store:
        store.write(_analysis(), RawDocument(ref="<stdin>", data=b"raw bytes", keep_raw=True))
        store.write(_analysis(TEXT + " More."), RawDocument(ref="story.txt", path="story.txt"))
        with store.engine.connect() as conn:
            raws = conn.execute(sa.text("SELECT raw FROM documents ORDER BY raw IS NULL")).scalars().all()
    assert zlib.decompress(raws[0]) == b"raw bytes" and raws[1] is None


def test_query_errors_are_clear(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        with pytest.raises(QueryError, match="no document with id"):
            query.document(store, "abcdef123456")
        with pytest.raises(QueryError, match="no entity named"):
            query.events(store, entity="Nobody Inc")
        with pytest.raises(QueryError, match="is not a date"):
            query.events(store, since="last week")


def test_database_in_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"directory .*missing.* does not exist"):
        open_store(str(tmp_path / "missing" / "x.db"))


def test_unreachable_postgres_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")


def test_migrations_create_exactly_the_declared_schema(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from dossier.store.schema import metadata

    with open_store(db_url) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # The search index lives outside the declared tables: FTS5 virtual table / generated tsvector column.
    relevant = [d for d in diff if "fts" not in repr(d) and "search" not in repr(d)]
    assert relevant == []
    assert store.revision() == "0007"


def test_analysis_json_round_trips_through_the_store(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        analysis = _analysis()
        store.write(analysis)
        stored = query.document(store, analysis.document.id)
    stored["document"].pop("previous_version")
    stored["document"].pop("ingested_at")
    assert json.loads(json.dumps(stored)) == analysis.to_dict()
