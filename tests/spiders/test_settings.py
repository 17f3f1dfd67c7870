"""The Scrapy settings built from a source."""

from crawler.config import parse
from crawler.crawl.settings import build_settings


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
