"""Filtering and sorting notes by a parsed query (see :mod:`tui.query.parse` for the syntax).

Metadata filters (status, relevance, tags, domain, path, dates) run over the notes in memory;
the words go to the full-text engine, which answers with every matching note and its score.
With words, the ``rank`` sort puts the best match first (ties newest first); the other sorts
order the matches as they order everything.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, cast

# The parser's names stay importable from here, where they lived first.
from tui.query.parse import (
    FILTER_KEYS,
    NO_RELEVANCE,
    Query,
    parse_query,
    relevance_key,
    tag_key,
)
from tui.state.store import StateSnapshot, normalise_status
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
    "best_matches",
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

    def text_hits(
        self, query: TextQuery, limit: int | None = None
    ) -> tuple[list[int], list[float]]:
        """Positions in the note list of the matching notes, best first (the ``limit`` best,
        or all), and their scores."""
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
    order: NoteOrder | None = None,
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
    return _status_filter(notes, state, query, keep, order)


def _status_filter(
    notes: Sequence[Note],
    state: StateView,
    query: Query,
    keep: list[int],
    order: NoteOrder | None,
) -> list[int]:
    """``keep`` without the notes whose status the query leaves out (archived by default)."""
    allowed = set(query.statuses or STATUSES)
    if not query.shows_archived:
        allowed.discard("archived")
    allowed.difference_update(query.not_statuses)
    if len(allowed) == len(STATUSES):
        return keep
    codes = None if order is None else status_codes(notes, state, order)
    if codes is None:
        return [i for i in keep if state.status(notes[i]) in allowed]
    if not any(code in codes for code in _codes_of(set(STATUSES) - allowed)):
        return keep  # nothing listed has a status the query leaves out
    wanted = _codes_of(allowed)
    if len(wanted) == 1:
        code = wanted[0]
        return [i for i in keep if codes[i] == code]
    banned = _codes_of(set(STATUSES) - allowed)[0]  # two of the three allowed
    return [i for i in keep if codes[i] != banned]


def _codes_of(statuses: set[str]) -> bytes:
    return bytes(sorted(STATUS_CODES[s] for s in statuses))


STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}


def status_codes(notes: Sequence[Note], state: StateView, order: NoteOrder) -> bytes | None:
    """Every listed note's effective status as a byte (``STATUS_CODES``), position by position.

    Worked out once per state snapshot and note list from the front matter's statuses (kept
    by ``order``) and the records that set one; None when ``state`` is not a snapshot.
    """
    if not isinstance(state, StateSnapshot):
        return None
    key = ("status", id(order))
    found = state.derived.get(key)
    if isinstance(found, tuple) and found[0] is order:
        return cast(bytes, found[1])
    codes = bytearray(order.front_matter_status)
    where = order.position
    for note_id, rec in state.records.items():
        if rec.status is not None:
            at = where.get(note_id)
            if at is not None:
                codes[at] = STATUS_CODES.get(rec.status, 0)
    done = bytes(codes)
    state.derived[key] = (order, done)  # the order is held so its id is not reused
    return done


class NoteOrder:
    """All notes pre-sorted by date and by title, for one list of notes.

    Sorting on every keystroke costs ~10-30 ms at 10k notes; filtering a ready order
    costs about 1 ms. Build one when the note list changes and pass it to ``run_query``.
    """

    __slots__ = ("by_date", "by_title", "date_rank", "front_matter_status", "position", "size")

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
        self.position = {n.id: i for i, n in enumerate(notes)}
        codes: dict[str, int] = {}  # a vault spells its statuses a few ways only
        self.front_matter_status = bytes(_status_code(n.status, codes) for n in notes)


def _status_code(raw: str, memo: dict[str, int]) -> int:
    code = memo.get(raw)
    if code is None:
        code = memo[raw] = STATUS_CODES[normalise_status(raw)]
    return code


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
        positions, scores = search.text_hits(query.text_query())
        if sort == "rank":
            return _ranked(notes, state, query, scale, order, positions, scores)
        keep = _metadata_filter(notes, state, query, scale, positions, order)
    else:
        keep = _metadata_filter(notes, state, query, scale, order=order)
        if query.has_text:
            keep = [i for i in keep if _meta_match(notes[i], query)]
    return sort_indices(notes, state, keep, "date" if sort == "rank" else sort, scale, order=order)


def best_matches(
    notes: Sequence[Note],
    state: StateView,
    query: Query,
    *,
    search: TextSearch,
    limit: int,
    scale: RelevanceScale = DEFAULT_SCALE,
    order: NoteOrder | None = None,
) -> tuple[list[int], bool]:
    """The notes among the ``limit`` best text matches of ``query`` that pass its filters,
    ranked as :func:`run_query` ranks them; True when that is every match.

    Finding the best few costs the same at 1k and 100k notes, so a list can show its first
    screen at once and work out the rest (:func:`run_query`) after.
    """
    if order is None or order.size != len(notes):
        order = NoteOrder(notes)
    positions, scores = search.text_hits(query.text_query(), limit)
    ranked = _ranked(notes, state, query, scale, order, positions, scores)
    return ranked, len(positions) < limit


def _ranked(
    notes: Sequence[Note],
    state: StateView,
    query: Query,
    scale: RelevanceScale,
    order: NoteOrder,
    positions: list[int],
    scores: list[float],
) -> list[int]:
    """The text matches that pass the filters, best first, ties newest first."""
    keep = _metadata_filter(notes, state, query, scale, positions, order)
    score_of = dict(zip(positions, scores, strict=True))
    # Newest first, then by score: the sorts are stable, so ties stay newest first.
    keep.sort(key=order.date_rank.__getitem__)
    keep.sort(key=score_of.__getitem__, reverse=True)
    return keep


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
