"""Triage mode through Pilot: queue order, every key, undo, the summary, checked in the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.state.store import StateError, StateStore
from tui.ui.app import ReaderApp
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.triage import TriageScreen
from tui.vault.index import Vault

SIZE = (120, 40)
HOSTILE_TITLE = "[@click=app.quit]boom[/] [bold]x\x1b]0;PWNED\x07"
EVIL_URL = "https://evil.example/[@click=app.quit]"

# Expected triage order: relevance highest first, then newest first.
NOTES: dict[str, tuple[dict[str, Any], str]] = {
    "high-old.md": ({"title": "High old", "date": "2026-03-01", "relevance": "🔴",
                     "source": "https://old.example/post", "tags": ["python"]}, "Old but high.\n"),
    "high-new.md": ({"title": "High new", "date": "2026-03-05", "relevance": "high",
                     "source": "https://new.example/post"},
                    "\n".join(f"Line {i} of a long body.\n" for i in range(200))),
    "medium.md": ({"title": "Medium one", "date": "2026-03-07", "relevance": "🟡",
                   "source": "javascript:alert(1)"}, "Medium body.\n"),
    "low.md": ({"title": "Low one", "date": "2026-03-08", "relevance": "🟢"}, "Low body.\n"),
    "plain.md": ({"title": "No relevance", "date": "2026-03-09", "tags": ["python"]},
                 "Newest, but no relevance.\n"),
    "done.md": ({"title": "Already read", "date": "2026-03-10", "relevance": "🔴",
                 "status": "read"}, "Read before.\n"),
    "gone.md": ({"title": "Archived", "date": "2026-03-11", "status": "archived"}, "Gone.\n"),
}  # fmt: skip
ORDER = ["high-new.md", "high-old.md", "medium.md", "low.md", "plain.md"]


def write_vault(root: Path, notes: dict[str, tuple[dict[str, Any], str]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, (meta, body) in notes.items():
        # JSON is valid YAML, so any title is written exactly.
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        (root / name).write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")
    return root


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", NOTES)


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state.json"


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A local graphical session unless a test says otherwise, so ``o`` opens."""
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")


def make_app(vault_dir: Path, state_path: Path) -> tuple[ReaderApp, list[str]]:
    app = ReaderApp(vault_dir, StateStore(state_path), vault=Vault.open(vault_dir, use_cache=False))
    opened: list[str] = []
    app.opener = opened.append
    return app, opened


def on_disk(state_path: Path, vault_dir: Path, name: str) -> tuple[str, bool, str | None]:
    """Status, star and relevance of a note as a fresh store reads them from the file."""
    note = Vault.open(vault_dir, use_cache=False).by_path[name]
    store = StateStore(state_path)
    try:
        return store.status(note), store.starred(note), store.relevance(note)
    finally:
        store.close()


async def enter(app: ReaderApp, pilot: Any) -> TriageScreen:
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, TriageScreen)
    return app.screen


def current(screen: TriageScreen) -> str | None:
    return screen.note.path if screen.note is not None else None


