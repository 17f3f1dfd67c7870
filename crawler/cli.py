"""The ``crawler`` command: parse, call, print.

Exit 0 done, 2 bad config or arguments, 3 a crawl finished ``partial`` (some
items could not be stored), 1 anything else.

A database that cannot be opened (a wrong ``--db``, an unreachable server, no
store yet for a read command) is a bad argument: one line, exit 2; one that
cannot be written is one line, exit 1. ``-v`` adds the traceback.

Each command imports what it runs (Scrapy, Rich, the web app) when it runs:
``--help`` stays quick, and so does every extraction worker, which re-imports
the main module when it starts.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from crawler import __version__
from crawler.config import Config, ConfigError, Source, load
from crawler.store import db

EXIT_PARTIAL = 3  # a crawl ran to its end but lost items: see its run's errors
CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("sources.yaml"),
    show_default=True,
    help="sources.yaml to read.",
)


def _config_if_there(
    _ctx: click.Context, _param: click.Parameter, value: Path | None
) -> Path | None:
    """``--config``, else ``./sources.yaml`` when there is one (as ``crawl`` reads), else None."""
    default = Path("sources.yaml")
    return value if value is not None else (default if default.is_file() else None)


OPTIONAL_CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    callback=_config_if_there,
    help="sources.yaml, for the next due runs  [default: ./sources.yaml if there, else none]",
)
DB_OPTION = click.option(
    "--db",
    "db_url",
    default=None,
    help=f"SQLAlchemy URL  [default: ${db.ENV_VAR}, else {db.DEFAULT_URL}]",
)


def load_config(path: Path) -> Config:
    """Load ``path`` or exit 2 with its problems on stderr, one a line."""
    try:
        return load(path)
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(2)


def load_sources(path: Path, names: tuple[str, ...]) -> list[Source]:
    """The named sources of ``path`` (all of them if none are named), or exit 2 saying why."""
    cfg = load_config(path)
    try:
        return [cfg.source(name) for name in names] or cfg.sources
    except ConfigError as exc:
        click.echo(f"error: {path}: {exc}", err=True)
        sys.exit(2)


def _parse_duration(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> timedelta | None:
    from crawler.config import parse_duration

    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _parse_since(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date or time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Command(click.Command):
    """A command whose database failures are one line on stderr (see the module docstring)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except db.StoreError as exc:
            self._fail(ctx, str(exc), exc.exit_code)
        except SQLAlchemyError as exc:  # a fault after the database was opened
            url = db.redact(ctx.params.get("db_url") or db.DEFAULT_URL)
            self._fail(ctx, f"database error on {url}: {db.open_reason(exc)}", 1)

    @staticmethod
    def _fail(ctx: click.Context, message: str, code: int) -> None:
        if ctx.params.get("verbose"):
            traceback.print_exc()
        click.echo(f"error: {message}", err=True)
        ctx.exit(code)


class Group(click.Group):
    command_class = Command
    group_class = type  # subgroups (``db``, ``sources``) are Groups too


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crawler")
def cli() -> None:
    """Scheduled news crawler: discover, fetch politely, extract, dedupe, keep versions."""


def _log_level(verbose: int) -> str:
    return {0: "WARNING", 1: "INFO"}.get(verbose, "DEBUG")


@cli.command()
@CONFIG_OPTION
@click.option(
    "--source",
    "source_names",
    multiple=True,
    help="Only this source (repeatable)  [default: every source]",
)
@DB_OPTION
@click.option("-v", "--verbose", count=True, help="-v for progress, -vv for every request.")
@click.option(
    "--run-timeout",
    default=None,
    callback=_parse_duration,
    help="Stop each source's crawl this long after it starts (e.g. 1h), recorded timed_out  "
    "[default: no limit]",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Extraction worker processes, shared by the crawls  [default: one per core]",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No summary on stdout (each run is recorded: `crawler status` shows it)",
)
def crawl(
    config_path: Path,
    source_names: tuple[str, ...],
    db_url: str | None,
    verbose: int,
    run_timeout: timedelta | None,
    workers: int | None,
    quiet: bool,
) -> None:
    """Crawl every source (or just --source NAME) once, then exit."""
    sources = load_sources(config_path, source_names)
    url = db.resolve_url(db_url)

    from crawler.crawl.runner import crawl_sources, run_with_reactor

    db.upgrade(url)
    level = _log_level(verbose)
    summaries = run_with_reactor(
        lambda: crawl_sources(sources, url, level, run_timeout, workers), level
    )
    if not quiet:  # the table and each source's health flags: 7% of an idle child of 100
        from crawler.summary import print_summaries

        print_summaries(summaries, _flags(url, [s.source for s in summaries]))
    for s in summaries:
        if s.status == "skipped":
            click.echo(f"{s.source}: {s.errors[0]}", err=True)
    if any(s.status not in {"ok", "skipped", "partial"} for s in summaries):
        sys.exit(1)
    if any(s.status == "partial" for s in summaries):
        sys.exit(EXIT_PARTIAL)


