"""Layout tables told from tables of data, and unwrapped for the fallback reader."""

from __future__ import annotations

import lxml.html

from crawler.extract.layout import is_layout_table, unwrap_layout_tables

PAGE = """<html><body><table width="760"><tr><td colspan="2"><font size="6">Dale Post</font></td></tr>
<tr><td width="150"><a href="/">Home</a><br><a href="/sport/">Sport</a></td>
<td><b>Ferry fares frozen for the winter</b><br>
<p>The island ferry will keep its fares at this year's prices until the spring.</p>
<p>The operator said fuel had cost less than it feared when it set the budget.</p>
<table width="300" align="right"><tr><td><img src="/p/ferry.gif"></td></tr>
<tr><td><font size="1">The ferry leaving the harbour.</font></td></tr></table>
<table><tr><th>Route</th><th>Fare</th></tr><tr><td>Harbour to Isle</td><td>4.20</td></tr></table>
<table width="100%"><tr><td><b>Ann Lee wrote:</b><br>About time too.</td></tr></table>
</td></tr></table></body></html>"""


def tables() -> tuple[lxml.html.HtmlElement, list[lxml.html.HtmlElement]]:
    root = lxml.html.fromstring(PAGE)
    return root, list(root.iter("table"))


def test_the_page_table_the_photo_box_and_the_comment_column_are_layout_the_fares_are_data() -> (
    None
):
    _, (page, photo, fares, comments) = tables()
    assert is_layout_table(page)  # its story cell holds paragraphs and tables
    assert is_layout_table(photo)  # one column: a picture over its caption
    assert is_layout_table(comments)  # one column of comments
    assert not is_layout_table(fares)  # text beside text in every row


def test_a_data_cell_may_wrap_its_text_in_one_paragraph() -> None:
    table = lxml.html.fromstring(
        "<table><tr><td><p>Harbour to Isle</p></td><td><p>4.20</p></td></tr></table>"
    )
    assert not is_layout_table(table)
    table.set("role", "presentation")
    assert is_layout_table(table)


def test_unwrapping_retags_the_layout_tables_rows_and_cells_and_keeps_the_data_table() -> None:
    root, _ = tables()
    assert unwrap_layout_tables(root) == 3
    assert [t.findtext(".//th") for t in root.iter("table")] == ["Route"]
    assert {el.tag for el in root.iter("tr", "td", "th")} == {"tr", "td", "th"}
    assert len(root.xpath("//table//td")) == 2  # only the fares' cells are cells
    assert "Ann Lee wrote:" in root.text_content()  # nothing lost, only retagged
