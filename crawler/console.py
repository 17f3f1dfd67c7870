"""The Rich console every command prints through: a terminal's own width, a stable one when piped."""

from __future__ import annotations

import os

from rich.console import Console

# Piped or redirected, Rich would fall back to 80 columns and squeeze a table's
# headers to "sou… stat…"; a fixed, wider width keeps the output the same on
# every machine and lets a crawl summary's eleven columns print in full.
PIPED_WIDTH = 200


def make_console(**kwargs: object) -> Console:
    """A Console for stdout (or ``file=`` in kwargs): colour and wrapping only on a terminal.

    Not a terminal, plain text is never wrapped (``soft_wrap``): a long
    paragraph stays one line, as ``diff`` writes it; tables get ``$COLUMNS``
    columns when it is set (as Rich reads it, Rich docs "Console API"), else
    :data:`PIPED_WIDTH`.
    """
    console = Console(highlight=False, **kwargs)  # type: ignore[arg-type]
    if not console.is_terminal:
        console.soft_wrap = True
        if not os.environ.get("COLUMNS"):
            console.width = PIPED_WIDTH
    return console
