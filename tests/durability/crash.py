"""Crash harnesses: writers SIGKILLed at random moments, or stopped dead at chosen points.

Each returns a :class:`CrashReport`. After every crash the state files are read
independently (``ondisk``): they must parse and hold every acknowledged change.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.durability.faults import CRASHED, POINTS
from tests.durability.fixture_vault import CLI_CHANGES, write_vault
from tests.durability.ledger import Ledger
from tests.durability.ondisk import temp_files
from tui.state.store import StateStore
from tui.vault.index import Vault

REPO = Path(__file__).resolve().parents[2]
NOTES = 24


@dataclass
class CrashReport:
    """What a crash harness did and found."""

    kills: int = 0  # writers killed or crashed before they finished
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)  # acknowledged changes not on disk
    problems: list[str] = field(default_factory=list)  # anything else that went wrong

    def add(self, other: CrashReport) -> None:
        """Fold another report into this one."""
        self.kills += other.kills
        self.acknowledged += other.acknowledged
        self.lost += other.lost
        self.problems += other.problems


class Workspace:
    """A vault, a state file and the environment every writer process gets."""

    def __init__(self, work: Path, notes: int = NOTES) -> None:
        self.work = work
        self.vault = work / "vault"
        self.paths = write_vault(self.vault, notes)
        self.ids = {note.path: note.id for note in Vault.open(self.vault, use_cache=False).notes}
        self.state_dir = work / "state"
        self.state_dir.mkdir(exist_ok=True)
        self.state = self.state_dir / "state.json"
        self.env = {
            **os.environ,
            "READERLY_STATE": str(self.state),
            "READERLY_CACHE": str(work / "cache"),
            "READERLY_CONFIG": str(work / "config.toml"),
            "READERLY_DEVICE_FILE": str(work / "device.json"),
            "PYTHONPATH": str(REPO),
        }

    def cli(self, path: str, flags: tuple[str, ...], faults: str = "") -> subprocess.Popen[str]:
        """Start ``readerly mark`` on one note, through the fault-injecting driver."""
        argv = ["mark", "--vault", str(self.vault), "--state", str(self.state), path, *flags]
        return subprocess.Popen(
            [sys.executable, "-m", "tests.durability.cli_driver", *argv],
            cwd=REPO,
            env={**self.env, "READERLY_FAULTS": faults},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def app(self, *args: str, faults: str = "") -> subprocess.Popen[str]:
        """Start the app driver on this vault and state; its stderr goes to ``app_errors``."""
        argv = ["--vault", str(self.vault), "--state", str(self.state), *args]
        with open(self.app_errors, "w") as errors:
            return subprocess.Popen(
                [sys.executable, "-m", "tests.durability.app_driver", *argv],
                cwd=REPO,
                env={**self.env, "READERLY_FAULTS": faults},
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )

    @property
    def app_errors(self) -> Path:
        """Where the last app driver's stderr went."""
        return self.work / "app-stderr.txt"

    def check_opens_cleanly(self, report: CrashReport) -> None:
        """A fresh store must find nothing to complain about (a torn tail is not damage)."""
        store = StateStore(self.state, read_only=True)
        try:
            report.problems += [f"on open: {m}" for m in store.messages if "read-only" not in m]
        finally:
            store.close()


def _cli_round(
    ws: Workspace, ledger: Ledger, rng: random.Random, report: CrashReport, *, faults: str = "",
    kill_after: float | None = None, aim_at_write: bool = False,
) -> int:  # fmt: skip
    """One ``readerly mark``; killed if asked. Returns its exit code."""
    path = rng.choice(ws.paths)
    flags, name, value = rng.choice(CLI_CHANGES)
    note_id = ws.ids[path]
    ledger.tried(note_id, {name: value})
    proc = ws.cli(path, flags, faults)
    assert proc.stderr is not None
    if aim_at_write:
        proc.stderr.readline()  # "@write", or "" if it ended first
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
    elif kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    if proc.returncode in (-signal.SIGKILL, CRASHED):
        report.kills += 1
    elif proc.returncode != 0:
        report.problems.append(f"mark {path} {' '.join(flags)} exited {proc.returncode}: {err}")
    # The success line, or exit 0, acknowledges the change.
    if proc.returncode == 0 or out.endswith("\n"):
        ledger.ack(note_id, {name: value})
    return proc.returncode


