"""Faults installed inside a writer process from ``$READERLY_FAULTS``, before it writes.

``slow=S`` stretches every step of a write by S seconds, so a SIGKILL sent at a random moment
often lands inside one. ``crash=POINT`` ends the process with ``os._exit(CRASHED)`` exactly
at POINT. ``enospc`` makes every write of the state fail as a full disk does. ``fold=N``
folds the journal into the snapshot every N entries, so snapshots are written often.

The store reaches the OS through the ``os`` names of ``tui.state.journal`` and
``tui.state.durable``;
those are replaced by a proxy that behaves like ``os`` apart from the fault.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ENV = "READERLY_FAULTS"
CRASHED = 70
POINTS = (
    "append-torn",  # half of a journal line written
    "append-unsynced",  # a whole line written, not yet fdatasync'd (never acknowledged)
    "snapshot-unrenamed",  # a fold's new snapshot in its temporary file, not renamed
    "snapshot-renamed",  # the new snapshot renamed into place, directory not synced
    "journal-unreset",  # the snapshot replaced, the emptied journal not yet renamed
)


class _FaultyOs:
    """``os`` with the chosen fault; everything else is the real module."""

    def __init__(self, state: Path, crash: str, slow: float, enospc: bool) -> None:
        self.state, self.crash, self.slow, self.enospc = state, crash, slow, enospc
        self.journal = state.with_name(state.name + ".journal")

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _pause(self) -> None:
        if self.slow:
            time.sleep(self.slow)

    def write(self, fd: int, data: Any) -> int:
        if self.enospc:
            raise OSError(errno.ENOSPC, "No space left on device")
        view = memoryview(data)
        if len(view) > 1 and (self.slow or self.crash == "append-torn"):
            half = len(view) // 2
            os.write(fd, view[:half])
            if self.crash == "append-torn":
                os._exit(CRASHED)
            self._pause()
            return half
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        if self.enospc:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._pause()
        os.fsync(fd)

    def fdatasync(self, fd: int) -> None:
        if self.crash == "append-unsynced":
            os._exit(CRASHED)
        self.fsync(fd)

    def replace(self, src: Any, dst: Any) -> None:
        target = Path(os.fsdecode(dst))
        if self.crash == "snapshot-unrenamed" and target == self.state:
            os._exit(CRASHED)
        if self.crash == "journal-unreset" and target == self.journal:
            os._exit(CRASHED)
        self._pause()
        os.replace(src, dst)
        if self.crash == "snapshot-renamed" and target == self.state:
            os._exit(CRASHED)


def install(state: Path, spec: str | None = None) -> None:
    """Install the faults described by ``spec`` (default ``$READERLY_FAULTS``) for ``state``."""
    import tui.state.durable
    import tui.state.journal

    settings = dict(
        part.partition("=")[::2] for part in (spec or os.environ.get(ENV, "")).split(",") if part
    )
    if not settings:
        return
    crash = settings.get("crash", "")
    if crash and crash not in POINTS:
        raise ValueError(f"unknown crash point {crash!r}")
    if "fold" in settings:
        tui.state.journal.COMPACT_ENTRIES = int(settings["fold"])
    proxy = _FaultyOs(state, crash, float(settings.get("slow") or 0), "enospc" in settings)
    module: ModuleType
    for module in (tui.state.journal, tui.state.durable):
        module.os = proxy  # type: ignore[attr-defined]
