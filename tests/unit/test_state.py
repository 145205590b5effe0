"""The reading-state store: values, effective values, durability, damage and permissions."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import platformdirs
import pytest

from tui.config.paths import default_state_path
from tui.state import durable, journal
from tui.state.store import Record, StateError, StateStore
from tui.text.notes import Note

AS_ROOT = os.geteuid() == 0
KEPT = {"state.json", "state.json.lock", "state.json.journal"}


def make_note(n: int | str, **kw: Any) -> Note:
    """A note with distinct id, path, source and fingerprint unless overridden."""
    fields: dict[str, Any] = {
        "id": f"id-{n}",
        "path": f"notes/{n}.md",
        "title": f"Note {n}",
        "date": "2024-01-01",
        "source": f"https://example.org/{n}",
        "fingerprint": f"fp-{n}",
    }
    fields.update(kw)
    return Note(**fields)


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.json"


@pytest.fixture
def store(state_path: Path) -> Iterator[StateStore]:
    with StateStore(state_path) as opened:
        yield opened


def leftovers(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()} - KEPT


def journal_of(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + ".journal")


def on_disk(state_path: Path) -> list[tuple[int, int, int] | None]:
    """Inode, size and mtime of the snapshot and the journal: any write changes one."""
    return [durable.signature_of(p) for p in (state_path, journal_of(state_path))]


def contents(state_path: Path) -> list[bytes | None]:
    return [p.read_bytes() if p.exists() else None for p in (state_path, journal_of(state_path))]


@pytest.fixture
def syncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every fsync/fdatasync from now on, by file descriptor."""
    calls: list[int] = []
    for name in ("fsync", "fdatasync"):
        real = getattr(os, name)

        def counting(fd: int, real: Callable[[int], None] = real) -> None:
            calls.append(fd)
            real(fd)

        monkeypatch.setattr(os, name, counting)
    return calls


# --- values and effective values -------------------------------------------------------------


def test_values_survive_reopening(state_path: Path) -> None:
    note = make_note(1)
    with StateStore(state_path) as first:
        first.update(note, status="read", starred=True, relevance="high", position=0.25)
    with StateStore(state_path) as second:
        rec = second.get(note.id)
        assert rec is not None
        assert (rec.status, rec.starred, rec.relevance, rec.position) == (
            "read",
            True,
            "high",
            0.25,
        )
        assert (rec.path, rec.source, rec.fingerprint) == (note.path, note.source, note.fingerprint)
        assert all(rec.has(name) for name in ("status", "starred", "relevance", "position"))
        assert second.messages == []


def test_unset_fields_are_not_marked_set(store: StateStore) -> None:
    rec = store.update(make_note(1), position=12)
    assert rec.has("position") and rec.position == 12.0
    assert not rec.has("status") and not rec.has("relevance") and not rec.has("starred")
    assert store.get("id-unknown") is None


def test_front_matter_until_the_store_sets_a_value(store: StateStore) -> None:
    note = make_note(1, status="read", relevance="medium")
    assert (store.status(note), store.relevance(note), store.starred(note)) == (
        "read",
        "medium",
        False,
    )
    assert store.position(note) is None
    store.update(note, status="archived", starred=True)
    assert store.status(note) == "archived"
    assert store.relevance(note) == "medium"  # never set in the store
    store.update(note, relevance="low", position=0.5)
    assert (store.relevance(note), store.position(note)) == ("low", 0.5)


def test_unknown_front_matter_status_reads_as_unread(store: StateStore) -> None:
    assert store.status(make_note(1, status="Someday")) == "unread"
    assert store.status(make_note(2, status=" READ ")) == "read"


