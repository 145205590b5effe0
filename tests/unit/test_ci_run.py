"""``.ci/run`` on a bare Debian machine: it asks for every package ``make test`` needs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

TOOLS = ("dirname", "mktemp", "cat", "rm", "env")


def machine(
    tmp_path: Path, *, have: tuple[str, ...] = (), uid: int = 0, python: str = "full"
) -> Path:
    """A PATH holding only the basic tools, the listed ones, and a fake ``id`` and python3."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} not on this machine")
        (bin_dir / tool).symlink_to(found)
    for tool in have:
        fake(bin_dir, tool, f'echo "{tool} $*" >> "{tmp_path}/calls"')
    fake(bin_dir, "id", f"echo {uid}")
    if python != "none":
        # "no-venv": Debian's python3 without python3-venv, where ensurepip is missing.
        venv_ok = "exit 1" if python == "no-venv" else "exit 0"
        fake(bin_dir, "python3", f'case "$*" in *ensurepip*) {venv_ok};; esac; exit 0')
    return bin_dir


def fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!{shutil.which('bash')}\n{body}\n")
    path.chmod(0o755)


def ci_run(bin_dir: Path, chromium: Path, *args: str) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash")
    assert bash
    env = {"PATH": str(bin_dir), "CHROMIUM": str(chromium), "HOME": os.environ.get("HOME", "/")}
    return subprocess.run(
        [bash, str(ROOT / ".ci" / "run"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_bare_machine_gets_make_venv_tmux_and_chromium(tmp_path: Path) -> None:
    done = ci_run(machine(tmp_path, python="no-venv"), tmp_path / "no-chromium", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "would install: make python3-venv tmux chromium"


def test_no_python_at_all_asks_for_python_venv_and_pip(tmp_path: Path) -> None:
    bin_dir = machine(tmp_path, have=("make", "tmux"), python="none")
    chromium = bin_dir / "env"  # any executable stands in for the browser
    done = ci_run(bin_dir, chromium, "--dry-run")
    assert done.stdout.strip() == "would install: python3 python3-venv python3-pip"


def test_without_root_and_without_sudo_it_says_what_to_do(tmp_path: Path) -> None:
    done = ci_run(machine(tmp_path, uid=1000), tmp_path / "no-chromium")
    assert done.returncode == 1
    assert "no sudo" in done.stderr and "apt-get install make tmux chromium" in done.stderr
    assert not (tmp_path / "calls").exists()  # nothing was run, not even apt-get


def test_sudo_is_used_only_when_not_root(tmp_path: Path) -> None:
    done = ci_run(
        machine(tmp_path, have=("sudo", "apt-get", "make", "tmux"), uid=1000), tmp_path / "none"
    )
    calls = (tmp_path / "calls").read_text().splitlines()
    assert done.returncode == 0, done.stderr
    assert calls[0] == "sudo apt-get update -q"
    assert calls[-1] == "make test"
    root = tmp_path / "root"
    root.mkdir()
    done = ci_run(machine(root, have=("apt-get", "make", "tmux")), root / "none")
    calls = (root / "calls").read_text().splitlines()
    assert done.returncode == 0, done.stderr
    assert calls[0] == "apt-get update -q" and calls[-1] == "make test"


def test_a_complete_machine_touches_no_apt(tmp_path: Path) -> None:
    bin_dir = machine(tmp_path, have=("tmux", "apt-get"))
    fake(bin_dir, "make", f'echo "make $* CI=$CI" >> "{tmp_path}/calls"')
    done = ci_run(bin_dir, bin_dir / "env")
    assert done.returncode == 0, done.stderr
    # CI is set for the tests, so a missing browser fails the web tests instead of skipping.
    assert (tmp_path / "calls").read_text().splitlines() == ["make test CI=true"]
