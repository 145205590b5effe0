"""A state file that cannot be written: the app and the CLI say so and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.durability.conftest import record_notifications
from tui.cli.main import main
from tui.state.store import StateStore
from tui.text.notes import Note
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.vault.index import Vault


def files(state: Path) -> dict[str, tuple[bytes, int]]:
    """Every file beside the state: its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in state.parent.iterdir()}


def row_of(screen: MainScreen, note: Note) -> int:
    """Where ``note`` is listed (it must be)."""
    index = screen.rows.index_of(note.id)
    assert index is not None, note.path
    return index


async def test_app_opens_read_only_says_so_and_writes_nothing(
    read_only_state: Path, vault_dir: Path, notes: list[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(read_only_state)
    store = StateStore(read_only_state)
    assert store.read_only
    app = ReaderApp(vault_dir, store, vault=Vault.open(vault_dir, use_cache=False))
    seen = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert "read-only" in str(screen.query_one("#status", Static).render())
        assert any("read-only" in message for message, _ in seen)  # told once, on opening
        # What was saved before is shown.
        assert screen.rows[row_of(screen, notes[1])].starred
        for key in ("m", "s", "e", "1", "0"):
            seen.clear()
            screen.note_list.cursor = row_of(screen, notes[5])
            await pilot.press(key)
            refusals = [(m, kw) for m, kw in seen if "read-only" in m]
            assert refusals, f"key {key}: {seen}"
            assert all(kw.get("severity") == "error" for _, kw in refusals)
        row = screen.rows[row_of(screen, notes[5])]
        assert (row.status, row.starred) == ("unread", False)  # nothing pretends to be saved
        seen.clear()
        await pilot.press("enter")  # opening a note would mark it read: silently skipped
        await pilot.pause()
        assert not any(kw.get("severity") == "error" for _, kw in seen), seen
        assert app.is_running
    store.close()
    assert files(read_only_state) == before


def test_cli_mark_on_a_read_only_state_fails_and_writes_nothing(
    read_only_state: Path, vault_dir: Path, notes: list[Note], capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(read_only_state)
    argv = ["mark", "--vault", str(vault_dir), "--state", str(read_only_state), notes[5].path]
    assert main([*argv, "--star"]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err and str(read_only_state) in err and "Traceback" not in err
    assert files(read_only_state) == before
