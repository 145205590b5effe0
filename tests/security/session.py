"""One run of the real program against the hostile vault: its folders, environment and checks.

Shared by the tmux test (``test_terminal_safety.py``) and the pty recorder (``tools/safety.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.e2e.tmux import child_env
from tests.security import audited
from tests.security.hostile import outside_dir, write_hostile_vault
from tui.query.query import NoteOrder
from tui.text.notes import Note
from tui.vault.index import Vault

# Only following the traversal links could open these; they must stay closed.
FORBIDDEN = ("/etc/passwd", "/etc/shadow", "/etc", "C:/Windows/win.ini")
LINKS_TO_FOLLOW = 24  # more than the traversal note has


class Layout:
    """Where one run keeps its vault, state, cache, config, working folder and audit log."""

    def __init__(self, base: Path) -> None:
        """Lay out a run under ``base`` and write the hostile vault into it."""
        self.base = base
        self.vault = base / "v" / "vault"
        self.state = base / "state" / "state.json"
        self.cache = base / "cache"
        self.config = base / "config" / "config.toml"
        self.device = base / "device" / "device.json"  # the user state folder's device id
        self.cwd = base / "cwd"
        self.home = base / "home"
        self.log = base / "audit.log"
        for folder in (self.state.parent, self.config.parent, self.cwd, self.home):
            folder.mkdir(parents=True, exist_ok=True)
        self.inputs = write_hostile_vault(self.vault)

    def env(self) -> dict[str, str]:
        """The program's environment: private state, cache, config, home and temp folder."""
        return child_env(
            {
                "HOME": str(self.home),
                "READERLY_STATE": str(self.state),
                "READERLY_CACHE": str(self.cache),
                "READERLY_CONFIG": str(self.config),
                "READERLY_DEVICE_FILE": str(self.device),
                "READERLY_AUDIT_LOG": str(self.log),
                "PYTHONPATH": str(ROOT),
                "TMPDIR": str(self.cwd),
            }
        )

    def argv(self) -> list[str]:
        """The audited program. A COLUMNS/LINES left in the environment (pytest leaves 80x24)
        would override the terminal's real size, so they are removed."""
        program = [sys.executable, "-m", "tests.security.audited", str(self.vault)]
        return ["env", "-u", "COLUMNS", "-u", "LINES", *program]

    def allowed(self) -> list[str]:
        """Everything the program may read: its code, the vault and its own files."""
        return [
            str(self.vault),
            str(self.state.parent),
            str(self.cache),
            str(self.config.parent),
            str(self.device.parent),
            str(ROOT / "tui"),
            str(ROOT / "styles"),
            str(ROOT / "tests" / "security"),
            str(ROOT / "tests" / "__init__.py"),
        ]

    def walk_order(self) -> list[Note]:
        """The notes in the order the list shows them (newest first, then by title)."""
        vault = Vault.open(self.vault, use_cache=False)
        return [vault.notes[i] for i in NoteOrder(vault.notes).by_date]

    def audit_problems(self) -> list[str]:
        """What the audit log shows the program did that it must not: read outside the vault,
        start a process, touch a traversal target, write a screenshot."""
        events = audited.read_log(str(self.log))
        if not any(path.startswith(str(self.vault)) for _, path in events):
            return ["the audit log shows no read of the vault: the hook did not run"]
        problems = [f"read outside: {p}" for p in audited.outside_reads(events, self.allowed())]
        problems += [f"started: {p}" for p in audited.processes(events)]
        touched = {os.path.realpath(path) for _, path in events} | {path for _, path in events}
        secret = str(outside_dir(self.vault))
        problems += [f"touched: {p}" for p in sorted(touched)
                     if p.startswith(secret) or p in FORBIDDEN]  # fmt: skip
        shots = [p for p in self.base.rglob("*") if p.suffix.lower() in (".svg", ".png")]
        problems += [f"screenshot written: {p}" for p in shots]
        return problems


def follows_links(note: Note) -> bool:
    """Whether the walk follows every link of ``note`` (the notes made of hostile links)."""
    return note.path.endswith(("-traversal.md", "-markup.md"))


def opens_source(note: Note) -> bool:
    """Whether the walk presses ``o`` on ``note`` (the notes with hostile sources)."""
    return "-source-" in note.path or note.path.endswith("-markup.md")
