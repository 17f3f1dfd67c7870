"""full-text search over article versions

SQLite: an FTS5 table over ``article_versions`` (title and text), kept in
step by triggers, and filled from the rows already there. PostgreSQL: a GIN
index on the English ``tsvector`` of title and text, which
``websearch_to_tsquery`` matches. Neither is in the models: both are
maintained by the database itself (see ``crawler.store.search``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 02:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE article_search USING fts5("
    "title, text, content='article_versions', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER article_search_ai AFTER INSERT ON article_versions BEGIN "
    "INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER article_search_ad AFTER DELETE ON article_versions BEGIN "
    "INSERT INTO article_search(article_search, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER article_search_au AFTER UPDATE OF title, text ON article_versions BEGIN "
    "INSERT INTO article_search(article_search, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO article_search(article_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER article_search_au",
    "DROP TRIGGER article_search_ad",
    "DROP TRIGGER article_search_ai",
    "DROP TABLE article_search",
]
PG_UP = [
    "CREATE INDEX ix_article_versions_search ON article_versions "
    "USING gin (to_tsvector('english', title || ' ' || text))",
]
PG_DOWN = ["DROP INDEX ix_article_versions_search"]


def upgrade() -> None:
    for sql in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else PG_UP:
        op.execute(sql)


def downgrade() -> None:
    for sql in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else PG_DOWN:
        op.execute(sql)
