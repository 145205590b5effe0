"""One writer of triage changes with one undo stack, whichever screen made the change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_state import make_note
from tui.state.changes import Changes
from tui.state.files import StateError
from tui.state.store import StateStore
from tui.ui.history import History


def test_apply_then_undo_restores_every_field_in_order(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.json")
    changes = Changes(store)
    a, b = make_note(1), make_note(2)
    changes.apply([(a, {"status": "read"})], label="read a")
    changes.apply([(a, {"starred": True}), (b, {"relevance": "high"})], label="two")
    assert (store.status(a), store.starred(a), store.relevance(b)) == ("read", True, "high")
    entry = changes.undo()
    assert entry is not None and entry.label == "two" and entry.notes == [a, b]
    assert (store.starred(a), store.relevance(b)) == (False, None)
    assert changes.undo() is not None and store.status(a) == "unread"
    assert changes.undo() is None
    with StateStore(tmp_path / "state.json") as reopened:  # every step was durable
        assert reopened.status(a) == "unread"


def test_steps_that_changed_nothing_are_passed_by_unless_asked_for(tmp_path: Path) -> None:
    changes = Changes(StateStore(tmp_path / "state.json"))
    note = make_note(1)
    changes.apply([(note, {"status": "archived"})], label="archive")
    skip = changes.apply([], label="skip", context="step-2")
    assert changes.last() is skip
    assert changes.undo(skip_empty=False) is skip
    changes.apply([], label="skip again")
    entry = changes.undo()
    assert entry is not None and entry.label == "archive"
    assert changes.store.status(note) == "unread"


def test_a_failed_write_records_nothing_and_a_failed_undo_keeps_the_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(tmp_path / "state.json")
    changes = Changes(store)
    note = make_note(1)
    changes.apply([(note, {"starred": True})], label="star")

    def refuse(*args: object, **kwargs: object) -> object:
        raise StateError("disk full")

    monkeypatch.setattr(store, "update", refuse)
    with pytest.raises(StateError):
        changes.apply([(note, {"status": "read"})], label="read")
    assert len(changes.entries) == 1
    with pytest.raises(StateError):
        changes.undo()
    assert len(changes.entries) == 1 and store.starred(note)


def test_the_undo_stack_is_bounded(tmp_path: Path) -> None:
    changes = Changes(StateStore(tmp_path / "state.json"), depth=3)
    note = make_note(1)
    for n in range(5):
        changes.apply([(note, {"starred": n % 2 == 0})], label=str(n))
    assert [e.label for e in changes.entries] == ["2", "3", "4"]


def test_history_goes_back_and_forward_skipping_notes_that_are_gone() -> None:
    history = History()
    history.visit(None, "a")
    history.visit("a", "b")
    history.visit("b", "c")
    exists = {"a", "c"}.__contains__
    assert history.travel(-1, "c", exists) == "a"  # b is gone
    assert history.travel(1, "a", exists) == "c"
    assert history.travel(1, "c", exists) is None
    history.follow({"a": "a2"})
    assert history.back == ["a2"]
