"""route validators

One row per discovery route (feed, sitemap, section or home page) of a
source: the ETag, Last-Modified and body hash of its last complete read, and
the routes it led to, so that the next crawl can ask with If-None-Match /
If-Modified-Since and skip what has not changed.

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-30 04:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "route_validators",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("children", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_route_validators_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("source_id", "url", name=op.f("pk_route_validators")),
    )


def downgrade() -> None:
    op.drop_table("route_validators")
