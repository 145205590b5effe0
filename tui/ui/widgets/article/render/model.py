"""What the renderer hands the layout: rendered lines, numbered links, anchors; its palette
and the per-note context (wikilink targets, footnote numbers, folds, embeds)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from rich.segment import Segment
from rich.style import Style

from tui.text.hygiene import drop_unsafe
from tui.text.notes import Link


def safe(text: str) -> str:
    """``text`` without control or bidi characters, tabs expanded; newlines are kept."""
    if "\t" in text:
        text = text.expandtabs(4)
    return drop_unsafe(text)


LinkKind = Literal["wiki", "web", "footnote", "back", "fold"]
"""wiki and web links leave the article; the others move or change it (see ``ArticleLink``)."""


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """A numbered link in the article.

    ``wiki``: a note in the vault (``link``); ``web``: any other URL, kept as data only
    (nothing in the renderer opens it or hands it to the terminal); ``footnote`` / ``back``:
    a jump to a footnote or back to its reference (``url`` is the anchor); ``fold``: the
    title of a foldable callout (``url`` is its key).
    """

    number: int
    kind: LinkKind
    label: str
    url: str = ""
    link: Link | None = None

    @property
    def resolved(self) -> bool:
        """False for a wikilink whose target is not in the vault."""
        return self.kind != "wiki" or (self.link is not None and self.link.path is not None)


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """Where link ``number`` sits in a rendered block: line index and cell range [start, end)."""

    line: int
    start: int
    end: int
    number: int


Lines = list[list[Segment]]


@dataclass(slots=True)
class RenderedBlock:
    """A block rendered at one width: lines of segments, the links and anchors found in it.

    ``anchors`` maps a target (``h:<heading key>``, ``b:<block id>``, ``fn:<label>``,
    ``fnref:<label>``) to the line it starts on.
    """

    lines: Lines
    links: list[ArticleLink] = field(default_factory=list)
    spans: list[LinkSpan] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)

    @property
    def height(self) -> int:
        """Number of screen lines."""
        return len(self.lines)


LINK_META = "readerly.link"  # style meta key marking link text while rendering
ANCHOR_META = "readerly.anchor"  # style meta key marking where a target starts


@dataclass(frozen=True, slots=True)
class Palette:
    """The styles the renderer uses; the widget fills it from its component classes."""

    h1: Style = field(default_factory=lambda: Style(bold=True, underline=True))
    h2: Style = field(default_factory=lambda: Style(bold=True))
    h3: Style = field(default_factory=lambda: Style(bold=True, italic=True))
    h4: Style = field(default_factory=lambda: Style(bold=True, dim=True))
    h5: Style = field(default_factory=lambda: Style(italic=True, underline=True))
    h6: Style = field(default_factory=lambda: Style(italic=True, dim=True))
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
    mark: Style = field(default_factory=lambda: Style(reverse=True))
    math: Style = field(default_factory=lambda: Style(italic=True))
    kbd: Style = field(default_factory=lambda: Style(bold=True, reverse=True))
    task_done: Style = field(default_factory=lambda: Style(dim=True))
    embed: Style = field(default_factory=lambda: Style(dim=True))
    find: Style = field(default_factory=lambda: Style(reverse=True, bold=True))
    # Callout colours by family (note, tip, warning, danger, ...): the bar and the label.
    callout: dict[str, Style] = field(default_factory=dict)
    syntax_theme: str = "ansi_dark"


@dataclass(frozen=True, slots=True)
class Embedded:
    """Another note's text to transclude: its path, cleaned body and wikilink targets."""

    path: str
    title: str
    body: str
    wiki: dict[str, Link]


@dataclass(frozen=True, slots=True)
class Alike:
    """A note listed under the article as one of those most like it."""

    path: str
    title: str
    date: str = ""
    domain: str = ""


EmbedLookup = Callable[[Link], Embedded | None]
AttachmentLookup = Callable[[str], bool]


class Sources(Protocol):
    """Where embeds and attachments are looked up (the vault's, see ``article.sources``)."""

    def embed(self, link: Link) -> Embedded | None:
        """The text of the note ``link`` points at, or None."""

    def attachment(self, name: str) -> bool:
        """Whether the attachment file ``name`` exists in the vault."""


@dataclass(slots=True)
class Context:
    """What rendering one note needs beyond the block: kept by the view across re-layouts.

    ``footnotes`` numbers labels in the order they are first met (blocks are measured in
    order, so a re-render finds the same numbers); ``folds`` holds callouts the reader
    toggled, by key; ``embed`` and ``attachment`` look other files up (None: embeds show as
    links, attachments as unknown).
    """

    wiki: dict[str, Link] = field(default_factory=dict)
    path: str = ""
    footnotes: dict[str, int] = field(default_factory=dict)
    folds: dict[str, bool] = field(default_factory=dict)
    embed: EmbedLookup | None = None
    attachment: AttachmentLookup | None = None
    max_embed_depth: int = 2

    def footnote(self, label: str) -> int:
        """The number shown for footnote ``label``."""
        key = label.lower()
        if key not in self.footnotes:
            self.footnotes[key] = len(self.footnotes) + 1
        return self.footnotes[key]


def wiki_index(links: list[Link]) -> dict[str, Link]:
    """Resolved links keyed by lower-cased target, for looking wikilinks up while rendering."""
    return {link.target.lower(): link for link in links}
