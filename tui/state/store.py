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

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from tui.state.files import StateError, StateFile
from tui.text.notes import STATUSES, Note

__all__ = [
    "FIELDS",
    "STATUSES",
    "Record",
    "StateError",
    "StateStore",
    "normalise_status",
]

FIELDS = ("status", "starred", "relevance", "position")


def normalise_status(raw: object) -> str:
    """A valid status for a front-matter value: unknown or missing means ``unread``."""
    text = str(raw).strip().lower() if isinstance(raw, str) else ""
    return text if text in STATUSES else "unread"


@dataclass(slots=True)
class Record:
    """What the store knows about one note, and when each field was set."""

    id: str
    path: str = ""
    source: str = ""
    fingerprint: str = ""
    status: str | None = None
    starred: bool = False
    relevance: str | None = None
    position: float | None = None
    stamps: dict[str, float] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """True if ``name`` was ever set in the store (even to None)."""
        return name in self.stamps

    @classmethod
    def from_doc(cls, note_id: str, doc: Mapping[str, Any]) -> Record:
        """Build a record from stored JSON, ignoring any value of the wrong type."""
        stamps = doc.get("stamps")
        rec = cls(
            id=note_id,
            path=_text(doc.get("path")),
            source=_text(doc.get("source")),
            fingerprint=_text(doc.get("fingerprint")),
            stamps={
                k: float(v)
                for k, v in (stamps.items() if isinstance(stamps, dict) else ())
                if k in FIELDS and isinstance(v, int | float) and not isinstance(v, bool)
            },
        )
        status = doc.get("status")
        if status in STATUSES:
            rec.status = status
        else:
            rec.stamps.pop("status", None)
        rec.starred = doc.get("starred") is True
        relevance = doc.get("relevance")
        rec.relevance = relevance if isinstance(relevance, str) and relevance else None
        position = doc.get("position")
        if isinstance(position, int | float) and not isinstance(position, bool):
            rec.position = float(position)
        return rec

    def to_doc(self) -> dict[str, Any]:
        """The JSON form: identity fields always, other fields only once set."""
        doc: dict[str, Any] = {
            "path": self.path,
            "source": self.source,
            "fingerprint": self.fingerprint,
        }
        for name in FIELDS:
            if name in self.stamps:
                doc[name] = getattr(self, name)
        doc["stamps"] = dict(self.stamps)
        return doc


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _check_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """Validated, normalised copies of the fields of one change; ValueError if bad."""
    clean: dict[str, object] = {}
    for name, value in fields.items():
        if name == "status":
            if value not in STATUSES:
                raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {value!r}")
            clean[name] = value
        elif name == "starred":
            if not isinstance(value, bool):
                raise ValueError(f"starred must be True or False, not {value!r}")
            clean[name] = value
        elif name == "relevance":
            if isinstance(value, str):
                clean[name] = value.strip() or None  # blank means "cleared"
            elif value is None:
                clean[name] = None
            else:
                raise ValueError(f"relevance must be a level name or None, not {value!r}")
        elif name == "position":
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ValueError(f"position must be a number, not {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"position must be finite and >= 0, not {value!r}")
            clean[name] = float(value)
        else:
            raise ValueError(f"unknown state field {name!r}; expected one of {', '.join(FIELDS)}")
    return clean


def _apply(rec: Record, note: Note, fields: Mapping[str, object], now: float) -> bool:
    """Apply one change to ``rec``; True if anything differs from before."""
    changed = False
    for name, current in (
        ("path", note.path),
        ("source", note.source),
        ("fingerprint", note.fingerprint),
    ):
        if getattr(rec, name) != current:
            setattr(rec, name, current)
            changed = True
    for name, value in fields.items():
        if rec.has(name) and getattr(rec, name) == value:
            continue  # re-setting the same value keeps its original time and costs no write
        setattr(rec, name, value)
        rec.stamps[name] = now
        changed = True
    return changed


def _last_set(rec: Record) -> float:
    return max(rec.stamps.values(), default=0.0)


def _plan_moves(records: Mapping[str, Record], notes: Sequence[Note]) -> list[tuple[Record, Note]]:
    """Pair records whose note is gone with the note they most likely became.

    A record follows a note without a record that has the same source URL, else the same
    body fingerprint. A match that is not unique is left alone rather than guessed; the
    most recently used record claims a note first.
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
    return moves


class StateStore:
    """The reading state of a vault, durable on every change and safe to share between processes.

    ``messages`` lists what a person should be told about the files (moved aside because they
    were damaged, or read-only). Reads serve an in-memory copy refreshed whenever the files
    changed.
    """

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        """Open the store at ``path``."""
        self.path = Path(path)
        self._file = StateFile(self.path, read_only=read_only)
        self._table = self._file.table

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
        checked = [(note, _check_fields(fields)) for note, fields in changes]
        if not checked:
            return []

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
                if _apply(rec, note, fields, now):
                    changed[note.id] = None
            self._table.put({i: records[i].to_doc() for i in changed})
            return [records[note.id] for note, _ in checked]

        return self._file.change(mutate)

    def reconcile(self, notes: Sequence[Note]) -> int:
        """Move records of renamed or moved notes to their new ids; returns how many moved.

        Returns 0 without looking further when the store is read-only.
        """
        if self.read_only or not _plan_moves(self.all(), notes):
            return 0

        def mutate() -> int:
            moves = _plan_moves(self.all(), notes)
            old_ids = [rec.id for rec, _ in moves]
            for rec, note in moves:
                rec.id, rec.path = note.id, note.path
                rec.source, rec.fingerprint = note.source, note.fingerprint
            self._table.put({rec.id: rec.to_doc() for rec, _ in moves}, drop=old_ids)
            return len(moves)

        return self._file.change(mutate)

    def status(self, note: Note) -> str:
        """Effective status: the stored one once set, else the front matter's (default unread)."""
        return effective_status(note, self.get(note.id))

    def starred(self, note: Note) -> bool:
        """Whether the note is starred."""
        return effective_starred(self.get(note.id))

    def relevance(self, note: Note) -> str | None:
        """Effective relevance: the stored one once set (None = cleared), else front matter's."""
        return effective_relevance(note, self.get(note.id))

    def position(self, note: Note) -> float | None:
        """The saved reading position, or None."""
        rec = self.get(note.id)
        return None if rec is None else rec.position

    def snapshot(self) -> StateSnapshot:
        """The effective values of every note, answered from one read of the records.

        Filtering, counting and listing ask about every note; asking the store each time
        would check the file for changes once per note.
        """
        return StateSnapshot(self.all())

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

    def status(self, note: Note) -> str:
        """Effective status, as :meth:`StateStore.status`."""
        return effective_status(note, self.records.get(note.id))

    def starred(self, note: Note) -> bool:
        """Whether starred, as :meth:`StateStore.starred`."""
        return effective_starred(self.records.get(note.id))

    def relevance(self, note: Note) -> str | None:
        """Effective relevance, as :meth:`StateStore.relevance`."""
        return effective_relevance(note, self.records.get(note.id))
