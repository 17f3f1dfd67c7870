"""A second family of five publishers' templates for ``bench/unseen_publishers.py``.

Written apart from the first family (``bench/unseen_templates.py``) to test
whether the rules tuned on it carry over: the same five kinds of template in
other real-world markup habits, and every noise kind in other shapes.

- ``cms``: a Ghost-like CMS (``gh-content``, ``kg-card`` cards, a bio card
  "About the author", replies in an ``<ol>``);
- ``grid``: Bootstrap grid div soup whose classes are utilities only
  (``col-md-8``, ``mb-3``, ``text-muted``), paragraphs as ``<div>``s;
- ``schema``: schema.org microdata, ``itemprop=articleBody``, authors as
  ``Person`` with a nested ``name``, comments as ``Comment`` items;
- ``oldtable``: a table layout with ``<center>``, ``<hr>``, ``<small>`` and
  ``<i>``, paragraphs split by ``<br><br>``;
- ``react``: a React server-rendered page, ``data-testid`` and hashed
  classes that change on every rendering, ``<figure>`` and ``<aside>``.

The noise shapes: a teaser as a ``<ul><li>`` card with a time or as a card
with a thumbnail; a bio as a ``<section>`` headed "About the author", a media
object with an avatar or an italic line after an ``<hr>``; a pull quote as
``<figure><blockquote>`` or a bordered ``<div>``; captions with the credit in
``<small>`` or ``<span class="credit">``; "See also", "Also read" and "Read
more" lines; comments in an ``<ol>`` with "says:" or "replied".
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from html import escape

from bench.unseen_markup import Page, hashed_class, head, story_body


def _ld(page: Page, kind: str, single_author: bool) -> str:
    """JSON-LD as CMSs write it: one author as an object, or a list, and the ``@type``."""
    s = page.story
    people = [{"@type": "Person", "name": a} for a in s.authors]
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": s.title,
        "datePublished": s.published.isoformat(),
        "author": people[0] if single_author and len(people) == 1 else people,
        "publisher": {"@type": "Organization", "name": page.site_name},
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _og(page: Page) -> str:
    s = page.story
    return (
        f'<meta property="og:site_name" content="{escape(page.site_name)}">'
        f'<meta property="og:title" content="{escape(s.title)}">'
        '<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{s.published.isoformat()}">'
    )


def _thumb(href: str) -> int:
    """A thumbnail's number for a card's link, the same on every run."""
    return zlib.crc32(href.encode()) % 997


def _slug(author: str) -> str:
    return author.lower().replace(" ", "-")


def cms(page: Page) -> str:
    """A Ghost-like CMS: ``gh-content``, ``kg-card`` cards, an author card, replies."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f"<p>{p}</p>",
        teaser=lambda t: (
            f'<div class="kg-card kg-html-card"><ul><li><a href="{t.href}">{escape(t.headline)}</a> '
            f'<time datetime="{s.published:%Y-%m-%d}">{s.published:%-d %b}</time>'
            f"<p>{escape(t.blurb)}</p></li></ul></div>"
        ),
        pull=lambda q: f'<blockquote class="kg-blockquote-alt">{escape(q)}</blockquote>',
        photo=lambda cap, credit: (
            '<figure class="kg-card kg-image-card kg-card-hascaption">'
            f'<img src="/content/images/2026/09/{s.slug.rsplit("/", 1)[-1]}.jpg" class="kg-image" '
            f'width="2000" height="1333" loading="lazy" alt=""><figcaption><span style="white-space: pre-wrap;">'
            f'{escape(cap)}</span> <span class="credit">{escape(credit)}</span></figcaption></figure>'
        ),
        more=lambda m: (
            f'<p><strong>See also:</strong> <a href="{m.href}">{escape(m.headline)}</a></p>'
        ),
    )
    bios = "".join(
        f'<section class="article-author-card gh-canvas"><h3>About the author</h3>'
        f'<div class="author-card-content"><h4><a href="/author/{_slug(a)}/">{escape(a)}</a></h4>'
        f"<p>{escape(b)}</p></div></section>"
        for a, b in page.bios
    )
    replies = "".join(
        f"<li><p><b>{escape(n)}</b> replied:</p><p>{escape(c)}</p></li>" for n, c in page.comments
    )
    replies = (
        f'<section class="gh-discuss gh-canvas"><h3>Responses</h3><ol>{replies}</ol></section>'
        if replies
        else ""
    )
    related = "".join(
        f'<article class="post-card"><a class="post-card-content-link" href="{r.href}">'
        f'<h2 class="post-card-title">{escape(r.headline)}</h2></a></article>'
        for r in page.related
    )
    related = (
        f'<aside class="read-more-wrap outer"><div class="read-more inner">{related}</div></aside>'
        if related
        else ""
    )
    cta = (
        f'<section class="footer-cta outer"><div class="inner"><h2 class="footer-cta-title">'
        f'{escape(page.newsletter)}</h2><a class="footer-cta-button" href="#/portal">Subscribe</a></div></section>'
        if page.newsletter
        else ""
    )
    byline = ", ".join(f'<a href="/author/{_slug(a)}/">{escape(a)}</a>' for a in s.authors)
    return (
        head(page, _ld(page, "Article", single_author=True) + _og(page))
        + '<body class="post-template"><div class="viewport">'
        f'<header id="gh-head" class="gh-head outer"><div class="gh-head-inner inner">'
        f'<a class="gh-head-logo" href="/">{escape(page.site_name)}</a><nav class="gh-head-menu">'
        '<ul class="nav"><li class="nav-news"><a href="/tag/news/">News</a></li>'
        '<li class="nav-about"><a href="/about/">About</a></li></ul></nav></div></header>'
        '<div class="site-content"><main id="site-main" class="site-main">'
        '<article class="article post tag-news"><header class="article-header gh-canvas">'
        '<section class="article-tag"><a href="/tag/news/">News</a></section>'
        f'<h1 class="article-title">{escape(s.title)}</h1><div class="article-byline">'
        f'<div class="article-byline-meta"><h4 class="author-name">{byline}</h4>'
        f'<div class="byline-meta-content"><time class="byline-meta-date" datetime="{s.published:%Y-%m-%d}">'
        f'{s.published:%-d %b %Y}</time><span class="byline-reading-time"> • 4 min read</span></div>'
        f'</div></div></header><section class="gh-content gh-canvas">{body}</section>{bios}'
        f"</article>{replies}{related}{cta}</main></div>"
        f'<footer class="site-footer outer"><div class="inner">{escape(page.site_name)} © 2026 '
        '<a href="https://ghost.example/">Powered by a CMS</a></div></footer></div></body></html>'
    )


