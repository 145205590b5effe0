"""The vault: every note's metadata in memory, with a cache so a warm start is quick.

Bodies stay on disk; :meth:`Vault.body` reads one when it is shown, and the full-text index
(:mod:`tui.vault.engine`, on disk in the cache folder) is opened and brought up to date on
first use. :meth:`Vault.apply` (or ``prepare`` in a thread, then ``commit``) takes in files
that changed on disk; see :mod:`tui.vault.update`. The index follows with
:meth:`Vault.refresh_engine`, or by itself on its next use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from tui.text.links import Resolver, backlinks
from tui.text.notes import Note
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale
from tui.text.safe_open import TooLarge, read_regular
from tui.vault import update as reindex
from tui.vault.cache import (
    cache_path,
    head_notes,
    save_notes,
)
from tui.vault.cache import default_cache_dir as default_cache_dir  # where it used to live
from tui.vault.engine import TextIndex, TextQuery, note_key
from tui.vault.fulltext import SyncReport, index_dir, sync
from tui.vault.loader import (
    MAX_NOTE_BYTES,
    display_body,
    parse_bytes,
)
from tui.vault.parallel import collector_paused, load_entry, read_notes
from tui.vault.scan import FileEntry, scan
from tui.vault.update import PendingUpdate, VaultChange

Progress = Callable[[int, int], None]
# Removed notes remembered so a rename split over two updates is still recognised as one.
DEPARTED_KEPT = 64
SIMILAR_FLOOR = 0.25  # a similar note scores at least this share of the most similar one


class Vault:
    """A folder of notes, indexed. Build one with :meth:`Vault.open`."""

    def __init__(
        self,
        root: Path,
        notes: list[Note],
        problems: list[str],
        scale: RelevanceScale,
        *,
        links_resolved: bool = False,
    ) -> None:
        self.root = root
        self.notes = notes
        self.problems = problems
        self.scale = scale
        self.by_id = {note.id: note for note in notes}
        self.by_path = {note.path: note for note in notes}
        self.index_of = {note.id: i for i, note in enumerate(notes)}
        self._resolver: Resolver | None = None
        if not links_resolved:
            self.resolver.resolve_all(notes)
        self._backlinks: dict[str, list[str]] | None = None
        self._engine: TextIndex | None = None
        self._engine_dir: Path | None = None  # None: the full-text index lives in memory
        # Changes committed since the index last followed: (ids to look at, ids gone).
        self._engine_due: list[tuple[list[str], list[str]]] = []
        self._engine_lock = threading.Lock()
        self._keys: tuple[int, dict[int, int]] | None = None
        self.engine_follows_later = False
        """True when whoever commits updates also calls :meth:`refresh_engine` (in a thread),
        so using the index never waits for it to catch up: the reader's event loop."""
        self.engine_report: SyncReport | None = None
        """What the last bringing-up-to-date of the full-text index did."""
        self.stats: dict[str, int] = {}
        self.skip: tuple[str, ...] = ()
        """Folder names left out of the vault (as given to :meth:`open`)."""
        self.version = 0
        """Bumped by every committed update."""
        self.departed: list[Note] = []
        """Recently removed notes, oldest first, kept to recognise late halves of renames."""
        # (mtime_ns, size) of each file as indexed; an update re-reads a file when they differ.
        self._stamps: dict[str, tuple[int, int]] = {}
        self._cache_file: Path | None = None
        self.partial = False
        """True for :meth:`preview`'s stand-in: some notes only, nothing checked."""
        self.partial_note = ""
        """What a stand-in holds, for the status line ("newest 300 as last seen")."""
        # Held while the notes are swapped, so the index is never brought in line with a
        # half-swapped list.
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        scale: RelevanceScale = DEFAULT_SCALE,
        cache_dir: Path | None = None,
        use_cache: bool = True,
        skip: tuple[str, ...] = (),
        progress: Progress | None = None,
        arrived: Callable[[list[Note]], None] | None = None,
    ) -> Vault:
        """Index ``root``. Unchanged files come from the cache; the rest are read and parsed.

        ``arrived`` is handed the notes so far (a copy) every few thousand files parsed, so
        a first opening can list them as they come.
        """
        root = Path(root)
        if not root.is_dir():
            raise FileNotFoundError(f"vault folder not found: {root}")
        # Indexing allocates tens of thousands of long-lived objects; letting the collector
        # walk them again and again mid-load doubled the time of a warm start.
        with collector_paused():
            found = scan(root, skip)
            cache_file = cache_path(root, scale, cache_dir) if use_cache else None
            read = read_notes(found.files, cache_file, scale, root, progress, arrived)
            notes, fresh, gone = read.notes, read.fresh, read.gone
            total = len(found.files)
            # Link targets depend on every note's name, title and aliases: the cached
            # resolutions hold only when the set of files is exactly the cached one.
            unchanged = fresh == 0 and read.cached == total
            vault = cls(root, notes, found.problems, scale, links_resolved=unchanged)
        vault.stats = {"files": total, "parsed": fresh, "cached": total - fresh}
        vault.skip = tuple(skip)
        vault._stamps = {f.path: (f.mtime_ns, f.size) for f in found.files if f.path not in gone}
        vault._cache_file = cache_file
        vault._engine_dir = index_dir(root, cache_dir) if use_cache else None
        if not unchanged:
            vault.save_cache()
        return vault

    @classmethod
    def head(
        cls,
        root: Path,
        count: int,
        *,
        scale: RelevanceScale | None = None,
        cache_dir: Path | None = None,
    ) -> list[Note]:
        """The newest ``count`` notes as the cache last saw them, without looking at the
        folder: a few milliseconds whatever the vault's size. Empty without a usable cache."""
        return head_notes(cache_path(Path(root), scale or DEFAULT_SCALE, cache_dir), count)

    @classmethod
    def preview(cls, root: Path, notes: list[Note], scale: RelevanceScale, note: str = "") -> Vault:
        """A stand-in holding only ``notes`` (from :meth:`head`, or read so far) to list
        while the vault is opened: no cache is written for it, it finds no similar notes,
        and its links are as the notes had them (``note`` says what it holds)."""
        vault = cls(Path(root), notes, [], scale, links_resolved=True)
        vault.partial = True
        vault.partial_note = note
        return vault

    def save_cache(self) -> None:
        """Write the metadata cache (when the vault was opened with one); never raises."""
        if self._cache_file is None:
            return
        save_notes(self._cache_file, self.notes, self._stamps)

    # -- taking in changes on disk ----------------------------------------------------------

    def stamp(self, path: str) -> tuple[int, int] | None:
        """(mtime_ns, size) of the file at ``path`` when it was last read, if known."""
        return self._stamps.get(path)

    def read_entry(self, entry: FileEntry) -> Note | None:
        """A file's note (links not yet resolved), read now; None when the file has gone
        since it was seen."""
        return load_entry(entry, self.scale, self.root)

    def prepare(self, paths: Iterable[str] | None = None) -> PendingUpdate:
        """Read the files at ``paths`` (vault-relative; None: every file) without changing
        anything; safe in a thread while others read the vault. See :meth:`commit`."""
        return reindex.prepare(self, paths)

    def commit(self, pending: PendingUpdate) -> VaultChange:
        """Take in a prepared update (prepared again if another was committed since)."""
        if pending.version != self.version:
            pending = self.prepare(pending.paths)
        if not pending.change and pending.problems is None:
            return pending.change
        with self._lock:
            change = pending.change
            if not pending.indexed:
                self._engine_due.append(([*change.added, *change.changed], list(change.removed)))
            for link, target in pending.relinks:
                link.path = target
            self.notes = pending.notes
            self.by_id, self.by_path = pending.by_id, pending.by_path
            self.index_of = pending.index_of
            if pending.resolver is not None:
                self._resolver = pending.resolver
            self._backlinks = pending.backlinks
            for path in pending.removed:
                self._stamps.pop(path, None)
            self._stamps.update(pending.stamps)
            moved, present = pending.change.moved, self.by_id
            gone = [*self.departed, *pending.removed.values()]
            self.departed = [n for n in gone if n.id not in moved and n.id not in present]
            del self.departed[:-DEPARTED_KEPT]
            if pending.problems is not None:
                self.problems = pending.problems
            self.version += 1
        return pending.change

    def apply(self, paths: Iterable[str] | None = None) -> VaultChange:
        """Take in the files at ``paths`` as they are now on disk: added, changed or gone."""
        return self.commit(self.prepare(paths))

    @property
    def resolver(self) -> Resolver:
        """Link resolution over this vault's notes, built on first use."""
        if self._resolver is None:
            self._resolver = Resolver(self.notes)
        return self._resolver

    @property
    def backlinks(self) -> dict[str, list[str]]:
        """Map of note path to the paths of notes linking to it, built on first use."""
        if self._backlinks is None:
            self._backlinks = backlinks(self.notes)
        return self._backlinks

    @property
    def built_backlinks(self) -> dict[str, list[str]] | None:
        """The backlinks if they have been built, without building them."""
        return self._backlinks

    def find(self, key: str) -> Note | None:
        """A note by id or by vault-relative path."""
        key = key.strip().replace("\\", "/").removeprefix("./")
        return self.by_id.get(key) or self.by_path.get(key)

    def file_path(self, note: Note) -> Path:
        """The note's file on disk."""
        return self.root / note.path

    def body(self, note: Note, *, quiet: bool = False) -> str:
        """The note's cleaned body, read now from disk; problems go into ``note.problems``
        unless ``quiet`` (a glance at the body, such as a search excerpt, is no reading: a
        file caught mid-save must not mark the note as unreadable)."""
        try:
            data = read_regular(self.file_path(note), limit=MAX_NOTE_BYTES, root=self.root)
        except TooLarge:
            return ""
        except OSError as exc:
            message = f"cannot read the file now ({exc.strerror or exc})"
            if not quiet and message not in note.problems:
                note.problems.append(message)
            return ""
        return display_body(parse_bytes(data), note)

    # -- full text ------------------------------------------------------------------------

    @property
    def engine(self) -> TextIndex:
        """The full-text index, opened (or built) and brought up to date on first use.

        The first use reads every file the index does not hold yet, so call it from a
        thread where that matters; later uses only catch up with committed changes.
        """
        engine = self._engine
        if engine is not None and (not self._engine_due or self.engine_follows_later):
            return engine
        return self.refresh_engine()

    def refresh_engine(self, progress: Progress | None = None) -> TextIndex:
        """Bring the full-text index in line with the notes now; returns it."""
        with self._engine_lock:
            behind = self.engine_report is not None and not self.engine_report.written
            if self._engine is None or behind:
                # First use, or the last sync could not write (another process held the
                # index): compare everything.
                self._engine = self._engine or TextIndex(self._engine_dir)
                with self._lock:
                    notes, stamps = self.notes, dict(self._stamps)
                    self._engine_due.clear()
                self.engine_report = sync(self._engine, self.root, notes, stamps, progress=progress)
                return self._engine
            while self._engine_due:
                with self._lock:
                    looked, gone = self._engine_due.pop(0)
                    notes, stamps = self.notes, dict(self._stamps)
                self.engine_report = sync(
                    self._engine, self.root, notes, stamps, only=looked, gone=gone
                )
            return self._engine

    def index_pending(self, pending: PendingUpdate) -> None:
        """Bring the full-text index to the notes ``pending`` brings, before it is committed.

        For the thread that prepared the update: the reading and indexing happen there, and
        the commit (on the thread that reads the vault) finds the index already in step.
        Until then a search simply does not see the new notes yet. Does nothing while the
        index has not been opened (its first use will read everything anyway).
        """
        engine = self._engine
        if engine is None:
            return
        with self._lock:
            stamps = dict(self._stamps)
        for path in pending.removed:
            stamps.pop(path, None)
        stamps.update(pending.stamps)
        change = pending.change
        looked = [*change.added, *change.changed]
        with self._engine_lock:
            self.engine_report = sync(
                engine, self.root, pending.notes, stamps, only=looked, gone=change.removed
            )
        pending.indexed = self.engine_report.written

    @property
    def engine_due(self) -> bool:
        """Whether committed changes wait to reach the full-text index."""
        return bool(self._engine_due)

    def rebuild_engine(self, progress: Progress | None = None) -> TextIndex:
        """Throw the full-text index away and build it again from the files."""
        with self._engine_lock:
            engine = self._engine or TextIndex(self._engine_dir)
            self._engine = None
            engine.update((), list(engine.held()))
            self._engine = engine
            with self._lock:
                notes, stamps = self.notes, dict(self._stamps)
                self._engine_due.clear()
            self.engine_report = sync(engine, self.root, notes, stamps, progress=progress)
            return engine

    @property
    def engine_notice(self) -> str | None:
        """What to tell the user about the full-text index (rebuilt, shared), if anything."""
        return self._engine.notice if self._engine is not None else None

    @property
    def built_engine(self) -> TextIndex | None:
        """The full-text index if it has been opened, without opening it."""
        return self._engine

    @property
    def key_positions(self) -> dict[int, int]:
        """Index key -> position in :attr:`notes`, for turning engine hits into notes."""
        keys = self._keys
        if keys is None or keys[0] != self.version:
            keys = (self.version, {note_key(n.id): i for i, n in enumerate(self.notes)})
            self._keys = keys
        return keys[1]

    def text_hits(
        self, query: TextQuery, limit: int | None = None
    ) -> tuple[list[int], list[float]]:
        """Positions in :attr:`notes` of the notes matching ``query``, best first (the
        ``limit`` best, or all), and their scores."""
        keys, scores = self.engine.matches(query, limit)
        positions = list(map(self.key_positions.get, keys))
        if None in positions:  # a note removed since the index last followed
            kept = [(p, s) for p, s in zip(positions, scores, strict=True) if p is not None]
            return [p for p, _ in kept], [s for _, s in kept]
        return cast(list[int], positions), scores

    def similar(self, note: Note, limit: int = 5) -> list[Note]:
        """The notes of the vault most like ``note`` by their words, most alike first."""
        if self.partial:
            return []
        body = self.body(note)
        if not body.strip() and not note.title:
            return []
        positions, notes = self.key_positions, self.notes
        own = note_key(note.id)
        alike = self.engine.similar(note.title, body, limit)
        kept = [(positions[k], score) for k, score in alike if k != own and k in positions]
        # Far below the best, a note shares a stray common word, not a topic.
        found = [notes[at] for at, score in kept if score >= SIMILAR_FLOOR * kept[0][1]]
        return found[:limit]
