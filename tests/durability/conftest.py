"""Fixtures for the durability tests: a vault, a full disk, a read-only state file."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tui.state.durable
import tui.state.journal
from tests.durability.faults import _FaultyOs
from tests.durability.fixture_vault import write_vault
from tests.durability.mounts import MountUnavailable, fill, remount_read_only, tmpfs
from tui.state.store import StateStore
from tui.text.notes import Note
from tui.vault.index import Vault


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    write_vault(tmp_path / "vault", 40)
    return tmp_path / "vault"


@pytest.fixture
def notes(vault_dir: Path) -> list[Note]:
    return Vault.open(vault_dir, use_cache=False).notes


def record_notifications(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every notification ``app`` shows from now on: (message, keyword arguments)."""
    seen: list[tuple[str, Any]] = []
    real = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((message, kwargs))
        real(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


class FullDisk:
    """A state file whose disk can be filled and freed again."""

    def __init__(self, state: Path, kind: str) -> None:
        self.state, self.kind = state, kind
        self.proxy: _FaultyOs | None = None
        self.filler: Path | None = None

    def fill(self) -> None:
        if self.proxy is not None:
            self.proxy.enospc = True
        else:
            self.filler = fill(self.state.parent)

    def free(self) -> None:
        if self.proxy is not None:
            self.proxy.enospc = False
        elif self.filler is not None:
            self.filler.unlink()


@pytest.fixture(params=["tmpfs", "enospc"])
def full_disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FullDisk]:
    """``tmpfs``: a real 256 KiB file system (root only); ``enospc``: writes fail as if full."""
    if request.param == "enospc":
        disk = FullDisk(tmp_path / "state" / "state.json", "enospc")
        disk.state.parent.mkdir()
        disk.proxy = _FaultyOs(disk.state, "", 0.0, enospc=False)
        monkeypatch.setattr(tui.state.journal, "os", disk.proxy)
        monkeypatch.setattr(tui.state.durable, "os", disk.proxy)
        yield disk
        return
    try:
        with tmpfs(tmp_path / "disk") as where:
            yield FullDisk(where / "state.json", "tmpfs")
    except MountUnavailable as err:
        pytest.skip(f"a small tmpfs cannot be mounted here ({err}); the enospc variant runs")


def seed_state(state: Path, notes: list[Note]) -> None:
    """A state with a few records and a journal, as a person would have after some use."""
    with StateStore(state) as store:
        store.update(notes[0], status="read")
        store.update(notes[1], starred=True)
    with StateStore(state) as store:
        store.update(notes[2], relevance="high")


def _refuse_writes_under(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """As root chmod stops nothing, so refuse writes the way the kernel would."""
    real_open = os.open

    def guarded(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writing and Path(os.fsdecode(file)).resolve().is_relative_to(directory.resolve()):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


@pytest.fixture(params=["mount", "refused"])
def read_only_state(
    request: pytest.FixtureRequest, tmp_path: Path, notes: list[Note],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Path]:  # fmt: skip
    """A seeded state file that cannot be written: a read-only mount, or refused opens."""
    if request.param == "refused":
        state = tmp_path / "state" / "state.json"
        state.parent.mkdir()
        seed_state(state, notes)
        if os.geteuid() == 0:
            _refuse_writes_under(monkeypatch, state.parent)
        else:
            state.parent.chmod(0o555)
            for path in state.parent.iterdir():
                path.chmod(0o444)
        yield state
        state.parent.chmod(0o755)
        return
    try:
        with tmpfs(tmp_path / "disk") as where:
            seed_state(where / "state.json", notes)
            remount_read_only(where)
            yield where / "state.json"
    except MountUnavailable as err:
        pytest.skip(f"a read-only tmpfs cannot be mounted here ({err}); 'refused' runs")
