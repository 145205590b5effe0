"""More snapshots at 80×24: pickers, the palette, empty and no-match lists, a toast, the end
of triage, and the main screen in 16 colours and without colour.

Same rules as :mod:`tests.ui.test_snapshots` (its vault, its settling); regenerate with
``pytest tests/ui/test_snapshots_more.py --snapshot-update`` and look at the pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.test_snapshots import SIZES, Compare, Flow, keys, make_app, settle
from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.vault.index import Vault

__all__ = ["make_app"]  # the fixture, shared with test_snapshots

SIZE = SIZES["80x24"]
UNREAD = 5  # unread notes in the snapshot vault: triage's queue

FLOWS: dict[str, Flow] = {
    "link_picker": keys("enter", "L"),
    "backlinks": keys("enter", "B"),
    "palette": keys("ctrl+p", *"star"),  # typed: discovery order varies between runs
    "no_match": keys("slash", *"zzzq", "enter"),
    "toast_undo": keys("m", "u"),
    "triage_end": keys("t", *["space"] * UNREAD),
    "selection": keys("x", "j", "x"),  # the first and third notes; the cursor on the fourth
}


@pytest.mark.parametrize("flow", list(FLOWS))
def test_flow(snap_compare: Compare, make_app: Callable[[], ReaderApp], flow: str) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=FLOWS[flow])


def test_empty_vault(
    snap_compare: Compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "readerly"
    (root / "vault").mkdir(parents=True)
    monkeypatch.chdir(root)
    monkeypatch.setenv("COLORTERM", "truecolor")
    state = Path("state") / "state.json"
    app = ReaderApp(root / "vault", StateStore(state), vault=Vault.open(root / "vault"))
    app.main.similar = 0

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("mode", ["16-colours", "no-colour"])
def test_main_screen_where_colour_is_scarce(
    snap_compare: Compare,
    make_app: Callable[[], ReaderApp],
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
) -> None:
    build = make_app
    if mode == "16-colours":
        monkeypatch.setenv("TERM", "screen")
        monkeypatch.delenv("COLORTERM")
    else:
        monkeypatch.setenv("NO_COLOR", "1")
    app = build()  # built now, so it sees this terminal's colours

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot, 0.15)
        await pilot.press("f", "f")  # hidden, then shown and focused: the list's cursor blurs
        await settle(pilot, 0.4)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)


def test_a_selection_without_colour(
    snap_compare: Compare, make_app: Callable[[], ReaderApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=FLOWS["selection"])
