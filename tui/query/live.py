"""Re-running the query as the user types, without ever blocking a keystroke for long.

Two ideas. Narrowing: when the new query only adds to the words of the previous one (same
filters, every old word still contained in some new word), its result can only be a subset
of the previous result, so only those notes are scanned. Slicing: the text scan runs as
:class:`~tui.vault.search.SearchJob` steps with a time budget, so the caller can hand control
back to the event loop between steps and a new keystroke simply replaces the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tui.query.query import NoteOrder, Query, StateView, run_query
from tui.text.notes import Note
from tui.text.relevance import RelevanceScale
from tui.vault.search import SearchJob, SearchText


def extends(old: Query, new: Query) -> bool:
    """Whether every note matching ``new`` also matches ``old``, judged from their text."""
    if replace(old, terms=()) != replace(new, terms=()):
        return False
    return all(any(o in n for n in new.terms) for o in old.terms)


class QueryRun:
    """One query being answered: metadata filters at once, text terms step by step."""

    def __init__(self, candidates: list[int], terms: Sequence[str], search: SearchText) -> None:
        """``candidates`` are already filtered and sorted; ``terms`` still to be checked."""
        self.hits = candidates
        self._terms = sorted(terms, key=len, reverse=True)  # longest first: fewest survivors
        self._search = search
        self._job: SearchJob | None = None

    @property
    def done(self) -> bool:
        """Whether ``hits`` is the final answer."""
        return self._job is None and not self._terms

    def step(self, budget: float) -> bool:
        """Scan for about ``budget`` seconds; True once the answer is complete."""
        while not self.done:
            if self._job is None:
                self._job = self._search.start(self._terms.pop(0), self.hits)
            if not self._job.run(budget):
                return False
            self.hits = self._job.hits
            self._job = None
        return True


class LiveQuery:
    """Remembers the last answered query so the next keystroke can narrow from it."""

    def __init__(self, notes: Sequence[Note], scale: RelevanceScale) -> None:
        """Sort orders are built once here; queries then only filter them."""
        self.notes = notes
        self.scale = scale
        self.order = NoteOrder(notes)
        self._last: tuple[Query, list[int]] | None = None

    def begin(self, query: Query, state: StateView, search: SearchText | None) -> QueryRun:
        """Start answering ``query``; call :meth:`finish` with the run once it is done."""
        if search is None or not query.terms:
            hits = run_query(self.notes, state, query, search=None, scale=self.scale,
                             order=self.order)  # fmt: skip
            return QueryRun(hits, (), search or SearchText())
        if self._last is not None and extends(self._last[0], query):
            previous = self._last[0].terms
            # Words already checked on the previous hits need no second look.
            fresh = [t for t in query.terms if t not in previous]
            return QueryRun(list(self._last[1]), fresh, search)
        base = run_query(self.notes, state, replace(query, terms=()), search=None,
                         scale=self.scale, order=self.order)  # fmt: skip
        return QueryRun(base, query.terms, search)

    def finish(self, query: Query, run: QueryRun) -> None:
        """Record an answered query as the base for narrowing."""
        self._last = (query, run.hits) if query.terms else None

    def forget(self) -> None:
        """State or notes changed: the next query starts from scratch."""
        self._last = None
