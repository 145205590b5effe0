"""The lazy part of the article pane: blocks laid out a slice at a time, drawn with the Line API.

Blocks are split, parsed and rendered only as far as the screen (plus a margin) needs; a
timer keeps going in small slices so the scrollbar, link numbers and ``G`` catch up without
ever holding keys back. Where each block sits, and the cache of rendered lines, is kept by
:class:`~tui.ui.widgets.article.layout.ArticleLayout`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui.text.blocks import Block
from tui.text.notes import Note
from tui.ui.widgets.article.find import Finder, line_matches
from tui.ui.widgets.article.layout import ArticleLayout, Trailer
from tui.ui.widgets.article.render import Context, Palette, render_header, source_host
from tui.ui.widgets.article.render.callouts import FAMILIES
from tui.ui.widgets.article.render.model import AttachmentLookup, EmbedLookup, Sources

SLICE = 0.012  # seconds of background rendering per timer tick
PAUSE = 0.02  # seconds between ticks, so keys, paints and other work get the CPU
AHEAD = 20_000  # lines laid out ahead of the reader in the background (all of a usual note)
FIRST_PAINT = 0.05  # seconds of rendering allowed before returning from show()/restore()
GROW_EVERY = 0.5  # seconds between scrollbar updates while a long note is laid out


class LazyArticle(ScrollView):
    """Lays out and draws one note; :class:`~tui.ui.widgets.article.view.ArticleView` adds
    the keys, links and messages."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        sources: Sources | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._note: Note | None = None
        self._symbol = ""
        self._marks = ""  # the read state shown in the header
        self._note_context = Context()
        self._body = ""
        self._blocks: list[Block] = []
        self._source: Iterator[Block] = iter(())
        self._trailer: Trailer | None = None  # drawn after the last block, kept on re-layout
        self._layout = ArticleLayout(self._blocks, self._source, self._note_context)
        self._finder: Finder | None = None
        # Embeds and attachments are looked up in the vault of the screen that made the view.
        self.embed_lookup: EmbedLookup | None = sources.embed if sources else None
        self.attachment_lookup: AttachmentLookup | None = sources.attachment if sources else None
        self._pending: tuple[str, float] | None = None
        self._pending_anchor = ""
        self._cursor: int | None = None
        self._digits: str | None = None
        self._digit_timer: Timer | None = None
        self._pump_timer: Timer | None = None
        self._position_timer: Timer | None = None
        self._posted: float | None = None
        self._grown_at = 0.0

    @property
    def position(self) -> float:
        """Source line at the top of the view (fractional, 0 at the start)."""
        return self._layout.position_at(self.scroll_y)

    def restore(self, position: float) -> None:
        """Scroll so that source line ``position`` is at the top (once it has been laid out)."""
        self._pending = ("line", max(position, 0.0))
        self._measure(FIRST_PAINT)
        self._start_pump()

    # -- layout -------------------------------------------------------------------------

    def _reset_layout(self) -> None:
        self._layout = ArticleLayout(self._blocks, self._source, self._note_context, self._trailer)

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
        details = [note.date, note.domain, self._symbol, self._marks, source_host(note.source)]
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
        if self.virtual_size == Size(max(self._layout.width, self._layout.widest), total):
            return
        now = time.perf_counter()
        shown = self.virtual_size.height
        near_end = self.scroll_y + 2 * self.scrollable_content_region.height >= shown
        every = GROW_EVERY / 5 if near_end else GROW_EVERY
        if force or self._layout.done or now - self._grown_at > every:
            self._grown_at = now
            self.virtual_size = self._virtual()
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
        elif kind == "anchor":
            found_y = self._layout.anchors.get(self._pending_anchor)
            if found_y is None:
                if not self._layout.done:
                    return False
                self._pending = None  # no such heading or block: stay where we are
                return True
            y = float(found_y)
            if not self._layout.done and y + view > total:
                return False
        else:
            found = self._layout.y_of(value)
            if found is None:
                return False
            y = found
        if not self._layout.done and y + view > total:
            return False
        self.virtual_size = self._virtual()
        self.scroll_to(y=round(y), animate=False, force=True)
        self._pending = None
        self._posted = self.position
        return True

    def _virtual(self) -> Size:
        """The scrollable size: as wide as the widest line (a wide table scrolls sideways)."""
        layout = self._layout
        return Size(max(layout.width, layout.widest), layout.total())

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
            h4=style("h4"),
            h5=style("h5"),
            h6=style("h6"),
            mark=style("mark"),
            math=style("math"),
            kbd=style("kbd"),
            task_done=style("task-done"),
            embed=style("embed"),
            find=style("find"),
            callout={family: style(f"callout-{family}") for family in FAMILIES},
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
        if self._finder is not None:
            for start, end in line_matches(segments, self._finder.terms):
                segments = self._highlight(segments, start, end, "article--find")
        if self._cursor is not None:
            for span in spans:
                if span.number == self._cursor:
                    segments = self._highlight(segments, span.start, span.end)
        strip = Strip(segments).apply_style(base)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, line_y)

    def _highlight(
        self, segments: list[Segment], start: int, end: int, name: str = "article--link-cursor"
    ) -> list[Segment]:
        cursor = self.get_component_rich_style(name)
        before, middle, after = Segment.divide(segments, [start, end, Strip(segments).cell_length])
        lit = Segment.apply_style(middle, post_style=cursor)
        return [*before, *lit, *after]
