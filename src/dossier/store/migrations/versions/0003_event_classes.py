"""Fact merging compares classes of reports that read alike, not every pair of reports.

The per-report keys and links (event_keys, event_links) give way to class tables; the derived rows of copies,
event nodes and facts are dropped, so the next update (any ingest, or `dossier rebuild`) recomputes them from
the stored analyses. Documents, analyses, resolution and human judgements are kept.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_DERIVED = ("fact_participants", "facts", "event_nodes", "copy_bands", "copies")


def upgrade() -> None:
    for table in _DERIVED:
        op.execute(sa.text(f"DELETE FROM {table}"))
    op.drop_table("event_links")
    op.drop_table("event_keys")
    with op.batch_alter_table("event_nodes") as batch:
        batch.add_column(sa.Column("class_id", sa.String(40), nullable=False))
    op.create_index("ix_event_nodes_class_id", "event_nodes", ["class_id"])
    op.create_table(
        "event_classes",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("position", sa.String(64), nullable=False, index=True),
        sa.Column("fact_id", sa.String(40), index=True),
    )
    op.create_table(
        "class_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("class_id", sa.String(40), primary_key=True),
    )
    op.create_index("ix_class_keys_class", "class_keys", ["class_id"])
    op.create_table(
        "class_links",
        sa.Column("left", sa.String(40), primary_key=True),
        sa.Column("right", sa.String(40), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_class_links_right", "class_links", ["right"])


def downgrade() -> None:
    for table in _DERIVED:
        op.execute(sa.text(f"DELETE FROM {table}"))
    op.drop_table("class_links")
    op.drop_table("class_keys")
    op.drop_table("event_classes")
    op.drop_index("ix_event_nodes_class_id", "event_nodes")
    with op.batch_alter_table("event_nodes") as batch:
        batch.drop_column("class_id")
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
