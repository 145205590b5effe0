"""Selecting notes for one action on all of them (mutt's tagging): a set of note ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.text.notes import Note

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


class Selection:
    """The notes selected on ``screen``; a triage key then acts on all of them, as one undo."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.ids: set[str] = set()

    def toggle_current(self) -> None:
        """Select the note under the list cursor (or unselect it) and move to the next."""
        screen = self.screen
        note_id = screen.note_list.current_id
        if note_id is None:
            return
        self.ids.symmetric_difference_update({note_id})
        self._show()
        if self.ids == {note_id}:  # a selection has just begun: say what it is for
            screen.notify("m s e 1-3 act on every selected note; X clears", timeout=2)
        screen.note_list.action_cursor_down()

    def clear(self) -> None:
        """Select nothing."""
        if self.ids:
            self.ids.clear()
            self._show()

    def notes(self) -> list[Note]:
        """The selected notes still in the vault, in the list's order."""
        screen = self.screen
        found = [screen.note_by_id(i) for i in self.ids]
        notes = [note for note in found if note is not None]
        return sorted(notes, key=lambda n: screen.rows.index_of(n.id) or 0)

    def _show(self) -> None:
        screen = self.screen
        screen.note_list.set_marked(frozenset(self.ids))
        screen.listing.update_status()  # "3 selected", for as long as the selection lasts
