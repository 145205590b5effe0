"""A small driver for running readerly in a real terminal: a private tmux server."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path


class Tmux:
    """One tmux server on its own socket, with one session running a command."""

    def __init__(self, width: int = 100, height: int = 30) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed (apt-get install tmux)")
        self.socket = f"readerly-{uuid.uuid4().hex[:10]}"
        self.width = width
        self.height = height

    def tmux(self, *args: str, check: bool = True) -> str:
        """Run a tmux command against this server; returns its stdout."""
        out = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=check,
        )
        return out.stdout

    def start(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> None:
        """Start ``argv`` in a fresh session; the pane stays open after it exits."""
        command = " ".join(shlex.quote(a) for a in argv)
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "-c",
            str(cwd),
            "sh",
        )
        self.tmux("set-option", "-g", "set-clipboard", "on")
        self.tmux("set-option", "-g", "remain-on-exit", "on")
        self.tmux("set-option", "-g", "allow-rename", "on")
        self.tmux("select-pane", "-t", "t", "-T", "ORIGINAL-TITLE")
        # COLUMNS/LINES inherited from a test runner would override the pane's real size.
        self.tmux("respawn-pane", "-k", "-t", "t", f"env -u COLUMNS -u LINES {exports} {command}")

    def keys(self, *keys: str) -> None:
        """Send keys (tmux key names, e.g. ``Enter``, ``Escape``, ``j``)."""
        for key in keys:
            self.tmux("send-keys", "-t", "t", key)
            time.sleep(0.05)

    def screen(self) -> str:
        """The visible text of the pane."""
        return self.tmux("capture-pane", "-p", "-t", "t")

    def title(self) -> str:
        """The pane's title, which an OSC 0/2 sequence would change."""
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_title}").strip()

    def buffers(self) -> str:
        """Paste buffers; an OSC 52 sequence reaching tmux would create one."""
        return self.tmux("list-buffers", check=False)

    def dead(self) -> bool:
        """Whether the program in the pane has exited."""
        return self.tmux("display-message", "-p", "-t", "t", "#{pane_dead}").strip() == "1"

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Poll the screen until ``text`` shows; raises with the screen when it doesn't."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear within {timeout}s; screen:\n{screen}")

    def close(self) -> None:
        """Stop the server."""
        self.tmux("kill-server", check=False)


def child_env(extra: Mapping[str, str]) -> dict[str, str]:
    """Environment for the program under test: ours, minus anything that would leak in."""
    wanted = ("PATH", "HOME", "LANG")
    keep = {k: v for k, v in os.environ.items() if k.startswith("READERLY_") or k in wanted}
    keep.setdefault("LANG", "C.UTF-8")
    keep.update(extra)
    return keep
