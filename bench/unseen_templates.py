"""Five publishers' templates for ``bench/unseen_publishers.py``, unlike any in tests/.

Each renders one :class:`Page` (a story, and the noise the page carries beside
it) as that publisher would: a WordPress-like theme with widgets, div soup
with hashed class names that change on every re-render, a schema.org
microdata article, an old table layout with ``<font>``, and a modern
``<article>``/``<section>`` page with ``data-`` attributes. Every noise kind
sits where such templates put it: bio boxes after the body, teaser cards and
pull quotes and photos inside it, "Read more:" lines, comments, related
stories and newsletter boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from bench.unseen_markup import Page, hashed_class, head, json_ld, story_body


def wordpress(page: Page) -> str:
    """A WordPress-like theme: entry-content, author box, comments, sidebar widgets."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f"<p>{p}</p>",
        teaser=lambda t: (
            f'<div class="wp-block-group embed-card"><h4><a href="{t.href}">{escape(t.headline)}</a></h4>'
            f"<p>{escape(t.blurb)}</p></div>"
        ),
        pull=lambda q: (
            f'<figure class="wp-block-pullquote"><blockquote><p>{escape(q)}</p></blockquote></figure>'
        ),
        photo=lambda cap, credit: (
            f'<figure class="wp-block-image size-large"><img src="/wp-content/uploads/{s.slug}.jpg" '
            f'width="1024" height="683" alt=""><figcaption>{escape(cap)} {escape(credit)}</figcaption></figure>'
        ),
        more=lambda m: (
            f'<p><strong>Read more:</strong> <a href="{m.href}">{escape(m.headline)}</a></p>'
        ),
    )
    bios = "".join(
        f'<div class="author-info"><div class="author-avatar"><img src="/avatar/{i}.png" width="60" height="60"></div>'
        f'<div class="author-description"><h2 class="author-title">About {escape(a)}</h2>'
        f'<p class="author-bio">{escape(b)}</p></div></div>'
        for i, (a, b) in enumerate(page.bios)
    )
    comments = "".join(
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<b class="fn">{escape(n)}</b> <span class="says">says:</span></footer>'
        f'<div class="comment-content"><p>{escape(c)}</p></div></article></li>'
        for n, c in page.comments
    )
    comments = (
        f'<div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol></div>'
        if comments
        else ""
    )
    related = "".join(f'<li><a href="{r.href}">{escape(r.headline)}</a></li>' for r in page.related)
    widgets = (
        f'<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{related}</ul></section>'
        if related
        else ""
    )
    if page.newsletter:
        widgets += (
            f'<section class="widget widget_text"><div class="textwidget"><p>{escape(page.newsletter)}</p>'
            '<form><input type="email"><button>Subscribe</button></form></div></section>'
        )
    byline = ", ".join(
        f'<span class="author vcard"><a class="url fn n" href="/author/{a.split()[0].lower()}">{escape(a)}</a></span>'
        for a in s.authors
    )
    return (
        head(page, json_ld(page))
        + f'<body class="post-template-default single single-post"><div id="page" class="site">'
        f'<header id="masthead" class="site-header"><p class="site-title"><a href="/">{page.site_name}</a></p>'
        '<nav id="site-navigation" class="main-navigation"><ul><li><a href="/news/">News</a></li>'
        '<li><a href="/about/">About</a></li></ul></nav></header>'
        '<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">'
        f'<article id="post-{s.slug.rsplit("-", 1)[-1]}" class="post type-post status-publish format-standard hentry">'
        f'<header class="entry-header"><h1 class="entry-title">{escape(s.title)}</h1>'
        f'<div class="entry-meta">By {byline} <time class="entry-date published" datetime="{s.published.isoformat()}">'
        f"{s.published:%B %d, %Y}</time></div></header>"
        f'<div class="entry-content">{body}</div>'
        '<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/news/">News</a></span></footer>'
        f"</article>{bios}"
        '<nav class="navigation post-navigation"><a href="/prev/">Previous post</a> <a href="/next/">Next post</a></nav>'
        f"{comments}</main></div>"
        f'<aside id="secondary" class="widget-area">{widgets}</aside></div>'
        f'<footer id="colophon" class="site-footer"><p>Proudly published by {page.site_name}</p></footer></div></body></html>'
    )


