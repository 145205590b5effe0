"""VaultWatcher with real files: note changes arrive in batches, editors' side files do not,
folders ask for a whole-folder look, and stopping ends the thread."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.vault.watch import Batch, VaultWatcher, sort_events

WAIT = 5.0  # generous: this checks that batches come, not how fast (see the benchmarks)


class Recorder:
    """Collects batches from the watching thread."""

    def __init__(self) -> None:
        self.batches: queue.Queue[Batch] = queue.Queue()
        self.errors: list[str] = []

    def __call__(self, batch: Batch) -> None:
        self.batches.put(batch)

    def until(self, wanted: str) -> list[Batch]:
        """Every batch up to and including the one naming ``wanted``."""
        seen: list[Batch] = []
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                batch = self.batches.get(timeout=0.05)
            except queue.Empty:
                continue
            seen.append(batch)
            if wanted in batch.paths:
                return seen
        raise AssertionError(f"no batch named {wanted}; saw {seen}")


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, Recorder, VaultWatcher]]:
    root = tmp_path / "vault"
    (root / "sub").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "old.md").write_text("old")
    recorder = Recorder()
    watcher = VaultWatcher(root, recorder, skip=("templates",), on_error=recorder.errors.append)
    watcher.start()
    assert watcher.ready.wait(WAIT)
    yield root, recorder, watcher
    assert watcher.stop()
    assert not watcher.alive


def test_added_changed_and_deleted_notes_arrive(
    watched: tuple[Path, Recorder, VaultWatcher],
) -> None:
    root, recorder, _ = watched
    (root / "sub" / "new.md").write_text("new")
    assert any("sub/new.md" in b.paths for b in recorder.until("sub/new.md"))
    (root / "old.md").write_text("changed")
    recorder.until("old.md")
    (root / "sub" / "new.md").unlink()
    recorder.until("sub/new.md")
    os.rename(root / "old.md", root / "renamed.markdown")
    batches = recorder.until("renamed.markdown")
    assert any("old.md" in b.paths for b in batches)
    assert recorder.errors == []


def test_editor_side_files_are_left_out(watched: tuple[Path, Recorder, VaultWatcher]) -> None:
    root, recorder, _ = watched
    (root / "4913").write_text("")  # vim's probe
    (root / "4913").unlink()
    (root / ".old.md.swp").write_text("swap")
    (root / ".#old.md").write_text("lock")
    (root / "old.md~").write_text("backup")
    (root / "old.md~").unlink()
    (root / "picture.png").write_bytes(b"png")
    (root / "sub" / "note.txt.tmp").write_text("temp")
    (root / "templates" / "t.md").write_text("skipped folder")
    (root / "last.md").write_text("the marker")
    batches = recorder.until("last.md")
    assert set().union(*(b.paths for b in batches)) == {"last.md"}
    assert not any(b.rescan for b in batches)  # none of them looks like a folder coming or going


def test_a_folder_moved_in_asks_for_a_whole_folder_look(
    watched: tuple[Path, Recorder, VaultWatcher], tmp_path: Path
) -> None:
    root, recorder, _ = watched
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "inside.md").write_text("moved in with its folder")
    os.rename(outside, root / "moved")
    (root / "marker.md").write_text("m")
    batches = recorder.until("marker.md")
    assert any(b.rescan for b in batches)
    assert not any("moved/inside.md" in b.paths for b in batches)


def test_a_failing_callback_is_reported_and_watching_goes_on(tmp_path: Path) -> None:
    errors: list[str] = []
    seen: list[Batch] = []

    def fussy(batch: Batch) -> None:
        seen.append(batch)
        if len(seen) == 1:
            raise ValueError("bad batch")

    watcher = VaultWatcher(tmp_path, fussy, on_error=errors.append)
    watcher.start()
    try:
        assert watcher.ready.wait(WAIT)
        (tmp_path / "a.md").write_text("a")
        deadline = time.monotonic() + WAIT
        while not errors and time.monotonic() < deadline:
            time.sleep(0.02)
        (tmp_path / "b.md").write_text("b")
        while not any("b.md" in b.paths for b in seen) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        assert watcher.stop()
    assert errors and "bad batch" in errors[0]
    assert any("b.md" in b.paths for b in seen)


def test_a_missing_folder_is_reported_and_the_thread_ends(tmp_path: Path) -> None:
    errors: list[str] = []
    watcher = VaultWatcher(tmp_path / "nope", lambda _: None, on_error=errors.append)
    watcher.start()
    assert watcher.ready.wait(WAIT)
    assert watcher.stop()
    assert errors and "nope" in errors[0]


def test_stop_before_anything_changed_is_quick(tmp_path: Path) -> None:
    watcher = VaultWatcher(tmp_path, lambda _: None)
    watcher.start()
    assert watcher.ready.wait(WAIT)
    assert watcher.stop(timeout=WAIT) and not watcher.alive
    assert watcher.stopping


def test_sort_events_keeps_notes_and_folder_changes_only(tmp_path: Path) -> None:
    root = str(tmp_path)
    (tmp_path / "dir").mkdir()
    (tmp_path / "file.pdf").write_text("")
    events = [
        f"{root}/a.md",
        f"{root}/deep/b.MARKDOWN",
        f"{root}/.obsidian/workspace.json",
        f"{root}/.trash/c.md",
        f"{root}/skipme/d.md",
        f"{root}/file.pdf",
        f"{root}/#e.md#",
        f"{root}/f.md.___jb_tmp___",
        f"{root}/../outside.md",
        root,
    ]
    batch = sort_events(root, events, skip=("SkipMe",))
    assert batch == Batch(frozenset({"a.md", "deep/b.MARKDOWN"}), rescan=False)
    assert sort_events(root, [f"{root}/dir"]).rescan  # a folder that is there
    assert sort_events(root, [f"{root}/gone-folder"]).rescan  # one that went


def test_catch_up_asks_for_a_whole_folder_look_first(tmp_path: Path) -> None:
    recorder = Recorder()
    watcher = VaultWatcher(tmp_path, recorder, catch_up=True)
    watcher.start()
    try:
        assert recorder.batches.get(timeout=WAIT) == Batch(frozenset(), rescan=True)
    finally:
        assert watcher.stop()
