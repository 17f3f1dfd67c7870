"""source slots: template slots learnt per source from element paths

Per source and element path (a 64-bit hash): on how many articles it held
text, on how many all of it was removed as noise, on how many it held body
text (crawler.extract.slots).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crawler.store.models

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_slots",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("path_hash", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("noise_pages", sa.Integer(), nullable=False),
        sa.Column("body_pages", sa.Integer(), nullable=False),
        sa.Column("last_seen", crawler.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_slots_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("source_id", "path_hash", name=op.f("pk_source_slots")),
    )


def downgrade() -> None:
    op.drop_table("source_slots")
