"""Where the article finds what it embeds (other notes' text, attachment files) and the
notes most like it.

Neither textual nor rich is imported here, so ``readerly show --rendered`` uses the same
lookups as the app. Nothing outside the vault folder is read or even looked at.
"""

from __future__ import annotations

import os
import posixpath
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from tui.text.links import NOTE_SUFFIXES
from tui.text.notes import Link, Note
from tui.ui.widgets.article.render.model import Alike, Embedded, wiki_index
from tui.vault.index import Vault

MAX_CACHED_BODIES = 32  # embeds re-render when scrolled back to; keep their text at hand
MAX_LISTED_FILES = 50_000  # past this many files, attachments are only looked up by path


class VaultSources:
    """Embed, attachment and similar-note lookups over the vault ``vault()`` returns (None:
    none yet). ``ready()`` says whether its full-text index may be asked; by default, once
    it has been opened (asking never builds it)."""

    def __init__(
        self, vault: Callable[[], Vault | None], ready: Callable[[], bool] | None = None
    ) -> None:
        self._vault = vault
        self._ready = ready
        self._bodies: OrderedDict[str, tuple[str, Embedded]] = OrderedDict()
        self._names: dict[str, str] | None = None
        self._root: Path | None = None

    def embed(self, link: Link) -> Embedded | None:
        """The text of the note ``link`` resolved to, or None."""
        vault = self._vault()
        note = vault.by_path.get(link.path) if vault is not None and link.path else None
        if vault is None or note is None:
            return None
        cached = self._bodies.get(note.path)
        if cached is not None and cached[0] == note.fingerprint:
            self._bodies.move_to_end(note.path)
            return cached[1]
        found = Embedded(note.path, note.title, vault.body(note), wiki_index(note.links))
        self._bodies[note.path] = (note.fingerprint, found)
        while len(self._bodies) > MAX_CACHED_BODIES:
            self._bodies.popitem(last=False)
        return found

    def similar(self, note: Note, limit: int) -> list[Alike] | None:
        """Up to ``limit`` notes most like ``note``; None while the index is not ready.

        Called from a worker thread: it reads the note's file and asks the index.
        """
        vault = self._vault()
        if vault is None or limit <= 0:
            return None
        ready = self._ready() if self._ready is not None else vault.built_engine is not None
        if not ready:
            return None
        try:
            found = vault.similar(note, limit=limit)
        except (OSError, ValueError, RuntimeError):
            # The index is a cache that is rebuilt where it is opened; this section is
            # a nicety that stays away rather than showing an error under the article.
            return None
        return [Alike(n.path, n.title, n.date, n.domain) for n in found]

    def attachment(self, name: str) -> bool:
        """Whether attachment ``name`` (a vault path or, as Obsidian allows, a bare file
        name found anywhere in the vault) exists."""
        vault = self._vault()
        if vault is None:
            return False
        clean = name.replace("\\", "/").strip().strip("/")
        if not clean or ".." in clean.split("/") or posixpath.isabs(name):
            return False
        if (vault.root / clean).is_file():
            return True
        return posixpath.basename(clean).lower() in self._file_names(vault.root)

    def _file_names(self, root: Path) -> dict[str, str]:
        """Lower-cased names of the vault's non-note files, listed once."""
        if self._names is None or self._root != root:
            names: dict[str, str] = {}
            for folder, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for file in files:
                    if not file.lower().endswith(NOTE_SUFFIXES):
                        names.setdefault(file.lower(), os.path.join(folder, file))
                if len(names) > MAX_LISTED_FILES:
                    break
            self._names, self._root = names, root
        return self._names
