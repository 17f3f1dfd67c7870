"""Every Scrapy setting a crawl uses, built in one pure function from the source's config."""

from __future__ import annotations

import copy
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings, Settings, SettingsAttribute

from crawler.config import Source
from crawler.middlewares.address_guard import source_is_private

# Scrapy's downloader middlewares that a crawl uses, at Scrapy's priorities. Left out, as
# with the extensions below: robots.txt and retries (ours replace them, at the same places),
# HTTP auth (none is configured), and those our settings turn off anyway (meta refresh,
# cookies, byte counts, the HTTP cache). Scrapy imports every class its lists name, even one
# set to None: what is left out costs a crawl process nothing (the cookies' tldextract).
DOWNLOADER_MIDDLEWARES_BASE = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware": 350,
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware": 400,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 500,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": 750,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.address_guard.AddressGuardMiddleware": 50,  # before robots.txt is asked
    # In place of Scrapy's (after the offsite filter at 50): Scrapy's lets requests queued
    # during the robots.txt download pass unchecked.
    "crawler.middlewares.robots.RobotsTxtMiddleware": 100,
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 550,  # in place of Scrapy's retries
    # Sees a 3xx before Scrapy's RedirectMiddleware (600): loops, off-site, too many: counted.
    "crawler.middlewares.redirect_drops.RedirectDropMiddleware": 650,
}
# Scrapy's spider middlewares, less depth (our own section_depth bounds pagination) and the
# detector of response.meta copied into requests (a debugging aid for spiders written by
# hand, run on every request a callback yields; ours never copy meta).
SPIDER_MIDDLEWARES_BASE = {
    "scrapy.spidermiddlewares.start.StartSpiderMiddleware": 25,
    "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": 50,
    "scrapy.spidermiddlewares.referer.RefererMiddleware": 700,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": 800,
}
# Scrapy's extensions, less its AutoThrottle (ours is in EXTENSIONS) and those our settings
# turn off anyway (the telnet console, the remote-control server, feed exports, close
# conditions, JOBDIR state, memory debugging, memory usage stats): each crawl process is
# spared their imports (aiohttp, twisted.conch) and each crawl their construction.
EXTENSIONS_BASE = {
    "scrapy.extensions.corestats.CoreStats": 0,  # finish_reason, read by the runner
    "scrapy.extensions.logcount.LogCount": 0,
    "scrapy.extensions.logstats.LogStats": 0,  # the progress line of -v (off below INFO)
}
# Flow order: extract, clean and fingerprint (one pipeline, in worker processes) → store.
# The store must be last: it counts outcomes.
ITEM_PIPELINES = {
    "crawler.pipelines.extract.ExtractPipeline": 100,
    "crawler.pipelines.store.StorePipeline": 900,
}


def private_addresses(source: Source) -> str:
    """``allow`` or ``refuse``: ``auto`` allows them only to a source whose routes are private."""
    if source.private_addresses != "auto":
        return source.private_addresses
    route_hosts = [urlsplit(url).hostname or "" for url in source.routes]
    return "allow" if source_is_private(route_hosts) else "refuse"


