"""Wikilinks: parsing ``[[target|alias]]`` / ``[[target#heading]]``, resolving them, backlinks.

Resolution follows what Obsidian users expect: by file name (case-insensitive; when several
files share a name the one with the shortest path wins, and a link with folders must match
the end of the path), then by title, then by a front-matter alias. A target that tries to
climb out of the vault (``..`` segments, absolute paths) resolves to nothing.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence

from tui.text.notes import Link, Note

# A wikilink never spans lines and never nests brackets; the length cap keeps a hostile
# note from making the scan quadratic.
WIKILINK_RE = re.compile(r"\[\[([^\[\]\n]{1,400})\]\]")
NOTE_SUFFIXES = (".md", ".markdown", ".txt")


def parse_wikilink(inner: str) -> Link | None:
    """Split the text between ``[[`` and ``]]`` into target, heading and alias."""
    target, _, alias = inner.partition("|")
    # Obsidian escapes the pipe inside tables as ``\|``.
    target = target.removesuffix("\\")
    target, _, heading = target.partition("#")
    target = target.strip()
    heading = heading.strip()
    alias = alias.strip()
    if not target and not heading:
        return None
    return Link(target=target, heading=heading or None, alias=alias or None)


def _strip_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in NOTE_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _climbs_out(target: str) -> bool:
    if target.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", target):
        return True
    parts = target.replace("\\", "/").split("/")
    return ".." in parts


class Resolver:
    """Resolves link targets against the notes of one vault."""

    def __init__(self, notes: Sequence[Note]) -> None:
        self._by_stem: dict[str, list[str]] = {}
        self._by_title: dict[str, str] = {}
        self._by_alias: dict[str, str] = {}
        for note in sorted(notes, key=lambda n: (n.path.count("/"), len(n.path), n.path)):
            stem = posixpath.basename(_strip_suffix(note.path)).lower()
            self._by_stem.setdefault(stem, []).append(note.path)
            self._by_title.setdefault(note.title.strip().lower(), note.path)
            for alias in note.aliases:
                self._by_alias.setdefault(alias.strip().lower(), note.path)

    def resolve(self, target: str) -> str | None:
        """The vault-relative path ``target`` points at, or None."""
        if not target or _climbs_out(target):
            return None
        wanted = _strip_suffix(target.strip().replace("\\", "/")).strip("/").lower()
        if not wanted:
            return None
        stem = posixpath.basename(wanted)
        # Candidates are kept shortest-path first, so the first match is Obsidian's pick.
        for path in self._by_stem.get(stem, ()):
            if "/" not in wanted:
                return path
            bare = _strip_suffix(path).lower()
            if bare == wanted or bare.endswith("/" + wanted):
                return path
        return self._by_title.get(wanted) or self._by_alias.get(wanted)

    def resolve_all(self, notes: Iterable[Note]) -> None:
        """Fill in ``Link.path`` for every link of every note, in place."""
        memo: dict[str, str | None] = {}
        for note in notes:
            for link in note.links:
                if not link.target:
                    link.path = note.path  # [[#Heading]] points into the note itself
                    continue
                if link.target not in memo:
                    memo[link.target] = self.resolve(link.target)
                link.path = memo[link.target]


def backlinks(notes: Iterable[Note]) -> dict[str, list[str]]:
    """Map of note path to the paths of the notes that link to it (each source once, sorted)."""
    found: dict[str, set[str]] = {}
    for note in notes:
        for link in note.links:
            if link.path is not None and link.path != note.path:
                found.setdefault(link.path, set()).add(note.path)
    return {path: sorted(sources) for path, sources in found.items()}
