"""What triage works through and says, without the screen: queue, undo steps, tally, summary.

The screen (:mod:`tui.ui.screens.triage`) shows one note of the queue at a time; this part
knows nothing about Textual, so it can be tested and reused bare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.query.query import sort_indices
from tui.state.store import StateStore
from tui.text.notes import Note
from tui.vault.index import Vault


def triage_queue(vault: Vault, store: StateStore, indices: Sequence[int]) -> list[Note]:
    """The unread notes among ``indices``: relevance highest first, then newest, then by title."""
    state = store.snapshot()
    unread = [i for i in indices if state.status(vault.notes[i]) == "unread"]
    ordered = sort_indices(vault.notes, state, unread, "relevance", vault.scale)
    return [vault.notes[i] for i in ordered]


@dataclass(frozen=True, slots=True)
class Step:
    """One key pressed on queue entry ``index``; the fields it replaced are kept by
    :class:`tui.state.changes.Changes`, this says where to go back to."""

    index: int
    was_reached: bool
    opened: bool = False


@dataclass(frozen=True, slots=True)
class Tally:
    """How the notes passed so far stand in the store, and what else changed."""

    total: int
    starred: int = 0
    read: int = 0
    archived: int = 0
    skipped: int = 0
    relevance: int = 0
    opened: int = 0

    def sentence(self) -> str:
        """``17 notes: 5 starred, 9 read, 2 archived, 1 skipped``."""
        plural = "note" if self.total == 1 else "notes"
        return (
            f"{self.total} {plural}: {self.starred} starred, {self.read} read, "
            f"{self.archived} archived, {self.skipped} skipped"
        )


def outcome(store: StateStore, note: Note) -> str:
    """How a note passed in triage stands now: archived, starred, read or skipped."""
    status = store.status(note)
    if status == "archived":
        return "archived"
    if store.starred(note):
        return "starred"
    return "read" if status == "read" else "skipped"


def summary(tally: Tally, *, loading: bool, can_undo: bool) -> str:
    """What the screen says past the last note (or when there is nothing to triage)."""
    if loading:
        lines = ["The notes are still loading: try again in a moment."]
    elif not tally.total:
        lines = ["Nothing to triage: no unread notes in this list."]
    else:
        lines = ["Triage done.", "", tally.sentence() + "."]
        if tally.relevance:
            lines.append(f"Relevance changed on {tally.relevance}.")
        if tally.opened:
            lines.append(f"{tally.opened} opened in the browser.")
    lines += ["", "Esc or q: back to the list"]
    if can_undo:
        lines.append("u: undo the last action · p: previous note")
    return "\n".join(lines)
