"""Durable file operations for the reading state: atomic replacement, syncs, quarantine.

Headless: nothing here imports textual or rich.

A file replaced with ``write_atomic`` is seen by a reader, or after a crash, either whole
and old or whole and new. A file is told apart from the one read before by its signature
(inode, size, mtime): one ``stat``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from pathlib import Path

Signature = tuple[int, int, int]  # inode, size, mtime_ns

TEMP_SUFFIX = ".tmp"


def signature_of(path: Path) -> Signature | None:
    """Inode, size and mtime of ``path``, or None if it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def stat_signature(st: os.stat_result) -> Signature:
    """The signature of an already-taken ``stat``."""
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def fsync_dir(directory: Path) -> None:
    """Make renames and new names in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_data(fd: int) -> None:
    """Flush a file's data and size; fdatasync where the platform has it."""
    if hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:  # pragma: no cover - macOS
        os.fsync(fd)


def write_atomic(path: Path, payload: bytes) -> None:
    """Durably replace ``path`` with ``payload``; on any failure the old file is untouched."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def quarantine(path: Path) -> Path:
    """Move ``path`` aside to ``<name>.corrupt-YYYYmmdd-HHMMSS[-N]`` and return the new path."""
    base = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    for n in range(1000):
        target = path.with_name(base if n == 0 else f"{base}-{n}")
        try:
            # link() refuses an existing target, so an older copy is never overwritten.
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if target.exists():
                continue
            os.rename(path, target)
        else:
            os.unlink(path)
        fsync_dir(path.parent)
        return target
    raise FileExistsError(errno.EEXIST, "too many damaged copies already", str(path))
