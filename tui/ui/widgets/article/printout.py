"""A note laid out as the article pane lays it out, as lines for a terminal or a pipe.

``readerly show --rendered`` prints this: the same renderer and the same lookups as the app,
with a palette of the 16 standard colours (or none at all), so it reads in any terminal.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.color import ColorSystem
from rich.style import Style

from tui.text.blocks import iter_blocks
from tui.text.notes import Note
from tui.ui.widgets.article.render import (
    Context,
    Palette,
    render_block,
    render_header,
    source_host,
    wiki_index,
)
from tui.ui.widgets.article.render.callouts import FAMILIES
from tui.ui.widgets.article.render.model import Lines
from tui.ui.widgets.article.sources import VaultSources

_CALLOUT_COLOURS = {
    "note": "blue",
    "abstract": "cyan",
    "info": "blue",
    "todo": "blue",
    "tip": "cyan",
    "success": "green",
    "question": "yellow",
    "warning": "yellow",
    "failure": "red",
    "danger": "red",
    "bug": "red",
    "example": "magenta",
    "quote": "white",
}


def terminal_palette() -> Palette:
    """Styles in the 16 standard colours; without colour the bold, italic and dim remain."""
    return Palette(
        h1=Style(bold=True, underline=True, color="magenta"),
        h2=Style(bold=True, color="magenta"),
        h3=Style(bold=True, color="blue"),
        h4=Style(bold=True, italic=True, color="blue"),
        h5=Style(underline=True, color="cyan"),
        h6=Style(italic=True, dim=True),
        link=Style(underline=True, color="blue"),
        code_inline=Style(color="yellow"),
        mark=Style(reverse=True, color="yellow"),
        math=Style(italic=True, color="green"),
        title=Style(bold=True, color="magenta"),
        tag=Style(italic=True, color="cyan"),
        bullet=Style(bold=True, color="cyan"),
        callout={family: Style(color=_CALLOUT_COLOURS[family]) for family in FAMILIES},
    )


def _text(lines: Lines, colour: bool) -> Iterator[str]:
    for line in lines:
        if colour:
            system = ColorSystem.STANDARD
            parts = [
                s.style.render(s.text, color_system=system) if s.style else s.text for s in line
            ]
            yield "".join(parts).rstrip()
        else:
            yield "".join(s.text for s in line).rstrip()


def rendered_lines(
    note: Note,
    body: str,
    width: int,
    *,
    colour: bool,
    sources: VaultSources | None = None,
    details: list[str] | None = None,
) -> Iterator[str]:
    """The lines of ``note`` laid out ``width`` cells wide, with or without colour."""
    palette = (
        terminal_palette()
        if colour
        else Palette(
            link=Style(), link_hint=Style(), code_inline=Style(), mark=Style(), kbd=Style()
        )
    )
    shown = details if details is not None else [note.date, note.domain, source_host(note.source)]
    yield from _text(render_header(note.title, shown, note.tags, width, palette), colour)
    yield ""
    context = Context(
        wiki=wiki_index(note.links),
        path=note.path,
        embed=sources.embed if sources else None,
        attachment=sources.attachment if sources else None,
    )
    number = 1
    for block in iter_blocks(body):
        rendered = render_block(block, width, palette, first_number=number, context=context)
        number += len(rendered.links)
        if rendered.lines:
            yield from _text(rendered.lines, colour)
            yield ""
