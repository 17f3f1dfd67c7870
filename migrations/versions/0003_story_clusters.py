"""story clusters

``clusters`` and ``cluster_bands`` persist what near-duplicate clustering needs
(each cluster's representative signature, and its LSH band keys); the
``stories`` view gives one row per cluster: its earliest published member and
the sources carrying it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 23:34:59.504080
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crawler.store.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


STORIES_VIEW = """
CREATE VIEW stories AS
WITH members AS (
    SELECT a.cluster_id, a.id AS article_id, a.url, s.name AS source, v.title,
           COALESCE(v.published, a.first_seen) AS published,
           ROW_NUMBER() OVER (
               PARTITION BY a.cluster_id ORDER BY COALESCE(v.published, a.first_seen), a.id
           ) AS rank
    FROM articles a
    JOIN sources s ON s.id = a.source_id
    JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version
    WHERE a.cluster_id IS NOT NULL
)
SELECT f.cluster_id, f.article_id, f.url, f.source, f.title, f.published,
       (SELECT COUNT(*) FROM members m WHERE m.cluster_id = f.cluster_id) AS articles,
       (SELECT {sources} FROM (
            SELECT DISTINCT m.source FROM members m WHERE m.cluster_id = f.cluster_id
            ORDER BY m.source
        ) AS d) AS sources
FROM members f
WHERE f.rank = 1
"""
SOURCES_AGGREGATE = {
    "postgresql": "string_agg(d.source, ', ' ORDER BY d.source)",
    "sqlite": "group_concat(d.source, ', ')",
}


def upgrade() -> None:
    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("representative_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", crawler.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["articles.id"],
            name=op.f("fk_clusters_representative_id_articles"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
        sa.UniqueConstraint("key", name=op.f("uq_clusters_key")),
    )
    op.create_table(
        "cluster_bands",
        sa.Column("band_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("cluster_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_cluster_bands_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("band_key", "cluster_id", name=op.f("pk_cluster_bands")),
    )
    dialect = op.get_bind().dialect.name
    op.execute(STORIES_VIEW.format(sources=SOURCES_AGGREGATE[dialect]))


def downgrade() -> None:
    op.execute("DROP VIEW stories")
    op.drop_table("cluster_bands")
    op.drop_table("clusters")
