"""Tables that lay a page out, told from tables of data, and unwrapped into plain boxes.

An old template puts its whole page in a ``<table>``: a row of masthead, a row
of navigation cell beside story cell, photo tables and comment tables inside
the story's cell. Trafilatura (the fallback reader, :mod:`crawler.extract.body`)
keeps tables with ``include_tables`` and writes each row as ``| cell | cell |``:
for a layout table that is the whole page, navigation and all, as one table
(issue 19: pages of an unseen publisher's table layout stored whole). Its rows
and cells are boxes, not data; unwrapped into ``div``s they are read as
paragraphs in boxes. A table of data (results, prices) is kept as a table.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extract.blocks import CELL_TAGS

# Block elements a cell of data does not hold, and a cell of a page's layout does
# (Readability's data-table test, Mozilla's Readability.js `_markDataTables`, treats a
# table holding a table as layout; a cell holding a heading or paragraphs is a page box).
_BOX_CONTENT = frozenset({"table", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"})
_SECTION_TAGS = frozenset({"thead", "tbody", "tfoot"})
LAYOUT_MIN_PARAGRAPHS = 2  # a cell of data may wrap its text in one <p>; never in two


def own_rows(table: HtmlElement) -> list[HtmlElement]:
    """``table``'s own rows, in its sections or not (not those of tables nested in cells)."""
    parts = (table, *(c for c in table if c.tag in _SECTION_TAGS))
    return [row for part in parts for row in part if row.tag == "tr"]


def own_cells(table: HtmlElement) -> list[HtmlElement]:
    """The cells of ``table``'s own rows."""
    return [cell for row in own_rows(table) for cell in row if cell.tag in CELL_TAGS]


def is_layout_table(table: HtmlElement) -> bool:
    """Whether ``table`` lays out the page: ``role="presentation"``; a single column (no row
    has two cells with text: a stack of boxes, such as a comment list or a photo and its
    caption); or one of its own cells holds another table, a heading or list, or
    :data:`LAYOUT_MIN_PARAGRAPHS` paragraphs or divs. A table whose rows set text beside
    text, in cells of text, links and images, is a table of data."""
    if table.get("role") in {"presentation", "none"}:
        return True
    if not any(
        sum(bool(c.text_content().strip()) for c in row if c.tag in CELL_TAGS) >= 2
        for row in own_rows(table)
    ):
        return True
    for cell in own_cells(table):
        tags = [el.tag for el in cell.iterdescendants() if isinstance(el.tag, str)]
        boxes = [t for t in tags if t in _BOX_CONTENT]
        if any(t not in {"p", "div"} for t in boxes) or len(boxes) >= LAYOUT_MIN_PARAGRAPHS:
            return True
    return False


def unwrap_layout_tables(root: HtmlElement) -> int:
    """Retag every layout table under ``root`` (and its own sections, rows and cells) as
    ``div``s, in place; tables of data stay. Returns how many tables were unwrapped."""
    layouts = [t for t in root.iter("table") if is_layout_table(t)]
    for table in layouts:
        parts = [c for c in table if c.tag in _SECTION_TAGS]
        for el in (*own_cells(table), *own_rows(table), *parts, table):
            el.tag = "div"
    return len(layouts)
