"""The notes most like the one shown, listed under the article and followed like its links."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tui.state.store import StateStore
from tui.text.notes import Note
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article.render import Alike
from tui.ui.widgets.article.render.similar import HEADING, render_similar
from tui.ui.widgets.article.view import ArticleLink, ArticleView
from tui.vault.index import Vault

from .test_article import BODY, NOTE, STYLES, big_body, screen_text

ALIKE = [
    Alike("notes/fan-out.md", "Fan-out [b]patterns[/b]", "2026-03-01", "Data"),
    Alike("notes/topics.md", "Topics \x1b[31mred", "2026-02-11", ""),
]


class SimilarApp(App[None]):
    """The article pane with a similar-notes lookup the test controls."""

    CSS_PATH = STYLES

    def __init__(self, answers: dict[str, Sequence[Alike] | None]) -> None:
        super().__init__()
        self.answers = answers
        self.asked: list[tuple[str, str]] = []  # (path, thread name)
        self.gate: dict[str, threading.Event] = {}
        self.followed: list[ArticleLink] = []

    def lookup(self, note: Note, limit: int) -> Sequence[Alike] | None:
        self.asked.append((note.path, threading.current_thread().name))
        if note.path in self.gate:
            self.gate[note.path].wait(10)
        answer = self.answers.get(note.path)
        return list(answer)[:limit] if answer is not None else None

    def compose(self) -> ComposeResult:
        yield ArticleView(similar=self.lookup)

    def on_article_view_link_activated(self, message: ArticleView.LinkActivated) -> None:
        self.followed.append(message.link)


async def settle(pilot: Pilot[None], view: ArticleView, links: int) -> None:
    """Wait (a bounded while) for the worker's answer to reach the view."""
    for _ in range(100):
        await pilot.pause(0.02)
        if len(view.links) >= links and view._layout.done:
            return


async def test_the_section_follows_the_article_and_its_links_come_after() -> None:
    app = SimilarApp({NOTE.path: ALIKE})
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, BODY)
        view.focus()
        await settle(pilot, view, 5)
        own = [(link.number, link.label) for link in view.links[:3]]
        assert own == [(1, "the guide"), (2, "fan-out"), (3, "Ghost")]
        assert [(link.number, link.kind, link.label) for link in view.links[3:]] == [
            (4, "wiki", "Fan-out [b]patterns[/b]"),
            (5, "wiki", "Topics [31mred"),  # the escape character is gone
        ]
        assert view.links[3].link is not None and view.links[3].link.path == "notes/fan-out.md"
        await pilot.press("G")
        text = screen_text(view)
        assert HEADING in text
        assert "• Fan-out [b]patterns[/b][4] · 2026-03-01 · Data" in text
        assert "• Topics [31mred[5] · 2026-02-11" in text
        assert not any("\x1b" in line for line in text)
        # The lookup ran once, on a worker thread, not in show().
        assert len(app.asked) == 1 and app.asked[0][1] != threading.current_thread().name


async def test_tab_enter_digits_and_clicks_follow_the_entries() -> None:
    app = SimilarApp({NOTE.path: ALIKE})
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, BODY)
        view.focus()
        await settle(pilot, view, 5)
        await pilot.press("tab", "tab", "tab", "tab", "enter")
        assert [link.number for link in app.followed] == [4]
        await pilot.press("tab", "enter")  # the last entry
        assert [link.number for link in app.followed] == [4, 5]
        await pilot.press("shift+tab", "shift+tab", "enter")  # back to the note's own
        assert [link.number for link in app.followed] == [4, 5, 3]
        await pilot.press("l", "4")
        assert [link.number for link in app.followed] == [4, 5, 3, 4]
        await pilot.press("G")
        await pilot.pause()
        row = next(y for y, line in enumerate(screen_text(view)) if "Fan-out [b]" in line)
        await pilot.click(ArticleView, offset=(4, row))
        assert app.followed[-1].label == "Fan-out [b]patterns[/b]"


async def test_a_result_for_a_note_no_longer_shown_is_dropped() -> None:
    other = Note(id="n2", path="other.md", title="Other", date="2026-01-01")
    app = SimilarApp({NOTE.path: ALIKE, other.path: [Alike("x.md", "Only for other")]})
    app.gate[NOTE.path] = threading.Event()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, BODY)
        await pilot.pause(0.05)  # the lookup for NOTE is now waiting in its thread
        view.show(other, "A short note about other things.")
        await settle(pilot, view, 1)
        app.gate[NOTE.path].set()  # NOTE's answer arrives late
        await pilot.pause(0.2)
        assert [link.label for link in view.links] == ["Only for other"]
        assert not view.show_similar(NOTE.path, ALIKE)  # and straight away too
        assert [link.label for link in view.links] == ["Only for other"]


