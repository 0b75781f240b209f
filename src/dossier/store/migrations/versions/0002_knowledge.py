"""Knowledge across documents: resolution units, judgements, canonical entities, copies, facts.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("doc_entities") as batch:
        batch.add_column(sa.Column("unit_id", sa.String(40)))
    op.create_index("ix_doc_entities_unit_id", "doc_entities", ["unit_id"])
    op.create_table(
        "units",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(40), nullable=False, index=True),
        sa.Column("sense", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("wikidata", sa.String(20)),
        sa.Column("canonical_id", sa.String(40), nullable=False, index=True),
    )
    op.create_table(
        "unit_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("unit_id", sa.String(40), primary_key=True),
    )
    op.create_index("ix_unit_keys_unit", "unit_keys", ["unit_id"])
    op.create_table(
        "judgements",
        sa.Column("left_id", sa.String(40), primary_key=True),
        sa.Column("right_id", sa.String(40), primary_key=True),
        sa.Column("source", sa.String(8), primary_key=True),
        sa.Column("judgement", sa.String(8), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("algorithm", sa.String(40), nullable=False),
        sa.Column("author", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_judgements_right", "judgements", ["right_id"])
    op.create_table(
        "canonical",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False, index=True),
        sa.Column("type", sa.String(16), nullable=False, index=True),
        sa.Column("wikidata", sa.String(20)),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("descriptions", sa.Text, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
    )
    op.create_table(
        "copies",
        sa.Column("doc_id", sa.String(80), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("family_id", sa.String(80), nullable=False, index=True),
    )
    op.create_table(
        "copy_bands",
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("bucket", sa.String(40), primary_key=True),
        sa.Column("doc_id", sa.String(80), primary_key=True),
    )
    op.create_table(
        "event_nodes",
        sa.Column("doc_id", sa.String(80), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("event_id", sa.String(16), primary_key=True),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("fact_id", sa.String(40), index=True),
    )
    op.create_table(
        "event_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("doc_id", sa.String(80), primary_key=True),
        sa.Column("event_id", sa.String(16), primary_key=True),
    )
    op.create_index("ix_event_keys_event", "event_keys", ["doc_id", "event_id"])
    op.create_table(
        "event_links",
        sa.Column("left", sa.String(100), primary_key=True),
        sa.Column("right", sa.String(100), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_event_links_right", "event_links", ["right"])
    op.create_table(
        "facts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("type", sa.String(24), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("hedged", sa.Boolean, nullable=False),
        sa.Column("date_start", sa.String(10), index=True),
        sa.Column("date_end", sa.String(10)),
        sa.Column("first_reported", sa.String(10), index=True),
        sa.Column("last_reported", sa.String(10)),
        sa.Column("corroboration", sa.Integer, nullable=False, index=True),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("contradictions", sa.Integer, nullable=False),
        sa.Column("amount_usd", sa.Float),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "fact_participants",
        sa.Column("fact_id", sa.String(40), primary_key=True),
        sa.Column("role", sa.String(24), primary_key=True),
        sa.Column("entity_id", sa.String(40), primary_key=True),
    )
    op.create_index("ix_fact_participants_entity", "fact_participants", ["entity_id"])


def downgrade() -> None:
    for table in (
        "fact_participants", "facts", "event_links", "event_keys", "event_nodes", "copy_bands", "copies",
        "canonical", "judgements", "unit_keys", "units",
    ):  # fmt: skip
        op.drop_table(table)
    op.drop_index("ix_doc_entities_unit_id", "doc_entities")
    with op.batch_alter_table("doc_entities") as batch:
        batch.drop_column("unit_id")
