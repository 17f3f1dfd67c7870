"""page http status and headers

Keeps the HTTP status and headers each kept page was served with, so the WARC
export writes the response as it was. Pages kept before have neither (NULL).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 04:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("page_html", schema=None) as batch_op:
        batch_op.add_column(sa.Column("http_status", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("http_headers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("page_html", schema=None) as batch_op:
        batch_op.drop_column("http_headers")
        batch_op.drop_column("http_status")
