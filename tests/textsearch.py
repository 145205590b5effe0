"""Asking a vault's full-text index from tests: which notes a query's words find."""

from __future__ import annotations

from collections.abc import Sequence

from tui.query.query import parse_query
from tui.text.notes import Note
from tui.vault.engine import IndexedDoc, TextIndex, TextQuery, note_key
from tui.vault.index import Vault


def found(vault: Vault, text: str) -> list[int]:
    """Positions in ``vault.notes`` of the notes whose words match ``text``, ascending."""
    return sorted(vault.text_hits(parse_query(text).text_query())[0])


class MemorySearch:
    """A full-text index in memory over given notes and bodies (a vault without files)."""

    def __init__(self, notes: Sequence[Note], bodies: Sequence[str]) -> None:
        self.index = TextIndex(None)
        docs = [
            IndexedDoc(note_key(n.id), 0, n.title, " ".join(n.tags), n.domain, body)
            for n, body in zip(notes, bodies, strict=True)
        ]
        self.index.update(docs)
        self.positions = {note_key(n.id): i for i, n in enumerate(notes)}

    def text_hits(
        self, query: TextQuery, limit: int | None = None
    ) -> tuple[list[int], list[float]]:
        """Positions of the matching notes, best first (the ``limit`` best, or all), and scores."""
        keys, scores = self.index.matches(query, limit)
        return [self.positions[k] for k in keys], scores