def grid(page: Page) -> str:
    """Bootstrap grid div soup: utility classes only, paragraphs as ``<div>``s."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f'<div class="mb-3">{p}</div>',
        teaser=lambda t: (
            '<div class="card my-4 shadow-sm"><div class="row g-0"><div class="col-4">'
            f'<img src="/thumbs/{_thumb(t.href)}.jpg" class="img-fluid rounded-start" width="300" height="200" alt="">'
            '</div><div class="col-8"><div class="card-body">'
            f'<h5 class="card-title"><a href="{t.href}" class="stretched-link text-dark">{escape(t.headline)}</a></h5>'
            f'<p class="card-text small">{escape(t.blurb)}</p>'
            '<p class="card-text"><small class="text-muted">5 min read</small></p></div></div></div></div>'
        ),
        pull=lambda q: (
            '<div class="my-4 ps-3 border-start border-4 border-primary fst-italic fs-4">'
            f"{escape(q)}</div>"
        ),
        photo=lambda cap, credit: (
            f'<div class="my-4 text-center"><img src="/uploads/{s.key}.jpg" class="img-fluid rounded" '
            f'width="800" height="450" alt=""><div class="small text-muted mt-2">{escape(cap)} '
            f'<span class="fst-italic">{escape(credit)}</span></div></div>'
        ),
        more=lambda m: (
            f'<div class="mb-3 fw-semibold">Also read: <a href="{m.href}">{escape(m.headline)}</a></div>'
        ),
    )
    bios = "".join(
        '<div class="d-flex align-items-start border-top pt-4 mt-5">'
        f'<img class="rounded-circle me-3" src="/avatars/{_slug(a)}.png" width="72" height="72" alt="">'
        f'<div><div class="fw-bold">{escape(a)}</div><div class="text-muted small">{escape(b)}</div></div></div>'
        for a, b in page.bios
    )
    replies = "".join(
        f'<li class="border-bottom py-3"><div class="small"><strong>{escape(n)}</strong> replied</div>'
        f"<div>{escape(c)}</div></li>"
        for n, c in page.comments
    )
    replies = (
        f'<div class="mt-5"><div class="h5 mb-3">{len(page.comments)} responses</div>'
        f'<ol class="list-unstyled">{replies}</ol></div>'
        if replies
        else ""
    )
    popular = "".join(
        f'<li class="mb-2"><a href="{r.href}" class="text-dark">{escape(r.headline)}</a></li>'
        for r in page.related
    )
    side = (
        f'<div class="p-3 mb-4 bg-light rounded"><div class="h6 text-uppercase">Most popular</div>'
        f'<ol class="ps-3 mb-0">{popular}</ol></div>'
        if popular
        else ""
    )
    if page.newsletter:
        side += (
            f'<div class="p-4 bg-light rounded-3"><div class="fw-bold mb-2">{escape(page.newsletter)}</div>'
            '<form class="d-flex"><input class="form-control me-2" type="email">'
            '<button class="btn btn-primary">Sign up</button></form></div>'
        )
    authors = " and ".join(
        f'<a class="text-reset" href="/u/{_slug(a)}">{escape(a)}</a>' for a in s.authors
    )
    return (
        head(page, _og(page))
        + '<body class="bg-white"><nav class="navbar navbar-expand-lg navbar-light bg-light">'
        f'<div class="container"><a class="navbar-brand" href="/">{escape(page.site_name)}</a>'
        '<ul class="navbar-nav"><li class="nav-item"><a class="nav-link" href="/gadgets">Gadgets</a></li>'
        '<li class="nav-item"><a class="nav-link" href="/cloud">Cloud</a></li></ul></div></nav>'
        '<div class="container my-5"><div class="row"><div class="col-md-8">'
        '<div class="mb-4"><a class="badge bg-primary text-decoration-none" href="/tech">Tech</a>'
        f'<h1 class="display-5 fw-bold mt-2">{escape(s.title)}</h1>'
        f'<div class="text-muted small">By {authors} · {s.published:%b %-d, %Y}</div></div>'
        f'<div class="fs-5 lh-lg">{body}</div>{bios}{replies}</div>'
        f'<div class="col-md-4">{side}</div></div></div>'
        f'<div class="bg-dark text-white-50 py-4 text-center small">© 2026 {escape(page.site_name)}</div>'
        "</body></html>"
    )


def schema(page: Page) -> str:
    """schema.org microdata: ``articleBody``, ``Person`` authors with a nested name, ``Comment``s."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f"<p>{p}</p>",
        teaser=lambda t: (
            '<ul class="story-links"><li itemscope itemtype="https://schema.org/NewsArticle">'
            f'<time itemprop="datePublished" datetime="{s.published:%Y-%m-%d}">{s.published:%-d %b}</time> '
            f'<a itemprop="url" href="{t.href}"><span itemprop="headline">{escape(t.headline)}</span></a>'
            f'<p itemprop="description">{escape(t.blurb)}</p></li></ul>'
        ),
        pull=lambda q: (
            f"<figure><blockquote><p>{escape(q)}</p></blockquote>"
            f"<figcaption>{escape(s.authors[0])}</figcaption></figure>"
        ),
        photo=lambda cap, credit: (
            '<div itemprop="image" itemscope itemtype="https://schema.org/ImageObject">'
            f'<img itemprop="contentUrl" src="/media/{s.key}.jpg" width="1200" height="800">'
            f'<p itemprop="caption">{escape(cap)}</p><p><small itemprop="creditText">{escape(credit)}</small></p></div>'
        ),
        more=lambda m: f'<p><b>READ MORE »</b> <a href="{m.href}">{escape(m.headline)}</a></p>',
    )
    person = (
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<a itemprop="url" href="/staff/{slug}"><span itemprop="name">{name}</span></a></span>'
    )
    authors = " and ".join(person.format(slug=_slug(a), name=escape(a)) for a in s.authors)
    bios = "".join(
        f'<section class="about" itemscope itemtype="https://schema.org/Person"><h2>About the author</h2>'
        f'<p><strong itemprop="name">{escape(a)}</strong></p><p itemprop="description">{escape(b)}</p></section>'
        for a, b in page.bios
    )
    comments = "".join(
        '<li itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
        f'<p><span itemprop="author">{escape(n)}</span> says:</p><p itemprop="text">{escape(c)}</p></li>'
        for n, c in page.comments
    )
    comments = f"<section><h2>Your say</h2><ol>{comments}</ol></section>" if comments else ""
    further = "".join(f'<li><a href="{r.href}">{escape(r.headline)}</a></li>' for r in page.related)
    further = f"<div><h3>Further reading</h3><ul>{further}</ul></div>" if further else ""
    news = (
        f'<div class="box"><p>{escape(page.newsletter)}</p><form><input type="email"></form></div>'
        if page.newsletter
        else ""
    )
    return (
        head(page)
        + f'<body><div class="top"><a href="/">{escape(page.site_name)}</a> <a href="/topics">Topics</a></div>'
        '<article itemscope itemtype="https://schema.org/NewsArticle">'
        f'<meta itemprop="datePublished" content="{s.published.isoformat()}">'
        f'<h1 itemprop="headline">{escape(s.title)}</h1>'
        f'<p class="dek-meta">By {authors} | <time>{s.published:%d.%m.%Y}</time></p>'
        f'<div itemprop="articleBody">{body}</div>{bios}{comments}</article>{further}{news}'
        f"<p class='small'>{escape(page.site_name)} is published by Lab Bench Media.</p></body></html>"
    )


