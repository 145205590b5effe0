"""The one Markdown parser: CommonMark + GFM tables, strikethrough and autolinks, the
mdit-py-plugins footnotes, task lists and dollar math, and the Obsidian rules of
:mod:`tui.text.markdown.plugins`.

HTML is tokenised (so ``<kbd>`` and ``<br>`` can be styled) but never interpreted: a
renderer shows tags as text or drops them. Headless: markdown-it-py and mdit-py-plugins.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from tui.text.markdown.plugins import ofm_plugin


def make_parser() -> MarkdownIt:
    """A new parser with every rule readerly reads notes with."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    # References match even without their definition, and definitions stay where they are
    # written: a long note is parsed a block at a time, so the two are usually apart.
    md.use(footnote_plugin, always_match_refs=True, move_to_end=False)
    md.use(tasklists_plugin)
    # `$5 and $6` stays prose: inline math must hug its dollars, as in Obsidian.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(ofm_plugin)
    # Every URL is kept as data so the reader can see (and the app refuse) odd schemes.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


PARSER = make_parser()


def parse(text: str) -> list[Token]:
    """The token stream of ``text``."""
    return PARSER.parse(text, {})
