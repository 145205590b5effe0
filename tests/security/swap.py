"""The symlink-swap race, as a harness: a note flips between a regular file, a symlink to a
file outside the vault and a FIFO while readerly reads it, in-process and as ``readerly show``.

Counts what must stay 0: reads that showed the outside file (leaked), reads that did not
return in time (hung), and commands that ended in a traceback. Bounded in count and time.
"""

from __future__ import annotations

import functools
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.vault.index import Vault

SECRET = "SECRET-FROM-OUTSIDE-THE-VAULT"
INSIDE = "text that lives inside the vault"
HANG_SECONDS = 30


@dataclass
class SwapReport:
    """What the race did: reads tried, and the failures among them."""

    tried: int = 0
    leaked: int = 0
    hung: int = 0
    tracebacks: int = 0
    inside: int = 0  # reads that saw the regular file: proof the race ran both ways
    problems: list[str] = field(default_factory=list)


class Flipper:
    """Replaces ``vault/a.md`` by each form in turn, ``pause`` seconds apart, in a thread."""

    def __init__(self, work: Path, vault: Path, pause: float, seed: int) -> None:
        self.work, self.note, self.pause = work, vault / "a.md", pause
        self.rng = random.Random(seed)
        self.regular = work / "regular.md"
        self.regular.write_text(f"# A note\n\n{INSIDE}\n")
        (work / "secret.md").write_text(f"# Secret\n\n{SECRET}\n")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _swap_in(self, form: str) -> None:
        staged = self.work / f"staged-{form}"
        staged.unlink(missing_ok=True)
        if form == "link":
            staged.symlink_to(self.work / "secret.md")
        elif form == "fifo":
            os.mkfifo(staged)
        else:
            os.link(self.regular, staged)
        os.replace(staged, self.note)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._swap_in(self.rng.choice(("regular", "link", "regular", "fifo")))
            time.sleep(self.pause)

    def __enter__(self) -> Flipper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._swap_in("regular")


def _bounded(call: Callable[[], object], report: SwapReport) -> object:
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(call()), daemon=True)
    thread.start()
    thread.join(HANG_SECONDS)
    if thread.is_alive():
        report.hung += 1
        return None
    return box[0] if box else None


def symlink_swap(
    work: Path, reads: int, shows: int, seed: int, seconds: float = 60.0
) -> SwapReport:
    """Race ``reads`` in-process reads and ``shows`` runs of ``readerly show a.md`` against
    the flipper, stopping early after ``seconds``."""
    report = SwapReport()
    vault = work / "vault"
    vault.mkdir()
    (vault / "a.md").write_text(f"# A note\n\n{INSIDE}\n")
    (vault / "b.md").write_text("# Another\n\nanother note\n")
    opened = Vault.open(vault, use_cache=False)
    note = opened.find("a.md")
    assert note is not None
    deadline = time.monotonic() + seconds
    env = {**os.environ, "READERLY_STATE": str(work / "state.json")}
    env["READERLY_CACHE"] = str(work / "cache")
    env["READERLY_CONFIG"] = str(work / "config.toml")
    with Flipper(work, vault, 0.002, seed):
        for i in range(reads):
            if time.monotonic() > deadline:
                break
            report.tried += 1
            if i % 10 == 9:  # now and then through the loader, as the watcher would
                _bounded(lambda: opened.apply(["a.md"]), report)
                note = opened.find("a.md") or note
            body = _bounded(functools.partial(opened.body, note), report)
            text = body if isinstance(body, str) else ""
            report.leaked += SECRET in text
            report.inside += INSIDE in text
        for _ in range(shows):
            if time.monotonic() > deadline:
                break
            report.tried += 1
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "tui", "show", "a.md", "--vault", str(vault)],
                    capture_output=True,
                    text=True,
                    timeout=HANG_SECONDS,
                    stdin=subprocess.DEVNULL,
                    env=env,
                )
            except subprocess.TimeoutExpired:
                report.hung += 1
                continue
            report.leaked += SECRET in done.stdout + done.stderr
            report.inside += INSIDE in done.stdout
            if "Traceback" in done.stderr:
                report.tracebacks += 1
                report.problems.append(done.stderr.strip().splitlines()[-1][:200])
    return report
