"""Two writers at once lose no update; a vault changing while indexed stays consistent.

Quick versions; ``make stress`` runs the same harnesses with 500 toggles and more opens.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.durability.churn import content, vault_churn
from tests.durability.concurrency import app_and_cli, cli_and_cli
from tui.vault.index import Vault


def test_two_cli_streams_toggling_one_state_lose_no_update(tmp_path: Path) -> None:
    report = cli_and_cli(tmp_path, toggles=24, seed=3)
    assert report.problems == []
    assert report.toggles == 24
    assert report.lost == []


def test_the_app_and_the_cli_toggling_one_state_lose_no_update(tmp_path: Path) -> None:
    report = app_and_cli(tmp_path, toggles=30, seed=3)
    assert report.problems == []
    assert report.toggles >= 20  # the CLI's 15, and the app's presses that changed something
    assert report.lost == []


def test_a_vault_changing_while_it_is_indexed(tmp_path: Path) -> None:
    report = vault_churn(tmp_path, opens=15, seed=3)
    assert report.problems == []
    assert report.opens == 15 and report.notes_checked > 15 * 100
    assert report.inconsistent == []


def test_a_note_rewritten_right_after_it_was_indexed_is_read_again(tmp_path: Path) -> None:
    # Same size, written within the same clock tick: the cache must not serve the old one.
    root, cache = tmp_path / "vault", tmp_path / "cache"
    root.mkdir()
    part = root / ".a.partial"
    for version in range(0, 60, 2):
        for v in (version, version + 1):
            part.write_bytes(content("a", v))
            os.replace(part, root / "a.md")
            title = Vault.open(root, cache_dir=cache).notes[0].title
            assert title == f"a v{v:07d}"
