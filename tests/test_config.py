"""sources.yaml validation: good files load, each kind of bad file gets its own one-line message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from crawler.cli import cli
from crawler.config import ConfigError, load, parse, parse_duration

GOOD = """
defaults:
  schedule: {every: 30m}
  obey_robots: true
  user_agent: "crawler (+https://example.org/bot)"
  concurrency_per_host: 4
  revisit: {within_days: 7, min_interval: 1h}
sources:
  - name: pub0
    feeds: [https://pub0.example/feed.xml]
  - name: pub1
    sitemaps: [https://pub1.example/sitemap.xml]
  - name: pub2
    start_urls: [https://pub2.example/section/ai]
    schedule: {cron: "0 * * * *"}
    concurrency_per_host: 2
"""


def test_contract_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    cfg = load(path)
    assert [s.name for s in cfg.sources] == ["pub0", "pub1", "pub2"]
    pub0, _, pub2 = cfg.sources
    assert pub0.schedule.every == timedelta(minutes=30)
    assert pub0.revisit.min_interval == timedelta(hours=1)
    assert pub2.schedule.cron == "0 * * * *"
    assert pub2.concurrency_per_host == 2
    assert pub0.concurrency_per_host == 4
    assert pub2.hosts == ["pub2.example"]
    assert cfg.source("pub1").sitemaps == ["https://pub1.example/sitemap.xml"]


def test_defaults_apply_when_absent() -> None:
    cfg = parse({"sources": [{"name": "a", "feeds": ["http://a.example/f"]}]})
    src = cfg.sources[0]
    assert src.obey_robots is True
    assert src.concurrency_per_host == 4
    assert src.max_response_size == 5 * 1024 * 1024
    assert (src.sitemap_max_depth, src.max_sitemaps) == (3, 100)
    assert src.max_crawl_delay.total_seconds() == 30


def test_a_home_page_alone_is_a_route_and_names_the_hosts() -> None:
    cfg = parse({"sources": [{"name": "a", "home": "https://pub.example/", "max_sitemaps": 5}]})
    src = cfg.sources[0]
    assert src.routes == ["https://pub.example/"]
    assert src.hosts == ["pub.example"]
    assert src.max_sitemaps == 5


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("30m", 1800),
        ("1h", 3600),
        ("7d", 604800),
        ("1h30m", 5400),
        ("0s", 0),
        ("250ms", 0.25),
    ],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("bad", ["30", "5x", "h", "", "1.5h", "-3m", "30 minutes"])
def test_bad_durations(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(bad)


FEED = ["https://a.example/feed.xml"]

BAD_CONFIGS = {
    "unknown top-level key": (
        {"source": [], "sources": [{"name": "a", "feeds": FEED}]},
        "top level: key 'source': unknown key (did you mean 'sources'?)",
    ),
    "typo in a source key": (
        {"sources": [{"name": "a", "feed": FEED}]},
        "source 'a': key 'feed': unknown key (did you mean 'feeds'?)",
    ),
    "typo in defaults": (
        {"defaults": {"obey_robot": True}, "sources": [{"name": "a", "feeds": FEED}]},
        "defaults: key 'obey_robot': unknown key (did you mean 'obey_robots'?)",
    ),
    "no routes": (
        {"sources": [{"name": "a"}]},
        "source 'a': key '(whole entry)': a source needs at least one of 'feeds', 'sitemaps', "
        "'start_urls' or 'home'",
    ),
    "home not a URL": (
        {"sources": [{"name": "a", "home": "pub.example"}]},
        "source 'a': key 'home': 'pub.example' is not an http(s) URL",
    ),
    "sitemap depth negative": (
        {"defaults": {"sitemap_max_depth": -1}, "sources": [{"name": "a", "feeds": FEED}]},
        "defaults: key 'sitemap_max_depth': Input should be greater than or equal to 0",
    ),
    "ftp url": (
        {"sources": [{"name": "a", "feeds": ["ftp://a.example/feed.xml"]}]},
        "source 'a': key 'feeds': 'ftp://a.example/feed.xml' is not an http(s) URL",
    ),
    "url without host": (
        {"sources": [{"name": "a", "start_urls": ["https:///section"]}]},
        "source 'a': key 'start_urls': 'https:///section' is not an http(s) URL",
    ),
    "duplicate names": (
        {"sources": [{"name": "a", "feeds": FEED}, {"name": "a", "feeds": FEED}]},
        "source 'a': key 'name': duplicate source name 'a'",
    ),
    "bad duration": (
        {"sources": [{"name": "a", "feeds": FEED, "schedule": {"every": "5x"}}]},
        "source 'a': key 'schedule.every': invalid duration '5x'",
    ),
    "bad cron": (
        {"sources": [{"name": "a", "feeds": FEED, "schedule": {"cron": "61 * * * *"}}]},
        "source 'a': key 'schedule.cron': invalid cron expression '61 * * * *'",
    ),
    "every and cron": (
        {
            "sources": [
                {"name": "a", "feeds": FEED, "schedule": {"every": "1h", "cron": "0 * * * *"}}
            ]
        },
        "source 'a': key 'schedule': give exactly one of 'every' or 'cron'",
    ),
    "concurrency zero": (
        {"defaults": {"concurrency_per_host": 0}, "sources": [{"name": "a", "feeds": FEED}]},
        "defaults: key 'concurrency_per_host': Input should be greater than or equal to 1",
    ),
    "max_crawl_delay a bare number": (
        {"defaults": {"max_crawl_delay": 30}, "sources": [{"name": "a", "feeds": FEED}]},
        "defaults: key 'max_crawl_delay': invalid duration 30",
    ),
    "obey_robots not a bool": (
        {"sources": [{"name": "a", "feeds": FEED, "obey_robots": "sometimes"}]},
        "source 'a': key 'obey_robots': Input should be a valid boolean",
    ),
    "missing name": (
        {"sources": [{"feeds": FEED}]},
        "source #1: key 'name': required key is missing",
    ),
    "bad name": (
        {"sources": [{"name": "has space", "feeds": FEED}]},
        "source 'has space': key 'name': String should match pattern",
    ),
    "no sources": ({"defaults": {}}, "top level: key 'sources': expected a non-empty list"),
    "bad regex": (
        {"sources": [{"name": "a", "feeds": FEED, "article_url_pattern": "(["}]},
        "source 'a': key 'article_url_pattern': invalid regular expression '(['",
    ),
    "unknown revisit key": (
        {"sources": [{"name": "a", "feeds": FEED, "revisit": {"within": 3}}]},
        "source 'a': key 'revisit.within': unknown key (did you mean 'within_days'?)",
    ),
    "feeds not a list": (
        {"sources": [{"name": "a", "feeds": "https://a.example/feed.xml"}]},
        "source 'a': key 'feeds': Input should be a valid list",
    ),
}


BAD_CONFIGS["robots.txt reused over a day"] = (
    {"sources": [{"name": "a", "feeds": FEED, "robots_max_age": "2d"}]},
    "source 'a': key 'robots_max_age': 2d is longer than 24h, the most a robots.txt may be "
    "reused (RFC 9309 §2.4)",
)
BAD_CONFIGS["an empty duration"] = (
    {"sources": [{"name": "a", "feeds": FEED, "timeout": None}]},
    "source 'a': key 'timeout': invalid duration (empty): use a number and a unit",
)


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config_message(case: str, tmp_path: Path) -> None:
    data, expected = BAD_CONFIGS[case]
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources: [\n  - name: a\n")
    with pytest.raises(ConfigError, match=r"sources\.yaml: line \d+: not valid YAML"):
        load(path)


@pytest.mark.parametrize(
    ("content", "line", "context"),
    [
        ('sources:\n  - name: "abc\n', 2, "quoted scalar"),  # unterminated string, last line
        ("sources:\n  - name: a\n    feeds: [x, y\n", 3, "flow sequence"),
        ("sources: {\n", 1, "flow"),
    ],
)
def test_yaml_error_at_the_end_points_at_a_line_that_exists(
    content: str, line: int, context: str, tmp_path: Path
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: line {line}: not valid YAML: ")
    assert line <= len(content.splitlines())
    assert context in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read: No such file"):
        load(tmp_path / "nope.yaml")


SEVERAL_TYPOS = """
defaults:
  schedul: {every: 30m}
  timeout: fast
sources:
  - name: a
    feed: [https://a.example/feed.xml]
  - name: b
    max_pages: lots
    feeds: https://b.example/feed.xml
  - name: a
    sitemaps: [https://a.example/sitemap.xml]
daemon:
  batch_size: 0
colour: blue
"""


def test_every_problem_of_a_file_is_named_once_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SEVERAL_TYPOS)
    with pytest.raises(ConfigError) as info:
        load(path)
    where = [p.removeprefix(f"{path}: ").split(": ")[:2] for p in info.value.problems]
    assert where == [
        ["top level", "key 'colour'"],
        ["defaults", "key 'schedul'"],
        ["defaults", "key 'timeout'"],  # reported once, not again for each source
        ["source 'a'", "key 'feed'"],
        ["source 'b'", "key 'max_pages'"],
        ["source 'b'", "key 'feeds'"],
        ["source 'a'", "key 'name'"],  # the duplicate, though the first 'a' is bad too
        ["daemon", "key 'batch_size'"],
    ]
    assert all("\n" not in p for p in info.value.problems)
    assert str(info.value) == "; ".join(info.value.problems), "one line for a log"


@pytest.mark.parametrize(
    ("content", "keys"),
    [
        (yaml.safe_dump({"sources": [{"name": "a", "feed": FEED}]}), ["feed"]),
        (
            SEVERAL_TYPOS,
            ["colour", "schedul", "timeout", "feed", "max_pages", "feeds", "name", "batch_size"],
        ),
    ],
)
def test_cli_bad_config_exits_2_with_one_line_per_problem(
    content: str, keys: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(content)
    db_file = tmp_path / "crawler.db"
    result = CliRunner().invoke(
        cli, ["crawl", "--config", str(path), "--db", f"sqlite:///{db_file}"]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == len(keys)
    for line, key in zip(lines, keys, strict=True):
        assert line.startswith(f"error: {path}: ")
        assert f"key {key!r}" in line
    assert not db_file.exists(), "nothing may be written for a bad config"


def test_cli_unknown_source_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD)
    result = CliRunner().invoke(cli, ["crawl", "--config", str(path), "--source", "nope"])
    assert result.exit_code == 2
    assert "no source named 'nope'" in result.output


def test_the_tech_news_example_is_valid_and_every_source_has_a_route() -> None:
    cfg = load(Path(__file__).resolve().parents[1] / "examples" / "tech-news.yaml")
    assert len(cfg.sources) >= 30
    for source in cfg.sources:
        assert source.routes, source.name
        assert all(url.startswith("https://") for url in source.routes), source.name
    busy = cfg.source("the-verge").schedule.every
    quiet = cfg.source("github-blog").schedule.every
    assert busy is not None
    assert quiet is not None
    assert busy < quiet
