"""The index cache: each note's metadata as parsed, keyed by file path, mtime and size.

A warm start reads this one file instead of parsing every note. It is written atomically and
ignored when damaged, from another format, or for another vault or relevance scale.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

import orjson
import platformdirs

from tui.text.notes import Link, Note
from tui.text.relevance import RelevanceScale
from tui.text.safe_open import read_regular
from tui.vault.scan import FileEntry

# Bump when what the loader stores in a Note changes, so old caches are ignored.
CACHE_FORMAT = 4
# Far above a 100k-note vault's cache (~60 MB); a bigger file is not ours and is ignored.
MAX_CACHE_BYTES = 1 << 30


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
    return Note(
        id=nid,
        path=path,
        title=title,
        date=date,
        domain=domain,
        tags=tags,
        source=source,
        status=status,
        relevance=rel,
        aliases=aliases,
        links=[Link(t, h, a, p) for t, h, a, p in links],
        problems=problems,
        mtime=mtime,
        size=size,
        fingerprint=fingerprint,
    )


def cached_note(entry: FileEntry, row: Any) -> Note | None:
    """The note cached for ``entry``, or None when the file changed or the row is damaged."""
    if not isinstance(row, list) or len(row) != 3:
        return None
    if row[0] != entry.mtime_ns or row[1] != entry.size:
        return None
    try:
        return note_from_json(entry.path, row[2])
    except (TypeError, ValueError):
        return None  # a damaged cache row: parse the file again


def cache_path(root: Path, scale: RelevanceScale, cache_dir: Path | None) -> Path:
    """Where the cache of ``root`` indexed with ``scale`` lives."""
    levels = ",".join(f"{lv.name}={lv.symbol}" for lv in scale.levels)
    key = f"{CACHE_FORMAT}|{os.path.realpath(root)}|{levels}"
    digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).hexdigest()
    return (cache_dir or default_cache_dir()) / f"index-{digest}.json"


def read_cache(path: Path) -> dict[str, list[Any]]:
    """The entries of the cache at ``path``; empty when it is missing or damaged."""
    try:
        data = orjson.loads(read_regular(path, limit=MAX_CACHE_BYTES))
    except (OSError, orjson.JSONDecodeError):
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return entries if isinstance(entries, dict) else {}


def write_cache(path: Path, entries: dict[str, list[Any]]) -> None:
    """Write ``entries`` (path -> [mtime_ns, size, note]) atomically; never raises."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(orjson.dumps({"format": CACHE_FORMAT, "entries": entries}))
        os.replace(tmp, path)
    except OSError:
        # A cache is an optimisation: failing to write one must not stop the reader, and
        # neither must cleaning up after it (the folder may be a file, or unreadable).
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
