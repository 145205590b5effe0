"""The model layers must not pull in the UI toolkit: the CLI, tests and benchmarks use them bare.

Every module of the headless packages is found by walking them (nothing to keep by hand: a new
module is checked the day it is added) and imported in a fresh interpreter, which then must
not have loaded any ``textual`` or ``rich`` module.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEADLESS_PACKAGES = (
    "tui.text",
    "tui.vault",
    "tui.state",
    "tui.query",
    "tui.config",
    "tui.cli",
    "tui.fetch",
)
UI_ON_DEMAND = {"tui.cli.serve", "tui.cli.webpage"}
"""Web mode's server stack: imported only by ``readerly serve``, never by the other commands."""


def headless_modules() -> list[str]:
    found: list[str] = []
    for name in HEADLESS_PACKAGES:
        package = importlib.import_module(name)
        found.append(name)
        found += [info.name for info in pkgutil.walk_packages(package.__path__, f"{name}.")]
    return sorted(set(found) - UI_ON_DEMAND)


def test_the_walk_finds_the_modules_of_every_headless_package() -> None:
    modules = headless_modules()
    for expected in ("tui.text.hygiene", "tui.vault.index", "tui.state.changes",
                     "tui.query.live", "tui.config.settings", "tui.cli.main"):  # fmt: skip
        assert expected in modules
    assert not any(m.startswith("tui.ui") for m in modules)


@pytest.mark.parametrize("module", headless_modules())
def test_model_module_imports_no_ui(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"
