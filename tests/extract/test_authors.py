"""Authors: people only, split where several are named, structured data before bylines."""

from __future__ import annotations

import pytest

from crawler.extract import parse_html
from crawler.extract.authors import Outlet, clean_authors, inverted, is_person
from crawler.extract.metadata import extract_metadata
from tests.extract.metadata_pages import prose

SITE = Outlet(names=frozenset({"demogazette"}), hosts=frozenset({"gazette", "gazette.example"}))


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Dana Whitfield, Senior Reporter", ["Dana Whitfield"]),
        ("Political Correspondent", []),
        ("Staff Writer", []),
        ("By Ann Lee and Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("Ann Lee, Bo Chen and Cy Dee", ["Ann Lee", "Bo Chen", "Cy Dee"]),
        ("Von Anna Berg und Jonas Keller", ["Anna Berg", "Jonas Keller"]),
        ("Par Louise Martin et Paul Roux", ["Louise Martin", "Paul Roux"]),
        ("Por Ana Y. López y Juan Gil", ["Ana Y. López", "Juan Gil"]),
        ("By Reuters", []),
        ("AP", []),
        ("Jill Lawless, Associated Press", ["Jill Lawless"]),
        ("Jill Lawless Associated Press", ["Jill Lawless"]),
        ("Associated Press in Valencia", []),
        ("Staff", []),
        ("Demo Gazette", []),
        ("Demo Gazette, Springfield, Illinois", []),  # the outlet and its address
        ("Emma Mackenzie (Image: Getty Images)", ["Emma Mackenzie"]),
        ("(Image: Getty Images/Cultura RF)", []),
        ("chuck-ross", []),
        ("d.kuckelkorn@example.org", []),
        ("https://example.org/author/ann", []),
        ("Elena Oberholzer (obe)", ["Elena Oberholzer"]),
        ("Sarah Lazare Twitter", ["Sarah Lazare"]),
        ("Di Eve", ["Di Eve"]),  # "di" is "by" in Italian, but only in lower case
        ("Ilana Muhlstein, MS, RDN", ["Ilana Muhlstein"]),
        ("By Ann Lee · March 1, 2026", ["Ann Lee"]),
        # a dateline place after the name is not a second author
        ("Von Anna Sleegers, Frankfurt", ["Anna Sleegers"]),
        ("By Ann Lee and Bo Chen, Paris", ["Ann Lee", "Bo Chen"]),
        ("By Ann Lee in Brussels and Bo Chen in Rio de Janeiro", ["Ann Lee", "Bo Chen"]),
        ("Ann Lee, Bo Chen", ["Ann Lee", "Bo Chen"]),
        # lower case: a desk's initials, a section's name; particles begin names
        ("ku Frankfurt", []),
        ("amw", []),
        ("red, Demo Gazette/ Agenturen", []),
        ("capital", []),
        ("Vincent van Gogh", ["Vincent van Gogh"]),
        ("van der Berg", ["van der Berg"]),
        ("al-Hassan Omar", ["al-Hassan Omar"]),
        # honorifics before a name are kept as written; credentials after it are roles
        ("von Dr. Max Kolter", ["Dr. Max Kolter"]),
        ("Prof. Dr. Jane Roe, PhD", ["Prof. Dr. Jane Roe"]),
        ("By Jane Roe MD", ["Jane Roe"]),  # without the comma too
        ("By Md Rafiqul Islam", ["Md Rafiqul Islam"]),  # before a name, the name's own
        ("PhD", []),
        # a slash and ideographic commas separate names; CJK roles follow the name
        ("Mathatisi Sebusi/Mohalenyane Phakela", ["Mathatisi Sebusi", "Mohalenyane Phakela"]),
        ("牛镛、岳弘彬", ["牛镛", "岳弘彬"]),
        ("신현주 기자", ["신현주"]),
        ("박준석 기자 외 1명", ["박준석"]),
        ("山田太郎記者", ["山田太郎"]),
        ("기자", []),
        # interface strings and labels
        ("Unsere Autorinnen und Autoren", []),
        # a wire credited "with" the writer, a dateline after a wire, a site's host name
        ("Anna Berg mit dpa", ["Anna Berg"]),
        ("By Ann Lee with AP", ["Ann Lee"]),
        ("Ann Lee with Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("Anna Berg mit Agenturen", ["Anna Berg"]),
        ("AFP, MANILA", []),
        ("Anna Berg, dpa, Berlin", ["Anna Berg"]),
        ("red, Example.at/ Agenturen", []),
        ("Example.co.uk", []),
        # a second writer credited for reporting; an editor after "Editing by" is none
        ("Ann Lee with additional reporting by Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("By Ann Lee, with additional reporting by Bo Chen in Paris", ["Ann Lee", "Bo Chen"]),
        ("Reporting by Ann Lee; Editing by Bo Chen", ["Ann Lee"]),
        ("Additional reporting by Bo Chen", ["Bo Chen"]),
        # a wire's service after its name is the wire; a hyphenated name stays a name
        ("Anna Berg/dpa-AFX", ["Anna Berg"]),
        ("APA-OTS", []),
        ("Ria-Maria Lang", ["Ria-Maria Lang"]),
        # a desk and an Indian wire
        ("Editorial", []),
        ("PTI, Washington", []),
        ("J.Smith", ["J.Smith"]),  # an initial, not a host
        ("By VALLEY POST STAFF", []),  # a desk: "staff" is its role, not a wire after a name
    ],
)
def test_bylines(byline: str, names: list[str]) -> None:
    assert clean_authors([byline], SITE) == names


def test_names_once_in_order_and_the_site_never() -> None:
    assert clean_authors(["Ann Lee", "Bo Chen and Ann Lee", "gazette"], SITE) == [
        "Ann Lee",
        "Bo Chen",
    ]
    assert not is_person("Gazette Online", SITE)  # the site's name first
    assert not is_person("gazette.example", SITE)
    # a host names the outlet in one word only: a personal site keeps its author
    assert is_person("Paul Graham", Outlet(hosts=frozenset({"paulgraham", "paulgraham.com"})))
    assert not is_person("Stuttgarter Zeitung", Outlet(hosts=frozenset({"stuttgarter-zeitung"})))
    assert authors(
        '<meta name="author" content="Paul Graham">', url="https://paulgraham.example/a"
    ) == ["Paul Graham"]


def test_an_acronym_the_site_name_begins_with_is_the_site() -> None:
    lbc = Outlet(names=frozenset({"lbcilebanon"}))
    assert clean_authors(["LBCI"], lbc) == []
    assert clean_authors(["Lina Haddad"], lbc) == ["Lina Haddad"]
    assert clean_authors(["LBC"], Outlet(names=frozenset({"demogazette"}))) == ["LBC"]


def test_dublin_core_names_read_last_first() -> None:
    assert inverted("Brazil, Rachel") == "Rachel Brazil"
    assert inverted("Ann Lee") == "Ann Lee"
    assert inverted("Lee, Ann, Bo") == "Lee, Ann, Bo"


def authors(head: str, body: str = "", url: str = "https://www.demogazette.example/a") -> list[str]:
    tree = parse_html(
        f'<html><head><title>T</title><meta property="og:site_name" content="Demo Gazette">'
        f"{head}</head><body><h1>Headline</h1>{body}</body></html>"
    )
    assert tree is not None
    return extract_metadata(tree, url).authors


BYLINE = '<p class="byline">By Fay Gee and Hal Ivy</p>'


def test_jsonld_list_beats_a_byline_and_references_resolve() -> None:
    ld = (
        '<script type="application/ld+json">{"@graph": ['
        '{"@type": "NewsArticle", "author": [{"@id": "#p1"}, {"@type": "Person", "name": "Bo Chen"}]},'
        '{"@type": "Person", "@id": "#p1", "name": "Ann Lee"}]}</script>'
    )
    assert authors(ld, BYLINE) == ["Ann Lee", "Bo Chen"]


def test_structured_values_are_cleaned_and_organisations_skipped() -> None:
    joined = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "author": {"@type": "Person", "name": "Ann Lee and Bo Chen"}}</script>'
    )
    assert authors(joined) == ["Ann Lee", "Bo Chen"]
    org = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "author": {"@type": "Organization", "name": "Demo Gazette"}}</script>'
    )
    assert authors(org, BYLINE) == ["Fay Gee", "Hal Ivy"]
    parts = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "author": [{"@type": "Person", "givenName": "Anna Giulia", "familyName": "Fink"}]}</script>'
    )
    assert authors(parts) == ["Anna Giulia Fink"]
    slug = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "author": {"@type": "Person", "name": "chuck-ross"}}</script>'
        '<meta name="author" content="Chuck Ross">'
    )
    assert authors(slug) == ["Chuck Ross"]


