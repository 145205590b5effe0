"""Small real file systems for the full-disk and read-only cases (mounting needs root)."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path


class MountUnavailable(Exception):
    """Mounting is not permitted here; the message says why."""


def _run(*argv: str) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise MountUnavailable(f"{' '.join(argv)}: {err}") from err
    if done.returncode != 0:
        raise MountUnavailable(f"{' '.join(argv)}: {done.stderr.strip() or done.returncode}")


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "256k") -> Iterator[Path]:
    """A fresh tmpfs of ``size`` mounted at ``where`` for the duration of the block."""
    if os.geteuid() != 0:
        raise MountUnavailable("mounting a tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


def remount_read_only(where: Path) -> None:
    """Make the tmpfs at ``where`` read-only: writes fail with EROFS, even for root."""
    _run("mount", "-o", "remount,ro", str(where))


def fill(directory: Path) -> Path:
    """Fill the file system of ``directory`` until writes fail; returns the filler file."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as err:
                if err.errno != errno.ENOSPC:
                    raise
    return filler
