"""The tables, in SQLAlchemy Core. Migrations under migrations/ create exactly these (a test compares)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("url", Text, index=True),
    Column("source", Text),
    Column("title", Text),
    Column("published", String(10), index=True),
    Column("language", String(12)),
    Column("format", String(16)),
    Column("text", Text, nullable=False),
    Column("origin", Text),  # JSON
    Column("authors", Text),  # JSON
    Column("raw_ref", Text),
    Column("raw_sha256", String(64), index=True),
    Column("raw", LargeBinary),  # zlib-compressed input, kept when it cannot be re-read (stdin, URL, record)
    Column("previous_version", String(80), index=True),
    Column("analysis", Text, nullable=False),  # the contract JSON without document.text
    Column("pipeline", String(32)),
    Column("words", Integer),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

segments = Table(
    "segments",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("author", Text),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False, index=True),
    Column("norm", Text, nullable=False, index=True),
    Column("wikidata", String(20)),
)

doc_entities = Table(
    "doc_entities",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("entity_id", String(40), ForeignKey("entities.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("aliases", Text),  # JSON
    Column("descriptions", Text),  # JSON
    Column("mention_count", Integer, nullable=False),
    Column("unit_id", String(40), index=True),  # set by resolve/: the resolution unit this entity belongs to
)

# a unit's first doc-entities by document (resolve/ samples them): an index range, not a sort of every mention
Index("ix_doc_entities_unit_doc", doc_entities.c.unit_id, doc_entities.c.doc_id)

mentions = Table(
    "mentions",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("type", String(24), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("hedged", Boolean, nullable=False),
    Column("date_text", Text),
    Column("date_start", String(10), index=True),
    Column("date_end", String(10)),
    Column("amounts", Text),  # JSON
    Column("amount_usd", Float),
    Column("attribution_kind", String(16)),
    Column("attribution_speaker", String(16)),
    Column("attribution_cue", Text),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("evidence_text", Text, nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", String(16), primary_key=True),
    Column("role", String(24), primary_key=True),
    Column("local_entity_id", String(16), primary_key=True),
    Column("entity_id", String(40), nullable=False, index=True),
)

quotes = Table(
    "quotes",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("text", Text, nullable=False),
    Column("direct", Boolean, nullable=False),
    Column("speaker_local_id", String(16)),
    Column("speaker_entity_id", String(40), index=True),
    Column("speaker_kind", String(16)),
    Column("speaker_text", Text),
    Column("cue", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("command", Text),
    Column("stored", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("ref", Text, nullable=False),
    Column("doc_id", String(80), index=True),
    Column("status", String(16), nullable=False),  # stored | version | unchanged | error
    Column("message", Text),
)

Index("ix_participants_event", participants.c.doc_id, participants.c.event_id)

# -- resolve/: cross-document entity resolution ---------------------------------------------------------

# A resolution unit is one name (an `entities` row) and, for a person, one sense of it: people who share a
# name but are described with different affiliations are different units until a judgement joins them.
units = Table(
    "units",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(40), nullable=False, index=True),
    Column("sense", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("wikidata", String(20)),
    Column("canonical_id", String(40), nullable=False, index=True),
    Column("features", String(40)),  # fingerprint of what scoring read of it: unchanged, no re-scoring
)

unit_keys = Table(
    "unit_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("unit_id", String(40), primary_key=True),
)
Index("ix_unit_keys_unit", unit_keys.c.unit_id)

judgements = Table(
    "judgements",
    metadata,
    Column("left_id", String(40), primary_key=True),
    Column("right_id", String(40), primary_key=True),
    Column("source", String(8), primary_key=True),  # machine | human
    Column("judgement", String(8), nullable=False),  # positive | negative
    Column("score", Float),
    Column("algorithm", String(40), nullable=False),
    Column("author", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Index("ix_judgements_right", judgements.c.right_id)

# A canonical entity: a connected component of positive judgements, with what its units say, aggregated.
canonical = Table(
    "canonical",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("norm", Text, nullable=False, index=True),
    Column("type", String(16), nullable=False, index=True),
    Column("wikidata", String(20)),
    Column("aliases", Text, nullable=False),  # JSON
    Column("descriptions", Text, nullable=False),  # JSON
    Column("documents", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
)

# -- knowledge/: copies, facts, evidence, contradictions ------------------------------------------------

copies = Table(
    "copies",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
    Column("family_id", String(80), nullable=False, index=True),
)

copy_bands = Table(
    "copy_bands",
    metadata,
    Column("band", Integer, primary_key=True),
    Column("bucket", String(40), primary_key=True),
    Column("doc_id", String(80), primary_key=True),
)

event_nodes = Table(
    "event_nodes",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", String(16), primary_key=True),
    Column("type", String(24), nullable=False),
    Column("data", Text, nullable=False),  # JSON: the report as a fact's evidence shows it
    Column("class_id", String(40), nullable=False, index=True),
    Column("fact_id", String(40), index=True),
)

# Which quotes a resolution unit says (`by`: it is the speaker) or is named in (`about`: one of its mentions lies
# inside the quote), with the document's publication date: an entity's latest quotes are an index range, not a
# sort of every document it appears in. Derived from the document and its units (resolve/ writes it).
quote_refs = Table(
    "quote_refs",
    metadata,
    Column("doc_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("quote_id", String(16), primary_key=True),
    Column("local_id", String(16), primary_key=True),  # the entity in the document
    Column("kind", String(8), primary_key=True),  # by | about
    Column("unit_id", String(40), nullable=False),
    Column("published", String(10)),
)
Index("ix_quote_refs_unit", quote_refs.c.unit_id, quote_refs.c.kind, quote_refs.c.published, quote_refs.c.doc_id)

# Reports that read alike (one summary: type, participants, date, status, amounts) form one class; classes
# are what blocking, linking and merging compare.
event_classes = Table(
    "event_classes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("type", String(24), nullable=False),
    Column("data", Text, nullable=False),  # JSON: the summary
    Column("position", String(64), nullable=False, index=True),  # replay order: publication month, id
    Column("fact_id", String(40), index=True),
)

class_keys = Table(
    "class_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("class_id", String(40), primary_key=True),
)
Index("ix_class_keys_class", class_keys.c.class_id)

class_links = Table(
    "class_links",
    metadata,
    Column("left", String(40), primary_key=True),
    Column("right", String(40), primary_key=True),
    Column("score", Float, nullable=False),
)
Index("ix_class_links_right", class_links.c.right)

facts = Table(
    "facts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("type", String(24), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("hedged", Boolean, nullable=False),
    Column("date_start", String(10), index=True),
    Column("date_end", String(10)),
    Column("first_reported", String(10), index=True),
    Column("last_reported", String(10)),
    Column("corroboration", Integer, nullable=False, index=True),
    Column("reports", Integer, nullable=False),
    Column("contradictions", Integer, nullable=False),
    Column("amount_usd", Float),
    Column("data", Text, nullable=False),  # JSON: the whole fact as the query API returns it
    Column("listing", Text),  # JSON: what a dossier reads of it (knowledge.facts.listing)
)

fact_participants = Table(
    "fact_participants",
    metadata,
    Column("fact_id", String(40), primary_key=True),
    Column("role", String(24), primary_key=True),
    Column("entity_id", String(40), primary_key=True),
)
Index("ix_fact_participants_entity", fact_participants.c.entity_id)

# key -> value: "generation" counts the knowledge updates, rebuilds and judgements that changed anything
store_state = Table(
    "store_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)
