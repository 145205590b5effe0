"""Watching a vault folder for notes that change on disk, in a thread.

watchfiles reports raw file-system events. This keeps the ones that can change the note list
and hands each batch to a callback as vault-relative paths: note files by name, and a request
to look at the whole folder when a folder appears or goes (moving a folder moves its notes but
is reported as one event). Editors' side files are dropped: swap and lock files are hidden,
backups end in ``~``, vim probes the folder with a file named ``4913``, and temp files that are
renamed over a note carry another extension, so the rename shows up as a change to the note.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from tui.vault.update import is_note_path

# Batches close after this long without new events (ms), or after DEBOUNCE at the latest.
STEP = 50
DEBOUNCE = 150
# How often (ms) the watching thread wakes with nothing to report; it also marks it as ready.
WAKE = 200
# Names no editor uses for a folder of notes: vim's write probe (4913, 5036, ...), backups,
# emacs auto-saves and JetBrains' safe-write files.
_SIDE_FILE = re.compile(r"^\d+$|~$|^#.*#$|___jb_\w+___$")


@dataclass(frozen=True, slots=True)
class Batch:
    """Changes seen together: note paths (vault-relative), and whether to look at every file."""

    paths: frozenset[str]
    rescan: bool = False


def sort_events(root: str, changed: Iterable[str], skip: Iterable[str] = ()) -> Batch:
    """Turn absolute paths reported under ``root`` into a :class:`Batch` (maybe empty)."""
    skip = tuple(skip)
    skipped = {name.lower() for name in skip}
    notes: set[str] = set()
    rescan = False
    for path in changed:
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if rel == "." or rel.startswith("../"):
            continue
        if is_note_path(rel, skip):
            notes.add(rel)
            continue
        parts = rel.split("/")
        if any(p.startswith(".") for p in parts) or _SIDE_FILE.search(parts[-1]):
            continue
        if any(p.lower() in skipped for p in parts[:-1]):
            continue
        # A folder that is here now or gone now may have brought or taken notes with it; a
        # plain file that is not a note (an image, a PDF) cannot have.
        if not os.path.isfile(path):
            rescan = True
    return Batch(frozenset(notes), rescan)


class VaultWatcher:
    """A thread that calls ``on_batch`` with each :class:`Batch` of changes under ``root``.

    ``on_batch`` runs in the watching thread, one batch at a time; events that arrive
    meanwhile are kept for the next batch. ``on_error`` hears why watching stopped, if it
    stopped on its own (the folder vanished, the system's limit on watches was reached).
    """

    def __init__(
        self,
        root: Path,
        on_batch: Callable[[Batch], None],
        *,
        skip: Iterable[str] = (),
        on_error: Callable[[str], object] | None = None,
        catch_up: bool = False,
    ) -> None:
        """Prepare to watch ``root``; nothing happens until :meth:`start`.

        With ``catch_up``, the first batch (as soon as changes are being recorded) asks for a
        look at every file: for a caller whose picture of the folder is older than the watch.
        """
        self.root = os.path.abspath(root)
        self.skip = tuple(skip)
        self.on_batch = on_batch
        self.on_error = on_error
        self.catch_up = catch_up
        self.ready = threading.Event()
        """Set once changes are being recorded."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vault-watcher", daemon=True)

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called; a long ``on_batch`` should give up then."""
        return self._stop.is_set()

    @property
    def alive(self) -> bool:
        """Whether the watching thread is running."""
        return self._thread.is_alive()

    def start(self) -> None:
        """Start watching in a daemon thread."""
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop watching and wait up to ``timeout`` seconds; True once the thread has ended."""
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        if not os.path.isdir(self.root):
            # watchfiles would watch nothing, quietly, once told to pass over unreadable folders.
            self._report(f"cannot watch {self.root}: not a folder")
            self.ready.set()
            return
        try:
            for changes in watchfiles.watch(
                self.root,
                watch_filter=None,
                debounce=DEBOUNCE,
                step=STEP,
                rust_timeout=WAKE,
                yield_on_timeout=True,
                stop_event=self._stop,
                debug=False,
                raise_interrupt=False,
                ignore_permission_denied=True,
            ):
                if not self.ready.is_set():
                    self.ready.set()
                    if self.catch_up:
                        self._deliver(Batch(frozenset(), rescan=True))
                if self._stop.is_set():
                    break
                if not changes:
                    continue
                batch = sort_events(self.root, (path for _, path in changes), self.skip)
                if batch.paths or batch.rescan:
                    self._deliver(batch)
        except Exception as exc:  # the reader goes on without live reload, and says so
            self._report(f"stopped watching {self.root} for changes: {exc}")
        finally:
            self.ready.set()  # nobody waits forever for a watcher that never started

    def _deliver(self, batch: Batch) -> None:
        try:
            self.on_batch(batch)
        except Exception as exc:  # one bad batch must not end watching for good
            self._report(f"could not take in changes under {self.root}: {exc}")

    def _report(self, message: str) -> None:
        if self.on_error is not None and not self._stop.is_set():
            self.on_error(message)
