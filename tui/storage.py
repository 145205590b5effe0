"""The state file on disk: atomic orjson TinyDB storage, a cross-process lock, damage control.

Headless: nothing here imports textual or rich.

The whole document tree stays in memory and is reloaded only when the file on disk is not
the one last read or written (inode, size or mtime differ): one ``stat`` per read. A write
goes to a temporary file in the same directory, is fsynced, renamed over the old file and the
directory fsynced, so a reader or a crash only ever sees the old file or the new one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

Tree = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]  # inode, size, mtime_ns

_T = TypeVar("_T")
_TEMP_SUFFIX = ".tmp"
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


class StateError(Exception):
    """A change could not be saved; the message says why in words a person can act on."""


class CorruptFileError(ValueError):
    """The file exists but does not hold a TinyDB document tree."""


def _signature_of(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _check_tree(data: object) -> Tree:
    """Return ``data`` if it has TinyDB's shape: tables of documents, all JSON objects."""
    if not isinstance(data, dict):
        raise CorruptFileError("the top level is not a JSON object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptFileError(f"table {name!r} is not a JSON object")
        for key, doc in table.items():
            if not isinstance(doc, dict):
                raise CorruptFileError(f"entry {key!r} in table {name!r} is not a JSON object")
    return data


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, payload: bytes) -> None:
    """Durably replace ``path`` with ``payload``; on any failure the old file is untouched."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
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
    _fsync_dir(path.parent)


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
        _fsync_dir(path.parent)
        return target
    raise FileExistsError(errno.EEXIST, "too many damaged copies already", str(path))


class AtomicOrjsonStorage(Storage):
    """A TinyDB storage: orjson on disk, an in-memory copy, atomic durable writes.

    ``read()`` serves the in-memory copy; ``refresh()`` picks up other processes' changes.
    Between ``begin()`` and ``commit()`` writes stay in memory: one disk write per batch.
    """

    def __init__(self, path: Path) -> None:
        """Use the file at ``path``; nothing is read until the first ``read()``/``refresh()``."""
        self.path = path
        self._data: Tree | None = None
        self._signature: Signature | None = None
        self._batch = self._dirty = False

    def refresh(self) -> None:
        """Reload the file if it changed; raises CorruptFileError or OSError if unreadable."""
        if self._batch:
            return  # the batch's writer holds the lock: the file cannot have changed
        if self._data is not None and _signature_of(self.path) == self._signature:
            return
        try:
            with open(self.path, "rb") as handle:
                # Stat the open file so the signature describes exactly the bytes read.
                st = os.fstat(handle.fileno())
                raw = handle.read()
        except FileNotFoundError:
            self._data, self._signature = {}, None
            return
        try:
            # An empty (e.g. touched) file holds nothing that could be lost.
            data = _check_tree(orjson.loads(raw)) if raw.strip() else {}
        except orjson.JSONDecodeError as err:
            raise CorruptFileError(f"not valid JSON: {err}") from err
        self._data, self._signature = data, (st.st_ino, st.st_size, st.st_mtime_ns)

    def start_empty(self) -> None:
        """Continue with an empty tree, treating the file as it is now as already read."""
        self._data, self._signature = {}, _signature_of(self.path)

    def read(self) -> Tree:
        """Return the in-memory tree (loading it the first time)."""
        if self._data is None:
            self.refresh()
        assert self._data is not None
        return self._data

    def write(self, data: Tree) -> None:
        """Replace the tree; saved now, or at ``commit()`` inside a batch."""
        self._data = data
        if self._batch:
            self._dirty = True
        else:
            self._save()

    def begin(self) -> None:
        """Start a batch: later writes stay in memory until ``commit()``."""
        self._batch, self._dirty = True, False

    def commit(self) -> None:
        """End the batch, writing the tree once if anything changed."""
        dirty, self._batch, self._dirty = self._dirty, False, False
        if dirty:
            self._save()

    def abort(self) -> None:
        """End the batch without saving; the next read reloads the file."""
        self._batch = self._dirty = False
        self._data = self._signature = None

    def _save(self) -> None:
        try:
            write_atomic(self.path, orjson.dumps(self._data))
        except BaseException:
            # Memory now holds a change the disk does not: forget it, reload on next read.
            self._data = self._signature = None
            raise
        self._signature = _signature_of(self.path)

    def close(self) -> None:
        """Drop the in-memory copy."""
        self._data = self._signature = None


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
        """Store ``docs`` under their ids, replacing what was there, and remove ``drop``."""
        stored = self._read_table()
        gone: list[Any] = [i for i in (*drop, *docs) if i in stored]
        if gone:
            self.remove(doc_ids=gone)
        if docs:
            self.insert_multiple(Document(d, doc_id=i) for i, d in docs.items())  # type: ignore[arg-type]


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
        self.read_only = read_only
        self.messages: list[str] = []
        self.storage = AtomicOrjsonStorage(path)
        table = StateDB(storage=lambda: self.storage).table("notes")
        assert isinstance(table, NoteTable)
        self.table = table
        self.mutex = threading.RLock()  # hold to read the table while other threads write
        self._lock_path = path.with_name(path.name + ".lock")
        self._lock_fd: int | None = None
        self._lock_depth = 0
        with self.mutex:
            if not read_only:
                self._open_for_writing()
            self.refresh()

    def _open_for_writing(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            if not os.access(self.path.parent, os.W_OK):
                raise PermissionError(errno.EACCES, "Permission denied", str(self.path.parent))
            if self.path.exists():
                os.close(os.open(self.path, os.O_WRONLY | os.O_CLOEXEC))
        except OSError as err:
            self._become_read_only(err)
            return
        with self._locked():
            # Writers hold the lock while their temporary file exists, so any found now
            # was left by a process that died mid-write.
            prefix, stale = f".{self.path.name}.", []
            with contextlib.suppress(OSError), os.scandir(self.path.parent) as entries:
                stale = [e.path for e in entries if e.name.startswith(prefix)]
            for name in stale:
                if name.endswith(_TEMP_SUFFIX):
                    with contextlib.suppress(OSError):
                        os.unlink(name)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the exclusive lock (re-entrant within this process)."""
        if self._lock_fd is None:
            raise PermissionError(errno.EACCES, "no lock file", str(self._lock_path))
        with self.mutex:
            if self._lock_depth == 0:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
                if self._lock_depth == 0:
                    fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _become_read_only(self, err: OSError) -> None:
        self.read_only = True
        where = f" ({err.filename})" if err.filename and str(err.filename) != str(self.path) else ""
        self.messages.append(
            f"Reading state is read-only: {self.path} cannot be written: "
            f"{err.strerror or err}{where}. Changes will not be saved until it is writable."
        )

    def refresh(self) -> None:
        """Bring the in-memory copy up to date; an unreadable file is set aside, never reused."""
        with self.mutex:
            try:
                self.storage.refresh()
            except CorruptFileError as err:
                self._set_aside(str(err))
            except OSError as err:
                self.read_only = True
                self.storage.start_empty()
                self.messages.append(
                    f"Reading state file {self.path} cannot be read: {err.strerror or err}. "
                    "It was left as it is; reading state starts empty and will not be saved."
                )

    def _set_aside(self, reason: str) -> None:
        if self.read_only:
            self.storage.start_empty()
            self.messages.append(
                f"Reading state file {self.path} is damaged ({reason}) and cannot be moved "
                "aside. It was left as it is; reading state starts empty and will not be saved."
            )
            return
        with self._locked():
            try:
                self.storage.refresh()
                return  # another process replaced it meanwhile
            except (CorruptFileError, OSError):
                pass
            try:
                moved = quarantine(self.path)
            except OSError as err:
                self.storage.start_empty()
                self._become_read_only(err)
                return
            self.storage.start_empty()
            self.messages.append(
                f"Reading state file {self.path} was damaged ({reason}). It was moved to "
                f"{moved} and reading state starts empty."
            )

    def change(self, mutate: Callable[[], _T]) -> _T:
        """Run ``mutate`` on fresh data under the lock; its writes reach disk once, durably."""
        with self.mutex:
            if self.read_only:
                raise StateError(
                    f"Reading state {self.path} is read-only; the change was not saved."
                )
            try:
                with self._locked():
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
                    self.storage.commit()
                    return result
            except OSError as err:
                if isinstance(err, PermissionError) or err.errno in _READ_ONLY_ERRNOS:
                    self._become_read_only(err)
                raise StateError(
                    f"Cannot save reading state to {self.path}: {err.strerror or err}. "
                    "The change was not saved; the file still holds the previous state."
                ) from err

    def close(self) -> None:
        """Release the lock file and drop the in-memory copy."""
        with self.mutex:
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd, self._lock_depth = None, 0
            self.storage.close()
