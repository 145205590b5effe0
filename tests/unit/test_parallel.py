"""Many files are read by worker processes; the notes are the ones reading here gives."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from tui.text.relevance import DEFAULT_SCALE
from tui.vault import parallel
from tui.vault.index import Vault
from tui.vault.scan import scan


def _vault(root: Path, count: int) -> None:
    root.mkdir()
    for i in range(count):
        body = f"---\ntitle: Note {i}\ndate: 2026-01-{i % 28 + 1:02}\ntags: ['#t{i % 5}']\n---\n"
        (root / f"n{i:04}.md").write_text(body + f"words [[n{(i + 1) % count:04}]]\n")
    (root / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody")


def test_workers_read_the_same_notes_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "v"
    _vault(root, 60)
    files = scan(root, ()).files
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    spread = list(parallel.load_entries(files, DEFAULT_SCALE, root))
    here = [parallel.load_entry(f, DEFAULT_SCALE, root) for f in files]
    assert [dataclasses.asdict(n) for n in spread if n] == [
        dataclasses.asdict(n) for n in here if n
    ]
    assert len(spread) == 61 and any(n and n.problems for n in spread)


def test_without_a_pool_the_files_are_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "v"
    _vault(root, 20)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "workers", lambda: 2)

    def no_pool(*args: object, **kwargs: object) -> None:
        raise OSError(38, "no semaphores here")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    vault = Vault.open(root, use_cache=False)
    assert sorted(n.title for n in vault.notes if n.title.startswith("Note")) == sorted(
        f"Note {i}" for i in range(20)
    )


def test_a_host_program_that_may_run_again_in_each_worker_gets_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys
    import types

    script = types.ModuleType("__main__")
    script.__file__ = "/somewhere/host_script.py"
    monkeypatch.setitem(sys.modules, "__main__", script)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert parallel.workers() == 0
    script.__file__ = "/venv/bin/readerly"  # readerly's own entry point is guarded
    assert parallel.workers() == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert parallel.workers() == 0  # one core: nothing to share the work with
