"""Unarchiving gives a note back the status it had, in any later session and on any machine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import orjson
import pytest

from tests.unit.test_cli import NOTE_A, run
from tests.unit.test_state_merge import A, B, make_note
from tui.state.changes import Changes
from tui.state.record import Record, merge_records
from tui.state.store import StateStore


def test_the_status_before_archiving_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    unread, read = make_note(1), make_note(2)
    with StateStore(path, device=A) as store:
        store.update(read, status="read")
        changes = Changes(store)
        changes.apply([(unread, {"status": "archived"}), (read, {"status": "archived"})])
    with StateStore(path, device=A) as store:  # a new session: no memory but the file
        changes = Changes(store)
        assert changes.unarchived_status(unread) == "unread"
        assert changes.unarchived_status(read) == "read"
        rec = store.get(unread.id)
        assert rec is not None and (rec.status, rec.before_archive) == ("archived", "unread")


def test_archiving_again_or_from_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    note = make_note(1)
    with StateStore(path) as store:
        store.update(note, status="archived")
        store.update(note, status="archived")  # already archived: what it was stays
        assert store.unarchived_status(note) == "unread"
        store.update(note, status="read")
        store.update(note, status="archived")
        assert store.unarchived_status(note) == "read"
        # Archived by its front matter, never by readerly: it comes back read.
        elsewhere = make_note(2, status="archived")
        assert store.status(elsewhere) == "archived"
        assert store.unarchived_status(elsewhere) == "read"
        store.update(elsewhere, status="archived")
        assert store.get(elsewhere.id) is not None
        assert store.unarchived_status(elsewhere) == "read"


def test_an_old_state_file_without_the_field_loads_and_unarchives_to_read(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    note = make_note(1)
    doc = {"path": note.path, "status": "archived", "stamps": {"status": 1700000000.0}}
    path.write_bytes(orjson.dumps({"notes": {note.id: doc}}))
    with StateStore(path) as store:
        assert store.status(note) == "archived"
        assert store.unarchived_status(note) == "read"


@pytest.mark.parametrize("bad", [7, "archived", "", ["unread"], {"x": 1}])
def test_a_bad_stored_value_is_left_out_and_nothing_else_is_lost(
    tmp_path: Path, bad: object
) -> None:
    path = tmp_path / "state.json"
    note = make_note(1)
    doc = {"path": note.path, "status": "archived", "starred": True, "before_archive": bad}
    path.write_bytes(orjson.dumps({"notes": {note.id: doc}}))
    with StateStore(path) as store:
        rec = store.get(note.id)
        assert rec is not None and (rec.status, rec.starred) == ("archived", True)
        assert rec.before_archive is None and store.unarchived_status(note) == "read"
    with pytest.raises(ValueError, match="before_archive"):
        StateStore(tmp_path / "other.json").update(note, before_archive="archived")


def test_two_machines_merge_the_status_before_archiving_with_the_archive(
    tmp_path: Path,
) -> None:
    ours, theirs = tmp_path / "a" / "state.json", tmp_path / "b" / "state.json"
    ours.parent.mkdir()
    theirs.parent.mkdir()
    note, other = make_note(1), make_note(2)
    # The laptop archives a note it never read; the server reads and archives another.
    with StateStore(ours, device=A) as store:
        store.update(note, status="archived")
    with StateStore(theirs, device=B) as store:
        store.update(other, status="read")
        store.update(other, status="archived")
    shutil.copy(theirs, ours.with_name("state.sync-conflict-20260102-101112-ABCDEF7.json"))
    with StateStore(ours, device=A) as store:
        assert [store.status(n) for n in (note, other)] == ["archived", "archived"]
        assert store.unarchived_status(note) == "unread"
        assert store.unarchived_status(other) == "read"


def test_the_later_archive_decides_what_unarchiving_gives_back() -> None:
    first = Record("x", status="archived", before_archive="unread")
    first.stamps.update(status=10.0, before_archive=10.0)
    later = Record("x", status="archived", before_archive="read")
    later.stamps.update(status=20.0, before_archive=20.0)
    for merged in (merge_records(first, later), merge_records(later, first)):
        assert (merged.status, merged.before_archive) == ("archived", "read")


def test_mark_archive_then_unarchive_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "alpha.md").write_text(NOTE_A, encoding="utf-8")  # unread in its front matter
    (vault / "beta.md").write_text("---\ntitle: Beta\n---\nb\n", encoding="utf-8")
    where = ("--vault", str(vault), "--state", str(tmp_path / "s.json"))

    def statuses() -> dict[str, str]:
        every = "is:unread is:read is:archived"
        code, out, err = run(capsys, "list", "--json", "-q", every, *where)
        assert code == 0, err
        return {d["path"]: d["status"] for d in json.loads(out)}

    assert run(capsys, "mark", "beta.md", "--read", *where)[0] == 0
    assert run(capsys, "mark", "alpha.md", "beta.md", "--archive", *where)[0] == 0
    assert statuses() == {"alpha.md": "archived", "beta.md": "archived"}
    code, out, _ = run(capsys, "mark", "alpha.md", "beta.md", "--unarchive", "--star", *where)
    assert code == 0
    assert "alpha.md: unread, starred" in out and "beta.md: read, starred" in out
    assert statuses() == {"alpha.md": "unread", "beta.md": "read"}
    # Unarchiving a note that is not archived changes only the other fields asked for.
    code, out, _ = run(capsys, "mark", "alpha.md", "--unarchive", "--unstar", *where)
    assert code == 0 and "alpha.md: unread, relevance" in out
