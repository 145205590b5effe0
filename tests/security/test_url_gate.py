"""Only web URLs ever reach the browser: through the real app with a fake browser, and for any
string at all against the gate in ``tui.text.urls``."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzz import any_char, fuzz_settings
from tests.security.hostile import BAD_SOURCES, write_hostile_vault
from tui.state.store import StateStore
from tui.text import urls
from tui.ui.app import ReaderApp
from tui.vault.index import Vault

REFUSED_SCHEMES = ("javascript:", "file:", "data:", "vbscript:", "ftp:")


def _is_plain_web_url(url: str) -> bool:
    scheme, sep, rest = url.partition("://")
    return (
        bool(sep)
        and scheme.lower() in ("http", "https")
        and bool(rest)
        and not rest.startswith("/")
        and not any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in url)
    )


class FakeBrowser:
    """Stands in for ``webbrowser.open``: records what it was asked to open."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any attempt to start a process (a shell, a browser) is recorded and refused."""
    started: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        started.append(args)
        raise OSError("no processes in this test")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr("os.system", refuse)
    return started


async def test_the_app_sends_only_web_urls_to_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_processes: list[Any]
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")  # so the app opens links instead of copying them
    root = tmp_path / "vault"
    write_hostile_vault(root)
    vault = Vault.open(root, use_cache=False)
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), vault=vault)
    browser = FakeBrowser()
    app.opener = browser
    followed = 0
    async with app.run_test(size=(160, 50)) as pilot:
        screen = app.main
        for note in vault.notes:
            screen.open_note(note)
            await pilot.pause()
            if note.source:
                await pilot.press("o")  # the source, through the key as a person would
            for link in screen.article.links[:40]:  # every link (the 20,000 [[a]] stop at 40)
                screen.links.follow(link)
                followed += 1
            app.clear_notifications()  # hundreds of toasts would only slow the run down
        assert app.is_running
    assert followed > 50  # the hostile links really were followed
    assert browser.opened, "no valid link reached the fake browser: the test saw nothing"
    for url in browser.opened:
        assert urls.web_url(url) == url and _is_plain_web_url(url), url
        assert not url.lower().startswith(REFUSED_SCHEMES)
    assert not set(BAD_SOURCES) & set(browser.opened)
    assert no_processes == []


GOOD_HOSTS = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True)


@fuzz_settings()
@given(st.text(any_char, max_size=60))
def test_the_gate_passes_nothing_but_plain_web_urls(text: str) -> None:
    for candidate in (text, "https://" + text, "http://example.com/" + text, "-" + text):
        valid = urls.web_url(candidate)
        assert valid is None or (valid == candidate and _is_plain_web_url(valid)), candidate
        opened: list[str] = []
        message = urls.open_url(candidate, opener=opened.append)
        assert opened == ([valid] if valid else [])
        assert urls.web_url(message) is None  # the message itself is never a bare URL


@fuzz_settings()
@given(GOOD_HOSTS, st.text(st.characters(codec="ascii", categories=["L", "N"]), max_size=20))
def test_the_gate_passes_ordinary_web_urls(host: str, path: str) -> None:
    for url in (f"https://{host}/{path}", f"http://{host}/{path}?q=1#x"):
        assert urls.web_url(url) == url
