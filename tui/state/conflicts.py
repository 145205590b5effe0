"""Conflict copies that sync engines leave beside the state file, read and set aside.

Headless: nothing here imports textual or rich.

When two machines changed a synced file since they last agreed, the sync engine keeps one
version under the file's name and the other under a new name beside it:

- Syncthing: ``state.sync-conflict-20260102-101112-ABCDEF7.json`` (and
  ``state.json.sync-conflict-….journal`` for the journal);
- Nextcloud and ownCloud desktop: ``state (conflicted copy 2026-01-02 101112).json``, and
  ownCloud's older ``state_conflict-20260102-101112.json``;
- Dropbox: ``state (Ana's conflicted copy 2026-01-02).json``, maybe with `` (1)`` after it.

Each copy is read like the file it copies (a snapshot or a journal), merged in, and then moved
into ``merged/`` beside the state file: kept, never deleted, and never read twice.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from tui.state.durable import fsync_dir, read_regular
from tui.state.journal import CorruptFileError, Entry, Tree, apply_entry, check_tree

MERGED_DIR = "merged"
_MARK = (
    r"(?:\.sync-conflict-\d{8}-\d{6}-[A-Za-z0-9]+"  # Syncthing
    r"| \([^()/\\]{0,200}conflicted copy[^()/\\]{0,200}\)"  # Nextcloud, ownCloud, Dropbox
    r"|_conflict-\d{8}-\d{6})"  # older ownCloud
    r"(?: \(\d{1,4}\))?"  # a second copy of the same name
)


@dataclass(frozen=True, slots=True)
class Copy:
    """A conflict copy: where it is, and whether it copies the snapshot or the journal."""

    path: Path
    journal: bool


def _pattern(name: str) -> re.Pattern[str]:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    else:
        ext = "." + ext
    return re.compile(re.escape(stem) + _MARK + re.escape(ext) + "$")


def find_copies(state: Path, journal: Path) -> list[Copy]:
    """Conflict copies of ``state`` and ``journal`` in their folder, oldest name first."""
    snapshot_re, journal_re = _pattern(state.name), _pattern(journal.name)
    found: list[Copy] = []
    try:
        with os.scandir(state.parent) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue  # a sync engine's or our own temporary file
                if journal_re.match(name):
                    found.append(Copy(Path(entry.path), journal=True))
                elif snapshot_re.match(name):
                    found.append(Copy(Path(entry.path), journal=False))
    except OSError:
        return []
    return sorted(found, key=lambda c: c.path.name)


def read_copy(copy: Copy) -> Tree:
    """The document tree a copy holds; OSError or CorruptFileError if it cannot be read."""
    return read_state_bytes(read_regular(copy.path), journal=copy.journal)


def read_state_bytes(raw: bytes, *, journal: bool | None = None) -> Tree:
    """The tree in a snapshot's or a journal's bytes (``journal=None``: tell by the bytes).

    A journal's torn last line is left out, as the journal itself does; any other line that
    does not parse makes the whole copy unreadable, so it is kept aside untouched.
    """
    if journal is None:
        try:
            return check_tree(orjson.loads(raw)) if raw.strip() else {}
        except (orjson.JSONDecodeError, CorruptFileError) as err:
            if b"\n" not in raw:  # a journal is whole lines; this is a damaged snapshot
                raise CorruptFileError(f"not valid JSON: {err}") from err
            journal = True
    if not journal:
        try:
            return check_tree(orjson.loads(raw)) if raw.strip() else {}
        except orjson.JSONDecodeError as err:
            raise CorruptFileError(f"not valid JSON: {err}") from err
    tree: Tree = {}
    end = raw.rfind(b"\n") + 1
    for number, line in enumerate(raw[:end].split(b"\n")[:-1], start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as err:
            raise CorruptFileError(f"line {number}: not valid JSON: {err}") from err
        apply_entry(tree, _as_entry(data, number))
    return tree


def _as_entry(data: object, number: int) -> Entry:
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptFileError(f"line {number}: not a JSON object of tables")
    for table in data.values():
        if not all(doc is None or isinstance(doc, dict) for doc in table.values()):
            raise CorruptFileError(f"line {number}: a document is neither an object nor null")
    return data


def set_aside(copies: Iterable[Path], state: Path) -> list[Path]:
    """Move ``copies`` into ``merged/`` beside ``state``, never over an existing file."""
    folder = state.parent / MERGED_DIR
    folder.mkdir(exist_ok=True)
    moved: list[Path] = []
    for path in copies:
        for n in range(1000):
            target = folder / (path.name if n == 0 else f"{path.name}.{n}")
            try:
                # link() refuses an existing target, so an earlier copy is never replaced.
                os.link(path, target)
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links
                if target.exists():
                    continue
                os.rename(path, target)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            moved.append(target)
            break
    with contextlib.suppress(OSError):
        fsync_dir(folder)
        fsync_dir(state.parent)
    return moved


def merged_copies(state: Path) -> list[Path]:
    """The copies already merged and kept in ``merged/``, newest first."""
    folder = state.parent / MERGED_DIR
    try:
        entries = [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []
    return sorted(entries, key=lambda p: p.stat().st_mtime, reverse=True)
