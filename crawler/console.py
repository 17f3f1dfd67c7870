"""The Rich console every command prints through: a terminal's own width, a stable one when piped."""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule

# Piped or redirected, Rich would fall back to 80 columns and squeeze a table's
# headers to "sou… stat…", or fold a long cell (a health flag, a last error)
# over several lines. Tables take their natural width (Rich's default,
# ``expand=False``), so with this much room nothing is squeezed or folded and
# the output is the same on every machine, whatever ``$COLUMNS`` says.
PIPED_WIDTH = 1000


def make_console(piped_width: int = PIPED_WIDTH, **kwargs: object) -> Console:
    """A Console for stdout (or ``file=`` in kwargs): colour and wrapping only on a terminal.

    Not a terminal, plain text is never wrapped (``soft_wrap``): a long
    paragraph stays one line, as ``diff`` writes it; tables get
    up to ``piped_width`` columns, whatever ``$COLUMNS`` says (which Rich
    would otherwise follow, Rich docs "Console API"): each row on one line,
    the same output everywhere.
    """
    console = Console(highlight=False, **kwargs)  # type: ignore[arg-type]
    if not console.is_terminal:
        console.soft_wrap = True
        console.width = piped_width
    return console


RULE_WIDTH = 80  # a section rule is a heading, not a table: it need not span a wide console


def rule(console: Console, title: str) -> None:
    """A section rule with ``title``, no wider than the console or ``RULE_WIDTH``."""
    console.print(Rule(title), width=min(console.width, RULE_WIDTH))
