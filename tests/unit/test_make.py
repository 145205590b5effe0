"""``make run`` starts the reader without a screenful of build noise first."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_run_prints_only_what_readerly_prints() -> None:
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("no .venv in this checkout")
    done = make("run", "VAULT=--version")
    assert done.returncode == 0, done.stderr
    # Only the program's own line: make does not echo the commands it runs.
    assert done.stdout.splitlines() == [done.stdout.strip()]
    assert done.stdout.startswith("readerly ") and done.stderr == ""


def test_the_editable_install_is_quiet() -> None:
    # -n prints the recipe without running it; -W pretends pyproject.toml just changed.
    done = make("-n", "-W", "pyproject.toml", ".venv/.installed")
    install = [line for line in done.stdout.splitlines() if "pip install" in line]
    assert install, done.stdout
    assert all(" -q" in line for line in install)
    # setuptools' "Editable installation" box is a warning; the recipe filters it.
    assert all("ignore:Editable installation" in line for line in install)
