"""Facet counts for the sidebar: status, relevance, domain and tag over a set of notes.

Values compare the way ``rel:`` and ``tag:`` filters do (see :mod:`tui.query.query`), so clicking
a facet finds exactly the notes it counted. Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.query.query import NO_RELEVANCE, StateView, relevance_key, tag_key
from tui.text.notes import STATUSES, Note
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale


@dataclass(frozen=True, slots=True)
class FacetCount:
    """One facet value: how many of the counted notes have it, and how many of those are unread."""

    value: str
    total: int
    unread: int


@dataclass(frozen=True, slots=True)
class Facets:
    """Counts for the sidebar, each section in display order."""

    status: tuple[FacetCount, ...]  # unread, read, archived, starred - always all four
    relevance: tuple[FacetCount, ...]  # scale levels high to low, unknown values, then "none"
    domains: tuple[FacetCount, ...]  # most notes first
    tags: tuple[FacetCount, ...]  # the most used tags, most notes first


def _ranked(counts: dict[str, list[int]], limit: int | None = None) -> tuple[FacetCount, ...]:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0].casefold(), kv[0]))
    return tuple(FacetCount(value, total, unread) for value, (total, unread) in ordered[:limit])


def facet_counts(
    notes: Sequence[Note],
    state: StateView,
    indices: Sequence[int],
    scale: RelevanceScale = DEFAULT_SCALE,
    *,
    top_tags: int = 20,
) -> Facets:
    """Count status, relevance, domain and tags over ``notes[i] for i in indices``.

    Domains group case-insensitively under their first spelling seen; tags group by
    ``tag_key`` (so ``#Python`` and ``python`` are one tag, shown as ``python``).
    """
    status = {name: [0, 0] for name in (*STATUSES, "starred")}
    relevance: dict[str, list[int]] = {}
    domains: dict[str, list[int]] = {}
    spelling: dict[str, str] = {}
    tags: dict[str, list[int]] = {}
    levels: dict[str | None, str] = {}  # raw relevance -> key, and tag -> key: few distinct
    keys: dict[str, str] = {}

    def bump(counts: dict[str, list[int]], key: str, unread: int) -> None:
        slot = counts.get(key)
        if slot is None:
            counts[key] = [1, unread]
        else:
            slot[0] += 1
            slot[1] += unread

    for i in indices:
        note = notes[i]
        current = state.status(note)
        unread = 1 if current == "unread" else 0
        if current in status:
            bump(status, current, unread)
        if state.starred(note):
            bump(status, "starred", unread)
        raw = state.relevance(note)
        level = levels.get(raw)
        if level is None:
            level = levels[raw] = relevance_key(raw, scale)
        bump(relevance, level, unread)
        if note.domain:
            name = spelling.setdefault(note.domain.lower(), note.domain)
            bump(domains, name, unread)
        for tag in {keys.get(t) or keys.setdefault(t, tag_key(t)) for t in note.tags}:
            if tag:
                bump(tags, tag, unread)

    known = tuple(FacetCount(lv.name, *relevance.pop(lv.name, [0, 0])) for lv in scale.levels)
    unset = relevance.pop(NO_RELEVANCE, None)
    tail = (FacetCount(NO_RELEVANCE, *unset),) if unset else ()
    return Facets(
        status=tuple(FacetCount(name, total, unr) for name, (total, unr) in status.items()),
        relevance=known + _ranked(relevance) + tail,
        domains=_ranked(domains),
        tags=_ranked(tags, top_tags),
    )
