"""The one way a person's triage reaches the state: apply a change, remember how to undo it.

The main screen and triage mode both hand their changes to one :class:`Changes`, owned by the
app, so there is a single undo stack whichever screen a change was made on, and every change
is durable (or raises :class:`~tui.state.files.StateError` and is not recorded) before the
caller repaints anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tui.state.store import StateStore
from tui.text.notes import Note

Change = tuple[Note, Mapping[str, object]]
"""One note and the fields (status, starred, relevance) to give it."""

UNDO_DEPTH = 100


@dataclass(frozen=True, slots=True)
class Entry:
    """One undoable step: the fields it replaced, what it was, and its maker's own context.

    ``before`` is empty for a step that changed nothing (triage's skip), which undo passes by.
    ``context`` is the maker's to read back (triage keeps which note of its queue it was).
    """

    before: tuple[Change, ...]
    label: str
    context: object = None

    @property
    def notes(self) -> list[Note]:
        """The notes this step changed."""
        return [note for note, _ in self.before]


class Changes:
    """Applies triage changes through one :class:`StateStore` and owns the undo stack."""

    def __init__(self, store: StateStore, depth: int = UNDO_DEPTH) -> None:
        self.store = store
        self.depth = depth
        self.entries: list[Entry] = []
        self._getters: dict[str, Callable[[Note], object]] = {
            "status": store.status,
            "starred": store.starred,
            "relevance": store.relevance,
        }

    def current(self, note: Note, fields: Mapping[str, object]) -> dict[str, object]:
        """What ``note`` holds now for each of ``fields``."""
        return {name: self._getters[name](note) for name in fields}

    def apply(
        self,
        changes: Sequence[Change],
        *,
        label: str = "",
        context: object = None,
        undoable: bool = True,
    ) -> Entry:
        """Write ``changes`` durably (one write) and record how to undo them.

        Raises ``StateError`` when they could not be saved; nothing is recorded then.
        """
        before = tuple((note, self.current(note, fields)) for note, fields in changes)
        self._write(changes)
        entry = Entry(before, label, context)
        if undoable:
            self.entries.append(entry)
            del self.entries[: -self.depth]
        return entry

    def unarchived_status(self, note: Note) -> str:
        """The status to give ``note`` when it leaves the archive: the one it had before.

        The store keeps it with the note's record, so it holds across sessions and syncs; a
        note archived elsewhere (its front matter) comes back read, as most archived notes were.
        """
        return self.store.unarchived_status(note)

    def last(self) -> Entry | None:
        """The step :meth:`undo` would undo, or None."""
        return self.entries[-1] if self.entries else None

    def undo(self, *, skip_empty: bool = True) -> Entry | None:
        """Put back what the last step changed and return it (None when there is none).

        With ``skip_empty``, steps that changed nothing are dropped on the way. Raises
        ``StateError`` when the old values could not be saved; the step stays on the stack.
        """
        while self.entries:
            entry = self.entries[-1]
            if entry.before or not skip_empty:
                break
            self.entries.pop()
        if not self.entries:
            return None
        entry = self.entries[-1]
        self._write(entry.before)
        self.entries.pop()
        return entry

    def _write(self, changes: Sequence[Change]) -> None:
        real = [(note, fields) for note, fields in changes if fields]
        if len(real) == 1:
            note, fields = real[0]
            self.store.update(note, **fields)
        elif real:
            self.store.update_many(real)
