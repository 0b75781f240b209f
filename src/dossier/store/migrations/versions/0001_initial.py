"""The first schema: documents, segments, entities, mentions, events, participants, quotes, ingest log, search.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _doc() -> sa.ForeignKey:
    return sa.ForeignKey("documents.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("url", sa.Text, index=True),
        sa.Column("source", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10), index=True),
        sa.Column("language", sa.String(12)),
        sa.Column("format", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("authors", sa.Text),
        sa.Column("raw_ref", sa.Text),
        sa.Column("raw_sha256", sa.String(64), index=True),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("previous_version", sa.String(80), index=True),
        sa.Column("analysis", sa.Text, nullable=False),
        sa.Column("pipeline", sa.String(32)),
        sa.Column("words", sa.Integer),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "segments",
        sa.Column("doc_id", sa.String(80), _doc(), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("author", sa.Text),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False, index=True),
        sa.Column("norm", sa.Text, nullable=False, index=True),
        sa.Column("wikidata", sa.String(20)),
    )
    op.create_table(
        "doc_entities",
        sa.Column("doc_id", sa.String(80), _doc(), primary_key=True),
        sa.Column("local_id", sa.String(16), primary_key=True),
        sa.Column("entity_id", sa.String(40), sa.ForeignKey("entities.id"), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("aliases", sa.Text),
        sa.Column("descriptions", sa.Text),
        sa.Column("mention_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "mentions",
        sa.Column("doc_id", sa.String(80), _doc(), primary_key=True),
        sa.Column("local_id", sa.String(16), primary_key=True),
        sa.Column("start", sa.Integer, primary_key=True),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("doc_id", sa.String(80), _doc(), primary_key=True),
        sa.Column("local_id", sa.String(16), primary_key=True),
        sa.Column("type", sa.String(24), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("hedged", sa.Boolean, nullable=False),
        sa.Column("date_text", sa.Text),
        sa.Column("date_start", sa.String(10), index=True),
        sa.Column("date_end", sa.String(10)),
        sa.Column("amounts", sa.Text),
        sa.Column("amount_usd", sa.Float),
        sa.Column("attribution_kind", sa.String(16)),
        sa.Column("attribution_speaker", sa.String(16)),
        sa.Column("attribution_cue", sa.Text),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("evidence_text", sa.Text, nullable=False),
    )
    op.create_table(
        "participants",
        sa.Column("doc_id", sa.String(80), _doc(), primary_key=True),
        sa.Column("event_id", sa.String(16), primary_key=True),
        sa.Column("role", sa.String(24), primary_key=True),
        sa.Column("local_entity_id", sa.String(16), primary_key=True),
        sa.Column("entity_id", sa.String(40), nullable=False, index=True),
    )
    op.create_index("ix_participants_event", "participants", ["doc_id", "event_id"])
    op.create_table(
        "quotes",
        sa.Column("doc_id", sa.String(80), _doc(), primary_key=True),
        sa.Column("local_id", sa.String(16), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("direct", sa.Boolean, nullable=False),
        sa.Column("speaker_local_id", sa.String(16)),
        sa.Column("speaker_entity_id", sa.String(40), index=True),
        sa.Column("speaker_kind", sa.String(16)),
        sa.Column("speaker_text", sa.Text),
        sa.Column("cue", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("command", sa.Text),
        sa.Column("stored", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
    )
    op.create_table(
        "ingest_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("ingest_runs.id"), index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("doc_id", sa.String(80), index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text),
    )
    # Full-text search: FTS5 beside the table on SQLite, a generated tsvector with a GIN index on PostgreSQL.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # External content: the index reads title and text from `documents` by rowid instead of keeping
        # a second copy of every text (half the bytes written per document).
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED"
        )
        op.execute("CREATE INDEX ix_documents_search ON documents USING GIN (search)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in (
        "ingest_log", "ingest_runs", "quotes", "participants", "events",
        "mentions", "doc_entities", "entities", "segments", "documents",
    ):  # fmt: skip
        op.drop_table(table)