def build_settings(
    source: Source, db_url: str, log_level: str = "WARNING", workers: int | None = None
) -> dict[str, Any]:
    """Scrapy settings for crawling ``source`` into ``db_url``; ``workers``: the process's
    extraction worker processes (None: one per core)."""
    delay = source.download_delay.total_seconds()
    max_crawl_delay = source.max_crawl_delay.total_seconds()
    return {
        "BOT_NAME": "crawler",
        "USER_AGENT": source.user_agent,
        "ROBOTSTXT_OBEY": False,  # Scrapy's check; ours (crawler.middlewares.robots) instead:
        "CRAWLER_OBEY_ROBOTS": source.obey_robots,
        "CRAWLER_MAX_CRAWL_DELAY": max_crawl_delay,
        "CRAWLER_ROBOTS_MAX_AGE": source.robots_max_age.total_seconds(),
        # Politeness: per-host concurrency from config, AutoThrottle on top.
        "CONCURRENT_REQUESTS": max(16, source.concurrency_per_host * max(1, len(source.hosts))),
        "CONCURRENT_REQUESTS_PER_DOMAIN": source.concurrency_per_host,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": True,
        "EXTENSIONS_BASE": EXTENSIONS_BASE,
        "EXTENSIONS": {"crawler.crawl.throttle.RevisitAutoThrottle": 0},
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, max_crawl_delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(source.concurrency_per_host),
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "DOWNLOAD_TIMEOUT": source.timeout.total_seconds(),
        "DOWNLOAD_MAXSIZE": int(source.max_response_size),  # also caps decompressed size
        "DOWNLOAD_WARNSIZE": int(source.max_response_size) // 2,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": source.retries,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "RETRY_AFTER_MAX": 120.0,
        "RETRY_BACKOFF_BASE": 0.5,
        "REDIRECT_ENABLED": True,
        "REDIRECT_MAX_TIMES": 10,
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # An HTTP server in every crawl that runs Python code sent to it (token in a file
        # under $HOME): nothing a scheduled crawler should open.
        "REMOTE_CONTROL_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "DEPTH_LIMIT": 0,  # our own section_depth bounds pagination
        # Scrapy runs this many tasks per response over what its callback yields. Ours yield one
        # item, or requests that are only scheduled: 100 idle tasks per page cost 12% of a revisit.
        "CONCURRENT_ITEMS": 1,
        # Nothing of ours reads Scrapy's byte counts, which rebuild each response as raw HTTP.
        # (The Referer policy stays on: without it every crawl warns that redirects drop it.)
        "DOWNLOADER_STATS": False,
        "DEFAULT_DROPITEM_LOG_LEVEL": "DEBUG",
        "LOG_LEVEL": log_level,
        # Its INFO line shows only with -v: below that the extension is not even made.
        "LOGSTATS_INTERVAL": 15.0 if log_level in ("INFO", "DEBUG") else 0.0,
        # Peak-memory stats that nothing reads, with a timer per crawl: a crawl's memory is
        # its batch child's, which exits after the batch.
        "MEMUSAGE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES_BASE": DOWNLOADER_MIDDLEWARES_BASE,
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "SPIDER_MIDDLEWARES_BASE": SPIDER_MIDDLEWARES_BASE,
        # http(s) only: a feed or redirect naming file://, data:, ftp:// or s3:// gets nothing.
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "ftp": None, "s3": None},
        "CRAWLER_PRIVATE_ADDRESSES": private_addresses(source),
        "ITEM_PIPELINES": ITEM_PIPELINES,
        # Ours, read by the pipelines:
        "CRAWLER_DB_URL": db_url,
        "CRAWLER_EXTRACT_WORKERS": workers or 0,
        "CRAWLER_STORE_BATCH": 50,
        "CRAWLER_STORE_RETRY_S": source.store_retry.total_seconds(),
        # Our callbacks are linted; the check parses their source on every response.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
    }


_S = TypeVar("_S", bound=BaseSettings)


class CrawlSettings(Settings):
    """Scrapy's :class:`~scrapy.settings.Settings`, with a faster :meth:`copy`.

    Scrapy's ``Crawler`` copies its settings when made, by ``copy.deepcopy``,
    which takes each of Scrapy's 200-odd defaults (and the dicts in them) apart
    through the pickle protocol: 3.8 ms a crawl, measured, about a tenth of
    an idle source's poll in a batch. The copy here builds the same thing from
    Scrapy's own parts, each setting a new ``SettingsAttribute`` of a deep copy
    of its value at its priority, in 0.8 ms. Equal to Scrapy's copy, priorities
    included, and as independent of the original (tested).
    """

    def copy(self) -> Self:
        return _copied(self)


def _copied(settings: _S) -> _S:
    twin = copy.copy(settings)  # the same class and frozen flag; attributes replaced below
    twin.attributes = {
        name: SettingsAttribute(
            _copied(a.value) if isinstance(a.value, BaseSettings) else copy.deepcopy(a.value),
            a.priority,
        )
        for name, a in settings.attributes.items()
    }
    return twin