def soup(page: Page) -> str:
    """Div soup: hashed class names that change with each rendering, no semantic tags."""
    s = page.story
    h = lambda slot: hashed_class(page, slot)  # noqa: E731
    body = story_body(
        page,
        para=lambda p: f'<div class="{h("para")}">{p}</div>',
        teaser=lambda t: (
            f'<div class="{h("card")}"><a href="{t.href}" class="{h("cardlink")}"><span>{escape(t.headline)}</span></a>'
            f'<div class="{h("cardtext")}">{escape(t.blurb)}</div></div>'
        ),
        pull=lambda q: (
            f'<div class="{h("quote")}"><div class="{h("quotetext")}">{escape(q)}</div></div>'
        ),
        photo=lambda cap, credit: (
            f'<div class="{h("media")}"><div><img src="/i/{s.slug}.webp" width="800" height="450"></div>'
            f'<div class="{h("cap")}"><span>{escape(cap)}</span> <span class="{h("credit")}">{escape(credit)}</span></div></div>'
        ),
        more=lambda m: (
            f'<div class="{h("more")}">Read more: <a href="{m.href}">{escape(m.headline)}</a></div>'
        ),
    )
    bios = "".join(
        f'<div class="{h("bio")}"><div><img src="/a/{i}.jpg" width="48" height="48"></div><div><div>{escape(b)}</div></div></div>'
        for i, (a, b) in enumerate(page.bios)
    )
    comments = "".join(
        f'<div class="{h("c")}"><div class="{h("cn")}">{escape(n)}</div><div>{escape(c)}</div></div>'
        for n, c in page.comments
    )
    related = "".join(
        f'<div class="{h("rel")}"><a href="{r.href}"><div>{escape(r.headline)}</div></a></div>'
        for r in page.related
    )
    news = (
        f'<div class="{h("nl")}"><div>{escape(page.newsletter)}</div><input type="email"></div>'
        if page.newsletter
        else ""
    )
    authors = " and ".join(escape(a) for a in s.authors)
    return (
        head(page, json_ld(page))
        + f'<body><div id="root"><div class="{h("top")}"><a href="/">{page.site_name}</a>'
        f'<div class="{h("menu")}"><a href="/world">World</a><a href="/tech">Tech</a></div></div>'
        f'<div class="{h("main")}"><div class="{h("head")}"><h1 class="{h("h1")}">{escape(s.title)}</h1>'
        f'<div class="{h("by")}">By {authors}</div><div class="{h("date")}">{s.published:%d %b %Y, %H:%M}</div></div>'
        f'<div class="{h("body")}">{body}</div>{bios}'
        f'<div class="{h("comments")}">{comments}</div>'
        f'<div class="{h("related")}">{related}</div>{news}</div>'
        f'<div class="{h("foot")}">© {page.site_name}</div></div></body></html>'
    )


