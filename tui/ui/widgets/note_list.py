"""The note list: one line per note, drawn with the Line API so only visible rows cost anything.

``set_rows`` stores the sequence it is given and does no per-row work, so a 10k-note vault
(or a filter refresh over it) costs the same as a 10-note one. Rows are only built and
measured when they scroll into view, which also makes lazy sequences worthwhile: pass any
``Sequence[Row]`` whose ``__getitem__`` builds the row on demand. Such a sequence may also
offer ``index_of(note_id) -> int | None`` so ``keep_id`` does not have to build every row.

Every string from a note is untrusted. It is drawn as plain ``Segment`` text (never markup)
after ``plain()`` has removed anything a terminal could read as a control sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.text.hygiene import plain
from tui.ui.keys import keys_for
from tui.ui.widgets.cursor_list import CursorList

STATUS_MARKS: dict[str, str] = {"unread": "●", "read": "·", "archived": "▪"}
"""The glyph drawn in the first column for each note status."""
STAR_MARK = "★"
MARKED = "»"
"""Drawn in the status column of a selected row (a shape, so it shows without colour); the
whole row also takes the ``note-list--selected`` style."""

DATE_WIDTH = 10
RELEVANCE_WIDTH = 2
DATE_MIN_WIDTH = 40
"""Narrower than this, the date column is dropped (the domain went earlier)."""
SNIPPET_MIN_WIDTH = 12
"""A search's excerpt is shown after the title only when this many cells are left for it."""
DOMAIN_MIN_WIDTH = 64
"""Narrower than this, the domain column is dropped."""


def fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to exactly ``width`` terminal cells, marking a cut with "…"."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    # set_cell_size pads with a space when a wide character would straddle the edge.
    return set_cell_size(text, width - 1) + "…"


class Layout(NamedTuple):
    """Column widths for one list width; 0 means the column is not shown."""

    date: int
    domain: int
    title: int


