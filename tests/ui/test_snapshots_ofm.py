"""Snapshots of Obsidian Markdown in the article pane at 80×24 and 120×40: callouts (folded,
open, nested), highlights, inline HTML, footnotes, tasks, math, an aligned wide table, embeds,
attachment placeholders and find highlights. The notes are the sample vault's own."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.test_snapshots import SIZES, Compare, Flow, keys, settle
from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.vault.index import Vault

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "obsidian"
# Newest first in the list: embeds, then footnotes, then callouts.
NOTES = ("Callouts and Highlights.md", "Footnotes Tasks and Math.md", "Embeds and Heading Links.md")


def _find(*words: str) -> Flow:
    async def flow(pilot: Pilot[None]) -> None:
        await keys("j", "j", "enter")(pilot)
        await pilot.press("ctrl+f", *words, "enter")
        await settle(pilot, 0.3)

    return flow


FLOWS: dict[str, Flow] = {
    "callouts": keys("j", "j", "enter"),
    "callout_folded_by_key": keys("j", "j", "enter", "z"),
    "footnotes_tasks_math": keys("j", "enter"),
    "wide_table": keys("j", "enter", "G"),
    "embeds": keys("enter"),
    "find": _find(*"callout"),
}


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], ReaderApp]:
    home = tmp_path / "readerly"
    vault_dir = home / "vault"
    vault_dir.mkdir(parents=True)
    for name in NOTES:
        shutil.copy(SEEDS / name, vault_dir / name)
    monkeypatch.chdir(home)
    state = Path("state") / "state.json"
    monkeypatch.setenv("READERLY_STATE", str(state))

    def build() -> ReaderApp:
        vault = Vault.open(vault_dir, use_cache=False)
        app = ReaderApp(vault_dir, StateStore(state), vault=vault)
        app.main.similar = 0
        return app

    return build


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("flow", list(FLOWS))
def test_obsidian_screen(
    snap_compare: Compare, make_app: Callable[[], ReaderApp], flow: str, size: str
) -> None:
    app = make_app()

    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-dark"
        await FLOWS[flow](pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
