"""The article header: title, a line of details, tags, then a rule."""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.segment import Segment
from rich.text import Text

from tui.ui.widgets.article.render.blocks import BlockRenderer
from tui.ui.widgets.article.render.model import Context, Lines, Palette, safe


def source_host(source: str) -> str:
    """The host part of a note's source URL ("" when there is none or it does not parse)."""
    try:
        host = urlsplit(source.strip()).hostname or ""
    except ValueError:
        return ""
    return safe(host.removeprefix("www."))


def render_header(
    title: str,
    details: list[str],
    tags: list[str],
    width: int,
    palette: Palette | None = None,
) -> Lines:
    """The article header: title, a line of details joined by dots, tags, then a rule."""
    p = palette or Palette()
    renderer = BlockRenderer(p, 1, Context())
    lines = renderer.lines(Text(safe(title) or "(untitled)", p.title, overflow="fold"), width)
    shown = [safe(d) for d in details if d and safe(d).strip()]
    if shown:
        meta = Text(overflow="fold", end="")
        for i, detail in enumerate(shown):
            if i:
                meta.append(" · ", p.meta)
            meta.append(detail, p.meta)
        lines.extend(renderer.lines(meta, width))
    if tags:
        line = Text(overflow="fold", end="")
        for i, tag in enumerate(tags):
            line.append(("  " if i else "") + "#" + safe(tag).lstrip("#"), p.tag)
        lines.extend(renderer.lines(line, width))
    lines.append([Segment("─" * max(width, 1), p.rule)])
    return lines
