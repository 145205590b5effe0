"""Live queries: typing letter by letter gives exactly what each full query gives."""

from __future__ import annotations

import random

from tests.textsearch import MemorySearch
from tui.query.live import FIRST_ANSWER, LiveQuery
from tui.query.query import parse_query, run_query
from tui.text.notes import Note
from tui.text.relevance import DEFAULT_SCALE

WORDS = ["python", "pythonic", "sql", "index", "async", "await", "tmux", "日本語", "café", "zq"]


class State:
    def __init__(self, statuses: dict[str, str]) -> None:
        self.statuses = statuses

    def status(self, note: Note) -> str:
        return self.statuses.get(note.id, "unread")

    def starred(self, note: Note) -> bool:
        return False

    def relevance(self, note: Note) -> str | None:
        return note.relevance


def vault(count: int = 120) -> tuple[list[Note], MemorySearch, State]:
    rng = random.Random(7)
    notes, texts = [], []
    for i in range(count):
        notes.append(
            Note(
                id=f"n{i}",
                path=f"n{i}.md",
                title=f"Note {i}",
                date=f"2026-01-{1 + i % 28:02d}",
                tags=[rng.choice(["#a", "#b"])],
            )
        )
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12)))
        texts.append(f"note {i}\n{body}")
    statuses = {n.id: rng.choice(["unread", "read"]) for n in notes}
    return notes, MemorySearch(notes, texts), State(statuses)


def full(notes: list[Note], search: MemorySearch, state: State, text: str) -> list[int]:
    return run_query(notes, state, parse_query(text), search=search, scale=DEFAULT_SCALE)


def test_typing_letter_by_letter_matches_full_queries() -> None:
    notes, search, state = vault()
    live = LiveQuery(notes, DEFAULT_SCALE)
    for phrase in ("pythonic", "is:unread sql ind", "async aw", "日本", "zqx", "tag:a café"):
        for end in range(1, len(phrase) + 1):
            text = phrase[:end]
            query = parse_query(text)
            run = live.begin(query, state, search)
            run.complete()
            assert run.hits == full(notes, search, state, text), text


def test_without_search_words_match_titles_only() -> None:
    notes, _, state = vault(10)
    live = LiveQuery(notes, DEFAULT_SCALE)
    run = live.begin(parse_query("note 3"), state, None)
    assert run.done
    assert [notes[i].title for i in run.hits] == ["Note 3"]


def test_the_first_answer_is_the_best_matches_and_the_complete_one_follows() -> None:
    notes, search, state = vault(1200)
    live = LiveQuery(notes, DEFAULT_SCALE)
    partial = 0
    for text in ("note", "sql", "is:unread index", "-python note", "zqx"):
        query = parse_query(text)
        whole = run_query(notes, state, query, search=search, sort="rank")
        run = live.begin(query, state, search, sort="rank")
        first = list(run.hits)
        if run.done:
            assert first == whole, text  # fewer matches than a first answer holds
            continue
        partial += 1
        assert len(first) <= FIRST_ANSWER and set(first) <= set(whole), text
        positions, scores = search.text_hits(query.text_query())
        score = dict(zip(positions, scores, strict=True))
        lowest = min(score[i] for i in first)
        # Above the lowest score it holds, the first answer is the complete one's beginning.
        sure = [i for i in first if score[i] > lowest]
        assert whole[: len(sure)] == sure, text
        assert run.complete() == whole and run.done and run.hits == whole, text
    assert partial >= 2  # the common words did take the two-step path
