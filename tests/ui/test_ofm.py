"""Obsidian Markdown in the app: heading and block links open scrolled there, footnotes jump
and come back, callouts fold, find highlights and steps through matches, the outline."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.test_article import ArticleApp, screen_text
from tui.state.store import StateStore
from tui.text.notes import Note
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article.view import ArticleView
from tui.vault.index import Vault

FILLER = "\n\n".join(f"Filler paragraph {i} about nothing much." for i in range(60))

HUB = f"""# Hub

Go to [[Target#Deep Heading|the deep part]], to [[Target#^keep]], or [[#Local end]].
The [markdown way](Target.md#Deep%20Heading) too.

![[Target#Deep Heading]]

![[Hub]]

{FILLER}

## Local end

Here.
"""

TARGET = f"""# Target

{FILLER}

## Deep Heading

Deep text lives here.

A block worth keeping. ^keep

## After

{FILLER}
"""


@pytest.fixture
def app(tmp_path: Path) -> ReaderApp:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Hub.md").write_text("---\ndate: 2026-03-02\n---\n" + HUB, encoding="utf-8")
    (root / "Target.md").write_text("---\ndate: 2026-03-01\n---\n" + TARGET, encoding="utf-8")
    vault = Vault.open(root, use_cache=False)
    return ReaderApp(root, StateStore(tmp_path / "state.json"), vault=vault)


async def _open_hub(pilot: Pilot[None]) -> tuple[MainScreen, ArticleView]:
    main = next(s for s in pilot.app.screen_stack if isinstance(s, MainScreen))
    assert main.vault is not None
    main.open_note(main.vault.by_path["Hub.md"])
    await pilot.pause(0.1)
    return main, main.article


async def _follow(pilot: Pilot[None], view: ArticleView, number: int) -> list[str]:
    view.follow_number(number)
    for _ in range(50):
        await pilot.pause(0.05)
        if view._pending is None:  # settled on the target
            break
    return screen_text(view)


@pytest.mark.parametrize(
    ("number", "first_line"),
    [(1, "Deep Heading"), (2, "A block worth keeping."), (3, "Local end"), (4, "Deep Heading")],
)
async def test_links_open_scrolled_to_their_target(
    app: ReaderApp, number: int, first_line: str
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        _, view = await _open_hub(pilot)
        lines = await _follow(pilot, view, number)
        assert view.scroll_y > 0
        shown = [line.strip() for line in lines]
        # At the top, unless the note ends first (then it is on the last screen).
        assert shown[0] == first_line or (first_line in shown and number == 3), shown


async def test_embed_is_transcluded_and_self_embed_is_a_link(app: ReaderApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        _, view = await _open_hub(pilot)
        text = "\n".join(screen_text(view))
        assert "┌ ↪ Target › Deep Heading" in text
        assert "│ Deep text lives here." in text
        assert "A block worth keeping." in text
        assert "After" not in text  # the embedded part only: up to the next heading
        # A note embedding itself stays a link.
        assert [link.label for link in view.own_links if link.kind == "wiki"][-1] == "↪ Hub"


BODY = (
    """Intro with a note[^a] and another[^b].

> [!faq]- Folded question
> The hidden answer.

> [!tip] Always open
> Visible tip.

[^a]: First note text.
[^b]: Second note text.

Match one here. Then match two. """
    + "\n\n".join(f"Para {i}." for i in range(60))
    + """

Last match three.
"""
)
NOTE = Note(id="n", path="n.md", title="Notes", date="2026-03-04")


async def test_footnote_jumps_to_its_note_and_back() -> None:
    app = ArticleApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, BODY)
        await pilot.pause()
        assert "Intro with a note¹[" not in "\n".join(screen_text(view))  # no [n] hint
        assert "Intro with a note¹ and another²." in screen_text(view)
        kinds = [link.kind for link in view.links]
        assert kinds[:2] == ["footnote", "footnote"]
        view.follow_number(2)
        await pilot.pause()
        assert screen_text(view)[0].startswith("² Second note text. ↩")
        back = next(link for link in view.links if link.kind == "back" and "2" in link.label)
        view.follow_number(back.number)
        await pilot.pause()
        assert any("another²" in line for line in screen_text(view))
        assert app.followed == []  # none of these left the article


async def test_callout_folds_from_the_keyboard() -> None:
    app = ArticleApp()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, BODY)
        view.focus()
        await pilot.pause()
        text = "\n".join(screen_text(view))
        assert "▸ Folded question" in text and "hidden answer" not in text
        assert "Visible tip." in text
        fold = next(link for link in view.links if link.kind == "fold")
        entry = view._layout.entry_of_link(fold.number)
        height = view._layout.heights[entry]
        await pilot.press("z")
        await pilot.pause()
        text = "\n".join(screen_text(view))
        assert "▾ Folded question" in text and "The hidden answer." in text
        assert view._layout.heights[entry] == height + 1
        assert view.links[fold.number - 1].label == "Fold: Folded question"
        await pilot.press("z")
        await pilot.pause()
        assert "hidden answer" not in "\n".join(screen_text(view))


async def test_find_highlights_and_steps_through_matches() -> None:
    app = ArticleApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, BODY)
        view.focus()
        await pilot.pause()
        first = view.find("MATCH")
        assert first is not None and view.find_terms == ["match"]
        find_style = view.get_component_rich_style("article--find")
        strip = view.render_line(first - round(view.scroll_y))
        lit = [seg.text for seg in strip if seg.style and seg.style.bgcolor == find_style.bgcolor]
        assert lit == ["Match", "match"]
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert any("Last match three." in line for line in screen_text(view))
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert any("Match one here." in line for line in screen_text(view))
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.screen.query_one("#find-input").value == "match"  # type: ignore[attr-defined]


async def test_outline_lists_headings_and_goes_there() -> None:
    app = ArticleApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(ArticleView)
        view.show(
            NOTE,
            "# One\n\n" + "\n\n".join(f"P {i}" for i in range(40)) + "\n\n### Two\n\n" + FILLER,
        )
        await pilot.pause()
        assert view.headings() == [(1, "One"), (3, "Two")]
        view.goto("two")
        await pilot.pause(0.2)
        assert screen_text(view)[0].strip() == "Two"


async def test_a_table_wider_than_the_pane_scrolls_sideways() -> None:
    app = ArticleApp()
    table = "| " + " | ".join(f"columnheading{i}" for i in range(6)) + " |\n|" + "---|" * 6
    async with app.run_test(size=(50, 12)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, table + "\n| " + " | ".join("cell" for _ in range(6)) + " |")
        view.focus()
        await pilot.pause()
        assert view.virtual_size.width > view.scrollable_content_region.width
        assert "columnheading5" not in "\n".join(screen_text(view))
        for _ in range(60):  # one column a press
            await pilot.press("right")
        await pilot.pause()
        assert view.scroll_x > 0
        assert "columnheading5" in "\n".join(screen_text(view))
