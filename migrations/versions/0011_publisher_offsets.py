"""publisher offsets and day/month order per source

``article_versions.published_offset`` and ``modified_offset`` keep the UTC
offset (minutes east of UTC) the page wrote its dates with, beside the UTC
instant stored already; rows stored earlier keep NULL and read as UTC until
``crawler reextract`` fills them from the kept page. ``sources.day_first_pages``
and ``month_first_pages`` count the articles whose numeric dates showed each
order, which settles the source's ambiguous ones.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 07:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article_versions") as batch:
        batch.add_column(sa.Column("published_offset", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("modified_offset", sa.SmallInteger(), nullable=True))
    with op.batch_alter_table("sources") as batch:
        for name in ("day_first_pages", "month_first_pages"):
            batch.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("month_first_pages")
        batch.drop_column("day_first_pages")
    with op.batch_alter_table("article_versions") as batch:
        batch.drop_column("modified_offset")
        batch.drop_column("published_offset")
