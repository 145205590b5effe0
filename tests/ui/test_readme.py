"""The README's key table is the one the bindings produce, so the two cannot drift."""

from __future__ import annotations

from tests.conftest import ROOT
from tools.update_readme import render


def test_readme_key_table_matches_bindings() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render(text) == text, "README key table is stale: run `make readme`"
    assert "| `m` |" in text
