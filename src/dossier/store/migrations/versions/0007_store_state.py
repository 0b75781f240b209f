"""Two things the web server reads on every request:

- a counter of the store's generations: every document stored and every knowledge update, rebuild or human
  judgement adds one, in the writer's transaction, so a reader (the response cache of `dossier serve`) knows
  with one indexed read whether an answer computed earlier still holds, whichever process wrote;
- each fact's listing (knowledge.facts.listing): what an entity's dossier reads of it, so a busy entity's
  facts are not decoded with every report. Filled here from the stored facts.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from dossier.knowledge.facts import listing

    table = op.create_table(
        "store_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.bulk_insert(table, [{"key": "generation", "value": 0}])
    op.add_column("facts", sa.Column("listing", sa.Text))
    conn = op.get_bind()
    facts = sa.table("facts", sa.column("id", sa.String), sa.column("data", sa.Text), sa.column("listing", sa.Text))
    rows = conn.execute(sa.select(facts.c.id, facts.c.data)).all()
    update = sa.update(facts).where(facts.c.id == sa.bindparam("fid")).values(listing=sa.bindparam("s"))
    for start in range(0, len(rows), 1000):
        batch = [
            {"fid": fid, "s": json.dumps(listing(json.loads(data)), ensure_ascii=False, sort_keys=True)}
            for fid, data in rows[start : start + 1000]
        ]
        conn.execute(update, batch)


def downgrade() -> None:
    op.drop_column("facts", "listing")
    op.drop_table("store_state")
