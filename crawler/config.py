"""sources.yaml → validated, typed settings.

Every value a crawl or the daemon uses comes from here, so a typo or a bad
value is caught before anything is fetched or written. A bad file raises
:class:`ConfigError` holding every problem found in it, each one line naming
the file, the source, the key and the problem; the CLI prints them, one a
line, and exits 2.
"""

from __future__ import annotations

import difflib
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeVar
from urllib.parse import urlsplit

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ByteSize,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)

_DURATION_PART = re.compile(r"(\d+)(ms|[smhd])")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_USER_AGENT = "crawler/0.1 (+https://example.org/bot)"


class ConfigError(Exception):
    """A sources.yaml that cannot be used.

    ``problems``: one line per problem (a file with three typos names all
    three, so one run finds them all): unknown top-level keys, then
    ``defaults:``, each source and ``daemon:``, each in file order. ``str()``
    joins them with ``"; "`` into a single line, for a log.
    """

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = list(problems)

    def __str__(self) -> str:
        return "; ".join(self.problems)


def parse_duration(value: object) -> timedelta:
    """Parse ``45s``, ``30m``, ``1h``, ``7d``, ``250ms`` or a sum such as ``1h30m``.

    Bare numbers are refused on purpose: ``30`` could mean seconds or minutes.
    """
    if isinstance(value, timedelta):
        return value
    text = str(value).strip().lower() if isinstance(value, str) else None
    if not text or _DURATION_PART.sub("", text) != "":
        shown = "(empty)" if value is None or text == "" else repr(value)
        raise ValueError(f"invalid duration {shown}: use a number and a unit, e.g. 45s, 30m, 1h")
    seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(text))
    return timedelta(seconds=seconds)


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _check_cron(value: str) -> str:
    try:
        CronTrigger.from_crontab(value)
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {value!r}: {exc}") from None
    return value


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
    return value


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
ROBOTS_MAX_FRESH = timedelta(hours=24)  # RFC 9309 §2.4: no cached robots.txt older than this


def _duration_text(value: timedelta) -> str:
    """``value`` as sources.yaml writes it, in its largest whole unit: ``2d``, ``25h``, ``90s``."""
    seconds = int(value.total_seconds())
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNIT_SECONDS[unit] == 0:
            return f"{seconds // _UNIT_SECONDS[unit]}{unit}"
    return f"{seconds}s"


def _robots_lifetime(value: timedelta) -> timedelta:
    if value > ROBOTS_MAX_FRESH:
        raise ValueError(
            f"{_duration_text(value)} is longer than 24h, the most a robots.txt may be reused "
            "(RFC 9309 §2.4)"
        )
    return value


RobotsLifetime = Annotated[
    timedelta, BeforeValidator(parse_duration), AfterValidator(_robots_lifetime)
]
HttpUrl = Annotated[str, AfterValidator(_check_http_url)]
Cron = Annotated[str, AfterValidator(_check_cron)]
Regex = Annotated[str, AfterValidator(_check_regex)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Schedule(_Strict):
    """When a source runs: ``every`` a duration or on a ``cron`` line, never both."""

    every: Duration | None = None
    cron: Cron | None = None
    jitter: Duration | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.every is None) == (self.cron is None):
            raise ValueError("give exactly one of 'every' or 'cron'")
        if self.every is not None and self.every <= timedelta(0):
            raise ValueError("'every' must be longer than 0s")
        return self


class Revisit(_Strict):
    """Which stored live articles a crawl fetches again (with conditional GET)."""

    within_days: StrictInt = Field(default=7, ge=0)
    min_interval: Duration = timedelta(hours=1)
    # Skip the conditional GET of an article whose sitemap <lastmod> is not after our
    # last fetch of it: the publisher says it has not changed. Off by default, since a
    # CMS that does not move <lastmod> on an edit would hide that edit.
    trust_lastmod: StrictBool = False


