"""The real program in tmux opens every note of the hostile vault: nothing reaches the terminal.

tmux runs with ``set-clipboard on`` and ``allow-rename on``, so an OSC 52 sequence would
create a paste buffer and an OSC 0/2 sequence would change the pane title. The program runs
under an audit hook (``tests/security/audited.py``) that logs every file it opens and every
process it starts, so "nothing outside the vault is read" is checked, not assumed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux
from tests.security.session import LINKS_TO_FOLLOW, Layout, follows_links, opens_source
from tui.state.store import StateStore
from tui.text.urls import web_url

pytestmark = pytest.mark.e2e

TITLE = "ORIGINAL-TITLE"
HEIGHT = 36


@pytest.fixture
def term() -> Iterator[Tmux]:
    t = Tmux(width=120, height=HEIGHT)
    yield t
    t.close()


def _look(term: Tmux) -> tuple[bool, str, list[str], str]:
    """(dead, title, paste buffer names, screen) in one tmux call."""
    out = term.tmux(
        "display-message", "-p", "-t", "t", "#{pane_dead}|#{pane_title}", ";",
        "capture-pane", "-p", "-t", "t", ";",
        "list-buffers", "-F", "#{buffer_name}",
    )  # fmt: skip
    lines = out.split("\n")
    dead, _, title = lines[0].partition("|")
    screen = "\n".join(lines[1 : 1 + HEIGHT])
    return dead == "1", title, [b for b in lines[1 + HEIGHT :] if b], screen


def _wait(term: Tmux, text: str, timeout: float = 15.0) -> tuple[bool, str, list[str], str]:
    deadline = time.monotonic() + timeout
    while True:
        look = _look(term)
        if text in look[3] or time.monotonic() > deadline:
            assert text in look[3], f"{text!r} did not appear; screen:\n{look[3]}"
            return look
        time.sleep(0.03)


def _check(term: Tmux, look: tuple[bool, str, list[str], str], where: str) -> None:
    dead, title, buffers, screen = look
    assert not dead, f"the program exited at {where}:\n{screen}"
    assert title == TITLE, f"pane title changed at {where}: {title!r}"
    # With no display, opening a web link copies it instead (OSC 52, sent by the app itself
    # when asked to); nothing but a valid web URL may ever reach the clipboard.
    copied = [term.tmux("show-buffer", "-b", name) for name in buffers]
    stray = [text for text in copied if web_url(text) != text]
    assert stray == [], f"the clipboard was set at {where}: {stray!r}"
    # A clear-screen or cursor move would leave the frame broken: the search line at the
    # top of the list and the status line at the bottom must both still be drawn.
    assert "/ search" in screen and " shown, " in screen, f"frame lost at {where}:\n{screen}"


def test_every_hostile_note_stays_inert_in_a_real_terminal(term: Tmux, tmp_path: Path) -> None:
    run = Layout(tmp_path)
    order = run.walk_order()
    total = len(order)
    term.start(run.argv(), run.env(), run.cwd)
    _check(term, _wait(term, f"{total} shown, {total} unread", timeout=30), "start")
    term.keys("g", "Enter")  # open the first note; n opens the next unread one from there
    for opened, note in enumerate(order, start=1):
        if opened > 1:
            term.tmux("send-keys", "-t", "t", "n")
        _check(term, _wait(term, f"{total} shown, {total - opened} unread"), note.path)
        if follows_links(note):
            # Every link by number (l, digits, Enter): wikilinks out of the vault,
            # file:/javascript:/data: links, images of /etc/passwd.
            for number in range(1, LINKS_TO_FOLLOW + 1):
                term.tmux("send-keys", "-t", "t", "l", *str(number), "Enter")
            time.sleep(0.3)
            _check(term, _look(term), f"the links of {note.path}")
        if opens_source(note):
            term.keys("o")  # refused, or copied once cleaned: never a browser, never raw
            _check(term, _look(term), f"the source of {note.path}")
    term.keys("Escape")
    time.sleep(0.2)  # a key right after Escape would read as Alt+key
    term.keys("q")
    deadline = time.monotonic() + 5
    while not term.dead() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert term.dead(), "q did not quit"

    # Every note was opened (and so marked read): none was skipped by a stray key.
    store = StateStore(run.state)
    assert [n.path for n in order if store.status(n) != "read"] == []
    # Nothing read outside the vault, no process started, no screenshot (no markup action).
    assert run.audit_problems() == []
