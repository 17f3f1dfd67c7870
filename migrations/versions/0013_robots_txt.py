"""robots.txt kept per origin

One row per origin (scheme, host and port): the body and HTTP validators of
its robots.txt as last read with a 2xx, so that the next crawl can ask with
If-None-Match / If-Modified-Since and read the same rules again on a 304.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 08:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crawler.store.models

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "robots_txt",
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("fetched_at", crawler.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("origin", name=op.f("pk_robots_txt")),
    )


def downgrade() -> None:
    op.drop_table("robots_txt")
