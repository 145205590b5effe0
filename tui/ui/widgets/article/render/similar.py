"""The section under an article that lists the vault's notes most like it, as links."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.text import Text

from tui.text.notes import Link
from tui.ui.widgets.article.render.blocks import BlockRenderer, lift_spans
from tui.ui.widgets.article.render.inline import marker
from tui.ui.widgets.article.render.model import (
    Alike,
    ArticleLink,
    Context,
    Lines,
    Palette,
    RenderedBlock,
    safe,
)

HEADING = "Similar in this vault"


def render_similar(
    alike: Sequence[Alike], width: int, palette: Palette | None = None, first_number: int = 1
) -> RenderedBlock:
    """A rule, the heading and one line per note (``• title[n] · date · domain``).

    Each title is a wikilink to its note, numbered from ``first_number`` (after the
    article's own links). Titles come from notes, so they are text, never markup.
    """
    p = palette or Palette()
    renderer = BlockRenderer(p, first_number, Context())
    lines: Lines = [[Segment("─" * max(width, 1), p.rule)]]
    lines.extend(renderer.lines(Text(HEADING, p.h3, end=""), width))
    links: list[ArticleLink] = []
    for index, note in enumerate(alike):
        number = first_number + index
        label = safe(note.title).replace("\n", " ").strip() or note.path
        target = Link(target=safe(note.path), path=note.path)
        links.append(ArticleLink(number, "wiki", label, link=target))
        line = Text(overflow="fold", end="")
        line.append(label, p.link + marker(index))
        line.append(f"[{number}]", p.link_hint + marker(index))
        for detail in (note.date, note.domain):
            shown = safe(detail).replace("\n", " ").strip()
            if shown:
                line.append(f" · {shown}", p.meta)
        # Wrapped lines hang under the title, clear of the bullet.
        for row, cells in enumerate(renderer.lines(line, max(width - 2, 1))):
            lead = Segment("• ", p.bullet) if row == 0 else Segment("  ")
            lines.append([lead, *cells])
    clean, spans, _ = lift_spans(lines, first_number)
    return RenderedBlock(clean, links, spans)
