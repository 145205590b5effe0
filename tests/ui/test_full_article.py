"""The full article in the article pane: fetched in the background, toggled, kept per view."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fetchsite import BOILERPLATE, Site, clear_proxies, serve
from tui.config.fetchconf import FetchSettings
from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.screens.triage import TriageScreen
from tui.ui.widgets.article.view import ArticleView
from tui.vault.index import Vault

LOCAL = FetchSettings(allow_private_hosts=True, timeout=3, connect_timeout=2)
LONG = "\n\n".join(f"Summary paragraph {i} about the fireflies." for i in range(80))


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    clear_proxies(monkeypatch)
    with serve() as running:
        yield running


def _vault(tmp_path: Path, site: Site) -> Path:
    vault = tmp_path / "vault"
    vault.mkdir()
    notes = {
        "a-article": ("article", LONG),
        "b-hostile": ("hostile", "Short summary."),
        "c-missing": ("missing", "The summary of a gone page."),
        "d-nosource": ("", "No source here."),
    }
    for name, (page, body) in notes.items():
        source = f"source: {site.url('/' + page)}\n" if page else ""
        date = f"2025-01-0{9 - len(name) % 5}"
        text = f"---\ntitle: Note {name}\ndate: {date}\n{source}---\n{body}\n"
        (vault / f"{name}.md").write_text(text)
    return vault


def make_app(tmp_path: Path, site: Site, settings: FetchSettings = LOCAL) -> ReaderApp:
    vault = _vault(tmp_path, site)
    store = StateStore(tmp_path / "state.json")
    return ReaderApp(vault, store, vault=Vault.open(vault, use_cache=False), fetch=settings)


def shown(view: ArticleView) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def record(app: ReaderApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(message)
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    for screen in (app.main,):
        monkeypatch.setattr(screen, "notify", notify)
    return seen


async def wait_for(pilot: Any, condition: Any, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause()
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def open_note(app: ReaderApp, pilot: Any, name: str) -> None:
    await pilot.pause()
    app.main.open_by_id(app.main.vault.by_path[name].id)  # type: ignore[union-attr]
    await pilot.pause()


async def test_fetch_shows_the_full_article_and_v_toggles(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, site)
    async with app.run_test(size=(120, 16)) as pilot:  # short, so the article scrolls
        await open_note(app, pilot, "a-article.md")
        view = app.main.article
        assert "Summary paragraph 0" in shown(view)
        await pilot.press("F")
        await wait_for(pilot, lambda: "fireflies keep time" in shown(view))
        text = shown(view)
        header = " ".join(text.split())  # the header wraps to the pane's width
        assert "full article, fetched" in header and "v: summary" in header
        assert "On warm June nights" in text
        assert not any(junk in text for junk in BOILERPLATE)
        assert app.main.full.showing == app.main.shown_id
        # Each view keeps its own place: scroll the full article, back to the summary...
        await pilot.press(*"jjjjjjjjjj")
        await wait_for(pilot, lambda: view.position > 0)
        full_at = view.position
        await pilot.press("v")
        await wait_for(pilot, lambda: "Summary paragraph 0" in shown(view))
        assert app.main.full.showing is None
        await pilot.press("G")
        await wait_for(pilot, lambda: "Summary paragraph 79" in shown(view))
        await wait_for(pilot, lambda: view._pending is None)  # the bottom is settled
        summary_at = view.position
        # ...and to the full article again: from the cache, where it was left.
        await pilot.press("v")
        await wait_for(pilot, lambda: abs(view.position - full_at) < 1e-6)
        assert app.main.full.showing == app.main.shown_id
        assert "Coupled oscillators" in shown(view)
        assert [p for p, _h in site.requests] == ["/article"]
        await pilot.press("v")
        await wait_for(pilot, lambda: abs(view.position - summary_at) < 1e-6)
        assert "Summary paragraph 79" in shown(view)


async def test_errors_are_one_notification_and_the_summary_stays(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, site)
    seen = record(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_note(app, pilot, "c-missing.md")
        await pilot.press("F")
        await wait_for(pilot, lambda: any("HTTP 404" in m for m in seen))
        assert "The summary of a gone page." in shown(app.main.article)
        assert app.main.full.showing is None
        await open_note(app, pilot, "d-nosource.md")
        await pilot.press("F")
        await pilot.pause()
        assert "This note has no source URL to fetch" in seen


async def test_refused_private_host_is_reported(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, site, FetchSettings(timeout=3))
    seen = record(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_note(app, pilot, "a-article.md")
        await pilot.press("F")
        await wait_for(pilot, lambda: any("allow_private_hosts" in m for m in seen))
        assert "Summary paragraph 0" in shown(app.main.article)
        assert site.requests == []


async def test_hostile_page_is_drawn_as_text(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, site)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_note(app, pilot, "b-hostile.md")
        await pilot.press("F")
        view = app.main.article
        await wait_for(pilot, lambda: "Evil red" in shown(view))
        text = shown(view)
        assert "[@click=app.quit]heading" in text and "\x1b" not in text
        strips = [view.render_line(y) for y in range(view.size.height)]
        assert not any("\x1b" in seg.text for strip in strips for seg in strip)
        assert app.is_running  # nothing on the page ran an action


async def test_triage_fetches_and_toggles(tmp_path: Path, site: Site) -> None:
    app = make_app(tmp_path, site)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        while screen.note is not None and screen.note.path != "a-article.md":
            await pilot.press("space")
        await pilot.press("F")
        await wait_for(pilot, lambda: "fireflies keep time" in shown(screen.article))
        await pilot.press("v")
        await pilot.pause()
        assert "Summary paragraph 0" in shown(screen.article)
        note = screen.note
        assert note is not None
        assert screen.store.status(note) == "unread"  # fetching is not a decision


async def test_prefetch_fills_the_cache_in_the_background(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = FetchSettings(allow_private_hosts=True, timeout=3, prefetch=True)
    app = make_app(tmp_path, site, settings)
    seen = record(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: any(m.startswith("Prefetched") for m in seen))
        assert "Prefetched 2 of 3 full articles" in seen  # the 404 is the one missing
        await open_note(app, pilot, "a-article.md")
        requests = len(site.requests)
        await pilot.press("F")
        await wait_for(pilot, lambda: "fireflies keep time" in shown(app.main.article))
        assert len(site.requests) == requests  # shown from the cache


async def test_no_prefetch_by_default(tmp_path: Path, site: Site) -> None:
    app = make_app(tmp_path, site)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.3)
        assert site.requests == []
