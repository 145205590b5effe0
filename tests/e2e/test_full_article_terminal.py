"""In a real terminal: F shows a locally served source as the full article, hostile or not."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.tmux import Tmux, child_env
from tests.fetchsite import Site, clear_proxies, serve

pytestmark = pytest.mark.e2e


@pytest.fixture
def term() -> Iterator[Tmux]:
    t = Tmux(width=100, height=30)
    yield t
    t.close()


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    clear_proxies(monkeypatch)
    with serve() as running:
        yield running


def test_full_article_in_tmux(term: Tmux, site: Site, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    for name, page, date in (("lanterns", "article", "02"), ("evil", "hostile", "01")):
        (vault / f"{name}.md").write_text(
            f"---\ntitle: Note {name}\ndate: 2025-01-{date}\nsource: {site.url('/' + page)}\n"
            f"---\nThe clipped summary of {name}.\n"
        )
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\nallow_private_hosts = true\ntimeout = 5\n")
    env = child_env(
        {
            "READERLY_STATE": str(tmp_path / "state.json"),
            "READERLY_CACHE": str(tmp_path / "cache"),
            "READERLY_CONFIG": str(config),
        }
    )
    term.start([sys.executable, "-m", "tui", str(vault)], env, cwd=ROOT)
    term.wait_for("Note lanterns")
    term.keys("g", "Enter")
    term.wait_for("The clipped summary of lanterns.")
    term.keys("F")
    screen = term.wait_for("On warm June nights")
    assert "Tiny Lanterns: how fireflies keep" in screen  # the page's own title
    assert "Visit the lantern shop" not in screen
    term.keys("v")
    term.wait_for("The clipped summary of lanterns.")
    term.keys("Escape")
    time.sleep(0.4)  # a key right after Escape would read as Alt+key
    term.keys("j", "Enter")
    term.wait_for("The clipped summary of evil.")
    term.keys("F")
    screen = term.wait_for("garden snail")
    assert "[@click=app.quit]this[/]" in screen
    assert not term.dead() and "pwned" not in term.title()
    assert term.buffers() == ""  # the page's OSC 52 never reached the terminal
