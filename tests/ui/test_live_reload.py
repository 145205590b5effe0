"""Live reload through Pilot with the real folder watcher: notes edited, added, renamed and
deleted on disk show up while the cursor, the open note, its scroll position and the query
stay where the reader left them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.vault.background import OpenInBackground
from tui.vault.index import Vault
from tui.vault.loader import note_id

SIZE = (160, 40)
WAIT = 5.0  # seconds to wait for the app to catch up: generous, the figures are in benchmarks
LONG_BODY = "\n".join(f"Paragraph {i} of the long read, common words here.\n" for i in range(200))


def note_text(title: str, date: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n"


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    # No source URL: after a rename, the state can only find the note by its body.
    (root / "long.md").write_text(note_text("Long read", "2026-02-20", LONG_BODY))
    for i in range(12):
        body = f"Note {i} has common words." if i != 5 else "Nothing to find."
        (root / f"n{i:02}.md").write_text(note_text(f"Note {i:02}", f"2026-01-{i + 1:02}", body))
    return root


async def until(pilot: Pilot[None], check: Callable[[], bool], timeout: float = WAIT) -> None:
    """Let the app run until ``check()`` holds; fail after ``timeout`` seconds."""
    for _ in range(int(timeout / 0.02)):
        if check():
            return
        await pilot.pause(0.02)
    assert check(), "the app did not catch up with the files in time"


def titles(screen: MainScreen) -> list[str]:
    return [screen.rows.note(i).title for i in range(len(screen.rows))]


def record_notices(app: ReaderApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(message)
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


async def start(pilot: Pilot[None], app: ReaderApp) -> MainScreen:
    """Wait for the watcher and search, sort newest first, search for "common", open the long
    read, scroll it."""
    screen = app.main
    await until(pilot, lambda: screen.search_ready and app.watcher is not None)
    assert app.watcher is not None
    await until(pilot, app.watcher.ready.is_set)
    # Newest first: with words the list is otherwise ranked, and these notes tie.
    await pilot.press("S")
    assert screen.listing.sort == "date"
    await pilot.press("slash", *"common", "enter")
    await until(pilot, lambda: "Long read" in titles(screen))
    assert "Note 05" not in titles(screen)
    await pilot.press("enter")  # the long read is the newest: it is under the cursor
    assert screen.open_id == note_id("long.md")
    for _ in range(3):
        await pilot.press("space")
    await until(pilot, lambda: screen.article.position > 20)
    return screen


def place(screen: MainScreen) -> tuple[str | None, str | None, float, str, str]:
    """What must survive a reload: cursor note, open note, article line, query, search box."""
    return (
        screen.note_list.current_id,
        screen.open_id,
        round(screen.article.position, 1),
        screen.query_text,
        screen.search_box.value,
    )


async def test_changes_to_other_notes_keep_the_readers_place(
    vault_dir: Path, tmp_path: Path
) -> None:
    app = ReaderApp(vault_dir, StateStore(tmp_path / "state.json"), vault=Vault.open(vault_dir))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, app)
        before = place(screen)
        cursor_title = titles(screen)[screen.note_list.cursor]

        # An edit to a listed note: its new title shows.
        (vault_dir / "n10.md").write_text(note_text("Note ten, edited", "2026-01-11", "common"))
        await until(pilot, lambda: "Note ten, edited" in titles(screen))
        assert place(screen) == before

        # A new note above the cursor (newer): listed, cursor still on its note.
        (vault_dir / "new.md").write_text(note_text("Fresh clip", "2026-03-01", "common find"))
        await until(pilot, lambda: "Fresh clip" in titles(screen))
        assert place(screen) == before
        assert titles(screen)[: screen.note_list.cursor + 1] == ["Fresh clip", cursor_title]

        # A note that now matches the query appears; one deleted disappears.
        (vault_dir / "n05.md").write_text(note_text("Note 05", "2026-01-06", "now common"))
        (vault_dir / "n11.md").unlink()
        await until(pilot, lambda: "Note 05" in titles(screen) and "Note 11" not in titles(screen))
        assert place(screen) == before
        # The search text follows the files: the new words are found, the deleted are not.
        await pilot.press("slash", *" find", "enter")
        await until(pilot, lambda: titles(screen) == ["Fresh clip"])


async def test_the_open_note_is_followed_through_edits_saves_and_renames(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(tmp_path / "state.json")
    app = ReaderApp(vault_dir, store, vault=Vault.open(vault_dir))
    notices = record_notices(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, app)
        cursor, _, line, query, box = place(screen)
        vault = screen.vault
        assert vault is not None
        store.update(vault.by_id[note_id("long.md")], starred=True)  # before any of the edits

        def body_of_long() -> str:
            return vault.by_id[note_id("long.md")].fingerprint

        # Edited in place below the reading line: re-read, same line.
        long = vault_dir / "long.md"
        read = body_of_long()
        long.write_text(long.read_text() + "\nA paragraph added at the end.\n")
        await until(pilot, lambda: body_of_long() != read)
        await until(pilot, lambda: round(screen.article.position, 1) == line)
        assert place(screen) == (cursor, note_id("long.md"), line, query, box)

        # Saved the way vim does: a write probe, a swap file, the old file moved to a backup,
        # the new one written, the backup removed. Then as atomic savers do: a temp file
        # renamed over the note.
        read = body_of_long()
        (vault_dir / "4913").write_text("")
        (vault_dir / "4913").unlink()
        (vault_dir / ".long.md.swp").write_text("swap")
        text = long.read_text()
        os.rename(long, vault_dir / "long.md~")
        long.write_text(text.replace("Paragraph 1 ", "Paragraph one "))
        (vault_dir / "long.md~").unlink()
        await until(pilot, lambda: body_of_long() != read)
        read = body_of_long()
        temp = vault_dir / "long.md.tmp1234"
        temp.write_text(long.read_text().replace("Paragraph 0 ", "Paragraph zero "))
        os.replace(temp, long)
        await until(pilot, lambda: body_of_long() != read)
        await until(pilot, lambda: round(screen.article.position, 1) == line)
        assert "Long read" in titles(screen) and len(screen.vault.notes) == 13  # type: ignore[union-attr]
        assert screen.open_id == note_id("long.md")
        assert not any("deleted" in text for text in notices)

        # Renamed: it stays open under its new path, with its state (set before the edits).
        os.rename(long, vault_dir / "archive-long.md")
        new_id = note_id("archive-long.md")
        await until(pilot, lambda: screen.open_id == new_id)
        assert screen.shown_id == new_id
        assert store.get(new_id) is not None and store.get(note_id("long.md")) is None
        assert store.starred(vault.by_id[new_id]) and store.status(vault.by_id[new_id]) == "read"
        await until(pilot, lambda: round(screen.article.position, 1) == line)
        assert cursor == note_id("long.md") and screen.note_list.current_id == new_id
        assert (screen.query_text, screen.search_box.value) == (query, box)
        assert not any("deleted" in text for text in notices)

        # Deleted: said so, the article is let go, the list and query stay.
        (vault_dir / "archive-long.md").unlink()
        await until(pilot, lambda: screen.open_id is None)
        assert any("“Long read” (archive-long.md) was deleted" in text for text in notices)
        assert screen.shown_id is None or screen.shown_id == screen.note_list.current_id
        assert screen.note_list.current_id == note_id("n11.md")  # the next one down
        assert "Long read" not in titles(screen)
        assert screen.query_text == query


async def test_deleting_the_note_under_the_cursor_moves_to_its_neighbour(
    vault_dir: Path, tmp_path: Path
) -> None:
    app = ReaderApp(vault_dir, StateStore(tmp_path / "state.json"), vault=Vault.open(vault_dir))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, app)
        await pilot.press("escape", "j", "j", "j")  # the list, three notes down
        listed = titles(screen)
        here = screen.note_list.cursor
        gone = screen.rows.note(here)
        os.unlink(vault_dir / gone.path)
        await until(pilot, lambda: gone.title not in titles(screen))
        assert titles(screen)[screen.note_list.cursor] == listed[here + 1]
        assert screen.open_id == note_id("long.md")


async def test_watching_stops_with_the_app(vault_dir: Path, tmp_path: Path) -> None:
    app = ReaderApp(vault_dir, StateStore(tmp_path / "state.json"), vault=Vault.open(vault_dir))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.watcher is not None and app.watcher.alive)
        watcher = app.watcher
    assert watcher is not None and not watcher.alive


async def test_watch_false_leaves_the_folder_alone(vault_dir: Path, tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.json")
    app = ReaderApp(vault_dir, store, vault=Vault.open(vault_dir), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.watcher is None


async def test_notes_saved_while_indexing_are_caught_up(vault_dir: Path, tmp_path: Path) -> None:
    loading = OpenInBackground(vault_dir, use_cache=False)
    assert loading.wait(10)
    (vault_dir / "late.md").write_text(note_text("Saved during indexing", "2026-03-09", "late"))
    app = ReaderApp(vault_dir, StateStore(tmp_path / "state.json"), loading=loading)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await until(pilot, lambda: "Saved during indexing" in titles(screen))