async def test_nothing_is_shown_while_the_index_cannot_answer() -> None:
    app = SimilarApp({NOTE.path: None})
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(NOTE, BODY)
        await pilot.pause(0.2)
        assert len(app.asked) == 1
        assert len(view.links) == 3
        await pilot.press("G")
        assert HEADING not in screen_text(view)


async def test_showing_a_long_note_does_not_wait_for_the_lookup() -> None:
    app = SimilarApp({NOTE.path: ALIKE})
    app.gate[NOTE.path] = threading.Event()  # the lookup never answers in time
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(ArticleView)
        started = time.perf_counter()
        view.show(NOTE, big_body(500_000))
        assert time.perf_counter() - started < 10  # a hang bound, not a timing
        assert app.asked == []  # asked only after the first paint
        await pilot.pause(0.1)
        assert [path for path, _ in app.asked] == [NOTE.path]
        app.gate[NOTE.path].set()


def write_vault(root: Path) -> Path:
    root.mkdir()
    story = "the river flooded the valley town after storms; rescue boats and sandbags"
    notes = {
        "flood.md": (
            "Valley town floods",
            "News",
            f"See [[Bread]] first.\n\n{story}. People left.",
        ),
        "rescue.md": ("The rescue boats", "News", f"{story}. The boats came back again."),
        "levee.md": ("Why the levee held", "", "storms and the river: sandbags on the levee"),
        "bread.md": ("Bread", "Food", "flour water salt starter oven crust"),
        "rye.md": ("Rye loaves", "Food", "flour rye starter oven"),
    }
    for day, (name, (title, domain, body)) in enumerate(notes.items(), start=1):
        front = f"---\ntitle: {title}\ndate: '2026-03-0{day}'\ndomain: '{domain}'\n---\n\n"
        (root / name).write_text(front + body + "\n", encoding="utf-8")
    return root


async def test_following_an_entry_opens_that_note_and_back_returns(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault")
    vault = Vault.open(root, use_cache=False)
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), vault=vault)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.search_ready:
                break
        flood = vault.by_path["flood.md"]
        screen.open_note(flood)
        article = screen.article
        await settle(pilot, article, 2)
        assert [link.label for link in article.links][:1] == ["Bread"]  # its own link first
        similar = article.links[1:]
        assert similar and similar[0].label == "The rescue boats"
        await pilot.press("l", str(similar[0].number))
        await pilot.pause()
        assert screen.open_id == vault.by_path["rescue.md"].id
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.open_id == flood.id


def test_snapshot_of_an_article_with_its_similar_notes(
    snap_compare: Callable[..., bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "readerly"
    home.mkdir()
    root = write_vault(home / "vault")
    monkeypatch.chdir(home)  # the status line shows the state path: keep it the same
    app = ReaderApp(root, StateStore(Path("state.json")), vault=Vault.open(root, use_cache=False))

    async def run_before(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        for _ in range(100):
            if screen.search_ready:
                break
            await pilot.pause(0.02)
        await pilot.press("G", "enter")  # the oldest note: the valley town floods
        await settle(pilot, screen.article, 2)
        await pilot.pause(0.4)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_a_long_entry_wraps_under_its_title_and_stays_one_link() -> None:
    long = Alike("a.md", "A title long enough to wrap at a narrow width", "2026-03-01", "News")
    rendered = render_similar([long], 24, first_number=7)
    text = ["".join(seg.text for seg in line) for line in rendered.lines]
    assert text[1] == HEADING
    assert text[2].startswith("• A title") and all(t.startswith("  ") for t in text[3:])
    assert "".join(t[2:] for t in text[2:]).endswith("[7] · 2026-03-01 · News")
    assert {span.number for span in rendered.spans} == {7}
    assert [link.number for link in rendered.links] == [7]
    assert all(span.start >= 2 for span in rendered.spans)


async def test_r_still_chooses_among_the_similar_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_vault(tmp_path / "vault")
    vault = Vault.open(root, use_cache=False)
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), vault=vault)
    picked: list[list[str]] = []
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.search_ready:
                break
        monkeypatch.setattr(screen.links, "_pick", lambda picks, _: picked.append(
            [p.label for p in picks]))  # fmt: skip
        screen.open_note(vault.by_path["flood.md"])
        await pilot.pause()
        await pilot.press("R")
        assert picked and picked[0][0] == "The rescue boats"


async def test_similar_zero_lists_none(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault")
    vault = Vault.open(root, use_cache=False)
    app = ReaderApp(root, StateStore(tmp_path / "state.json"), vault=vault)
    app.main.similar = 0  # as `similar = 0` in the config sets it
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.main.search_ready:
                break
        app.main.open_note(vault.by_path["flood.md"])
        await pilot.pause(0.3)
        assert [link.label for link in app.main.article.links] == ["Bread"]
