"""The main screen where colour is scarce: 16 colours (TERM=screen) and NO_COLOR."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorSystem
from textual.color import Color

from tests.conftest import SEEDS
from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.widgets.facets import FacetSidebar
from tui.ui.widgets.note_list import NoteList
from tui.vault.index import Vault


def sixteen(color: Color) -> tuple[int, int, int]:
    """The colour a 16-colour terminal shows for ``color``."""
    got = color.rich_color.downgrade(ColorSystem.STANDARD).get_truecolor()
    return (got.red, got.green, got.blue)


def reader(tmp_path: Path) -> ReaderApp:
    vault = Vault.open(SEEDS, cache_dir=tmp_path / "cache")
    return ReaderApp(SEEDS, StateStore(tmp_path / "s.json"), vault=vault, watch=False)


async def test_pane_dividers_are_visible_in_16_colours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "screen")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = reader(tmp_path)
    assert app.console.color_system == "standard"
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        facets = app.screen.query_one("#facets")
        article = app.screen.query_one("#article-pane")
        for widget, edge in ((facets, "border_right"), (article, "border_left")):
            _, colour = getattr(widget.styles, edge)
            _, background = widget.background_colors
            assert sixteen(colour) != sixteen(background), f"{widget.id} divider is invisible"


async def test_truecolour_keeps_the_theme_dividers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLORTERM", "truecolor")
    app = reader(tmp_path)
    assert not app.has_class("-ansi16")


async def test_the_unfocused_cursor_is_marked_without_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = reader(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(FacetSidebar)
        notes = app.screen.query_one(NoteList)
        assert notes.has_focus and not sidebar.has_focus
        assert sidebar.get_component_rich_style("facets--cursor").underline
        assert notes.get_component_rich_style("note-list--cursor").reverse
        sidebar.focus()
        await pilot.pause()
        assert notes.get_component_rich_style("note-list--cursor").underline
