"""Embeds: ``![[Note]]``, ``![[Note#Heading]]`` and ``![[Note#^id]]`` transcluded in a frame.

Only the embedded part is shown (the whole note up to a cap, the heading's section, or the
one block), rendered by the same renderer one level deeper. Depth is limited and a note
never embeds itself through a chain: past either, the embed is shown as a plain link.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui.text.blocks import Block, iter_blocks
from tui.text.links import parse_wikilink
from tui.text.markdown import heading_key, outline
from tui.text.notes import Link
from tui.ui.widgets.article.render.inline import attachment_kind
from tui.ui.widgets.article.render.model import ANCHOR_META, Context, Lines, safe

if TYPE_CHECKING:
    from tui.ui.widgets.article.render.blocks import BlockRenderer

MAX_EMBED_BLOCKS = 40
MAX_EMBED_LINES = 200


def _section(body: str, heading: str) -> str | None:
    """The lines of ``body`` from the heading matching ``heading`` up to the next one as high."""
    wanted = heading_key(heading.split("#")[-1])
    headings = outline(body)
    for i, found in enumerate(headings):
        if heading_key(found.text) == wanted:
            end = next((h.line for h in headings[i + 1 :] if h.level <= found.level), None)
            lines = body.split("\n")
            return "\n".join(lines[found.line : end])
    return None


def _block_with_id(body: str, block_id: str) -> str | None:
    """The block of ``body`` that ends with ``^block_id`` (or the block above a lone ``^id``)."""
    pattern = re.compile(
        r"(?:^|\s)\^" + re.escape(block_id) + r"\s*$", re.MULTILINE | re.IGNORECASE
    )
    previous: Block | None = None
    for block in iter_blocks(body):
        found = pattern.search(block.text)
        if found:
            if block.text.strip().startswith("^") and previous is not None:
                return previous.text
            if block.kind == "list":
                # Just the item that carries the id (and its continuation lines).
                start = block.text.rfind("\n", 0, found.start()) + 1
                return block.text[start : found.end()]
            return block.text
        previous = block
    return None


def _unanchored(lines: Lines) -> Lines:
    """``lines`` without their targets: headings inside an embed are not this note's."""
    out: Lines = []
    for line in lines:
        out.append(
            [s for s in line if not (s.text == "" and s.style and ANCHOR_META in s.style.meta)]
        )
    return out


def render_embed(renderer: BlockRenderer, inner: str, width: int) -> Lines | None:
    """The framed transclusion of ``inner``, or None to show it as a link instead."""
    context = renderer.context
    parsed = parse_wikilink(safe(inner))
    if parsed is None or context.embed is None or attachment_kind(parsed.target):
        return None
    if renderer.embed_depth >= context.max_embed_depth:
        return None
    link = renderer.resolve(parsed)
    if link.path is None or link.path in renderer.embed_chain:
        return None
    if link.path == context.path and not parsed.heading:
        return None  # a note embedding all of itself
    embedded = context.embed(link)
    if embedded is None:
        return None
    heading = parsed.heading or ""
    if heading.startswith("^"):
        text = _block_with_id(embedded.body, heading[1:])
    elif heading:
        text = _section(embedded.body, heading)
    else:
        text = embedded.body
    p = renderer.palette
    frame = p.embed
    title = safe(embedded.title) + (f" › {safe(heading)}" if heading else "")
    head = Text("┌ ↪ ", frame, end="", overflow="ellipsis", no_wrap=True)
    head.append(title, frame + Style(bold=True))
    lines = renderer.lines(head, width)[:1]
    if text is None:
        lines.append([Segment("│ ", frame), Segment(f"(no “{safe(heading)}” there)", frame)])
    else:
        lines.extend(
            [Segment("│ ", frame), *line]
            for line in _render_part(renderer, text, embedded.path, embedded.wiki, width - 2)
        )
    lines.append([Segment("└" + "─" * max(width - 1, 0), frame)])
    return lines


def _render_part(
    renderer: BlockRenderer, text: str, path: str, wiki: dict[str, Link], width: int
) -> Lines:
    outer = renderer.context
    context = Context(
        wiki=wiki,
        path=path,
        footnotes={},
        folds=outer.folds,
        embed=outer.embed,
        attachment=outer.attachment,
        max_embed_depth=outer.max_embed_depth,
    )
    out: Lines = []
    for count, block in enumerate(iter_blocks(text)):
        if count >= MAX_EMBED_BLOCKS or len(out) >= MAX_EMBED_LINES:
            out.append([Segment("…", renderer.palette.embed)])
            break
        lines = renderer.nested(block, context, width)
        if out and lines:
            out.append([])
        out.extend(lines)
    return _unanchored(out[: MAX_EMBED_LINES + 1])
