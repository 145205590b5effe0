"""The vault: every note's metadata in memory, with a cache so a warm start is quick.

Bodies stay on disk; :meth:`Vault.body` reads one when it is shown, and the search text
(lowercased bytes, compact) is built on first use. :meth:`Vault.apply` (or ``prepare`` in a
thread, then ``commit``) takes in files that changed on disk; see :mod:`tui.vault.update`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.text.links import Resolver, backlinks
from tui.text.notes import Note
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale
from tui.text.safe_open import TooLarge, read_regular
from tui.vault import update as reindex
from tui.vault.cache import cache_path, cached_note, note_to_json, read_cache, write_cache
from tui.vault.cache import default_cache_dir as default_cache_dir  # where it used to live
from tui.vault.loader import MAX_NOTE_BYTES, build_note, display_body, fold, parse_bytes, too_large
from tui.vault.scan import FileEntry, scan
from tui.vault.search import SearchText
from tui.vault.update import PendingUpdate, VaultChange

Progress = Callable[[int, int], None]
# Removed notes remembered so a rename split over two updates is still recognised as one.
DEPARTED_KEPT = 64


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
        self._search: SearchText | None = None
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
        # Held while the notes are swapped, so a search text built in another thread from
        # the old list is never installed over the new one.
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
    ) -> Vault:
        """Index ``root``. Unchanged files come from the cache; the rest are read and parsed."""
        root = Path(root)
        if not root.is_dir():
            raise FileNotFoundError(f"vault folder not found: {root}")
        # Indexing allocates tens of thousands of long-lived objects; letting the collector
        # walk them again and again mid-load doubled the time of a warm start.
        with _collector_paused():
            found = scan(root, skip)
            cache_file = cache_path(root, scale, cache_dir) if use_cache else None
            cached = read_cache(cache_file) if cache_file else {}
            cached_count = len(cached)
            notes: list[Note] = []
            fresh = 0
            total = len(found.files)
            gone: set[str] = set()
            for i, entry in enumerate(found.files):
                # Popped, so each row's memory is reused for the notes as they are made.
                note = cached_note(entry, cached.pop(entry.path, None))
                if note is None:
                    note = _load_entry(entry, scale, root)
                    fresh += 1
                    if progress and fresh % 256 == 0:
                        progress(i, total)
                    if note is None:
                        gone.add(entry.path)  # deleted while the vault was being read
                        continue
                notes.append(note)
            if progress:
                progress(total, total)
            # Link targets depend on every note's name, title and aliases: the cached
            # resolutions hold only when the set of files is exactly the cached one.
            unchanged = fresh == 0 and cached_count == total
            del cached
            vault = cls(root, notes, found.problems, scale, links_resolved=unchanged)
        vault.stats = {"files": total, "parsed": fresh, "cached": total - fresh}
        vault.skip = tuple(skip)
        vault._stamps = {f.path: (f.mtime_ns, f.size) for f in found.files if f.path not in gone}
        vault._cache_file = cache_file
        if not unchanged:
            vault.save_cache()
        return vault

    def save_cache(self) -> None:
        """Write the metadata cache (when the vault was opened with one); never raises."""
        if self._cache_file is None:
            return
        notes, stamps = self.notes, self._stamps
        rows = {n.path: [*stamps[n.path], note_to_json(n)] for n in notes if n.path in stamps}
        write_cache(self._cache_file, rows)

    # -- taking in changes on disk ----------------------------------------------------------

    def stamp(self, path: str) -> tuple[int, int] | None:
        """(mtime_ns, size) of the file at ``path`` when it was last read, if known."""
        return self._stamps.get(path)

    def read_entry(self, entry: FileEntry) -> tuple[Note, bytes] | None:
        """A file's note (links not yet resolved) and its search text, read now; None when
        the file has gone since it was seen."""
        note = _load_entry(entry, self.scale, self.root)
        return None if note is None else (note, fold(note, _read_raw(Path(entry.real), self.root)))

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
            if self._search is not None:
                self._search = reindex.edit_search(self, self._search, pending)
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

    def body(self, note: Note) -> str:
        """The note's cleaned body, read now from disk; problems go into ``note.problems``."""
        try:
            data = read_regular(self.file_path(note), limit=MAX_NOTE_BYTES, root=self.root)
        except TooLarge:
            return ""
        except OSError as exc:
            message = f"cannot read the file now ({exc.strerror or exc})"
            if message not in note.problems:
                note.problems.append(message)
            return ""
        return display_body(parse_bytes(data), note)

    @property
    def search(self) -> SearchText:
        """The search text of every note, built on first use."""
        while True:
            with self._lock:
                if self._search is not None:
                    return self._search
                notes, version = self.notes, self.version
            # One file at a time, so only the folded blob stays in memory.
            built = SearchText.build(
                (fold(note, _read_raw(self.file_path(note), self.root)) for note in notes),
                size_hint=sum(note.size + 256 for note in notes),
            )
            with self._lock:
                if self.version == version:  # else the notes changed meanwhile: again
                    self._search = built
                    return built


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was just loaded lives as long as the vault. Frozen, it is left out of every
        # later collection instead of being walked by the first one (~60 ms at 10k notes).
        # Frozen objects are still freed by reference counting when the vault goes.
        gc.freeze()
        if was_enabled:
            gc.enable()


def _load_entry(entry: FileEntry, scale: RelevanceScale, root: Path) -> Note | None:
    """The file's note; None when the file was deleted after the folder was scanned."""
    mtime = entry.mtime_ns / 1e9
    if entry.size > MAX_NOTE_BYTES:
        return too_large(entry.path, entry.size, mtime)
    try:
        data = read_regular(entry.real, limit=MAX_NOTE_BYTES, root=root)
    except FileNotFoundError:
        return None
    except TooLarge as exc:
        return too_large(entry.path, exc.size, mtime)
    except OSError as exc:
        note = too_large(entry.path, entry.size, mtime)
        note.problems[:] = [f"cannot read the file ({exc.strerror or exc})"]
        return note
    return build_note(parse_bytes(data), entry.path, mtime=mtime, size=len(data), scale=scale)


def _read_raw(path: Path, root: Path) -> bytes:
    try:
        return read_regular(path, limit=MAX_NOTE_BYTES, root=root)
    except OSError:
        return b""  # gone, swapped or grown since it was indexed: nothing to search


class OpenInBackground:
    """``Vault.open`` started now in a thread, so the caller can import and draw meanwhile."""

    def __init__(self, root: Path, **options: Any) -> None:
        """Start indexing ``root``; ``options`` are :meth:`Vault.open`'s keywords."""
        self.done = 0
        self.total = 0
        self._result: Vault | None = None
        self._error: OSError | None = None
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(root, options), daemon=True)
        self._thread.start()

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def _run(self, root: Path, options: dict[str, Any]) -> None:
        try:
            self._result = Vault.open(root, progress=self._progress, **options)
        except OSError as exc:
            self._error = exc
        finally:
            self._finished.set()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True once indexing has finished."""
        return self._finished.wait(timeout)

    def result(self) -> Vault:
        """The vault (after :meth:`wait` returned True); re-raises an OSError from indexing."""
        self._finished.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
