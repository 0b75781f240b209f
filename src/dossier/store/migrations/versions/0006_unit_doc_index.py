"""Doc-entities indexed by unit and document: resolution samples each unit's first doc-entities by document,
which was a window over every mention of a busy unit (China, the United States) on each update. Not a
covering index on purpose: covering (unit, document, local id), SQLite's planner scanned it whole to join
participants to their units.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_doc_entities_unit_doc", "doc_entities", ["unit_id", "doc_id"])


def downgrade() -> None:
    op.drop_index("ix_doc_entities_unit_doc", table_name="doc_entities")
