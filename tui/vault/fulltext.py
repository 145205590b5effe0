"""Keeping a vault's full-text index in step with its notes.

The index says which file state (stamp) each note was indexed from, so bringing it up to date
needs no bookkeeping of ours: compare its stamps with the vault's, drop what is gone or stale,
read and add what is missing. That same comparison serves a first build, a warm start (nothing
to read), a vault edited while readerly was closed, and an index another process updated.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.text.notes import Note
from tui.vault.analysis import cjk_part
from tui.vault.cache import default_cache_dir
from tui.vault.engine import (
    CJK_LIMIT,
    ENGINE_FORMAT,
    IndexedDoc,
    TextIndex,
    file_stamp,
    note_key,
)
from tui.vault.loader import MAX_NOTE_BYTES, read_note_file, search_body

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class SyncReport:
    """What one sync did."""

    added: int = 0
    removed: int = 0
    seconds: float = 0.0
    written: bool = True  # False: another process held the index; nothing was written


def index_dir(root: Path, cache_dir: Path | None) -> Path:
    """Where the full-text index of the vault at ``root`` lives."""
    key = f"{ENGINE_FORMAT}|{os.path.realpath(root)}"
    digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).hexdigest()
    return (cache_dir or default_cache_dir()) / f"search-{digest}"


def document(root: Path, note: Note, stamp: int, size: int) -> IndexedDoc:
    """The index entry for ``note``, its body read now (empty when it cannot be read)."""
    return next(documents(root, [(note, stamp, size)]))


def _search_text(job: tuple[str, int, str], root: Path) -> tuple[str, str]:
    """The searchable body of the note at ``job`` (path, size, title) and its CJK runs."""
    path, size, title = job
    body = ""
    if size <= MAX_NOTE_BYTES:  # an over-large file is listed by its fields alone
        # Gone or unreadable: its fields are still searchable. A file that comes back or
        # changes gets a new stamp, and the next sync reads it again.
        with contextlib.suppress(OSError):
            body = search_body(read_note_file(root / path, root))
    return body, cjk_part(title, body[:CJK_LIMIT])


def documents(root: Path, todo: Sequence[tuple[Note, int, int]]) -> Iterator[IndexedDoc]:
    """The index entries of ``todo`` (note, stamp, size), in order, bodies read as they go.

    Read here, not by worker processes: the index's own two writer threads already keep
    both cores busy, and measured at 10k notes, workers made the build no faster (2.9-3.0 s
    against 2.5-2.9 s) while sending every body between processes.
    """
    for note, stamp, size in todo:
        body, cjk = _search_text((note.path, size, note.title), root)
        yield IndexedDoc(
            key=note_key(note.id),
            stamp=stamp,
            title=note.title,
            tags=" ".join(note.tags),
            domain=note.domain,
            body=body,
            cjk=cjk,
        )


def sync(
    index: TextIndex,
    root: Path,
    notes: Sequence[Note],
    stamps: Mapping[str, tuple[int, int]],
    *,
    only: Iterable[str] | None = None,
    gone: Iterable[str] = (),
    progress: Progress | None = None,
) -> SyncReport:
    """Bring ``index`` in line with ``notes`` (whose files had ``stamps``: path -> mtime, size).

    With ``only`` (note ids), just those notes are looked at, and the ids in ``gone`` are
    dropped: what a folder update changed, without comparing the whole vault.
    """
    started = time.perf_counter()
    wanted: dict[int, tuple[Note, int, int]] = {}
    if only is None:
        chosen: Iterable[Note] = notes
    else:
        ids = set(only)
        chosen = [n for n in notes if n.id in ids]
    for note in chosen:
        mtime_ns, size = stamps.get(note.path, (0, note.size))
        wanted[note_key(note.id)] = (note, file_stamp(mtime_ns, size), size)
    gone_keys = [note_key(i) for i in gone]
    report = SyncReport()

    def plan(held: dict[int, int]) -> tuple[Iterator[IndexedDoc], list[int]]:
        if only is None:
            removed = [k for k, s in held.items() if k not in wanted or wanted[k][1] != s]
        else:
            removed = [k for k in gone_keys if k in held]
            removed += [k for k, (_, s, _) in wanted.items() if k in held and held[k] != s]
        todo = [(n, s, size) for k, (n, s, size) in wanted.items() if held.get(k) != s]
        report.added, report.removed = len(todo), len(removed)

        def docs() -> Iterator[IndexedDoc]:
            for i, doc in enumerate(documents(root, todo)):
                if progress is not None and i % 256 == 0:
                    progress(i, len(todo))
                yield doc
            if progress is not None and todo:
                progress(len(todo), len(todo))

        return docs(), removed

    # A first look without the writer: a warm start with nothing to do takes no lock.
    _, removed = plan(index.held())
    if report.added or removed:
        report.written = index.apply(plan)
    report.seconds = time.perf_counter() - started
    return report
