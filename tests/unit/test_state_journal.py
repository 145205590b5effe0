"""The state journal: replay, torn tails, damage, compaction and crashes while compacting."""

from __future__ import annotations

import os
import re
from pathlib import Path

import orjson
import pytest

from tests.unit.test_state import (
    AS_ROOT,
    journal_of,
    leftovers,
    make_note,
    refuse_writes_to,
    seeded,
)
from tui.state import durable, journal
from tui.state.journal import JournalStorage
from tui.state.store import StateStore

JOURNAL_CORRUPT = re.compile(r"^state\.json\.journal\.corrupt-\d{8}-\d{6}(-\d+)?$")


class Crash(BaseException):
    """Stands for the process dying at the point where it is raised."""


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.json"


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def snapshot_ids(state_path: Path) -> set[str]:
    return set(orjson.loads(state_path.read_bytes()).get("notes", {}))


def entry(note_id: str, **doc: object) -> bytes:
    return orjson.dumps({"notes": {note_id: doc}}) + b"\n"


# --- replay ----------------------------------------------------------------------------------


def test_changes_in_the_journal_are_replayed_on_open(state_path: Path) -> None:
    with StateStore(state_path) as writer:
        writer.update(make_note(1), status="read", position=0.5)
        writer.update(make_note(2), starred=True)
        writer.update(make_note(1), relevance="high")
        assert not state_path.exists()  # everything is still only in the journal
        assert len(lines_of(journal_of(state_path))) == 3
        for read_only in (False, True):
            with StateStore(state_path, read_only=read_only) as reader:
                rec = reader.get("id-1")
                assert rec is not None
                assert (rec.status, rec.relevance, rec.position) == ("read", "high", 0.5)
                assert reader.starred(make_note(2)) and reader.messages == []


