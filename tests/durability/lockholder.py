"""The lock-holder race: a writer stopped (SIGSTOP) at a random moment of its writes.

While it is stopped, maybe holding the state's lock, ``readerly list`` must answer and
``readerly mark`` must either save its change or say, within the lock timeout, which process
holds the lock. Then the writer is resumed. At the end every change that was acknowledged
(the writer's and the marks that succeeded) must be in the state.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
BOUND = 15.0  # seconds any command may take before it counts as hung
WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tui.state.store import StateStore
from tui.text.notes import Note
store = StateStore(Path(sys.argv[2]))
for i in range(int(sys.argv[3])):
    note = Note(id=f"w{i}", path=f"w{i}.md", title="w", date="2026-01-01")
    store.update(note, starred=True)
    print(note.id, flush=True)
store.close()
"""


@dataclass
class LockReport:
    """What the race tried and found."""

    rounds: int = 0
    held_when_stopped: int = 0  # marks told who holds the lock
    hung: int = 0
    tracebacks: int = 0
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            [sys.executable, "-m", "tui", *args],
            capture_output=True,
            text=True,
            timeout=BOUND,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None


def lock_holder_race(work: Path, rounds: int, seed: int) -> LockReport:
    """Run ``rounds`` rounds in ``work``; returns the report."""
    rng = random.Random(seed)
    report = LockReport()
    vault = work / "vault"
    vault.mkdir()
    for i in range(3):
        (vault / f"n{i}.md").write_text(f"---\ntitle: n{i}\ndate: 2026-01-0{i + 1}\n---\nbody\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READERLY_LOCK_TIMEOUT": "1"}
    for r in range(rounds):
        state = work / f"state-{r}" / "state.json"
        env["READERLY_DEVICE_FILE"] = str(work / "device.json")
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(ROOT), str(state), "400"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        acknowledged: list[str] = []
        assert writer.stdout is not None
        acknowledged.append(writer.stdout.readline().strip())  # it is writing now
        time.sleep(rng.uniform(0, 0.05))
        writer.send_signal(signal.SIGSTOP)
        report.rounds += 1
        args = ["--vault", str(vault), "--state", str(state)]
        listed = _cli(["list", "--json", *args], env)
        marked = _cli(["mark", f"n{r % 3}.md", "--read", *args], env)
        writer.send_signal(signal.SIGCONT)
        rest, _ = writer.communicate(timeout=BOUND * 4)
        acknowledged += [line for line in rest.split() if line]
        for name, done in (("list", listed), ("mark", marked)):
            if done is None:
                report.hung += 1
                report.problems.append(f"round {r}: readerly {name} hung while the writer slept")
                continue
            if "Traceback" in done.stderr:
                report.tracebacks += 1
                report.problems.append(f"round {r}: readerly {name}: {done.stderr[-300:]}")
        if listed is not None and listed.returncode != 0:
            report.problems.append(f"round {r}: list failed: {listed.stderr[-300:]}")
        if marked is not None and marked.returncode == 1:
            if f"process {writer.pid}" in marked.stderr:
                report.held_when_stopped += 1
            else:
                report.problems.append(f"round {r}: mark failed without naming the holder: "
                                       f"{marked.stderr[-300:]}")  # fmt: skip
        records = orjson.loads(state.read_bytes()).get("notes", {})
        for note_id in acknowledged:
            if records.get(note_id, {}).get("starred") is not True:
                report.lost.append(f"round {r}: the writer's {note_id}")
        marked_ok = marked is not None and marked.returncode == 0
        if marked_ok and not any(d.get("status") == "read" for d in records.values()):
            report.lost.append(f"round {r}: the mark of n{r % 3}.md")
    return report
