"""The Scrapy components a crawl leaves out of its settings: each replaced by ours, or off anyway."""

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.settings import default_settings
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from crawler.config import parse
from crawler.crawl.settings import (
    DOWNLOADER_MIDDLEWARES_BASE,
    EXTENSIONS_BASE,
    SPIDER_MIDDLEWARES_BASE,
    build_settings,
)

# Scrapy's, left out because ours take their place (or, for HTTP auth, nothing configures it).
REPLACED = {
    "scrapy.extensions.throttle.AutoThrottle": "crawler.crawl.throttle.RevisitAutoThrottle",
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": (
        "crawler.middlewares.robots.RobotsTxtMiddleware"
    ),
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": (
        "crawler.middlewares.retry_after.RetryAfterMiddleware"
    ),
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    # Pagination depth is our section_depth; our callbacks never copy response.meta.
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
LEFT_OUT = sorted(
    (set(default_settings.EXTENSIONS_BASE) - set(EXTENSIONS_BASE))
    | (set(default_settings.DOWNLOADER_MIDDLEWARES_BASE) - set(DOWNLOADER_MIDDLEWARES_BASE))
    | (set(default_settings.SPIDER_MIDDLEWARES_BASE) - set(SPIDER_MIDDLEWARES_BASE))
)


def _settings() -> dict[str, object]:
    cfg = parse({"sources": [{"name": "a", "feeds": ["https://a.example/feed"]}]})
    return build_settings(cfg.sources[0], "sqlite:///x.db")


def test_only_components_that_would_be_off_are_left_out() -> None:
    assert "scrapy.extensions.remote_control.RemoteControl" in LEFT_OUT  # it imports aiohttp
    crawler = get_crawler(Spider, _settings())
    for path in LEFT_OUT:
        if path in REPLACED:
            continue
        with pytest.raises(NotConfigured):  # with our settings Scrapy would not use it either
            build_from_crawler(load_object(path), crawler)


def test_replacements_are_in_place() -> None:
    settings = _settings()
    ours = {**settings["EXTENSIONS"], **settings["DOWNLOADER_MIDDLEWARES"]}  # type: ignore[dict-item]
    for path, replacement in REPLACED.items():
        assert path in LEFT_OUT
        if replacement is not None:
            assert replacement in ours


def test_what_is_kept_keeps_scrapys_order() -> None:
    for path, priority in DOWNLOADER_MIDDLEWARES_BASE.items():
        assert default_settings.DOWNLOADER_MIDDLEWARES_BASE[path] == priority
    for path, priority in SPIDER_MIDDLEWARES_BASE.items():
        assert default_settings.SPIDER_MIDDLEWARES_BASE[path] == priority
    for path in EXTENSIONS_BASE:
        assert path in default_settings.EXTENSIONS_BASE


def test_the_progress_line_is_made_only_where_it_shows() -> None:
    crawler = get_crawler(Spider, _settings())  # WARNING: INFO lines go nowhere
    with pytest.raises(NotConfigured):
        build_from_crawler(load_object("scrapy.extensions.logstats.LogStats"), crawler)
    cfg = parse({"sources": [{"name": "a", "feeds": ["https://a.example/feed"]}]})
    verbose = get_crawler(Spider, build_settings(cfg.sources[0], "sqlite:///x.db", "INFO"))
    build_from_crawler(load_object("scrapy.extensions.logstats.LogStats"), verbose)