@cli.command()
@CONFIG_OPTION
@DB_OPTION
@click.option(
    "--metrics-port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Serve Prometheus metrics on this TCP port  [default: off]",
)
@click.option(
    "--metrics-host", default="127.0.0.1", show_default=True, help="Address for --metrics-port."
)
@click.option("-v", "--verbose", count=True, help="-v to log APScheduler's own decisions too.")
def daemon(
    config_path: Path, db_url: str | None, metrics_port: int | None, metrics_host: str, verbose: int
) -> None:
    """Run every source on its schedule, due sources crawled together in child processes, until SIGTERM/SIGINT."""
    import asyncio

    from crawler.schedule.daemon import Daemon

    config = load_config(config_path)  # exit 2 on a bad file, before anything starts
    _log_to_stderr(verbose)
    url = db.resolve_url(db_url)
    if config.daemon.mode == "queue" and not url.startswith("postgresql"):
        click.echo(
            "error: daemon mode 'queue' needs a PostgreSQL --db (the queue lives there)", err=True
        )
        sys.exit(2)
    db.upgrade(url)
    metrics = None
    if metrics_port:
        from crawler.schedule.metrics import Metrics  # prometheus_client, only when asked for

        metrics = Metrics()
        metrics.serve(metrics_port, metrics_host)
    sys.exit(asyncio.run(Daemon(config_path, url, metrics).run()))


def _flags(url: str, names: list[str]) -> dict[str, list[str]]:
    from crawler.health import source_flags

    engine = db.make_engine(url, write=False)
    with db.session_scope(engine) as session:
        found = {name: source_flags(session, name) for name in names}
    engine.dispose()
    return found


def _log_to_stderr(verbose: int) -> None:
    import logging

    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("apscheduler").setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("procrastinate").setLevel(logging.INFO if verbose else logging.WARNING)
    # Alembic's INFO (its plugins, each migration) was 17 lines at a first start, before ours.
    logging.getLogger("alembic").setLevel(logging.INFO if verbose else logging.WARNING)


@cli.command()
@click.option(
    "--db",
    "db_url",
    default=None,
    help=f"PostgreSQL SQLAlchemy URL (the queue lives there); else ${db.ENV_VAR}  [required]",
)
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Crawls this worker runs at once.",
)
@click.option(
    "--stalled-after",
    default="30s",
    show_default=True,
    help="A worker silent this long (a duration: 30s, 5m, 1h) is presumed dead; its job runs again.",
)
@click.option("-v", "--verbose", count=True, help="-v to log the queue's own decisions too.")
def worker(db_url: str | None, concurrency: int, stalled_after: str, verbose: int) -> None:
    """Take "crawl source X" jobs from the queue (daemon mode 'queue'), each in a child process."""
    import asyncio

    from crawler.config import parse_duration
    from crawler.schedule.queue import run_worker

    _log_to_stderr(verbose)
    url = db.resolve_url(db_url)
    if not url.startswith("postgresql"):
        click.echo(
            "error: crawler worker needs a PostgreSQL --db (the queue lives there)", err=True
        )
        sys.exit(2)
    try:
        stalled = parse_duration(stalled_after)
    except ValueError as exc:
        click.echo(f"error: --stalled-after: {exc}", err=True)
        sys.exit(2)
    db.upgrade(url)
    asyncio.run(run_worker(url, concurrency, stalled))


