"""Moving on the main screen: the list cursor, unread notes, panes, paging, back and quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.text.notes import Note

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


class Navigation:
    """Where a key moves the reader on ``screen``."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def article_context(self) -> bool:
        """True when keys should act on the open article rather than the list cursor."""
        return self.screen.reading or self.screen.focused is self.screen.article

    def target(self) -> Note | None:
        """The open note when reading, else the note under the list cursor."""
        screen = self.screen
        if self.article_context():
            note = screen.note_by_id(screen.open_id or screen.shown_id)
            if note is not None:
                return note
        if not len(screen.rows):
            return None
        return screen.rows.note(screen.note_list.cursor)

    def need_target(self) -> Note | None:
        """:meth:`target`, or a message that there is none."""
        note = self.target()
        if note is None:
            self.screen.notify("No note selected", severity="warning")
        return note

    def need_targets(self) -> list[Note]:
        """The selected notes when there are any, else :meth:`need_target`'s one note."""
        selected = self.screen.selection.notes()
        if selected:
            return selected
        note = self.need_target()
        return [note] if note is not None else []

    def open_current(self) -> None:
        """Open the note under the list cursor."""
        screen = self.screen
        if len(screen.rows):
            screen.open_note(screen.rows.note(screen.note_list.cursor))

    def _unread_from(self, start: int, step: int) -> int | None:
        rows = self.screen.rows
        index = start + step
        while 0 <= index < len(rows):
            if rows[index].status == "unread":
                return index
            index += step
        return None

    def jump_unread(self, step: int) -> None:
        """To the next (``step`` 1) or previous (-1) unread note; open it when reading."""
        screen = self.screen
        reading = self.article_context() and screen.open_id is not None
        here = screen.rows.index_of(screen.open_id) if reading and screen.open_id else None
        start = here if here is not None else screen.note_list.cursor
        found = self._unread_from(start, step)
        if found is None:
            screen.notify("No more unread notes " + ("below" if step > 0 else "above"))
            return
        screen.note_list.cursor = found
        if reading:
            screen.open_note(screen.rows.note(found))

    def travel(self, step: int) -> None:
        """Open the note read before (``step`` -1) or the one gone back from (1)."""
        screen = self.screen
        vault = screen.vault
        note_id = screen.history.travel(
            step, screen.open_id, lambda i: vault is not None and i in vault.by_id
        )
        note = screen.note_by_id(note_id)
        if note is None:
            screen.notify("No earlier note" if step < 0 else "No later note")
            return
        screen.open_note(note, history=False)

    def switch_pane(self) -> None:
        """Move between the list and the article."""
        screen = self.screen
        if screen.focused is screen.note_list:
            # Narrow, the article is not previewed as the cursor moves: unless it already
            # shows the highlighted note, open that one rather than the one read before.
            current = screen.rows.note(screen.note_list.cursor) if len(screen.rows) else None
            if screen.narrow and current is not None and current.id != screen.shown_id:
                self.open_current()
                return
            screen.reading = screen.narrow
            screen.article.focus()
        else:
            screen.reading = False
            screen.note_list.focus()

    def back(self) -> None:
        """Leave the search box (clearing it) or the article, back to the list."""
        screen = self.screen
        if screen.focused is screen.search_box and screen.search_box.value:
            screen.listing.replace_text("")
        screen.reading = False
        screen.note_list.focus()

    def back_or_quit(self) -> None:
        """Back to the list from the article or sidebar; quit from the list."""
        screen = self.screen
        if screen.reading or screen.focused in (screen.article, screen.facets):
            self.back()
        else:
            screen.app.exit()

    def page(self, down: bool) -> None:
        """Page the article (the list when it has the narrow screen to itself)."""
        screen = self.screen
        if screen.narrow and not screen.reading:
            note_list = screen.note_list
            (note_list.action_page_down if down else note_list.action_page_up)()
        else:
            (screen.article.action_page_down if down else screen.article.action_page_up)()

    def search(self) -> None:
        """Focus the search box."""
        self.screen.reading = False
        self.screen.search_box.focus()

    def toggle_facets(self) -> None:
        """Show the facet sidebar (and focus it), or hide it."""
        screen = self.screen
        screen.show_facets = not screen.show_facets
        if screen.show_facets:
            screen.reading = False
            screen.facets.focus()
