"""Markdown blocks to styled lines, one top-level block at a time, for the article pane.

The source is cut into top-level blocks by :func:`tui.text.blocks.iter_blocks`, and each block
is parsed and rendered on its own (:func:`render_block`), so a reader only ever pays for what
is on screen. Everything here may import rich but never textual.

Note text is untrusted: it only ever becomes plain ``Text`` content and control characters
are removed from every string emitted (``safe``).
"""

from __future__ import annotations

from markdown_it.tree import SyntaxTreeNode
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text

from tui.text.blocks import FENCE, Block
from tui.text.markdown import heading_key
from tui.text.markdown.parser import parse
from tui.text.notes import Link
from tui.ui.widgets.article.render.callouts import render_callout
from tui.ui.widgets.article.render.embeds import render_embed
from tui.ui.widgets.article.render.inline import (
    InlineRenderer,
    anchor,
    marker,
    superscript,
    text_of,
)
from tui.ui.widgets.article.render.model import (
    ANCHOR_META,
    LINK_META,
    ArticleLink,
    Context,
    Lines,
    LinkSpan,
    Palette,
    RenderedBlock,
    safe,
)
from tui.ui.widgets.article.render.tables import render_table

CONSOLE = Console(
    width=80,
    color_system="truecolor",
    force_terminal=True,
    no_color=False,
    highlight=False,
    markup=False,
    emoji=False,
    legacy_windows=False,
)
_BULLETS = ("•", "◦", "▪")
_lexers: dict[str, str] = {}


def _lexer(info: str) -> str:
    name = safe(info.strip().split(" ", 1)[0].lower()) if info.strip() else ""
    if name not in _lexers:
        # Unknown languages are shown plain; the lookup is slow when it fails, so remember it.
        _lexers[name] = name if name and Syntax("", name).lexer is not None else "text"
    return _lexers[name]


def tag_line(lines: Lines, row: int, key: str) -> None:
    """Mark line ``row`` of ``lines`` as where target ``key`` starts."""
    if 0 <= row < len(lines):
        lines[row].insert(0, Segment("", anchor(key)))