def test_a_second_store_catches_up_by_reading_only_new_lines(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with StateStore(state_path) as one, StateStore(state_path) as two:
        one.update(make_note(1), status="read")
        assert two.status(make_note(1)) == "read"
        loads: list[Path] = []
        real_load = JournalStorage._load

        def counting_load(self: JournalStorage) -> None:
            loads.append(self.path)
            real_load(self)

        monkeypatch.setattr(JournalStorage, "_load", counting_load)
        for i in range(5):
            one.update(make_note(i), starred=True)
            assert two.starred(make_note(i))
            two.update(make_note(i), position=float(i))
            assert one.position(make_note(i)) == float(i)
        assert loads == []
        StateStore(state_path).close()  # a third store folds the journal into the snapshot
        one.update(make_note(9), status="archived")
        assert two.status(make_note(9)) == "archived"
        # One full read by the folding store's open, then one each to see the new snapshot.
        assert len(loads) == 3
        assert two.all() == one.all()
        assert len(loads) == 3


# --- torn tails ------------------------------------------------------------------------------


@pytest.mark.parametrize("tail", [b'{"notes": {"id-9": {"stat', b"\x00\x00\x00", b"{}"])
def test_a_torn_last_line_is_ignored_and_cut_off_before_the_next_append(
    state_path: Path, tail: bytes
) -> None:
    state_path.parent.mkdir(parents=True)
    good = entry("id-1", path="a.md", status="read", stamps={"status": 1.0})
    journal_of(state_path).write_bytes(good + tail)
    with StateStore(state_path) as store:
        assert set(store.all()) == {"id-1"} and store.messages == []
        store.update(make_note(2), starred=True)
        lines = lines_of(journal_of(state_path))
        assert lines[0] == good and len(lines) == 2
        assert orjson.loads(lines[1])["notes"]["id-2"]["starred"] is True
    with StateStore(state_path) as reopened:
        assert set(reopened.all()) == {"id-1", "id-2"} and reopened.messages == []


def test_a_torn_tail_is_left_alone_by_a_read_only_store(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    raw = entry("id-1", status="read", stamps={"status": 1.0}) + b'{"notes": {"id-2'
    journal_of(state_path).write_bytes(raw)
    with StateStore(state_path, read_only=True) as store:
        assert set(store.all()) == {"id-1"} and store.messages == []
    assert journal_of(state_path).read_bytes() == raw


# --- damage ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [b"not json\n", b"[1, 2]\n", b'{"notes": {"id-5": 3}}\n'])
@pytest.mark.parametrize("at_end", [False, True])
def test_a_damaged_journal_line_moves_the_journal_aside_keeping_the_rest(
    state_path: Path, bad: bytes, at_end: bool
) -> None:
    seeded(state_path)  # id-1 in the snapshot
    good = [
        entry("id-2", status="archived", stamps={"status": 2.0}),
        entry("id-3", starred=True, stamps={"starred": 3.0}),
    ]
    raw = b"".join([*good, bad] if at_end else [good[0], bad, good[1]])
    journal_of(state_path).write_bytes(raw)
    with StateStore(state_path) as store:
        assert set(store.all()) == {"id-1", "id-2", "id-3"}
        moved = [p for p in state_path.parent.iterdir() if JOURNAL_CORRUPT.match(p.name)]
        assert len(moved) == 1 and moved[0].read_bytes() == raw
        assert len(store.messages) == 1
        message = store.messages[0]
        assert str(journal_of(state_path)) in message and str(moved[0]) in message
        assert f"line {2 if not at_end else 3}" in message
        assert snapshot_ids(state_path) == {"id-1", "id-2", "id-3"}
        store.update(make_note(4), status="read")
    with StateStore(state_path) as reopened:
        assert set(reopened.all()) == {"id-1", "id-2", "id-3", "id-4"}
        assert reopened.messages == []


def test_a_damaged_journal_is_left_in_place_when_read_only(state_path: Path) -> None:
    seeded(state_path)
    raw = b"garbage\n" + entry("id-2", starred=True, stamps={"starred": 1.0})
    journal_of(state_path).write_bytes(raw)
    with StateStore(state_path, read_only=True) as store:
        assert set(store.all()) == {"id-1", "id-2"}
        assert len(store.messages) == 1 and str(journal_of(state_path)) in store.messages[0]
    assert journal_of(state_path).read_bytes() == raw
    assert leftovers(state_path.parent) == set()


def test_a_damaged_journal_that_cannot_be_set_aside_leaves_the_store_read_only(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(state_path)
    before = state_path.read_bytes()
    raw = entry("id-2", starred=True, stamps={"starred": 1.0}) + b"garbage\n"
    journal_of(state_path).write_bytes(raw)
    monkeypatch.setattr(os, "replace", _refuse)  # the intact entries cannot be saved
    with StateStore(state_path) as store:
        assert store.read_only
        assert set(store.all()) == {"id-1", "id-2"}
        assert any("read-only" in m for m in store.messages)
    assert (state_path.read_bytes(), journal_of(state_path).read_bytes()) == (before, raw)


def test_a_journal_that_cannot_be_written_opens_read_only(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with StateStore(state_path) as store:
        store.update(make_note(1), status="read")
        store.update(make_note(2), starred=True)
    journal_of(state_path).write_bytes(entry("id-3", status="read", stamps={"status": 1.0}))
    if AS_ROOT:
        refuse_writes_to(monkeypatch, journal_of(state_path))
    else:
        journal_of(state_path).chmod(0o444)
    with StateStore(state_path) as store:
        assert store.read_only
        assert any(str(journal_of(state_path)) in m for m in store.messages)
        assert set(store.all()) == {"id-1", "id-2", "id-3"}
    assert len(lines_of(journal_of(state_path))) == 1  # closing a read-only store folds nothing


# --- compaction ------------------------------------------------------------------------------


def test_the_journal_is_folded_into_the_snapshot_when_long(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_ENTRIES", 3)
    with StateStore(state_path) as store:
        for i in range(2):
            store.update(make_note(i), status="read")
        assert not state_path.exists() and len(lines_of(journal_of(state_path))) == 2
        store.update(make_note(2), status="read")
        assert snapshot_ids(state_path) == {"id-0", "id-1", "id-2"}
        assert journal_of(state_path).read_bytes() == b""
        store.update(make_note(3), status="read")
        assert len(lines_of(journal_of(state_path))) == 1


def test_a_huge_batch_becomes_a_snapshot_instead_of_a_journal_line(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_BYTES", 2000)
    with StateStore(state_path) as store:
        store.update(make_note("small"), starred=True)
        store.update_many([(make_note(i), {"status": "read"}) for i in range(20)])
        assert len(snapshot_ids(state_path)) == 21
        assert journal_of(state_path).read_bytes() == b""


def test_closing_folds_the_journal(state_path: Path) -> None:
    store = StateStore(state_path)
    store.update(make_note(1), status="read")
    store.close()
    assert snapshot_ids(state_path) == {"id-1"}
    assert journal_of(state_path).read_bytes() == b""


def test_a_fold_that_fails_does_not_fail_the_change(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_ENTRIES", 1)
    with StateStore(state_path) as store, monkeypatch.context() as patch:
        patch.setattr(os, "replace", _refuse)
        store.update(make_note(1), status="read")
        assert not state_path.exists() and len(lines_of(journal_of(state_path))) == 1
        assert not store.read_only and store.status(make_note(1)) == "read"
    with StateStore(state_path) as reopened:
        assert reopened.status(make_note(1)) == "read"


def _refuse(*args: object) -> None:
    raise PermissionError(13, "Permission denied")


def test_a_crash_between_snapshot_and_truncation_loses_and_repeats_nothing(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "COMPACT_ENTRIES", 6)
    old = make_note("old", source="https://example.org/moved")
    new = make_note("new", source="https://example.org/moved")
    crashed = StateStore(state_path)
    crashed.update(make_note(1), status="read")
    crashed.update(old, relevance="high")
    crashed.update(make_note(2), starred=True)
    assert crashed.reconcile([make_note(1), make_note(2), new]) == 1  # drops "old"
    crashed.update(make_note(1), status="archived")
    real_write = durable.write_atomic

    def crash_on_journal(path: Path, payload: bytes) -> None:
        if path == journal_of(state_path):
            raise Crash
        real_write(path, payload)

    with monkeypatch.context() as patch:
        patch.setattr(journal, "write_atomic", crash_on_journal)
        with pytest.raises(Crash):
            crashed.update(make_note(3), position=7)  # the 6th entry: fold, then die
    expected = crashed.all()
    assert set(expected) == {"id-1", "id-2", "id-new", "id-3"}
    assert snapshot_ids(state_path) == set(expected)  # the new snapshot was written ...
    assert len(lines_of(journal_of(state_path))) == 6  # ... the journal not yet replaced
    with StateStore(state_path) as reopened:
        assert reopened.all() == expected  # values and the times they were set
        assert reopened.messages == []
        reopened.update(make_note(4), status="read")
    with StateStore(state_path) as again:
        assert set(again.all()) == {*expected, "id-4"}
    crashed.close()
