"""The first screen comes from the cache before the vault is looked at, then gives way to it."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.test_live_reload import SIZE, note_text, titles, until
from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.vault import parallel
from tui.vault.background import OpenInBackground
from tui.vault.index import Vault


def status(app: ReaderApp) -> str:
    return str(app.main.query_one("#status", Static).render())


async def test_the_newest_notes_as_last_seen_are_listed_while_the_vault_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, cache = tmp_path / "vault", tmp_path / "cache"
    root.mkdir()
    for i in range(6):
        (root / f"n{i}.md").write_text(note_text(f"Note {i}", f"2026-01-0{i + 1}", "words"))
    Vault.open(root, cache_dir=cache)  # the cache a previous session left
    (root / "n5.md").unlink()
    (root / "late.md").write_text(note_text("Written since", "2026-02-01", "new"))

    release = threading.Event()
    opening = Vault.open

    def slow_open(*args: Any, **kwargs: Any) -> Vault:
        assert release.wait(10)
        return opening(*args, **kwargs)

    monkeypatch.setattr(Vault, "open", slow_open)
    loading = OpenInBackground(root, cache_dir=cache)
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), loading=loading, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        try:
            await _first_then_whole(app, pilot, release)
        finally:
            release.set()


async def _first_then_whole(app: ReaderApp, pilot: Pilot[None], release: threading.Event) -> None:
    screen = app.main
    await until(pilot, lambda: bool(screen.rows) and screen.vault is not None)
    assert screen.vault is not None and screen.vault.partial
    # As the cache saw them, newest first: the deleted note still there, the new one not.
    assert titles(screen) == [f"Note {i}" for i in range(5, -1, -1)]
    assert "as last seen" in status(app) and "checking the vault" in status(app)
    screen.note_list.focus()
    await pilot.press("j")  # the cursor on "Note 4" stays there when the vault arrives
    await pilot.pause()
    assert screen.rows.note(screen.note_list.cursor).title == "Note 4"
    release.set()
    await until(pilot, lambda: screen.vault is not None and not screen.vault.partial)
    await until(pilot, lambda: "Written since" in titles(screen))
    assert titles(screen) == ["Written since", *(f"Note {i}" for i in range(4, -1, -1))]
    assert "as last seen" not in status(app) and "6 shown" in status(app)
    assert screen.rows.note(screen.note_list.cursor).title == "Note 4"


def test_without_a_cache_there_is_no_first_screen(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "a.md").write_text(note_text("A", "2026-01-01", "x"))
    loading = OpenInBackground(root, cache_dir=tmp_path / "empty-cache")
    assert loading.wait(10) and loading.head == []
    assert [n.title for n in loading.result().notes] == ["A"]
    cached = OpenInBackground(root, cache_dir=tmp_path / "empty-cache")
    assert cached.head_ready.wait(10) and [n.title for n in cached.head] == ["A"]
    cached.painted()
    assert cached.wait(10)


async def test_a_first_reading_lists_the_notes_as_they_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    for i in range(40):  # the later a file is read, the newer its note
        day = f"2026-{1 + i // 28:02}-{1 + i % 28:02}"
        (root / f"n{i:02}.md").write_text(note_text(f"Note {i:02}", day, "words"))
    monkeypatch.setattr(parallel, "ARRIVALS", 10)
    parsed = threading.Semaphore(0)
    loading_entry = parallel.load_entry

    def slow_entry(*args: Any) -> Any:
        assert parsed.acquire(timeout=10)  # one file per release
        return loading_entry(*args)

    monkeypatch.setattr(parallel, "load_entry", slow_entry)
    loading = OpenInBackground(root, cache_dir=tmp_path / "cache")
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), loading=loading, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        try:
            screen = app.main
            for _ in range(12):
                parsed.release()
            await until(pilot, lambda: len(screen.rows) >= 10)
            assert screen.vault is not None and screen.vault.partial
            assert len(screen.rows) < 40 and "of 40 read" in status(app)
            for _ in range(40):
                parsed.release()
            await until(pilot, lambda: screen.vault is not None and not screen.vault.partial)
            assert len(screen.rows) == 40 and "40 shown" in status(app)
            # The cursor was left at the top: it is on the newest note, not on the one that
            # was newest among the first ten.
            assert screen.rows.note(screen.note_list.cursor).title == "Note 39"
        finally:
            for _ in range(40):
                parsed.release()


async def test_quitting_during_a_first_reading_does_not_wait_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    for i in range(5):
        (root / f"n{i}.md").write_text(note_text(f"Note {i}", "2026-01-01", "words"))
    never = threading.Event()
    loading_entry = parallel.load_entry

    def stuck(*args: Any) -> Any:
        never.wait(30)  # a file on a drive that does not answer
        return loading_entry(*args)

    monkeypatch.setattr(parallel, "load_entry", stuck)
    loading = OpenInBackground(root, cache_dir=tmp_path / "cache")
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), loading=loading, watch=False)
    started = time.monotonic()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.2)
            await pilot.press("q")
        assert time.monotonic() - started < 10  # a hang bound, not a timing
    finally:
        never.set()
