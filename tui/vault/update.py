"""Keeping an open vault in step with its folder: the files that changed, read again.

The work is split so a reader never waits on the disk. :func:`prepare` stats and parses the
files and works out the vault's next note list and link targets; it only reads
the vault, so it can run in a thread. :meth:`Vault.commit` swaps the result in, which is cheap,
and belongs wherever the vault is read. One update at a time may sit between the two.

A rename reaches us as a removal and an addition, in one batch or in two. It is recognised the
way the state store recognises one (same source URL, else same body fingerprint), so callers
can move what they hold for the old id to the new one.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.text.links import NOTE_SUFFIXES, Resolver
from tui.text.notes import Link, Note
from tui.vault.scan import FileEntry, scan

if TYPE_CHECKING:
    from tui.vault.index import Vault


@dataclass(slots=True)
class VaultChange:
    """What one update did, by note id. A moved note is in ``removed`` and ``added`` too."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)  # old id -> new id

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(slots=True)
class PendingUpdate:
    """An update worked out by :func:`prepare`, waiting for :func:`commit`."""

    version: int
    paths: tuple[str, ...] | None  # None: the whole folder was looked at
    change: VaultChange
    notes: list[Note]  # the note list after the update, sorted by path like a scan
    by_id: dict[str, Note]
    by_path: dict[str, Note]
    index_of: dict[str, int]
    fresh: dict[str, Note]  # path -> note read now
    removed: dict[str, Note]  # path -> note that is gone
    stamps: dict[str, tuple[int, int]]  # path -> (mtime_ns, size) of each fresh note
    relinks: list[tuple[Link, str | None]]  # links of unchanged notes that now point elsewhere
    backlinks: dict[str, list[str]] | None  # the vault's backlinks after the update, if built
    resolver: Resolver | None  # a new resolver when the set of names changed
    problems: list[str] | None  # the scan's messages, after a whole-folder look
    indexed: bool = False  # the full-text index already holds what this update brings


def is_note_path(rel: str, skip: Iterable[str] = ()) -> bool:
    """Whether vault-relative ``rel`` names a note a scan would list (by name alone)."""
    parts = rel.split("/")
    if not rel or any(not p or p.startswith(".") or p == ".." for p in parts):
        return False
    skipped = {name.lower() for name in skip}
    if any(p.lower() in skipped for p in parts[:-1]):
        return False
    return parts[-1].lower().endswith(NOTE_SUFFIXES)


def prepare(vault: Vault, paths: Iterable[str] | None) -> PendingUpdate:
    """Read what changed among ``paths`` (vault-relative; None: look at every file)."""
    if paths is None:
        found = scan(vault.root, vault.skip)
        entries: dict[str, FileEntry | None] = {f.path: f for f in found.files}
        wanted: tuple[str, ...] | None = None
        candidates = sorted(set(entries) | set(vault.by_path))
        # Only new messages are news: an update with nothing else in it leaves the vault be.
        problems: list[str] | None = found.problems if found.problems != vault.problems else None
    else:
        wanted = tuple(sorted({p for p in paths if is_note_path(p, vault.skip)}))
        real_root = os.path.realpath(vault.root)
        entries = {p: _stat(vault.root, real_root, p) for p in wanted}
        candidates, problems = list(wanted), None
    change = VaultChange()
    fresh: dict[str, Note] = {}
    removed: dict[str, Note] = {}
    stamps: dict[str, tuple[int, int]] = {}
    for path in candidates:
        old, entry = vault.by_path.get(path), entries.get(path)
        if entry is not None:
            stamp = (entry.mtime_ns, entry.size)
            if old is not None and vault.stamp(path) == stamp:
                continue
            read = vault.read_entry(entry)
            if read is not None:
                fresh[path], stamps[path] = read, stamp
                (change.changed if old is not None else change.added).append(read.id)
                continue
        # Gone: deleted, or deleted between being seen and being read.
        if old is not None:
            removed[path] = old
            change.removed.append(old.id)
    notes = _next_notes(vault, fresh, removed, bool(change.added))
    if removed or change.added:
        by_id = {n.id: n for n in notes}
        by_path = {n.path: n for n in notes}
        index_of = {n.id: i for i, n in enumerate(notes)}
    else:
        by_id, by_path, index_of = dict(vault.by_id), dict(vault.by_path), vault.index_of
        for note in fresh.values():
            by_id[note.id] = by_path[note.path] = note
    resolver, relinks, relinked = _relink(vault, notes, fresh, removed)
    backlinks = _next_backlinks(vault, fresh, removed, relinks, relinked)
    arrived = [fresh[p] for p in fresh if p not in vault.by_path]
    change.moved = match_moves([*vault.departed, *removed.values()], arrived)
    return PendingUpdate(
        version=vault.version,
        paths=wanted,
        change=change,
        notes=notes,
        by_id=by_id,
        by_path=by_path,
        index_of=index_of,
        fresh=fresh,
        removed=removed,
        stamps=stamps,
        relinks=relinks,
        backlinks=backlinks,
        resolver=resolver,
        problems=problems,
    )


