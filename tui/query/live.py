"""Re-running the query as the user types.

The full-text engine answers a query in about a millisecond at 10k notes, so a keystroke
is answered at once and no longer needs narrowing or slicing. :class:`QueryRun` keeps the
shape callers step through (``begin``, ``step``, ``finish``), so a slower engine could
hand control back to the event loop between steps again.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.query.query import NoteOrder, Query, StateView, TextSearch, run_query
from tui.text.notes import Note
from tui.text.relevance import RelevanceScale


class QueryRun:
    """One query being answered."""

    def __init__(self, hits: list[int]) -> None:
        """``hits`` are the answer, filtered and sorted."""
        self.hits = hits

    @property
    def done(self) -> bool:
        """Whether ``hits`` is the final answer."""
        return True

    def step(self, budget: float) -> bool:
        """Work for about ``budget`` seconds; True once the answer is complete."""
        return True


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
        """Start answering ``query``; call :meth:`finish` with the run once it is done."""
        hits = run_query(
            self.notes, state, query, search=search, sort=sort, scale=self.scale, order=self.order
        )
        return QueryRun(hits)

    def finish(self, query: Query, run: QueryRun) -> None:
        """Record an answered query (nothing to keep while answers are immediate)."""

    def forget(self) -> None:
        """State or notes changed: the next query starts from scratch."""
