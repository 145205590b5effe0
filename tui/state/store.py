"""Reading state: one record per note (status, star, relevance, position), kept in TinyDB.

Headless: nothing here imports textual or rich.

Front matter gives a note's initial status and relevance; once a value is set here it wins.
Every field carries the time it was set, so "relevance cleared" differs from "never set".
Each change is on disk before the call returns, and two processes sharing the file never
lose each other's changes: every change takes an exclusive lock, catches up with what
another process wrote, applies the change to those fresh contents and appends the changed
records to a journal beside the snapshot (see ``tui.state.journal``), so its cost does not grow
with the number of records.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from tui.state.device import Device, load_device
from tui.state.files import LockBusyError, StateError, StateFile
from tui.state.record import FIELDS, Record, check_fields, merge_records
from tui.state.sync import Absorbed, absorb_copies
from tui.text.notes import STATUSES, Note

__all__ = [
    "FIELDS",
    "STATUSES",
    "LockBusyError",
    "Record",
    "StateError",
    "StateStore",
    "normalise_status",
]


def normalise_status(raw: object) -> str:
    """A valid status for a front-matter value: unknown or missing means ``unread``."""
    text = str(raw).strip().lower() if isinstance(raw, str) else ""
    return text if text in STATUSES else "unread"


def _apply(rec: Record, note: Note, fields: Mapping[str, object], now: float, device: str) -> bool:
    """Apply one change to ``rec``; True if anything differs from before."""
    changed = rec.identify(note.path, note.source, note.fingerprint, now)
    if fields.get("status") == "archived" and "before_archive" not in fields:
        # Whoever archives (a key, triage, the CLI), what the note was goes with it, so
        # unarchiving gives it back in any later session and on any synced machine.
        was = effective_status(note, rec)
        if was != "archived":
            fields = {"before_archive": was, **fields}
    for name, value in fields.items():
        changed = rec.set(name, value, now, device) or changed
    return changed


def _last_set(rec: Record) -> float:
    return rec.last_used()


def _plan_moves(records: Mapping[str, Record], notes: Sequence[Note]) -> list[tuple[Record, Note]]:
    """Pair records whose note is gone with the note they most likely became.

    A record follows a note without a record that has the same source URL, else the same
    body fingerprint. A match that is not unique is left alone rather than guessed; the
    most recently used record claims a note first. A record left over after that is paired
    with a note that has a record already when that record has the same source URL (else
    fingerprint) and is the only one: the rename was followed on another machine, and the
    two records are one note's, to be merged.
    """
    ids = {n.id for n in notes}
    orphans = sorted((r for r in records.values() if r.id not in ids), key=_last_set, reverse=True)
    if not orphans:
        return []
    by_source: dict[str, list[Note]] = {}
    by_print: dict[str, list[Note]] = {}
    for note in notes:
        if note.id not in records:
            if note.source:
                by_source.setdefault(note.source, []).append(note)
            if note.fingerprint:
                by_print.setdefault(note.fingerprint, []).append(note)
    claimed: set[str] = set()
    moves: list[tuple[Record, Note]] = []
    for rec in orphans:
        found: list[Note] = []
        if rec.source:
            found = [n for n in by_source.get(rec.source, ()) if n.id not in claimed]
            if len(found) > 1:
                found = [n for n in found if n.fingerprint == rec.fingerprint]
        if not found and rec.fingerprint:
            found = [n for n in by_print.get(rec.fingerprint, ()) if n.id not in claimed]
        if len(found) == 1:
            claimed.add(found[0].id)
            moves.append((rec, found[0]))
    moved = {id(rec) for rec, _ in moves}
    left = [r for r in orphans if id(r) not in moved]
    if left:
        moves += _plan_merges(records, notes, left, claimed)
    return moves


def _plan_merges(
    records: Mapping[str, Record], notes: Sequence[Note], orphans: list[Record], claimed: set[str]
) -> list[tuple[Record, Note]]:
    """Orphans that are another copy of a listed note's record (see ``_plan_moves``)."""
    by_source: dict[str, list[Note]] = {}
    by_print: dict[str, list[Note]] = {}
    for note in notes:
        rec = records.get(note.id)
        if rec is not None and note.id not in claimed:
            if rec.source and rec.source == note.source:
                by_source.setdefault(rec.source, []).append(note)
            if rec.fingerprint and rec.fingerprint == note.fingerprint:
                by_print.setdefault(rec.fingerprint, []).append(note)
    merges: list[tuple[Record, Note]] = []
    for rec in orphans:
        found = by_source.get(rec.source, []) if rec.source else []
        if not found and rec.fingerprint:
            found = by_print.get(rec.fingerprint, [])
        if len(found) == 1:
            merges.append((rec, found[0]))
    return merges