class CrawlSettings(_Strict):
    """Knobs shared by ``defaults:`` and every source (a source overrides them)."""

    schedule: Schedule = Schedule(every=timedelta(minutes=30))
    obey_robots: StrictBool = True
    # How long a robots.txt read is used without asking again when its server's Cache-Control
    # or Expires says nothing (theirs applies otherwise); 0s asks every crawl (conditionally).
    # Never more than 24 h (RFC 9309 §2.4); a 5xx is never kept.
    robots_max_age: RobotsLifetime = timedelta(hours=1)
    user_agent: str = Field(default=DEFAULT_USER_AGENT, min_length=1)
    concurrency_per_host: StrictInt = Field(default=4, ge=1, le=64)
    download_delay: Duration = timedelta(seconds=0.25)
    # A robots.txt Crawl-delay or Request-rate longer than download_delay is kept, up to this.
    max_crawl_delay: Duration = timedelta(seconds=30)
    timeout: Duration = timedelta(seconds=30)
    retries: StrictInt = Field(default=3, ge=0, le=10)
    # How long a failed database write is retried, with backoff, before its items are
    # given up (counted as lost; the run ends "partial").
    store_retry: Duration = timedelta(seconds=60)
    max_response_size: ByteSize = ByteSize(5 * 1024 * 1024)
    max_depth: StrictInt = Field(default=3, ge=0)
    max_pages: StrictInt = Field(default=1000, ge=1)
    # Sitemaps: how deep indexes may nest (the configured sitemap is depth 0) and how many
    # sitemap documents one crawl fetches. Without bounds an index of indexes never ends.
    sitemap_max_depth: StrictInt = Field(default=3, ge=0)
    max_sitemaps: StrictInt = Field(default=100, ge=1)
    revisit: Revisit = Revisit()
    # Private/loopback addresses (SSRF guard): "auto" allows them only to a source whose
    # routes are themselves private hosts.
    private_addresses: Literal["auto", "allow", "refuse"] = "auto"


class Source(CrawlSettings):
    """One publisher: its discovery routes plus any overridden settings."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    feeds: list[HttpUrl] = []
    sitemaps: list[HttpUrl] = []
    start_urls: list[HttpUrl] = []
    # A home page to find routes from: its <link rel="alternate"> feeds, its robots.txt
    # Sitemap: lines and the usual sitemap paths (crawler.spiders.discovery).
    home: HttpUrl | None = None
    article_url_pattern: Regex | None = None
    allowed_domains: list[str] | None = None

    @model_validator(mode="after")
    def _has_a_route(self) -> Self:
        if not (self.feeds or self.sitemaps or self.start_urls or self.home):
            raise ValueError(
                "a source needs at least one of 'feeds', 'sitemaps', 'start_urls' or 'home'"
            )
        return self

    @property
    def routes(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *self.start_urls, *([self.home] if self.home else [])]

    @property
    def hosts(self) -> list[str]:
        """Hosts this source may fetch from: ``allowed_domains`` or the routes' hosts."""
        if self.allowed_domains is not None:
            return list(self.allowed_domains)
        return sorted({urlsplit(url).hostname or "" for url in self.routes})


# Crawls one process runs side by side; the rest of its sources wait their turn. They share
# one store writer process and one extraction pool, so this bounds a batch's open crawls.
CRAWLS_AT_ONCE = 4


class DaemonSettings(_Strict):
    """How ``crawler daemon`` runs the sources' crawls (the ``daemon:`` section)."""

    max_parallel_crawls: StrictInt | None = Field(default=None, ge=1)  # None: the number of cores
    run_timeout: Duration = timedelta(hours=1)  # a crawl running longer is stopped, "timed_out"
    stop_timeout: Duration = timedelta(seconds=30)  # SIGTERM: crawls get this long to finish
    misfire_grace: Duration = timedelta(minutes=10)  # a run this late still runs (once)
    # Sources due together share one child (one start-up) up to this many; 1: a child each.
    # 100: the start-up (about 1.2 CPU-s) is about 0.012 CPU-s a source, half an idle poll's own
    # cost; a child's crash or deadline still reaches at most 100 runs (bench/many_sources.py).
    batch_size: StrictInt = Field(default=100, ge=1)
    # "local": crawls are children of the daemon. "queue": the daemon enqueues due runs on the
    # store's PostgreSQL (procrastinate) for `crawler worker`s anywhere; daemons elect one leader.
    mode: Literal["local", "queue"] = "local"
    leader_takeover: Duration = timedelta(seconds=60)  # a dead leader's standby takes over by then


class Config(_Strict):
    """The whole validated file."""

    defaults: CrawlSettings = CrawlSettings()
    sources: list[Source] = Field(min_length=1)
    daemon: DaemonSettings = DaemonSettings()

    def source(self, name: str) -> Source:
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources)
        raise ConfigError(f"no source named {name!r} (known: {known})")


