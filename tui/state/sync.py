"""Merging other copies of the reading state in: conflict copies, files named by a person.

Headless: nothing here imports textual or rich.

Every merge runs as one locked change of the state (see ``StateFile.change``): records merge
field by field (``tui.state.record``), so merging the same copy twice, or copies in any
order, ends in the same state. Afterwards the journal is folded, so the state file itself,
the one a sync engine carries to the other machines, holds the result.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.state.conflicts import find_copies, read_copy, set_aside
from tui.state.files import StateError, StateFile
from tui.state.journal import NOTES, CorruptFileError, Tree

META = "meta"
LAST_MERGE = "last_merge"


@dataclass(slots=True)
class Absorbed:
    """What one look for conflict copies did."""

    merged: list[Path] = field(default_factory=list)  # where the copies were moved to
    records: int = 0  # records that changed
    messages: list[str] = field(default_factory=list)


def merge_trees(
    file: StateFile,
    trees: Iterable[Mapping[str, Any]],
    *,
    device: str,
    sources: Iterable[str] = (),
    timeout: float | None = None,
) -> int:
    """Merge the note records of ``trees`` into the state; returns how many records changed.

    Raises StateError (read-only, lock busy, write failed) with nothing changed.
    """
    notes = [t.get(NOTES) for t in trees]
    names = list(sources)

    def mutate() -> int:
        changed: set[str] = set()
        for table in notes:
            if isinstance(table, Mapping):
                changed.update(file.storage.merge_in({NOTES: dict(table)}).get(NOTES, {}))
        tree = file.storage.read()
        stamp = {"at": round(time.time(), 3), "device": device, "from": names[:20]}
        tree.setdefault(META, {})[LAST_MERGE] = stamp
        file.storage.stage(META, {LAST_MERGE: stamp})
        return len(changed)

    count = file.change(mutate, timeout=timeout)
    fold(file, timeout=timeout)
    return count


def fold(file: StateFile, *, timeout: float | None = None) -> None:
    """Fold the journal into the state file now, so a sync engine carries every change."""
    with contextlib.suppress(OSError, StateError):
        file.change(file.storage.compact, timeout=timeout)


def absorb_copies(file: StateFile, device: Callable[[], str], *, timeout: float = 0.5) -> Absorbed:
    """Merge the conflict copies beside the state file, then move them to ``merged/``.

    ``device`` gives this machine's device id; it is only asked for when there are copies.
    """
    result = Absorbed()
    copies = find_copies(file.real, file.storage.journal_path)
    if not copies:
        return result
    if file.read_only:
        result.messages.append(
            f"{len(copies)} conflict copies of {file.path} were left as they are: the reading "
            "state is read-only, so they cannot be merged in."
        )
        return result
    trees: list[Tree] = []
    readable: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    for copy in copies:
        try:
            trees.append(read_copy(copy))
            readable.append(copy.path)
        except (OSError, CorruptFileError) as err:
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            unreadable.append((copy.path, reason))
    try:
        if trees:
            result.records = merge_trees(
                file,
                trees,
                device=device(),
                sources=(p.name for p in readable),
                timeout=timeout,
            )
        moved = set_aside([*readable, *(p for p, _ in unreadable)], file.real)
    except StateError as err:
        if timeout:  # a look that was not meant to wait says nothing and tries again later
            result.messages.append(f"Conflict copies were not merged yet: {err}")
        return result
    except OSError as err:
        result.messages.append(
            f"Conflict copies of {file.path} were merged but could not be moved to "
            f"merged/: {err.strerror or err}. Merging them again changes nothing."
        )
        return result
    result.merged = moved
    if readable:
        result.messages.append(
            f"Merged {len(readable)} conflict copies of {file.path} "
            f"({result.records} records changed); they were moved to {moved[0].parent}."
        )
    for path, reason in unreadable:
        result.messages.append(
            f"Conflict copy {path} could not be read ({reason}); it was moved, unchanged, "
            f"to {file.real.parent / 'merged'}."
        )
    return result


def last_merge(file: StateFile) -> Mapping[str, Any] | None:
    """When and from what the last merge was made, if one was."""
    meta = file.storage.read().get(META, {})
    value = meta.get(LAST_MERGE) if isinstance(meta, dict) else None
    return value if isinstance(value, dict) else None