def microdata(page: Page) -> str:
    """A schema.org microdata article: itemprop=articleBody, an aside pull quote, figures."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f"<p>{p}</p>",
        teaser=lambda t: (
            f'<aside class="inline-promo"><p class="promo-head"><a href="{t.href}">{escape(t.headline)}</a></p>'
            f'<p class="promo-summary">{escape(t.blurb)}</p></aside>'
        ),
        pull=lambda q: f'<aside class="pullquote"><p>“{escape(q)}”</p></aside>',
        photo=lambda cap, credit: (
            '<figure itemprop="image" itemscope itemtype="https://schema.org/ImageObject">'
            f'<img itemprop="url" src="/media/{s.slug}.jpg" width="960" height="540">'
            f'<figcaption><span itemprop="caption">{escape(cap)}</span> '
            f'<span itemprop="creditText">{escape(credit)}</span></figcaption></figure>'
        ),
        more=lambda m: (
            f'<p class="see-also">Read more: <a href="{m.href}">{escape(m.headline)}</a></p>'
        ),
    )
    authors = ", ".join(
        f'<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{escape(a)}</span></span>'
        for a in s.authors
    )
    bios = "".join(
        f'<div class="contributor" itemscope itemtype="https://schema.org/Person"><strong itemprop="name">{escape(a)}</strong>'
        f'<p itemprop="description">{escape(b)}</p></div>'
        for a, b in page.bios
    )
    comments = "".join(
        f'<div class="reader-comment" itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
        f'<span itemprop="author">{escape(n)}</span><p itemprop="text">{escape(c)}</p></div>'
        for n, c in page.comments
    )
    related = "".join(
        f'<li itemscope itemtype="https://schema.org/NewsArticle"><a itemprop="url" href="{r.href}">'
        f'<span itemprop="headline">{escape(r.headline)}</span></a></li>'
        for r in page.related
    )
    news = f'<div class="signup"><p>{escape(page.newsletter)}</p></div>' if page.newsletter else ""
    return (
        head(page) + f'<body><div class="masthead"><a href="/">{page.site_name}</a></div>'
        '<div class="wrap" itemscope itemtype="https://schema.org/NewsArticle">'
        f'<h1 itemprop="headline">{escape(s.title)}</h1><div class="byline">By {authors} · '
        f'<time itemprop="datePublished" datetime="{s.published.isoformat()}">{s.published:%d %B %Y}</time></div>'
        f'<div itemprop="articleBody">{body}</div>{bios}'
        f'<div class="discussion">{comments}</div></div>'
        f'<div class="more-stories"><h3>More stories</h3><ul>{related}</ul></div>{news}'
        f"<div class='legal'>{page.site_name} Media Group</div></body></html>"
    )


def table(page: Page) -> str:
    """An old table layout: <font>, <br>, photo tables inside the cell, comments as rows."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f"<p>{p}</p>",
        teaser=lambda t: (
            f'<p><b><a href="{t.href}">{escape(t.headline)}</a></b><br>{escape(t.blurb)}</p>'
        ),
        pull=lambda q: (
            f'<table width="40%" align="left" bgcolor="#eeeeee"><tr><td><font size="4"><i>{escape(q)}</i></font></td></tr></table>'
        ),
        photo=lambda cap, credit: (
            f'<table width="300" align="right" cellpadding="4"><tr><td><img src="/pics/{s.slug}.gif" width="300" height="200"></td></tr>'
            f'<tr><td><font size="1">{escape(cap)}<br>{escape(credit)}</font></td></tr></table>'
        ),
        more=lambda m: (
            f'<p><font size="2">Read more: <a href="{m.href}">{escape(m.headline)}</a></font></p>'
        ),
    )
    bios = "".join(f'<p><font size="1"><i>{escape(b)}</i></font></p>' for _, b in page.bios)
    comments = "".join(
        f'<tr><td bgcolor="#f0f0f0"><font size="2"><b>{escape(n)} wrote:</b><br>{escape(c)}</font></td></tr>'
        for n, c in page.comments
    )
    comments = (
        f'<table width="100%"><tr><td><b>Your views</b></td></tr>{comments}</table>'
        if comments
        else ""
    )
    related = "".join(f'<a href="{r.href}">{escape(r.headline)}</a><br>' for r in page.related)
    news = f'<p><font size="1">{escape(page.newsletter)}</font></p>' if page.newsletter else ""
    authors = " &amp; ".join(escape(a) for a in s.authors)
    return (
        head(
            page,
            f'<meta name="author" content="{", ".join(s.authors)}">'
            f'<meta name="date" content="{s.published:%Y-%m-%d}">',
        )
        + '<body bgcolor="#ffffff"><table width="760" border="0" cellspacing="0"><tr>'
        f'<td colspan="2"><font face="Georgia" size="6">{page.site_name}</font></td></tr><tr>'
        '<td width="160" valign="top"><font size="2"><a href="/">Front page</a><br><a href="/local/">Local</a><br>'
        f'<a href="/sport/">Sport</a><br><br><b>Also in the news</b><br>{related}</font></td>'
        f'<td valign="top"><font face="Verdana" size="2"><b><font size="5">{escape(s.title)}</font></b><br>'
        f"By {authors}<br>{s.published:%d/%m/%Y}<br>{body}{bios}</font>{comments}{news}</td></tr>"
        f'<tr><td colspan="2"><font size="1">Copyright {page.site_name}</font></td></tr></table></body></html>'
    )


