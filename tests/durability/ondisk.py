"""Read the state files the way a crash-recovery check must: independently of the store.

The snapshot must parse as a whole. Every journal line must parse, except a last line
without its newline (an append that was never acknowledged). The records are the snapshot
with every complete journal line applied in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson


@dataclass
class OnDisk:
    """The records found on disk and anything wrong with the files."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    damage: list[str] = field(default_factory=list)
    torn_tail: bool = False


def read_state(path: Path) -> OnDisk:
    """The records held by the snapshot at ``path`` plus its journal."""
    found = OnDisk()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    if raw.strip():
        try:
            tree = orjson.loads(raw)
        except orjson.JSONDecodeError as err:
            found.damage.append(f"{path.name} does not parse: {err}")
            tree = {}
        if isinstance(tree, dict):
            notes = tree.get("notes", {})
            found.records.update(notes if isinstance(notes, dict) else {})
        else:
            found.damage.append(f"{path.name} is not an object")
    journal = path.with_name(path.name + ".journal")
    try:
        lines = journal.read_bytes().split(b"\n")
    except FileNotFoundError:
        lines = [b""]
    found.torn_tail = lines[-1] != b""
    for number, line in enumerate(lines[:-1], start=1):
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError as err:
            found.damage.append(f"journal line {number} does not parse: {err}")
            continue
        for doc_id, doc in (entry.get("notes") or {}).items():
            if doc is None:
                found.records.pop(doc_id, None)
            else:
                found.records[doc_id] = doc
    return found


def temp_files(directory: Path) -> list[str]:
    """Temporary files a writer left behind in ``directory``."""
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))
