"""Tables: columns aligned as the delimiter row says; a table too wide for the pane is laid
out at the width its longest words need (the pane scrolls sideways) instead of cutting
words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from markdown_it.tree import SyntaxTreeNode
from rich import box
from rich.cells import cell_len
from rich.style import Style
from rich.table import Table
from rich.text import Text

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


def column_widths(texts: list[list[Text]], width: int) -> list[int]:
    """Content widths that keep every word whole, or [] when the table fits as it is.

    Each column gets at least its longest word; what is left of ``width`` goes to the
    columns in proportion to how much more their longest line would like.
    """
    count = max((len(row) for row in texts), default=0)
    low, high = [1] * count, [1] * count
    for row in texts:
        for i, text in enumerate(row):
            plain = text.plain
            low[i] = max(low[i], max((cell_len(w) for w in plain.split()), default=1))
            high[i] = max(high[i], max((cell_len(line) for line in plain.split("\n")), default=1))
    room = width - 3 * count - 1  # borders and one cell of padding each side
    if sum(high) <= room:
        return []
    low = [min(w, MAX_TABLE_WIDTH // max(count, 1)) for w in low]
    if sum(low) >= room:
        return low
    slack = [h - lo for h, lo in zip(high, low, strict=True)]
    extra = room - sum(low)
    widths = [lo + extra * sl // max(sum(slack), 1) for lo, sl in zip(low, slack, strict=True)]
    widths[slack.index(max(slack))] += room - sum(widths)
    return widths


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
    texts = [
        [
            renderer.inline_text(c, Style(), justify=j)
            for c, j in zip(row.children, justify, strict=False)
        ]
        for row in rows
    ]
    widths = column_widths(texts, width)
    for i, (header, side) in enumerate(zip(texts[0], justify, strict=True)):
        fixed = widths[i] if widths else None
        table.add_column(header, justify=side, overflow="fold", width=fixed)
    for row_texts in texts[1:]:
        table.add_row(*row_texts)
    total = sum(widths) + 3 * len(widths) + 1 if widths else width
    return renderer.lines(table, max(width, min(total, MAX_TABLE_WIDTH)))
