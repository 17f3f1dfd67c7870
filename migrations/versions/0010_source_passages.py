"""source passages: teasers and bios learnt per source

The leads and titles of a source's articles (which mark teasers on its other
articles) and the paragraphs counted per author around the body (bios).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 04:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crawler.store.models

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_passages",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("passage_hash", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("owner_hash", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("last_seen", crawler.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_passages_source_id_sources")
        ),
        sa.PrimaryKeyConstraint(
            "source_id", "kind", "passage_hash", "owner_hash", name=op.f("pk_source_passages")
        ),
    )


def downgrade() -> None:
    op.drop_table("source_passages")