class BlockRenderer(InlineRenderer):
    """Renders one block's syntax tree (see :class:`InlineRenderer` for the inline part)."""

    def __init__(
        self,
        palette: Palette,
        first_number: int,
        context: Context,
        *,
        block_key: str = "",
        embed_depth: int = 0,
        embed_chain: tuple[str, ...] = (),
    ) -> None:
        super().__init__(palette, first_number, context)
        self.console = CONSOLE
        self.depth = 0
        self.block_key = block_key
        self.callouts = 0
        self.embed_depth = embed_depth
        self.embed_chain = embed_chain

    def callout_key(self) -> str:
        """A key for the next callout of this block, stable across re-renders."""
        self.callouts += 1
        return f"{self.block_key}:{self.callouts}"

    def nested(self, block: Block, context: Context, width: int) -> Lines:
        """A block of an embedded note, one level deeper, its links numbered after ours."""
        sub = BlockRenderer(
            self.palette,
            self.number,
            context,
            block_key=f"{self.block_key}>{context.path}:{block.line}",
            embed_depth=self.embed_depth + 1,
            embed_chain=(*self.embed_chain, self.context.path, context.path),
        )
        # One list of links for the whole block, so the markers' indexes stay right.
        sub.links = self.links
        lines = block_lines(sub, block, width)
        self.number = sub.number
        return lines

    def lines(self, renderable: RenderableType, width: int) -> Lines:
        """``renderable`` laid out at ``width`` cells."""
        options = self.console.options.update(width=max(width, 1), highlight=False, markup=False)
        return self.console.render_lines(renderable, options, pad=False, new_lines=False)

    def nodes(self, nodes: list[SyntaxTreeNode], width: int, tight: bool = False) -> Lines:
        """Sibling blocks, a blank line between them unless ``tight``."""
        out: Lines = []
        last_start = 0
        for node in nodes:
            block_id = node.meta.get("block_id") if node.type == "paragraph" else None
            if node.meta.get("id_only") and block_id:
                # ``^id`` on its own line names the block above it.
                tag_line(out, last_start, f"b:{str(block_id).lower()}")
                continue
            lines = self.node(node, width)
            if lines and out and not tight:
                out.append([])
            if lines:
                last_start = len(out)
                if block_id:
                    tag_line(lines, 0, f"b:{safe(str(block_id)).lower()}")
            out.extend(lines)
        return out

    def node(self, node: SyntaxTreeNode, width: int) -> Lines:
        """One block node."""
        kind = node.type
        p = self.palette
        if kind == "heading":
            style = {"h1": p.h1, "h2": p.h2, "h3": p.h3, "h4": p.h4, "h5": p.h5}.get(node.tag, p.h6)
            lines = self.lines(self.inline_text(node, style), width)
            tag_line(lines, 0, "h:" + heading_key(text_of(node)))
            return lines
        if kind == "paragraph":
            first = node.children[0].children if node.children else []
            only = [c for c in first if c.type != "softbreak"]
            if len(only) == 1 and only[0].type == "wikilink" and only[0].meta.get("embed"):
                embedded = render_embed(self, only[0].content, width)
                if embedded is not None:
                    return embedded
            return self.lines(self.inline_text(node, Style()), width)
        if kind == "inline":
            return self.lines(self.inline_text(node, Style()), width)
        if kind in ("fence", "code_block"):
            return self.code(node.content, node.info if kind == "fence" else "", width)
        if kind == "math_block" or kind == "math_block_label":
            tex = Text(safe(node.content).strip("\n"), p.math, overflow="fold")
            return [[Segment("  "), *line] for line in self.lines(tex, width - 2)]
        if kind in ("bullet_list", "ordered_list"):
            return self.listing(node, width)
        if kind == "blockquote":
            body = self.nodes(node.children, width - 2)
            bar = Segment("▌ ", p.quote)
            return [[bar, *Segment.apply_style(line, p.quote)] for line in body]
        if kind == "callout":
            return render_callout(self, node, width)
        if kind == "hr":
            return [[Segment("─" * max(width, 1), p.rule)]]
        if kind == "table":
            return render_table(self, node, width)
        if kind == "html_block":
            # Shown as the text it is: never interpreted.
            return self.lines(Text(safe(node.content).rstrip("\n"), p.meta), width)
        if kind in ("comment_block", "footnote_anchor"):
            return []
        if kind == "footnote_reference":
            return self.footnote(node, width)
        if node.children:
            return self.nodes(node.children, width)
        return self.lines(Text(safe(node.content).rstrip("\n")), width) if node.content else []

    def footnote(self, node: SyntaxTreeNode, width: int) -> Lines:
        """A footnote definition: its number, its text, and a link back to the reference."""
        p = self.palette
        label = safe(str(node.meta.get("label", ""))).lower()
        number = self.context.footnote(label)
        mark = superscript(str(number)) + " "
        # Two cells kept free on the right for the " ↩" after the last line.
        body = self.nodes(node.children, width - len(mark) - 2) or [[]]
        back = ArticleLink(self.number, "back", f"Back to note {number}", url=f"fnref:{label}")
        body[-1] = [*body[-1], Segment(" "), Segment("↩", p.link + marker(len(self.links)))]
        self.links.append(back)
        self.number += 1
        lines = [[Segment(mark, p.meta), *body[0]]]
        lines.extend([Segment(" " * len(mark)), *line] for line in body[1:])
        tag_line(lines, 0, f"fn:{label}")
        return lines

    def code(self, source: str, info: str, width: int) -> Lines:
        """A fenced or indented code block, highlighted by its language."""
        background = self.palette.code.bgcolor
        syntax = Syntax(
            safe(source).rstrip("\n"),
            _lexer(info),
            theme=self.palette.syntax_theme,
            word_wrap=True,
            background_color=background.name if background else None,
            padding=(0, 1),
        )
        return self.lines(syntax, width)

    def listing(self, node: SyntaxTreeNode, width: int) -> Lines:
        """A bullet, ordered or task list."""
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        items = node.children
        tight = all(
            child.type != "paragraph" or child.hidden for item in items for child in item.children
        )
        marks: list[str] = []
        done: list[bool] = []
        for i, item in enumerate(items):
            box = _task_box(item)
            done.append(box == "☑")
            if box:
                marks.append(box)
            elif ordered:
                marks.append(f"{start + i}{item.markup or '.'}")
            else:
                marks.append(_BULLETS[self.depth % len(_BULLETS)])
        indent = max(len(mark) for mark in marks) + 1 if marks else 2
        out: Lines = []
        self.depth += 1
        for mark, item, checked in zip(marks, items, done, strict=True):
            body = self.nodes(item.children, width - indent, tight) or [[]]
            if checked:
                body = [list(Segment.apply_style(line, self.palette.task_done)) for line in body]
            if out and not tight:
                out.append([])
            out.append([Segment(mark.rjust(indent - 1) + " ", self.palette.bullet), *body[0]])
            out.extend([Segment(" " * indent), *line] for line in body[1:])
        self.depth -= 1
        return out


