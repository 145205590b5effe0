"""The article pane: a note's header and Markdown body, its keys, links and messages.

Laying out and drawing is :mod:`~tui.ui.widgets.article.lazy`; moving to headings, blocks,
footnotes and find matches, and folding callouts, is :mod:`~tui.ui.widgets.article.navigate`.
The notes most like it, listed under it, are :mod:`~tui.ui.widgets.article.similar`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message

from tui.text.blocks import iter_blocks
from tui.text.notes import Note
from tui.ui.keys import keys_for
from tui.ui.widgets.article.lazy import FIRST_PAINT
from tui.ui.widgets.article.render import ArticleLink, Context, wiki_index
from tui.ui.widgets.article.render.callouts import FAMILIES
from tui.ui.widgets.article.similar import SimilarLookup, SimilarSection

__all__ = ["ArticleLink", "ArticleView", "SimilarLookup"]

POSITION_DELAY = 0.5  # at most two PositionChanged messages a second


class ArticleView(SimilarSection, can_focus=True):
    """Shows one note. Posts :class:`LinkActivated` and :class:`PositionChanged`; opens nothing.

    ``position`` is the source line (0-based, fractional) at the top of the view, so it
    survives width changes and re-renders.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys_for("article")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article--h1",
        "article--h2",
        "article--h3",
        "article--h4",
        "article--h5",
        "article--h6",
        "article--mark",
        "article--math",
        "article--kbd",
        "article--task-done",
        "article--embed",
        "article--find",
        *(f"article--callout-{family}" for family in FAMILIES),
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

    document = "summary"
    """Which view of the note is shown: its own body, or another ``show`` named (``"full"``)."""

    # -- public API ---------------------------------------------------------------------

    def show(
        self,
        note: Note,
        body: str,
        *,
        relevance_symbol: str = "",
        position: float | None = None,
        marks: str = "",
        document: str = "summary",
    ) -> None:
        """Display ``note`` with ``body`` (already cleaned text), optionally at ``position``.

        ``marks`` is the note's read state for the header (``★ starred · read``), so ``s``
        and ``m`` on the open article show what they did; ``document`` names the view it is
        (a note's fetched article is another document).
        """
        self._note, self._symbol, self._marks = note, relevance_symbol, marks
        self.document = document
        self._note_context = Context(
            wiki=wiki_index(note.links),
            path=note.path,
            embed=self.embed_lookup,
            attachment=self.attachment_lookup,
        )
        self._body = body
        self._finder = None
        self._cursor = None
        self._posted = position or 0.0
        self._blocks = []
        self._source = iter_blocks(body)
        # Another view of the same note (its full article, a repaint after a star) keeps
        # the section; another note asks again, after this one is first drawn.
        fresh = note.path != self._similar_path
        if fresh:
            self._forget_similar()
            self._similar_path = note.path
        self._relayout(position or 0.0)
        if fresh:
            self._request_similar()
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
        self._forget_similar()
        self._reset_layout()
        self.virtual_size = Size(0, 0)
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()

    @property
    def links(self) -> list[ArticleLink]:
        """Links found so far, in order (the list grows while a long note renders)."""
        return self._layout.links

    def follow_number(self, n: int) -> None:
        """Follow link number ``n`` if it exists.

        Footnotes, their way back, callout folds and links to a heading of this note act
        here; links that leave the note are posted as :class:`LinkActivated`.
        """
        links = self._layout.links
        if not 1 <= n <= len(links):
            return
        self._set_cursor(n)
        link = links[n - 1]
        if link.kind in ("footnote", "back"):
            self.goto_anchor(link.url)
        elif link.kind == "fold":
            self._toggle_fold(n)
        elif (
            link.kind == "wiki"
            and link.link is not None
            and self._note is not None
            and link.link.path == self._note.path
            and link.link.heading
        ):
            self.goto(link.link.heading)
        else:
            self.post_message(self.LinkActivated(link))

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
