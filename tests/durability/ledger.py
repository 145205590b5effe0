"""What writers tried and what they acknowledged, checked against the files on disk.

A change is acknowledged once its writer said so (the CLI printed its line or exited 0,
the app driver printed ``ack`` after ``update_many`` returned). A change that was tried but
not acknowledged may or may not be on disk. So after a writer dies, each field must hold
its last acknowledged value or a value tried after it; anything else is a lost change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.durability.ondisk import read_state

Key = tuple[str, str]  # note id, field name
MISSING = "<never set>"
FIELDS = ("status", "starred", "relevance", "position")


@dataclass
class Ledger:
    """Per field of each note: the value it must hold, and values that may have replaced it."""

    acked: dict[Key, object] = field(default_factory=dict)
    pending: dict[Key, list[object]] = field(default_factory=dict)
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)

    def start_from(self, state: Path) -> None:
        """Take what is on disk now as acknowledged (e.g. before the first writer is killed)."""
        for note_id, doc in read_state(state).records.items():
            for name in FIELDS:
                if name in doc:
                    self.acked[(note_id, name)] = doc[name]

    def tried(self, note_id: str, fields: Mapping[str, object]) -> None:
        """A writer is about to change these fields."""
        for name, value in fields.items():
            self.pending.setdefault((note_id, name), []).append(value)

    def ack(self, note_id: str, fields: Mapping[str, object]) -> None:
        """A writer reported these fields saved."""
        self.acknowledged += 1
        for name, value in fields.items():
            self.acked[(note_id, name)] = value
            self.pending.pop((note_id, name), None)

    def check(self, state: Path, *, settle: bool = True) -> list[str]:
        """Fields whose acknowledged value is gone; with ``settle`` the files become the baseline.

        Settle only once every writer that tried a pending value is dead.
        """
        found = read_state(state)
        lost = [f"damaged: {problem}" for problem in found.damage]
        for key in sorted(set(self.acked) | set(self.pending)):
            note_id, name = key
            actual = found.records.get(note_id, {}).get(name, MISSING)
            allowed = [self.acked.get(key, MISSING), *self.pending.get(key, ())]
            if not any(_same(actual, value) for value in allowed):
                lost.append(f"{note_id}.{name} is {actual!r}, expected one of {allowed!r}")
            if settle:
                self.acked[key] = actual
                self.pending.pop(key, None)
        self.lost.extend(lost)
        return lost

    def changes_from(self, lines: Iterable[str]) -> int:
        """Feed ``try``/``ack`` lines printed by the app driver; returns how many acks."""
        count = 0
        for line in lines:
            kind, _, payload = line.partition(" ")
            if kind not in ("try", "ack"):
                continue
            for note_id, fields in _decode(payload):
                (self.tried if kind == "try" else self.ack)(note_id, fields)
            count += kind == "ack"
        return count


def _decode(payload: str) -> list[tuple[str, dict[str, Any]]]:
    import orjson

    return [(str(note_id), dict(fields)) for note_id, fields in orjson.loads(payload)]


def _same(actual: object, expected: object) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return float(actual) == float(expected)
    return actual == expected
