"""The vault took in files changed on disk: the main screen shows them, keeping the place.

The cursor stays on its note (or the nearest one left, when that note went), the open note
stays open at the same line, a renamed note is followed to its new id, and the query runs
again so added notes appear where they belong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.query.live import LiveQuery
from tui.state.store import StateError, StateStore
from tui.text.notes import Note
from tui.vault.update import PendingUpdate, VaultChange

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


def take_change(screen: MainScreen, change: VaultChange, live: LiveQuery) -> None:
    """Show ``change`` (already committed to ``screen.vault``) in ``screen``."""
    vault = screen.vault
    if vault is None:
        return
    moved, gone = change.moved, set(change.removed) - set(change.moved)
    note_list = screen.note_list
    cursor = note_list.cursor
    keep = screen.rows.survivor(cursor, gone) if len(screen.rows) else None
    keep = moved.get(keep, keep) if keep is not None else None
    screen_row = cursor - round(note_list.scroll_y)
    screen.rows = screen.rows.following(vault, moved)
    note_list.set_rows(screen.rows, keep_id=keep)
    if moved:
        # Ids held for later (history, a reading position not yet saved) follow renames.
        screen.history.follow(moved)
        screen.positions.follow(moved)
    _reshow_after(screen, change, gone)
    screen.listing.live = live
    screen.listing.apply(facets_now=False)
    # Notes added or removed above the cursor would otherwise slide it up or down.
    note_list.scroll_to(y=max(note_list.cursor - screen_row, 0), animate=False)


def _reshow_after(screen: MainScreen, change: VaultChange, gone: set[str]) -> None:
    """Keep the article in step: the shown note re-read, followed, or let go."""
    vault, shown = screen.vault, screen.shown_id
    if vault is None or shown is None:
        return
    if shown in gone:
        _shown_note_gone(screen, shown)
        return
    new_id = change.moved.get(shown, shown)
    note = vault.by_id.get(new_id)
    if note is None:
        return
    if screen.open_id == shown:
        screen.open_id = new_id
    if new_id != shown or shown in change.changed:
        screen.show_note(note, position=screen.article.position)
    screen.links.show_backlinks(note)


def _shown_note_gone(screen: MainScreen, note_id: str) -> None:
    vault = screen.vault
    departed = reversed(vault.departed) if vault is not None else iter(())
    old = next((n for n in departed if n.id == note_id), None)
    if screen.open_id == note_id:
        what = f"“{old.title}” ({old.path})" if old is not None else "The open note"
        screen.notify(f"{what} was deleted on disk", severity="warning", markup=False)
        screen.open_id = None
        screen.positions.drop(note_id)
    screen.shown_id = None
    screen.article.clear()
    screen.query_one("#linked-from").display = False
    if screen.reading:
        screen.reading = False
        screen.note_list.focus()


def refresh_records(store: StateStore, pending: PendingUpdate) -> str | None:
    """Give edited notes that have a record their new fingerprint (no state changes); the
    problem, if the store could not be written.

    A record is matched to its note after a rename by that fingerprint, so it has to be the
    body's latest, not the one it had when the note was last marked.
    """
    if store.read_only:
        return None
    edited = (pending.by_id[note_id] for note_id in pending.change.changed)
    known: list[tuple[Note, dict[str, object]]] = [
        (note, {}) for note in edited if store.get(note.id) is not None
    ]
    try:
        store.update_many(known)
    except StateError as exc:
        return str(exc)
    return None


def reconcile_notes(store: StateStore, notes: list[Note]) -> str | None:
    """Move the records of renamed notes to their new ids; the problem, if any."""
    try:
        store.reconcile(notes)
    except StateError as exc:
        return str(exc)
    return None
