"""The facet sidebar: counts by status, relevance, domain and tag; choosing one toggles a term.

The sidebar only shows numbers and reports choices (``FacetSidebar.Toggled``); the screen owns
the query and decides what a toggle means. Labels are note text (domains, tags), so they are
drawn as plain segments after ``plain()``, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from tui.text.hygiene import plain
from tui.ui.keys import keys_for
from tui.ui.widgets.cursor_list import CursorList
from tui.ui.widgets.note_list import fit

_NEEDS_QUOTES = frozenset(' \t"\\()')
ACTIVE_MARK = "✓"


def facet_term(key: str, value: str) -> str:
    """Build a query term such as ``domain:SQL``; values with spaces or quotes are quoted.

    ``facet_term("domain", "AI Tools")`` gives ``domain:"AI Tools"``; a ``"`` or ``\\`` inside
    the value is escaped with a backslash, and control characters are dropped.
    """
    value = plain(value)
    if value and not _NEEDS_QUOTES.intersection(value):
        return f"{key}:{value}"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}:"{escaped}"'


@dataclass(frozen=True, slots=True)
class FacetItem:
    """One choice: what to show, the query term it toggles, and how many notes match."""

    label: str
    term: str
    total: int
    unread: int


@dataclass(slots=True)
class FacetData:
    """Everything the sidebar shows, section by section, in display order."""

    status: list[FacetItem] = field(default_factory=list)
    relevance: list[FacetItem] = field(default_factory=list)
    domain: list[FacetItem] = field(default_factory=list)
    tags: list[FacetItem] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[FacetItem]]]:
        """The non-empty sections with their headings."""
        named = [
            ("Status", self.status),
            ("Relevance", self.relevance),
            ("Domain", self.domain),
            ("Tags", self.tags),
        ]
        return [(title, items) for title, items in named if items]


class _Line(NamedTuple):
    heading: str  # "" for an item line or a blank spacer
    item: FacetItem | None


def _counts(item: FacetItem) -> str:
    return f"{item.total} ({item.unread})"


class FacetSidebar(CursorList):
    """A short keyboard-navigable list of facets that posts ``Toggled`` when one is chosen."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("facets")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "facets--header",
        "facets--count",
        "facets--active",
        "facets--cursor",
    }

    class Toggled(Message):
        """A facet was chosen: the screen should add or remove ``query_term``."""

        def __init__(self, sidebar: FacetSidebar, query_term: str) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.query_term = query_term

        @property
        def control(self) -> FacetSidebar:
            """The sidebar that sent this message."""
            return self.sidebar

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines: list[_Line] = []
        self._item_lines: list[int] = []
        self._active: frozenset[str] = frozenset()
        self._count_width = 0

    def set_facets(self, facets: FacetData) -> None:
        """Show ``facets``; the cursor stays on the same term when it is still listed."""
        keep = self.current_term
        lines: list[_Line] = []
        for title, items in facets.sections():
            if lines:
                lines.append(_Line("", None))
            lines.append(_Line(title, None))
            lines.extend(_Line("", item) for item in items)
        self._lines = lines
        self._item_lines = [i for i, line in enumerate(lines) if line.item is not None]
        items = [line.item for line in lines if line.item is not None]
        self._count_width = max((cell_len(_counts(item)) for item in items), default=0)
        terms = [item.term for item in items]
        self.virtual_size = Size(0, len(lines))
        self.set_reactive(FacetSidebar.cursor, terms.index(keep) if keep in terms else 0)
        self.scroll_to_cursor()
        self.refresh()

    def set_active(self, terms: set[str] | frozenset[str]) -> None:
        """Highlight the facets whose terms are in the current query."""
        self._active = frozenset(terms)
        self.refresh()

    @property
    def current_term(self) -> str | None:
        """The term under the cursor, or None when there are no facets."""
        if not self._item_lines:
            return None
        item = self._lines[self._item_lines[self.cursor]].item
        return item.term if item is not None else None

    def choice_count(self) -> int:
        """The items are the choices; headings and spacers are skipped."""
        return len(self._item_lines)

    def line_of(self, index: int) -> int:
        """The line item ``index`` is drawn on."""
        return self._item_lines[index]

    def first_line_of(self, index: int) -> int:
        """A section's first item brings its heading into view with it."""
        line = self._item_lines[index]
        return line - 1 if line and self._lines[line - 1].heading else line

    def action_toggle_facet(self) -> None:
        """Ask for the facet under the cursor to be toggled in the query."""
        term = self.current_term
        if term is not None:
            self.post_message(self.Toggled(self, term))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = self.scroll_offset.y + offset.y
        if line in self._item_lines:
            event.stop()
            self.cursor = self._item_lines.index(line)
            self.action_toggle_facet()

    def notify_style_update(self) -> None:
        """Component styles changed (theme, focus): every line must be redrawn."""
        super().notify_style_update()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Draw one visible line; ``y`` counts from the top of the view."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, base)
        heading, item = self._lines[index]
        if item is None:
            text = fit(plain(heading), width)
            return Strip([Segment(text, base + self.part("facets--header"))], width)
        active = item.term in self._active
        label_style = base + self.part("facets--active") if active else base
        count_style = base + self.part("facets--count")
        counts = _counts(item)
        label_width = max(0, width - 2 - self._count_width - 1)
        cells = [
            (f"{ACTIVE_MARK} " if active else "  ", label_style),
            (fit(plain(item.label), label_width), label_style),
            (" " + " " * (self._count_width - cell_len(counts)) + counts, count_style),
        ]
        is_cursor = self._item_lines and self._item_lines[self.cursor] == index
        if is_cursor:
            cursor = self.part("facets--cursor")
            cells = [(text, style + cursor) for text, style in cells]
        fill = base + self.part("facets--cursor") if is_cursor else base
        return Strip([Segment(text, style) for text, style in cells]).adjust_cell_length(
            width, fill
        )
