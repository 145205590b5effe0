"""One note's reading state as a per-field last-writer-wins register map.

Headless: nothing here imports textual or rich.

Every field (status, starred, relevance, position, before_archive) carries the time it was
set and the id of the device that set it. Two copies of a record merge field by field: the
later (time, device) wins, and equal stamps are settled by the value itself, so the merge of
any two records is commutative, associative and idempotent and keeps every field either side
set. The identity fields (vault-relative path, source URL, body fingerprint) come from the
copy whose identity was updated last (``seen``). A field whose stamp is missing (records
written before stamps, or edited by hand) is read with the lowest stamp: kept, but any real
change wins over it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from tui.text.notes import STATUSES

FIELDS = ("status", "starred", "relevance", "position", "before_archive")
# The statuses a note can leave the archive with (``before_archive``: what it was before).
UNARCHIVED = tuple(s for s in STATUSES if s != "archived")
# The device a field is stamped with when the record does not say (older files).
UNKNOWN_DEVICE = ""
# Stamps are kept to the millisecond; a change to a field always moves its stamp past the one
# it replaces by at least this much, so a clock that runs behind another machine's still
# orders a change after everything the device had seen when it made it.
TICK = 0.001

Stamp = tuple[float, str]  # time, device id


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


_INF = float("inf")


def _number(value: object) -> float | None:
    kind = type(value)
    if kind is float or kind is int:
        number = float(value)  # type: ignore[arg-type]
        if -_INF < number < _INF:  # finite only (NaN fails both)
            return number
    return None


def _field_value(name: str, value: object) -> tuple[bool, object]:
    """(valid, value) of field ``name`` holding ``value`` in a stored document."""
    if name == "status":
        return (type(value) is str and value in STATUSES), value
    if name == "starred":
        return (value is True or value is False), value
    if name == "before_archive":
        return (value is None or (type(value) is str and value in UNARCHIVED)), value
    if name == "relevance":
        if value is None or (type(value) is str and value):
            return True, value
        return value == "", None  # blank means cleared
    if value is None:
        return True, None
    number = _number(value)
    return (number is not None and number >= 0), number


def check_fields(fields: Mapping[str, object]) -> dict[str, object]:
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
        elif name == "before_archive":
            if value is not None and value not in UNARCHIVED:
                raise ValueError(f"before_archive must be one of {', '.join(UNARCHIVED)} or None")
            clean[name] = value
        else:
            raise ValueError(f"unknown state field {name!r}; expected one of {', '.join(FIELDS)}")
    return clean


@dataclass(slots=True)
class Record:
    """What the store knows about one note, and when and where each field was set."""

    id: str
    path: str = ""
    source: str = ""
    fingerprint: str = ""
    status: str | None = None
    starred: bool = False
    relevance: str | None = None
    position: float | None = None
    # The status the note had when it was last archived, so unarchiving gives it back on
    # any machine and after a restart. A register like the others: it merges on its own.
    before_archive: str | None = None
    stamps: dict[str, float] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)
    seen: float = 0.0  # when path, source or fingerprint were last updated

    def has(self, name: str) -> bool:
        """True if ``name`` was ever set in the store (even to None)."""
        return name in self.stamps

    def stamp(self, name: str) -> Stamp:
        """The (time, device) field ``name`` was set at; (0, "") if never."""
        return (self.stamps.get(name, 0.0), self.devices.get(name, UNKNOWN_DEVICE))

    def last_used(self) -> float:
        """The latest time any field was set."""
        return max(self.stamps.values(), default=0.0)

    def identity_time(self) -> float:
        """When the identity fields were last updated (older records: last use)."""
        return max(self.seen, self.last_used())

    def identify(self, path: str, source: str, fingerprint: str, now: float) -> bool:
        """Update the identity fields; False if they were already these."""
        if (self.path, self.source, self.fingerprint) == (path, source, fingerprint):
            return False
        self.path, self.source, self.fingerprint = path, source, fingerprint
        self.seen = max(now, round(self.identity_time() + TICK, 3))
        return True

    @classmethod
    def from_doc(cls, note_id: str, doc: Mapping[str, Any]) -> Record:
        """Build a record from stored JSON; a value of the wrong type is left out.

        A valid value without a stamp is kept with the lowest stamp, never dropped.
        """
        # Called for every record on every full read, so it avoids work where it can.
        get = doc.get
        stamps = get("stamps")
        if type(stamps) is not dict:
            stamps = {}
        devices = get("by")
        if type(devices) is not dict:
            devices = {}
        path, source, fingerprint = get("path"), get("source"), get("fingerprint")
        seen = get("seen")
        rec = cls(
            note_id,
            path if type(path) is str else "",
            source if type(source) is str else "",
            fingerprint if type(fingerprint) is str else "",
            seen=max(_number(seen) or 0.0, 0.0) if seen is not None else 0.0,
        )
        rec_stamps, rec_devices = rec.stamps, rec.devices
        for name in FIELDS:
            if name not in doc:
                continue
            valid, value = _field_value(name, doc[name])
            if not valid:
                continue
            when = _number(stamps.get(name))
            rec_stamps[name] = 0.0 if when is None else when
            by = devices.get(name)
            if type(by) is str and by:
                rec_devices[name] = by
            setattr(rec, name, value)
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
        doc["stamps"] = {k: self.stamps[k] for k in FIELDS if k in self.stamps}
        by = {k: self.devices[k] for k in FIELDS if k in self.stamps and self.devices.get(k)}
        if by:
            doc["by"] = by
        if self.seen:
            doc["seen"] = self.seen
        return doc

    def set(self, name: str, value: object, now: float, device: str) -> bool:
        """Set field ``name`` here, stamped after whatever it held; False if nothing changed."""
        if self.has(name) and getattr(self, name) == value:
            return False  # the same value keeps its original stamp and costs no write
        previous = self.stamps.get(name)
        when = now if previous is None else max(now, round(previous + TICK, 3))
        setattr(self, name, value)
        self.stamps[name] = when
        self.devices[name] = device
        return True


def _order(rec: Record, name: str) -> tuple[float, str, bytes]:
    # The value breaks a tie of stamps so that merging never depends on the order of sides.
    return (*rec.stamp(name), orjson.dumps(getattr(rec, name)))


def _identity(rec: Record) -> tuple[float, str, str, str]:
    return (rec.identity_time(), rec.path, rec.source, rec.fingerprint)


def merge_records(a: Record, b: Record) -> Record:
    """The per-field last-writer-wins merge of two copies of one note's record."""
    ident = a if _identity(a) >= _identity(b) else b
    out = Record(a.id, path=ident.path, source=ident.source, fingerprint=ident.fingerprint)
    out.seen = max(a.seen, b.seen)
    for name in FIELDS:
        sides = [r for r in (a, b) if r.has(name)]
        if not sides:
            continue
        win = max(sides, key=lambda r: _order(r, name))
        setattr(out, name, getattr(win, name))
        out.stamps[name] = win.stamps[name]
        if win.devices.get(name):
            out.devices[name] = win.devices[name]
    return out


