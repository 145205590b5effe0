"""Query parsing, filtering, sorting and facet counts over a small in-test vault."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.textsearch import MemorySearch
from tui.query.facets import FacetCount, facet_counts
from tui.query.query import NoteOrder, Query, parse_query, run_query, sort_indices
from tui.text.notes import Note
from tui.text.relevance import RelevanceScale


@dataclass
class FakeState:
    statuses: dict[str, str] = field(default_factory=dict)
    stars: set[str] = field(default_factory=set)
    levels: dict[str, str | None] = field(default_factory=dict)

    def status(self, note: Note) -> str:
        return self.statuses.get(note.id, "unread")

    def starred(self, note: Note) -> bool:
        return note.id in self.stars

    def relevance(self, note: Note) -> str | None:
        return self.levels.get(note.id)


def note(nid: str, title: str, date: str, domain: str = "", tags: tuple[str, ...] = ()) -> Note:
    return Note(id=nid, path=f"{nid}.md", title=title, date=date, domain=domain, tags=list(tags))


NOTES = [
    note("a", "Python packaging", "2026-03-01", "Python", ("#python", "#tooling")),
    note("b", "SQL window functions", "2026-03-05", "SQL", ("sql",)),
    note("c", "asyncio deep dive", "2026-03-05", "python", ("Python",)),
    note("d", "Indexes in Postgres", "2026-02-10", "SQL", ("#sql", "#postgres")),
    note("e", "Old archived thing", "2026-04-01", "Misc", ()),
    note("f", "Zebra notes", "2026-01-01", "", ("#python",)),
]
BODIES = [
    "wheels and sdists",
    "rank() over (partition by ...)",
    "event loop, tasks, 日本語の記事",
    "btree and gin indexes",
    "nothing to see 🔴",
    "stripes",
]
STATE = FakeState(
    statuses={"b": "read", "d": "read", "e": "archived"},
    stars={"b", "c", "e"},
    levels={"a": "high", "b": "low", "c": "high", "d": "medium", "e": "high", "f": "odd"},
)
SEARCH = MemorySearch(NOTES, BODIES)


def ids(text: str, sort: str = "date", search: MemorySearch | None = SEARCH) -> list[str]:
    found = run_query(NOTES, STATE, parse_query(text), search=search, sort=sort)
    return [NOTES[i].id for i in found]


# --- parsing -------------------------------------------------------------------------------


def test_empty_and_blank_queries_parse_to_the_empty_query() -> None:
    assert parse_query("") == Query()
    assert parse_query("   \t ") == Query()
    assert str(Query()) == ""


def test_tags_with_or_without_hash_and_any_case() -> None:
    assert parse_query("tag:python").tags == ("python",)
    assert parse_query("TAG:#Python").tags == ("python",)
    assert parse_query("tag:a tag:#a tag:b").tags == ("a", "b")


def test_status_filters_and_negation() -> None:
    q = parse_query("is:unread IS:Read -is:archived is:starred")
    assert (q.statuses, q.not_statuses, q.starred) == (("unread", "read"), ("archived",), True)
    assert parse_query("not:starred").starred is False
    assert parse_query("not:read").not_statuses == ("read",)
    assert parse_query("is:starred -is:starred").starred is None  # either: no constraint


def test_relevance_through_the_scale() -> None:
    assert parse_query("rel:high rel:🔴 rel:1").relevance == ("high",)
    assert parse_query("rel:🟡 rel:3").relevance == ("medium", "low")
    assert parse_query("rel:none rel:Odd").relevance == ("none", "odd")
    custom = RelevanceScale([("must", "!"), ("maybe", "?")])
    assert parse_query("rel:! rel:2", custom).relevance == ("must", "maybe")


def test_domain_phrase_and_words() -> None:
    q = parse_query('domain:SQL "Window Functions" Rank')
    assert q.domains == ("sql",)
    assert q.terms == ("window functions", "rank")


def test_unterminated_quote_takes_the_rest() -> None:
    assert parse_query('foo "bar baz  qux').terms == ("foo", "bar baz  qux")
    assert parse_query('domain:"data sci').domains == ("data sci",)


def test_escapes_inside_quotes() -> None:
    assert parse_query(r'domain:"AI \"Tools\""').domains == ('ai "tools"',)
    assert parse_query(r'"a\\b" "c\d"').terms == ("a\\b", "c\\d")


def test_unknown_keys_and_impossible_filters_are_reported_not_searched() -> None:
    q = parse_query("http://example.com is:bogus tag: -foo:x foo:bar 10:30 -after:7d")
    assert q.terms == ("http://example.com", "10:30")
    assert q.tags == ()
    assert q == Query(terms=q.terms)
    assert len(q.problems) == 4
    assert "is:bogus is not a status" in q.problems[0]
    assert q.problems[1].startswith("-foo: is not a filter")
    assert q.problems[2].startswith("foo: is not a filter")
    assert "-after: cannot be negated; use before:" in q.problems[3]
    assert "is:bogus is not a status" in parse_query("-is:bogus").problems[0]
    assert "rel:bogus is not a level" in parse_query("-rel:bogus").problems[0]
    assert parse_query("rel:bogus").problems and not parse_query("rel:high").problems
    assert parse_query("date:2026-13").problems and parse_query("after:soon").problems
    assert "leave no day" in parse_query("after:2026-05-01 before:2026-04-01").problems[0]


def test_negated_filters_parse_into_their_own_fields() -> None:
    q = parse_query('-tag:#Py -domain:SQL -path:web/ -title:"Old thing" -rel:🔴 -date:2026-1')
    assert q == Query(
        not_tags=("py",),
        not_domains=("sql",),
        not_paths=("web/",),
        not_titles=("old thing",),
        not_relevance=("high",),
        not_dates=("2026-01",),
    )
    assert not q.problems
    assert str(q) == '-rel:high -domain:sql -tag:py -title:"old thing" -path:web/ -date:2026-01'
    assert parse_query(str(q)) == q
    # A negated filter leaves the plain one alone, and ``-date:7d`` is "older than a week".
    both = parse_query("tag:a -tag:b -date:7d")
    assert (both.tags, both.not_tags) == (("a",), ("b",)) and both.before and not both.after
    assert parse_query("-tag:").not_tags == ()  # still being typed: asks nothing yet


def test_quoted_filter_text_is_a_phrase() -> None:
    assert parse_query('"tag:python"') == Query(terms=("tag:python",), exact=("tag:python",))


def test_str_is_canonical() -> None:
    q = parse_query('foo tag:#Py  is:read rel:🔴 domain:"Data Science" "two words"')
    assert str(q) == 'is:read rel:high domain:"data science" tag:py foo "two words"'


_KEYS = ["is:", "tag:", "rel:", "not:", "domain:", "title:", "path:", "date:"]
pieces = st.sampled_from([*'ab :"\\-#🔴\t', *_KEYS, "read", "2026-11", "7d"])


@given(st.lists(pieces).map("".join))
def test_parse_never_raises_and_round_trips(text: str) -> None:
    q = parse_query(text)
    assert parse_query(str(q)) == q


# --- filtering -----------------------------------------------------------------------------


def test_empty_query_hides_archived_and_sorts_newest_first() -> None:
    # b and c share a date: ties go by title A-Z (asyncio before SQL)
    assert ids("") == ["c", "b", "a", "d", "f"]


def test_status_filters() -> None:
    assert ids("is:archived") == ["e"]
    assert ids("is:read") == ["b", "d"]
    assert ids("is:unread is:archived") == ["e", "c", "a", "f"]
    assert ids("-is:unread") == ["e", "b", "d"]
    assert ids("is:starred") == ["c", "b"]
    assert ids("is:starred is:unread") == ["c"]
    assert ids("-is:starred") == ["a", "d", "f"]


def test_tag_domain_and_relevance_filters() -> None:
    assert ids("tag:python") == ["c", "a", "f"]
    assert ids("tag:sql tag:tooling") == ["b", "a", "d"]
    assert ids("domain:sql") == ["b", "d"]
    assert ids("domain:PYTHON tag:tooling") == ["a"]
    assert ids("rel:high") == ["c", "a"]
    assert ids("rel:🔴 is:archived") == ["e"]
    assert ids("rel:odd") == ["f"]
    assert ids("rel:low rel:medium") == ["b", "d"]


@pytest.mark.parametrize("search", [SEARCH, None], ids=["index", "no index"])
def test_negated_filters_leave_out_what_the_filter_finds(search: MemorySearch | None) -> None:
    def both(text: str) -> list[str]:
        return ids(text, search=search)

    assert both("-tag:python") == ["b", "d"]
    assert both("-tag:#SQL -tag:tooling") == ["c", "f"]
    assert both("-domain:sql") == ["c", "a", "f"]
    assert both("-path:a.md -path:b") == ["c", "d", "f"]
    assert both("-title:python") == ["c", "b", "d", "f"]
    assert both("-rel:high") == ["b", "d", "f"]
    assert both("-rel:none -rel:odd") == ["c", "b", "a", "d"]
    assert both("-date:2026-03") == ["d", "f"]
    assert both("tag:python -domain:python") == ["f"]
    assert both("is:archived -rel:low") == ["e"]  # naming a status still shows the archive
    assert both("-tag:python") == both("-tag:python -tag:python")
    # Every note is either found by a filter or by its negation, never both.
    for text in ("tag:sql", "domain:python", "path:c", "rel:medium", "date:2026-02", "title:sql"):
        assert sorted(both(text) + both("-" + text)) == sorted(both(""))


def test_negated_title_matches_words_as_the_title_filter_does() -> None:
    # Through the index, a title word is a word prefix whatever its accents.
    assert ids("-title:pack") == ["c", "b", "d", "f"]
    assert ids("-title:ZÉBRA") == ["c", "b", "a", "d"]
    assert ids("window -title:window") == []


def test_text_terms_search_title_tags_domain_and_body() -> None:
    assert ids("indexes") == ["d"]
    assert ids("POSTGRES") == ["d"]
    assert ids("記事") == ["c"]
    assert ids('"event loop"') == ["c"]
    assert ids("event loop") == ["c"]
    assert ids("loop event") == ["c"]  # words need not be adjacent
    assert ids('"loop event"') == []
    # Nothing to search for in an emoji: it asks nothing, and says so.
    assert ids("🔴") == ids("") and parse_query("🔴").problems
    assert ids("🔴 is:archived") == ["e"]
    assert ids("python tag:tooling") == ["a"]


def test_without_search_terms_match_metadata_only() -> None:
    assert ids("postgres", search=None) == ["d"]
    assert ids("btree", search=None) == []
    assert ids("btree") == ["d"]


# --- sorting -------------------------------------------------------------------------------


def test_sort_by_relevance_then_newest() -> None:
    assert ids("", sort="relevance") == ["c", "a", "d", "b", "f"]


def test_sort_by_title_case_insensitively() -> None:
    assert ids("", sort="title") == ["c", "d", "a", "b", "f"]


@pytest.mark.parametrize("sort", ["date", "relevance", "title"])
def test_a_prebuilt_order_gives_the_same_result(sort: str) -> None:
    order = NoteOrder(NOTES)
    for text in ("", "is:read is:unread", "tag:python", "rel:high"):
        query = parse_query(text)
        plain = run_query(NOTES, STATE, query, search=SEARCH, sort=sort)
        assert run_query(NOTES, STATE, query, search=SEARCH, sort=sort, order=order) == plain


def test_unknown_sort_is_an_error_that_names_the_choices() -> None:
    with pytest.raises(ValueError, match="date, relevance, title"):
        sort_indices(NOTES, STATE, [0, 1], sort="size")


# --- facets --------------------------------------------------------------------------------


def test_facet_counts_over_all_notes() -> None:
    facets = facet_counts(NOTES, STATE, range(len(NOTES)), top_tags=3)
    assert facets.status == (
        FacetCount("unread", 3, 3),
        FacetCount("read", 2, 0),
        FacetCount("archived", 1, 0),
        FacetCount("starred", 3, 1),
    )
    assert facets.relevance == (
        FacetCount("high", 3, 2),
        FacetCount("medium", 1, 0),
        FacetCount("low", 1, 0),
        FacetCount("odd", 1, 1),
    )
    assert facets.domains == (
        FacetCount("Python", 2, 2),
        FacetCount("SQL", 2, 0),
        FacetCount("Misc", 1, 0),
    )
    assert facets.tags == (
        FacetCount("python", 3, 3),
        FacetCount("sql", 2, 0),
        FacetCount("postgres", 1, 0),
    )


def test_facet_counts_over_a_subset_include_unset_relevance() -> None:
    state = FakeState(levels={"a": "high"})
    facets = facet_counts(NOTES, state, [0, 5])
    assert facets.relevance == (
        FacetCount("high", 1, 1),
        FacetCount("medium", 0, 0),
        FacetCount("low", 0, 0),
        FacetCount("none", 1, 1),
    )
    assert facets.domains == (FacetCount("Python", 1, 1),)  # an empty domain is not a facet
    assert [f.value for f in facets.tags] == ["python", "tooling"]
