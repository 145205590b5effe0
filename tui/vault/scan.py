"""Finding the note files of a vault, safely.

Hidden folders (``.obsidian``, ``.git``, ``.trash``) and configured folders are skipped.
Symlinks are followed only when they land inside the vault, and each real folder is
visited once, so a link cycle cannot loop and a link cannot leak files from elsewhere.
Anything but a regular file (a FIFO, a socket, a device) is passed over with a
problem. A name holding control characters, or bytes that are not UTF-8, is passed over with a
problem: every listed path is printable text that can be shown, stored and printed as is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tui.text.hygiene import has_unsafe_chars
from tui.text.safe_open import inside

NOTE_EXTENSIONS = (".md", ".markdown", ".txt")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One note file: its vault-relative POSIX path, real location, mtime (ns) and size."""

    path: str
    real: str
    mtime_ns: int
    size: int


@dataclass(slots=True)
class ScanResult:
    """The files found, sorted by path, and messages about what was passed over."""

    files: list[FileEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def scan(root: Path, skip: Iterable[str] = ()) -> ScanResult:
    """Walk ``root`` for note files; never raises for unreadable folders or bad links."""
    result = ScanResult()
    real_root = os.path.realpath(root)
    skipped = {name.lower() for name in skip}
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[str, str]] = [(real_root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            st = os.stat(folder)
        except OSError as exc:
            result.problems.append(f"{prefix or '.'}: cannot read folder ({exc.strerror})")
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            result.problems.append(f"{prefix or '.'}: cannot read folder ({exc.strerror})")
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = f"{prefix}{name}"
            try:
                if has_unsafe_chars(name):
                    if entry.is_dir() or name.lower().endswith(NOTE_EXTENSIONS):
                        result.problems.append(
                            f"{rel!r}: the name holds control characters or bytes that are "
                            "not UTF-8; rename it to list it"
                        )
                    continue
                is_link = entry.is_symlink()
                real = os.path.realpath(entry.path) if is_link else entry.path
                if is_link and not inside(real, real_root):
                    result.problems.append(f"{rel}: link leads outside the vault; skipped")
                    continue
                if entry.is_dir(follow_symlinks=True):
                    if name.lower() not in skipped:
                        stack.append((real, rel + "/"))
                    continue
                if not name.lower().endswith(NOTE_EXTENSIONS):
                    continue
                info = entry.stat(follow_symlinks=True)
            except OSError as exc:
                result.problems.append(f"{rel}: cannot read ({exc.strerror or exc})")
                continue
            if not stat.S_ISREG(info.st_mode):
                # A FIFO would block the reader forever, a device would never end.
                result.problems.append(f"{rel}: not a regular file; skipped")
                continue
            result.files.append(FileEntry(rel, real, info.st_mtime_ns, info.st_size))
    result.files.sort(key=lambda f: f.path)
    return result
