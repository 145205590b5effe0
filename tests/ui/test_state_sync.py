"""The reader open while another machine's changes arrive in its state file: the list shows them.

Another machine is a second store with its own device and its own copy of the state; its
file reaches this one as a sync engine delivers it: the state file replaced by a merged
version, or a conflict copy left beside it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.state.device import Device
from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.vault.index import Vault

SIZE = (120, 30)
WAIT = 5.0  # generous: the app polls every half second; the point is that it happens at all
LAPTOP = Device("aaaaaaaaaaaaaaaa", "laptop")
SERVER = Device("bbbbbbbbbbbbbbbb", "server")


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    root = tmp_path / "vault"
    root.mkdir()
    for i in range(6):
        (root / f"n{i}.md").write_text(
            f"---\ntitle: Note {i}\ndate: 2026-01-0{i + 1}\n---\nBody {i}\n"
        )
    return Vault.open(root)


async def until(pilot: Pilot[None], check: Callable[[], bool], timeout: float = WAIT) -> float:
    """Let the app run until ``check()`` holds; returns the seconds it took."""
    for step in range(int(timeout / 0.02)):
        if check():
            return step * 0.02
        await pilot.pause(0.02)
    assert check(), "the list did not show the other machine's changes in time"
    return timeout


def shown(screen: MainScreen) -> dict[str, tuple[str, bool]]:
    """Title -> (status, starred) as the list draws it."""
    return {row.title: (row.status, row.starred) for row in screen.rows[:]}


def other_machine(tmp_path: Path, start_from: Path, vault: Vault) -> Path:
    """The server's state: a copy of the laptop's, then changed there."""
    theirs = tmp_path / "server" / "state.json"
    theirs.parent.mkdir()
    if start_from.exists():
        shutil.copy(start_from, theirs)
    notes = {n.title: n for n in vault.notes}
    with StateStore(theirs, device=SERVER) as server:
        server.update(notes["Note 2"], starred=True, status="read")
        server.update(notes["Note 4"], status="archived")
    return theirs


async def test_a_state_file_replaced_on_disk_shows_in_the_list(
    vault: Vault, tmp_path: Path
) -> None:
    mine = tmp_path / "laptop" / "state.json"
    store = StateStore(mine, device=LAPTOP)
    notes = {n.title: n for n in vault.notes}
    store.update(notes["Note 1"], status="read")
    app = ReaderApp(vault.root, store, vault=vault)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await until(pilot, lambda: "Note 5" in shown(screen))
        assert shown(screen)["Note 1"] == ("read", False)
        theirs = other_machine(tmp_path, mine, vault)
        # A sync engine writes a temporary file, then renames it over the state file.
        staged = mine.with_name(".syncthing.state.json.tmp")
        shutil.copy(theirs, staged)
        staged.replace(mine)
        await until(pilot, lambda: shown(screen).get("Note 2") == ("read", True))
        # Archived there: shown so here, and still listed until the query runs again.
        assert shown(screen)["Note 4"] == ("archived", False)
        assert shown(screen)["Note 1"] == ("read", False)
        # A change made here afterwards is made on top of the other machine's.
        store.update(notes["Note 3"], starred=True)
        kept = store.get(notes["Note 2"].id)
        assert kept is not None and kept.starred and kept.status == "read"
    store.close()


async def test_a_conflict_copy_appearing_is_merged_moved_aside_and_shown(
    vault: Vault, tmp_path: Path
) -> None:
    mine = tmp_path / "laptop" / "state.json"
    store = StateStore(mine, device=LAPTOP)
    notes = {n.title: n for n in vault.notes}
    store.update(notes["Note 0"], starred=True)
    app = ReaderApp(vault.root, store, vault=vault)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await until(pilot, lambda: "Note 5" in shown(screen))
        theirs = other_machine(tmp_path, tmp_path / "nothing", vault)
        store.update(notes["Note 1"], status="read")  # both machines changed it: a conflict
        copy = mine.with_name("state.sync-conflict-20260102-101112-BBBBBBB.json")
        shutil.copy(theirs, copy)
        await until(pilot, lambda: shown(screen).get("Note 2") == ("read", True))
        assert shown(screen)["Note 0"] == ("unread", True)
        assert shown(screen)["Note 1"] == ("read", False)
        assert not copy.exists()
        assert (mine.parent / "merged" / copy.name).read_bytes() == theirs.read_bytes()
    store.close()
