"""Whatever the state file is, readerly neither hangs nor detaches it nor loses a field.

A FIFO or a device where the state file should be, a state file behind a symlink, a writer
stopped while it holds the lock: each is run through the real command line in a child
process with a hard time limit, so a hang fails the test instead of stopping the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.conftest import ROOT
from tui.state.store import StateStore
from tui.text.notes import Note

LIMIT = 20.0  # seconds: far above what any of these takes; reaching it means a hang
NOTE = "---\ntitle: Only note\ndate: 2026-01-01\n---\nBody.\n"
# A child that takes the state's lock, says so, and stops itself while holding it (as a
# writer does when Ctrl-Z lands in the middle of a change).
HOLDER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tui.state.store import StateStore
store = StateStore(Path(sys.argv[2]))
with store._file._locked():  # the same on every version of the store
    print("holding", flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)
"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "only.md").write_text(NOTE)
    return root


def readerly(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a child; a child still running after LIMIT fails the test."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    try:
        return subprocess.run(
            [sys.executable, "-m", "tui", *args],
            capture_output=True,
            text=True,
            timeout=LIMIT,
            env=full_env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as hung:
        pytest.fail(f"readerly {' '.join(args)} hung: {hung}")


def listed(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return [n["title"] for n in orjson.loads(done.stdout)]


@pytest.mark.parametrize("which", ["state.json", "state.json.journal", "state.json.lock"])
def test_a_fifo_in_place_of_a_state_file_does_not_hang(
    vault: Path, tmp_path: Path, which: str
) -> None:
    state = tmp_path / "state" / "state.json"
    state.parent.mkdir()
    os.mkfifo(state.parent / which)
    for args in (("list", "--json"), ("stats", "--json")):
        done = readerly(*args, "--vault", str(vault), "--state", str(state))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "not a regular file" in done.stderr
    done = readerly("mark", "only.md", "--star", "--vault", str(vault), "--state", str(state))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (state.parent / which).is_fifo()  # left as it was


def test_a_state_file_linked_to_dev_zero_is_refused_not_read(vault: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.symlink_to("/dev/zero")
    done = readerly("list", "--json", "--vault", str(vault), "--state", str(state))
    assert listed(done) == ["Only note"]
    assert "not a regular file" in done.stderr and done.stderr.count("\n") <= 3


def test_a_symlinked_state_file_is_written_through_its_link(vault: Path, tmp_path: Path) -> None:
    real = tmp_path / "real" / "state.json"
    real.parent.mkdir()
    with StateStore(real) as store:
        store.update(Note(id="x", path="x.md", title="x", date="2026-01-01"), status="read")
    link = tmp_path / "home" / "state.json"
    link.parent.mkdir()
    link.symlink_to(os.path.relpath(real, link.parent))
    done = readerly("mark", "only.md", "--star", "--vault", str(vault), "--state", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    records = orjson.loads(real.read_bytes())["notes"]
    assert records["x"]["status"] == "read"  # the record already there is kept
    assert any(doc.get("starred") is True for doc in records.values())
    assert sorted(p.name for p in link.parent.iterdir()) == ["state.json"]


@pytest.fixture
def stopped_holder(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A state file whose lock is held by a stopped process (killed afterwards)."""
    state = tmp_path / "state" / "state.json"
    with StateStore(state) as store:
        store.update(Note(id="x", path="x.md", title="x", date="2026-01-01"), status="read")
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ROOT), str(state)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "holding\n"
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline:  # wait until it really is stopped
            with open(f"/proc/{child.pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "T":
                    break
            time.sleep(0.01)
        yield state, child.pid
    finally:
        child.kill()
        child.wait(LIMIT)


def test_a_stopped_lock_holder_blocks_no_reader_and_is_named_to_writers(
    vault: Path, stopped_holder: tuple[Path, int]
) -> None:
    state, pid = stopped_holder
    env = {"READERLY_LOCK_TIMEOUT": "1"}
    start = time.monotonic()
    done = readerly("list", "--json", "--vault", str(vault), "--state", str(state), env=env)
    assert listed(done) == ["Only note"]
    done = readerly("stats", "--json", "--vault", str(vault), "--state", str(state), env=env)
    assert done.returncode == 0 and orjson.loads(done.stdout)["notes"] == 1, done.stderr
    done = readerly("mark", "only.md", "--star", "--vault", str(vault), "--state", str(state),
                    env=env)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"process {pid}" in done.stderr and "was not saved" in done.stderr
    assert time.monotonic() - start < LIMIT
    # The reader itself starts: opening the store does not wait for the lock.
    began = time.monotonic()
    store = StateStore(state)
    try:
        assert time.monotonic() - began < 2.0
        assert store.get("x") is not None  # read from the snapshot as it is
    finally:
        store.close()


def test_a_record_without_stamps_keeps_its_fields_through_a_command(
    vault: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    done = readerly("list", "--json", "--vault", str(vault), "--state", str(state))
    note_id = orjson.loads(done.stdout)[0]["id"]
    state.write_bytes(orjson.dumps({"notes": {note_id: {"status": "read", "starred": True}}}))
    args = ("--vault", str(vault), "--state", str(state))
    assert readerly("mark", "only.md", "--relevance", "high", *args).returncode == 0
    [note] = orjson.loads(readerly("list", "--json", "--query", "is:read", *args).stdout)
    assert (note["status"], note["starred"], note["relevance"]) == ("read", True, "high")
