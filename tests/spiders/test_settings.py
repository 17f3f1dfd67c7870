"""The Scrapy settings built from a source."""

import copy

from scrapy.settings import BaseSettings

from crawler.config import parse
from crawler.crawl.settings import CrawlSettings, build_settings


def test_settings_follow_the_source() -> None:
    cfg = parse(
        {
            "defaults": {"user_agent": "ua/1", "concurrency_per_host": 2, "obey_robots": False},
            "sources": [
                {
                    "name": "a",
                    "feeds": ["https://a.example/f"],
                    "max_response_size": "1MB",
                    "timeout": "20s",
                    "retries": 5,
                    "max_crawl_delay": "90s",
                }
            ],
        }
    )
    s = build_settings(cfg.sources[0], "sqlite:///x.db")
    assert s["USER_AGENT"] == "ua/1"
    assert s["CRAWLER_OBEY_ROBOTS"] is False
    assert s["ROBOTSTXT_OBEY"] is False  # Scrapy's robots.txt check never runs; ours does
    assert s["CRAWLER_MAX_CRAWL_DELAY"] == 90
    assert s["AUTOTHROTTLE_MAX_DELAY"] == 90  # AutoThrottle may not undercut a kept Crawl-delay
    assert s["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert s["DOWNLOAD_MAXSIZE"] == 1_000_000
    assert s["DOWNLOAD_TIMEOUT"] == 20
    assert s["RETRY_TIMES"] == 5
    assert s["CRAWLER_DB_URL"] == "sqlite:///x.db"
    assert list(s["ITEM_PIPELINES"].values()) == sorted(s["ITEM_PIPELINES"].values())


def _snapshot(settings: BaseSettings) -> dict[str, object]:
    """Every setting's value and priority, nested settings as snapshots of their own."""
    return {
        name: (
            _snapshot(a.value) if isinstance(a.value, BaseSettings) else a.value,
            a.priority,
        )
        for name, a in settings.attributes.items()
    }


def test_a_crawl_s_settings_copy_as_scrapy_s_deep_copy_does() -> None:
    cfg = parse({"sources": [{"name": "a", "feeds": ["https://a.example/f"]}]})
    original = CrawlSettings(build_settings(cfg.sources[0], "sqlite:///x.db"))
    original.set("DOWNLOAD_DELAY", 3.0, priority="cmdline")
    original.freeze()
    twin = original.copy()
    assert type(twin) is CrawlSettings
    assert _snapshot(twin) == _snapshot(copy.deepcopy(original))
    assert twin.frozen  # a frozen original gives a frozen copy, as Scrapy's does
    before = _snapshot(original)
    thawed = original.copy()
    thawed.frozen = False
    thawed["RETRY_HTTP_CODES"].append(418)  # nothing in the copy is shared with the original
    thawed["DOWNLOADER_MIDDLEWARES"]["extra.Middleware"] = 1
    thawed.set("USER_AGENT", "other")
    assert _snapshot(original) == before
