"""The Rich console every command prints through: a terminal's own width, a stable one when piped."""

from __future__ import annotations

from rich.console import Console

# Piped or redirected, Rich would fall back to 80 columns and squeeze a table's
# headers to "sou… stat…"; a fixed, wider width keeps the output the same on
# every machine and lets a crawl summary's eleven columns print in full
# (112 columns with source names of up to 20 characters).
PIPED_WIDTH = 120


def make_console(piped_width: int = PIPED_WIDTH, **kwargs: object) -> Console:
    """A Console for stdout (or ``file=`` in kwargs): colour and wrapping only on a terminal.

    Not a terminal, plain text is never wrapped (``soft_wrap``): a long
    paragraph stays one line, as ``diff`` writes it; tables get
    ``piped_width`` columns, whatever ``$COLUMNS`` says (which Rich would
    otherwise follow, Rich docs "Console API"): the same output everywhere.
    """
    console = Console(highlight=False, **kwargs)  # type: ignore[arg-type]
    if not console.is_terminal:
        console.soft_wrap = True
        console.width = piped_width
    return console
