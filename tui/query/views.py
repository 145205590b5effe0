"""Saved searches: named queries from the config's ``[views]``, with live counts.

A view is only a query with a name and a number (its place in the config, 1 first), so
choosing one does exactly what typing its query into the search box does. Counting is
done on every state change, so the text part of each view (the words, which only depend
on the notes) is remembered per note list and only the cheap metadata filters re-run.
Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from tui.query.query import NoteOrder, Query, StateView, TextSearch, parse_query, run_query
from tui.text.notes import Note
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale

_NO_WORDS: dict[str, tuple[object, ...]] = {
    "terms": (), "exact": (), "any_of": (), "excluded": (), "titles": (), "not_titles": ()
}  # fmt: skip
"""The parts of a query the full-text engine answers; the rest are metadata filters."""


def _filters(query: Query) -> Query:
    return replace(query, **_NO_WORDS)  # type: ignore[arg-type]


def _words(query: Query) -> Query:
    return Query(**{name: getattr(query, name) for name in _NO_WORDS})


def _has_words(query: Query) -> bool:
    return any(getattr(query, name) for name in _NO_WORDS)


@dataclass(frozen=True, slots=True)
class View:
    """One saved search: what the config calls it, the query text, and its number."""

    name: str
    text: str
    number: int
    query: Query


@dataclass(frozen=True, slots=True)
class ViewCount:
    """How many notes a view shows now, and how many of those are unread."""

    view: View
    total: int
    unread: int


def views_from(
    pairs: Sequence[tuple[str, str]], scale: RelevanceScale = DEFAULT_SCALE
) -> tuple[View, ...]:
    """The views for ``[views]`` name = query pairs, numbered from 1 in config order."""
    return tuple(
        View(name, text, i, parse_query(text, scale)) for i, (name, text) in enumerate(pairs, 1)
    )


class ViewCounter:
    """Counts every view over one note list; call :meth:`counts` after each change.

    The notes each view shows are remembered, so after a triage key only the notes it
    changed are looked at again (``changed``); a new note list is counted afresh.
    """

    def __init__(self, views: Sequence[View], scale: RelevanceScale = DEFAULT_SCALE) -> None:
        """``views`` as :func:`views_from` makes them."""
        self.views = tuple(views)
        self.scale = scale
        self._notes: Sequence[Note] | None = None
        self._order: NoteOrder | None = None
        self._words: dict[Query, frozenset[int]] = {}
        self._shown: list[set[int]] = []
        self._unread: list[set[int]] = []

    def counts(
        self,
        notes: Sequence[Note],
        state: StateView,
        search: TextSearch | None,
        changed: Iterable[int] | None = None,
    ) -> tuple[ViewCount, ...]:
        """Each view's count over ``notes`` as ``state`` has them now.

        ``changed`` names the only notes whose state changed since the last call on this
        same note list; None (or a different list) counts everything again.
        """
        if notes is not self._notes or self._order is None or self._order.size != len(notes):
            # A new note list (the vault changed): remembered matches are stale.
            self._notes, self._order, self._words = notes, NoteOrder(notes), {}
            changed = None
        if changed is None:
            self._recount(notes, state, search, self._order)
        else:
            for i in set(changed):
                self._look_again(notes, state, search, i)
        return tuple(
            ViewCount(view, len(shown), len(unread))
            for view, shown, unread in zip(self.views, self._shown, self._unread, strict=True)
        )

    def _recount(
        self, notes: Sequence[Note], state: StateView, search: TextSearch | None, order: NoteOrder
    ) -> None:
        self._shown, self._unread = [], []
        for view in self.views:
            filters = _filters(view.query)
            shown = run_query(notes, state, filters, search=None, scale=self.scale, order=order)
            if _has_words(view.query):
                words = self._word_hits(notes, view.query, search, order)
                shown = [i for i in shown if i in words]
            self._shown.append(set(shown))
            self._unread.append({i for i in shown if state.status(notes[i]) == "unread"})

    def _look_again(
        self, notes: Sequence[Note], state: StateView, search: TextSearch | None, i: int
    ) -> None:
        note = [notes[i]]
        unread = state.status(notes[i]) == "unread"
        for view, shown, unread_shown in zip(self.views, self._shown, self._unread, strict=True):
            filters = _filters(view.query)
            hit = bool(run_query(note, state, filters, search=None, scale=self.scale))
            if hit and _has_words(view.query):
                assert self._order is not None
                hit = i in self._word_hits(notes, view.query, search, self._order)
            for members, wanted in ((shown, hit), (unread_shown, hit and unread)):
                if wanted:
                    members.add(i)
                else:
                    members.discard(i)

    def _word_hits(
        self, notes: Sequence[Note], query: Query, search: TextSearch | None, order: NoteOrder
    ) -> frozenset[int]:
        words = _words(query)
        found = self._words.get(words)
        if found is None:
            hits = run_query(notes, _ANY_STATE, words, search=search, scale=self.scale, order=order)
            found = self._words[words] = frozenset(hits)
        return found


class _AnyState:
    """Every note unread (so none is hidden as archived): word matches ignore state."""

    def status(self, note: Note) -> str:
        return "unread"

    def starred(self, note: Note) -> bool:
        return False

    def relevance(self, note: Note) -> str | None:
        return None


_ANY_STATE = _AnyState()