def cli_runtime(ws: Workspace) -> float:
    """Seconds one ``readerly mark`` takes here (the median of three)."""
    times = []
    for flags in (("--star",), ("--unstar",), ("--read",)):
        start = time.perf_counter()
        proc = ws.cli(ws.paths[0], flags)
        proc.communicate(timeout=60)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def kill_cli(work: Path, kills: int, seed: int = 0) -> CrashReport:
    """SIGKILL ``readerly mark`` ``kills`` times: half at any moment, half aimed at its write.

    Folding every 3 entries makes some kills land while a snapshot is being replaced.
    """
    ws, ledger, report = Workspace(work), Ledger(), CrashReport()
    rng = random.Random(seed)
    runtime = cli_runtime(ws)
    ledger.start_from(ws.state)
    attempts = 0
    while report.kills < kills and attempts < kills * 3:
        attempts += 1
        if attempts % 2:
            _cli_round(ws, ledger, rng, report, faults="fold=3",
                       kill_after=rng.uniform(0, runtime * 1.1))  # fmt: skip
        else:
            _cli_round(ws, ledger, rng, report, faults="slow=0.004,fold=3", aim_at_write=True)
        ws.check_opens_cleanly(report)
        report.lost += ledger.check(ws.state)
    _cli_round(ws, ledger, rng, report)  # the next writer clears what killed ones left
    report.lost += ledger.check(ws.state)
    report.problems += [f"left behind: {name}" for name in temp_files(ws.state_dir)]
    report.acknowledged = ledger.acknowledged
    return report


def _collect(proc: subprocess.Popen[str], lines: list[str], ready: threading.Event) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if not line.endswith("\n"):
            break  # torn by the kill: never acknowledged
        lines.append(line.rstrip("\n"))
        if line == "ready\n":
            ready.set()
    ready.set()


def _app_round(
    ws: Workspace, ledger: Ledger, report: CrashReport, seed: int, *, faults: str,
    kill_after: float | None,
) -> None:  # fmt: skip
    proc = ws.app("--count", "0", "--seed", str(seed), faults=faults)
    lines: list[str] = []
    ready = threading.Event()
    reader = threading.Thread(target=_collect, args=(proc, lines, ready), daemon=True)
    reader.start()
    ready.wait(timeout=60)
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    # Only the reader thread reads stdout: a second reader would take lines from it.
    proc.wait(timeout=60)
    reader.join(timeout=10)
    err = ws.app_errors.read_text(errors="replace")
    if proc.returncode in (-signal.SIGKILL, CRASHED):
        report.kills += 1
    else:
        report.problems.append(f"app driver exited {proc.returncode}: {err[-2000:]}")
    if "ready" not in lines:
        report.problems.append(f"app driver never came up: {err[-2000:]}")
    ledger.changes_from(lines)


def kill_app(work: Path, kills: int, seed: int = 0) -> CrashReport:
    """SIGKILL the app, driven by Pilot in its own process, ``kills`` times while it triages."""
    ws, ledger, report = Workspace(work), Ledger(), CrashReport()
    rng = random.Random(seed)
    ledger.start_from(ws.state)
    for round_ in range(kills):
        faults = "slow=0.002,fold=4" if round_ % 2 else "fold=4"
        _app_round(ws, ledger, report, rng.randrange(1 << 30), faults=faults,
                   kill_after=rng.uniform(0.02, 0.5))  # fmt: skip
        ws.check_opens_cleanly(report)
        report.lost += ledger.check(ws.state)
    report.acknowledged = ledger.acknowledged
    return report


def inject_crashes(
    work: Path, rounds: int, seed: int = 0, *, app: bool = True, points: tuple[str, ...] = POINTS
) -> CrashReport:
    """Stop a writer dead at each point of :data:`POINTS`, ``rounds`` times each.

    The CLI folds every 2 entries so snapshot points are reached within two runs; the app
    (when ``app``) is stopped once per point as well. After each crash a normal
    ``readerly mark`` must succeed and clear the temporary files.
    """
    ws, ledger, report = Workspace(work), Ledger(), CrashReport()
    rng = random.Random(seed)
    ledger.start_from(ws.state)
    for point in points:
        for _ in range(rounds):
            for _attempt in range(6):
                if _cli_round(ws, ledger, rng, report, faults=f"crash={point},fold=2") == CRASHED:
                    break
            else:
                report.problems.append(f"the CLI never reached {point}")
            ws.check_opens_cleanly(report)
            report.lost += ledger.check(ws.state)
            if _cli_round(ws, ledger, rng, report) != 0:
                report.problems.append(f"a write after a crash at {point} failed")
            report.lost += ledger.check(ws.state)
            report.problems += [f"after {point}: {n} left" for n in temp_files(ws.state_dir)]
        if app:
            _app_round(ws, ledger, report, rng.randrange(1 << 30),
                       faults=f"crash={point},fold=2", kill_after=None)  # fmt: skip
            ws.check_opens_cleanly(report)
            report.lost += ledger.check(ws.state)
    report.acknowledged = ledger.acknowledged
    return report
