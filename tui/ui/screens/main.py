"""The main screen's keys: moving, triage with undo, links, history, URLs.

Every action here is bound in :mod:`tui.ui.keys`. Triage goes through :meth:`MainScreen.change`,
the one place that writes reading state on a person's behalf, so every change is durable,
repaints only what it touched and can be undone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from textual.binding import BindingType
from textual.command import Provider
from textual.widgets import Input

from tui.query.live import LiveQuery
from tui.state.store import StateError, StateStore
from tui.text.notes import Note
from tui.ui.commands import KeyCommands, NoteTitles
from tui.ui.keys import keys_for
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.reading import ReadingScreen
from tui.vault.update import VaultChange

Change = tuple[Note, Mapping[str, object]]
UNDO_DEPTH = 100


class MainScreen(ReadingScreen):
    """The main screen: layout in :class:`BrowseScreen`, links in :class:`ReadingScreen`."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys_for("main"))
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        NoteTitles,
        KeyCommands,
    }

    def __init__(self, store: StateStore, *, auto_mark_read: bool = True) -> None:
        super().__init__(store, auto_mark_read=auto_mark_read)
        self.undo_stack: list[Sequence[Change]] = []

    # -- state changes --------------------------------------------------------------------

    def _current(self, note: Note, fields: Mapping[str, object]) -> dict[str, object]:
        getters: dict[str, Callable[[Note], object]] = {
            "status": self.store.status,
            "starred": self.store.starred,
            "relevance": self.store.relevance,
        }
        return {name: getters[name](note) for name in fields}

    def change(self, changes: Sequence[Change], *, undoable: bool = True) -> bool:
        """Apply triage ``changes`` in one durable write; False (and a message) if not saved."""
        if not changes:
            return False
        before = [(note, self._current(note, fields)) for note, fields in changes]
        try:
            self.store.update_many(changes)
        except StateError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        if undoable:
            self.undo_stack.append(before)
            del self.undo_stack[:-UNDO_DEPTH]
        self._repaint_changed([note for note, _ in changes])
        if any("relevance" in fields for _, fields in changes):
            self._refresh_header()
        self._later_facets()
        return True

    def _repaint_changed(self, notes: Sequence[Note]) -> None:
        if len(notes) > 1:
            self.repaint_all()
        else:
            for note in notes:
                self.repaint(note)

    def _refresh_header(self) -> None:
        note = self.note_by_id(self.shown_id)
        if note is not None and self.vault is not None:
            symbol = self.vault.scale.symbol(self.store.relevance(note))
            body = self.vault.body(note)
            self.article.show(note, body, relevance_symbol=symbol, position=self.article.position)

    def action_toggle_read(self) -> None:
        """Mark the note read, or unread again."""
        if note := self._need_target():
            status = "unread" if self.store.status(note) != "unread" else "read"
            self.change([(note, {"status": status})])

    def action_toggle_star(self) -> None:
        """Star or unstar the note."""
        if note := self._need_target():
            self.change([(note, {"starred": not self.store.starred(note)})])

    def action_toggle_archive(self) -> None:
        """Archive the note, or bring it back (as read)."""
        if note := self._need_target():
            archived = self.store.status(note) == "archived"
            self.change([(note, {"status": "read" if archived else "archived"})])

    def action_relevance(self, level: int) -> None:
        """Set the relevance to the scale's ``level``-th level (0 = highest); -1 clears it."""
        note = self._need_target()
        if note is None or self.vault is None:
            return
        levels = self.vault.scale.levels
        if level >= len(levels):
            self.notify(f"The relevance scale has {len(levels)} levels", severity="warning")
            return
        self.change([(note, {"relevance": levels[level].name if level >= 0 else None})])

    def action_mark_all_read(self) -> None:
        """Ask, then mark every unread note shown as read (one undo brings them all back)."""
        state = self.store.snapshot()
        unread = [note for note in self.rows.notes() if state.status(note) == "unread"]
        if not unread:
            self.notify("No unread notes are shown")
            return

        def answer(yes: bool | None) -> None:
            if yes and self.change([(note, {"status": "read"}) for note in unread]):
                self.notify(f"Marked {len(unread)} notes read (u to undo)")

        plural = "note" if len(unread) == 1 else "notes"
        question = f"Mark {len(unread)} shown {plural} read?"
        self.app.push_screen(ConfirmScreen(question, yes="Mark read", no="Cancel"), answer)

    def action_undo(self) -> None:
        """Put back what the last triage action changed."""
        if not self.undo_stack:
            self.notify("Nothing to undo")
            return
        before = self.undo_stack.pop()
        if self.change(before, undoable=False):
            count = len(before)
            self.notify(f"Undone ({count} notes)" if count > 1 else "Undone")
        else:
            self.undo_stack.append(before)

    # -- the vault changed on disk ---------------------------------------------------------

    def vault_changed(self, change: VaultChange, live: LiveQuery) -> None:
        """The vault took in files changed on disk: show them, keeping the reader's place.

        The cursor stays on its note (or the nearest one left, when that note went), the open
        note stays open at the same line, a renamed note is followed to its new id, and the
        query runs again so added notes appear where they belong.
        """
        vault = self.vault
        if vault is None:
            return
        moved, gone = change.moved, set(change.removed) - set(change.moved)
        cursor = self.note_list.cursor
        keep = self.rows.survivor(cursor, gone) if len(self.rows) else None
        keep = moved.get(keep, keep) if keep is not None else None
        screen_row = cursor - round(self.note_list.scroll_y)
        self.rows = self.rows.following(vault, moved)
        self.note_list.set_rows(self.rows, keep_id=keep)
        self._follow_ids(moved)
        self._reshow_after(change, gone)
        self._live = live
        self.apply_query(facets_now=False)
        # Notes added or removed above the cursor would otherwise slide it up or down.
        self.note_list.scroll_to(y=max(self.note_list.cursor - screen_row, 0), animate=False)

    def _follow_ids(self, moved: Mapping[str, str]) -> None:
        """Ids held for later (history, a reading position not yet saved) follow renames."""
        if not moved:
            return
        self.back[:] = [moved.get(i, i) for i in self.back]
        self.forward[:] = [moved.get(i, i) for i in self.forward]
        if self._pending_position is not None:
            note_id, position = self._pending_position
            self._pending_position = (moved.get(note_id, note_id), position)

    def _reshow_after(self, change: VaultChange, gone: set[str]) -> None:
        """Keep the article in step: the shown note re-read, followed, or let go."""
        vault, shown = self.vault, self.shown_id
        if vault is None or shown is None:
            return
        if shown in gone:
            self._shown_note_gone(shown)
            return
        new_id = change.moved.get(shown, shown)
        note = vault.by_id.get(new_id)
        if note is None:
            return
        if self.open_id == shown:
            self.open_id = new_id
        if new_id != shown or shown in change.changed:
            symbol = vault.scale.symbol(self.store.relevance(note))
            position = self.article.position
            self.article.show(note, vault.body(note), relevance_symbol=symbol, position=position)
            self.shown_id = new_id
        self._show_backlinks(note)

    def _shown_note_gone(self, note_id: str) -> None:
        vault = self.vault
        old = (
            next((n for n in reversed(vault.departed) if n.id == note_id), None) if vault else None
        )
        if self.open_id == note_id:
            what = f"“{old.title}” ({old.path})" if old is not None else "The open note"
            self.notify(f"{what} was deleted on disk", severity="warning", markup=False)
            self.open_id = None
            if self._pending_position is not None and self._pending_position[0] == note_id:
                self._pending_position = None
        self.shown_id = None
        self.article.clear()
        self.query_one("#linked-from").display = False
        if self.reading:
            self.reading = False
            self.note_list.focus()

    # -- moving ---------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Next note in the list."""
        self.note_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous note in the list."""
        self.note_list.action_cursor_up()

    def action_cursor_top(self) -> None:
        """First note in the list."""
        self.note_list.action_scroll_top()

    def action_cursor_bottom(self) -> None:
        """Last note in the list."""
        self.note_list.action_scroll_bottom()

    def action_open_note(self) -> None:
        """Open the note under the list cursor."""
        if len(self.rows):
            self.open_note(self.rows.note(self.note_list.cursor))

    def _unread_from(self, start: int, step: int) -> int | None:
        index = start + step
        while 0 <= index < len(self.rows):
            if self.rows[index].status == "unread":
                return index
            index += step
        return None

    def _jump_unread(self, step: int) -> None:
        reading = self._article_context() and self.open_id is not None
        here = self.rows.index_of(self.open_id) if reading and self.open_id else None
        start = here if here is not None else self.note_list.cursor
        found = self._unread_from(start, step)
        if found is None:
            self.notify("No more unread notes " + ("below" if step > 0 else "above"))
            return
        self.note_list.cursor = found
        if reading:
            self.open_note(self.rows.note(found))

    def action_next_unread(self) -> None:
        """Go to the next unread note in the list (and open it when reading)."""
        self._jump_unread(1)

    def action_prev_unread(self) -> None:
        """Go to the previous unread note in the list (and open it when reading)."""
        self._jump_unread(-1)

    def action_switch_pane(self) -> None:
        """Move between the list and the article."""
        if self.focused is self.note_list:
            if self.narrow and self.shown_id is None:
                self.action_open_note()
                return
            self.reading = self.narrow
            self.article.focus()
        else:
            self.reading = False
            self.note_list.focus()

    def action_back(self) -> None:
        """Leave the search box (clearing it) or the article, back to the list."""
        if self.focused is self.search_box and self.search_box.value:
            with self.search_box.prevent(Input.Changed):
                self.search_box.value = ""
            self.query_text = ""
            self.apply_query()
        self.reading = False
        self.note_list.focus()

    def action_back_or_quit(self) -> None:
        """Back to the list from the article or sidebar; quit from the list."""
        if self.reading or self.focused in (self.article, self.facets):
            self.action_back()
        else:
            self.app.exit()

    def action_page_down(self) -> None:
        """Page down in the article (in the list when it has the narrow screen to itself)."""
        if self.narrow and not self.reading:
            self.note_list.action_page_down()
        else:
            self.article.action_page_down()

    def action_page_up(self) -> None:
        """Page up in the article (in the list when it has the narrow screen to itself)."""
        if self.narrow and not self.reading:
            self.note_list.action_page_up()
        else:
            self.article.action_page_up()

    def action_search(self) -> None:
        """Focus the search box."""
        self.reading = False
        self.search_box.focus()

    def action_toggle_facets(self) -> None:
        """Show the facet sidebar (and focus it), or hide it."""
        self.show_facets = not self.show_facets
        if self.show_facets:
            self.reading = False
            self.facets.focus()

    def action_triage_mode(self) -> None:
        """Open triage mode for the notes shown."""
        try:
            module = importlib.import_module("tui.ui.screens.triage")
        except ImportError:
            self.notify("Triage mode is not available", severity="warning")
            return
        self.app.push_screen(module.TriageScreen(self.vault, self.store, list(self.rows.indices)))
