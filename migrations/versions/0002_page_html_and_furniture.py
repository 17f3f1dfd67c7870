"""page html, furniture lines, extractor version

Keeps the fetched page of each version (for ``crawler reextract``), the per-source
line counts that teach cleaning a site's furniture, and which extractor wrote a
version's text. Existing versions are marked extractor "1".

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 23:11:49.579635
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crawler.store.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_lines",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("line_hash", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("last_seen", crawler.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_lines_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("source_id", "line_hash", name=op.f("pk_source_lines")),
    )
    op.create_table(
        "page_html",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("encoding", sa.String(length=16), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["article_versions.id"],
            name=op.f("fk_page_html_version_id_article_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_page_html")),
    )
    with op.batch_alter_table("article_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("extractor_version", sa.String(length=16), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("article_versions", schema=None) as batch_op:
        batch_op.drop_column("extractor_version")

    op.drop_table("page_html")
    op.drop_table("source_lines")