def test_microdata_meta_tags_and_dublin_core() -> None:
    micro = (
        '<div itemscope itemtype="https://schema.org/NewsArticle"><span itemprop="author">'
        "Cy Dee, Staff Writer</span></div>"
    )
    assert authors("", micro + BYLINE) == ["Cy Dee"]
    assert authors('<meta name="author" content="Demo Gazette">', BYLINE) == ["Fay Gee", "Hal Ivy"]
    dc = '<meta name="dc.creator" content="Brazil, Rachel"><meta name="dc.creator" content="You, Xiaoying">'
    assert authors(dc, BYLINE) == ["Rachel Brazil", "Xiaoying You"]


def test_visible_bylines() -> None:
    labelled = '<p class="story-authors"><span class="authors-by">Von:</span> <a class="author-link">Nadja Berg</a></p>'
    assert authors("", labelled) == ["Nadja Berg"]
    one_per_author = (
        '<span class="author-name">Julia Vergin</span> | <span class="author-name">Clare Roth</span>'
        '<aside><span class="teaser-author">Someone Else</span></aside>'
    )
    assert authors("", one_per_author) == ["Julia Vergin", "Clare Roth"]
    credit_and_agency = (
        '<p class="byline">By Reuters</p><div class="more"><span class="author">Al Bo</span></div>'
    )
    assert authors("", credit_and_agency) == []  # the article's byline names no person
    comment = '<div class="comment"><span class="comment-author">Troll</span></div>'
    assert authors("", comment) == []


