"""The state file shared by real processes: killed writers and concurrent writers lose nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tui.state.store import StateStore
from tui.text.notes import Note

REPO = Path(__file__).resolve().parents[2]

# A writer: ``mode`` picks what it changes, ``fold`` (if not 0) how many journal entries
# trigger a new snapshot. It prints each note id only after ``update`` has returned, i.e.
# once the change is acknowledged as durable.
WRITER = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import tui.state.journal
from tui.text.notes import Note
from tui.state.store import StateStore

path, mode, count, fold = Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
go = Path(sys.argv[6]) if len(sys.argv) > 6 else None
if fold:
    tui.state.journal.COMPACT_ENTRIES = fold

def note(name):
    return Note(id=name, path=name + ".md", title=name, date="2024-01-01",
                source="https://example.org/" + name, fingerprint="fp-" + name)

store = StateStore(path)
if go is not None:
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
for i in range(count):
    if mode.startswith("loop-"):
        name = f"{mode}-{i}"
        store.update(note(name), status="read", position=float(i))
    elif mode == "toggle-a":
        # Both writers change the same few notes, each its own fields: a write based on
        # stale data would undo the other writer's last change.
        name = f"t{i % 5}"
        store.update(note(name), starred=i % 2 == 0, position=float(i))
    elif mode == "toggle-b":
        name = f"t{i % 5}"
        store.update(note(name), status=("read", "unread")[i % 2], relevance=str(i))
    elif mode == "alpha":
        store.update(note(f"a{i}"), status="read")
        store.update(note(f"shared{i}"), starred=True)
        name = f"a{i}"
    else:
        store.update(note(f"b{i}"), status="archived")
        store.update(note(f"shared{i}"), relevance="high")
        name = f"b{i}"
    print(name, flush=True)
"""


def make_note(name: str) -> Note:
    return Note(
        id=name,
        path=f"{name}.md",
        title=name,
        date="2024-01-01",
        source=f"https://example.org/{name}",
        fingerprint=f"fp-{name}",
    )


def start_writer(
    script: Path, state: Path, mode: str, count: int, *extra: str, fold: int = 0
) -> subprocess.Popen[str]:
    args = [str(script), str(REPO), str(state), mode, str(count), str(fold), *extra]
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "writer.py"
    path.write_text(WRITER)
    return path


def test_sigkill_during_writes_loses_no_acknowledged_change(tmp_path: Path, script: Path) -> None:
    state = tmp_path / "state.json"
    # Enough existing records that each write takes a while, so kills land mid-write.
    with StateStore(state) as store:
        store.update_many([(make_note(f"filler{i}"), {"starred": True}) for i in range(3000)])
    rng = random.Random(1234)
    acknowledged: list[str] = []
    for round_ in range(20):
        # Every other writer folds its journal often, so kills also land while folding.
        fold = rng.randint(2, 8) if round_ % 2 else 0
        proc = start_writer(script, state, f"loop-{round_}", 100_000, fold=fold)
        assert proc.stdout is not None
        wanted = rng.randint(3, 25)
        seen = 0
        while seen < wanted:
            line = proc.stdout.readline()
            assert line.endswith("\n"), f"writer stopped early: {proc.communicate()[1]}"
            acknowledged.append(line.strip())
            seen += 1
        time.sleep(rng.uniform(0, 0.02))  # so the kill lands anywhere in a write
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # Lines already written to the pipe were acknowledged too; a torn last line was not.
        acknowledged.extend(line for line in rest.split("\n")[:-1] if line)

        data = orjson.loads(state.read_bytes())  # the snapshot always parses
        assert isinstance(data["notes"], dict)
        journal = state.with_name("state.json.journal").read_bytes()
        for raw in journal.split(b"\n")[:-1]:  # only a last, unfinished line may be torn
            assert isinstance(orjson.loads(raw), dict)
        with StateStore(state) as reopened:
            assert reopened.messages == []
            records = reopened.all()
        missing = [name for name in acknowledged if name not in records]
        assert missing == [], f"round {round_}: lost {missing}"
        assert all(records[name].status == "read" for name in acknowledged)
        assert sum(1 for name in records if name.startswith("filler")) == 3000
    leftovers = {p.name for p in tmp_path.iterdir()} - {
        "state.json",
        "state.json.lock",
        "state.json.journal",
        "writer.py",
    }
    assert leftovers == set()  # the last reopen cleared any temp file a killed writer left


def run_together(
    script: Path, state: Path, modes: tuple[str, str], count: int, fold: int = 0
) -> list[list[str]]:
    """Run two writers that start writing at the same moment; the names each acknowledged."""
    go = state.with_name("go")
    go.unlink(missing_ok=True)
    procs = [start_writer(script, state, mode, count, str(go), fold=fold) for mode in modes]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n", proc.communicate()[1]
    go.touch()
    deadline = time.monotonic() + 120
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        assert proc.returncode == 0, err
        outputs.append(out.split())
    return outputs


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path, script: Path) -> None:
    state = tmp_path / "state.json"
    count = 100
    outputs = run_together(script, state, ("alpha", "beta"), count)
    assert len(outputs[0]) == len(outputs[1]) == count

    with StateStore(state) as store:
        records = store.all()
        assert store.messages == []
    for i in range(count):
        assert records[f"a{i}"].status == "read"
        assert records[f"b{i}"].status == "archived"
        shared = records[f"shared{i}"]
        assert shared.starred and shared.relevance == "high", f"shared{i}: {shared}"
    assert len(records) == 3 * count
    assert not any(name.endswith(".tmp") for name in os.listdir(tmp_path))


@pytest.mark.parametrize("fold", [0, 7])
def test_two_processes_toggling_the_same_notes_lose_no_update(
    tmp_path: Path, script: Path, fold: int
) -> None:
    state = tmp_path / "state.json"
    count = 250  # per writer: 500 toggles of 5 shared notes
    outputs = run_together(script, state, ("toggle-a", "toggle-b"), count, fold=fold)
    assert [len(out) for out in outputs] == [count, count]
    with StateStore(state) as store:
        records = store.all()
        assert store.messages == []
    assert set(records) == {f"t{k}" for k in range(5)}
    for k in range(5):
        # The last change each writer made to note k: i = the last i with i % 5 == k.
        last = max(i for i in range(count) if i % 5 == k)
        rec = records[f"t{k}"]
        assert (rec.starred, rec.position) == (last % 2 == 0, float(last)), rec
        assert (rec.status, rec.relevance) == (("read", "unread")[last % 2], str(last)), rec
