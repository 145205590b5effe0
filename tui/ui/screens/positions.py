"""Reading positions: where the open note is scrolled to, saved once scrolling settles."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.timer import Timer

from tui.state.files import StateError
from tui.state.store import StateStore
from tui.text.notes import Note

POSITION_DELAY = 0.3  # the article already spaces its reports out; this settles bursts

Later = Callable[[float, Callable[[], None]], Timer]


class Positions:
    """Holds the last position reported for the open note and saves it after a pause."""

    def __init__(self, store: StateStore, find: Callable[[str], Note | None], later: Later):
        self.store = store
        self._find = find
        self._later = later
        self._timer: Timer | None = None
        self.pending: tuple[str, float] | None = None

    def moved(self, note_id: str, position: float) -> None:
        """The open note ``note_id`` is now scrolled to ``position``."""
        self.pending = (note_id, position)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._later(POSITION_DELAY, self.flush)

    def flush(self) -> None:
        """Save a pending reading position now."""
        if self._timer is not None:
            self._timer.stop()
        pending, self.pending = self.pending, None
        note = self._find(pending[0]) if pending else None
        if pending is None or note is None or self.store.read_only:
            return
        try:
            if self.store.position(note) != pending[1]:
                self.store.update(note, position=pending[1])
        except StateError:
            pass  # a lost reading position is not worth interrupting the reader for

    def follow(self, moved: Mapping[str, str]) -> None:
        """A position not yet saved follows its note's rename."""
        if self.pending is not None:
            note_id, position = self.pending
            self.pending = (moved.get(note_id, note_id), position)

    def drop(self, note_id: str) -> None:
        """Forget a position not yet saved for a note that is gone."""
        if self.pending is not None and self.pending[0] == note_id:
            self.pending = None
