"""Whatever the file system does after the scan, no byte from outside the vault is shown,
and no FIFO or device stops the reader."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.security.bounded import within
from tests.security.swap import symlink_swap
from tui.query.query import parse_query, run_query
from tui.state.store import StateStore
from tui.vault.index import Vault
from tui.vault.scan import scan

SECRET = b"SECRET-OUTSIDE-THE-VAULT"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "a.md").write_text("# A note\n\ninside text\n")
    (root / "b.md").write_text("# Another\n\nmore inside text\n")
    (tmp_path / "secret.md").write_bytes(b"# Secret\n\n" + SECRET + b"\n")
    return root


def test_a_note_swapped_for_a_link_out_after_the_scan_is_not_read(vault: Path) -> None:
    opened = Vault.open(vault, use_cache=False)
    note = opened.find("a.md")
    assert note is not None
    (vault / "a.md").unlink()
    (vault / "a.md").symlink_to(vault.parent / "secret.md")
    body = opened.body(note)
    assert SECRET.decode() not in body
    assert any("outside the vault" in p for p in note.problems), note.problems
    # Searching reads the files again: the outside text is not searched either.
    state = StateStore(vault.parent / "state.json").snapshot()
    hits = run_query(opened.notes, state, parse_query("outside"), search=opened)
    assert hits == [], [opened.notes[i].path for i in hits]
    # Taking the change in (as the watcher does) reads it through the same check.
    opened.apply(["a.md"])
    again = opened.find("a.md")
    assert again is None or SECRET.decode() not in opened.body(again)


def test_a_note_swapping_back_and_forth_never_leaks(vault: Path) -> None:
    """The probe's race, bounded: a.md flips between a regular file and a link out every
    couple of milliseconds while it is read again and again."""
    opened = Vault.open(vault, use_cache=False)
    note = opened.find("a.md")
    assert note is not None
    regular, link = vault.parent / "regular.md", vault.parent / "link.md"
    regular.write_text("# A note\n\ninside text\n")
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            link.unlink(missing_ok=True)
            link.symlink_to(vault.parent / "secret.md")
            os.replace(link, vault / "a.md")
            time.sleep(0.002)
            os.link(regular, vault.parent / "copy.md")
            os.replace(vault.parent / "copy.md", vault / "a.md")
            time.sleep(0.002)

    flipper = threading.Thread(target=flip, daemon=True)
    flipper.start()
    reads = leaks = inside = 0
    deadline = time.monotonic() + 2.0
    try:
        while time.monotonic() < deadline and reads < 2000:
            note.problems.clear()
            body = opened.body(note)
            reads += 1
            leaks += SECRET.decode() in body
            inside += "inside text" in body
    finally:
        stop.set()
        flipper.join(5)
    assert leaks == 0, f"{leaks} of {reads} reads showed the outside file"
    assert inside > 0 and inside < reads, "the race never ran both ways"


def test_a_fifo_note_neither_hangs_the_scan_nor_the_index(vault: Path) -> None:
    os.mkfifo(vault / "x.md")
    found = scan(vault)
    assert [f.path for f in found.files] == ["a.md", "b.md"]
    assert any("x.md" in p and "not a regular file" in p for p in found.problems)
    opened = within(10, lambda: Vault.open(vault, use_cache=False))
    assert isinstance(opened, Vault)
    assert sorted(n.path for n in opened.notes) == ["a.md", "b.md"]


def test_a_note_swapped_for_a_fifo_after_the_scan_does_not_hang(vault: Path) -> None:
    opened = Vault.open(vault, use_cache=False)
    note = opened.find("a.md")
    assert note is not None
    (vault / "a.md").unlink()
    os.mkfifo(vault / "a.md")
    assert within(10, lambda: opened.body(note)) == ""
    assert any("not a regular file" in p for p in note.problems), note.problems
    assert within(10, lambda: opened.apply(["a.md"])) is not None


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_note_is_passed_over(vault: Path) -> None:
    import stat

    os.mknod(vault / "zero.md", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    opened = within(10, lambda: Vault.open(vault, use_cache=False))
    assert isinstance(opened, Vault)
    assert sorted(n.path for n in opened.notes) == ["a.md", "b.md"]


def test_readerly_list_with_a_fifo_in_the_vault_finishes(vault: Path) -> None:
    os.mkfifo(vault / "x.md")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "list", "--vault", str(vault)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "A note" in result.stdout and "Another" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_swap_race_harness_finds_no_leak_hang_or_traceback(tmp_path: Path) -> None:
    """The quick form of the `make stress` race, through the loader and `readerly show`."""
    report = symlink_swap(tmp_path, reads=200, shows=1, seed=11, seconds=60)
    assert (report.leaked, report.hung, report.tracebacks) == (0, 0, 0), report.problems
    assert report.tried == 201 and report.inside > 0
