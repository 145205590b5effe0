"""The state's files on disk: a snapshot plus an append-only journal, kept in memory.

Headless: nothing here imports textual or rich.

``state.json`` is a snapshot of the whole TinyDB document tree and is only ever replaced
atomically (temporary file, fsync, rename, directory fsync). ``state.json.journal`` holds
one line per change made since: the orjson form of ``{table: {id: document or null}}``.
Every value in a line is absolute, so replaying a line twice changes nothing. A change
costs one append and one fdatasync instead of rewriting the snapshot; once the journal is
long it is folded into a new snapshot and then replaced by an empty one. A crash between
those two steps only replays entries the snapshot already holds.

Entries are merged in, not copied over: a record in a journal line is merged field by field
(last writer wins, see ``tui.state.record``) with the one already in memory, so a journal or a
snapshot another machine wrote, delivered by a sync engine, adds to what is here and never
replaces it. This process's own entries since its last fold are merged in again whenever the
files are read whole, so a snapshot replaced from outside cannot take them away.

A last line without its newline is what an append killed before it was acknowledged leaves
behind: readers ignore it and the next writer cuts it off before appending. Any other line
that does not parse is damage, reported with every intact entry still applied.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from tinydb.storages import Storage

from tui.state.durable import (
    Signature,
    fsync_dir,
    open_regular,
    read_bounded,
    signature_of,
    stat_signature,
    sync_data,
    write_atomic,
)
from tui.state.record import merge_docs

Tree = dict[str, dict[str, Any]]
Entry = dict[str, dict[str, Any]]  # table -> id -> whole document, or None once removed
JOURNAL_SUFFIX = ".journal"
# Folding the journal rewrites the snapshot (~15 ms at 10k records), so it is worth doing
# once these are reached: replaying this much on open stays cheaper than reading the snapshot.
COMPACT_BYTES = 1 << 20
COMPACT_ENTRIES = 2000
# The table of per-note records: merged field by field. Any other table is copied over.
NOTES = "notes"


class CorruptFileError(ValueError):
    """Bytes that do not hold what they should (a document tree, or a journal entry)."""


class DamagedStateError(Exception):
    """The snapshot or some journal lines could not be used; the rest has been loaded."""

    def __init__(self, snapshot: str | None, journal: str | None) -> None:
        """``snapshot``/``journal`` say what is wrong with each file, or None if it is fine."""
        super().__init__("; ".join(p for p in (snapshot, journal) if p))
        self.snapshot = snapshot
        self.journal = journal


def check_tree(data: object) -> Tree:
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


def _check_entry(data: object) -> Entry:
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptFileError("not a JSON object of tables")
    for table in data.values():
        if not all(doc is None or isinstance(doc, dict) for doc in table.values()):
            raise CorruptFileError("a document is neither a JSON object nor null")
    return data


def apply_entry(tree: Tree, entry: Entry) -> bool:
    """Merge every document named in ``entry`` into ``tree`` (None removes it).

    Records merge field by field, so applying an entry twice, or entries in another order,
    gives the same tree. Returns True if the tree changed.
    """
    changed = False
    for name, docs in entry.items():
        table = tree.setdefault(name, {})
        for key, doc in docs.items():
            old = table.get(key)
            if doc is None:
                changed = table.pop(key, None) is not None or changed
                continue
            # A record new here is taken as it is; reading it checks every value anyway.
            new = merge_docs(key, old, doc) if name == NOTES and old is not None else doc
            if new != old:
                table[key] = new
                changed = True
    return changed


class JournalStorage(Storage):
    """A TinyDB storage: snapshot plus journal on disk, the whole tree in memory.

    ``read()`` serves the in-memory tree; ``refresh()`` picks up other processes' changes by
    reading only what they appended, or everything when the snapshot was replaced. Between
    ``begin()`` and ``commit()`` changes named by ``stage()`` collect into one journal line.
    Callers hold the state's lock around ``refresh()``-then-``commit()`` and ``compact()``.
    """

    def __init__(self, path: Path) -> None:
        """Use the snapshot at ``path`` and its journal beside it; nothing is read yet."""
        self.path = path
        self.journal_path = path.with_name(path.name + JOURNAL_SUFFIX)
        self._data: Tree | None = None
        self._snapshot_sig: Signature | None = None
        self._journal_sig: Signature | None = None
        self._journal_end = 0  # offset just past the last complete line read or written
        self._lines = 0  # complete lines before that offset
        self._pending: Entry = {}
        self._batch = self._rewrite = False
        # What this process appended since it last wrote a snapshot: merged in again when
        # the files are read whole, in case they were replaced by a copy that lacks it.
        self._local: Entry = {}
        self.generation = 0
        self._forgotten: Tree | None = None
        """Goes up whenever something read from the files changed the tree."""
        self.diverged = False
        """True when memory holds entries the files lack (a fold would write them)."""

    @property
    def journal_lines(self) -> int:
        """Entries in the journal that the snapshot may not hold yet."""
        return self._lines

    @property
    def loaded(self) -> bool:
        """True once a tree is in memory (even one loaded from damaged files)."""
        return self._data is not None

    def refresh(self) -> None:
        """Catch up with the files; raises DamagedStateError (after loading the rest) or OSError."""
        if self._batch:
            return  # the batch's writer holds the lock: the files cannot have changed
        if self._data is not None and signature_of(self.path) == self._snapshot_sig:
            known = self._journal_sig
            if signature_of(self.journal_path) == known:
                return
            handle = self._open_journal()
            if handle is not None and known is not None:
                with handle:
                    st = os.fstat(handle.fileno())
                    # Folding replaces the journal, so the same inode means appended to
                    # (or a torn tail cut off): only the lines past our offset are new.
                    if st.st_ino == known[0] and st.st_size >= self._journal_end:
                        self._read_journal(handle, self._data, None)
                        return
            elif handle is not None:
                handle.close()
        self._load()

    def _open_journal(self) -> BinaryIO | None:
        try:
            return open_regular(self.journal_path)
        except FileNotFoundError:
            return None

    def _load(self) -> None:
        # The journal is opened first: if a fold replaces both files meanwhile, the entries
        # read are ones the snapshot read next may hold already, and replaying is harmless.
        journal = self._open_journal()
        try:
            data: Tree = {}
            problem: str | None = None
            try:
                with open_regular(self.path) as handle:
                    # Stat the open file so the signature describes exactly the bytes read.
                    signature: Signature | None = stat_signature(os.fstat(handle.fileno()))
                    raw = read_bounded(handle)
                try:
                    # An empty (e.g. touched) file holds nothing that could be lost.
                    data = check_tree(orjson.loads(raw)) if raw.strip() else {}
                except orjson.JSONDecodeError as err:
                    problem = f"not valid JSON: {err}"
                except CorruptFileError as err:
                    problem = str(err)
            except FileNotFoundError:
                signature = None
            before = self._data if self._data is not None else self._forgotten
            generation, self._forgotten = self.generation, None
            self._data, self._snapshot_sig = data, signature
            self._journal_sig, self._journal_end, self._lines = None, 0, 0
            try:
                self._read_journal(journal, data, problem)
            finally:
                if self._local and apply_entry(data, self._local):
                    self.diverged = True
                # Another process folding the journal rewrites the files, not the records.
                self.generation = generation + (before is None or data != before)
        finally:
            if journal is not None:
                journal.close()

    def _read_journal(
        self, handle: BinaryIO | None, tree: Tree, snapshot_problem: str | None
    ) -> None:
        """Apply the complete lines past ``_journal_end`` of the open journal ``handle``."""
        start, st, raw = self._journal_end, None, b""
        if handle is not None:
            st = os.fstat(handle.fileno())
            handle.seek(start)
            raw = read_bounded(handle)
        end = raw.rfind(b"\n") + 1  # anything after the last newline was never acknowledged
        problems: list[str] = []
        for number, line in enumerate(raw[:end].split(b"\n")[:-1], start=self._lines + 1):
            try:
                if apply_entry(tree, _check_entry(orjson.loads(line))):
                    self.generation += 1
            except (orjson.JSONDecodeError, CorruptFileError) as err:
                problems.append(f"line {number}: {err}")
            self._lines += 1
        self._journal_end = start + end
        self._journal_sig = None if st is None else stat_signature(st)
        if snapshot_problem or problems:
            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise DamagedStateError(snapshot_problem, problems[0] + more if problems else None)

    def invalidate(self) -> None:
        """Forget the in-memory tree; the next read loads the files again."""
        if self._data is not None:
            self._forgotten = self._data  # to tell whether the reload changed anything
        self._data = self._snapshot_sig = self._journal_sig = None
        self._journal_end = self._lines = 0

    def merge_in(self, entry: Entry) -> dict[str, dict[str, Any]]:
        """Merge ``entry`` (inside a batch) and stage what it changed; returns the changes."""
        tree = self.read()
        staged: dict[str, dict[str, Any]] = {}
        for name, docs in entry.items():
            for key, doc in docs.items():
                if doc is not None and apply_entry(tree, {name: {key: doc}}):
                    staged.setdefault(name, {})[key] = tree[name][key]
        for name, docs in staged.items():
            self.stage(name, docs)
        return staged

    def start_empty(self) -> None:
        """Continue with an empty tree, treating the files as they are now as already read."""
        self._data = {}
        self._snapshot_sig = signature_of(self.path)
        self._journal_sig = signature_of(self.journal_path)
        self._journal_end = 0 if self._journal_sig is None else self._journal_sig[1]
        self._lines = 0

    def read(self) -> Tree:
        """Return the in-memory tree (loading it the first time)."""
        if self._data is None:
            self.refresh()
        assert self._data is not None
        return self._data

    def write(self, data: Tree) -> None:
        """Replace the whole tree: a new snapshot, now or at ``commit()`` inside a batch."""
        self._data = data
        if self._batch:
            self._rewrite = True
            return
        try:
            self.compact()
        except BaseException:
            self.invalidate()
            raise

    def stage(self, table: str, docs: dict[str, Any]) -> None:
        """Note documents of ``table`` already changed in the tree (None: removed)."""
        if not self._batch:
            raise RuntimeError("stage() is only valid between begin() and commit()")
        self._pending.setdefault(table, {}).update(docs)

    def begin(self) -> None:
        """Start a batch: changes stay in memory until ``commit()``."""
        self._batch, self._rewrite, self._pending = True, False, {}

    def commit(self) -> None:
        """End the batch: one journal line (or a new snapshot), durable on return."""
        pending, rewrite = self._pending, self._rewrite
        self._batch, self._rewrite, self._pending = False, False, {}
        line = b"" if rewrite or not pending else orjson.dumps(pending) + b"\n"
        whole = rewrite or len(line) >= COMPACT_BYTES  # a huge batch is cheaper as a snapshot
        if not (whole or line):
            return
        try:
            if whole:
                self.compact()
            else:
                self._append(line)
                for name, docs in pending.items():
                    self._local.setdefault(name, {}).update(docs)
        except BaseException:
            self.invalidate()  # memory holds a change the disk does not
            raise
        if self._journal_end >= COMPACT_BYTES or self._lines >= COMPACT_ENTRIES:
            # The change is durable already; a fold that fails is tried again next time.
            with contextlib.suppress(OSError):
                self.compact()

    def abort(self) -> None:
        """End the batch without saving; the next read reloads the files."""
        self._batch, self._rewrite, self._pending = False, False, {}
        self.invalidate()

    def _append(self, line: bytes) -> None:
        created = self._journal_sig is None
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
        fd = os.open(self.journal_path, flags, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size < self._journal_end:
                raise OSError(errno.EIO, "the journal shrank while locked", str(self.journal_path))
            if size > self._journal_end:
                os.ftruncate(fd, self._journal_end)  # the torn tail of a killed writer
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view) :]
                sync_data(fd)
                if created:
                    fsync_dir(self.path.parent)
            except BaseException:
                # Not acknowledged, so it must not be replayed later either.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, self._journal_end)
                raise
            self._journal_sig = stat_signature(os.fstat(fd))
        finally:
            os.close(fd)
        self._journal_end += len(line)
        self._lines += 1

    def save_snapshot(self) -> None:
        """Write the in-memory tree as the new snapshot, leaving the journal as it is."""
        write_atomic(self.path, orjson.dumps(self.read()))
        self._snapshot_sig = signature_of(self.path)
        self._local, self.diverged = {}, False  # all of it is in the snapshot now

    def compact(self) -> None:
        """Fold the journal into a new snapshot, then empty it (call under the lock)."""
        self.save_snapshot()
        if self._journal_sig is None or self._journal_sig[1] == 0:
            return  # no journal, or an empty one
        try:
            # Replaced, not truncated: a reader that still has the old journal's inode
            # can tell it must read everything again.
            write_atomic(self.journal_path, b"")
        except OSError:
            # The new snapshot holds every entry, so replaying them later is harmless.
            self.invalidate()
            return
        self._journal_sig = signature_of(self.journal_path)
        self._journal_end = self._lines = 0

    def close(self) -> None:
        """Drop the in-memory copy."""
        self.invalidate()
        self._forgotten = None