class StateStore:
    """The reading state of a vault, durable on every change and safe to share between processes.

    ``messages`` lists what a person should be told about the files (moved aside because they
    were damaged, or read-only). Reads serve an in-memory copy refreshed whenever the files
    changed.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        device: Device | None = None,
    ) -> None:
        """Open the store at ``path``.

        Conflict copies a sync engine left beside the file are merged in and moved aside
        at once (see :meth:`merge_conflict_copies`). ``device`` stamps this store's changes
        (default: this machine's, see :mod:`tui.state.device`).
        """
        self.path = Path(path)
        self._file = StateFile(self.path, read_only=read_only)
        self._table = self._file.table
        self._device = device
        self._generation = self._file.storage.generation
        # The last snapshot and the (generation, edits) it was taken at: filtering asks for
        # one per keystroke, and copying 10k records costs ~50 ms.
        self._snapshot: tuple[tuple[int, int], StateSnapshot] | None = None
        self.merge_conflict_copies()

    @property
    def device(self) -> Device:
        """The device this store stamps its changes with (loaded on first use)."""
        if self._device is None:
            self._device = load_device()
        return self._device

    @property
    def file(self) -> StateFile:
        """The files behind the store, for the merge, export and info commands."""
        return self._file

    def merge_conflict_copies(self, *, timeout: float = 0.5) -> Absorbed:
        """Merge sync engines' conflict copies beside the file, then move them to merged/.

        Never raises: what went wrong is added to ``messages``. Does nothing when read-only
        or when another process holds the lock for longer than ``timeout`` (the next call
        tries again).
        """
        absorbed = absorb_copies(self._file, lambda: self.device.id, timeout=timeout)
        # Polled twice a second: the same notice (copies that cannot be merged) is told once.
        known = self._file.messages
        known.extend(m for m in absorbed.messages if m not in known)
        return absorbed

    def poll(self) -> bool:
        """Take in what changed on disk (the file, its journal, new conflict copies).

        Returns True when the records may differ from the last call: for a reader that
        repaints when another process or machine changed the state.
        """
        absorbed = self.merge_conflict_copies(timeout=0)
        with self._file.mutex:
            self._file.refresh()
            generation = self._file.storage.generation
        changed, self._generation = generation != self._generation, generation
        return changed or bool(absorbed.merged)

    @property
    def read_only(self) -> bool:
        """True when changes cannot be saved (``update`` raises StateError)."""
        return self._file.read_only

    @property
    def messages(self) -> list[str]:
        """Human-readable notices about the state file, oldest first."""
        return self._file.messages

    def get(self, note_id: str) -> Record | None:
        """The stored record for ``note_id``, or None."""
        with self._file.mutex:
            self._file.refresh()
            doc = self._table.doc(note_id)
            return None if doc is None else Record.from_doc(note_id, doc)

    def all(self) -> dict[str, Record]:
        """Every stored record, by note id."""
        with self._file.mutex:
            self._file.refresh()
            return {str(d.doc_id): Record.from_doc(str(d.doc_id), d) for d in self._table}

    def update(self, note: Note, **fields: object) -> Record:
        """Set fields (status, starred, relevance, position) of one note; durable on return."""
        return self.update_many([(note, fields)])[0]

    def update_many(self, changes: Sequence[tuple[Note, Mapping[str, object]]]) -> list[Record]:
        """Apply many changes with one durable write; returns each note's resulting record."""
        checked = [(note, check_fields(fields)) for note, fields in changes]
        if not checked:
            return []

        device = self.device.id

        def mutate() -> list[Record]:
            now = round(time.time(), 3)  # milliseconds are plenty and keep the file smaller
            records: dict[str, Record] = {}
            changed: dict[str, None] = {}  # ordered set
            for note, fields in checked:
                rec = records.get(note.id)
                if rec is None:
                    doc = self._table.doc(note.id)
                    rec = Record(note.id) if doc is None else Record.from_doc(note.id, doc)
                    records[note.id] = rec
                if _apply(rec, note, fields, now, device):
                    changed[note.id] = None
            self._table.put({i: records[i].to_doc() for i in changed})
            return [records[note.id] for note, _ in checked]

        return self._file.change(mutate)

    def reconcile(self, notes: Sequence[Note], *, timeout: float | None = None) -> int:
        """Move records of renamed or moved notes to their new ids; returns how many moved.

        Returns 0 without looking further when the store is read-only. ``timeout`` bounds
        the wait for the lock (LockBusyError after it).
        """
        if self.read_only or not _plan_moves(self.all(), notes):
            return 0

        def mutate() -> int:
            records = self.all()
            moves = _plan_moves(records, notes)
            old_ids = [rec.id for rec, _ in moves]
            now = round(time.time(), 3)
            docs: dict[str, Record] = {}
            for rec, note in moves:
                rec.id = note.id
                rec.identify(note.path, note.source, note.fingerprint, now)
                there = docs.get(note.id) or records.get(note.id)
                docs[note.id] = rec if there is None else merge_records(there, rec)
            self._table.put({i: rec.to_doc() for i, rec in docs.items()}, drop=old_ids)
            return len(moves)

        return self._file.change(mutate, timeout=timeout)

    def status(self, note: Note) -> str:
        """Effective status: the stored one once set, else the front matter's (default unread)."""
        return effective_status(note, self.get(note.id))

    def starred(self, note: Note) -> bool:
        """Whether the note is starred."""
        return effective_starred(self.get(note.id))

    def relevance(self, note: Note) -> str | None:
        """Effective relevance: the stored one once set (None = cleared), else front matter's."""
        return effective_relevance(note, self.get(note.id))

    def unarchived_status(self, note: Note) -> str:
        """The status ``note`` leaves the archive with: the one it had before, else read."""
        rec = self.get(note.id)
        return "read" if rec is None or rec.before_archive is None else rec.before_archive

    def position(self, note: Note) -> float | None:
        """The saved reading position, or None."""
        rec = self.get(note.id)
        return None if rec is None else rec.position

    def snapshot(self) -> StateSnapshot:
        """The effective values of every note, answered from one read of the records.

        Filtering, counting and listing ask about every note; asking the store each time
        would check the file for changes once per note. While nothing changed, the same
        snapshot is handed out again; treat it as read-only.
        """
        with self._file.mutex:
            self._file.refresh()
            seen = (self._file.storage.generation, self._file.edits)
            if self._snapshot is not None and self._snapshot[0] == seen:
                return self._snapshot[1]
            snapshot = StateSnapshot(self.all())
            self._snapshot = (seen, snapshot)
            return snapshot

    def close(self) -> None:
        """Fold the journal into the snapshot (if writable), release the lock, drop the copy."""
        self._file.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def effective_status(note: Note, rec: Record | None) -> str:
    """The stored status once set, else the front matter's (default unread)."""
    if rec is not None and rec.status is not None:
        return rec.status
    return normalise_status(note.status)


def effective_starred(rec: Record | None) -> bool:
    """Whether a record says starred."""
    return rec is not None and rec.starred


def effective_relevance(note: Note, rec: Record | None) -> str | None:
    """The stored relevance once set (None = cleared), else the front matter's."""
    if rec is not None and rec.has("relevance"):
        return rec.relevance
    return note.relevance


class StateSnapshot:
    """Effective values from a copy of the records taken at one moment."""

    def __init__(self, records: dict[str, Record]) -> None:
        """``records`` by note id, as :meth:`StateStore.all` returns them."""
        self.records = records
        self.derived: dict[object, object] = {}
        """What callers worked out from these records (e.g. every note's status), by a key
        of theirs, so asking again about the same moment costs nothing."""

    def status(self, note: Note) -> str:
        """Effective status, as :meth:`StateStore.status`."""
        return effective_status(note, self.records.get(note.id))

    def starred(self, note: Note) -> bool:
        """Whether starred, as :meth:`StateStore.starred`."""
        return effective_starred(self.records.get(note.id))

    def relevance(self, note: Note) -> str | None:
        """Effective relevance, as :meth:`StateStore.relevance`."""
        return effective_relevance(note, self.records.get(note.id))
