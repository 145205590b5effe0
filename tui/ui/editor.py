"""``E``: read or edit the note in the user's own program, the reader suspended meanwhile.

readerly itself still never writes a note: the editor does, if the user saves, and the
folder watcher then shows the change like any other edit made on disk.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

from tui.text.hygiene import plain

ENV_ORDER = ("VISUAL", "EDITOR", "PAGER")


def editor_command(environ: Mapping[str, str]) -> list[str] | None:
    """``$VISUAL``, else ``$EDITOR``, else ``$PAGER``, split as a shell would; None if unset."""
    for name in ENV_ORDER:
        text = environ.get(name, "").strip()
        if text:
            try:
                words = shlex.split(text)
            except ValueError:
                continue  # an unbalanced quote: try the next variable
            if words:
                return words
    return None


def note_file(root: Path, relative: str) -> Path | None:
    """The note's file, only when it is a file inside the vault (never a path outside it)."""
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    return path


def open_in_editor(app: App[Any], root: Path, relative: str) -> bool:
    """Run the user's editor or pager on one note, with the reader suspended; True if run."""
    command = editor_command(os.environ)
    if command is None:
        app.notify("Set $EDITOR (or $PAGER) to open notes with E", severity="warning")
        return False
    path = note_file(root, relative)
    if path is None:
        app.notify(f"Not a file in the vault: {plain(relative)}", severity="warning",
                   markup=False)  # fmt: skip
        return False
    try:
        with app.suspend():
            # The argument list goes straight to exec: no shell, so a file name is one word.
            done = subprocess.run([*command, str(path)], check=False)
    except SuspendNotSupported:
        app.notify("E needs a terminal: the web reader cannot hand it over", severity="warning")
        return False
    except OSError as exc:
        app.notify(f"Could not run {plain(command[0])}: {exc.strerror or exc}", severity="error",
                   markup=False)  # fmt: skip
        return False
    if done.returncode:
        app.notify(f"{plain(command[0])} exited with {done.returncode}", markup=False)
    return True
