"""robots.txt freshness: the lifetime its server gave

``robots_txt.max_age``: the seconds the server's Cache-Control max-age (or
Expires less Date) let the robots.txt stay fresh, less its Age; NULL when
the server gave none (the source's ``robots_max_age`` applies). A crawl
uses a fresh copy without asking (RFC 9309 §2.4 allows caching, up to 24
hours). Rows already there get NULL: fresh for the default from their
``fetched_at``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("robots_txt", sa.Column("max_age", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("robots_txt") as batch:
        batch.drop_column("max_age")
