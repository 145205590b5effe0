"""Filtering and sorting notes by a parsed query (see :mod:`tui.query.parse` for the syntax).

Metadata filters (status, relevance, tags, domain, path, dates) run over the notes in memory;
the words go to the full-text engine, which answers with every matching note and its score.
With words, the ``rank`` sort puts the best match first (ties newest first); the other sorts
order the matches as they order everything.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Protocol

# The parser's names stay importable from here, where they lived first.
from tui.query.parse import (
    FILTER_KEYS,
    NO_RELEVANCE,
    Query,
    parse_query,
    relevance_key,
    tag_key,
)
from tui.text.notes import STATUSES, Note
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale
from tui.vault.engine import TextQuery

__all__ = [
    "FILTER_KEYS",
    "NO_RELEVANCE",
    "SORTS",
    "STATUSES",
    "NoteOrder",
    "Query",
    "StateView",
    "TextSearch",
    "parse_query",
    "relevance_key",
    "run_query",
    "sort_indices",
    "tag_key",
]

SORTS = ("date", "relevance", "title", "rank")
SORT_NAMES = {"rank": "best match", "date": "newest", "title": "title", "relevance": "relevance"}


class StateView(Protocol):
    """What filtering needs from the state store."""

    def status(self, note: Note) -> str: ...  # "unread" | "read" | "archived"

    def starred(self, note: Note) -> bool: ...

    def relevance(self, note: Note) -> str | None: ...


class TextSearch(Protocol):
    """What answers the words of a query: a vault's full-text index, in practice."""

    def text_hits(self, query: TextQuery) -> list[tuple[int, float]]:
        """(position in the note list, score) of every matching note, best first."""
        ...


def _meta_text(note: Note) -> str:
    return " ".join((note.title, *note.tags, note.domain)).lower()


def _meta_match(note: Note, query: Query) -> bool:
    """The words of ``query`` against titles, tags and domains, while there is no index."""
    text = _meta_text(note)
    title = note.title.lower()
    return (
        all(t in text for t in query.terms)
        and all(any(t in text for t in group) for group in query.any_of)
        and not any(t in text for t in query.excluded)
        and all(t in title for t in query.titles)
        and not any(t in title for t in query.not_titles)
    )


def _has_tag(tags: frozenset[str]) -> Callable[[Note], bool]:
    """A check: whether a note has one of ``tags`` (already in :func:`tag_key` form)."""
    tag_hits: dict[str, bool] = {}  # vaults reuse few distinct tag spellings

    def tag_matches(n: Note) -> bool:
        for tag in n.tags:
            hit = tag_hits.get(tag)
            if hit is None:
                hit = tag_hits[tag] = tag_key(tag) in tags
            if hit:
                return True
        return False

    return tag_matches


def _metadata_filter(
    notes: Sequence[Note],
    state: StateView,
    query: Query,
    scale: RelevanceScale,
    among: list[int] | None = None,
) -> list[int]:
    # Checks on the note itself are cheaper than asking the store, so they run first and
    # each later check only sees the survivors of the earlier ones.
    checks: list[Callable[[Note], bool]] = []
    if query.paths:
        paths = query.paths
        checks.append(lambda n: any(p in n.path.lower() for p in paths))
    if query.dates:
        dates = query.dates
        checks.append(lambda n: n.date.startswith(dates))
    if query.after:
        after = query.after
        checks.append(lambda n: n.date >= after)
    if query.before:
        before = query.before
        checks.append(lambda n: n.date < before)
    if query.not_paths:
        not_paths = query.not_paths
        checks.append(lambda n: not any(p in n.path.lower() for p in not_paths))
    if query.not_dates:
        not_dates = query.not_dates
        checks.append(lambda n: not n.date.startswith(not_dates))
    if query.domains:
        domains = frozenset(query.domains)
        checks.append(lambda n: n.domain.lower() in domains)
    if query.not_domains:
        not_domains = frozenset(query.not_domains)
        checks.append(lambda n: n.domain.lower() not in not_domains)
    if query.tags:
        checks.append(_has_tag(frozenset(query.tags)))
    if query.not_tags:
        has_banned = _has_tag(frozenset(query.not_tags))
        checks.append(lambda n: not has_banned(n))
    if query.statuses:
        allowed = frozenset(query.statuses)
        checks.append(lambda n: state.status(n) in allowed)
    if not query.shows_archived:
        checks.append(lambda n: state.status(n) != "archived")
    if query.not_statuses:
        banned = frozenset(query.not_statuses)
        checks.append(lambda n: state.status(n) not in banned)
    if query.starred is not None:
        want = query.starred
        checks.append(lambda n: bool(state.starred(n)) is want)
    if query.relevance:
        levels = frozenset(query.relevance)
        memo: dict[str | None, bool] = {}

        def relevance_matches(n: Note) -> bool:
            raw = state.relevance(n)
            hit = memo.get(raw)
            if hit is None:
                hit = memo[raw] = relevance_key(raw, scale) in levels
            return hit

        checks.append(relevance_matches)
    if query.not_relevance:
        banned_levels = frozenset(query.not_relevance)
        checks.append(lambda n: relevance_key(state.relevance(n), scale) not in banned_levels)
    keep = list(range(len(notes))) if among is None else among
    for check in checks:
        keep = [i for i in keep if check(notes[i])]
    return keep


