"""``crawler show`` and ``crawler diff`` in a terminal: Rich colours on a TTY, plain text when piped."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from crawler.console import make_console
from crawler.web.diff import Segment, plain, word_diff
from crawler.web.queries import ArticleDetail, VersionInfo

STYLES = {"same": "", "added": "bold green", "removed": "red strike"}


def _when(version: VersionInfo) -> str:
    return version.fetched_at.strftime("%Y-%m-%d %H:%M")


def print_article(article: ArticleDetail, console: Console | None = None) -> None:
    console = console or make_console()
    cur = article.current
    console.print(Text(cur.title, style="bold"))
    console.print(
        Text(
            f"{article.url}\n{article.source} · {article.status} · first seen "
            f"{article.first_seen:%Y-%m-%d %H:%M} · story {article.cluster_id or '-'}"
            + (f" · by {', '.join(cur.authors)}" if cur.authors else ""),
            style="dim",
        )
    )
    for v, change in zip(article.versions, article.changes(), strict=True):
        console.print(Text(f"  v{v.version}  {_when(v)}  {v.title}  ({change})"))
    console.print()
    console.print(Text(cur.text))


def print_diff(old: VersionInfo, new: VersionInfo, console: Console | None = None) -> None:
    console = console or make_console()
    head = f"version {old.version} ({_when(old)}) → {new.version} ({_when(new)})"
    title, text = word_diff(old.title, new.title), word_diff(old.text, new.text)
    if not console.is_terminal:
        console.file.write(f"{head}\ntitle: {plain(title)}\n\n{plain(text)}\n")
        return
    console.print(Text(head, style="dim"))
    console.print(Text("title: ") + _styled(title))
    console.print()
    console.print(_styled(text))


def _styled(segments: list[Segment]) -> Text:
    out = Text()
    for s in segments:
        out.append(s.text, style=STYLES[s.op])
    return out
