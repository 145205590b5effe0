"""What the note list and the facet sidebar share: a Line-API list with a keyboard cursor.

Subclasses say how many choices there are and on which line each one is drawn; this class keeps
the cursor on a real choice, repaints only the two lines a move touches, keeps the cursor in
view and gives the component styles in full.
"""

from __future__ import annotations

from rich.style import Style
from textual import events
from textual.reactive import reactive
from textual.scroll_view import ScrollView


class CursorList(ScrollView, can_focus=True, inherit_bindings=False):
    """A scrolling list of lines, some of which are choices, with a cursor over the choices."""

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """Index among the choices (0 when there are none)."""

    def choice_count(self) -> int:
        """How many choices the list holds."""
        raise NotImplementedError

    def line_of(self, index: int) -> int:
        """The line that choice ``index`` is drawn on."""
        return index

    def first_line_of(self, index: int) -> int:
        """The topmost line that belongs with choice ``index`` (a heading above it, say)."""
        return self.line_of(index)

    def cursor_moved(self) -> None:
        """Called after the cursor moved to another choice."""

    def validate_cursor(self, value: int) -> int:
        """Keep the cursor on a real choice."""
        return max(0, min(value, self.choice_count() - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two choices that changed and keep the new one in view."""
        for index in (old, new):
            if 0 <= index < self.choice_count():
                self.refresh_line(self.line_of(index))
        self.scroll_to_cursor()
        self.cursor_moved()

    def scroll_to_cursor(self) -> None:
        """Scroll just enough for the cursor's choice to be in view."""
        height = self.scrollable_content_region.height
        if height <= 0 or not self.choice_count():
            return
        line, above = self.line_of(self.cursor), self.first_line_of(self.cursor)
        top = self.scroll_offset.y
        if above < top:
            self.scroll_to(y=above, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def _on_resize(self, _: events.Resize) -> None:
        self.scroll_to_cursor()

    def action_cursor_down(self) -> None:
        """Move to the next choice."""
        self.cursor += 1

    def action_cursor_up(self) -> None:
        """Move to the previous choice."""
        self.cursor -= 1

    def part(self, name: str) -> Style:
        """The full style of component class ``name``.

        The full (not partial) style: theme colours with alpha, such as the blurred cursor,
        are only blended over the widget's background in the full style.
        """
        return self.get_component_rich_style(name, default=Style.null())
