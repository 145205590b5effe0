"""FacetSidebar through a real (headless) app: navigation, Toggled terms, highlighting, safety."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult

from tui.ui.widgets.facets import FacetData, FacetItem, FacetSidebar, facet_term

STYLES = Path(__file__).resolve().parents[2] / "styles" / "list.tcss"
HOSTILE = "\x1b]0;PWNED\x07[@click=app.quit]x[/]"


def sample() -> FacetData:
    return FacetData(
        status=[
            FacetItem("Unread", "is:unread", 40, 40),
            FacetItem("Starred", "is:starred", 3, 1),
        ],
        relevance=[
            FacetItem("🔴 high", "rel:high", 5, 2),
            FacetItem("🟡 medium", "rel:medium", 12, 3),
            FacetItem("none", "rel:none", 1200, 35),
        ],
        domain=[
            FacetItem("SQL", facet_term("domain", "SQL"), 7, 0),
            FacetItem("AI Tools", facet_term("domain", "AI Tools"), 4, 4),
        ],
        tags=[FacetItem("#python", facet_term("tag", "#python"), 9, 1)],
    )


class FacetApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self, data: FacetData) -> None:
        super().__init__()
        self.data = data
        self.toggled: list[str] = []

    def compose(self) -> ComposeResult:
        yield FacetSidebar()

    def on_mount(self) -> None:
        self.query_one(FacetSidebar).set_facets(self.data)

    @on(FacetSidebar.Toggled)
    def record(self, message: FacetSidebar.Toggled) -> None:
        self.toggled.append(message.query_term)


def lines(sidebar: FacetSidebar) -> list[str]:
    return [sidebar.render_line(y).text for y in range(sidebar.scrollable_content_region.height)]


def test_facet_term_quotes_only_when_needed() -> None:
    assert facet_term("domain", "SQL") == "domain:SQL"
    assert facet_term("domain", "AI Tools") == 'domain:"AI Tools"'
    assert facet_term("tag", "#python") == "tag:#python"
    assert facet_term("domain", 'say "hi"\\') == 'domain:"say \\"hi\\"\\\\"'
    assert facet_term("domain", "") == 'domain:""'
    assert facet_term("domain", "a\x1b[2Jb c") == 'domain:"a[2Jb c"'


async def test_every_item_toggles_its_own_term_and_headings_are_skipped() -> None:
    app = FacetApp(sample())
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.press("enter")
        for _ in range(7):
            await pilot.press("j", "enter")
        await pilot.press("down", "space")  # past the end: stays on the last item
        await pilot.pause()
    assert app.toggled == [
        "is:unread",
        "is:starred",
        "rel:high",
        "rel:medium",
        "rel:none",
        "domain:SQL",
        'domain:"AI Tools"',
        "tag:#python",
        "tag:#python",
    ]


async def test_sections_counts_and_alignment() -> None:
    app = FacetApp(sample())
    async with app.run_test(size=(30, 30)):
        sidebar = app.query_one(FacetSidebar)
        shown = lines(sidebar)
        width = sidebar.scrollable_content_region.width
        assert width == 28  # one cell of padding each side
        assert shown[:4] == [
            "Status".ljust(28),
            "  Unread" + " " * 13 + "40 (40)",
            "  Starred" + " " * 14 + "3 (1)",
            " " * 28,
        ]
        assert shown[5].rstrip().endswith("5 (2)")
        assert shown[13].strip() == "Tags"
        assert all(cell_len(text) == width for text in shown)
        ends = {cell_len(text.rstrip()) for text in shown if text.rstrip().endswith(")")}
        assert ends == {width}


async def test_active_terms_are_marked_and_styled() -> None:
    app = FacetApp(sample())
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(FacetSidebar)
        sidebar.set_active({"rel:medium", 'domain:"AI Tools"'})
        await pilot.pause()
        shown = lines(sidebar)
        marked = [text.strip() for text in shown if text.startswith("✓")]
        assert [text.split("  ")[0] for text in marked] == ["✓ 🟡 medium", "✓ AI Tools"]
        medium = sidebar.render_line(shown.index(next(t for t in shown if "medium" in t)))
        high = sidebar.render_line(shown.index(next(t for t in shown if "high" in t)))
        medium_label = next(seg for seg in medium if "medium" in seg.text)
        high_label = next(seg for seg in high if "high" in seg.text)
        assert medium_label.style != high_label.style
        sidebar.set_active(set())
        assert not any(text.startswith("✓") for text in lines(sidebar))


async def test_cursor_keeps_its_term_when_counts_change() -> None:
    app = FacetApp(sample())
    async with app.run_test(size=(40, 30)) as pilot:
        sidebar = app.query_one(FacetSidebar)
        await pilot.press("j", "j", "j")
        assert sidebar.current_term == "rel:medium"
        fewer = sample()
        fewer.status = fewer.status[:1]
        sidebar.set_facets(fewer)
        assert sidebar.current_term == "rel:medium"
        sidebar.set_facets(FacetData())
        assert sidebar.current_term is None
        await pilot.press("enter", "k")
        assert app.toggled == []


async def test_hostile_domain_is_literal_and_clicking_it_only_toggles() -> None:
    data = FacetData(domain=[FacetItem(HOSTILE, facet_term("domain", HOSTILE), 1, 1)])
    app = FacetApp(data)
    async with app.run_test(size=(60, 10)) as pilot:
        sidebar = app.query_one(FacetSidebar)
        line = sidebar.render_line(1)
        assert "]0;PWNED[@click=app.quit]x[/]" in line.text
        assert not any(ch in line.text for ch in "\x1b\x07")
        assert all(seg.style is None or not seg.style.meta for seg in line)
        await pilot.click(FacetSidebar, offset=(10, 1))
        await pilot.click(FacetSidebar, offset=(10, 0))  # the heading: nothing happens
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert app.toggled == [facet_term("domain", HOSTILE)]
        assert app.toggled == ["domain:]0;PWNED[@click=app.quit]x[/]"]
