"""Where every part of an article sits at one width, for the article pane.

Entry 0 is the header; entry i >= 1 is block i - 1; after the last block may come a trailer
(the notes most like this one), whose links follow the note's own. Entries are measured in
order (rendered once to learn their height and links); rendered lines are cached and evicted
least-recently-used, then re-rendered on demand. Nothing here knows about Textual: the view
decides when to measure and where to scroll.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator

from rich.segment import Segment

from tui.text.blocks import Block
from tui.ui.widgets.article.render import (
    ArticleLink,
    Context,
    Lines,
    LinkSpan,
    Palette,
    RenderedBlock,
    render_block,
)

CACHE_LINES = 1_500  # rendered lines kept in memory; the rest are re-rendered on demand

Trailer = Callable[[int, Palette, int], RenderedBlock]
"""Renders the section after the note's blocks: (width, palette, first link number)."""


class ArticleLayout:
    """The measured entries of one note at one ``width``, with their links and line cache.

    ``blocks`` and ``source`` are shared with the view, which keeps them across re-layouts:
    blocks cut once are not cut again at a new width.
    """

    def __init__(
        self,
        blocks: list[Block],
        source: Iterator[Block],
        context: Context,
        trailer: Trailer | None = None,
    ) -> None:
        self.blocks = blocks
        self.source = source
        self.context = context
        self.width = 0
        self.done = True
        self.offsets: list[int] = []
        self.heights: list[int] = []
        self.starts: list[float] = []
        self.link_base: list[int] = []
        self.links: list[ArticleLink] = []
        self.anchors: dict[str, int] = {}  # target -> virtual line, first one wins
        self.widest = 0  # cells of the widest line rendered (a wide table scrolls sideways)
        self._cache: OrderedDict[int, Lines] = OrderedDict()
        self._cached_lines = 0
        self._spans: dict[int, list[LinkSpan]] = {}
        self._header: Lines = []
        self.palette = Palette()
        self.trailer = trailer
        self._trailer_at = 0  # entry index of the laid-out trailer (0: none)

    def append(
        self,
        start: float,
        lines: Lines,
        links: list[ArticleLink],
        spans: list[LinkSpan],
        anchors: dict[str, int] | None = None,
    ) -> None:
        """Add the next entry: it begins at source line ``start`` and shows ``lines``."""
        top = self.total()
        for key, row in (anchors or {}).items():
            self.anchors.setdefault(key, top + row)
        self._widen(lines)
        self.offsets.append(top)
        # One blank line after every block; a block that shows nothing (a comment) takes none.
        self.heights.append(len(lines) + 1 if lines else 0)
        self.starts.append(start)
        self.link_base.append(len(self.links) + 1)
        self.links.extend(links)
        self._remember(len(self.offsets) - 1, lines, spans)

    def _widen(self, lines: Lines) -> None:
        if lines:
            self.widest = max(self.widest, max(sum(s.cell_length for s in line) for line in lines))

    def _remember(self, index: int, lines: Lines, spans: list[LinkSpan]) -> None:
        if index == 0:
            self._header = lines
            return
        self._cache[index] = lines
        self._spans[index] = spans
        self._cached_lines += len(lines)
        while self._cached_lines > CACHE_LINES and len(self._cache) > 1:
            self.forget(next(iter(self._cache)))

    def forget(self, index: int) -> None:
        """Drop an entry's rendered lines (its height and links stay)."""
        dropped = self._cache.pop(index, None)
        self._spans.pop(index, None)
        if dropped is not None:
            self._cached_lines -= len(dropped)

    def entry(self, index: int) -> tuple[Lines, list[LinkSpan]]:
        """Lines and link spans of a measured entry, re-rendering it if it was evicted."""
        if index == 0:
            return self._header, []
        lines = self._cache.get(index)
        if lines is not None:
            self._cache.move_to_end(index)
            return lines, self._spans[index]
        rendered = self._render_entry(index, self.link_base[index])
        self._remember(index, rendered.lines, rendered.spans)
        return rendered.lines, rendered.spans

    def _render_entry(self, index: int, first_number: int) -> RenderedBlock:
        if index == self._trailer_at and self.trailer is not None:
            return self.trailer(self.width, self.palette, first_number)
        block = self.blocks[index - 1]
        return render_block(
            block, self.width, self.palette, first_number=first_number, context=self.context
        )

    def measure_one(self, keep_until: float) -> bool:
        """Measure the next block; False when there is none left.

        An entry starting below virtual line ``keep_until`` keeps only its height and links.
        """
        index = len(self.offsets)  # entry to measure next
        while index > len(self.blocks):
            block = next(self.source, None)
            if block is None:
                self.done = True
                self._append_trailer()
                return False
            self.blocks.append(block)
        rendered = self._render_entry(index, len(self.links) + 1)
        start = self.blocks[index - 1].line
        self.append(start, rendered.lines, rendered.links, rendered.spans, rendered.anchors)
        if self.offsets[index] > keep_until:
            # Far below the reader: holding every rendered line would make the garbage
            # collector's full passes (and so key latency) grow.
            self.forget(index)
        return True

    def set_trailer(self, trailer: Trailer | None) -> None:
        """Show ``trailer`` after the last block (None: nothing), replacing the one shown.

        Until the note is laid out to its end it waits; the note's own links keep their
        numbers, as the trailer's come after them.
        """
        if self._trailer_at:
            index, self._trailer_at = self._trailer_at, 0
            self.forget(index)
            del self.links[self.link_base[index] - 1 :]
            for column in (self.offsets, self.heights, self.starts, self.link_base):
                del column[index:]
        self.trailer = trailer
        if self.done and self.offsets:
            self._append_trailer()

    @property
    def own_links(self) -> list[ArticleLink]:
        """The note's links, without the trailer's."""
        at = self._trailer_at
        return self.links[: self.link_base[at] - 1] if at else self.links

    def _append_trailer(self) -> None:
        if self.trailer is None or self._trailer_at or not self.width:
            return
        index = len(self.offsets)
        rendered = self.trailer(self.width, self.palette, len(self.links) + 1)
        last = self.blocks[-1] if self.blocks else None
        end = float(last.line + last.line_count) if last else 0.0
        self._trailer_at = index
        self.append(end, rendered.lines, rendered.links, rendered.spans)

    def total(self) -> int:
        """Virtual lines measured so far."""
        return self.offsets[-1] + self.heights[-1] if self.offsets else 0

    def entry_at(self, y: int) -> int:
        """Index of the measured entry covering virtual line ``y`` (-1 when none)."""
        index = bisect_right(self.offsets, y) - 1
        return index if 0 <= index < len(self.offsets) and y < self.total() else -1

    def row(self, y: int) -> tuple[list[Segment], list[LinkSpan]] | None:
        """Segments of virtual line ``y`` and the link spans on it; None for a blank line."""
        index = self.entry_at(y)
        if index < 0:
            return None
        lines, spans = self.entry(index)
        row = y - self.offsets[index]
        if row >= len(lines):
            return None
        return lines[row], [span for span in spans if span.line == row]

    def position_at(self, y: float) -> float:
        """Source line (fractional, 0 at the start) at virtual line ``y``."""
        index = self.entry_at(round(y))
        if index < 1:
            return 0.0
        if index == self._trailer_at:
            return self.starts[index]  # below the note: its end
        block = self.blocks[index - 1]
        through = (y - self.offsets[index]) / max(self.heights[index], 1)
        return block.line + min(max(through, 0.0), 1.0) * block.line_count

    def y_of(self, position: float) -> float | None:
        """Virtual line of source line ``position``; None while its block is still measuring."""
        if position <= 0:
            return 0.0  # the start of the note includes its header
        index = max(bisect_right(self.starts, position) - 1, 0)
        y = float(self.offsets[index]) if self.offsets else 0.0
        if index > 0 and index != self._trailer_at:
            block = self.blocks[index - 1]
            through = (position - block.line) / max(block.line_count, 1)
            y += min(through, 1.0) * self.heights[index]
            if through >= 1.0 and not self.done and index == len(self.offsets) - 1:
                return None
        return y

    def link_y(self, number: int) -> int:
        """Virtual line where link ``number`` starts."""
        index = self.entry_of_link(number)
        _, spans = self.entry(index)
        row = next((s.line for s in spans if s.number == number), 0)
        return self.offsets[index] + row

    def rerender(self, index: int) -> int:
        """Render entry ``index`` again (a callout folded); returns the change in height.

        Later entries move by that much; their anchors too. Link numbers do not change, as
        a folded callout still numbers the links it hides.
        """
        if not 1 <= index < len(self.offsets):
            return 0
        rendered = self._render_entry(index, self.link_base[index])
        self.forget(index)
        self._remember(index, rendered.lines, rendered.spans)
        # Same links, same numbers; a fold link's label says what it does now.
        base = self.link_base[index] - 1
        self.links[base : base + len(rendered.links)] = rendered.links
        delta = (len(rendered.lines) + 1 if rendered.lines else 0) - self.heights[index]
        self.heights[index] += delta
        if delta:
            top = self.offsets[index]
            for later in range(index + 1, len(self.offsets)):
                self.offsets[later] += delta
            bottom = top + self.heights[index] - delta
            self.anchors = {k: y + delta if y >= bottom else y for k, y in self.anchors.items()}
            for key, row in rendered.anchors.items():
                self.anchors[key] = top + row
        return delta

    def entry_of_link(self, number: int) -> int:
        """Index of the entry holding link ``number``."""
        return max(bisect_right(self.link_base, number) - 1, 0)
