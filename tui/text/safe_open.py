"""Reading a file that someone else may control: never hang, never leave a folder, never
allocate what the file system claims.

Every file readerly reads (notes, the config, the index cache, the state) is read through
:func:`read_regular`. It

- opens with ``O_NONBLOCK`` so a FIFO or a device answers at once instead of blocking,
  and with ``O_NOFOLLOW`` when the caller does not follow symlinks;
- checks with ``fstat`` on the open descriptor that it is a regular file, so what was
  checked is what is read (a name swapped for a FIFO, a device or a folder between a scan
  and the read is refused, not read);
- when given a ``root``, checks that the file it opened lives inside that folder: on Linux
  by asking the kernel where the open descriptor leads (``/proc/self/fd``), elsewhere by
  checking that the real path of the name lies inside the root *and* names the very file
  that was opened. A name swapped for a symlink that leads out, before or after the open,
  fails the check, so a file from elsewhere is never returned;
- reads in chunks up to a limit, never sizing a buffer from ``st_size`` (a sparse or
  growing file may claim anything).

Stdlib only. Every refusal is an :class:`OSError` (a subclass below) with a ``strerror``
that reads well after a file name, so callers that already catch ``OSError`` need nothing
new.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "CHUNK",
    "NotRegularFile",
    "OutsideRoot",
    "TooLarge",
    "inside",
    "read_blocks",
    "read_regular",
    "read_start",
]

CHUNK = 1 << 20
"""Bytes read per call; a file is never read in one allocation sized from its metadata."""

_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotRegularFile(OSError):
    """The path leads to a FIFO, a socket, a device or a folder, not a regular file."""


class OutsideRoot(OSError):
    """The path leads (through a symlink, perhaps swapped in just now) out of the root."""


class TooLarge(OSError):
    """The file holds more than the caller's limit; ``size`` is what ``fstat`` reported."""

    def __init__(self, limit: int, size: int, filename: str) -> None:
        super().__init__(errno.EFBIG, f"larger than the {limit}-byte limit", filename)
        self.limit = limit
        self.size = size


def inside(real: str, root: str) -> bool:
    """Whether the real path ``real`` is ``root`` or lies below it (both already real)."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


_PROC_FD = "/proc/self/fd"
_HAS_PROC = os.path.isdir(_PROC_FD)


@functools.lru_cache(maxsize=16)
def _real_root(root: str) -> str:
    # The vault folder is the user's own choice, not something a note controls: resolving
    # it once per run is safe, and resolving it again for each of 10k notes was not free.
    return os.path.realpath(root)


def _check_inside(fd: int, path: str, opened: os.stat_result, real_root: str) -> None:
    if _HAS_PROC:
        # Where the open descriptor really leads, from the kernel: no later swap of the name
        # can change it, and it costs one call.
        try:
            where = os.readlink(f"{_PROC_FD}/{fd}")
        except OSError:
            where = ""
        if where.startswith("/"):
            if not inside(where.removesuffix(" (deleted)"), real_root):
                raise OutsideRoot(errno.EXDEV, "leads outside the vault", path)
            return
    # Elsewhere: the real path names where the name leads now; the inode check ties it to
    # what was opened. A swap before the open makes the real path lead out; a swap after it
    # makes the real path name another file. Either way an outside file is not read.
    real = os.path.realpath(path)
    if not inside(real, real_root):
        raise OutsideRoot(errno.EXDEV, "leads outside the vault", path)
    try:
        now = os.stat(real)
    except OSError:
        raise OutsideRoot(errno.EXDEV, "changed while it was opened", path) from None
    if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
        raise OutsideRoot(errno.EXDEV, "changed while it was opened", path)


@contextmanager
def _regular(name: str, flags: int) -> Iterator[tuple[int, os.stat_result]]:
    """The open descriptor of the regular file ``name`` and its status (closed after);
    :class:`NotRegularFile` for anything else. Opened without blocking, so a FIFO never hangs."""
    fd = os.open(name, flags)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", name)
        yield fd, opened
    finally:
        os.close(fd)


def read_regular(
    path: str | os.PathLike[str],
    *,
    limit: int,
    root: str | os.PathLike[str] | None = None,
    follow_symlinks: bool = True,
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    ``root``: a folder the file must really lie in (symlinks inside it are fine; one that
    leads out is refused as :class:`OutsideRoot`). ``follow_symlinks=False`` refuses a
    symlink as the last component (``ELOOP``). Not a regular file: :class:`NotRegularFile`.
    More than ``limit`` bytes: :class:`TooLarge` (nothing beyond ``limit + 1`` is read).
    Anything else the system says (missing, no permission, name too long) is the plain
    ``OSError`` it raised. Never blocks on a FIFO or device; never reads more than
    ``limit + 1`` bytes whatever the file claims to hold.
    """
    name = os.fspath(path)
    with _regular(name, _FLAGS | (0 if follow_symlinks else _NOFOLLOW)) as (fd, opened):
        if root is not None:
            _check_inside(fd, name, opened, _real_root(os.fspath(root)))
        return _read_bounded(fd, limit, name, opened.st_size)


def read_blocks(path: str | os.PathLike[str], size: int, *, limit: int) -> Iterator[bytes]:
    """The regular file at ``path`` in blocks of ``size`` bytes: what :func:`read_regular`
    reads, without holding it all at once. Past ``limit`` bytes: :class:`TooLarge`."""
    name = os.fspath(path)
    with _regular(name, _FLAGS) as (fd, opened):
        if opened.st_size > limit:
            raise TooLarge(limit, opened.st_size, name)
        total = 0
        while block := os.read(fd, size):
            total += len(block)
            if total > limit:
                raise TooLarge(limit, total, name)
            yield block


def read_start(path: str | os.PathLike[str], size: int) -> bytes:
    """The first ``size`` bytes (or fewer) of the regular file at ``path``.

    Refuses what :func:`read_regular` refuses, except that a longer file is not an error.
    """
    with _regular(os.fspath(path), _FLAGS) as (fd, _):
        parts: list[bytes] = []
        total = 0
        while total < size and (chunk := os.read(fd, min(CHUNK, size - total))):
            parts.append(chunk)
            total += len(chunk)
        return b"".join(parts)


def _read_bounded(fd: int, limit: int, name: str, claimed: int) -> bytes:
    if claimed > limit:
        raise TooLarge(limit, claimed, name)
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        try:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
        except BlockingIOError:
            break  # only a non-regular file blocks, and those were refused: treat as end
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    if total > limit:
        raise TooLarge(limit, max(total, claimed), name)
    return b"".join(parts)
