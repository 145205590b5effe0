"""A full disk: the change is refused with a message, the previous state stays intact."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.state.journal
from tests.durability.conftest import FullDisk, record_notifications, seed_state
from tests.durability.ondisk import read_state, temp_files
from tui.cli.main import main
from tui.state.store import StateError, StateStore
from tui.text.notes import Note
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.vault.index import Vault

NO_SPACE = "No space left on device"


def files(state: Path) -> dict[str, bytes]:
    """Every file beside the state, by name (the filler excepted)."""
    return {p.name: p.read_bytes() for p in state.parent.iterdir() if p.name != "filler"}


def mark(vault_dir: Path, state: Path, note: Note, *flags: str) -> int:
    return main(["mark", "--vault", str(vault_dir), "--state", str(state), note.path, *flags])


def test_cli_on_a_full_disk_fails_with_a_message_and_keeps_the_state(
    full_disk: FullDisk, vault_dir: Path, notes: list[Note], capsys: pytest.CaptureFixture[str]
) -> None:
    state = full_disk.state
    seed_state(state, notes)
    full_disk.fill()
    acked: list[Note] = []
    # A real disk may still have room in the journal's last block: write until it is used up.
    for note in notes[4:]:
        capsys.readouterr()
        before = files(state)
        if mark(vault_dir, state, note, "--star") != 0:
            err = capsys.readouterr().err
            assert NO_SPACE in err and str(state) in err, err
            assert "Traceback" not in err
            assert files(state) == before  # not even a torn line left behind
            break
        acked.append(note)
    else:
        pytest.fail("every change was saved on a full disk")
    records = read_state(state).records
    assert records[notes[0].id]["status"] == "read" and records[notes[2].id]["relevance"] == "high"
    assert all(records[note.id]["starred"] is True for note in acked)
    assert temp_files(state.parent) == []

    full_disk.free()
    assert mark(vault_dir, state, notes[-1], "--archive") == 0
    assert read_state(state).records[notes[-1].id]["status"] == "archived"


def test_a_fold_on_a_full_disk_leaves_the_old_snapshot(
    full_disk: FullDisk, notes: list[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = full_disk.state
    seed_state(state, notes)
    snapshot = state.read_bytes()
    store = StateStore(state)
    store.update(notes[4], starred=True)  # the journal has a block with room left in it
    full_disk.fill()
    monkeypatch.setattr(tui.state.journal, "COMPACT_ENTRIES", 1)  # every change now tries a fold
    saved = [notes[4]]
    for note in notes[5:12]:
        try:
            store.update(note, starred=True)
        except StateError:
            break
        saved.append(note)
    store.close()
    # A fold is only ever tried after its entry is durable, so nothing saved is lost, and
    # a fold that cannot be written leaves the old snapshot and no temporary file.
    assert state.read_bytes() == snapshot
    if full_disk.kind == "tmpfs":
        assert len(saved) > 1  # appends fitted in the journal's block and folds were tried
    assert temp_files(state.parent) == []
    records = read_state(state).records
    assert all(records[note.id]["starred"] is True for note in saved)
    assert records[notes[1].id]["starred"] is True


async def test_app_on_a_full_disk_notifies_and_keeps_running(
    full_disk: FullDisk, vault_dir: Path, notes: list[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = full_disk.state
    seed_state(state, notes)
    vault = Vault.open(vault_dir, use_cache=False)
    app = ReaderApp(vault_dir, StateStore(state), vault=vault, auto_mark_read=False)
    seen = record_notifications(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.main
        assert isinstance(screen, MainScreen)
        full_disk.fill()
        acked: list[str] = []
        for index in range(4, len(screen.rows)):
            screen.note_list.cursor = index
            before = files(state)
            await pilot.press("s")
            if any(NO_SPACE in message for message, _ in seen):
                assert files(state) == before
                assert not screen.rows[index].starred  # the list does not show what was lost
                break
            acked.append(screen.rows.note(index).id)
        else:
            pytest.fail("every change was saved on a full disk")
        assert app.is_running and app.screen is screen
        await pilot.press("j", "k")  # still answering keys

        full_disk.free()
        screen.note_list.cursor = 4 + len(acked)
        await pilot.press("s")
        assert screen.rows[4 + len(acked)].starred
        acked.append(screen.rows.note(4 + len(acked)).id)
    app.store.close()
    records = read_state(state).records
    assert all(records[note_id]["starred"] is True for note_id in acked)