def modern(page: Page) -> str:
    """A modern page: <article> of <section data-component=...> blocks, a <footer> bio."""
    s = page.story
    body = story_body(
        page,
        para=lambda p: f'<section data-component="text-block"><p>{p}</p></section>',
        teaser=lambda t: (
            f'<section data-component="story-card" data-target="{t.href}"><a href="{t.href}">'
            f"<h3>{escape(t.headline)}</h3></a><p>{escape(t.blurb)}</p></section>"
        ),
        pull=lambda q: (
            f'<section data-component="quote"><blockquote><p>{escape(q)}</p></blockquote></section>'
        ),
        photo=lambda cap, credit: (
            f'<section data-component="image-block"><figure><picture><img src="/img/{s.slug}.avif" '
            f'loading="lazy" width="1200" height="675"></picture><figcaption><p data-role="caption">{escape(cap)}</p>'
            f'<p data-role="credit">{escape(credit)}</p></figcaption></figure></section>'
        ),
        more=lambda m: (
            f'<section data-component="text-block"><p><b>Read more:</b> <a href="{m.href}">{escape(m.headline)}</a></p></section>'
        ),
    )
    bios = "".join(
        f'<section data-component="author-card"><h4>{escape(a)}</h4><p>{escape(b)}</p></section>'
        for a, b in page.bios
    )
    comments = "".join(
        f'<li data-comment-id="{i}"><b>{escape(n)}</b><p>{escape(c)}</p></li>'
        for i, (n, c) in enumerate(page.comments)
    )
    comments = (
        f'<section data-component="comments"><ol>{comments}</ol></section>' if comments else ""
    )
    related = "".join(f'<li><a href="{r.href}">{escape(r.headline)}</a></li>' for r in page.related)
    news = (
        f'<section data-component="newsletter"><p>{escape(page.newsletter)}</p></section>'
        if page.newsletter
        else ""
    )
    authors = " and ".join(
        f'<a href="/people/{a.split()[1].lower()}" data-role="author">{escape(a)}</a>'
        for a in s.authors
    )
    return (
        head(page, json_ld(page) + '<meta property="og:type" content="article">')
        + f'<body><header data-component="masthead"><a href="/">{page.site_name}</a></header>'
        f'<main><article data-article-id="{s.key}"><header data-component="headline"><h1>{escape(s.title)}</h1>'
        f'<p data-component="byline">By {authors}</p><time datetime="{s.published.isoformat()}">{s.published:%-d %B %Y}</time></header>'
        f"{body}<footer>{bios}</footer></article>{comments}"
        f'<section data-component="related"><h2>Related stories</h2><ul>{related}</ul></section>{news}</main>'
        f'<footer data-component="site-footer">{page.site_name}</footer></body></html>'
    )


TEMPLATES: dict[str, Callable[[Page], str]] = {
    "wordpress": wordpress,
    "soup": soup,
    "microdata": microdata,
    "table": table,
    "modern": modern,
}
