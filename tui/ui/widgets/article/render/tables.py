"""Tables: columns aligned as the delimiter row says; a table too wide for the pane is laid
out at the width its longest words need (the pane scrolls sideways) instead of cutting
words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from markdown_it.tree import SyntaxTreeNode
from rich import box
from rich.measure import Measurement
from rich.style import Style
from rich.table import Table

from tui.ui.widgets.article.render.model import Lines

if TYPE_CHECKING:
    from tui.ui.widgets.article.render.blocks import BlockRenderer

MAX_TABLE_WIDTH = 400  # cells; past this even a sideways-scrolling table folds words

Justify = Literal["left", "center", "right"]


def _justify(cell: SyntaxTreeNode) -> Justify:
    align = str(cell.attrs.get("style", "")).removeprefix("text-align:")
    if align == "center":
        return "center"
    if align == "right":
        return "right"
    return "left"


def render_table(renderer: BlockRenderer, node: SyntaxTreeNode, width: int) -> Lines:
    """One table at ``width`` cells, or wider when its words need it."""
    p = renderer.palette
    table = Table(
        box=box.ROUNDED,
        border_style=p.rule,
        header_style=p.table_header,
        show_edge=True,
        expand=False,
    )
    rows = [tr for section in node.children for tr in section.children]
    if not rows:
        return []
    justify = [_justify(cell) for cell in rows[0].children]
    for cell, side in zip(rows[0].children, justify, strict=True):
        header = renderer.inline_text(cell, Style(), justify=side)
        table.add_column(header, justify=side, overflow="fold")
    for row in rows[1:]:
        cells = row.children[: len(justify)]
        sides = justify[: len(cells)]
        table.add_row(
            *(
                renderer.inline_text(c, Style(), justify=j)
                for c, j in zip(cells, sides, strict=True)
            )
        )
    console = renderer.console
    needed = Measurement.get(console, console.options.update(width=MAX_TABLE_WIDTH), table)
    return renderer.lines(table, max(width, min(needed.minimum, MAX_TABLE_WIDTH)))