def _stat(root: os.PathLike[str], real_root: str, rel: str) -> FileEntry | None:
    """The file at ``rel`` as a scan would list it, or None when it is not a listable note."""
    try:
        real = os.path.realpath(os.path.join(root, rel))
        if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
            return None  # a link out of the vault, as in scan()
        info = os.stat(real)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return FileEntry(rel, real, info.st_mtime_ns, info.st_size)


def _next_notes(
    vault: Vault, fresh: dict[str, Note], removed: dict[str, Note], grows: bool
) -> list[Note]:
    if not removed and not grows:
        notes = list(vault.notes)
        for path, note in fresh.items():
            notes[vault.index_of[vault.by_path[path].id]] = note
        return notes
    by_path = {p: n for p, n in vault.by_path.items() if p not in removed}
    by_path.update(fresh)
    return [by_path[p] for p in sorted(by_path)]


def _names(note: Note) -> tuple[str, ...]:
    """What other notes' links can resolve to this one by."""
    stem = posixpath.basename(_bare(note.path))
    return (stem, note.title.strip().lower(), *(a.strip().lower() for a in note.aliases))


def _bare(target: str) -> str:
    wanted = target.strip().replace("\\", "/").lower()
    for suffix in NOTE_SUFFIXES:
        if wanted.endswith(suffix):
            wanted = wanted[: -len(suffix)]
            break
    return wanted.strip("/")


def _relink(
    vault: Vault, notes: list[Note], fresh: dict[str, Note], removed: dict[str, Note]
) -> tuple[Resolver | None, list[tuple[Link, str | None]], set[str]]:
    """Resolve the fresh notes' links, and find other links whose target now resolves anew.

    Returns the resolver to keep (None: the old one holds), the links to point elsewhere, and
    the paths of the notes holding them.
    """
    touched: set[str] = set()
    for note in removed.values():
        touched.update(_names(note))
    for path, note in fresh.items():
        old = vault.by_path.get(path)
        if old is None or _names(old) != _names(note):
            touched.update(_names(note))
            touched.update(_names(old) if old is not None else ())
    if not touched:
        # Same names as before: only the fresh notes' own links need resolving.
        vault.resolver.resolve_all(fresh.values())
        return None, [], set()
    resolver = Resolver(notes)
    resolver.resolve_all(fresh.values())
    relinks: list[tuple[Link, str | None]] = []
    relinked: set[str] = set()
    memo: dict[str, str | None] = {}
    for note in notes:
        if note.path in fresh:
            continue
        for link in note.links:
            target = link.target
            if not target:
                continue
            if target not in memo:
                bare = _bare(target)
                hit = bare in touched or posixpath.basename(bare) in touched
                memo[target] = resolver.resolve(target) if hit else link.path
            if memo[target] != link.path:
                relinks.append((link, memo[target]))
                relinked.add(note.path)
    return resolver, relinks, relinked


def _targets(note: Note | None, planned: dict[int, str | None]) -> set[str]:
    """Paths ``note`` links to (itself aside), with ``planned`` link changes applied."""
    if note is None:
        return set()
    found = (planned.get(id(k), k.path) for k in note.links)
    return {path for path in found if path is not None and path != note.path}


def _next_backlinks(
    vault: Vault,
    fresh: dict[str, Note],
    removed: dict[str, Note],
    relinks: list[tuple[Link, str | None]],
    relinked: set[str],
) -> dict[str, list[str]] | None:
    """The backlinks after the update, worked out from what changed (rebuilding them all costs
    ~100 ms at 10k notes); None when the vault has not built them yet."""
    old = vault.built_backlinks
    if old is None:
        return None
    planned = {id(link): path for link, path in relinks}
    backlinks = dict(old)  # lists are replaced, never changed: the old dict is still in use
    for source in {*fresh, *removed, *relinked}:
        before = _targets(vault.by_path.get(source), planned={})
        now = fresh[source] if source in fresh else vault.by_path.get(source)
        after = _targets(None if source in removed else now, planned)
        for target in before - after:
            left = [s for s in backlinks.get(target, ()) if s != source]
            if left:
                backlinks[target] = left
            else:
                backlinks.pop(target, None)
        for target in after - before:
            backlinks[target] = sorted({*backlinks.get(target, ()), source})
    return backlinks


def match_moves(gone: Sequence[Note], arrived: Sequence[Note]) -> dict[str, str]:
    """Pair notes that went with notes that came: same source URL, else same body, if unique."""
    if not gone or not arrived:
        return {}
    moves: dict[str, str] = {}
    claimed: set[str] = set()
    for old in reversed(gone):  # the latest departure has the best claim
        found = [n for n in arrived if old.source and n.source == old.source]
        if len(found) > 1:
            found = [n for n in found if n.fingerprint == old.fingerprint]
        if not found:
            found = [n for n in arrived if n.fingerprint == old.fingerprint]
        found = [n for n in found if n.id not in claimed]
        if len(found) == 1 and old.id != found[0].id:
            claimed.add(found[0].id)
            moves[old.id] = found[0].id
    return moves
