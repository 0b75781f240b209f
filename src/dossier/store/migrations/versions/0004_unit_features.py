"""Units keep a fingerprint of what scoring read of them, so an update re-scores only units that changed.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("features", sa.String(40)))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("features")
