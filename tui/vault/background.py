"""Opening a vault in a thread, so the window can be drawn while the notes are indexed.

With a cache, the newest notes as last seen (:attr:`OpenInBackground.head`) are there in a few
milliseconds whatever the vault's size: the first screen of the list. The vault itself
(every file looked at, changed ones read again) is opened once the caller has painted that
screen (:meth:`OpenInBackground.painted`), so the two never compete for the interpreter.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tui.text.notes import Note
from tui.vault.index import Vault

HEAD = 300
"""Notes read for the first screen: several screens of the tallest terminal."""
HEAD_WAIT = 2.0
"""Longest the vault waits for the first screen to be painted before it is opened anyway."""


class OpenInBackground:
    """``Vault.open`` started now in a thread, so the caller can import and draw meanwhile."""

    def __init__(self, root: Path, **options: Any) -> None:
        """Start indexing ``root``; ``options`` are :meth:`Vault.open`'s keywords."""
        self.done = 0
        self.total = 0
        self.head: list[Note] = []
        """The newest notes as the cache last saw them (empty without a cache)."""
        self.head_ready = threading.Event()
        self.arrived: list[Note] = []
        """The notes read so far while a vault without a cache is read (a copy)."""
        self._go_on = threading.Event()
        self._result: Vault | None = None
        self._error: OSError | None = None
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(root, options), daemon=True)
        self._thread.start()

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def _run(self, root: Path, options: dict[str, Any]) -> None:
        try:
            if options.get("use_cache", True):
                self.head = Vault.head(
                    root, HEAD, scale=options.get("scale"), cache_dir=options.get("cache_dir")
                )
            self.head_ready.set()
            if self.head:
                self._go_on.wait(HEAD_WAIT)
            self._result = Vault.open(
                root, progress=self._progress, arrived=self._arrived, **options
            )
        except OSError as exc:
            self._error = exc
        except Exception as exc:  # told in one line, not as a traceback
            self._error = OSError(f"the vault could not be read: {type(exc).__name__}: {exc}")
        finally:
            self.head_ready.set()
            self._finished.set()

    def _arrived(self, notes: list[Note]) -> None:
        self.arrived = notes

    def painted(self) -> None:
        """The first screen is up (or will not be shown): open the vault now."""
        self._go_on.set()

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