class NoteOrder:
    """All notes pre-sorted by date and by title, for one list of notes.

    Sorting on every keystroke costs ~10-30 ms at 10k notes; filtering a ready order
    costs about 1 ms. Build one when the note list changes and pass it to ``run_query``.
    """

    __slots__ = ("by_date", "by_title", "date_rank", "size")

    def __init__(self, notes: Sequence[Note]) -> None:
        """Sort ``notes`` once; the order is stale as soon as the list changes."""
        titles = [n.title.casefold() for n in notes]
        dates = [n.date for n in notes]
        by_title = sorted(range(len(notes)), key=titles.__getitem__)
        self.by_date = sorted(by_title, key=dates.__getitem__, reverse=True)
        by_date_then_title = sorted(range(len(notes)), key=dates.__getitem__, reverse=True)
        self.by_title = sorted(by_date_then_title, key=titles.__getitem__)
        self.date_rank = [0] * len(notes)  # date_rank[i]: where note i stands newest first
        for rank, i in enumerate(self.by_date):
            self.date_rank[i] = rank
        self.size = len(notes)


def run_query(
    notes: Sequence[Note],
    state: StateView,
    query: Query,
    *,
    search: TextSearch | None,
    sort: str = "date",
    scale: RelevanceScale = DEFAULT_SCALE,
    order: NoteOrder | None = None,
) -> list[int]:
    """Indices into ``notes`` matching ``query``, in ``sort`` order.

    ``search`` answers the words; it must index this very ``notes`` list. Without it, words
    are matched against titles, tags and domains only. ``rank`` without words sorts by date.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    if order is None or order.size != len(notes):
        order = NoteOrder(notes)
    if query.has_text and search is not None:
        # The words first: the metadata checks (some ask the store) then only see their hits.
        hits = search.text_hits(query.text_query())
        keep = _metadata_filter(notes, state, query, scale, [i for i, _ in hits])
        if sort == "rank":
            if len(keep) != len(hits):
                wanted = bytearray(len(notes))
                for i in keep:
                    wanted[i] = 1
                hits = [hit for hit in hits if wanted[hit[0]]]
            # Newest first, then by score: the sorts are stable, so ties stay newest first.
            rank = order.date_rank
            hits.sort(key=lambda hit: rank[hit[0]])
            hits.sort(key=itemgetter(1), reverse=True)
            return [i for i, _ in hits]
    else:
        keep = _metadata_filter(notes, state, query, scale)
        if query.has_text:
            keep = [i for i in keep if _meta_match(notes[i], query)]
    return sort_indices(notes, state, keep, "date" if sort == "rank" else sort, scale, order=order)


def sort_indices(
    notes: Sequence[Note],
    state: StateView,
    indices: Sequence[int],
    sort: str = "date",
    scale: RelevanceScale = DEFAULT_SCALE,
    *,
    order: NoteOrder | None = None,
) -> list[int]:
    """Order ``indices``: ``date`` newest first, ``relevance`` highest first, ``title`` A-Z.

    Ties fall back to newest first, then title A-Z. ``order`` must have been built from
    this very ``notes`` list.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    if order is None or order.size != len(notes):
        order = NoteOrder(notes)
    wanted = bytearray(len(notes))
    for i in indices:
        wanted[i] = 1
    out = [i for i in (order.by_title if sort == "title" else order.by_date) if wanted[i]]
    if sort == "relevance":
        ranks: dict[str | None, int] = {}

        def rank(i: int) -> int:
            value = state.relevance(notes[i])
            found = ranks.get(value)
            if found is None:
                found = ranks[value] = scale.rank(value)
            return found

        out.sort(key=rank, reverse=True)
    return out