# The same byline trouble in three markups: semantic class names, anonymous divs, a table.
@pytest.mark.parametrize(
    "body",
    [
        '<button class="follow-author">Abbruch</button><a class="followAuthorBtn" href="/t">'
        'Themen bearbeiten</a><p class="byline">Von Anna Berg</p>',
        '<div><div role="button" class="author-follow">Abbruch</div>'
        '<div><div>von <a href="/author/anna-berg">Anna Berg</a></div></div></div>',
        '<table><tr><td class="author"><input class="author-search" value="Suche">'
        '<font size="1">Von Anna Berg, Frankfurt</font></td></tr></table>',
    ],
)
def test_interface_controls_are_not_bylines(body: str) -> None:
    assert authors("", body) == ["Anna Berg"]


@pytest.mark.parametrize(
    "body",
    [
        '<div class="authors"><span class="authors__brand">capital</span>'
        '<ul><li class="authors__item">von Jemima Kelly</li></ul></div>',
        '<div class="author-box"><a href="/news/category/29/finance">Finance</a></div>'
        '<div><div>by <a href="/autoren/name/jemima-kelly">Jemima Kelly</a></div></div>',
        '<table><tr><td class="byline">amw</td></tr><tr><td class="byline-main">'
        "By Jemima Kelly</td></tr></table>",
    ],
)
def test_section_names_and_initials_are_not_bylines(body: str) -> None:
    assert authors("", body) == ["Jemima Kelly"]


@pytest.mark.parametrize(
    "body",
    [
        '<span class="cm-author">Demo Gazette</span><div class="related">'
        '<span class="cm-author">Anetta Mangxaba</span></div>',
        '<div><div class="byline">dpa</div></div><div><div class="teaser">'
        '<div class="byline">Von Christoph Reisinger</div></div></div>',
        '<table><tr><td class="author">Reuters</td></tr><tr><td class="author">Al Bo</td></tr>'
        "</table>",
    ],
)
def test_a_byline_crediting_the_outlet_or_an_agency_names_no_one(body: str) -> None:
    assert authors("", body) == []