@cli.command()
@OPTIONAL_CONFIG_OPTION
@DB_OPTION
def status(config_path: Path | None, db_url: str | None) -> None:
    """Per source: last run, outcome, counts, next due run and last error (read from the database)."""
    from crawler.schedule.status import print_statuses, source_statuses

    config = load_config(config_path) if config_path else None
    engine = _read_engine(db_url)
    with db.session_scope(engine) as session:
        statuses = source_statuses(session, config, datetime.now(UTC))
    engine.dispose()
    print_statuses(statuses)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port to listen on (0: any free one).",
)
@OPTIONAL_CONFIG_OPTION
@DB_OPTION
def serve(host: str, port: int, config_path: Path | None, db_url: str | None) -> None:
    """Browse articles, versions, diffs, stories and crawl runs (read-only web app and /api/)."""
    import uvicorn

    from crawler.web.app import make_app

    config = load_config(config_path) if config_path else None
    engine = _read_engine(db_url)  # exit 2 now, not an error page per request later
    # Bound here, so that the port said is the one listened on (with --port 0 too).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(socket.SOMAXCONN)
    except OSError as exc:
        listener.close()
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    bound = listener.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    click.echo(f"serving {db.redact(db.resolve_url(db_url))} read-only on http://{shown}:{bound}/")
    server = uvicorn.Server(uvicorn.Config(make_app(engine, config), log_level="warning"))
    server.run(sockets=[listener])


def _read_engine(db_url: str | None) -> Any:
    """A read-only engine on the store, which must exist (:func:`db.require_store`)."""
    url = db.resolve_url(db_url)
    db.require_store(url)
    return db.make_engine(url, read_only=True)


def _article_or_exit(url: str, db_url: str | None) -> Any:
    """The stored article ``url`` names, however it is typed (see ``typed_url_keys``), or exit 1."""
    from crawler.canonical import typed_url_keys
    from crawler.web.queries import article_detail

    engine = _read_engine(db_url)
    with db.session_scope(engine) as session:
        found = (article_detail(session, key) for key in typed_url_keys(url))
        article = next((a for a in found if a is not None), None)
    engine.dispose()
    if article is None:  # a URL the store does not hold: an argument to fix (exit 2)
        click.echo(f"error: no stored article at {url}", err=True)
        sys.exit(2)
    return article


@cli.command()
@click.argument("url")
@DB_OPTION
def show(url: str, db_url: str | None) -> None:
    """One article: its metadata, version timeline and current text."""
    from crawler.web.terminal import print_article

    print_article(_article_or_exit(url, db_url))


@cli.command()
@click.argument("url")
@click.option(
    "--from",
    "from_",
    type=int,
    default=None,
    help="Older version number, from 1  [default: the one before --to]",
)
@click.option(
    "--to", type=int, default=None, help="Newer version number  [default: the current one]"
)
@DB_OPTION
def diff(url: str, from_: int | None, to: int | None, db_url: str | None) -> None:
    """Word diff between two versions of an article (coloured on a terminal, marked when piped)."""
    from crawler.web.diff import versions_to_compare
    from crawler.web.terminal import print_diff

    article = _article_or_exit(url, db_url)
    try:
        pair = versions_to_compare(article.current.version, from_, to)
    except ValueError as exc:
        click.echo(f"error: {article.url}: {exc}", err=True)
        sys.exit(2)
    if pair is None:
        click.echo(f"{article.url} has one version only: nothing to compare")
        return
    print_diff(article.version(pair[0]), article.version(pair[1]))


@cli.command()
@DB_OPTION
def demo(db_url: str | None) -> None:
    """Crawl the bundled offline demo publisher twice, editing one article in between."""
    from crawler.demo.run import run_demo  # the demo site is only loaded when asked for

    result = run_demo(db.resolve_url(db_url))
    if any(s.status != "ok" for s in result.first + result.second):
        sys.exit(1)


def _stored_source_or_exit(url: str, name: str | None) -> None:
    """Exit 2 with one line when ``name`` is given and the store at ``url`` has no such source."""
    from crawler.store.articles import source_id

    if name is None:
        return
    engine = db.make_engine(url, write=False)
    with db.session_scope(engine) as session:
        known = source_id(session, name) is not None
    engine.dispose()
    if not known:
        click.echo(f"error: no source named {name!r} in the database", err=True)
        sys.exit(2)


