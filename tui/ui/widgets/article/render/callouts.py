"""Obsidian callouts: a coloured bar, the type's label and the title, then the body;
foldable ones (``[!type]-`` folded, ``[!type]+`` open) fold from their title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.tree import SyntaxTreeNode
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui.ui.widgets.article.render.inline import marker
from tui.ui.widgets.article.render.model import ArticleLink, Lines, safe

if TYPE_CHECKING:
    from tui.ui.widgets.article.render.blocks import BlockRenderer

# Obsidian's types and aliases, by the family that gives their colour and label.
FAMILIES: dict[str, tuple[str, ...]] = {
    "note": ("note",),
    "abstract": ("abstract", "summary", "tldr"),
    "info": ("info",),
    "todo": ("todo",),
    "tip": ("tip", "hint", "important"),
    "success": ("success", "check", "done"),
    "question": ("question", "help", "faq"),
    "warning": ("warning", "caution", "attention"),
    "failure": ("failure", "fail", "missing"),
    "danger": ("danger", "error"),
    "bug": ("bug",),
    "example": ("example",),
    "quote": ("quote", "cite"),
}
_FAMILY = {alias: family for family, aliases in FAMILIES.items() for alias in aliases}
ICONS = {
    "note": "✎",
    "abstract": "≡",
    "info": "ℹ",
    "todo": "☐",
    "tip": "✦",
    "success": "✔",
    "question": "?",
    "warning": "⚠",
    "failure": "✘",
    "danger": "⚡",
    "bug": "✱",
    "example": "☰",
    "quote": "❝",
}


def family(kind: str) -> str:
    """The family of callout type ``kind``; unknown types look like notes, as in Obsidian."""
    return _FAMILY.get(kind.lower(), "note")


def render_callout(renderer: BlockRenderer, node: SyntaxTreeNode, width: int) -> Lines:
    """One callout (nested ones come through ``renderer.nodes``)."""
    p = renderer.palette
    kind = safe(str(node.meta.get("kind", "note")))[:40]
    fam = family(kind)
    colour = p.callout.get(fam, p.quote)
    fold = str(node.meta.get("fold", ""))
    title = safe(str(node.meta.get("title", ""))) or kind.capitalize()
    key = renderer.callout_key()
    folded = renderer.context.folds.get(key, fold == "-") if fold else False
    head = Text(overflow="fold", end="")
    head.append(f"{ICONS[fam]} ", colour)
    head.append(kind.upper(), colour + Style(bold=True))
    head.append("  ")
    if fold:
        index = len(renderer.links)
        look = colour + Style(bold=True) + marker(index)
        head.append(("▸ " if folded else "▾ ") + title, look)
        action = "Open" if folded else "Fold"
        renderer.links.append(ArticleLink(renderer.number, "fold", f"{action}: {title}", url=key))
        renderer.number += 1
    else:
        head.append(title, Style(bold=True))
    bar = Segment("▌ ", colour)
    inner = max(width - 2, 1)
    lines = [[bar, *line] for line in renderer.lines(head, inner)]
    # The body is rendered even when folded, so its links keep their numbers.
    body = renderer.nodes(node.children, inner)
    if not folded:
        lines.extend([bar, *line] for line in body)
    return lines
