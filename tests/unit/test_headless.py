"""The model layer must not pull in the UI toolkit: the CLI, tests and benchmarks use it bare."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

MODEL_MODULES = [
    "tui.notes",
    "tui.relevance",
    "tui.hygiene",
    "tui.meta",
    "tui.loader",
    "tui.links",
    "tui.scan",
    "tui.vault",
    "tui.search",
    "tui.state",
    "tui.query",
    "tui.config",
    "tui.cli",
    "tui.cli_notes",
    "tui.cli_app",
    "tui.tomltext",
    "tui.livequery",
    "tui.reindex",
    "tui.watch",
    "tui.indexcache",
    "tui.durable",
    "tui.journal",
    "tui.storage",
    "tui.urls",
    "tui.blocks",
    "tui.facets",
    "tui.triage",
]


@pytest.mark.parametrize("module", MODEL_MODULES)
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
