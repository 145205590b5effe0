"""Opening a vault in a thread, so the window can be drawn while the notes are indexed.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tui.vault.index import Vault


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
