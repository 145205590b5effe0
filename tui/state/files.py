"""The reading-state files as one store: TinyDB tables, a cross-process lock, damage control.

Headless: nothing here imports textual or rich.

``tui.state.journal`` keeps the bytes on disk (a snapshot plus an append-only journal) and the
whole document tree in memory. This module decides who may write and when: every change
takes an exclusive ``flock`` on ``state.json.lock``, catches up with other processes'
changes, applies its own and appends it durably before the lock is released. Damaged files
are moved aside, never reused; files that cannot be written make the store read-only.

The lock is waited for at most ``$READERLY_LOCK_TIMEOUT`` seconds (default 5). Its holder
writes its pid into the lock file, so a writer that waits in vain says who is in the way;
reads never take the lock. A symlinked state file is used through its link: the file it
leads to is the one read, locked and replaced.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB
from tinydb.table import Document, Table

from tui.state.durable import TEMP_SUFFIX, NotRegularFileError, quarantine, through_links
from tui.state.journal import DamagedStateError, JournalStorage

_T = TypeVar("_T")
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}
LOCK_TIMEOUT_VAR = "READERLY_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 5.0
_POLL = 0.02


def lock_timeout() -> float:
    """Seconds a change waits for the lock: ``$READERLY_LOCK_TIMEOUT``, else 5."""
    try:
        value = float(os.environ.get(LOCK_TIMEOUT_VAR, ""))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return value if 0 <= value < 86400 else DEFAULT_LOCK_TIMEOUT


class StateError(Exception):
    """A change could not be saved; the message says why in words a person can act on."""


class LockBusyError(StateError):
    """Another process held the state's lock for longer than the wait allowed."""


class NoteTable(Table):
    """A TinyDB table whose documents are keyed by note id (a string), not a counter."""

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Callable[[dict[Any, Mapping[str, Any]]], None]) -> None:
        # TinyDB copies the whole table twice per operation to convert ids between str and
        # int; with string ids both copies are identity maps and cost ~2 ms each at 10k.
        tables = self._storage.read() or {}
        updater(tables.setdefault(self.name, {}))
        self._storage.write(tables)
        self.clear_cache()

    def doc(self, note_id: str) -> Document | None:
        """The document stored under ``note_id``."""
        return self.get(doc_id=note_id)  # type: ignore[call-overload, no-any-return]

    def put(self, docs: Mapping[str, Mapping[str, Any]], drop: Iterable[str] = ()) -> None:
        """Store ``docs`` under their ids, replacing what was there, and remove ``drop``.

        Only the named documents are written: one journal entry, not the whole table.
        """
        storage = self._storage
        assert isinstance(storage, JournalStorage)
        table = storage.read().setdefault(self.name, {})
        changed: dict[str, dict[str, Any] | None] = {}
        for note_id in drop:
            if table.pop(note_id, None) is not None:
                changed[note_id] = None
        for note_id, doc in docs.items():
            table[note_id] = changed[note_id] = dict(doc)
        if changed:
            storage.stage(self.name, changed)
        self.clear_cache()


class StateDB(TinyDB):
    """TinyDB whose tables are keyed by note id."""

    table_class = NoteTable


