"""Markdown to styled lines, one block at a time, for the article pane.

The source is cut into top-level blocks by :func:`tui.text.blocks.iter_blocks`, and each block
is parsed and rendered on its own (:func:`render_block`), so a reader only ever pays for
what is on screen. Everything here may import rich but never textual.

Note text is untrusted: it only ever becomes plain ``Text`` content, control characters
are removed from every string emitted, and links are carried as data (a number in the
style's meta), never as Rich ``link`` styles or ``@click`` actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.tree import SyntaxTreeNode
from rich import box
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from tui.text.blocks import FENCE, Block
from tui.text.hygiene import drop_unsafe
from tui.text.links import WIKILINK_RE, parse_wikilink
from tui.text.notes import Link


def safe(text: str) -> str:
    """``text`` without control or bidi characters, tabs expanded; newlines are kept."""
    if "\t" in text:
        text = text.expandtabs(4)
    return drop_unsafe(text)


LinkKind = Literal["wiki", "web"]


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """A numbered link in the article: a wikilink (``link``) or a web/other URL (``url``).

    ``url`` is data only: nothing in the renderer opens it or hands it to the terminal.
    """

    number: int
    kind: LinkKind
    label: str
    url: str = ""
    link: Link | None = None

    @property
    def resolved(self) -> bool:
        """False for a wikilink whose target is not in the vault."""
        return self.kind == "web" or (self.link is not None and self.link.path is not None)


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """Where link ``number`` sits in a rendered block: line index and cell range [start, end)."""

    line: int
    start: int
    end: int
    number: int


@dataclass(slots=True)
class RenderedBlock:
    """A block rendered at one width: lines of segments plus the links found in it."""

    lines: list[list[Segment]]
    links: list[ArticleLink] = field(default_factory=list)
    spans: list[LinkSpan] = field(default_factory=list)

    @property
    def height(self) -> int:
        """Number of screen lines."""
        return len(self.lines)


LINK_META = "readerly.link"  # style meta key marking link text while rendering


@dataclass(frozen=True, slots=True)
class Palette:
    """The styles the renderer uses; the widget fills it from its component classes."""

    h1: Style = field(default_factory=lambda: Style(bold=True, underline=True))
    h2: Style = field(default_factory=lambda: Style(bold=True))
    h3: Style = field(default_factory=lambda: Style(bold=True, italic=True))
    code: Style = field(default_factory=Style)  # fenced code: its bgcolor is the background
    code_inline: Style = field(default_factory=lambda: Style(reverse=True))
    link: Style = field(default_factory=lambda: Style(underline=True))
    link_hint: Style = field(default_factory=lambda: Style(dim=True))
    link_unresolved: Style = field(default_factory=lambda: Style(dim=True, strike=True))
    quote: Style = field(default_factory=lambda: Style(italic=True))
    rule: Style = field(default_factory=lambda: Style(dim=True))
    bullet: Style = field(default_factory=lambda: Style(bold=True))
    table_header: Style = field(default_factory=lambda: Style(bold=True))
    title: Style = field(default_factory=lambda: Style(bold=True))
    meta: Style = field(default_factory=lambda: Style(dim=True))
    tag: Style = field(default_factory=lambda: Style(italic=True))
    syntax_theme: str = "ansi_dark"


@lru_cache(maxsize=256)
def _marker(index: int) -> Style:
    # Block-local indexes (not global numbers) so that the same few styles, and their
    # combinations in Rich's caches, are reused by every block instead of piling up.
    return Style.from_meta({LINK_META: index})


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKILINK_RE.match(state.src, state.pos)
    if match is None or match.end() > state.posMax:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    # Every URL is kept as data so the reader can see (and the app refuse) odd schemes.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _make_parser()
_CONSOLE = Console(
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


Lines = list[list[Segment]]


class _Renderer:
    """Renders one block's syntax tree; collects links numbered from ``first_number``."""

    def __init__(self, palette: Palette, first_number: int, wiki: dict[str, Link]) -> None:
        self.palette = palette
        self.number = first_number
        self.wiki = wiki
        self.links: list[ArticleLink] = []
        self.depth = 0

    def lines(self, renderable: RenderableType, width: int) -> Lines:
        options = _CONSOLE.options.update(width=max(width, 1), highlight=False, markup=False)
        return _CONSOLE.render_lines(renderable, options, pad=False, new_lines=False)

    def nodes(self, nodes: list[SyntaxTreeNode], width: int, tight: bool = False) -> Lines:
        out: Lines = []
        for node in nodes:
            lines = self.node(node, width)
            if lines and out and not tight:
                out.append([])
            out.extend(lines)
        return out

    def node(self, node: SyntaxTreeNode, width: int) -> Lines:
        kind = node.type
        p = self.palette
        if kind == "heading":
            style = {"h1": p.h1, "h2": p.h2}.get(node.tag, p.h3)
            return self.lines(self.inline_text(node, style), width)
        if kind in ("paragraph", "inline"):
            return self.lines(self.inline_text(node, Style()), width)
        if kind in ("fence", "code_block"):
            return self.code(node.content, node.info if kind == "fence" else "", width)
        if kind in ("bullet_list", "ordered_list"):
            return self.listing(node, width)
        if kind == "blockquote":
            body = self.nodes(node.children, width - 2)
            bar = Segment("▌ ", p.quote)
            return [[bar, *Segment.apply_style(line, p.quote)] for line in body]
        if kind == "hr":
            return [[Segment("─" * max(width, 1), p.rule)]]
        if kind == "table":
            return self.table(node, width)
        if node.children:
            return self.nodes(node.children, width)
        return self.lines(Text(safe(node.content).rstrip("\n")), width) if node.content else []

    def code(self, source: str, info: str, width: int) -> Lines:
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
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        items = node.children
        tight = all(
            child.type != "paragraph" or child.hidden for item in items for child in item.children
        )
        if ordered:
            marks = [f"{start + i}{item.markup or '.'}" for i, item in enumerate(items)]
        else:
            marks = [_BULLETS[self.depth % len(_BULLETS)]] * len(items)
        indent = max(len(mark) for mark in marks) + 1 if marks else 2
        out: Lines = []
        self.depth += 1
        for mark, item in zip(marks, items, strict=True):
            body = self.nodes(item.children, width - indent, tight) or [[]]
            if out and not tight:
                out.append([])
            out.append([Segment(mark.rjust(indent - 1) + " ", self.palette.bullet), *body[0]])
            out.extend([Segment(" " * indent), *line] for line in body[1:])
        self.depth -= 1
        return out

    def table(self, node: SyntaxTreeNode, width: int) -> Lines:
        table = Table(
            box=box.ROUNDED,
            border_style=self.palette.rule,
            header_style=self.palette.table_header,
            show_edge=True,
            expand=False,
        )
        rows = [tr for section in node.children for tr in section.children]
        if not rows:
            return []
        for cell in rows[0].children:
            align = str(cell.attrs.get("style", "")).removeprefix("text-align:")
            justify = align if align in ("left", "center", "right") else "left"
            table.add_column(self.inline_text(cell, Style()), justify=justify, overflow="fold")  # type: ignore[arg-type]
        for row in rows[1:]:
            table.add_row(*(self.inline_text(cell, Style()) for cell in row.children))
        return self.lines(table, width)

    def inline_text(self, node: SyntaxTreeNode, style: Style) -> Text:
        text = Text(overflow="fold", justify="default", end="")
        for child in node.children:
            if child.type == "inline":
                self.inline(child, text, style)
            else:
                self.inline(node, text, style)
                break
        return text

    def inline(self, node: SyntaxTreeNode, text: Text, style: Style) -> None:
        p = self.palette
        for child in node.children:
            kind = child.type
            if kind == "text" or kind == "html_inline":
                text.append(safe(child.content), style)
            elif kind == "softbreak":
                text.append(" ", style)
            elif kind == "hardbreak":
                text.append("\n", style)
            elif kind == "code_inline":
                text.append(safe(child.content), style + p.code_inline)
            elif kind == "strong":
                self.inline(child, text, style + Style(bold=True))
            elif kind == "em":
                self.inline(child, text, style + Style(italic=True))
            elif kind == "s":
                self.inline(child, text, style + Style(strike=True))
            elif kind in ("link", "image"):
                self.web_link(child, text, style)
            elif kind == "wikilink":
                self.wiki_link(child.content, text, style)
            elif child.children:
                self.inline(child, text, style)
            else:
                text.append(safe(child.content), style)

    def web_link(self, node: SyntaxTreeNode, text: Text, style: Style) -> None:
        attr = "src" if node.type == "image" else "href"
        url = safe(str(node.attrs.get(attr, "")))
        meta = _marker(len(self.links))
        start = len(text)
        if node.type == "image":
            text.append("image: ", style + self.palette.link + meta)
        self.inline(node, text, style + self.palette.link + meta)
        if len(text) == start:
            text.append(url or "link", style + self.palette.link + meta)
        label = text.plain[start:].strip() or url
        self.add(ArticleLink(self.number, "web", label, url=url), text, style + meta)

    def wiki_link(self, inner: str, text: Text, style: Style) -> None:
        parsed = parse_wikilink(safe(inner))
        if parsed is None:
            text.append(f"[[{safe(inner)}]]", style)
            return
        known = self.wiki.get(parsed.target.lower())
        link = Link(parsed.target, parsed.heading, parsed.alias, known.path if known else None)
        meta = _marker(len(self.links))
        look = self.palette.link if link.path is not None else self.palette.link_unresolved
        text.append(link.label, style + look + meta)
        self.add(ArticleLink(self.number, "wiki", link.label, link=link), text, style + meta)

    def add(self, link: ArticleLink, text: Text, style: Style) -> None:
        text.append(f"[{link.number}]", style + self.palette.link_hint)
        self.links.append(link)
        self.number += 1


def _spans(lines: Lines, first_number: int) -> tuple[Lines, list[LinkSpan]]:
    """Lift link markers out of style meta into numbered spans; drop the meta from the lines."""
    spans: list[LinkSpan] = []
    clean: Lines = []
    for y, line in enumerate(lines):
        x = 0
        out: list[Segment] = []
        for seg in line:
            width = seg.cell_length
            style = seg.style
            if style is not None and style._meta:
                index = style.meta.get(LINK_META)
                if isinstance(index, int):
                    number = first_number + index
                    last = spans[-1] if spans else None
                    if last and last.line == y and last.number == number and last.end == x:
                        spans[-1] = LinkSpan(y, last.start, x + width, number)
                    else:
                        spans.append(LinkSpan(y, x, x + width, number))
                style = style.clear_meta_and_links()
            out.append(Segment(seg.text, style, seg.control) if seg.control is None else seg)
            x += width
        clean.append(out)
    return clean, spans


def wiki_index(links: list[Link]) -> dict[str, Link]:
    """Resolved links keyed by lower-cased target, for looking wikilinks up while rendering."""
    return {link.target.lower(): link for link in links}


def render_block(
    block: Block,
    width: int,
    palette: Palette | None = None,
    *,
    first_number: int = 1,
    wiki: dict[str, Link] | None = None,
) -> RenderedBlock:
    """Render one block at ``width`` cells; links are numbered from ``first_number``."""
    renderer = _Renderer(palette or Palette(), first_number, wiki or {})
    if block.kind == "fence":
        lines_ = block.text.split("\n")
        opener = FENCE.match(lines_[0])
        info = lines_[0][opener.end() :] if opener else ""
        closed = len(lines_) > 1 and lines_[-1].strip().startswith(lines_[0].strip()[:3])
        body = lines_[1:-1] if closed else lines_[1:]
        # An indented fence keeps its indent on the closing line, but its content is dedented
        # by the opener's indent; top-level fences (the only ones here) start at column 0.
        lines = renderer.code("\n".join(body), info, width)
    else:
        tree = SyntaxTreeNode(_MD.parse(block.text))
        lines = renderer.nodes(tree.children, width)
    lines, spans = _spans(lines, first_number)
    return RenderedBlock(lines, renderer.links, spans)


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
    renderer = _Renderer(p, 1, {})
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
