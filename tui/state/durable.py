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
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

Signature = tuple[int, int, int]  # inode, size, mtime_ns

TEMP_SUFFIX = ".tmp"
# No reading state comes near this (100k records are ~30 MB); a file that does is not one,
# and reading it must not exhaust memory.
MAX_BYTES = 512 << 20
_CHUNK = 1 << 20


class NotRegularFileError(OSError):
    """The path leads to something other than a regular file (a FIFO, a device, a folder)."""


def through_links(path: Path) -> Path:
    """The file a symlinked ``path`` leads to (so writes replace the target, not the link)."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading without blocking, refusing anything but a regular file.

    ``O_NONBLOCK`` keeps a FIFO from hanging the open; the check is made on the open file,
    so swapping the name afterwards changes nothing.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
        return os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise


def read_bounded(handle: BinaryIO, limit: int = MAX_BYTES) -> bytes:
    """Read the rest of ``handle``; OSError (EFBIG) past ``limit`` bytes.

    Reads in chunks rather than trusting the size ``fstat`` reports for an allocation.
    """
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > limit:
            name = getattr(handle, "name", "")
            raise OSError(errno.EFBIG, f"larger than {limit >> 20} MB", str(name))
        parts.append(chunk)


def read_regular(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`, :func:`read_bounded`)."""
    with open_regular(path) as handle:
        return read_bounded(handle, limit)


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
    """Durably replace ``path`` with ``payload``; on any failure the old file is untouched.

    A symlinked ``path`` keeps its link: the file it leads to is the one replaced.
    """
    path = through_links(path)
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
