"""article identity: declared canonicals, URL keys and aliases

``articles.declared_canonical`` keeps the canonical a page declared, whether
or not the crawl keyed the article by it; ``articles.url_key`` folds the
spellings of one address (trailing slash, ``index.html``, AMP, scheme,
``?page=1``); ``article_aliases`` holds the other URLs of a stored article.
Rows stored earlier keep NULL keys: they are matched by URL and text only.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crawler.store.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("declared_canonical", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("url_key", sa.String(length=2048), nullable=True))
        batch.create_index("ix_articles_declared_canonical", ["declared_canonical"])
        batch.create_index("ix_articles_source_id_url_key", ["source_id", "url_key"])
    op.create_index("ix_article_versions_content_hash", "article_versions", ["content_hash"])
    op.create_table(
        "article_aliases",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("first_seen", crawler.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_aliases_article_id_articles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_article_aliases")),
    )
    op.create_index("ix_article_aliases_article_id", "article_aliases", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_aliases_article_id", table_name="article_aliases")
    op.drop_table("article_aliases")
    op.drop_index("ix_article_versions_content_hash", table_name="article_versions")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_source_id_url_key")
        batch.drop_index("ix_articles_declared_canonical")
        batch.drop_column("url_key")
        batch.drop_column("declared_canonical")
