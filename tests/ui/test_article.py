"""The article pane in a tiny app: showing, scrolling, links by keyboard and mouse, position."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tui.text.notes import Link, Note
from tui.ui.widgets.article.view import ArticleLink, ArticleView

STYLES = Path(__file__).resolve().parents[2] / "styles" / "article.tcss"


class ArticleApp(App[None]):
    """Just the article pane, recording what it posts."""

    CSS_PATH = STYLES

    def __init__(self) -> None:
        super().__init__()
        self.followed: list[ArticleLink] = []
        self.positions: list[float] = []

    def compose(self) -> ComposeResult:
        yield ArticleView()

    def on_article_view_link_activated(self, message: ArticleView.LinkActivated) -> None:
        self.followed.append(message.link)

    def on_article_view_position_changed(self, message: ArticleView.PositionChanged) -> None:
        self.positions.append(message.position)


NOTE = Note(
    id="n1",
    path="inbox/queues.md",
    title="Queues [b]and[/b] topics",
    date="2026-03-04",
    domain="Data",
    tags=["aws", "queues"],
    source="https://www.example.org/articles/queues?utm=1",
    links=[Link("Fan-out", path="notes/fan-out.md"), Link("Ghost")],
)

BODY = """# Queues

Read [the guide](https://example.org/guide) first, then [[Fan-out|fan-out]].

A missing one: [[Ghost]].

- one
- two
""" + "\n\n".join(f"Paragraph {i} of filler text." for i in range(80))


def screen_text(view: ArticleView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


def big_body(size: int) -> str:
    """A generated note of about ``size`` characters mixing every construct."""
    parts: list[str] = []
    total = i = 0
    while total < size:
        i += 1
        part = [
            f"## Section {i}",
            f"Words about section {i} with [a link](https://example.org/{i}) and **bold** text.",
            f"- item {i}\n  - nested {i}",
            f"```python\ndef f{i}(x):\n    return x + {i}\n```",
            f"| n | v |\n|---|---|\n| {i} | {i * 2} |",
        ][i % 5]
        parts.append(part)
        total += len(part) + 2
    return "\n\n".join(parts)


async def shown(pilot: Pilot[None], body: str = BODY, **kwargs: object) -> ArticleView:
    view = pilot.app.query_one(ArticleView)
    view.show(NOTE, body, relevance_symbol="🔴", **kwargs)  # type: ignore[arg-type]
    view.focus()
    await pilot.pause()
    return view


async def test_header_and_body_are_shown() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot)
        text = screen_text(view)
        assert text[0] == "Queues [b]and[/b] topics"
        assert text[1] == "2026-03-04 · Data · 🔴 · example.org"
        assert text[2] == "#aws  #queues"
        assert "Queues" in text[5]
        assert "Read the guide[1] first, then fan-out[2]." in text
        assert "A missing one: Ghost[3]." in text
        assert "utm" not in "".join(text)  # the host only, never the full URL
        assert [(link.number, link.kind, link.resolved) for link in view.links] == [
            (1, "web", True),
            (2, "wiki", True),
            (3, "wiki", False),
        ]


async def test_scrolling_keys() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot)
        await pilot.press("j", "j")
        assert view.scroll_y == 2
        await pilot.press("k")
        assert view.scroll_y == 1
        await pilot.press("space")
        assert view.scroll_y == 1 + view.scrollable_content_region.height - 1
        await pilot.press("b")
        assert view.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0
        assert "Paragraph 79 of filler text." in screen_text(view)
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_tab_moves_link_cursor_and_enter_follows() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot)
        await pilot.press("tab", "tab", "enter")
        await pilot.pause()
        assert [link.number for link in app.followed] == [2]
        followed = app.followed[0]
        assert followed.link == Link("Fan-out", None, "fan-out", "notes/fan-out.md")
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        assert app.followed[-1].url == "https://example.org/guide"


async def test_l_then_number_follows_that_link() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot)
        await pilot.press("l", "3")
        await pilot.pause()
        assert [link.number for link in app.followed] == [3]
        assert app.followed[0].link is not None and app.followed[0].link.path is None


async def test_click_on_a_link_follows_it() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot)
        row = next(y for y, line in enumerate(screen_text(view)) if "the guide[1]" in line)
        column = screen_text(view)[row].index("guide")
        # One cell of left padding sits between the widget's edge and its content.
        await pilot.click(ArticleView, offset=(column + 1, row))
        await pilot.pause()
        assert [link.number for link in app.followed] == [1]
        await pilot.click(ArticleView, offset=(1, row))  # "Read": plain text, not a link
        await pilot.pause()
        assert len(app.followed) == 1


async def test_large_note_shows_its_first_screen() -> None:
    app = ArticleApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await shown(pilot, big_body(500_000))
        text = screen_text(view)
        assert text[0] == "Queues [b]and[/b] topics"
        assert "Section 5" in "\n".join(text)
        assert view.links and view.links[0].url == "https://example.org/1"


async def test_position_is_reported_and_restored() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot)
        await pilot.press("space", "space")
        top = screen_text(view)[0]
        await pilot.pause(0.7)
        assert app.positions and app.positions[-1] == view.position > 0
        saved = view.position
        view.clear()
        await pilot.pause()
        assert view.links == []
        view.show(NOTE, BODY, position=saved)
        await pilot.pause()
        assert screen_text(view)[0] == top


async def test_position_survives_a_width_change() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await shown(pilot)
        view.restore(40)
        await pilot.pause()
        before = next(line for line in screen_text(view) if line.startswith("Paragraph"))
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        after = next(line for line in screen_text(view) if line.startswith("Paragraph"))
        assert before == after


async def test_hostile_note_text_stays_plain() -> None:
    app = ArticleApp()
    async with app.run_test(size=(80, 24)) as pilot:
        hostile = "[@click=app.quit]x[/] \x1b]0;PWNED\x07 \x1b[2J \x9b31m [t](javascript:alert(1))"
        view = await shown(pilot, hostile)
        text = "\n".join(screen_text(view))
        assert "[@click=app.quit]x[/]" in text
        assert not any(c in text for c in "\x1b\x07\x9b")
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert app.is_running
        assert [link.url for link in app.followed] == ["javascript:alert(1)"]
