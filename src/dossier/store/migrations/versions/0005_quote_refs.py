"""Quotes by and about each resolution unit, with the publication date, so an entity's latest quotes are read
from an index (`dossier show` on a busy entity sorted every document it appears in). Filled here from the
stored quotes, mentions and units; resolve/ keeps it up to date.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BY = """
INSERT INTO quote_refs (doc_id, quote_id, local_id, kind, unit_id, published)
SELECT q.doc_id, q.local_id, de.local_id, 'by', de.unit_id, d.published
FROM quotes q
JOIN doc_entities de ON de.doc_id = q.doc_id AND de.local_id = q.speaker_local_id
JOIN documents d ON d.id = q.doc_id
WHERE de.unit_id IS NOT NULL
"""

_ABOUT = """
INSERT INTO quote_refs (doc_id, quote_id, local_id, kind, unit_id, published)
SELECT DISTINCT q.doc_id, q.local_id, de.local_id, 'about', de.unit_id, d.published
FROM quotes q
JOIN mentions m ON m.doc_id = q.doc_id AND m.start >= q.start AND m."end" <= q."end"
JOIN doc_entities de ON de.doc_id = m.doc_id AND de.local_id = m.local_id
JOIN documents d ON d.id = q.doc_id
WHERE de.unit_id IS NOT NULL
"""


def upgrade() -> None:
    op.create_table(
        "quote_refs",
        sa.Column("doc_id", sa.String(80), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("quote_id", sa.String(16), primary_key=True),
        sa.Column("local_id", sa.String(16), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("unit_id", sa.String(40), nullable=False),
        sa.Column("published", sa.String(10)),
    )
    op.create_index("ix_quote_refs_unit", "quote_refs", ["unit_id", "kind", "published", "doc_id"])
    op.execute(sa.text(_BY))
    op.execute(sa.text(_ABOUT))


def downgrade() -> None:
    op.drop_index("ix_quote_refs_unit", table_name="quote_refs")
    op.drop_table("quote_refs")
