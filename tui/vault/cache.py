"""The index cache: each note's metadata as parsed, keyed by file path, mtime and size.

A warm start reads this one file instead of parsing every note. It is written atomically and
ignored when damaged, from another format, or for another vault or relevance scale. One JSON
line per note, newest note first: the first lines are the first screen of the list, read
before the vault is looked at (:func:`head_notes`).

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
import platformdirs

from tui.text.notes import Link, Note
from tui.text.relevance import RelevanceScale
from tui.text.safe_open import read_blocks, read_start
from tui.vault.scan import FileEntry

# Bump when what the loader stores in a Note changes, so old caches are ignored.
CACHE_FORMAT = 5
# Far above a 100k-note vault's cache (~60 MB); a bigger file is not ours and is ignored.
MAX_CACHE_BYTES = 1 << 30
# Read for the first screen: far more than a note's row takes (~0.9 KB in the clipping format).
HEAD_BYTES_PER_NOTE = 4096
BLOCK = 1 << 22  # bytes of the cache read at a time


def default_cache_dir() -> Path:
    """Where index caches live: ``READERLY_CACHE`` or the platform's user cache folder."""
    env = os.environ.get("READERLY_CACHE")
    return Path(env) if env else platformdirs.user_cache_path("readerly")


def note_to_json(note: Note) -> list[Any]:
    """A note as a compact JSON row."""
    return [
        note.id,
        note.title,
        note.date,
        note.domain,
        note.tags,
        note.source,
        note.status,
        note.relevance,
        note.aliases,
        [[k.target, k.heading, k.alias, k.path] for k in note.links],
        note.problems,
        note.mtime,
        note.size,
        note.fingerprint,
    ]


def note_from_json(path: str, row: list[Any]) -> Note:
    """The note at ``path`` from a row made by :func:`note_to_json`."""
    (
        nid,
        title,
        date,
        domain,
        tags,
        source,
        status,
        rel,
        aliases,
        links,
        problems,
        mtime,
        size,
        fingerprint,
    ) = row
    # Dates, domains, tags and levels repeat across a vault: one copy of each is kept.
    intern = sys.intern
    return Note(
        id=nid,
        path=path,
        title=title,
        date=intern(date),
        domain=intern(domain),
        tags=[intern(t) for t in tags],
        source=source,
        status=intern(status),
        relevance=None if rel is None else intern(rel),
        aliases=aliases,
        links=[Link(t, h, a, p) for t, h, a, p in links],
        problems=problems,
        mtime=mtime,
        size=size,
        fingerprint=fingerprint,
    )


def cached_note(entry: FileEntry, row: Any) -> Note | None:
    """The note cached in ``row`` for ``entry``, or None when the file changed or the row
    is damaged."""
    if not isinstance(row, list) or len(row) != 4:
        return None
    if row[1] != entry.mtime_ns or row[2] != entry.size:
        return None
    return _row_note(row)


def _row_note(row: list[Any]) -> Note | None:
    try:
        return note_from_json(row[0], row[3])
    except (TypeError, ValueError):
        return None  # a damaged cache row: parse the file again


def cache_path(root: Path, scale: RelevanceScale, cache_dir: Path | None) -> Path:
    """Where the cache of ``root`` indexed with ``scale`` lives."""
    levels = ",".join(f"{lv.name}={lv.symbol}" for lv in scale.levels)
    key = f"{CACHE_FORMAT}|{os.path.realpath(root)}|{levels}"
    digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).hexdigest()
    return (cache_dir or default_cache_dir()) / f"index-{digest}.json"


def cache_rows(path: Path) -> Iterator[list[Any]]:
    """The rows of the cache at ``path`` (``[path, mtime_ns, size, note]``), newest note first.

    Nothing when the file is missing, damaged or of another format; a damaged line ends
    the rows there (the notes after it are read from their files). Rows are parsed one at
    a time, so the whole cache is never held as objects beside the notes made from it.
    """
    try:
        yield from _rows(_lines(read_blocks(path, BLOCK, limit=MAX_CACHE_BYTES)))
    except OSError:
        return


def head_notes(path: Path, count: int) -> list[Note]:
    """The newest ``count`` notes of the cache at ``path``, read without looking at the
    vault: the first screen of a list before the vault is checked. Empty when unusable."""
    try:
        data = read_start(path, HEAD_BYTES_PER_NOTE * count)
    except OSError:
        return []
    notes = []
    for row in _rows(_lines((data,))):
        note = _row_note(row)
        if note is None:
            break
        notes.append(note)
        if len(notes) >= count:
            break
    return notes


def _lines(blocks: Iterable[bytes]) -> Iterator[memoryview]:
    """The complete lines of the bytes in ``blocks`` (a cut-off last line is left out)."""
    carry = b""
    for block in blocks:
        data = carry + block if carry else block
        view = memoryview(data)
        start = 0
        while (end := data.find(b"\n", start)) != -1:
            yield view[start:end]
            start = end + 1
        carry = data[start:]


def _rows(lines: Iterator[memoryview]) -> Iterator[list[Any]]:
    try:
        header = orjson.loads(next(lines, b""))
    except orjson.JSONDecodeError:
        return
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
        return
    for line in lines:
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError:
            return
        if not (isinstance(row, list) and len(row) == 4 and isinstance(row[0], str)):
            return
        yield row


def save_notes(path: Path, notes: Iterable[Note], stamps: Mapping[str, tuple[int, int]]) -> None:
    """Write the cache of ``notes`` (files as ``stamps`` says: path -> mtime, size) in the
    list's own order, newest first then by title, so its first rows are the first screen."""
    by_title = sorted(notes, key=_title_of)
    newest = sorted(by_title, key=_date_of, reverse=True)
    write_cache(
        path, ([n.path, *stamps[n.path], note_to_json(n)] for n in newest if n.path in stamps)
    )


def _date_of(note: Note) -> str:
    return note.date


def _title_of(note: Note) -> str:
    return note.title.casefold()


def write_cache(path: Path, rows: Iterable[list[Any]]) -> None:
    """Write ``rows`` (``[path, mtime_ns, size, note]``, newest note first) atomically, one
    JSON line each after a header line; never raises."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [orjson.dumps({"format": CACHE_FORMAT})]
        lines.extend(orjson.dumps(row) for row in rows)
        lines.append(b"")
        tmp.write_bytes(b"\n".join(lines))
        os.replace(tmp, path)
    except OSError:
        # A cache is an optimisation: failing to write one must not stop the reader, and
        # neither must cleaning up after it (the folder may be a file, or unreadable).
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
