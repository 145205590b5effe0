"""Markdown to styled lines for the article pane, one top-level block at a time.

``model`` holds what is handed out (links, spans, anchors, palette, per-note context),
``inline`` the inline content, ``blocks`` the block structure, ``callouts``, ``tables`` and
``embeds`` their constructs, ``header`` the article header, ``similar`` the notes
listed under it. Rich only, never textual.
"""

from tui.ui.widgets.article.render.blocks import BlockRenderer, render_block
from tui.ui.widgets.article.render.header import render_header, source_host
from tui.ui.widgets.article.render.model import (
    LINK_META,
    Alike,
    ArticleLink,
    Context,
    Embedded,
    Lines,
    LinkKind,
    LinkSpan,
    Palette,
    RenderedBlock,
    safe,
    wiki_index,
)
from tui.ui.widgets.article.render.similar import render_similar

__all__ = [
    "LINK_META",
    "Alike",
    "ArticleLink",
    "BlockRenderer",
    "Context",
    "Embedded",
    "Lines",
    "LinkKind",
    "LinkSpan",
    "Palette",
    "RenderedBlock",
    "render_block",
    "render_header",
    "render_similar",
    "safe",
    "source_host",
    "wiki_index",
]