def test_clearing_relevance_wins_over_front_matter(state_path: Path) -> None:
    note = make_note(1, relevance="high")
    with StateStore(state_path) as first:
        first.update(note, relevance=None)
        assert first.relevance(note) is None
    with StateStore(state_path) as second:
        assert second.relevance(note) is None
        rec = second.get(note.id)
        assert rec is not None and rec.has("relevance")
        second.update(note, relevance="  ")  # blank is a clear too
        assert second.relevance(note) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"colour": "red"},
        {"status": "done"},
        {"status": None},
        {"starred": 1},
        {"relevance": 3},
        {"position": -1},
        {"position": float("nan")},
        {"position": True},
        {"position": "10"},
    ],
)
def test_bad_fields_are_refused_and_nothing_is_written(
    state_path: Path, store: StateStore, fields: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        store.update(make_note(1), **fields)
    assert contents(state_path) == [None, None]
    assert store.get("id-1") is None


def test_setting_the_same_value_again_keeps_its_time_and_skips_the_write(
    state_path: Path, store: StateStore
) -> None:
    first = store.update(make_note(1), status="read")
    before = on_disk(state_path)
    again = store.update(make_note(1), status="read")
    assert again.stamps == first.stamps
    assert on_disk(state_path) == before


def test_update_many_writes_once(state_path: Path, store: StateStore, syncs: list[int]) -> None:
    store.update(make_note("first"), starred=True)  # creates the journal
    lines = journal_of(state_path).read_bytes().count(b"\n")
    syncs.clear()
    notes = [make_note(i) for i in range(50)]
    records = store.update_many([(n, {"status": "read"}) for n in notes])
    assert len(syncs) == 1
    assert journal_of(state_path).read_bytes().count(b"\n") == lines + 1
    assert [r.id for r in records] == [n.id for n in notes]
    assert all(store.status(n) == "read" for n in notes)


def test_a_second_store_sees_changes_and_does_not_overwrite_them(state_path: Path) -> None:
    with StateStore(state_path) as one, StateStore(state_path) as two:
        assert two.get("id-1") is None  # two has now cached the empty state
        one.update(make_note(1), status="read")
        two.update(make_note(2), starred=True)  # must apply on top of one's change
        assert two.status(make_note(1)) == "read"
        assert one.starred(make_note(2)) is True
        assert set(one.all()) == {"id-1", "id-2"}


def test_records_with_wrong_value_types_fall_back_to_front_matter(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    doc = {"path": 7, "status": "done", "starred": "yes", "stamps": {"status": 1.0, "bogus": 2}}
    state_path.write_bytes(orjson.dumps({"notes": {"id-1": doc}}))
    with StateStore(state_path) as store:
        rec = store.get("id-1")
        assert rec == Record(id="id-1")
        assert store.status(make_note(1, status="read")) == "read"
        assert store.messages == []


# --- atomic, durable writes ------------------------------------------------------------------


def test_no_temporary_files_are_left_behind(state_path: Path, store: StateStore) -> None:
    for i in range(20):
        store.update(make_note(i % 3), position=float(i))
    assert leftovers(state_path.parent) == set()
    store.close()
    assert leftovers(state_path.parent) == set()
    assert orjson.loads(state_path.read_bytes())["notes"].keys() == {"id-0", "id-1", "id-2"}
    assert journal_of(state_path).read_bytes() == b""


def fail_with(error: OSError) -> Callable[..., None]:
    def fail(*args: object) -> None:
        raise error

    return fail


@pytest.mark.parametrize(
    ("target", "error", "snapshot"),
    [
        ("write", OSError(errno.ENOSPC, "No space left on device"), False),
        ("fdatasync", OSError(errno.EIO, "Input/output error"), False),
        ("replace", OSError(errno.EIO, "Input/output error"), True),
        ("fsync", OSError(errno.ENOSPC, "No space left on device"), True),
    ],
)
def test_a_failed_write_keeps_the_previous_file(
    state_path: Path,
    store: StateStore,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    error: OSError,
    snapshot: bool,
) -> None:
    if snapshot:  # every change is big enough to be written as a whole new snapshot
        monkeypatch.setattr(journal, "COMPACT_BYTES", 1)
    store.update(make_note(1), status="read")
    before = contents(state_path)
    with monkeypatch.context() as patch:
        patch.setattr(os, target, fail_with(error))
        with pytest.raises(StateError, match=re.escape(error.strerror or "")) as caught:
            store.update(make_note(1), status="archived")
    assert str(state_path) in str(caught.value)
    assert contents(state_path) == before
    assert leftovers(state_path.parent) == set()
    assert not store.read_only
    assert store.status(make_note(1)) == "read"  # the failed change is not kept in memory
    store.update(make_note(2), starred=True)
    assert store.status(make_note(1)) == "read" and store.starred(make_note(2))


def test_temporary_files_of_a_dead_writer_are_removed_on_open(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    stale = state_path.parent / ".state.json.abc123.tmp"
    stale.write_bytes(b'{"notes": {')
    unrelated = state_path.parent / "keep.tmp"
    unrelated.write_bytes(b"x")
    with StateStore(state_path):
        assert not stale.exists()
        assert unrelated.exists()


# --- damaged files ---------------------------------------------------------------------------

CORRUPT_NAME = re.compile(r"^state\.json\.corrupt-\d{8}-\d{6}(-\d+)?$")


@pytest.mark.parametrize(
    "content",
    [
        b'{"notes": {"id-1": {"status": "read"',
        b"[1, 2, 3]",
        b'{"notes": [1, 2]}',
        b'{"notes": {"id-1": "read"}}',
        bytes(range(256)),
    ],
)
def test_a_damaged_file_is_moved_aside_and_a_fresh_store_starts(
    state_path: Path, content: bytes
) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(content)
    with StateStore(state_path) as store:
        moved = [p for p in state_path.parent.iterdir() if CORRUPT_NAME.match(p.name)]
        assert len(moved) == 1
        assert moved[0].read_bytes() == content
        assert not state_path.exists()
        assert len(store.messages) == 1
        assert str(state_path) in store.messages[0] and str(moved[0]) in store.messages[0]
        assert store.all() == {}
        store.update(make_note(1), status="read")
    with StateStore(state_path) as reopened:
        assert reopened.status(make_note(1)) == "read"
        assert reopened.messages == []
    assert moved[0].read_bytes() == content


def test_each_damaged_copy_keeps_its_own_name(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    contents = [b"first junk", b"second junk", b"third junk"]
    for content in contents:
        state_path.write_bytes(content)
        StateStore(state_path).close()
    moved = sorted(p for p in state_path.parent.iterdir() if CORRUPT_NAME.match(p.name))
    assert sorted(p.read_bytes() for p in moved) == sorted(contents)


def test_damage_appearing_while_open_is_caught_on_the_next_read(state_path: Path) -> None:
    seeded(state_path)  # id-1 is in the snapshot, the journal is empty
    with StateStore(state_path) as store:
        assert store.status(make_note(1)) == "read"
        state_path.write_bytes(b"\x00garbage")
        assert store.get("id-1") is None
        assert len(store.messages) == 1 and "moved to" in store.messages[0]
        assert "starts empty" in store.messages[0]
        store.update(make_note(2), status="read")
        assert set(store.all()) == {"id-2"}


def test_a_damaged_snapshot_keeps_the_changes_in_the_journal(state_path: Path) -> None:
    seeded(state_path)
    with StateStore(state_path) as store:
        store.update(make_note(2), starred=True)  # only in the journal so far
        state_path.write_bytes(b"{broken")
        assert set(store.all()) == {"id-2"} and store.starred(make_note(2))
        assert len(store.messages) == 1
        assert str(journal_of(state_path)) in store.messages[0]
    with StateStore(state_path) as reopened:
        assert set(reopened.all()) == {"id-2"} and reopened.messages == []


def test_an_empty_file_is_an_empty_store(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.touch()
    with StateStore(state_path) as store:
        assert store.all() == {} and store.messages == []
        store.update(make_note(1), starred=True)
        assert store.starred(make_note(1))


# --- read-only files and directories ---------------------------------------------------------


def refuse_writes_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """As root chmod does not stop writes, so refuse them the way the kernel would."""
    real_open = os.open

    def guarded(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writing and Path(os.fsdecode(file)).resolve().is_relative_to(path.resolve()):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


def seeded(state_path: Path) -> bytes:
    with StateStore(state_path) as store:
        store.update(make_note(1), status="read")
    return state_path.read_bytes()


def test_a_read_only_state_file_opens_read_only(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = seeded(state_path)
    if AS_ROOT:
        refuse_writes_to(monkeypatch, state_path)
    else:
        state_path.chmod(0o444)
    with StateStore(state_path) as store:
        assert store.read_only
        assert any("read-only" in m and str(state_path) in m for m in store.messages)
        assert store.status(make_note(1)) == "read"
        with pytest.raises(StateError, match="read-only"):
            store.update(make_note(1), status="archived")
    assert state_path.read_bytes() == before


def test_a_read_only_directory_opens_read_only(
    state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = seeded(state_path)
    (state_path.parent / "state.json.lock").unlink()
    directory = state_path.parent
    if AS_ROOT:
        refuse_writes_to(monkeypatch, directory)
    else:
        directory.chmod(0o555)
    try:
        with StateStore(state_path) as store:
            assert store.read_only
            assert any(str(state_path) in m for m in store.messages)
            assert store.status(make_note(1)) == "read"
            with pytest.raises(StateError):
                store.update(make_note(2), starred=True)
            assert store.reconcile([make_note(9, source=make_note(1).source)]) == 0
    finally:
        directory.chmod(0o755)
    assert state_path.read_bytes() == before
    assert leftovers(directory) == set()


def test_permission_lost_while_open_makes_the_store_read_only(
    state_path: Path, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(make_note(1), status="read")
    refuse_writes_to(monkeypatch, state_path.parent)
    with pytest.raises(StateError, match="Permission denied"):
        store.update(make_note(1), status="archived")
    assert store.read_only
    assert any("read-only" in m for m in store.messages)
    with pytest.raises(StateError, match="read-only"):
        store.update(make_note(2), status="read")
    assert store.status(make_note(1)) == "read"


def test_explicit_read_only_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "state.json"
    with StateStore(path, read_only=True) as store:
        assert store.read_only and store.all() == {}
        with pytest.raises(StateError):
            store.update(make_note(1), status="read")
    assert not path.parent.exists()


def test_a_damaged_file_in_read_only_mode_is_left_in_place(state_path: Path) -> None:
    state_path.parent.mkdir(parents=True)
    state_path.write_bytes(b"not json")
    with StateStore(state_path, read_only=True) as store:
        assert store.all() == {}
        assert len(store.messages) == 1 and str(state_path) in store.messages[0]
    assert state_path.read_bytes() == b"not json"
    assert leftovers(state_path.parent) == set()


# --- following renamed notes -----------------------------------------------------------------


def test_reconcile_follows_a_note_by_source(state_path: Path, store: StateStore) -> None:
    old = make_note("old", source="https://example.org/a")
    store.update(old, status="read", relevance="high")
    new = make_note("new", source="https://example.org/a", fingerprint="edited")
    other = make_note("other")
    assert store.reconcile([new, other]) == 1
    assert store.get(old.id) is None
    rec = store.get(new.id)
    assert rec is not None and (rec.status, rec.relevance) == ("read", "high")
    assert (rec.path, rec.fingerprint) == (new.path, "edited")
    with StateStore(state_path) as reopened:
        assert reopened.status(new) == "read" and reopened.get(old.id) is None


def test_reconcile_follows_a_note_by_fingerprint(store: StateStore) -> None:
    old = make_note("old", source="", fingerprint="body-hash")
    store.update(old, starred=True)
    decoy = make_note("decoy", source="", fingerprint="another-hash")
    new = make_note("new", source="", fingerprint="body-hash")
    assert store.reconcile([decoy, new]) == 1
    assert store.starred(new) and not store.starred(decoy)


def test_reconcile_leaves_ambiguous_and_claimed_notes_alone(
    state_path: Path, store: StateStore
) -> None:
    store.update(make_note("gone", source="", fingerprint="same"), status="read")
    store.update(make_note("kept", source="https://example.org/s"), status="archived")
    twins = [make_note(f"twin{i}", source="", fingerprint="same") for i in range(2)]
    before = on_disk(state_path)
    assert store.reconcile([*twins, make_note("kept", source="https://example.org/s")]) == 0
    assert on_disk(state_path) == before  # nothing to move: no write
    assert store.get("id-gone") is not None
    assert all(store.get(t.id) is None for t in twins)


def test_reconcile_moves_many_records_with_one_write(
    state_path: Path, store: StateStore, syncs: list[int]
) -> None:
    olds = [make_note(f"old{i}", source=f"https://example.org/{i}") for i in range(5)]
    store.update_many([(n, {"status": "read"}) for n in olds])
    news = [make_note(f"new{i}", source=f"https://example.org/{i}") for i in range(5)]
    syncs.clear()
    assert store.reconcile(news) == 5
    assert len(syncs) == 1
    assert set(store.all()) == {n.id for n in news}


# --- where the file lives --------------------------------------------------------------------


def test_default_path_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READERLY_STATE", str(tmp_path / "elsewhere.json"))
    assert default_state_path() == tmp_path / "elsewhere.json"
    monkeypatch.delenv("READERLY_STATE")
    assert default_state_path() == platformdirs.user_state_path("readerly") / "state.json"


def test_quarantine_never_overwrites_an_existing_copy(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"one")
    first = durable.quarantine(target)
    target.write_bytes(b"two")
    second = durable.quarantine(target)
    assert first != second
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")
