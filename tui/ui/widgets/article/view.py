"""The article pane: a note's header and Markdown body, rendered lazily with the Line API.

Blocks are split, parsed and rendered only as far as the screen (plus a margin) needs;
a timer keeps going in small slices so the scrollbar, link numbers and ``G`` catch up
without ever holding keys back. Where each block sits, and the cache of rendered lines, is
kept by :class:`~tui.ui.widgets.article.layout.ArticleLayout`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui.text.blocks import Block, iter_blocks
from tui.text.notes import Link, Note
from tui.ui.keys import keys_for
from tui.ui.widgets.article.layout import ArticleLayout
from tui.ui.widgets.article.render import (
    ArticleLink,
    Palette,
    render_header,
    source_host,
    wiki_index,
)

__all__ = ["ArticleLink", "ArticleView"]

SLICE = 0.012  # seconds of background rendering per timer tick
PAUSE = 0.02  # seconds between ticks, so keys, paints and other work get the CPU
AHEAD = 20_000  # lines laid out ahead of the reader in the background (all of a usual note)
FIRST_PAINT = 0.05  # seconds of rendering allowed before returning from show()/restore()
POSITION_DELAY = 0.5  # at most two PositionChanged messages a second
GROW_EVERY = 0.5  # seconds between scrollbar updates while a long note is laid out


class ArticleView(ScrollView, can_focus=True):
    """Shows one note. Posts :class:`LinkActivated` and :class:`PositionChanged`; opens nothing.

    ``position`` is the source line (0-based, fractional) at the top of the view, so it
    survives width changes and re-renders.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys_for("article")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article--h1",
        "article--h2",
        "article--h3",
        "article--code",
        "article--code-inline",
        "article--link",
        "article--link-hint",
        "article--link-unresolved",
        "article--link-cursor",
        "article--quote",
        "article--rule",
        "article--bullet",
        "article--table-header",
        "article--title",
        "article--meta",
        "article--tag",
    }

    class LinkActivated(Message):
        """The reader chose to follow ``link`` (keyboard or mouse)."""

        def __init__(self, link: ArticleLink) -> None:
            super().__init__()
            self.link = link

    class PositionChanged(Message):
        """The reader scrolled; ``position`` is what :meth:`ArticleView.restore` takes."""

        def __init__(self, position: float) -> None:
            super().__init__()
            self.position = position

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._note: Note | None = None
        self._symbol = ""
        self._wiki: dict[str, Link] = {}
        self._blocks: list[Block] = []
        self._source: Iterator[Block] = iter(())
        self._layout = ArticleLayout(self._blocks, self._source, self._wiki)
        self._pending: tuple[str, float] | None = None
        self._cursor: int | None = None
        self._digits: str | None = None
        self._digit_timer: Timer | None = None
        self._pump_timer: Timer | None = None
        self._position_timer: Timer | None = None
        self._posted: float | None = None
        self._grown_at = 0.0

    # -- public API ---------------------------------------------------------------------

    def show(
        self,
        note: Note,
        body: str,
        *,
        relevance_symbol: str = "",
        position: float | None = None,
    ) -> None:
        """Display ``note`` with ``body`` (already cleaned text), optionally at ``position``."""
        self._note, self._symbol = note, relevance_symbol
        self._wiki = dict(wiki_index(note.links))
        self._cursor = None
        self._posted = position or 0.0
        self._blocks = []
        self._source = iter_blocks(body)
        self._relayout(position or 0.0)
        # A note that fits on screen changes no scroll offset or size, so nothing else
        # would repaint it (a new relevance symbol in the header, say).
        self.refresh()

    def clear(self) -> None:
        """Show nothing."""
        self._note = None
        self._blocks, self._source = [], iter(())
        self._cursor = self._pending = None
        self._cancel_digits()
        self._stop_pump()
        self._reset_layout()
        self.virtual_size = Size(0, 0)
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()

    @property
    def links(self) -> list[ArticleLink]:
        """Links found so far, in order (the list grows while a long note renders)."""
        return self._layout.links

    @property
    def position(self) -> float:
        """Source line at the top of the view (fractional, 0 at the start)."""
        return self._layout.position_at(self.scroll_y)

    def restore(self, position: float) -> None:
        """Scroll so that source line ``position`` is at the top (once it has been laid out)."""
        self._pending = ("line", max(position, 0.0))
        self._measure(FIRST_PAINT)
        self._start_pump()

    def follow_number(self, n: int) -> None:
        """Follow link number ``n`` if it exists."""
        links = self._layout.links
        if 1 <= n <= len(links):
            self._set_cursor(n)
            self.post_message(self.LinkActivated(links[n - 1]))

    # -- layout -------------------------------------------------------------------------

    def _reset_layout(self) -> None:
        self._layout = ArticleLayout(self._blocks, self._source, self._wiki)

    def _relayout(self, position: float) -> None:
        """(Re)start laying out at the current width, then go to ``position``."""
        self._stop_pump()
        self._reset_layout()
        layout = self._layout
        layout.width = self.scrollable_content_region.width
        if self._note is None or layout.width <= 0:
            return
        layout.done = False
        layout.palette = self._make_palette()
        note = self._note
        details = [note.date, note.domain, self._symbol, source_host(note.source)]
        header = render_header(note.title, details, note.tags, layout.width, layout.palette)
        layout.append(-1.0, header, [], [])
        self.restore(position)

    def _measure_one(self) -> bool:
        return self._layout.measure_one(self.scroll_y + 3 * self.scrollable_content_region.height)

    def _measure(self, budget: float) -> None:
        """Measure blocks for up to ``budget`` seconds, or until the screen and target are met."""
        deadline = time.perf_counter() + budget
        want = self.scroll_y + 3 * max(self.size.height, 24)
        while not self._layout.done and time.perf_counter() < deadline:
            if self._pending is None and self._layout.total() >= want:
                break
            if self._pending is not None and self._settle():
                break
            self._measure_one()
        self._grow()
        self._settle()

    def _grow(self, force: bool = True) -> None:
        """Publish the measured height; in the background only now and then (layout is costly)."""
        total = self._layout.total()
        if self.virtual_size == Size(self._layout.width, total):
            return
        now = time.perf_counter()
        shown = self.virtual_size.height
        near_end = self.scroll_y + 2 * self.scrollable_content_region.height >= shown
        every = GROW_EVERY / 5 if near_end else GROW_EVERY
        if force or self._layout.done or now - self._grown_at > every:
            self._grown_at = now
            self.virtual_size = Size(self._layout.width, total)
            if near_end or shown == 0:
                self.refresh()

    def _settle(self) -> bool:
        """Scroll to the pending target if it is laid out; True when nothing is pending."""
        if self._pending is None:
            return True
        kind, value = self._pending
        total, view = self._layout.total(), self.scrollable_content_region.height
        if kind == "bottom":
            y = float(total)
        else:
            found = self._layout.y_of(value)
            if found is None:
                return False
            y = found
        if not self._layout.done and y + view > total:
            return False
        self.virtual_size = Size(self._layout.width, total)
        self.scroll_to(y=round(y), animate=False, force=True)
        self._pending = None
        self._posted = self.position
        return True

    def _start_pump(self) -> None:
        if self._layout.done or self._pump_timer is not None or not self.is_mounted:
            return
        if self._pending is not None or self._layout.total() < self.scroll_y + AHEAD:
            self._pump_timer = self.set_timer(PAUSE, self._pump)

    def _stop_pump(self) -> None:
        if self._pump_timer is not None:
            self._pump_timer.stop()
            self._pump_timer = None

    def _pump(self) -> None:
        """Background slice: measure more blocks so height, links and targets catch up."""
        self._pump_timer = None
        deadline = time.perf_counter() + SLICE
        while not self._layout.done and time.perf_counter() < deadline:
            self._measure_one()
        self._grow(force=False)
        self._settle()
        self._start_pump()

    def _make_palette(self) -> Palette:
        def style(name: str) -> Style:
            return self.get_component_rich_style(f"article--{name}")

        dark = self.app.current_theme.dark if self.app.current_theme else True
        return Palette(
            h1=style("h1"),
            h2=style("h2"),
            h3=style("h3"),
            code=style("code"),
            code_inline=style("code-inline"),
            link=style("link"),
            link_hint=style("link-hint"),
            link_unresolved=style("link-unresolved"),
            quote=style("quote"),
            rule=style("rule"),
            bullet=style("bullet"),
            table_header=style("table-header"),
            title=style("title"),
            meta=style("meta"),
            tag=style("tag"),
            # Rich's ANSI themes underline class and module names, which reads as links.
            syntax_theme="monokai" if dark else "friendly",
        )

    # -- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One screen line: the virtual line under it, padded, with the link cursor shown."""
        scroll_x, scroll_y = self.scroll_offset
        line_y = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        found = self._layout.row(line_y)
        if found is None:
            return Strip.blank(width, base)
        segments, spans = found
        if self._cursor is not None:
            for span in spans:
                if span.number == self._cursor:
                    segments = self._highlight(segments, span.start, span.end)
        strip = Strip(segments).apply_style(base)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, line_y)

    def _highlight(self, segments: list[Segment], start: int, end: int) -> list[Segment]:
        cursor = self.get_component_rich_style("article--link-cursor")
        before, middle, after = Segment.divide(segments, [start, end, Strip(segments).cell_length])
        lit = Segment.apply_style(middle, post_style=cursor)
        return [*before, *lit, *after]

    # -- events -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Styles changed (theme switch, CSS reload): re-render if the palette did."""
        super().notify_style_update()
        if self._note is not None and self._layout.width:
            self.call_later(self._restyle)

    def _restyle(self) -> None:
        if self._note is not None and self._make_palette() != self._layout.palette:
            self._relayout(self.position)

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap at the new width, keeping the reading position."""
        if self._note is not None and self.scrollable_content_region.width != self._layout.width:
            self._relayout(self.position if self._layout.width else (self._posted or 0.0))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Lay out ahead of the reader and schedule a PositionChanged."""
        super().watch_scroll_y(old_value, new_value)
        if not self._layout.done and self._pending is None:
            self._measure(FIRST_PAINT / 2)
            self._start_pump()
        if self._position_timer is None and self.is_mounted:
            self._position_timer = self.set_timer(POSITION_DELAY, self._post_position)

    def _post_position(self) -> None:
        self._position_timer = None
        if self._note is None or self._pending is not None:
            return
        position = self.position
        if self._posted is None or abs(position - self._posted) > 1e-6:
            self._posted = position
            self.post_message(self.PositionChanged(position))

    def on_click(self, event: events.Click) -> None:
        """Follow the link under the pointer, if any."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line_y = round(self.scroll_y) + offset.y
        x = round(self.scroll_x) + offset.x
        found = self._layout.row(line_y)
        if found is None:
            return
        for span in found[1]:
            if span.start <= x < span.end:
                event.stop()
                self.follow_number(span.number)
                return

    def on_key(self, event: events.Key) -> None:
        """Collect digits after ``l``: the link number is followed as soon as it is unambiguous."""
        if self._digits is None:
            return
        if event.character is not None and event.character.isdigit():
            event.stop()
            event.prevent_default()
            self._digits += event.character
            number = int(self._digits)
            if number * 10 > len(self._layout.links):
                self._finish_digits()
            else:
                self._restart_digit_timer()
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self._finish_digits()
        else:
            self._cancel_digits()

    def _restart_digit_timer(self) -> None:
        if self._digit_timer is not None:
            self._digit_timer.stop()
        self._digit_timer = self.set_timer(1.0, self._finish_digits)

    def _finish_digits(self) -> None:
        digits = self._digits
        self._cancel_digits()
        if digits:
            self.follow_number(int(digits))

    def _cancel_digits(self) -> None:
        self._digits = None
        if self._digit_timer is not None:
            self._digit_timer.stop()
            self._digit_timer = None

    # -- actions ------------------------------------------------------------------------

    def _scroll_by(self, lines: float) -> None:
        self._pending = None
        self._measure(FIRST_PAINT)
        self.scroll_to(y=self.scroll_y + lines, animate=False, force=True)

    def action_page_down(self) -> None:
        """Scroll one page down."""
        self._scroll_by(max(self.scrollable_content_region.height - 1, 1))

    def action_page_up(self) -> None:
        """Scroll one page up."""
        self._scroll_by(-max(self.scrollable_content_region.height - 1, 1))

    def action_scroll_down(self) -> None:
        """Scroll one line down."""
        self._scroll_by(1)

    def action_scroll_up(self) -> None:
        """Scroll one line up."""
        self._scroll_by(-1)

    def action_scroll_top(self) -> None:
        """Go to the start of the article."""
        self._pending = None
        self.scroll_to(y=0, animate=False, force=True)

    def action_scroll_bottom(self) -> None:
        """Go to the end; while a long note is still being laid out, keep following it."""
        self._pending = ("bottom", 0.0)
        self._measure(FIRST_PAINT)
        if self._pending is not None:
            self.scroll_to(y=self._layout.total(), animate=False, force=True)
            self._start_pump()

    action_scroll_home = action_scroll_top
    action_scroll_end = action_scroll_bottom

    def action_link_number(self) -> None:
        """Start typing a link number; it is followed when unambiguous, on Enter or a pause."""
        if self._layout.links:
            self._digits = ""
            self._restart_digit_timer()

    def action_next_link(self) -> None:
        """Move the link cursor forward; past the last link, focus moves on as usual."""
        nxt = (self._cursor or 0) + 1
        if nxt > len(self._layout.links):
            self._set_cursor(None)
            self.screen.focus_next()
        else:
            self._set_cursor(nxt)

    def action_previous_link(self) -> None:
        """Move the link cursor back; before the first link, focus moves back as usual."""
        prev = (self._cursor if self._cursor is not None else len(self._layout.links) + 1) - 1
        if prev < 1:
            self._set_cursor(None)
            self.screen.focus_previous()
        else:
            self._set_cursor(prev)

    def action_follow_link(self) -> None:
        """Follow the link under the cursor."""
        if self._cursor is not None:
            self.follow_number(self._cursor)

    def _set_cursor(self, number: int | None) -> None:
        self._cursor = number
        self.refresh()
        if number is None:
            return
        y = self._layout.link_y(number)
        view = self.scrollable_content_region.height
        if not self.scroll_y <= y < self.scroll_y + view:
            self._pending = None
            self.scroll_to(y=max(y - view // 3, 0), animate=False, force=True)
