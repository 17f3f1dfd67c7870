"""The schema, in one place. Migrations are generated from it and reviewed.

Every timestamp is timezone-aware UTC: SQLite has no time zone type, so
:class:`UTCDateTime` stores UTC and hands back aware datetimes on both
databases, and exports always carry an offset. A version's ``published`` and
``modified`` are the publisher's times: their instant is stored in UTC like
every other, and the offset the page wrote them with beside it, in minutes
(``published_offset``), so they are read back as the page wrote them
(:func:`at_offset`): ``2024-03-04T10:00:00-05:00``, not ``15:00:00+00:00``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Kept up to date by the database itself (migration 0004: full-text search), so
# not described here; schema comparison leaves them out.
DATABASE_MANAGED = ("article_search", "ix_article_versions_search")


def described_by_models(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: everything but :data:`DATABASE_MANAGED`."""
    del type_, parent_names
    return not (name or "").startswith(DATABASE_MANAGED)


LIVE = "live"
GONE = "gone"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def offset_minutes(value: datetime | None) -> int | None:
    """The UTC offset ``value`` was written with, in whole minutes east of UTC (EST: -300).

    None for None or a naive value; seconds of an offset (historical local mean
    time) are rounded to the minute.
    """
    offset = value.utcoffset() if value is not None else None
    return None if offset is None else round(offset.total_seconds() / 60)


def at_offset(instant: datetime | None, minutes: int | None) -> datetime | None:
    """Aware ``instant`` shown at ``minutes`` east of UTC: the same instant, the publisher's clock.

    A None offset (a row stored before migration 0011) leaves it in UTC.
    """
    if instant is None or minutes is None:
        return instant
    return instant.astimezone(timezone(timedelta(minutes=minutes)))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime()}  # noqa: RUF012


class SourceRow(Base):
    """A publisher named in sources.yaml; rows survive removal from the file."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime]
    # How many of its articles showed day-first (13/03/2024) or month-first (03/13/2024)
    # numeric dates: the order its ambiguous ones follow (crawler.extract.dates.source_order).
    day_first_pages: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    month_first_pages: Mapped[int] = mapped_column(Integer, server_default="0", default=0)


class Article(Base):
    """One article, keyed by its canonical URL; its text lives in versions.

    ``url`` is the page's declared canonical when the crawl accepted it, else
    the URL it was fetched from (see :mod:`crawler.dedupe.identity`); the
    canonical the page declared is kept in ``declared_canonical`` either way,
    unless it names no story (the site root, a listing). ``url_key``
    folds the spellings of one address (:func:`crawler.canonical.url_key`).
    """

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    fetch_url: Mapped[str] = mapped_column(String(2048))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    status: Mapped[str] = mapped_column(String(8), default=LIVE)
    first_seen: Mapped[datetime]
    last_fetched: Mapped[datetime]
    last_changed: Mapped[datetime]
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    cluster_id: Mapped[str | None] = mapped_column(String(64))
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    declared_canonical: Mapped[str | None] = mapped_column(String(2048))
    url_key: Mapped[str | None] = mapped_column(String(2048))

    source: Mapped[SourceRow] = relationship()
    versions: Mapped[list[ArticleVersion]] = relationship(
        back_populates="article", order_by="ArticleVersion.version"
    )

    __table_args__ = (
        Index("ix_articles_source_id_status_first_seen", "source_id", "status", "first_seen"),
        Index("ix_articles_last_changed", "last_changed"),
        Index("ix_articles_cluster_id", "cluster_id"),
        Index("ix_articles_declared_canonical", "declared_canonical"),
        Index("ix_articles_source_id_url_key", "source_id", "url_key"),
    )


class ArticleAlias(Base):
    """Another URL of a stored article: the same page under a second address.

    Found by the URL's spelling (:func:`crawler.canonical.url_key`) or by the
    same cleaned title and text; later crawls do not fetch it again.
    """

    __tablename__ = "article_aliases"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"))
    first_seen: Mapped[datetime]

    __table_args__ = (Index("ix_article_aliases_article_id", "article_id"),)


class ArticleVersion(Base):
    """One real revision of an article: stored only when title or text changed."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSON)
    published: Mapped[datetime | None]
    modified: Mapped[datetime | None]
    # The offsets the page wrote them with, minutes east of UTC (see at_offset); NULL: UTC.
    published_offset: Mapped[int | None] = mapped_column(SmallInteger)
    modified_offset: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime]
    # Which extractor produced title and text (crawler.extract.EXTRACTOR_VERSION);
    # ``crawler reextract`` rewrites both in place and updates it.
    extractor_version: Mapped[str] = mapped_column(String(16), server_default="1")

    article: Mapped[Article] = relationship(back_populates="versions")

    __table_args__ = (
        UniqueConstraint("article_id", "version"),
        Index("ix_article_versions_fetched_at", "fetched_at"),
        Index("ix_article_versions_content_hash", "content_hash"),
    )