def test_navigation_links_to_the_authors_overview_are_not_bylines() -> None:
    nav = '<nav><a href="/autoren/">Unsere Autorinnen und Autoren</a><a href="/authors/team">Our team</a></nav>'
    assert authors("", nav) == []
    assert authors(
        "", nav + '<p>von <a href="/autoren/name/max-kolter">Dr. Max Kolter</a></p>'
    ) == ["Dr. Max Kolter"]
    columnists = '<div role="navigation"><a href="/author/cy-dee">Cy Dee</a></div>'
    assert authors("", columnists + '<p>By <a href="/author/ann-lee">Ann Lee</a></p>') == [
        "Ann Lee"
    ]


def test_an_seo_plugins_written_by_field() -> None:
    yoast = (
        '<meta name="author" content="a.berg@gazette.example">'
        '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Ann Lee">'
        '<meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="3 minutes">'
    )
    assert authors(yoast) == ["Ann Lee"]
    misc = '<meta name="twitter:misc:Geschrieben von" content="Dieter Kuckelkorn">'
    assert authors(misc, '<p class="author-short">ku Frankfurt</p>') == ["Dieter Kuckelkorn"]


def test_meta_authors_after_the_outlets_name() -> None:
    korean = '<meta name="author" content="Demo Gazette"><meta name="author" content="신현주 기자">'
    assert authors(korean) == ["신현주"]


@pytest.mark.parametrize(
    ("body", "names"),
    [
        (
            "<ul><li><strong>Datum</strong> 28.04.2023</li>"
            "<li><strong>Autorin/Autor</strong> Roman Goncharenko</li></ul>",
            ["Roman Goncharenko"],
        ),
        ("<div><dl><dt>Author</dt><dd>Roman Goncharenko</dd></dl></div>", ["Roman Goncharenko"]),
        (
            "<table><tr><th>Authors:</th><td>Roman Goncharenko and Ann Lee</td></tr></table>",
            ["Roman Goncharenko", "Ann Lee"],
        ),
    ],
)
def test_a_labelled_author_field(body: str, names: list[str]) -> None:
    assert authors("", body) == names


def test_a_label_before_prose_or_a_role_is_no_author_field() -> None:
    assert (
        authors("", "<p><b>Author</b> interviews are held every week in the main hall.</p>") == []
    )
    assert authors("", "<p><strong>Autor:</strong> Redaktion</p>") == []


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "author":'
            ' {"@id": "https://www.demogazette.example/author/admin/", "name": "Gazette D"}}</script>',
            "",
        ),
        ("", '<div><div>by <a href="/author/admin/">Gazette D</a></div></div>'),
        (
            "",
            '<table><tr><td class="byline"><a href="/autoren/redaktion">Gazette D</a></td></tr></table>',
        ),
    ],
)
def test_a_roles_account_is_not_a_person(head: str, body: str) -> None:
    assert authors(head, body) == []
    # a person whose page is the authors' overview stays a person
    overview = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author":'
        ' {"@type": "Person", "name": "Laura Wagener", "url": "https://demogazette.example/autoren"}}'
        "</script>"
    )
    assert authors(overview) == ["Laura Wagener"]


@pytest.mark.parametrize(
    ("body", "names"),
    [
        (
            "<article><p><em>…as villages count the cost</em></p>"
            f"<p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>{prose('quarry')}</article>",
            ["Mathatisi Sebusi", "Mohalenyane Phakela"],
        ),
        (
            f'<div><div>{prose("clinic")}<p style="text-align:right"><strong>Lê Phương</strong>'
            '</p></div><span id="article-end"></span></div>',
            ["Lê Phương"],
        ),
        (
            f"<table><tr><td><p><b>ANN LEE</b></p>{prose('harbour')}</td></tr></table>",
            ["ANN LEE"],
        ),
    ],
)
def test_a_bold_line_of_names_opening_or_closing_the_prose(body: str, names: list[str]) -> None:
    assert authors("", body) == names


