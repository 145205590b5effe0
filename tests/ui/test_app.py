"""ReaderApp through Pilot: every key and flow, checked on screen and in the state file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.keys import all_keys, display_keys, keys_markdown
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.find import FindBar
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.triage import TriageScreen
from tui.ui.widgets.article.view import ArticleView
from tui.ui.widgets.facets import FacetSidebar
from tui.ui.widgets.note_list import NoteList
from tui.vault.index import Vault

WIDE = (200, 60)
NARROW = (80, 24)
HOSTILE_TITLE = "[@click=app.quit]x[/]\x1b]0;PWNED\x07"

NOTES: dict[str, tuple[dict[str, Any], str]] = {
    "alpha.md": (
        {"title": "Alpha article", "date": "2026-03-05", "domain": "Python",
         "tags": ["python"], "source": "https://alpha.example/a"},
        "Alpha starts here. See [[beta]] and [[missing-note]] and [a site](https://example.org/x).\n"
        + "\n".join(f"Paragraph {i} of alpha, with words to fill a line.\n" for i in range(120)),
    ),
    "beta.md": (
        {"title": "Beta notes", "date": "2026-03-04", "domain": "SQL",
         "source": "javascript:alert(1)", "relevance": "🟡"},
        "Beta body mentions zebra.\n",
    ),
    "gamma.md": (
        {"title": "Gamma guide", "date": "2026-03-03", "domain": "Python",
         "source": "file:///etc/passwd", "status": "read"},
        "Gamma links back to [[alpha]].\n",
    ),
    "delta.md": (
        {"title": "Delta digest", "date": "2026-03-02", "domain": "Git", "tags": ["git"]},
        "Delta also links to [[alpha]].\n",
    ),
    "epsilon.md": (
        {"title": "Epsilon essay", "date": "2026-03-01", "domain": "Git", "status": "archived"},
        "Archived.\n",
    ),
}  # fmt: skip


def write_vault(root: Path, notes: dict[str, tuple[dict[str, Any], str]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, (meta, body) in notes.items():
        # JSON is valid YAML, so any title (quotes, brackets, escapes) is written faithfully.
        front = "\n".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()
        )
        (root / name).write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")
    return root


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", NOTES)


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state.json"


def make_app(vault_dir: Path, state_path: Path, **options: Any) -> ReaderApp:
    vault = Vault.open(vault_dir, use_cache=False)
    return ReaderApp(vault_dir, StateStore(state_path), vault=vault, **options)


def on_disk(state_path: Path, vault_dir: Path, name: str) -> tuple[str, bool, str | None]:
    """Status, star and relevance of a note as a fresh store reads them from the file."""
    vault = Vault.open(vault_dir, use_cache=False)
    note = vault.by_path[name]
    store = StateStore(state_path)
    try:
        return store.status(note), store.starred(note), store.relevance(note)
    finally:
        store.close()


def main(app: ReaderApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def shown_titles(screen: MainScreen) -> list[str]:
    return [screen.rows[i].title for i in range(len(screen.rows))]


def status_text(screen: MainScreen) -> str:
    return str(screen.query_one("#status", Static).render())


def record_notes(
    app: ReaderApp, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((message, kwargs))
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


async def test_lists_notes_newest_first_and_hides_archived(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = main(app)
        assert shown_titles(screen) == [
            "Alpha article",
            "Beta notes",
            "Gamma guide",
            "Delta digest",
        ]
        text = status_text(screen)
        assert "vault" in text and "4 shown, 3 unread" in text and str(state_path) in text
        assert screen.focused is screen.note_list


async def test_indexes_in_the_background_when_no_vault_is_given(
    vault_dir: Path, state_path: Path
) -> None:
    app = ReaderApp(vault_dir, StateStore(state_path), use_cache=False)
    async with app.run_test(size=WIDE) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if main(app).vault is not None and main(app).search_ready:
                break
        screen = main(app)
        assert screen.vault is not None and len(screen.rows) == 4
        await pilot.press("slash", *"zebra", "enter")
        assert shown_titles(screen) == ["Beta notes"]  # a body word: full-text search is ready


async def test_open_marks_read_and_the_note_stays_in_an_unread_view(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("slash", *"is:unread", "enter")
        assert shown_titles(screen) == ["Alpha article", "Beta notes", "Delta digest"]
        await pilot.press("enter")
        assert screen.open_id == screen.vault.by_path["alpha.md"].id  # type: ignore[union-attr]
        assert screen.focused is screen.article
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "read"
        assert screen.rows[0].status == "read"
        assert shown_titles(screen) == ["Alpha article", "Beta notes", "Delta digest"]
        await pilot.pause(0.5)  # counts are refreshed once triage settles
        assert "3 shown, 2 unread" in status_text(screen)
        # Changing the query is what drops it.
        await pilot.press("slash", "end", "space", "enter")
        await pilot.pause()
        assert "Alpha article" not in shown_titles(screen)


async def test_auto_mark_read_can_be_turned_off(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path, auto_mark_read=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("enter")
        assert main(app).open_id is not None
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "unread"


async def test_triage_keys_change_the_file_and_undo_puts_each_back(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("m")
        assert on_disk(state_path, vault_dir, "alpha.md") == ("read", False, None)
        assert screen.rows[0].status == "read"
        await pilot.press("s")
        assert on_disk(state_path, vault_dir, "alpha.md") == ("read", True, None)
        assert screen.rows[0].starred
        for key, level, symbol in (("1", "high", "🔴"), ("2", "medium", "🟡"), ("3", "low", "🟢")):
            await pilot.press(key)
            assert on_disk(state_path, vault_dir, "alpha.md")[2] == level
            assert screen.rows[0].relevance == symbol
        await pilot.press("0")
        assert on_disk(state_path, vault_dir, "alpha.md")[2] is None
        await pilot.press("e")
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "archived"
        assert screen.rows[0].status == "archived"
        assert shown_titles(screen)[0] == "Alpha article"  # still listed until the query changes
        expected = [
            ("read", True, None),  # undo archive
            ("read", True, "low"),  # undo clear
            ("read", True, "medium"),
            ("read", True, "high"),
            ("read", True, None),
            ("read", False, None),  # undo star
            ("unread", False, None),  # undo read
        ]
        for state in expected:
            await pilot.press("u")
            assert on_disk(state_path, vault_dir, "alpha.md") == state
        assert screen.rows[0].status == "unread"
        assert screen.changes.entries == []


async def test_mark_all_read_asks_then_marks_and_one_undo_restores(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is screen  # type: ignore[comparison-overlap]  # the dialog closed
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "unread"
        await pilot.press("A")
        await pilot.press("enter")  # Yes has the focus
        assert app.screen is screen  # type: ignore[comparison-overlap]  # the dialog closed
        for name in ("alpha.md", "beta.md", "delta.md"):
            assert on_disk(state_path, vault_dir, name)[0] == "read"
        assert [screen.rows[i].status for i in range(4)] == ["read"] * 4
        await pilot.press("u")
        for name in ("alpha.md", "beta.md", "delta.md"):
            assert on_disk(state_path, vault_dir, name)[0] == "unread"
        assert on_disk(state_path, vault_dir, "gamma.md")[0] == "read"


async def test_next_and_previous_unread(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("n")
        assert screen.note_list.cursor == 1  # beta
        await pilot.press("n")
        assert screen.note_list.cursor == 3  # delta; gamma is read
        await pilot.press("p")
        assert screen.note_list.cursor == 1
        # While reading, n opens the next unread note.
        await pilot.press("enter", "n")
        assert screen.open_id == screen.vault.by_path["delta.md"].id  # type: ignore[union-attr]


async def test_search_narrows_live_and_escape_clears(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("slash")
        assert screen.focused is screen.search_box
        await pilot.press(*"gam")
        await pilot.pause(0.1)
        assert shown_titles(screen) == ["Gamma guide"]
        assert "query: gam" in status_text(screen)
        await pilot.press("backspace", "backspace", "backspace", *"domain:git")
        await pilot.pause(0.1)
        assert shown_titles(screen) == ["Delta digest"]
        await pilot.press("escape")
        assert screen.search_box.value == ""
        assert len(screen.rows) == 4
        assert screen.focused is screen.note_list  # type: ignore[comparison-overlap]


async def test_a_note_opened_from_a_search_highlights_its_words(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("slash", *"gamma", "enter")
        await pilot.pause(0.1)
        assert shown_titles(screen) == ["Gamma guide"]
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert screen.article.find_terms == ["gamma"]
        await pilot.press("escape", "slash", "escape")  # the search cleared: nothing to find
        await pilot.pause(0.1)
        screen.show_note(screen.rows.note(0))
        assert screen.article.find_terms == []


async def test_facets_toggle_and_filter(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        assert screen.facets.display
        await pilot.press("f")
        assert not screen.show_facets and not screen.facets.display
        await pilot.press("f")
        assert screen.facets.display and screen.focused is screen.facets
        await pilot.press("enter")  # the first facet: status unread
        assert screen.query_text == "is:unread"
        assert screen.search_box.value == "is:unread"
        assert len(screen.rows) == 3
        await pilot.press("enter")  # again: removed
        assert screen.query_text == ""
        assert len(screen.rows) == 4


async def test_wikilinks_history_and_unresolved_links(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        seen = record_notes(app, monkeypatch)
        screen = main(app)
        vault = screen.vault
        assert vault is not None
        await pilot.press("enter")
        await pilot.pause()
        links = {link.label: link.number for link in screen.article.links}
        screen.article.follow_number(links["beta"])
        await pilot.pause()
        assert screen.open_id == vault.by_path["beta.md"].id
        await pilot.press("left_square_bracket")
        assert screen.open_id == vault.by_path["alpha.md"].id
        await pilot.press("right_square_bracket")
        assert screen.open_id == vault.by_path["beta.md"].id
        await pilot.press("right_square_bracket")
        assert seen[-1][0] == "No later note"
        await pilot.press("left_square_bracket")
        await pilot.pause()
        screen.article.follow_number(links["missing-note"])
        await pilot.pause()
        assert screen.open_id == vault.by_path["alpha.md"].id
        assert seen[-1][0] == "Not in the vault: missing-note"
        assert seen[-1][1].get("markup") is False


async def test_backlinks_are_shown_and_can_be_picked(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("enter")
        line = screen.query_one("#linked-from", Static)
        assert line.display
        assert "Gamma guide" in str(line.render()) and "Delta digest" in str(line.render())
        await pilot.press("B")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"delta")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.open_id == screen.vault.by_path["delta.md"].id  # type: ignore[union-attr]


async def test_open_source_refuses_non_web_urls_and_opens_https(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(vault_dir, state_path)
    opened: list[str] = []
    app.opener = lambda url: bool(opened.append(url) or True)  # type: ignore[func-returns-value]
    async with app.run_test(size=WIDE) as pilot:
        seen = record_notes(app, monkeypatch)
        await pilot.press("j", "o")  # beta: javascript:
        assert opened == [] and seen[-1][0].startswith("Not a web link")
        await pilot.press("j", "o")  # gamma: file:
        assert opened == [] and seen[-1][0].startswith("Not a web link")
        await pilot.press("g", "o")  # alpha: https
        assert opened == ["https://alpha.example/a"]
        assert seen[-1][1].get("markup") is False


async def test_web_links_in_the_article_go_through_the_gate(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(vault_dir, state_path)
    opened: list[str] = []
    app.opener = lambda url: bool(opened.append(url) or True)  # type: ignore[func-returns-value]
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("enter")
        await pilot.pause()
        web = [link for link in screen.article.links if link.kind == "web"]
        screen.article.follow_number(web[0].number)
        await pilot.pause()
        assert opened == ["https://example.org/x"]
        screen.links.open_web("javascript:alert(1)")
        assert opened == ["https://example.org/x"]


async def test_copy_url_uses_the_clipboard(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(vault_dir, state_path)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        seen = record_notes(app, monkeypatch)
        await pilot.press("y")
        assert copied == ["https://alpha.example/a"]
        assert seen[-1][0] == "Copied https://alpha.example/a"
        await pilot.press("j", "y")  # javascript: is never copied
        assert copied == ["https://alpha.example/a"]


async def test_over_ssh_open_copies_instead_of_starting_a_browser(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    app = make_app(vault_dir, state_path)
    opened: list[str] = []
    copied: list[str] = []
    app.opener = lambda url: bool(opened.append(url) or True)  # type: ignore[func-returns-value]
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        seen = record_notes(app, monkeypatch)
        await pilot.press("o")
        assert opened == [] and copied == ["https://alpha.example/a"]
        assert "SSH" in seen[-1][0]


async def test_help_lists_every_key(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(".help-keys").results(Static))
        for key in all_keys():
            if key.scope in ("main", "app", "list"):  # this screen's, and the focused list's
                assert key.description in text
                assert display_keys(key.keys) in text
        # The focused list's own keys are listed too (generated from its bindings).
        groups = [str(w.render()) for w in app.screen.query(".help-group").results(Static)]
        assert "In the focused pane" in groups
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_key_table_is_data_with_unique_ids_and_real_actions() -> None:
    keys = all_keys()
    assert len({k.id for k in keys}) == len(keys)
    owners: dict[str, type] = {
        "app": ReaderApp, "main": MainScreen, "list": NoteList, "facets": FacetSidebar,
        "article": ArticleView, "triage": TriageScreen, "help": HelpScreen,
        "confirm": ConfirmScreen, "find": FindBar,
    }  # fmt: skip
    for key in keys:
        owner = owners[key.scope]
        name = key.action.split("(")[0]
        if name.startswith("app."):  # a screen's key may run an action of the app
            owner, name = ReaderApp, name.removeprefix("app.")
        assert hasattr(owner, f"action_{name}"), key.id
    table = keys_markdown()
    for key in keys:
        assert key.description in table


async def test_palette_offers_every_action_and_opens_notes_by_title(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"gamma")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.open_id == screen.vault.by_path["gamma.md"].id  # type: ignore[union-attr]
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"Star")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert on_disk(state_path, vault_dir, "gamma.md")[1] is True


async def test_narrow_screen_shows_list_and_article_in_turn(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        pane = screen.query_one("#article-pane")
        listing = screen.query_one("#list-pane")
        assert screen.narrow and not screen.show_facets
        assert listing.display and not pane.display
        await pilot.press("enter")
        assert screen.reading and pane.display and not listing.display
        assert screen.article.size.width >= 70  # the article has the whole width
        await pilot.press("escape")
        assert not screen.reading and listing.display and not pane.display
        await pilot.press("enter", "q")  # q from the article goes back, not out
        assert not screen.reading and app.is_running
        await pilot.press("q")
        assert not app.is_running


async def test_wide_screen_shows_everything_and_tab_switches(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.pause(0.2)
        assert screen.facets.display and screen.note_list.display and screen.article.display
        assert screen.shown_id is not None  # the highlighted note is previewed
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "unread"  # preview is not reading
        await pilot.press("tab")
        assert screen.focused is screen.article
        await pilot.press("escape")
        assert screen.focused is screen.note_list  # type: ignore[comparison-overlap]


async def test_reading_position_is_saved_and_restored(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("enter")
        await pilot.pause(0.2)
        await pilot.press("space", "space")
        await pilot.pause(1.2)
        alpha = screen.vault.by_path["alpha.md"]  # type: ignore[union-attr]
        saved = StateStore(state_path).position(alpha)
        assert saved is not None and saved > 0
        await pilot.press("escape", "j", "enter")
        await pilot.press("escape", "k", "enter")
        await pilot.pause(0.3)
        assert abs(screen.article.position - saved) < 2


async def test_hostile_title_is_plain_text(
    tmp_path: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = {"evil.md": ({"title": HOSTILE_TITLE, "date": "2026-03-09",
                          "domain": "[b]x[/b]", "source": "https://e.example/[@click=app.quit]"},
                         "[[" + HOSTILE_TITLE + "]]\n")}  # fmt: skip
    vault_dir = write_vault(tmp_path / "evil", {**NOTES, **notes})
    app = make_app(vault_dir, state_path)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        title = screen.rows[0].title
        assert "[@click=app.quit]x[/]" in title and "\x1b" not in title and "\x07" not in title
        await pilot.click("#notes", offset=(20, 0))
        await pilot.click("#notes", offset=(20, 0))
        await pilot.press("enter", "y", "B", "escape", "L", "escape")
        await pilot.press("ctrl+p", *"click")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.press("escape", "slash", *"[@click=app.quit]", "enter")
        await pilot.pause(0.1)
        assert app.is_running
        assert copied == ["https://e.example/[@click=app.quit]"]
        assert "\x1b" not in app.title + app.sub_title
        svg = app.export_screenshot()
        assert "app.quit" in svg  # the would-be markup is drawn as text
        assert "\x1b" not in svg


async def test_read_only_store_says_so_and_triage_reports_errors(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault.open(vault_dir, use_cache=False)
    app = ReaderApp(vault_dir, StateStore(state_path, read_only=True), vault=vault)
    async with app.run_test(size=WIDE) as pilot:
        seen = record_notes(app, monkeypatch)
        screen = main(app)
        assert "read-only" in status_text(screen)
        await pilot.press("enter")  # opening is not an error: reading is still possible
        assert screen.open_id is not None and seen == []
        await pilot.press("escape", "m")
        assert app.is_running
        assert seen and seen[-1][1].get("severity") == "error"
        assert screen.rows[0].status == "unread"
        assert screen.changes.entries == []


async def test_state_file_notices_are_shown_at_start(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state_path.write_text("{ this is not json", encoding="utf-8")
    store = StateStore(state_path)
    assert store.messages  # the damaged file was moved aside
    shown: list[str] = []
    original = ReaderApp.notify

    def notify(self: ReaderApp, message: str, **kwargs: Any) -> None:
        shown.append(message)
        original(self, message, **kwargs)

    monkeypatch.setattr(ReaderApp, "notify", notify)
    app = ReaderApp(vault_dir, store, vault=Vault.open(vault_dir, use_cache=False))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert shown[: len(store.messages)] == store.messages


async def test_t_opens_triage_mode_for_the_notes_shown(vault_dir: Path, state_path: Path) -> None:
    from tui.ui.screens.triage import TriageScreen

    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, TriageScreen)
        assert {note.path for note in app.screen.queue} == {"alpha.md", "beta.md", "delta.md"}


async def test_light_and_dark_themes_both_draw(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        status = main(app).query_one("#status", Static)
        colours = []
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            colours.append(status.styles.background)
            assert "Alpha" in app.export_screenshot()
        assert colours[0] != colours[1]


async def test_moving_keys_and_indexing_progress(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("G")
        assert screen.note_list.cursor == 3
        await pilot.press("k", "k")
        assert screen.note_list.cursor == 1
        await pilot.press("g")
        assert screen.note_list.cursor == 0
        await screen.run_action("cursor_bottom")  # the palette's way, whatever has focus
        assert screen.note_list.cursor == 3
        await pilot.press("slash", "tab")
        assert screen.focused is screen.note_list
        screen.listing.show_progress(3200, 10000)
        assert "indexing 3200/10000" in status_text(screen)
