"""The main screen's triage keys: what each one changes, through the app's one ``Changes``.

Every change is durable before anything is repainted, repaints only what it touched and can
be undone with ``u`` (changes made in triage mode too, since the stack is shared).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.state.changes import Change, Changes
from tui.state.files import StateError
from tui.text.notes import Note
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.triage import TriageResult, TriageScreen

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


def _titled(label: str, note: Note) -> str:
    return f"{label} “{note.title}”"


def _label(label: str, notes: Sequence[Note]) -> str:
    """What undo will say it undid: the note's title, or how many notes."""
    return _titled(label, notes[0]) if len(notes) == 1 else f"{label} {len(notes)} notes"


class Edits:
    """Triage actions on the notes of ``screen``, written through ``changes``."""

    def __init__(self, screen: MainScreen, changes: Changes) -> None:
        self.screen = screen
        self.changes = changes

    def change(self, changes: Sequence[Change], label: str) -> bool:
        """Apply ``changes`` in one durable write; False (and a message) if not saved."""
        if not changes:
            return False
        try:
            self.changes.apply(changes, label=label)
        except StateError as exc:
            self.screen.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        self._repaint([note for note, _ in changes], changes)
        self.screen.selection.clear()  # acted on: the next key acts on the cursor's note again
        return True

    def _repaint(self, notes: Sequence[Note], changes: Sequence[Change]) -> None:
        screen = self.screen
        if len(notes) > 1:
            screen.listing.repaint_all()
        else:
            for note in notes:
                screen.listing.repaint(note)
        # The article's header shows relevance, star and status: redraw it when one changed.
        if screen.shown_id in {note.id for note in notes}:
            self.refresh_header()
        screen.listing.later_facets()

    def mark_opened(self, note: Note) -> bool:
        """Mark a note just opened read (not an undoable step); True if it was unread."""
        store = self.changes.store
        # A read-only store says so in the status line; no error for every note opened.
        if store.read_only or store.status(note) != "unread":
            return False
        try:
            store.update(note, status="read")
        except StateError as exc:
            self.screen.notify(str(exc), severity="error", markup=False)
        self.screen.listing.repaint(note)
        self.screen.listing.later_facets()
        return True

    def refresh_header(self) -> None:
        """Redraw the shown note where it is (its header shows the relevance)."""
        screen = self.screen
        note = screen.note_by_id(screen.shown_id)
        if note is not None and not screen.full.redisplay(note):
            screen.show_note(note, position=screen.article.position)

    def triage_mode(self) -> None:
        """Open triage mode for the notes shown; what it changed shows when it closes."""
        screen = self.screen
        triage = TriageScreen(screen.vault, self.changes, list(screen.rows.indices))
        screen.app.push_screen(triage, self._triage_done)

    def _triage_done(self, result: TriageResult | None) -> None:
        """Back from triage: show every change it made."""
        screen = self.screen
        screen.listing.repaint_all()
        screen.listing.refresh_facets()
        shown = screen.note_by_id(screen.shown_id)
        if result is not None and shown is not None and shown.id in result.relevance_changed:
            screen.show_note(shown)  # its header shows the relevance changed there

    def toggle_read(self, notes: Sequence[Note]) -> None:
        """Mark ``notes`` read, or unread again when every one of them is read already."""
        store = self.changes.store
        status = "read" if any(store.status(n) == "unread" for n in notes) else "unread"
        self.change([(n, {"status": status}) for n in notes], _label(f"marked {status}", notes))

    def toggle_star(self, notes: Sequence[Note]) -> None:
        """Star ``notes``, or unstar them when every one is starred already."""
        starred = not all(self.changes.store.starred(n) for n in notes)
        label = "starred" if starred else "unstarred"
        self.change([(n, {"starred": starred}) for n in notes], _label(label, notes))

    def toggle_archive(self, notes: Sequence[Note]) -> None:
        """Archive ``notes``, or bring them back (each with the status it had before) when
        every one is archived already."""
        store = self.changes.store
        if all(store.status(n) == "archived" for n in notes):
            changes = [(n, {"status": self.changes.unarchived_status(n)}) for n in notes]
            self.change(changes, _label("unarchived", notes))
        else:
            self.change([(n, {"status": "archived"}) for n in notes], _label("archived", notes))

    def relevance(self, notes: Sequence[Note], level: int) -> None:
        """Set the relevance to the scale's ``level``-th level (0 = highest); -1 clears it."""
        vault = self.screen.vault
        if vault is None:
            return
        levels = vault.scale.levels
        if level >= len(levels):
            self.screen.notify(f"The relevance scale has {len(levels)} levels", severity="warning")
            return
        name = levels[level].name if level >= 0 else None
        label = f"set relevance {name} on" if name else "cleared the relevance of"
        self.change([(n, {"relevance": name}) for n in notes], _label(label, notes))

    def catch_up(self) -> None:
        """Mark every unread note above the list cursor read (one undo brings them back)."""
        screen = self.screen
        state = self.changes.store.snapshot()
        above = [screen.rows.note(i) for i in range(min(screen.note_list.cursor, len(screen.rows)))]
        unread = [note for note in above if state.status(note) == "unread"]
        if not unread:
            screen.notify("No unread notes above the cursor")
            return
        plural = "note" if len(unread) == 1 else "notes"
        if self.change([(note, {"status": "read"}) for note in unread],
                       f"marked {len(unread)} {plural} above read"):  # fmt: skip
            screen.notify(f"Marked {len(unread)} {plural} above read (u to undo)")

    def mark_all_read(self) -> None:
        """Ask, then mark every unread note shown as read (one undo brings them all back)."""
        screen = self.screen
        state = self.changes.store.snapshot()
        unread = [note for note in screen.rows.notes() if state.status(note) == "unread"]
        if not unread:
            screen.notify("No unread notes are shown")
            return
        plural = "note" if len(unread) == 1 else "notes"

        def answer(yes: bool | None) -> None:
            changes = [(note, {"status": "read"}) for note in unread]
            if yes and self.change(changes, f"marked {len(unread)} {plural} read"):
                screen.notify(f"Marked {len(unread)} {plural} read (u to undo)")

        question = f"Mark {len(unread)} shown {plural} read?"
        screen.app.push_screen(ConfirmScreen(question, yes="Mark read", no="Cancel"), answer)

    def undo(self) -> None:
        """Put back what the last triage action changed, and say what that was."""
        screen = self.screen
        try:
            entry = self.changes.undo()
        except StateError as exc:
            screen.notify(str(exc), title="Not undone", severity="error", markup=False)
            return
        if entry is None:
            screen.notify("Nothing to undo")
            return
        self._repaint(entry.notes, entry.before)
        count = len(entry.before)
        screen.notify(f"Undone: {entry.label}" if entry.label else f"Undone ({count} notes)",
                      markup=False)  # fmt: skip
