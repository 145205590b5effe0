"""NoteList behaviour through a real (headless) app: keys, mouse, messages and what is drawn."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import overload

from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui.text.hygiene import plain
from tui.ui.widgets.note_list import NoteList, Row, fit, layout_for

STYLES = Path(__file__).resolve().parents[2] / "styles" / "list.tcss"
HOSTILE = "\x1b]0;PWNED\x07[@click=app.quit]x[/]"


def make_row(i: int, **changes: object) -> Row:
    fields: dict[str, object] = {
        "note_id": f"n{i}",
        "title": f"Title {i}",
        "date": "2024-03-05",
        "domain": "example.org",
        "relevance": "🟡",
        "status": ("unread", "read", "archived")[i % 3],
        "starred": i % 4 == 0,
    }
    fields.update(changes)
    return Row(**fields)  # type: ignore[arg-type]


class LazyRows(Sequence[Row]):
    """Builds rows only when asked, counting how many it built."""

    def __init__(self, count: int) -> None:
        self.size = count
        self.built = 0
        self.lookups = 0

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | Sequence[Row]:
        if isinstance(index, slice):
            raise TypeError("slicing is not needed")
        if not 0 <= index < self.size:
            raise IndexError(index)
        self.built += 1
        return make_row(index)

    def index_of(self, note_id: str) -> int | None:
        self.lookups += 1
        number = int(note_id[1:])
        return number if number < self.size else None


class ListApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self, rows: Sequence[Row]) -> None:
        super().__init__()
        self.rows = rows
        self.highlighted: list[tuple[int, str | None]] = []
        self.selected: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        yield NoteList()

    def on_mount(self) -> None:
        self.query_one(NoteList).set_rows(self.rows)

    @on(NoteList.Highlighted)
    def record_highlight(self, message: NoteList.Highlighted) -> None:
        self.highlighted.append((message.index, message.note_id))

    @on(NoteList.Selected)
    def record_select(self, message: NoteList.Selected) -> None:
        self.selected.append((message.index, message.note_id))


def visible_lines(note_list: NoteList) -> list[Strip]:
    return [note_list.render_line(y) for y in range(note_list.scrollable_content_region.height)]


async def test_keys_move_through_ten_thousand_rows() -> None:
    app = ListApp([make_row(i) for i in range(10_000)])
    async with app.run_test(size=(100, 20)) as pilot:
        note_list = app.query_one(NoteList)
        assert note_list.row_count == 10_000
        height = note_list.scrollable_content_region.height
        await pilot.press("j", "j", "down")
        assert note_list.cursor == 3
        await pilot.press("k", "up")
        assert (note_list.cursor, note_list.current_id) == (1, "n1")
        await pilot.press("G")
        assert note_list.current_id == "n9999"
        assert note_list.scroll_offset.y == 10_000 - height
        assert "Title 9999" in visible_lines(note_list)[-1].text
        await pilot.press("g")
        assert (note_list.cursor, note_list.scroll_offset.y) == (0, 0)
        await pilot.press("pagedown", "pagedown")
        assert note_list.cursor == 2 * height
        await pilot.press("pageup")
        assert note_list.cursor == height
        await pilot.press("end", "down")
        assert note_list.cursor == 9999
        await pilot.pause()
        assert app.highlighted[0] == (0, "n0")
        assert app.highlighted[-1] == (9999, "n9999")
        assert (3, "n3") in app.highlighted


async def test_enter_and_clicks_post_the_right_ids() -> None:
    app = ListApp([make_row(i) for i in range(50)])
    async with app.run_test(size=(80, 20)) as pilot:
        note_list = app.query_one(NoteList)
        await pilot.press("j", "j", "enter")
        await pilot.click(NoteList, offset=(30, 5))
        await pilot.pause()
        assert note_list.current_id == "n5"
        assert app.highlighted[-1] == (5, "n5")
        assert app.selected == [(2, "n2")]
        await pilot.click(NoteList, offset=(30, 5))
        await pilot.double_click(NoteList, offset=(30, 7))
        await pilot.pause()
        assert app.selected[1:] == [(5, "n5"), (7, "n7")]
        await pilot.double_click(NoteList, offset=(30, 7))
        await pilot.pause()
        assert app.selected[1:] == [(5, "n5"), (7, "n7"), (7, "n7")]


async def test_keep_id_follows_the_note_into_a_new_order() -> None:
    rows = [make_row(i) for i in range(100)]
    app = ListApp(rows)
    async with app.run_test(size=(80, 12)) as pilot:
        note_list = app.query_one(NoteList)
        for _ in range(30):
            await pilot.press("j")
        note_list.set_rows(list(reversed(rows)), keep_id="n30")
        assert note_list.current_id == "n30"
        assert note_list.cursor == 69
        top = note_list.scroll_offset.y
        assert top <= 69 < top + note_list.scrollable_content_region.height
        note_list.set_rows(rows[:10], keep_id="n30")
        assert (note_list.cursor, note_list.current_id) == (0, "n0")
        await pilot.pause()
        assert app.highlighted[-2:] == [(69, "n30"), (0, "n0")]


async def test_lazy_rows_are_built_only_when_visible() -> None:
    rows = LazyRows(10_000)
    app = ListApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        note_list = app.query_one(NoteList)
        assert note_list.row_count == 10_000
        assert 0 < rows.built < 200
        note_list.set_rows(rows, keep_id="n8000")
        assert note_list.current_id == "n8000"
        assert rows.lookups == 1
        assert rows.built < 400


async def test_update_row_repaints_that_row() -> None:
    app = ListApp([make_row(i, status="unread") for i in range(5)])
    async with app.run_test(size=(80, 10)) as pilot:
        note_list = app.query_one(NoteList)
        await pilot.press("j")
        before = note_list.render_line(0)
        assert before.text.startswith("● ★")
        title = next(seg for seg in before if seg.text.startswith("Title 0"))
        assert title.style is not None and title.style.bold
        note_list.update_row(0, make_row(0, status="read", starred=False))
        after = note_list.render_line(0)
        assert after.text.startswith("·  ")
        title = next(seg for seg in after if seg.text.startswith("Title 0"))
        assert title.style is not None and title.style.dim and not title.style.bold
        assert note_list.current_row == make_row(1, status="unread")
        assert note_list.row_at(0).status == "read"


async def test_narrow_widths_drop_domain_then_date() -> None:
    seen: dict[int, str] = {}
    for width in (100, 50, 30):
        app = ListApp([make_row(1)])
        async with app.run_test(size=(width, 6)):
            line = app.query_one(NoteList).render_line(0)
            seen[width] = line.text
            assert line.cell_length == app.query_one(NoteList).scrollable_content_region.width
    assert "2024-03-05" in seen[100] and "example.org" in seen[100]
    assert "2024-03-05" in seen[50] and "example.org" not in seen[50]
    assert "2024-03-05" not in seen[30] and "example.org" not in seen[30]
    assert all("Title 1" in text for text in seen.values())


async def test_wide_characters_truncate_by_cells_and_keep_columns_aligned() -> None:
    titles = ["漢字" * 40, "🔴🟡🟢" * 20, "plain ascii " * 10, "a漢b🟡c" * 12, "short"]
    rows = [
        make_row(i, title=title, domain="ドメイン名前.example.jp", relevance="maybe")
        for i, title in enumerate(titles)
    ]
    app = ListApp(rows)
    async with app.run_test(size=(90, 10)):
        note_list = app.query_one(NoteList)
        width = note_list.scrollable_content_region.width
        lines = visible_lines(note_list)[: len(rows)]
        for line in lines:
            assert line.cell_length == width
            assert cell_len(line.text) == width
            cells = [seg.text for seg in line][::2]  # every other segment is a gap
            assert cells[2] == "m…"  # an unknown relevance is cut to two cells
            assert cell_len(cells[4]) == layout_for(width).domain
            assert cell_len(cells[5]) == layout_for(width).title
        date_offsets = {cell_len(line.text[: line.text.index("2024-03-05")]) for line in lines}
        assert len(date_offsets) == 1
        for line in lines[:4]:
            assert line.text.rstrip().endswith("…")
        assert "short" in lines[4].text and "…" not in lines[4].text.split("short")[1]


def test_fit_and_plain() -> None:
    assert fit("漢字漢字", 5) == "漢字…"
    assert cell_len(fit("漢字漢字", 4)) == 4
    assert fit("abc", 5) == "abc  "
    assert fit("🔴", 1) == "…"
    assert plain("a\x1b[31mb\x9bc\u202ed\te\x07") == "a[31mbcd e"
    assert plain("café ok") == "café ok"
    assert plain("x\ud800\ufeffy\u2066z") == "xyz"


async def test_hostile_title_is_drawn_literally_and_clicking_it_runs_nothing() -> None:
    app = ListApp([make_row(0, title=HOSTILE, domain=HOSTILE), make_row(1)])
    async with app.run_test(size=(100, 10)) as pilot:
        note_list = app.query_one(NoteList)
        line = note_list.render_line(0)
        assert "]0;PWNED[@click=app.quit]x[/]" in line.text
        assert not any(ch in line.text for ch in "\x1b\x07")
        assert all(seg.style is None or not seg.style.meta for seg in line)
        await pilot.click(NoteList, offset=(40, 0))
        await pilot.click(NoteList, offset=(40, 0))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert app.selected == [(0, "n0"), (0, "n0")]


async def test_empty_list_shows_the_hint_and_reports_no_note() -> None:
    app = ListApp([])
    async with app.run_test(size=(60, 11)) as pilot:
        note_list = app.query_one(NoteList)
        await pilot.press("j", "enter")
        await pilot.pause()
        height = note_list.scrollable_content_region.height
        middle = note_list.render_line(height // 2).text
        assert middle.strip() == "No notes match"
        assert middle.index("No") == (note_list.scrollable_content_region.width - 14) // 2
        note_list.empty_text = "Nothing unread \x1b[2J"
        assert note_list.render_line(height // 2).text.strip() == "Nothing unread [2J"
        assert note_list.current_id is None
        assert app.highlighted == [(0, None)]
        assert app.selected == []


async def test_cursor_row_is_styled_apart_from_the_others() -> None:
    app = ListApp([make_row(i, status="read") for i in range(3)])
    async with app.run_test(size=(60, 6)):
        note_list = app.query_one(NoteList)
        cursor_bg = {seg.style.bgcolor for seg in note_list.render_line(0) if seg.style}
        other_bg = {seg.style.bgcolor for seg in note_list.render_line(1) if seg.style}
        assert len(cursor_bg) == 1 and len(other_bg) == 1
        assert cursor_bg != other_bg


async def test_cursor_looks_different_without_focus_in_dark_and_light_themes() -> None:
    app = ListApp([make_row(i) for i in range(3)])
    async with app.run_test(size=(60, 6)) as pilot:
        note_list = app.query_one(NoteList)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            note_list.focus()
            await pilot.pause()
            focused = next(iter(note_list.render_line(0))).style
            plain_row = next(iter(note_list.render_line(1))).style
            app.set_focus(None)
            await pilot.pause()
            blurred = next(iter(note_list.render_line(0))).style
            assert focused is not None and blurred is not None and plain_row is not None
            assert len({focused.bgcolor, blurred.bgcolor, plain_row.bgcolor}) == 3, theme
            assert focused.color != focused.bgcolor and blurred.color != blurred.bgcolor


async def test_bindings_can_be_remapped_by_id() -> None:
    app = ListApp([make_row(i) for i in range(10)])
    async with app.run_test(size=(60, 8)) as pilot:
        note_list = app.query_one(NoteList)
        app.set_keymap({"list.down": "n", "list.bottom": "b"})
        await pilot.press("n", "n")
        assert note_list.cursor == 2
        await pilot.press("b")
        assert note_list.cursor == 9
