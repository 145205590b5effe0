"""SearchText: in-memory substring search over folded note texts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.vault.search import SearchText, fold


def index(*texts: str) -> SearchText:
    return SearchText.build(fold(t) for t in texts)


def test_finds_case_insensitively_in_order() -> None:
    search = index("Python tips", "nothing here", "More PYTHON", "pyth on")
    assert search.find("python") == [0, 2]
    assert search.find("PyThOn") == [0, 2]


def test_no_match_and_empty_index() -> None:
    assert index("alpha", "beta").find("gamma") == []
    assert SearchText().find("x") == []
    assert len(SearchText()) == 0


def test_empty_needle_matches_every_note() -> None:
    search = index("a", "", "b")
    assert search.find("") == [0, 1, 2]
    assert search.find("", among=[2, 1]) == [2, 1]


def test_cjk_and_emoji() -> None:
    search = index("日本語の記事を読む", "数据库设计", "status 🔴 high", "plain")
    assert search.find("記事") == [0]
    assert search.find("数据") == [1]
    assert search.find("🔴") == [2]
    assert search.find("語の記") == [0]


def test_non_ascii_case_folding() -> None:
    search = index("Café CRÈME", "ÉCOLE", "cafe")
    assert search.find("crème") == [0]
    assert search.find("école") == [1]
    assert search.find("CAFÉ") == [0]


def test_match_spanning_two_notes_is_not_a_match() -> None:
    search = index("abc", "def", "xyz")
    assert search.find("cd") == []
    assert search.find("c\x00d") == []
    assert search.find("abcdef") == []
    assert search.find("c", among=[0, 1]) == [0]


def test_needle_containing_the_separator_still_matches_inside_a_note() -> None:
    search = index("a\x00b", "ab")
    assert search.find("a\x00b") == [0]
    assert search.find("ab") == [1]


def test_among_narrows_and_keeps_its_order() -> None:
    search = index("red fox", "red hen", "blue fox", "red fox den")
    first = search.find("red")
    assert first == [0, 1, 3]
    assert search.find("red fox", among=first) == [0, 3]
    assert search.find("fox", among=[3, 2, 0]) == [3, 2, 0]
    assert search.find("fox", among=[]) == []


def test_append_and_replace_keep_other_notes_searchable() -> None:
    search = index("first note", "second note", "third note")
    search.replace(1, fold("a much longer replacement body with a needle"))
    assert search.find("needle") == [1]
    assert search.find("second") == []
    assert search.find("third") == [2]
    search.replace(0, b"")
    assert search.find("first") == []
    assert search.find("note") == [2]
    assert search.append(fold("fourth NEEDLE")) == 3
    assert search.find("needle") == [1, 3]
    assert search.text(2) == b"third note"


def test_job_runs_in_slices_and_ends_with_the_full_answer() -> None:
    texts = [f"note {i} " + ("filler " * 20000 if i % 2 else "needle") for i in range(60)]
    search = index(*texts)
    job = search.start("needle")
    steps = 0
    while not job.run(0.0):
        steps += 1
    assert steps > 0  # a zero budget must stop after one slice, not run to the end
    assert job.done
    assert job.hits == [i for i in range(60) if i % 2 == 0]


texts_strategy = st.lists(st.text(alphabet="abAB\x00é日 ", max_size=12), max_size=12)


@given(texts=texts_strategy, needle=st.text(alphabet="abAB\x00é日 ", max_size=4))
def test_find_equals_naive_scan(texts: list[str], needle: str) -> None:
    folded = [fold(t) for t in texts]
    expected = [i for i, t in enumerate(folded) if fold(needle) in t]
    assert SearchText.build(folded).find(needle) == expected


@given(
    texts=texts_strategy,
    needle=st.text(alphabet="ab\x00 ", max_size=3),
    picks=st.lists(st.integers(min_value=0, max_value=11)),
)
def test_find_among_equals_naive_filter(texts: list[str], needle: str, picks: list[int]) -> None:
    folded = [fold(t) for t in texts]
    among = [i for i in picks if i < len(texts)]
    expected = [i for i in among if fold(needle) in folded[i]]
    assert SearchText.build(folded).find(needle, among=among) == expected