class PageHtml(Base):
    """The fetched page behind one version, compressed; kept apart so article queries stay lean.

    It lets ``crawler reextract`` redo extraction and cleaning without fetching, and
    ``crawler export --format warc`` write the response as it was served.
    """

    __tablename__ = "page_html"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("article_versions.id", ondelete="RESTRICT"), primary_key=True
    )
    encoding: Mapped[str] = mapped_column(String(16))  # of ``body``: "br" (Brotli over UTF-8)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    # The HTTP status and headers the page was served with, as ``[[name, value], ...]`` in
    # the order received; NULL for pages kept before migration 0006 (the WARC export says so).
    http_status: Mapped[int | None] = mapped_column(Integer)
    http_headers: Mapped[list[list[str]] | None] = mapped_column(JSON)


class SourceLine(Base):
    """How many distinct articles of a source carried a line: learnt furniture.

    Lines are stored as 64-bit hashes (crawler.extract.furniture.line_hash).
    A line counted on enough pages is the source's furniture; lines seen once
    and not again for a long time are forgotten, so the table stays bounded.
    """

    __tablename__ = "source_lines"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    line_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    pages: Mapped[int] = mapped_column(Integer)
    last_seen: Mapped[datetime]


class SourcePassage(Base):
    """A passage a source's articles teach about one another (crawler.extract.passages).

    ``kind`` ``lead``, ``second`` and ``title``: the opening words, the second
    paragraph and the title of one article (``owner_hash``: its URL's hash),
    which on another article of the source mark a teaser (a lead followed by
    its own second paragraph is that story carried on, not a teaser). ``bio`` and ``bio_named``: a paragraph around the body
    of ``pages`` articles by one author (``owner_hash``: the author's hash),
    which is that author's bio once counted often enough. All hashes are 64-bit.
    """

    __tablename__ = "source_passages"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    passage_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    owner_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    pages: Mapped[int] = mapped_column(Integer)
    last_seen: Mapped[datetime]


class SourceSlot(Base):
    """An element path of a source's pages and what its articles showed there (crawler.extract.slots).

    ``pages``: the articles on which the path (a 64-bit hash) held text;
    ``noise_pages``: those on which all of it was removed as noise;
    ``body_pages``: those on which it held body text. A path with enough
    noise pages and no body page is a template slot.
    """

    __tablename__ = "source_slots"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    path_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    pages: Mapped[int] = mapped_column(Integer)
    noise_pages: Mapped[int] = mapped_column(Integer)
    body_pages: Mapped[int] = mapped_column(Integer)
    last_seen: Mapped[datetime]


class Cluster(Base):
    """One story carried by one or more articles: its representative's signature and key.

    ``key`` is what ``articles.cluster_id`` holds. The signature is the
    representative's MinHash at the time the cluster was founded; members
    join only when close to it, never by being close to another member.
    """

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class ClusterBand(Base):
    """The LSH band keys of each cluster's signature: the index near-duplicates are found by."""

    __tablename__ = "cluster_bands"

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("clusters.id"), primary_key=True, autoincrement=False
    )


class CrawlRun(Base):
    """One crawl of one source: when, how it ended, and what it counted."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)

    source: Mapped[SourceRow] = relationship()

    __table_args__ = (Index("ix_crawl_runs_source_id_started_at", "source_id", "started_at"),)


class RobotsTxt(Base):
    """An origin's robots.txt as last read with a 2xx (RFC 9309): its body and HTTP validators.

    While fresh (``fetched_at`` plus ``max_age``, the seconds its server's
    Cache-Control or Expires gave, or the source's ``robots_max_age`` when it
    gave none; at most 24 hours, RFC 9309 §2.4) a crawl uses these rules
    without asking. Once stale it asks with ``If-None-Match`` /
    ``If-Modified-Since`` and reads them again on a 304 (``fetched_at`` and
    ``max_age`` then renewed). One row per origin (``scheme://host[:port]``),
    whatever source reached it; a 4xx deletes it (no rules: everything
    allowed); a 5xx leaves it stale, so the next crawl asks again.
    """

    __tablename__ = "robots_txt"

    origin: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime]
    max_age: Mapped[int | None] = mapped_column(Integer)  # seconds; None: the server gave none


class RouteValidator(Base):
    """What the last complete read of a discovery route (feed, sitemap, section or home page) saw.

    The HTTP validators it was served with (RFC 9110 §8.8: ``ETag``,
    ``Last-Modified``) are sent back as ``If-None-Match`` / ``If-Modified-Since``;
    ``body_hash`` (SHA-256 hex of the body) catches servers that send neither.
    ``children`` are the routes it leads to (an index's sitemaps, a section's
    next pages, a home page's feeds), followed again when it is unchanged.
    """

    __tablename__ = "route_validators"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str] = mapped_column(String(64))
    children: Mapped[list[str]] = mapped_column(JSON, default=list)
