"""Back and forward through the notes opened, like a browser's history: a plain class."""

from __future__ import annotations

from collections.abc import Callable, Mapping


class History:
    """Ids of notes opened before (``back``) and gone back from (``forward``)."""

    def __init__(self) -> None:
        self.back: list[str] = []
        self.forward: list[str] = []

    def visit(self, current: str | None, new: str) -> None:
        """``new`` is opened while ``current`` was open: ``current`` goes into the history."""
        if current is not None and current != new:
            self.back.append(current)
            self.forward.clear()

    def travel(self, step: int, current: str | None, exists: Callable[[str], bool]) -> str | None:
        """The id to open going back (``step`` < 0) or forward, skipping notes that are gone;
        ``current`` goes onto the other side. None when there is nowhere to go."""
        source, other = (self.back, self.forward) if step < 0 else (self.forward, self.back)
        while source:
            note_id = source.pop()
            if exists(note_id):
                if current is not None:
                    other.append(current)
                return note_id
        return None

    def follow(self, moved: Mapping[str, str]) -> None:
        """Renamed notes keep their place in the history under their new ids."""
        self.back[:] = [moved.get(i, i) for i in self.back]
        self.forward[:] = [moved.get(i, i) for i in self.forward]
