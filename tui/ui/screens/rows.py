"""What the main screen shows for a query result: lazy list rows and facet items."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from typing import overload

from tui.query.facets import FacetCount, facet_counts
from tui.query.query import NO_RELEVANCE
from tui.state.store import StateStore
from tui.text.notes import Note
from tui.text.snippets import snippet
from tui.ui.widgets.facets import FacetData, FacetItem, facet_term
from tui.ui.widgets.note_list import Row
from tui.vault.index import Vault


class NoteRows(Sequence[Row]):
    """The rows of one query result, built only when the list draws them, then kept.

    A triage action calls :meth:`forget` for the row it changed; the next draw reads the
    store again. The order and membership never change: re-running the query does that.
    ``indices`` point into the vault's note list as it was when the rows were made; an update
    of the vault replaces that list, so the rows keep their own reference to it.
    """

    def __init__(
        self,
        vault: Vault | None,
        store: StateStore,
        indices: list[int],
        words: Sequence[str] = (),
    ) -> None:
        """Rows for ``indices``; with a search's ``words``, each row shows why it matched."""
        self.vault = vault
        self.words = tuple(words)
        self.store = store
        self.indices = indices
        self._notes: Sequence[Note] = vault.notes if vault is not None else ()
        self._built: dict[int, Row] = {}
        self._positions: dict[str, int] | None = None

    @classmethod
    def empty(cls, store: StateStore) -> NoteRows:
        """No rows (before the vault is loaded)."""
        return cls(None, store, [])

    def __len__(self) -> int:
        return len(self.indices)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | Sequence[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self.indices)
        row = self._built.get(index)
        if row is None:
            row = self._build(self.note(index))
            self._built[index] = row
        return row

    def note(self, index: int) -> Note:
        """The note shown at ``index``."""
        return self._notes[self.indices[index]]

    def notes(self) -> list[Note]:
        """Every note shown, in order."""
        return [self.note(i) for i in range(len(self.indices))]

    def index_of(self, note_id: str) -> int | None:
        """Where the note with ``note_id`` is shown, or None."""
        if self._positions is None:
            notes = self._notes
            self._positions = {notes[n].id: pos for pos, n in enumerate(self.indices)}
        return self._positions.get(note_id)

    def following(self, vault: Vault, moved: Mapping[str, str]) -> NoteRows:
        """The same notes in the same order, after ``vault`` took in an update.

        Notes that are gone are left out; a renamed note keeps its place under its new id.
        The result is only a stand-in until the query runs again on the new notes.
        """
        index_of = vault.index_of
        ids = (moved.get(note.id, note.id) for note in self.notes())
        return NoteRows(vault, self.store, [index_of[i] for i in ids if i in index_of], self.words)

    def survivor(self, index: int, gone: Container[str]) -> str | None:
        """The id at ``index`` if it is not in ``gone``, else its nearest listed neighbour's."""
        order = [*range(index, len(self)), *range(index - 1, -1, -1)]
        for i in order:
            note_id = self.note(i).id
            if note_id not in gone:
                return note_id
        return None

    def forget(self, index: int | None = None) -> None:
        """Drop the built row at ``index`` (all rows when None) so it is rebuilt from the store."""
        if index is None:
            self._built.clear()
        else:
            self._built.pop(index, None)

    def _build(self, note: Note) -> Row:
        assert self.vault is not None
        symbol = self.vault.scale.symbol(self.store.relevance(note))
        status, starred = self.store.status(note), self.store.starred(note)
        # Only rows drawn get here, so only the bodies of notes on screen are read.
        excerpt = snippet(self.vault.body(note, quiet=True), self.words) if self.words else ""
        return Row(note.id, note.title, note.date, note.domain, symbol, status, starred, excerpt)


def _items(key: str, counts: Sequence[FacetCount], labels: dict[str, str]) -> list[FacetItem]:
    return [
        FacetItem(labels.get(c.value, c.value), facet_term(key, c.value), c.total, c.unread)
        for c in counts
        if c.total
    ]


def facet_data(vault: Vault, store: StateStore, indices: Sequence[int]) -> tuple[FacetData, int]:
    """The sidebar's contents for the notes at ``indices``, and how many of them are unread."""
    facets = facet_counts(vault.notes, store.snapshot(), indices, vault.scale)
    labels = {lv.name: f"{lv.symbol} {lv.name}" for lv in vault.scale.levels}
    labels[NO_RELEVANCE] = "no relevance"
    unread = next((c.total for c in facets.status if c.value == "unread"), 0)
    data = FacetData(
        status=_items("is", facets.status, {}),
        relevance=_items("rel", facets.relevance, labels),
        domain=_items("domain", facets.domains, {}),
        tags=_items("tag", facets.tags, {}),
    )
    return data, unread
