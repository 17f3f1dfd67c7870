"""``crawler serve``: a read-only web app over the store, and the same data as JSON under /api/.

Starlette with Jinja2 templates, no front-end build. Stored text is untrusted
(it is whatever publishers served), so templates autoescape everything; the
only routes are GETs; the engine is read-only (the database refuses writes);
search terms are bound parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from crawler import __version__
from crawler.config import Config
from crawler.schedule.status import source_statuses
from crawler.store import runs
from crawler.store.db import session_scope
from crawler.web import changes, queries
from crawler.web.chart import daily_chart
from crawler.web.diff import versions_to_compare, word_diff

TEMPLATES = Environment(
    loader=PackageLoader("crawler.web", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _int(request: Request, name: str, default: int, minimum: int | None = None) -> int:
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        raise HTTPException(400, f"{name} must be a number") from None
    if minimum is not None and value < minimum:
        raise HTTPException(400, f"{name} must be {minimum} or more")
    return value


def _day(request: Request, name: str) -> date | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name} must be a date, YYYY-MM-DD") from None


class Views:
    """Each view reads once, in one read-only transaction, then renders HTML or JSON."""

    def __init__(self, engine: Engine, config: Config | None) -> None:
        self.engine = engine
        self.config = config

    def _read(self, fn: Callable[[Session], Any]) -> Any:
        with session_scope(self.engine) as session:
            return fn(session)

    @staticmethod
    def _render(request: Request, name: str, data: dict[str, Any]) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(_jsonable(data))
        return HTMLResponse(TEMPLATES.get_template(name).render(request=request, **data))

    async def sources(self, request: Request) -> Response:
        now = datetime.now(UTC)

        def read(s: Session) -> dict[str, Any]:
            return {
                "sources": source_statuses(s, self.config, now),
                "days": queries.daily_counts(s, now),
            }

        data = self._read(read)
        if not request.url.path.startswith("/api/"):
            data["chart"] = daily_chart(data["days"], now.date())
        return self._render(request, "sources.html", data)

    async def articles(self, request: Request) -> Response:
        p = request.query_params
        status = p.get("status", "")
        if status not in ("", *queries.STATUSES):
            raise HTTPException(400, f"status must be one of {', '.join(queries.STATUSES)}")
        f = queries.ArticleFilter(
            q=p.get("q", "")[:200],
            source=p.get("source", ""),
            status=status,
            since=_day(request, "since"),
            until=_day(request, "until"),
            page=_int(request, "page", 1, minimum=1),
        )
        found = self._read(lambda s: queries.list_articles(s, f))
        return self._render(request, "articles.html", {"filter": f, "found": found})

    def _article(self, request: Request) -> queries.ArticleDetail:
        url = request.query_params.get("url", "")
        article = self._read(lambda s: queries.article_detail(s, url))
        if article is None:
            raise HTTPException(404, "no such article")
        return article

    async def article(self, request: Request) -> Response:
        article = self._article(request)
        data = {"article": article, "changes": article.changes()}
        return self._render(request, "article.html", data)

    async def diff(self, request: Request) -> Response:
        article = self._article(request)
        given = [
            _int(request, name, 0) if name in request.query_params else None
            for name in ("from", "to")
        ]
        try:
            pair = versions_to_compare(article.current.version, *given)
        except ValueError as exc:
            raise HTTPException(404, str(exc)) from None
        if pair is None:
            raise HTTPException(404, "this article has one version: nothing to compare")
        old, new = (article.version(n) for n in pair)
        data = {
            "article": article,
            "old": old,
            "new": new,
            "title": word_diff(old.title, new.title),
            "text": word_diff(old.text, new.text),
        }
        return self._render(request, "diff.html", data)

    async def cluster(self, request: Request) -> Response:
        key = request.path_params["key"]
        members = self._read(lambda s: queries.cluster_members(s, key))
        if not members:
            raise HTTPException(404, "no such story")
        return self._render(request, "cluster.html", {"key": key, "members": members})

    async def changes_feed(self, request: Request) -> Response:
        """``/changes.atom[?source=NAME]``: the newest edits, retitles and deletions (RFC 4287)."""
        source = request.query_params.get("source") or None

        def read(s: Session) -> list[changes.Change]:
            if source is not None and not changes.known_source(s, source):
                raise HTTPException(404, f"no such source: {source}")
            return changes.recent_changes(s, source)

        found = self._read(read)
        base = str(request.base_url)
        query = f"?source={quote(source, safe='')}" if source else ""
        page = TEMPLATES.get_template("changes.atom").render(
            source=source,
            entries=[changes.feed_entry(change, base) for change in found],
            self_url=f"{base}changes.atom{query}",
            articles_url=f"{base}articles{query}",
            updated=found[0].at if found else datetime.now(UTC),
            version=__version__,
        )
        return Response(page, media_type="application/atom+xml; charset=utf-8")

    async def stories(self, request: Request) -> Response:
        found = self._read(queries.list_stories)
        return self._render(request, "stories.html", {"stories": found})

    async def runs(self, request: Request) -> Response:
        source = request.query_params.get("source", "")
        found = self._read(lambda s: runs.recent_runs(s, source or None))
        return self._render(request, "runs.html", {"source": source, "runs": found})


async def _error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    page = TEMPLATES.get_template("error.html").render(request=request, error=exc)
    return HTMLResponse(page, status_code=exc.status_code)


def make_app(engine: Engine, config: Config | None = None) -> Starlette:
    """The app over ``engine`` (make it with ``read_only=True``); ``config`` adds next due runs."""
    views = Views(engine, config)
    pages = {
        "/": views.sources,
        "/articles": views.articles,
        "/article": views.article,
        "/diff": views.diff,
        "/stories": views.stories,
        "/story/{key}": views.cluster,
        "/runs": views.runs,
    }
    routes = [Route(path, view, methods=["GET"]) for path, view in pages.items()]
    routes += [
        Route("/api" + ("/sources" if path == "/" else path), view, methods=["GET"])
        for path, view in pages.items()
    ]
    routes.append(Route("/changes.atom", views.changes_feed, methods=["GET"]))
    return Starlette(routes=routes, exception_handlers={HTTPException: _error})