def _task_box(item: SyntaxTreeNode) -> str:
    """``☑`` / ``☐`` for a task list item, "" for any other item."""
    if "task-list-item" not in str(item.attrs.get("class", "")):
        return ""
    for child in item.children:
        for inline in child.children:
            for token in inline.children:
                if token.type == "html_inline" and "task-list-item-checkbox" in token.content:
                    return "☑" if 'checked="checked"' in token.content else "☐"
    return ""


def lift_spans(lines: Lines, first_number: int) -> tuple[Lines, list[LinkSpan], dict[str, int]]:
    """Lift link and anchor markers out of style meta; drop the meta from the lines."""
    spans: list[LinkSpan] = []
    anchors: dict[str, int] = {}
    clean: Lines = []
    for y, line in enumerate(lines):
        x = 0
        out: list[Segment] = []
        for seg in line:
            width = seg.cell_length
            style = seg.style
            if style is not None and style._meta:
                meta = style.meta
                index = meta.get(LINK_META)
                if isinstance(index, int):
                    number = first_number + index
                    last = spans[-1] if spans else None
                    if last and last.line == y and last.number == number and last.end == x:
                        spans[-1] = LinkSpan(y, last.start, x + width, number)
                    else:
                        spans.append(LinkSpan(y, x, x + width, number))
                key = meta.get(ANCHOR_META)
                if isinstance(key, str):
                    anchors.setdefault(key, y)
                style = style.clear_meta_and_links()
            if seg.text or seg.control is not None:
                out.append(Segment(seg.text, style, seg.control) if seg.control is None else seg)
            x += width
        clean.append(out)
    return clean, spans, anchors


def block_lines(renderer: BlockRenderer, block: Block, width: int) -> Lines:
    """``block`` rendered by ``renderer``, markers still in the styles."""
    if block.kind == "fence":
        # Fences are cut by the line scanner (long ones in pieces), so they skip the parser.
        lines_ = block.text.split("\n")
        opener = FENCE.match(lines_[0])
        info = lines_[0][opener.end() :] if opener else ""
        closed = len(lines_) > 1 and lines_[-1].strip().startswith(lines_[0].strip()[:3])
        body = lines_[1:-1] if closed else lines_[1:]
        return renderer.code("\n".join(body), info, width)
    return renderer.nodes(SyntaxTreeNode(parse(block.text)).children, width)


def render_block(
    block: Block,
    width: int,
    palette: Palette | None = None,
    *,
    first_number: int = 1,
    wiki: dict[str, Link] | None = None,
    context: Context | None = None,
    embed_depth: int = 0,
    embed_chain: tuple[str, ...] = (),
) -> RenderedBlock:
    """Render one block at ``width`` cells; links are numbered from ``first_number``."""
    if context is None:
        context = Context(wiki=wiki or {})
    renderer = BlockRenderer(
        palette or Palette(),
        first_number,
        context,
        block_key=str(block.line),
        embed_depth=embed_depth,
        embed_chain=embed_chain,
    )
    lines, spans, anchors = lift_spans(block_lines(renderer, block, width), first_number)
    return RenderedBlock(lines, renderer.links, spans, anchors)


__all__ = ["ArticleLink", "BlockRenderer", "render_block"]
