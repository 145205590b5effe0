"""The model layer must not pull in the UI toolkit: the CLI, tests and benchmarks use it bare."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

MODEL_MODULES = [
    "tui.text.notes",
    "tui.text.relevance",
    "tui.text.hygiene",
    "tui.vault.meta",
    "tui.vault.loader",
    "tui.text.links",
    "tui.vault.scan",
    "tui.vault.index",
    "tui.vault.search",
    "tui.state.store",
    "tui.query.query",
    "tui.config.settings",
    "tui.cli.main",
    "tui.cli.notes",
    "tui.cli.app_commands",
    "tui.config.tomltext",
    "tui.query.live",
    "tui.vault.update",
    "tui.vault.watch",
    "tui.vault.cache",
    "tui.state.durable",
    "tui.state.journal",
    "tui.state.files",
    "tui.text.urls",
    "tui.text.blocks",
    "tui.query.facets",
    "tui.query.triage",
    "tui.config.fetchconf",
    "tui.fetch.addresses",
    "tui.fetch.net",
    "tui.fetch.decode",
    "tui.fetch.extract",
    "tui.fetch.cache",
    "tui.fetch.service",
    "tui.cli.fetch",
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