def record_notes(app: ReaderApp, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((message, kwargs))
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


def article_text(screen: TriageScreen) -> str:
    article = screen.article
    return "\n".join(article.render_line(y).text for y in range(article.size.height))


async def test_queue_is_unread_notes_by_relevance_then_newest(
    vault_dir: Path, state_path: Path
) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        assert [n.path for n in screen.queue] == ORDER
        assert current(screen) == "high-new.md"
        assert "High new" in article_text(screen)
        # Showing a note does not mark it read.
        assert on_disk(state_path, vault_dir, "high-new.md")[0] == "unread"


async def test_queue_keeps_the_main_screens_filters(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"tag:python", "enter")
        await pilot.pause()
        screen = await enter(app, pilot)
        assert [n.path for n in screen.queue] == ["high-old.md", "plain.md"]


async def test_each_key_saves_and_moves_on(vault_dir: Path, state_path: Path) -> None:
    app, opened = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press("s")
        assert on_disk(state_path, vault_dir, "high-new.md") == ("read", True, "high")
        assert current(screen) == "high-old.md"
        await pilot.press("o")
        assert opened == ["https://old.example/post"]
        assert on_disk(state_path, vault_dir, "high-old.md")[0] == "read"
        assert current(screen) == "medium.md"
        await pilot.press("r")
        assert on_disk(state_path, vault_dir, "medium.md")[0] == "read"
        await pilot.press("e")
        assert on_disk(state_path, vault_dir, "low.md")[0] == "archived"
        assert current(screen) == "plain.md"
        await pilot.press("space")
        assert on_disk(state_path, vault_dir, "plain.md")[0] == "unread"
        assert screen.finished and screen.note is None


@pytest.mark.parametrize("key", ["space", "n", "right"])
async def test_skip_keys_leave_the_note_unread(vault_dir: Path, state_path: Path, key: str) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press(key)
        assert current(screen) == "high-old.md"
        assert on_disk(state_path, vault_dir, "high-new.md") == ("unread", False, "high")


async def test_m_marks_read_and_relevance_keys_stay(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        for key, level in (("3", "low"), ("2", "medium"), ("1", "high"), ("0", None)):
            await pilot.press(key)
            assert current(screen) == "high-new.md"
            assert on_disk(state_path, vault_dir, "high-new.md")[2] == level
        await pilot.press("3")
        assert "🟢" in article_text(screen)  # the header shows the new level
        await pilot.press("m")
        assert on_disk(state_path, vault_dir, "high-new.md") == ("read", False, "low")
        assert current(screen) == "high-old.md"


async def test_a_refused_source_is_not_opened_and_the_note_stays(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, opened = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        seen = record_notes(app, monkeypatch)
        screen = await enter(app, pilot)
        await pilot.press("space", "space")
        assert current(screen) == "medium.md"
        await pilot.press("o")
        assert opened == []
        assert current(screen) == "medium.md"
        assert on_disk(state_path, vault_dir, "medium.md")[0] == "unread"
        assert seen and seen[-1][1].get("markup") is False
        await pilot.press("space", "o")  # low.md has no source at all
        assert current(screen) == "low.md"
        assert opened == []


async def test_over_ssh_open_copies_the_url(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    app, opened = make_app(vault_dir, state_path)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press("o")
        assert opened == []
        assert copied == ["https://new.example/post"]
        assert current(screen) == "high-old.md"


async def test_undo_puts_the_file_back_and_returns_to_the_note(
    vault_dir: Path, state_path: Path
) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press("s", "2", "e")
        assert current(screen) == "medium.md"
        assert on_disk(state_path, vault_dir, "high-old.md") == ("archived", False, "medium")
        await pilot.press("u")
        assert current(screen) == "high-old.md"
        assert on_disk(state_path, vault_dir, "high-old.md") == ("unread", False, "medium")
        await pilot.press("u")
        assert on_disk(state_path, vault_dir, "high-old.md") == ("unread", False, "high")
        await pilot.press("u")
        assert current(screen) == "high-new.md"
        assert on_disk(state_path, vault_dir, "high-new.md") == ("unread", False, "high")
        assert screen.tally().sentence() == "5 notes: 0 starred, 0 read, 0 archived, 0 skipped"


async def test_previous_goes_back_without_changes(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press("p")  # already at the first: stays
        assert current(screen) == "high-new.md"
        await pilot.press("r", "space")
        await pilot.press("left")
        assert current(screen) == "high-old.md"
        await pilot.press("p")
        assert current(screen) == "high-new.md"
        assert on_disk(state_path, vault_dir, "high-new.md")[0] == "read"
        assert on_disk(state_path, vault_dir, "high-old.md")[0] == "unread"
        # Moving on again past a decided note keeps its decision.
        await pilot.press("space")
        assert screen.tally().read == 1


async def test_summary_counts_what_happened(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press("s", "r", "1", "e", "m", "space")
        assert screen.finished
        summary = str(screen.query_one("#triage-summary").render())
        assert "5 notes: 1 starred, 2 read, 1 archived, 1 skipped." in summary
        assert "Relevance changed on 1." in summary
        # Note keys do nothing on the summary; p goes back to the last note.
        await pilot.press("s")
        assert on_disk(state_path, vault_dir, "plain.md") == ("unread", False, None)
        await pilot.press("p")
        assert current(screen) == "plain.md" and not screen.finished
        await pilot.press("s")
        assert screen.tally().sentence() == "5 notes: 2 starred, 2 read, 1 archived, 0 skipped"


async def test_leaving_shows_the_changes_in_the_list(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        main = app.main
        await enter(app, pilot)
        await pilot.press("s", "e", "escape")
        assert app.screen is app.main
        rows = {main.rows[i].title: main.rows[i] for i in range(len(main.rows))}
        assert rows["High new"].starred and rows["High new"].status == "read"
        assert rows["High old"].status == "archived"
        assert rows["Medium one"].status == "unread"
        again = await enter(app, pilot)
        assert [n.path for n in again.queue] == ["medium.md", "low.md", "plain.md"]
        await pilot.press("q")
        assert app.screen is app.main and app.is_running


async def test_hostile_title_is_drawn_as_text(
    tmp_path: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta = {"title": HOSTILE_TITLE, "date": "2026-03-01", "source": EVIL_URL,
            "relevance": "[b]odd[/b]"}  # fmt: skip
    notes = {"evil.md": (meta, "Body.\n")}
    vault_dir = write_vault(tmp_path / "vault", notes)
    app, opened = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.pause(0.1)
        text = article_text(screen)
        assert "[@click=app.quit]boom[/] [bold]x" in text
        assert "\x1b" not in text
        assert "[b]odd[/b]" in str(screen.query_one("#triage-position").render())
        await pilot.click("#triage-article", offset=(3, 0))
        await pilot.press("o")
        assert app.is_running
        assert opened == [EVIL_URL]
        assert screen.finished
        assert "\x1b" not in app.export_screenshot()


async def test_a_failed_save_is_reported_and_the_note_stays(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        seen = record_notes(app, monkeypatch)
        screen = await enter(app, pilot)

        def refuse(*args: object, **kwargs: object) -> object:
            raise StateError("disk full [bold]")

        monkeypatch.setattr(app.store, "update", refuse)
        await pilot.press("s")
        assert app.is_running
        assert current(screen) == "high-new.md"
        assert seen[-1][0] == "disk full [bold]"
        assert seen[-1][1]["severity"] == "error" and seen[-1][1]["markup"] is False
        assert screen.steps == []
        monkeypatch.undo()
        await pilot.press("r")
        assert on_disk(state_path, vault_dir, "high-new.md")[0] == "read"


async def test_j_and_k_scroll_the_body(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press("j", "j", "j")
        assert screen.article.scroll_y == 3
        await pilot.press("k")
        assert screen.article.scroll_y == 2
        assert current(screen) == "high-new.md"


async def test_help_lists_the_triage_keys(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.screen.sections)
        listed = {text for rows in sections.values() for _, text in rows}
        # Help shows each key's longer text, and only keys that work on this screen.
        assert {
            "Star it and mark it read; next note",
            "Next note; this one stays unread",
            "Archive it; next note",
            "Back to the list",
            "Relevance high",
        } <= listed
        assert "Triage" not in sections  # the main screen's triage keys don't apply here
        assert "Mark all shown read" not in listed


async def test_nothing_unread_says_so(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"is:read", "enter")
        await pilot.pause()
        screen = await enter(app, pilot)
        assert screen.queue == [] and screen.finished
        assert "Nothing to triage" in str(screen.query_one("#triage-summary").render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_still_loading_says_so(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = TriageScreen(None, app.changes, [])
        await app.push_screen(screen)
        await pilot.pause()
        assert "still loading" in str(screen.query_one("#triage-summary").render())
        await pilot.press("s", "u", "q")
        assert app.screen is app.main


async def test_a_keymap_moves_triage_keys(vault_dir: Path, state_path: Path) -> None:
    vault = Vault.open(vault_dir, use_cache=False)
    app = ReaderApp(vault_dir, StateStore(state_path), vault=vault, keymap={"triage.star": "x"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await enter(app, pilot)
        await pilot.press("s")
        assert current(screen) == "high-new.md"
        await pilot.press("x")
        assert current(screen) == "high-old.md"
        assert on_disk(state_path, vault_dir, "high-new.md") == ("read", True, "high")


def article_header(screen: TriageScreen) -> str:
    return "\n".join(screen.article.render_line(y).text for y in range(3))


async def test_the_article_header_shows_star_and_status(vault_dir: Path, state_path: Path) -> None:
    app, _ = make_app(vault_dir, state_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await enter(app, pilot)
        head = article_header(screen)
        assert "High new" in head and "unread" in head and "★" not in head
        await pilot.press("s")  # star and read, then the next note
        await pilot.pause()
        assert "High old" in article_header(screen) and "unread" in article_header(screen)
        await pilot.press("m", "p")  # read; back to it
        await pilot.pause()
        head = article_header(screen)
        assert "High old" in head and "read" in head and "unread" not in head and "★" not in head
        await pilot.press("p")
        await pilot.pause()
        assert "High new" in article_header(screen)
        assert "★ starred · read" in article_header(screen)
