"""The real program in a real terminal (tmux): keys work, and hostile notes stay inert."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.tmux import Tmux, child_env
from tui.state.store import StateStore
from tui.vault.index import Vault

pytestmark = pytest.mark.e2e

HOSTILE_BODY = (
    "Opening words of a hostile note.\n\n"
    "title change \x1b]0;PWNED\x07 and \x1b]2;PWNED2\x1b\\ here\n\n"
    "clipboard \x1b]52;c;cHduZWQ=\x07 and 8-bit \x9d52;c;cHduZWQ=\x9c\n\n"
    "clear screen \x1b[2J\x1b[H and \x9b2J and bell \x07\n\n"
    "[@click=app.quit]click me[/] and [bold red]markup[/]\n"
)


@pytest.fixture
def term() -> Iterator[Tmux]:
    t = Tmux(width=100, height=30)
    yield t
    t.close()


@pytest.fixture
def hostile_vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "2026-04-01-hostile.md").write_bytes(
        (
            '---\ntitle: "Evil \\e]0;PWNED\\a [@click=app.quit]x[/] title"\n'
            "date: '2026-04-01'\ndomain: \"\\e]52;c;cHduZWQ=\\a\"\n---\n" + HOSTILE_BODY
        ).encode("utf-8")
    )
    (root / "2026-03-01-plain.md").write_text(
        "---\ntitle: Plain neighbour\ndate: '2026-03-01'\n---\nNothing odd here.\n"
    )
    return root


def start(term: Tmux, vault: Path, state: Path) -> None:
    env = child_env(
        {
            "READERLY_STATE": str(state),
            "READERLY_CACHE": str(state.parent / "c"),
            "READERLY_DEVICE_FILE": str(state.parent / "device.json"),
        }
    )
    term.start([sys.executable, "-m", "tui", str(vault)], env, cwd=ROOT)


def test_hostile_note_cannot_reach_the_terminal(
    term: Tmux, hostile_vault: Path, tmp_path: Path
) -> None:
    start(term, hostile_vault, tmp_path / "state.json")
    screen = term.wait_for("Plain neighbour")
    # The markup is shown as text (the list may cut the title short beside the sidebar).
    assert "Evil [@click=app.qu" in screen
    term.keys("g", "Enter")
    term.wait_for("Opening words of a hostile note")
    # The article may be painted a few lines at a time on a busy machine: wait for the line.
    screen = term.wait_for("click me[/]")
    assert "[@click=app.quit]click me[/]" in screen
    assert "[bold red]markup[/]" in screen
    screen = term.wait_for("clipboard")
    term.keys("space", "b", "j", "k")
    assert not term.dead(), "the note made the app exit"
    assert "PWNED" not in term.title()
    assert term.title() == "ORIGINAL-TITLE" or "readerly" in term.title().lower()
    assert term.buffers() == "", "an OSC 52 sequence reached the terminal's clipboard"
    # A clear-screen sequence would wipe the frame; the status line must still be there.
    assert "shown" in term.screen()


def test_keys_mark_read_and_star_in_the_state_file(
    term: Tmux, hostile_vault: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    start(term, hostile_vault, state)
    term.wait_for("Plain neighbour")
    term.keys("G", "s", "m")
    term.wait_for("★")
    term.keys("q")
    for _ in range(100):
        if term.dead():
            break
        time.sleep(0.05)
    assert term.dead(), f"q did not quit:\n{term.screen()}"
    vault = Vault.open(hostile_vault, use_cache=False)
    store = StateStore(state)
    plain = vault.find("2026-03-01-plain.md")
    assert plain is not None
    assert store.starred(plain)
    assert store.status(plain) == "read"
