"""Re-running the query as the user types: the best matches first, the whole answer next.

Ranked by the words, the first screen of a list needs only the best few hundred matches,
which the full-text engine finds in a millisecond or two however large the vault. The
complete answer (every match, for the count, the facets and scrolling to the end) costs
time in proportion to the number of matches: ~10 ms at 10k notes, ten times that at 100k.
So :meth:`LiveQuery.begin` answers with the best :data:`FIRST_ANSWER` matches at once, and
:meth:`QueryRun.complete` (in a thread, by the caller) works out the rest.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from tui.query.query import NoteOrder, Query, StateView, TextSearch, best_matches, run_query
from tui.text.notes import Note
from tui.text.relevance import RelevanceScale

FIRST_ANSWER = 200
"""How many of the best text matches the first answer looks at: a few screens of a list."""


class QueryRun:
    """One query being answered: :attr:`hits` so far, and the work left, if any."""

    def __init__(self, hits: list[int], rest: Callable[[], list[int]] | None = None) -> None:
        """``hits`` are the answer so far; ``rest`` works out the complete one (None: done)."""
        self.hits = hits
        self._rest = rest
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        """Whether :attr:`hits` is the complete answer."""
        return self._rest is None

    def complete(self) -> list[int]:
        """Work out the complete answer (safe in a thread), keep it in :attr:`hits`, return it."""
        with self._lock:
            rest = self._rest
            if rest is not None:
                self.hits = rest()
                self._rest = None
            return self.hits


class LiveQuery:
    """Answers the queries of one note list, with its sort orders built once."""

    def __init__(self, notes: Sequence[Note], scale: RelevanceScale) -> None:
        """Sort orders are built once here; queries then only filter them."""
        self.notes = notes
        self.scale = scale
        self.order = NoteOrder(notes)

    def begin(
        self, query: Query, state: StateView, search: TextSearch | None, sort: str = "date"
    ) -> QueryRun:
        """Answer ``query``: completely, or (ranked by words) the best matches first."""

        notes, scale, order = self.notes, self.scale, self.order

        def run() -> list[int]:
            return run_query(
                notes, state, query, search=search, sort=sort, scale=scale, order=order
            )

        if sort == "rank" and query.has_text and search is not None:
            first, whole = best_matches(
                notes, state, query, search=search, limit=FIRST_ANSWER, scale=scale, order=order
            )
            return QueryRun(first, None if whole else run)
        return QueryRun(run())