@lru_cache(maxsize=16)
def layout_for(width: int) -> Layout:
    """Split ``width`` cells between the columns, dropping domain then date when narrow."""
    fixed = 1 + 1 + 1 + 1 + RELEVANCE_WIDTH + 1  # status, star, relevance and their gaps
    date = DATE_WIDTH if width >= DATE_MIN_WIDTH else 0
    domain = min(20, max(8, width // 6)) if width >= DOMAIN_MIN_WIDTH else 0
    used = fixed + (date + 1 if date else 0) + (domain + 1 if domain else 0)
    return Layout(date, domain, max(0, width - used))


@dataclass(frozen=True, slots=True)
class Row:
    """What the list shows for one note. ``relevance`` is the symbol (or raw value) to draw."""

    note_id: str
    title: str
    date: str
    domain: str
    relevance: str
    status: str
    starred: bool
    snippet: str = ""  # for a search: the body around the first hit, drawn after the title


class NoteList(CursorList):
    """A fast, keyboard-driven list of notes that posts ``Highlighted`` and ``Selected``."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("list")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "note-list--cursor",
        "note-list--unread",
        "note-list--read",
        "note-list--archived",
        "note-list--starred",
        "note-list--date",
        "note-list--snippet",
        "note-list--domain",
        "note-list--empty",
        "note-list--marked",
        "note-list--selected",
    }

    class _RowMessage(Message):
        def __init__(self, note_list: NoteList, index: int, note_id: str | None) -> None:
            super().__init__()
            self.note_list = note_list
            self.index = index
            self.note_id = note_id

        @property
        def control(self) -> NoteList:
            """The list that sent this message."""
            return self.note_list

    class Highlighted(_RowMessage):
        """The cursor moved to another row; ``note_id`` is None when the list is empty."""

    class Selected(_RowMessage):
        """A row was chosen with Enter or a click on the current row."""

        note_id: str

    empty_text: reactive[str] = reactive("No notes match")
    """Shown centred when there are no rows."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: Sequence[Row] = ()
        self._changed: dict[int, Row] = {}
        self._announced: tuple[int, str | None] | None = None
        self._opened_by_click = False
        # Scrolling by one line re-requests every visible line; all but one are unchanged.
        self._strips: LRUCache[tuple[int, bool, int, bool], Strip] = LRUCache(256)
        self._marked: frozenset[str] = frozenset()

    # -- data -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row], *, keep_id: str | None = None) -> None:
        """Show ``rows``; the cursor stays on ``keep_id`` when it is among them, else goes to 0."""
        self._rows = rows
        self._changed.clear()
        self._strips.clear()
        index = self._find(keep_id) if keep_id is not None else None
        self.virtual_size = Size(0, len(rows))
        self.set_reactive(NoteList.cursor, self.validate_cursor(index or 0))
        self.scroll_to_cursor()
        self.refresh()
        self._announce()

    def update_row(self, index: int, row: Row) -> None:
        """Replace the row at ``index`` (say, after a toggle) and repaint only that line."""
        if not 0 <= index < len(self._rows):
            raise IndexError(f"row {index} is outside the list of {len(self._rows)}")
        self._changed[index] = row
        self._strips.clear()
        self.refresh_line(index)

    def set_marked(self, note_ids: frozenset[str]) -> None:
        """Draw the rows of ``note_ids`` as selected (a multi-note action will apply to them)."""
        if note_ids != self._marked:
            self._marked = note_ids
            self.refresh()

    def row_at(self, index: int) -> Row:
        """The row at ``index``, including any change made with ``update_row``."""
        changed = self._changed.get(index)
        return changed if changed is not None else self._rows[index]

    @property
    def row_count(self) -> int:
        """How many rows the list holds."""
        return len(self._rows)

    @property
    def current_row(self) -> Row | None:
        """The row under the cursor, or None when the list is empty."""
        return self.row_at(self.cursor) if self._rows else None

    @property
    def current_id(self) -> str | None:
        """The note id under the cursor, or None when the list is empty."""
        row = self.current_row
        return row.note_id if row is not None else None

    def _find(self, note_id: str) -> int | None:
        index_of = getattr(self._rows, "index_of", None)
        if callable(index_of):
            found = index_of(note_id)
            return found if isinstance(found, int) else None
        for index, row in enumerate(self._rows):
            if row.note_id == note_id:
                return index
        return None

    # -- cursor ---------------------------------------------------------------------------

    def choice_count(self) -> int:
        """One choice per row."""
        return len(self._rows)

    def cursor_moved(self) -> None:
        """Tell the screen which note is highlighted now."""
        self._announce()

    def _announce(self) -> None:
        current = (self.cursor, self.current_id)
        if current != self._announced:
            self._announced = current
            self.post_message(self.Highlighted(self, *current))

    def action_page_down(self) -> None:
        """Move down one screenful."""
        self.cursor += max(1, self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        """Move up one screenful."""
        self.cursor -= max(1, self.scrollable_content_region.height)

    def action_scroll_top(self) -> None:
        """Jump to the first row."""
        self.cursor = 0

    def action_scroll_bottom(self) -> None:
        """Jump to the last row."""
        self.cursor = len(self._rows) - 1

    def action_select(self) -> None:
        """Choose the current row."""
        note_id = self.current_id
        if note_id is not None:
            self.post_message(self.Selected(self, self.cursor, note_id))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if not 0 <= index < len(self._rows):
            return
        event.stop()
        # A click on the current row opens it; so does a double click anywhere, but the
        # second click of a double click on the current row must not open it twice.
        if event.chain == 1:
            self._opened_by_click = index == self.cursor
            self.cursor = index
            if self._opened_by_click:
                self.action_select()
        elif not self._opened_by_click:
            self._opened_by_click = True
            self.cursor = index
            self.action_select()

    # -- drawing --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Component styles changed (theme, focus): every line must be redrawn."""
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """Draw one visible line; ``y`` counts from the top of the view."""
        width = self.scrollable_content_region.width
        if not self._rows:
            return self._render_empty(y, width)
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self.rich_style)
        row = self.row_at(index)
        key = (index, index == self.cursor, width, row.note_id in self._marked)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._render_row(index, row, width)
        return strip

    def _render_empty(self, y: int, width: int) -> Strip:
        base = self.rich_style
        height = self.scrollable_content_region.height
        if y != height // 2:
            return Strip.blank(width, base)
        text = plain(self.empty_text)
        text = set_cell_size(text, width) if cell_len(text) > width else text
        left = (width - cell_len(text)) // 2
        style = base + self.part("note-list--empty")
        segments = [Segment(" " * left, base), Segment(text, style)]
        return Strip(segments).extend_cell_length(width, base)

    def _render_row(self, index: int, row: Row, width: int) -> Strip:
        columns = layout_for(width)
        base = self.rich_style
        status = row.status if row.status in STATUS_MARKS else "read"
        text_style = base + self.part(f"note-list--{status}")
        marked = row.note_id in self._marked
        cells: list[tuple[str, Style]] = [
            (
                MARKED if marked else STATUS_MARKS[status],
                base + self.part("note-list--marked") if marked else text_style,
            ),
            (STAR_MARK if row.starred else " ", base + self.part("note-list--starred")),
            (fit(plain(row.relevance), RELEVANCE_WIDTH), base),
        ]
        if columns.date:
            cells.append((fit(plain(row.date), columns.date), base + self.part("note-list--date")))
        if columns.domain:
            domain = fit(plain(row.domain), columns.domain)
            cells.append((domain, base + self.part("note-list--domain")))
        title = plain(row.title)
        room = columns.title - cell_len(title) - 3
        if row.snippet and room >= SNIPPET_MIN_WIDTH:
            cells.append((title + " ·", text_style))
            cells.append((fit(plain(row.snippet), room), base + self.part("note-list--snippet")))
        else:
            cells.append((fit(title, columns.title), text_style))
        # Only the selection's background: each column keeps its own colour and weight.
        tint = Style(bgcolor=self.part("note-list--selected").bgcolor) if marked else None
        if tint is not None:
            cells = [(text, style + tint) for text, style in cells]
        if index == self.cursor:
            # Dim read titles would be hard to make out on the cursor's background.
            cursor = self.part("note-list--cursor") + Style(dim=False)
            cells = [(text, style + cursor) for text, style in cells]
            gap = base + cursor
        else:
            gap = base if tint is None else base + tint
        segments: list[Segment] = []
        for text, style in cells:
            if segments:
                segments.append(Segment(" ", gap))
            segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(width, gap)
