"""The demo publisher's knobs stay inside one site: tests edit sites freely."""

from crawler.demo.content import ARTICLES
from crawler.demo.site import DemoSite


def test_edits_do_not_leak_into_the_content_or_another_site() -> None:
    slug = ARTICLES[0].slug
    before = list(ARTICLES[0].paragraphs)
    edited = DemoSite()
    edited.edit(slug, add_paragraph="An added line.", title="A new title")
    assert edited.articles[slug].paragraphs[-1] == "An added line."
    assert ARTICLES[0].paragraphs == before
    assert DemoSite().articles[slug].paragraphs == before
    assert DemoSite().articles[slug].title == ARTICLES[0].title