EXPORT_FORMATS = ("jsonl", "csv", "parquet", "warc")
BINARY_FORMATS = frozenset({"parquet", "warc"})


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: JSON lines, one article a line with its versions; csv and parquet: one row per "
    "version; warc: each kept page as served, and what was extracted from it.",
)
@click.option("--source", default=None, help="Only this source  [default: every source]")
@click.option(
    "--since",
    default=None,
    callback=_parse_since,
    help="Only articles changed at or after this ISO 8601 date or time (2026-03-01, "
    "2026-03-01T12:00, 2026-03-01T12:00+02:00), UTC unless it has an offset  [default: all]",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file (replaced whole at the end); parquet and warc on stdout need "
    "a pipe or file, not a terminal  [default: stdout]",
)
@DB_OPTION
def export(
    fmt: str, source: str | None, since: datetime | None, output: Path | None, db_url: str | None
) -> None:
    """Write what is stored: jsonl (one article a line), csv or parquet (one row per
    version), or warc (each kept page and what was extracted from it)."""
    from crawler.store.export import ExportError
    from crawler.store.export_tables import require_pyarrow

    try:
        if fmt == "parquet":
            require_pyarrow()
        if output is None and fmt in BINARY_FORMATS and sys.stdout.isatty():
            raise ExportError(f"{fmt} is binary: give -o FILE, or pipe stdout")
        if output is not None and not output.parent.is_dir():
            raise ExportError(f"-o {output}: no such directory {output.parent}")
    except ExportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    engine = _read_engine(db_url)
    _stored_source_or_exit(db.resolve_url(db_url), source)
    try:
        with db.session_scope(engine) as session, _export_target(output, fmt) as out:
            summary = _write_export(fmt, session, out, source, since, output)
    finally:
        engine.dispose()
    click.echo(summary, err=True)


@contextlib.contextmanager
def _export_target(output: Path | None, fmt: str) -> Iterator[Any]:
    """stdout, or a temporary file beside ``output`` that replaces it only when all is written."""
    binary = fmt in BINARY_FORMATS
    if output is None:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("wb") if binary else partial.open("w", encoding="utf-8", newline="") as f:
            yield f
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def _write_export(
    fmt: str,
    session: Any,
    out: Any,
    source: str | None,
    since: datetime | None,
    output: Path | None,
) -> str:
    """Write ``fmt`` to ``out``; a line saying what was written, for stderr."""
    from crawler.store import export_tables
    from crawler.store.export import iter_articles, iter_versions, iter_versions_with_pages

    if fmt == "jsonl":
        written = 0
        for article in iter_articles(session, source=source, since=since):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
            written += 1
        return f"wrote {written} article{'' if written == 1 else 's'}"
    if fmt == "csv":
        rows = export_tables.write_csv(iter_versions(session, source, since), out)
        return f"wrote {rows} versions"
    if fmt == "parquet":
        rows = export_tables.write_parquet(iter_versions(session, source, since), out)
        return f"wrote {rows} versions"
    from crawler.store.export_warc import write_warc

    name = output.name if output else ""
    counts = write_warc(iter_versions_with_pages(session, source, since), out, name)
    return (
        f"wrote {counts.responses} response and {counts.metadata} metadata records "
        f"({counts.without_page} versions had no kept page)"
    )


@cli.command()
@click.option("--source", default=None, help="Only this source  [default: every source]")
@DB_OPTION
def reextract(source: str | None, db_url: str | None) -> None:
    """Re-run extraction and cleaning over the stored pages, correcting versions in place."""
    from crawler.reextract import reextract as run_reextract

    url = db.resolve_url(db_url)
    db.upgrade(url)
    _stored_source_or_exit(url, source)
    report = run_reextract(url, source)
    click.echo(
        f"examined {report.examined} versions: {report.corrected} corrected, "
        f"{report.no_page} without a stored page, {report.no_text} left as they were "
        "(no text extracted now)"
    )
    for article_url, version in report.identical:
        click.echo(f"identical to the version before: {article_url} v{version}")


@cli.group("sources")
def sources_group() -> None:
    """The sources in a config file."""


@sources_group.command("check")
@CONFIG_OPTION
@click.option(
    "--source",
    "source_names",
    multiple=True,
    help="Only this source (repeatable)  [default: every source]",
)
def sources_check(config_path: Path, source_names: tuple[str, ...]) -> None:
    """Fetch each source's robots.txt and routes once; say what each yields, and why not.

    Exit 0 when every source yields candidate articles, 1 otherwise.
    """
    from crawler.sources_check import check_source, print_checks

    sources = load_sources(config_path, source_names)
    checks = [check_source(source) for source in sources]
    print_checks(checks)
    sys.exit(0 if all(c.yields for c in checks) else 1)


@cli.group("db")
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@DB_OPTION
def db_upgrade(db_url: str | None) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    url = db.resolve_url(db_url)
    db.upgrade(url)
    click.echo(f"database at {db.redact(url)} is at the newest schema", err=True)


def main() -> None:
    """Console-script entry point."""
    cli()