def oldtable(page: Page) -> str:
    """An old table layout: ``<center>``, ``<hr>``, ``<small>``, ``<i>``, paragraphs by ``<br><br>``."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f"{p}<br><br>",
        teaser=lambda t: (
            '<table border="0" cellpadding="3"><tr><td valign="top">'
            f'<img src="/thumbs/{_thumb(t.href)}.gif" width="80" height="60"></td>'
            f'<td><a href="{t.href}"><b>{escape(t.headline)}</b></a><br>{escape(t.blurb)}</td></tr></table><br>'
        ),
        pull=lambda q: (
            f'<center><i><font size="4">&ldquo;{escape(q)}&rdquo;</font></i></center><br>'
        ),
        photo=lambda cap, credit: (
            f'<center><img src="/photos/{s.key}.jpg" width="400" height="260"><br>'
            f"<i>{escape(cap)}</i><br><small>{escape(credit)}</small></center><br>"
        ),
        more=lambda m: f'<b>Also read:</b> <a href="{m.href}">{escape(m.headline)}</a><br><br>',
    )
    bios = "".join(f'<hr size="1" noshade><i>{escape(b)}</i><br>' for _, b in page.bios)
    letters = "".join(f"<b>{escape(n)}</b> says:<br>{escape(c)}<br><br>" for n, c in page.comments)
    letters = f"<hr><b>Readers' letters</b><br><br>{letters}" if letters else ""
    related = "".join(f'<a href="{r.href}">{escape(r.headline)}</a><br>' for r in page.related)
    news = f"<hr><small>{escape(page.newsletter)}</small>" if page.newsletter else ""
    authors = " and ".join(a.upper() for a in s.authors)
    return (
        f"<html><head><title>{escape(s.title)}</title></head>"
        '<body bgcolor="#FFFFF0" link="#000080"><center><table width="780" cellpadding="0" cellspacing="0" border="0">'
        f'<tr><td colspan="3" bgcolor="#003366"><font color="white" face="Arial" size="5"><b>{escape(page.site_name)}</b>'
        '</font></td></tr><tr><td width="150" valign="top" bgcolor="#eeeeee"><font face="Arial" size="2">'
        '<a href="/">Home</a><br><a href="/football/">Football</a><br><a href="/cricket/">Cricket</a><br>'
        f'<hr>{related}</font></td><td width="10">&nbsp;</td><td valign="top"><font face="Times New Roman" size="3">'
        f'<center><font size="5"><b>{escape(s.title)}</b></font></center><hr size="1" noshade>'
        f"<small>by {escape(authors)} | {s.published:%d %B %Y}</small><br><br>{body}{bios}{letters}{news}"
        '</font></td></tr><tr><td colspan="3"><center><small>Copyright 2026 '
        f"{escape(page.site_name)}. All rights reserved.</small></center></td></tr></table></center></body></html>"
    )


def react(page: Page) -> str:
    """A React server-rendered page: ``data-testid``, hashed classes, ``<figure>``, ``<aside>``."""
    s = page.story
    h = lambda slot: hashed_class(page, slot)  # noqa: E731
    body = story_body(
        page,
        para=lambda p: f'<p class="{h("p")}" data-testid="paragraph">{p}</p>',
        teaser=lambda t: (
            f'<div data-testid="story-card" class="{h("card")}"><a href="{t.href}" class="{h("cardlink")}">'
            f'<img src="/cdn/{_thumb(t.href)}.webp" width="160" height="90" alt="">'
            f'<div class="{h("cardtext")}"><h3 class="{h("cardh")}">{escape(t.headline)}</h3>'
            f'<p class="{h("cardp")}">{escape(t.blurb)}</p></div></a></div>'
        ),
        pull=lambda q: (
            f'<figure class="{h("pq")}"><blockquote class="{h("pqb")}"><p>{escape(q)}</p></blockquote></figure>'
        ),
        photo=lambda cap, credit: (
            f'<figure class="{h("fig")}"><div class="{h("img")}"><img src="/cdn/{s.key}.webp" '
            f'width="1280" height="720" alt=""></div><figcaption class="{h("figcap")}">'
            f'<span class="{h("capt")}">{escape(cap)}</span> <span class="{h("credit")}">{escape(credit)}</span>'
            "</figcaption></figure>"
        ),
        more=lambda m: (
            f'<p class="{h("p")}" data-testid="paragraph"><strong>Read more</strong> '
            f'<a href="{m.href}">{escape(m.headline)}</a></p>'
        ),
    )
    bios = "".join(
        f'<div data-testid="author-blurb" class="{h("blurb")}"><p class="{h("p")}"><em>{escape(b)}</em></p></div>'
        for _, b in page.bios
    )
    replies = "".join(
        f'<li class="{h("li")}"><div class="{h("who")}"><span class="{h("name")}">{escape(n)}</span> '
        f'<span class="{h("when")}">replied 2h ago</span></div><p class="{h("ctext")}">{escape(c)}</p></li>'
        for n, c in page.comments
    )
    replies = (
        f'<section data-testid="comments" class="{h("cs")}"><h2>Conversation</h2><ol class="{h("ol")}">'
        f"{replies}</ol></section>"
        if replies
        else ""
    )
    more = "".join(
        f'<li><a href="{r.href}" class="{h("rel")}">{escape(r.headline)}</a></li>'
        for r in page.related
    )
    more = (
        f'<aside class="{h("aside")}"><h2>More from {escape(page.site_name)}</h2><ul>{more}</ul></aside>'
        if more
        else ""
    )
    news = (
        f'<div data-testid="newsletter-promo" class="{h("nl")}"><p>{escape(page.newsletter)}</p>'
        '<form><input type="email"></form></div>'
        if page.newsletter
        else ""
    )
    authors = " and ".join(
        f'<a href="/by/{_slug(a)}" class="{h("authorlink")}">{escape(a)}</a>' for a in s.authors
    )
    return (
        head(page, _ld(page, "NewsArticle", single_author=False))
        + f'<body><div id="__next"><div class="{h("wrap")}"><header data-testid="site-header" class="{h("hdr")}">'
        f'<a href="/" aria-label="home">{escape(page.site_name)}</a><nav><a href="/stage">Stage</a>'
        '<a href="/screen">Screen</a></nav></header>'
        f'<main class="{h("main")}"><article data-testid="article" class="{h("art")}">'
        f'<div data-testid="headline-block"><span data-testid="kicker">Culture</span>'
        f'<h1 class="{h("h1")}">{escape(s.title)}</h1><div data-testid="byline" class="{h("by")}">'
        f'<span>By </span>{authors} <time datetime="{s.published.isoformat()}">{s.published:%B %-d, %Y}</time>'
        f'</div></div><div data-testid="article-body" class="{h("body")}">{body}{bios}</div></article>'
        f"{replies}{more}{news}</main>"
        f'<footer class="{h("foot")}">© {escape(page.site_name)}</footer></div></div></body></html>'
    )


TEMPLATES: dict[str, Callable[[Page], str]] = {
    "cms": cms,
    "grid": grid,
    "schema": schema,
    "oldtable": oldtable,
    "react": react,
}
