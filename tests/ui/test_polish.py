"""What a new user trips over on the main screen, each checked through Pilot."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.ui.test_app import (
    NARROW,
    NOTES,
    WIDE,
    main,
    make_app,
    on_disk,
    record_notes,
    state_path,
    vault_dir,
    write_vault,
)

__all__ = ["state_path", "vault_dir"]  # the fixtures, shared with test_app
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.ui.commands import Pick
from tui.ui.editor import editor_command, note_file
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article.view import ArticleView
from tui.ui.widgets.facets import ACTIVE_MARK


def header(app_screen: object) -> str:
    article = app_screen.query_one(ArticleView)  # type: ignore[attr-defined]
    return "\n".join(article.render_line(y).text for y in range(3))


async def test_tab_at_80x24_shows_the_highlighted_note(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        await pilot.press("enter")  # open Alpha
        await pilot.pause()
        assert screen.shown_id == screen.rows.note(0).id
        await pilot.press("escape")
        await pilot.pause(0.3)
        await pilot.press("j", "tab")
        await pilot.pause()
        beta = screen.rows.note(1)
        assert screen.reading and screen.focused is screen.article
        assert screen.shown_id == beta.id
        assert "Beta notes" in header(screen)


async def test_archiving_twice_gives_back_the_status_it_had(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "unread"
        await pilot.press("e")
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "archived"
        await pilot.press("e")
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "unread"
        await pilot.press("m", "e", "e")
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "read"


async def test_unarchiving_in_a_later_session_gives_back_the_status_it_had(
    vault_dir: Path, state_path: Path
) -> None:
    async with make_app(vault_dir, state_path).run_test(size=WIDE) as pilot:
        await pilot.press("e")  # Alpha, unread
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "archived"
    app = make_app(vault_dir, state_path)  # a new session: the state file is all it has
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("slash", *"is:archived", "enter")
        assert screen.rows.note(0).path == "alpha.md"
        await pilot.press("e")
        await pilot.pause()
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "unread"


async def test_the_article_header_shows_star_and_status(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path, auto_mark_read=False)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "unread" in header(screen) and "★" not in header(screen)
        await pilot.press("s", "m")
        await pilot.pause()
        assert "★ starred · read" in header(screen)
        await pilot.press("s")
        await pilot.pause()
        assert "★" not in header(screen) and "read" in header(screen)


async def test_opening_a_note_says_read_in_its_header(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.pause(0.3)  # the preview shows it unread
        assert "unread" in header(screen)
        await pilot.press("enter")
        await pilot.pause()
        assert "unread" not in header(screen) and "read" in header(screen)


async def test_the_palette_offers_only_readerly_commands_and_the_theme(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=NARROW):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles == ["Theme"]  # no Keys panel, Maximize, Screenshot or a second Quit


async def test_help_scrolls_like_a_pager_and_explains_queries(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body", VerticalScroll)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "rel:none" in text and "-is:read" in text and "tag:python" in text
        assert "-tag:x" in text and "-title:" in text and "a OR b" in text
        await pilot.press("j", "j")
        assert body.scroll_y == 2
        await pilot.press("k")
        assert body.scroll_y == 1
        await pilot.press("space")
        assert body.scroll_y > 5
        await pilot.press("G")
        assert body.scroll_y == body.max_scroll_y > 0
        await pilot.press("g")
        assert body.scroll_y == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_confirm_dialog_says_which_keys_answer(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        hint = str(app.screen.query_one("#confirm-hint", Static).render())
        assert "y/Enter: mark read" in hint and "n/Esc: cancel" in hint
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmScreen)


async def test_saved_views_in_the_sidebar_on_number_keys_and_in_the_palette(
    vault_dir: Path, state_path: Path
) -> None:
    views = [("python", "domain:Python"), ("fresh", "is:unread"), ("all", "")]
    app = make_app(vault_dir, state_path, views=views)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.pause(0.5)
        sidebar = screen.facets
        lines = [sidebar.render_line(y).text for y in range(5)]
        assert lines[0].strip() == "Views"
        assert lines[1].split() == ["1", "python", "2", "(1)"]  # alpha unread, gamma read
        assert lines[2].split() == ["2", "fresh", "3", "(3)"]
        sidebar.focus()  # while the sidebar has the focus, its number keys choose views
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause(0.2)
        assert screen.query_text == "domain:Python"
        assert [screen.rows[i].title for i in range(len(screen.rows))] == [
            "Alpha article", "Gamma guide",
        ]  # fmt: skip
        assert sidebar.render_line(1).text.startswith(ACTIVE_MARK)
        await pilot.press("1")  # again: back to every note
        await pilot.pause(0.2)
        assert screen.query_text == ""
        await pilot.press("9")
        await pilot.pause()
        assert screen.query_text == ""  # no view 9: a message, nothing else
        screen.note_list.focus()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"View: fresh")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert screen.query_text == "is:unread"


async def test_E_hands_the_note_to_the_editor_and_comes_back(
    vault_dir: Path, state_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "argv"
    editor = tmp_path / "my editor"
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", shlex.quote(str(editor)) + " --flag")
    monkeypatch.delenv("VISUAL", raising=False)
    before = (vault_dir / "alpha.md").read_bytes()
    app = make_app(vault_dir, state_path)
    suspended: list[bool] = []

    @contextmanager
    def suspend() -> Iterator[None]:  # the headless driver cannot suspend; a terminal can
        suspended.append(True)
        yield

    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("E")
        await pilot.pause()
        assert suspended == [True]
        assert record.read_text().splitlines() == [
            "--flag",
            str((vault_dir / "alpha.md").resolve()),
        ]
        assert isinstance(app.screen, type(screen)) and screen.note_list.cursor == 0
    assert (vault_dir / "alpha.md").read_bytes() == before  # readerly wrote nothing


def test_the_editor_comes_from_VISUAL_EDITOR_or_PAGER_and_stays_in_the_vault(
    tmp_path: Path,
) -> None:
    assert editor_command({"EDITOR": "vim -u NONE", "PAGER": "less"}) == ["vim", "-u", "NONE"]
    assert editor_command({"VISUAL": "code -w", "EDITOR": "vi"}) == ["code", "-w"]
    assert editor_command({"EDITOR": "'unbalanced", "PAGER": "less -R"}) == ["less", "-R"]
    assert editor_command({"EDITOR": "  "}) is None
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "n.md").write_text("x")
    (tmp_path / "outside.md").write_text("x")
    assert note_file(tmp_path / "v", "n.md") == (tmp_path / "v" / "n.md").resolve()
    assert note_file(tmp_path / "v", "../outside.md") is None
    assert note_file(tmp_path / "v", "missing.md") is None


async def test_E_without_an_editor_says_what_to_set(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("VISUAL", "EDITOR", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    app = make_app(vault_dir, state_path)
    seen = record_notes(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("E")
        await pilot.pause()
    assert any("Set $EDITOR" in message for message, _ in seen)


async def test_the_link_picker_names_notes_by_title_and_says_which_are_missing(
    vault_dir: Path, state_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta, _ = NOTES["alpha.md"]
    body = "See [[beta]], [[missing-note]], https://bare.example/x and [a site](https://example.org/x)."
    write_vault(vault_dir, {"alpha.md": (meta, body)})
    app = make_app(vault_dir, state_path)
    picked: list[list[Pick]] = []
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        monkeypatch.setattr(screen.links, "_pick", lambda picks, _: picked.append(picks))
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("L")
        shown = [(p.label, p.help) for p in picked[0]]
        assert shown[:4] == [
            ("1. Beta notes", "beta.md"),
            ("2. missing-note", "not in the vault"),
            ("3. https://bare.example/x", ""),
            ("4. a site", "https://example.org/x"),
        ]
        # Then the similar notes listed under the article, by title, once they are found.
        assert all(help.endswith(".md") for _, help in shown[4:])
        picked[0][0].run()  # choosing the note opens it
        await pilot.pause()
        assert screen.open_id == screen.vault.by_path["beta.md"].id  # type: ignore[union-attr]


def sidebar_lines(screen: MainScreen) -> list[str]:
    sidebar = screen.facets
    return [sidebar.render_line(y).text.rstrip() for y in range(sidebar.size.height)]


async def test_two_values_of_one_facet_can_be_combined(vault_dir: Path, state_path: Path) -> None:
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.pause(0.5)
        screen.listing.toggle("domain:Python")
        await pilot.pause(0.5)
        lines = sidebar_lines(screen)
        # The other domains stay listed, counted as they would be if added.
        assert any(line.split()[:1] == ["SQL"] for line in lines), lines
        screen.listing.toggle("domain:SQL")
        await pilot.pause(0.5)
        assert screen.query_text == "domain:python domain:sql"
        titles = {screen.rows[i].title for i in range(len(screen.rows))}
        assert titles == {"Alpha article", "Beta notes", "Gamma guide"}


async def test_facet_labels_fit_at_80_columns(vault_dir: Path, state_path: Path) -> None:
    # Enough notes for wide counts ("125 (124)"), which leave the least room for a label.
    many = {
        f"n{i}.md": ({"title": f"N{i}", "date": "2026-01-01", "domain": "Productivity"}, "x")
        for i in range(120)
    }
    write_vault(vault_dir, many)
    app = make_app(vault_dir, state_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        await pilot.press("f")
        await pilot.pause(0.5)
        text = "\n".join(sidebar_lines(screen))
        assert "no relevance" in text and "Productivity" in text and "…" not in text, text
