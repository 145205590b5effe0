"""The progress bar while a vault is read without a cache and while its search index is built."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static

from tests.ui.test_app import NOTES, write_vault
from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.widgets.progress import IndexProgress
from tui.vault.background import OpenInBackground
from tui.vault.index import Vault

SIZE = (80, 24)


class HeldOpen(OpenInBackground):
    """Opening that stays at 40 of 100 notes until the test lets it finish."""

    def __init__(self, root: Path, **options: Any) -> None:
        self.done, self.total = 40, 100
        self.head = []  # no cache: nothing to list before the vault is read
        self.arrived = []  # nor notes read so far
        self.head_ready = threading.Event()
        self.head_ready.set()
        self._go_on = threading.Event()
        self.gate = threading.Event()
        self._vault = Vault.open(root, use_cache=False)

    def wait(self, timeout: float) -> bool:
        return self.gate.wait(timeout)

    def result(self) -> Vault:
        self.gate.wait()
        return self._vault


async def until(pilot: Pilot[None], done: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never got there")


def bar_of(app: ReaderApp) -> IndexProgress:
    return app.main.query_one(IndexProgress)


async def test_the_bar_shows_while_the_vault_is_read_and_goes_away(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault", NOTES)
    loading = HeldOpen(root)
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), loading=loading)
    async with app.run_test(size=SIZE) as pilot:
        progress = bar_of(app)
        await until(pilot, lambda: progress.busy)
        assert progress.display and progress.region.height == 1
        assert progress.region.width == SIZE[0]
        bar = progress.query_one(ProgressBar)
        assert (bar.progress, bar.total) == (40, 100)
        label = str(progress.query_one("#progress-label", Static).render())
        assert label == "Reading notes"
        assert str(bar.query_one("#percentage").render()) == "40%"  # says it without colour
        assert bar.query_one("#bar").region.width > SIZE[0] // 2  # the bar takes the row
        loading.gate.set()
        await until(pilot, lambda: app.main.vault is not None and not progress.busy)
        assert not progress.display and progress.region.height == 0
        assert app.main.rows.note(0).title == "Alpha article"


async def test_the_bar_follows_the_search_index_and_goes_away_when_ready(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault", NOTES)
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), vault=Vault.open(root))
    async with app.run_test(size=SIZE) as pilot:
        listing = app.main.listing
        await until(pilot, lambda: app.main.search_ready)
        listing.show_progress(300, 1200, "search index")
        await pilot.pause()
        progress = bar_of(app)
        assert progress.busy and progress.query_one(ProgressBar).percentage == 0.25
        label = str(progress.query_one("#progress-label", Static).render())
        assert label == "Building the search index"
        listing.search_ready()
        await pilot.pause()
        assert not progress.busy and not progress.display


async def test_a_vault_that_cannot_be_opened_leaves_no_bar(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    app = ReaderApp(missing, StateStore(tmp_path / "state.json"), use_cache=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "could not be opened" in app.main.note_list.empty_text)
        assert not bar_of(app).busy