def merge_docs(
    note_id: str, a: Mapping[str, Any] | None, b: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Merge two stored documents of ``note_id`` (either may be missing)."""
    if a is None or b is None:
        one = a if a is not None else b
        assert one is not None
        return Record.from_doc(note_id, one).to_doc()
    newer = _superseding(a, b)
    if newer is not None:
        return newer.to_doc()
    return merge_records(Record.from_doc(note_id, a), Record.from_doc(note_id, b)).to_doc()


def _raw_stamps(doc: Mapping[str, Any]) -> dict[str, float] | None:
    stamps = doc.get("stamps", {})
    if type(stamps) is not dict or not all(_number(v) is not None for v in stamps.values()):
        return None
    return stamps


def _superseding(a: Mapping[str, Any], b: Mapping[str, Any]) -> Record | None:
    """``b`` as a record when it wins every field of ``a`` outright, else None.

    The common case when a journal is replayed over its own snapshot: each line was made
    from the record before it, with later stamps. Then ``b`` alone is the merge, and ``a``
    need not be read field by field. Anything less clear-cut (equal stamps, a field only
    ``a`` has, a stamp that is not a number) takes the full merge.
    """
    old, new = _raw_stamps(a), _raw_stamps(b)
    if old is None or new is None:
        return None
    for name, when in old.items():
        if name in FIELDS and (name not in new or not new[name] > when):
            return None
    if any(name in a and name not in old for name in FIELDS):
        return None  # a value without a stamp in ``a`` only: the full merge keeps it
    seen = _number(a.get("seen", 0.0))
    if seen is None:
        return None
    rec = Record.from_doc("", b)
    if rec.identity_time() <= max(seen, max(old.values(), default=0.0)):
        return None
    if not all(name in rec.stamps for name in old if name in FIELDS):
        return None  # one of ``b``'s values is unusable: the full merge decides
    rec.seen = max(rec.seen, seen)
    return rec


def merge_tables(
    into: dict[str, dict[str, Any]], other: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Merge the documents of ``other`` into ``into`` (a table by id); returns changed ids."""
    changed: list[str] = []
    for note_id, doc in other.items():
        if not isinstance(note_id, str) or not isinstance(doc, Mapping):
            continue
        mine = into.get(note_id)
        merged = merge_docs(note_id, mine, doc)
        if merged != mine:
            into[note_id] = merged
            changed.append(note_id)
    return changed