def load(path: str | Path) -> Config:
    """Read and validate ``path``; raise :class:`ConfigError` naming every problem, one line each."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(content)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: {yaml_error(exc, content)}") from None
    return parse(raw, path)


def yaml_error(exc: yaml.YAMLError, content: str) -> str:
    """One line for a PyYAML error in ``content``: a line of the file that exists, and why.

    PyYAML marks an unterminated string or bracket at the end of the stream,
    one line past the last (PyYAML docs, "Errors"); the line where the
    unfinished thing started (its context mark) is where to look, and is named.
    """
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    lines = max(1, len(content.splitlines()))
    if mark is not None and mark.line >= lines and context_mark is not None:
        mark = context_mark
        problem = f"{problem} ({context})" if context else problem
    where = f"line {min(mark.line + 1, lines)}: " if mark else ""
    return f"{where}not valid YAML: {problem}"


def parse(raw: Any, path: str | Path = "<config>") -> Config:
    """Validate already-parsed YAML data; ``path`` only names the file in errors.

    Raises :class:`ConfigError` with every problem found: each unknown
    top-level key, each bad key of ``defaults:``, of each source and of
    ``daemon:``. A bad key of ``defaults:`` is reported there once, not again
    for each source that inherits it.
    """
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: top level: expected a mapping with 'sources:'")
    problems = [
        f"{path}: top level: key {key!r}: {_unknown_key(key, Config)}"
        for key in sorted(set(raw) - set(Config.model_fields))
    ]
    defaults_raw = raw.get("defaults") or {}
    defaults, bad_keys = _section(defaults_raw, "defaults", CrawlSettings, path, problems)
    inherited = (
        {k: v for k, v in defaults_raw.items() if k not in bad_keys}
        if isinstance(defaults_raw, dict)
        else {}
    )
    sources_raw = raw.get("sources")
    if not isinstance(sources_raw, list) or not sources_raw:
        problems.append(f"{path}: top level: key 'sources': expected a non-empty list of sources")
        sources_raw = []
    sources = []
    seen: set[str] = set()
    for index, entry in enumerate(sources_raw):
        label = _source_label(entry, index)
        if not isinstance(entry, dict):
            problems.append(f"{path}: {label}: expected a mapping with 'name:' and routes")
            continue
        name = entry.get("name")
        if isinstance(name, str) and name in seen:
            problems.append(f"{path}: {label}: key 'name': duplicate source name {name!r}")
        if isinstance(name, str):
            seen.add(name)
        try:
            sources.append(Source.model_validate({**inherited, **entry}))
        except ValidationError as exc:
            problems += _describe(exc, path, label, Source, entry)
    daemon, _ = _section(raw.get("daemon") or {}, "daemon", DaemonSettings, path, problems)
    if problems or defaults is None or daemon is None:  # a section is None only with a problem
        raise ConfigError(*problems)
    return Config(defaults=defaults, sources=sources, daemon=daemon)


M = TypeVar("M", bound=BaseModel)


def _section(
    raw: object, name: str, model: type[M], path: str | Path, problems: list[str]
) -> tuple[M | None, set[str]]:
    """A top-level mapping section (``defaults:``, ``daemon:``) validated as ``model``.

    Returns the model, or None with its problems added to ``problems``; and
    the section's keys that were at fault.
    """
    if not isinstance(raw, dict):
        problems.append(f"{path}: {name}: expected a mapping")
        return None, set()
    try:
        return model.model_validate(raw), set()
    except ValidationError as exc:
        problems += _describe(exc, path, name, model, raw)
        return None, {str(e["loc"][0]) for e in exc.errors() if e["loc"]}


def _source_label(entry: object, index: int) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"source {name!r}" if isinstance(name, str) else f"source #{index + 1}"


def _unknown_key(key: str, model: type[BaseModel]) -> str:
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key{hint}; allowed: {', '.join(allowed)}"


def _describe(
    exc: ValidationError,
    path: str | Path,
    label: str,
    model: type[BaseModel],
    raw: dict[str, Any],
) -> list[str]:
    """Each of pydantic's errors as ``file: where: key 'a.b': problem``.

    In the order of their keys in ``raw`` (the mapping as the file wrote it;
    pydantic orders by the model's fields, then unknown keys); errors about
    keys ``raw`` does not hold (inherited from ``defaults:``) come last.
    """
    order = {key: i for i, key in enumerate(raw)}
    errors = sorted(
        exc.errors(include_url=False),
        key=lambda err: order.get(str(err["loc"][0]) if err["loc"] else "", len(order)),
    )
    return [_describe_one(err, path, label, model) for err in errors]


def _describe_one(err: Any, path: str | Path, label: str, model: type[BaseModel]) -> str:
    loc = [str(part) for part in err["loc"] if not isinstance(part, int)]
    key = ".".join(loc) or "(whole entry)"
    if err["type"] == "extra_forbidden":
        owner: type[BaseModel] = model
        for part in loc[:-1]:
            annotation = owner.model_fields[part].annotation
            owner = annotation if isinstance(annotation, type) else owner
        message = _unknown_key(loc[-1], owner)
    elif err["type"] == "missing":
        message = "required key is missing"
    else:
        message = str(err["msg"]).removeprefix("Value error, ")
        if "input" in err and err["type"] not in {"value_error"}:
            message += f" (got {err['input']!r})"
    return f"{path}: {label}: key {key!r}: {message}"
