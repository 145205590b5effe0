"""Search semantics and ranking through the full-text engine, over a small in-test vault."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.textsearch import MemorySearch
from tui.query.query import parse_query, run_query
from tui.text.notes import Note


@dataclass
class AllUnread:
    def status(self, note: Note) -> str:
        return "unread"

    def starred(self, note: Note) -> bool:
        return False

    def relevance(self, note: Note) -> str | None:
        return None


def note(nid: str, title: str, date: str, tags: tuple[str, ...] = (), path: str = "") -> Note:
    return Note(
        id=nid, path=path or f"{nid}.md", title=title, date=date, domain="", tags=list(tags)
    )


NOTES = [
    note("a1", "Distributed consensus with Raft", "2026-03-01", ("#systems",)),
    note("a2", "A café in Paris", "2026-03-02", path="travel/paris.md"),
    note("a3", "Notes on raft building", "2026-03-03", ("#raft",)),
    note("a4", "東京都の地図", "2026-03-04"),
    note("a5", "Weekly review", "2026-02-01"),
    note("a6", "Weekly review", "2026-04-01"),
    note("a7", "Untitled", "2026-01-15", path="inbox/2026/raw.md"),
]
BODIES = [
    "Leader election and log replication. A distributed system agrees.",
    "We sat at the cafe and talked about naïve coffee. Straße.",
    "A wooden raft, logs tied together. Not about distributed consensus at all.",
    "京都にも行きました。地図を見ました。",
    "raft raft raft mentioned in passing, raft again",
    "raft raft raft mentioned in passing, raft again",
    "Exact phrase here: the quick brown fox. And the word distributed.",
]
SEARCH = MemorySearch(NOTES, BODIES)
STATE = AllUnread()


def ids(text: str, sort: str = "date") -> list[str]:
    found = run_query(NOTES, STATE, parse_query(text), search=SEARCH, sort=sort)
    return [NOTES[i].id for i in found]


def test_the_note_whose_title_was_typed_comes_first() -> None:
    assert ids("distributed consensus raft", sort="rank")[0] == "a1"
    assert ids("raft building", sort="rank") == ["a3"]
    # Title beats body: "raft" is in four notes, twice in titles or tags.
    ranked = ids("raft", sort="rank")
    assert set(ranked[:2]) == {"a1", "a3"} and set(ranked) == {"a1", "a3", "a5", "a6"}


def test_ties_go_newest_first() -> None:
    ranked = ids("weekly review", sort="rank")
    assert ranked == ["a6", "a5"]


def test_other_sorts_keep_their_order_with_words() -> None:
    assert ids("raft") == ["a6", "a3", "a1", "a5"]  # newest first
    assert ids("raft", sort="title") == ["a1", "a3", "a6", "a5"]


def test_case_and_accents_do_not_matter() -> None:
    assert ids("CAFE") == ["a2"]
    assert ids("café") == ["a2"]
    assert ids("naive") == ["a2"]
    assert ids("strasse") == ["a2"]


def test_every_word_is_a_prefix_while_typing() -> None:
    assert ids("distrib") == ["a3", "a1", "a7"]
    assert ids("distrib cons") == ["a3", "a1"]
    assert ids("zzzz") == []


def test_cjk_is_found_by_any_run_of_two_or_more_characters() -> None:
    assert ids("東京") == ["a4"]
    assert ids("京都") == ["a4"]  # across the word boundary of 東京都
    assert ids("地図を見") == ["a4"]
    assert ids("図京") == []


def test_exact_phrase_negation_and_or() -> None:
    assert ids('"quick brown fox"') == ["a7"]
    assert ids('"brown quick"') == []
    assert ids('"distrib"') == []  # a quoted word is whole, not a prefix
    assert ids("raft -wooden") == ["a6", "a1", "a5"]
    assert ids("-raft") == ["a4", "a2", "a7"]
    assert ids("paris OR tokyo") == ["a2"]
    assert ids("café OR 東京 OR fox") == ["a4", "a2", "a7"]


def test_title_path_and_date_filters() -> None:
    assert ids("title:raft") == ["a3", "a1"]
    assert ids("path:travel") == ["a2"]
    assert ids("path:2026") == ["a7"]
    assert ids("date:2026-03") == ["a4", "a3", "a2", "a1"]
    assert ids("date:2026-03-02") == ["a2"]
    assert ids("after:2026-03-03") == ["a6", "a4", "a3"]
    assert ids("before:2026-02-01") == ["a7"]
    assert ids("after:2026-03-01 before:2026-03-03 raft") == ["a1"]


def test_query_words_are_what_a_hit_contains() -> None:
    query = parse_query('raft "quick fox" a OR b -not title:x is:unread')
    assert query.words() == ["raft", "quick fox", "x", "a", "b"]


_PIECES = [
    *'ab :"\\-#🔴\t東京',
    "\ud800",
    "OR",
    " OR ",
    "is:",
    "tag:",
    "rel:",
    "not:",
    "title:",
    "path:",
    "date:",
    "after:7d",
    "before:2026-01-01",
    "-",
    "foo:",
    "//",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES)).map("".join))
def test_parse_never_raises_round_trips_and_searches(text: str) -> None:
    query = parse_query(text)
    assert parse_query(str(query)) == query
    run_query(NOTES, STATE, query, search=SEARCH, sort="rank")


def test_cjk_runs_apart_in_the_text_stay_apart_in_the_index() -> None:
    notes = [note("c1", "Mixed", "2026-01-01"), note("c2", "Together", "2026-01-02")]
    search = MemorySearch(notes, ["日本 is far from 語学 here", "日本語学校"])

    def found(text: str) -> list[str]:
        hits = run_query(notes, STATE, parse_query(text), search=search, sort="rank")
        return sorted(notes[i].id for i in hits)

    assert found("日本") == ["c1", "c2"]
    assert found("語学") == ["c1", "c2"]
    assert found("日本語") == ["c2"]  # the first note's runs are apart: no phrase spans them
    assert found("本語学") == ["c2"]
