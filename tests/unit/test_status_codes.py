"""Statuses worked out once per state snapshot: the same answers as asking note by note."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.query.query import NoteOrder, parse_query, run_query, status_codes
from tui.state.store import StateSnapshot, StateStore
from tui.text.notes import STATUSES, Note

FRONT = ("unread", "read", "archived", "Archived ", "done", "")


def _notes(front: list[str]) -> list[Note]:
    return [
        Note(id=f"n{i}", path=f"n{i}.md", title=f"t{i}", date=f"2026-01-{i % 28 + 1:02}", status=s)
        for i, s in enumerate(front)
    ]


@settings(max_examples=60, deadline=None)
@given(
    front=st.lists(st.sampled_from(FRONT), min_size=1, max_size=30),
    stored=st.dictionaries(st.integers(0, 29), st.sampled_from(STATUSES)),
    text=st.sampled_from(["", "is:read", "is:archived", "-is:read", "is:unread", "is:all"]),
)
def test_codes_and_filters_agree_with_per_note_statuses(
    tmp_path_factory: object, front: list[str], stored: dict[int, str], text: str
) -> None:
    notes = _notes(front)
    store = StateStore(Path(str(tmp_path_factory.mktemp("s"))) / "state.json")  # type: ignore[attr-defined]
    try:
        chosen = [(notes[i], {"status": s}) for i, s in stored.items() if i < len(notes)]
        store.update_many(chosen)
        snap = store.snapshot()
        order = NoteOrder(notes)
        codes = status_codes(notes, snap, order)
        assert codes is not None
        assert [STATUSES[c] for c in codes] == [snap.status(n) for n in notes]
        query = parse_query(text)
        fast = run_query(notes, snap, query, search=None, order=order)
        # The store itself is not a snapshot: it is asked note by note.
        slow = run_query(notes, store, query, search=None, order=order)
        assert fast == slow
    finally:
        store.close()


def test_a_snapshot_is_reused_until_the_state_changes(tmp_path: Path) -> None:
    notes = _notes(["unread", "unread"])
    store = StateStore(tmp_path / "state.json")
    first = store.snapshot()
    assert store.snapshot() is first
    store.update(notes[0], status="read")
    second = store.snapshot()
    assert second is not first and second.status(notes[0]) == "read"
    # Another process changing the file makes a new snapshot too.
    other = StateStore(tmp_path / "state.json")
    other.update(notes[1], status="archived")
    other.close()
    third = store.snapshot()
    assert third is not second and third.status(notes[1]) == "archived"
    assert isinstance(third, StateSnapshot)
    store.close()