class StateFile:
    """One state file: writable if possible, damage set aside, changes locked and durable.

    ``messages`` collects what a person should be told (a damaged file moved aside, a file
    that can only be read).
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """Open ``path``; it is created on the first change."""
        self.path = path
        self.real = through_links(path)
        """The file the state lives in: ``path``, or where a symlink at ``path`` leads."""
        self.read_only = read_only
        self.messages: list[str] = []
        self.edits = 0
        """Goes up with every change made here (and every file set aside): with the storage's
        ``generation``, it tells whether the records may differ from an earlier look."""
        self.storage = JournalStorage(self.real)
        table = StateDB(storage=lambda: self.storage).table("notes")
        assert isinstance(table, NoteTable)
        self.table = table
        self.mutex = threading.RLock()  # hold to read the table while other threads write
        self._lock_path = self.real.with_name(self.real.name + ".lock")
        self._lock_fd: int | None = None
        self._lock_depth = 0
        with self.mutex:
            if not read_only:
                self._open_for_writing()
            self.refresh()

    def _open_for_writing(self) -> None:
        try:
            self.real.parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = _open_regular_rw(self._lock_path, create=True)
            if not os.access(self.real.parent, os.W_OK):
                raise PermissionError(errno.EACCES, "Permission denied", str(self.real.parent))
            for existing in (self.real, self.storage.journal_path):
                if existing.exists() or existing.is_symlink():
                    os.close(_open_regular_rw(existing, create=False))
        except OSError as err:
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
            self._become_read_only(err)
            return
        # Only if nobody holds the lock: a holder may be in the middle of its own write.
        with self._locked(timeout=0) as held:
            if not held:
                return
            # Writers hold the lock while their temporary file exists, so any found now
            # was left by a process that died mid-write.
            prefix, stale = f".{self.real.name}.", []
            with contextlib.suppress(OSError), os.scandir(self.real.parent) as entries:
                stale = [e.path for e in entries if e.name.startswith(prefix)]
            for name in stale:
                if name.endswith(TEMP_SUFFIX):
                    with contextlib.suppress(OSError):
                        os.unlink(name)

    @contextlib.contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[bool]:
        """Hold the exclusive lock (re-entrant within this process).

        Waits at most ``timeout`` seconds (default :func:`lock_timeout`). With ``timeout=0``
        it yields False instead of waiting; otherwise a wait in vain raises LockBusyError.
        """
        if self._lock_fd is None:
            raise PermissionError(errno.EACCES, "no lock file", str(self._lock_path))
        with self.mutex:
            wait = lock_timeout() if timeout is None else timeout
            if self._lock_depth == 0 and not self._acquire(wait):
                if timeout == 0:
                    yield False
                    return
                raise LockBusyError(self._busy_message())
            self._lock_depth += 1
            try:
                yield True
            finally:
                self._lock_depth -= 1
                if self._lock_depth == 0:
                    fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _acquire(self, timeout: float) -> bool:
        assert self._lock_fd is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL)
        # Who holds it, for anyone left waiting; a failure here must not cost the change.
        # Written only when it differs, so a process's own writes leave the file alone.
        with contextlib.suppress(OSError):
            owner = f"{os.getpid()} {socket.gethostname()}\n".encode()
            if os.pread(self._lock_fd, 256, 0) != owner:
                os.ftruncate(self._lock_fd, 0)
                os.pwrite(self._lock_fd, owner, 0)
        return True

    def lock_owner(self) -> tuple[int, str] | None:
        """(pid, host) written by the lock's current or last holder, if it can be read."""
        if self._lock_fd is None:
            return None
        try:
            words = os.pread(self._lock_fd, 256, 0).decode("ascii", "replace").split()
            return int(words[0]), "".join(c for c in words[1] if c.isprintable())[:64]
        except (OSError, ValueError, IndexError):
            return None

    def _busy_message(self) -> str:
        owner = self.lock_owner()
        who = (
            f"process {owner[0]} on {owner[1]}" if owner else "another process"
        ) + f" (see {self._lock_path})"
        return (
            f"Reading state {self.path} is locked by {who} for more than "
            f"{lock_timeout():g} s; the change was not saved. If that process is stopped "
            "(Ctrl-Z), resume it (fg) or end it."
        )

    def _become_read_only(self, err: OSError) -> None:
        self.read_only = True
        where = f" ({err.filename})" if err.filename and str(err.filename) != str(self.path) else ""
        self.messages.append(
            f"Reading state is read-only: {self.path} cannot be written: "
            f"{err.strerror or err}{where}. Changes will not be saved until it is writable."
        )

    def refresh(self) -> None:
        """Bring the in-memory copy up to date; unreadable files are set aside, never reused."""
        with self.mutex:
            try:
                self.storage.refresh()
            except DamagedStateError as damage:
                self.edits += 1
                self._set_aside(damage)
            except OSError as err:
                self.edits += 1
                self.read_only = True
                self.storage.start_empty()
                self.messages.append(
                    f"Reading state file {self.path} cannot be read: {err.strerror or err}. "
                    "It was left as it is; reading state starts empty and will not be saved."
                )

    def _set_aside(self, damage: DamagedStateError) -> None:
        """Move damaged files aside, keeping every entry that could still be read."""
        if self.read_only:
            # What could be read is already loaded; the files stay for someone to look at.
            for name, reason in ((self.path, damage.snapshot), (self._journal, damage.journal)):
                if reason:
                    self.messages.append(
                        f"Reading state file {name} is damaged ({reason}) and cannot be moved "
                        "aside. It was left as it is; the readable part is used and changes "
                        "will not be saved."
                    )
            return
        try:
            with self._locked():
                self.storage.invalidate()
                try:
                    self.storage.refresh()
                    return  # another process repaired it meanwhile
                except DamagedStateError as again:
                    damage = again
                if damage.snapshot:
                    self._quarantine_snapshot(damage.snapshot)
                if damage.journal:
                    # The intact entries go into the snapshot before their file is moved.
                    self.storage.save_snapshot()
                    moved = quarantine(self._journal)
                    self.messages.append(
                        f"Reading state journal {self._journal} was damaged ({damage.journal})."
                        f" It was moved to {moved}; its readable entries were kept in "
                        f"{self.path}."
                    )
                self.storage.invalidate()
                self.storage.refresh()
        except DamagedStateError:
            pass  # damaged again at once: what could be read is loaded, the next read retries
        except LockBusyError:
            pass  # what could be read is loaded; whoever holds the lock may repair it
        except OSError as err:
            if not self.storage.loaded:
                self.storage.start_empty()
            self._become_read_only(err)  # keeping what could be read, saving nothing

    def _quarantine_snapshot(self, reason: str) -> None:
        moved = quarantine(self.path)
        kept = (
            f"the {self.storage.journal_lines} changes recorded since in {self._journal} were kept"
            if self.storage.journal_lines
            else "reading state starts empty"
        )
        self.messages.append(
            f"Reading state file {self.path} was damaged ({reason}). It was moved to "
            f"{moved}; {kept}."
        )

    @property
    def _journal(self) -> Path:
        return self.storage.journal_path

    def change(self, mutate: Callable[[], _T], *, timeout: float | None = None) -> _T:
        """Run ``mutate`` on fresh data under the lock; its writes reach disk once, durably.

        ``timeout`` bounds the wait for the lock (see ``_locked``); LockBusyError after it.
        """
        with self.mutex:
            if self.read_only:
                raise StateError(
                    f"Reading state {self.path} is read-only; the change was not saved."
                )
            try:
                with self._locked(timeout) as held:
                    if not held:
                        raise LockBusyError(self._busy_message())
                    self.refresh()
                    if self.read_only:
                        raise StateError(
                            f"Reading state {self.path} is unusable; change not saved."
                        )
                    self.storage.begin()
                    try:
                        result = mutate()
                    except BaseException:
                        self.storage.abort()
                        raise
                    finally:
                        self.edits += 1
                    self.storage.commit()
                    return result
            except OSError as err:
                if isinstance(err, PermissionError) or err.errno in _READ_ONLY_ERRNOS:
                    self._become_read_only(err)
                raise StateError(
                    f"Cannot save reading state to {self.path}: {err.strerror or err}. "
                    "The change was not saved; the files still hold the previous state."
                ) from err

    def close(self) -> None:
        """Fold the journal into the snapshot if writable, release the lock, drop the copy."""
        with self.mutex:
            if self._lock_fd is not None and not self.read_only:
                # Only to make the next open cheaper: every change is durable already.
                # A short wait: a busy or stopped holder only means the next open replays more.
                with contextlib.suppress(OSError, StateError), self._locked(timeout=0.5):
                    self.refresh()
                    if not self.read_only and self.storage.journal_lines:
                        self.storage.compact()
            self._close_files()

    def _close_files(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd, self._lock_depth = None, 0
        self.storage.close()


def _open_regular_rw(path: Path, *, create: bool) -> int:
    """Open ``path`` read-write without blocking; OSError unless it is a regular file.

    A FIFO would block an ordinary open until a reader came; a device would accept anything.
    """
    flags = os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_CREAT if create else 0)
    fd = os.open(path, flags, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd
