"""Merging reading state: the per-field register map, old files, conflict copies, exports."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.state.conflicts import find_copies
from tui.state.device import Device, load_device
from tui.state.portable import as_tree, export_csv, export_json, parse_export
from tui.state.record import FIELDS, Record, merge_docs, merge_records
from tui.state.store import StateStore
from tui.text.notes import Note

A = Device("aaaaaaaaaaaaaaaa", "laptop")
B = Device("bbbbbbbbbbbbbbbb", "server")


def make_note(n: int | str, **kw: Any) -> Note:
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


# -- the register map -------------------------------------------------------------------------

VALUES: dict[str, st.SearchStrategy[Any]] = {
    "status": st.sampled_from(["unread", "read", "archived"]),
    "starred": st.booleans(),
    "relevance": st.one_of(st.none(), st.sampled_from(["high", "medium", "low"])),
    "position": st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)),
    "before_archive": st.one_of(st.none(), st.sampled_from(["unread", "read"])),
}
# Few distinct stamps and devices, so ties (same time, same device) are common.
STAMPS = st.sampled_from([0.0, 1.0, 2.0, 1700000000.5])
DEVICES = st.sampled_from(["", A.id, B.id])


@st.composite
def records(draw: st.DrawFn) -> Record:
    rec = Record(
        "id-1",
        path=draw(st.sampled_from(["a.md", "b.md"])),
        source=draw(st.sampled_from(["", "https://x.org/"])),
        fingerprint=draw(st.sampled_from(["", "f1", "f2"])),
        seen=draw(STAMPS),
    )
    for name in FIELDS:
        if draw(st.booleans()):
            setattr(rec, name, draw(VALUES[name]))
            rec.stamps[name] = draw(STAMPS)
            device = draw(DEVICES)
            if device:
                rec.devices[name] = device
    return rec


def same(a: Record, b: Record) -> bool:
    return a.to_doc() == b.to_doc()


@given(records(), records())
def test_merge_is_commutative(a: Record, b: Record) -> None:
    assert same(merge_records(a, b), merge_records(b, a))


@given(records(), records(), records())
def test_merge_is_associative(a: Record, b: Record, c: Record) -> None:
    assert same(merge_records(merge_records(a, b), c), merge_records(a, merge_records(b, c)))


@given(records(), records())
def test_merge_is_idempotent_and_loses_no_field(a: Record, b: Record) -> None:
    merged = merge_records(a, b)
    assert same(merge_records(merged, merged), merged)
    assert same(merge_records(merged, a), merged)
    for name in FIELDS:
        if a.has(name) or b.has(name):
            assert merged.has(name)
            # The winner is one side's value with that side's stamp: last writer wins.
            sides = [r for r in (a, b) if r.has(name)]
            assert merged.stamp(name) == max(r.stamp(name) for r in sides)


@given(records())
def test_a_record_survives_its_json_form(rec: Record) -> None:
    doc = orjson.loads(orjson.dumps(rec.to_doc()))
    assert same(Record.from_doc("id-1", doc), rec)


def test_the_later_stamp_wins_field_by_field() -> None:
    ours = {"status": "read", "starred": True, "stamps": {"status": 10.0, "starred": 30.0}}
    theirs = {"status": "archived", "starred": False, "stamps": {"status": 20.0, "starred": 5.0}}
    merged = merge_docs("x", ours, theirs)
    assert (merged["status"], merged["starred"]) == ("archived", True)


def test_a_change_is_stamped_after_what_it_replaces_even_with_a_clock_behind(
    tmp_path: Path,
) -> None:
    # The other machine's clock is a day ahead: a change made here after seeing its value
    # must still win, or the reader's last action would be undone by the merge.
    ahead = 86400.0 + __import__("time").time()
    path = tmp_path / "state.json"
    note = make_note(1)
    doc = {"path": note.path, "status": "read", "stamps": {"status": ahead}, "by": {"status": B.id}}
    path.write_bytes(orjson.dumps({"notes": {note.id: doc}}))
    with StateStore(path, device=A) as store:
        rec = store.update(note, status="unread")
        assert rec.stamps["status"] > ahead and rec.devices["status"] == A.id
    merged = merge_docs(note.id, doc, orjson.loads(path.read_bytes())["notes"][note.id])
    assert merged["status"] == "unread"


# -- old files --------------------------------------------------------------------------------

# The format written before stamps carried devices: a snapshot plus a journal line, as that
# code wrote them (written out by hand here), including a record with no stamps at all.
OLD_SNAPSHOT = (
    b'{"notes":{"id-1":{"path":"notes/1.md","source":"https://example.org/1",'
    b'"fingerprint":"fp-1","status":"read","starred":true,"relevance":"high",'
    b'"stamps":{"status":1700000000.0,"starred":1700000001.0,"relevance":1700000002.0}},'
    b'"id-2":{"path":"notes/2.md","source":"","fingerprint":"fp-2","status":"archived",'
    b'"starred":true}}}'
)
OLD_JOURNAL = (
    b'{"notes":{"id-3":{"path":"notes/3.md","source":"","fingerprint":"fp-3",'
    b'"position":12.5,"relevance":null,"stamps":{"position":1700000005.0,'
    b'"relevance":1700000005.0}}}}\n'
)


def test_an_old_state_file_is_read_and_upgraded_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(OLD_SNAPSHOT)
    path.with_name("state.json.journal").write_bytes(OLD_JOURNAL)
    with StateStore(path, device=A) as store:
        one, two, three = (store.get(f"id-{n}") for n in (1, 2, 3))
        assert one is not None and two is not None and three is not None
        assert (one.status, one.starred, one.relevance) == ("read", True, "high")
        assert (two.status, two.starred) == ("archived", True)  # no stamps: kept anyway
        assert (three.position, three.has("relevance"), three.relevance) == (12.5, True, None)
        # An unrelated change to each record keeps every field it had.
        store.update(make_note(1), position=3.0)
        store.update(make_note(2), relevance="low")
        store.update(make_note(3), starred=True)
    with StateStore(path, device=A) as store:
        one, two, three = (store.get(f"id-{n}") for n in (1, 2, 3))
        assert one is not None and two is not None and three is not None
        assert (one.status, one.starred, one.relevance, one.position) == ("read", True, "high", 3.0)
        assert (two.status, two.starred, two.relevance) == ("archived", True, "low")
        assert (three.position, three.relevance, three.starred) == (12.5, None, True)
        assert one.stamps["status"] == 1700000000.0  # untouched fields keep their time


def test_a_record_without_stamps_loses_nothing_on_an_unrelated_write(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    note = make_note(7)
    doc = {"path": note.path, "status": "read", "starred": True}
    path.write_bytes(orjson.dumps({"notes": {note.id: doc}}))
    with StateStore(path, device=A) as store:
        store.update(note, relevance="medium")
    with StateStore(path, device=A) as store:
        rec = store.get(note.id)
        assert rec is not None
        assert (rec.status, rec.starred, rec.relevance) == ("read", True, "medium")
        # ...and any real change still wins over the value that had no stamp.
        assert rec.stamps["status"] == 0.0


# -- conflict copies --------------------------------------------------------------------------

COPY_NAMES = [
    "state.sync-conflict-20260102-101112-ABCDEF7.json",  # Syncthing
    "state.json.sync-conflict-20260102-101112-ABCDEF7.journal",  # Syncthing, the journal
    "state (conflicted copy 2026-01-02 101112).json",  # Nextcloud / ownCloud
    "state_conflict-20260102-101112.json",  # older ownCloud
    "state (Ana's conflicted copy 2026-01-02).json",  # Dropbox
    "state (Ana's conflicted copy 2026-01-02) (1).json",  # Dropbox, a second one
]
NOT_COPIES = [
    "state.json",
    "state.json.journal",
    "state.json.lock",
    ".state.json.abc.tmp",
    "state.json.corrupt-20260102-101112",
    "other.sync-conflict-20260102-101112-ABCDEF7.json",
    "state.sync-conflict-20260102-101112-ABCDEF7.json.tmp",
]


def test_conflict_copies_of_every_sync_engine_are_found_and_nothing_else(tmp_path: Path) -> None:
    for name in COPY_NAMES + NOT_COPIES:
        (tmp_path / name).write_bytes(b"{}")
    found = find_copies(tmp_path / "state.json", tmp_path / "state.json.journal")
    assert sorted(c.path.name for c in found) == sorted(COPY_NAMES)
    assert {c.path.name for c in found if c.journal} == {COPY_NAMES[1]}


def two_machines(tmp_path: Path) -> tuple[Path, Path]:
    """The same state on two machines, then changed on both, offline."""
    ours, theirs = tmp_path / "a" / "state.json", tmp_path / "b" / "state.json"
    with StateStore(ours, device=A) as store:
        store.update(make_note(1), status="read")
    theirs.parent.mkdir()
    shutil.copy(ours, theirs)
    with StateStore(ours, device=A) as store:
        store.update(make_note(1), starred=True)
        store.update(make_note(2), relevance="high")
    with StateStore(theirs, device=B) as store:
        store.update(make_note(1), status="archived")
        store.update(make_note(3), position=40.0)
    return ours, theirs


def expect_both(store: StateStore) -> None:
    one, two, three = (store.get(f"id-{n}") for n in (1, 2, 3))
    assert one is not None and (one.status, one.starred) == ("archived", True)
    assert two is not None and two.relevance == "high"
    assert three is not None and three.position == 40.0


@pytest.mark.parametrize("name", [COPY_NAMES[0], COPY_NAMES[2], COPY_NAMES[4]])
def test_a_conflict_copy_is_merged_on_open_and_moved_to_merged(tmp_path: Path, name: str) -> None:
    ours, theirs = two_machines(tmp_path)
    copy = ours.with_name(name)
    shutil.copy(theirs, copy)
    with StateStore(ours, device=A) as store:
        expect_both(store)
        assert any("Merged 1 conflict copies" in m for m in store.messages)
    assert not copy.exists()
    assert (ours.parent / "merged" / name).read_bytes() == theirs.read_bytes()
    # The state file itself holds the merge, so the sync engine carries it back.
    with StateStore(ours, device=B) as again:
        expect_both(again)
        assert again.messages == []


def test_a_conflict_copy_of_the_journal_is_merged(tmp_path: Path) -> None:
    ours = tmp_path / "state.json"
    with StateStore(ours, device=A) as store:
        store.update(make_note(1), starred=True)
    line = orjson.dumps(
        {"notes": {"id-2": Record("id-2", status="read", stamps={"status": 5.0}).to_doc()}}
    )
    copy = tmp_path / "state.json.sync-conflict-20260102-101112-ABCDEF7.journal"
    copy.write_bytes(line + b"\n" + b'{"notes": {"torn')  # an unfinished last line is ignored
    with StateStore(ours, device=A) as store:
        assert store.get("id-2") is not None and store.get("id-1") is not None


def test_a_damaged_conflict_copy_is_moved_aside_untouched_with_a_message(tmp_path: Path) -> None:
    ours = tmp_path / "state.json"
    with StateStore(ours, device=A) as store:
        store.update(make_note(1), starred=True)
    copy = tmp_path / "state.sync-conflict-20260102-101112-ABCDEF7.json"
    copy.write_bytes(b'{"notes": [1, 2')
    with StateStore(ours, device=A) as store:
        assert any("could not be read" in m for m in store.messages)
        assert store.get("id-1") is not None
    assert (tmp_path / "merged" / copy.name).read_bytes() == b'{"notes": [1, 2'


def test_merging_in_any_order_agrees(tmp_path: Path) -> None:
    ours, theirs = two_machines(tmp_path)
    ab, ba = tmp_path / "ab.json", tmp_path / "ba.json"
    shutil.copy(ours, ab)
    shutil.copy(theirs, ba)
    with StateStore(ab, device=A) as store:
        from tui.state.sync import merge_trees

        merge_trees(store.file, [orjson.loads(theirs.read_bytes())], device=A.id)
        first = {k: v.to_doc() for k, v in store.all().items()}
    with StateStore(ba, device=B) as store:
        merge_trees(store.file, [orjson.loads(ours.read_bytes())], device=B.id)
        second = {k: v.to_doc() for k, v in store.all().items()}
    assert first == second


# -- exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_an_export_imports_back_to_the_same_records(tmp_path: Path, kind: str) -> None:
    ours, _ = two_machines(tmp_path)
    with StateStore(ours, device=A) as store:
        store.update(make_note("=x", source="=HYPERLINK()"), position=2.5, relevance=None)
        records = store.all()
    raw = export_json(records.values()) if kind == "json" else export_csv(records.values()).encode()
    assert b"id-1" not in raw  # keyed by path and source, never by this machine's ids
    tree = as_tree(parse_export(raw), lambda path: "id-" + path.split("/")[-1][:-3])
    assert {k: Record.from_doc(k, d).to_doc() for k, d in tree["notes"].items()} == {
        k: v.to_doc() for k, v in records.items()
    }


def test_an_export_of_something_else_is_refused() -> None:
    with pytest.raises(ValueError, match="not a readerly export"):
        parse_export(b'{"records": []}')


# -- devices ----------------------------------------------------------------------------------


def test_the_device_id_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "dev" / "device.json"
    first = load_device(path)
    assert load_device(path) == first and len(first.id) == 16
    path.write_bytes(b"\x1b]0;x\x07 not json")
    other = load_device(path)  # a damaged file is replaced by a new identity, no traceback
    assert other.id != first.id and load_device(path) == other


@settings(max_examples=50)
@given(st.binary(max_size=200))
def test_any_device_file_gives_a_device(raw: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "device.json"
        path.write_bytes(raw)
        device = load_device(path)
        assert device.id.isalnum() and device.name.isprintable()


@given(records(), records())
def test_the_quick_merge_of_a_newer_record_is_the_full_merge(a: Record, b: Record) -> None:
    # Replaying a journal takes a shortcut when one side wins every field; it must agree.
    for older, newer in ((a, b), (b, a)):
        full = merge_records(older, newer).to_doc()
        assert merge_docs("id-1", older.to_doc(), newer.to_doc()) == full


def test_the_quick_merge_is_taken_for_a_journal_line_over_its_snapshot() -> None:
    old = Record("x", path="a.md", status="read", stamps={"status": 1.0})
    new = Record("x", path="a.md", status="unread", starred=True)
    new.stamps = {"status": 2.0, "starred": 2.0}
    from tui.state import record

    assert record._superseding(old.to_doc(), new.to_doc()) is not None
    assert record._superseding(new.to_doc(), old.to_doc()) is None


def test_a_rename_followed_on_one_machine_merges_the_others_changes_in(tmp_path: Path) -> None:
    old = make_note("old", source="https://example.org/clip", fingerprint="fp")
    new = make_note("new", source="https://example.org/clip", fingerprint="fp")
    ours, theirs = tmp_path / "a.json", tmp_path / "b.json"
    with StateStore(ours, device=A) as store:
        store.update(old, status="read")
    shutil.copy(ours, theirs)
    with StateStore(ours, device=A) as store:  # renamed here: the record follows
        assert store.reconcile([new]) == 1
        store.update(new, relevance="high")
    with StateStore(theirs, device=B) as store:  # meanwhile, there, under the old name
        store.update(old, starred=True)
    from tui.state.sync import merge_trees

    with StateStore(ours, device=A) as store:
        merge_trees(store.file, [orjson.loads(theirs.read_bytes())], device=A.id)
        assert store.get(old.id) is not None  # the other machine's copy, under its old id
        assert store.reconcile([new]) == 1  # ... is one note's record: merged
        rec = store.get(new.id)
        assert store.get(old.id) is None
        assert rec is not None and (rec.status, rec.relevance, rec.starred) == (
            "read",
            "high",
            True,
        )


def test_copies_beside_a_read_only_state_are_left_and_told_once(tmp_path: Path) -> None:
    ours = tmp_path / "state.json"
    with StateStore(ours, device=A) as store:
        store.update(make_note(1), starred=True)
    copy = tmp_path / "state.sync-conflict-20260102-101112-ABCDEF7.json"
    shutil.copy(ours, copy)
    with StateStore(ours, read_only=True, device=A) as store:
        for _ in range(3):
            store.poll()
        assert [m for m in store.messages if "conflict copies" in m] != []
        assert len(store.messages) == len(set(store.messages))
    assert copy.exists()