@pytest.mark.parametrize(
    "body",
    [
        f"<article><p><strong>The Road Ahead</strong></p>{prose('roads')}</article>",
        f"<div>{prose('a')}<p><b>READ MORE</b></p>{prose('b')}</div>",
        f'<div>{prose("c")}<p><a href="/x">{"Other story headline words " * 4}</a></p>'
        "<p><strong>Ayo Infaq Dakwah</strong></p></div>",
        f"<article><p><strong>Ann Lee</strong> said the plan was sound.</p>{prose('d')}</article>",
        # a topic line: the story names it again
        f"<article><p><strong>Harbour Dredging</strong></p>{prose('harbour dredging')}</article>",
    ],
)
def test_bold_subheadings_and_calls_to_action_are_not_names(body: str) -> None:
    assert authors("", body) == []


def test_a_page_wrappers_class_does_not_make_its_byline_a_control() -> None:
    wrapped = (
        '<div class="theme-no-btn"><div><div><div><main><p class="byline">By Ann Lee</p>'
        "</main></div></div></div></div>"
    )
    assert authors("", wrapped) == ["Ann Lee"]
    assert authors("", '<button><span class="author-name">Ann Lee</span></button>') == []


@pytest.mark.parametrize(
    ("body", "names"),
    [
        # a name beside the date under the headline, in no marked byline
        (
            '<div class="article-meta"><span class="meta-name">Ann Lee &nbsp;|</span>'
            f'<span class="meta-date">05.04.2025 - Updated: 05.04.2025</span></div>{prose("dam")}',
            ["Ann Lee"],
        ),
        (
            f"<div><div>By Ann Lee and Bo Chen · March 4, 2024</div></div>{prose('bridge')}",
            ["Ann Lee", "Bo Chen"],
        ),
        (
            "<table><tr><td><font size=2>4 March 2024</font></td><td><font size=2>Ann Lee</font>"
            f"</td></tr></table>{prose('ferry')}",
            ["Ann Lee"],
        ),
        (  # names in links, a comma between: one list, not its last name alone
            '<p class="article__meta">By <a href="/staff/ann-lee/">Ann Lee</a> , <a '
            'href="/staff/bo-chen/">Bo Chen</a> <span>on Monday, March 4th, 2024 at 11:08 a.m.'
            f"</span></p>{prose('port')}",
            ["Ann Lee", "Bo Chen"],
        ),
        # ... but not a section, a subheading, a refused byline or a place
        (f'<div class="meta"><a href="/economy">Economy</a> | 05.04.2025</div>{prose("tax")}', []),
        (f"<div><div>The Road Ahead · March 4, 2024</div></div>{prose('roads')}", []),
        (
            '<p class="meta">by <a rel="author" href="/author/admin/">Gazette D</a> | '
            f"5 November 2024</p>{prose('school')}",
            [],
        ),
        (f"<table><tr><td>Ann Lee</td><td>Harbour Office</td></tr></table>{prose('port')}", []),
        # an element led by its label, the names in its children
        (
            '<ul class="article-info"><li class="info-item">Von:\n\t\t<span class="person-link">'
            '<a href="/ann-lee">Ann  LEE</a>,\n\t</span>\n\t\t<span class="person-link">'
            f'<a href="/bo-chen">Bo Chen</a></span></li></ul>{prose("dam")}',
            ["Ann LEE", "Bo Chen"],
        ),
        (f'<div><div>By: <a href="/ann-lee">Ann Lee</a></div></div>{prose("bridge")}', ["Ann Lee"]),
        (
            "<table><tr><td>Author: <font size=2>Ann Lee and Bo Chen</font></td></tr></table>"
            f"{prose('ferry')}",
            ["Ann Lee", "Bo Chen"],
        ),
        # ... but not one naming no one, without its colon, or too long for names
        (f'<div>By: <a href="/x">the numbers</a></div>{prose("tax")}', []),
        (f"<p>Von: <span>Redaktion</span></p>{prose('rail')}", []),
        (f"<p>By <a href='/ann-lee'>Ann Lee</a> and others</p>{prose('port')}", []),
        (f"<div>Par : <span>{'Jean Dupont ' * 8}</span></div>{prose('vote')}", []),
    ],
)
def test_unmarked_bylines_in_the_header(body: str, names: list[str]) -> None:
    assert authors("", body) == names
