"""Adding and removing one filter term in a query's text, as the facet sidebar does."""

from __future__ import annotations

from dataclasses import replace

from tui.query.query import Query, parse_query
from tui.text.relevance import RelevanceScale

_LIST_FIELDS = ("terms", "statuses", "not_statuses", "relevance", "domains", "tags")


def query_has(query: Query, term: str, scale: RelevanceScale) -> bool:
    """Whether every filter ``term`` asks for is already part of ``query``."""
    wanted = parse_query(term, scale)
    if wanted.starred is not None and wanted.starred != query.starred:
        return False
    has_any = wanted.starred is not None
    for name in _LIST_FIELDS:
        values = getattr(wanted, name)
        if not set(values) <= set(getattr(query, name)):
            return False
        has_any = has_any or bool(values)
    return has_any


def toggle_term(text: str, term: str, scale: RelevanceScale) -> str:
    """``text`` with ``term`` removed if the query already has it, else added.

    The result is the query's canonical form, so toggling twice gives back the same filters.
    """
    query = parse_query(text, scale)
    wanted = parse_query(term, scale)
    present = query_has(query, term, scale)
    changes: dict[str, object] = {}
    for name in _LIST_FIELDS:
        have, extra = getattr(query, name), getattr(wanted, name)
        if present:
            changes[name] = tuple(v for v in have if v not in extra)
        else:
            changes[name] = have + tuple(v for v in extra if v not in have)
    if wanted.starred is not None:
        changes["starred"] = None if present else wanted.starred
    return str(replace(query, **changes))  # type: ignore[arg-type]
