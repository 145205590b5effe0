"""Reading a vault's files into notes: from the cache, or parsed, on every core when many.

Parsing front matter is Python through and through, so one process reads ~2k notes a second
whatever the disk. A first opening of a big vault hands the files to worker processes in
chunks, in order, and takes their notes back as they come; a few files, a machine with one
core, or a pool that cannot be started are read here, one by one.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from tui.text.notes import Note
from tui.text.relevance import RelevanceScale
from tui.text.safe_open import TooLarge, read_regular
from tui.vault.cache import cache_rows, cached_note
from tui.vault.loader import MAX_NOTE_BYTES, build_note, parse_bytes, too_large
from tui.vault.scan import FileEntry

_In = TypeVar("_In")
_Out = TypeVar("_Out")

PARALLEL_MIN = 1500
"""Fewer files than this are read here: starting the workers costs about half a second."""
CHUNK = 64
"""Files per hand-over to a worker."""
ARRIVALS = 2048
"""Files parsed between two hand-overs of the notes so far (see :func:`read_notes`)."""

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Read:
    """The notes of a vault's files, and how they were come by."""

    notes: list[Note]
    fresh: int  # files parsed (the rest came from the cache)
    cached: int  # rows the cache had, matching or not
    gone: set[str]  # files deleted while the vault was being read


def read_notes(
    files: Sequence[FileEntry],
    cache_file: Path | None,
    scale: RelevanceScale,
    root: Path,
    progress: Progress | None = None,
    arrived: Callable[[list[Note]], None] | None = None,
) -> Read:
    """The notes of ``files``, in their order: from the cache when a file is unchanged,
    else parsed (on every core when many are). ``arrived`` is handed the notes so far (a
    copy) every :data:`ARRIVALS` files parsed."""
    entries = {entry.path: entry for entry in files}
    known: dict[str, Note] = {}
    cached = 0
    # Rows are parsed one at a time, straight into notes: the cache is never held whole
    # as objects beside them.
    for row in cache_rows(cache_file) if cache_file else ():
        cached += 1
        entry = entries.get(row[0])
        if entry is not None and (note := cached_note(entry, row)) is not None:
            known[entry.path] = note
    del entries
    read = Read([], 0, cached, set())
    notes, total = read.notes, len(files)
    if progress and len(known) < total:
        progress(0, total)  # said at once: starting the workers takes a moment
    parsed = load_entries([e for e in files if e.path not in known], scale, root)
    for i, entry in enumerate(files):
        note = known.pop(entry.path, None)
        if note is None:
            note = next(parsed)
            read.fresh += 1
            if progress and read.fresh % 256 == 0:
                progress(i, total)
            if note is None:
                read.gone.add(entry.path)
                continue
            if arrived and read.fresh % ARRIVALS == 0:
                if progress:
                    progress(i + 1, total)
                arrived([*notes, note])
        notes.append(note)
    if progress:
        progress(total, total)
    return read


def load_entry(entry: FileEntry, scale: RelevanceScale, root: Path) -> Note | None:
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
    if len(data) > MAX_NOTE_BYTES:  # it grew since the scan
        return too_large(entry.path, len(data), mtime)
    return build_note(parse_bytes(data), entry.path, mtime=mtime, size=len(data), scale=scale)


def _load_chunk(
    entries: Sequence[FileEntry], scale: RelevanceScale, root: Path
) -> list[Note | None]:
    return [load_entry(entry, scale, root) for entry in entries]


# Programs known to start from a guarded main module. A spawned worker imports the main
# module of the program again; one whose code is not behind ``if __name__ == "__main__"``
# would run again in every worker, so elsewhere the work is done in this process.
_GUARDED_MAINS = frozenset({"tui.__main__", "pytest.__main__", "pytest", "benchmarks.run"})
_GUARDED_SCRIPTS = frozenset({"readerly", "pytest", "py.test"})


def _main_is_guarded() -> bool:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None:
        return spec.name in _GUARDED_MAINS
    path = getattr(main, "__file__", None)
    return path is None or Path(path).name in _GUARDED_SCRIPTS


def workers() -> int:
    """How many worker processes a big first reading uses (0: read here)."""
    if not _main_is_guarded():
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores if cores >= 2 else 0


def load_entries(
    entries: Sequence[FileEntry], scale: RelevanceScale, root: Path
) -> Iterator[Note | None]:
    """The notes of ``entries``, in their order (None for a file gone since the scan)."""
    return in_workers(partial(_load_chunk, scale=scale, root=root), entries)


_POOLS: set[ProcessPoolExecutor] = set()
_POOLS_LOCK = threading.Lock()


@contextmanager
def _running(pool: ProcessPoolExecutor) -> Iterator[None]:
    with _POOLS_LOCK:
        _POOLS.add(pool)
    try:
        yield
    finally:
        with _POOLS_LOCK:
            _POOLS.discard(pool)


def stop_workers() -> None:
    """End every worker process now (the program is quitting): their work is dropped, and
    whoever waited for it reads the rest itself or gives up."""
    with _POOLS_LOCK:
        pools = list(_POOLS)
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)
        # The executor has no public way to stop a worker mid-chunk; waiting for them
        # would hold the program open for seconds.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()


def in_workers(work: Callable[[Sequence[_In]], list[_Out]], items: Sequence[_In]) -> Iterator[_Out]:
    """``work`` over ``items`` a chunk at a time, answers in order: in worker processes
    when there are many items and cores, else here. ``work`` must be picklable (a module's
    function, or a ``partial`` of one)."""
    count = workers()
    done = 0
    if count and len(items) >= PARALLEL_MIN:
        chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
        try:
            # Spawned, not forked: the reader has threads running, and a forked child
            # could inherit a lock one of them held.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(count, mp_context=context) as pool, _running(pool):
                # A few chunks in flight, not all: a program that quits meanwhile waits
                # for those few only.
                flight: deque[Future[list[_Out]]] = deque()
                for chunk in chunks:
                    flight.append(pool.submit(work, chunk))
                    if len(flight) > 2 * count:
                        answers = flight.popleft().result()
                        yield from answers
                        done += len(answers)
                while flight:
                    answers = flight.popleft().result()
                    yield from answers
                    done += len(answers)
            return
        except Exception:  # whatever stops the pool, the work is done here
            # No pool here (no /dev/shm, a process limit), or it went away (the program is
            # quitting): the rest is done below; an error of the work itself shows there.
            pass
    for i in range(done, len(items)):  # one at a time: the caller follows each one
        yield from work(items[i : i + 1])


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the garbage collector still while a vault's notes are made, then freeze them."""
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
