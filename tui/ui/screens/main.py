"""The main screen: facets | list | article, the search box above the list, a status line.

Its parts are composed, each a module of its own: ``listing`` runs the query, ``edits`` makes
triage changes (through the app's one ``Changes``), ``links`` follows links, ``navigation`` moves,
``positions`` saves where reading stopped, ``reload`` shows changes made on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from tui.query.views import View
from tui.state.changes import Changes
from tui.text.notes import Note
from tui.ui.commands import KeyCommands, NoteTitles
from tui.ui.fullview import FullArticleScreen
from tui.ui.history import History
from tui.ui.keys import keys_for
from tui.ui.screens.edits import Edits
from tui.ui.screens.links import Links
from tui.ui.screens.listing import Listing, stop
from tui.ui.screens.navigation import Navigation
from tui.ui.screens.positions import Positions
from tui.ui.screens.rows import NoteRows, header_parts
from tui.ui.screens.saved import SavedViews, ViewCommands
from tui.ui.screens.selection import Selection
from tui.ui.widgets.article.view import ArticleView
from tui.ui.widgets.facets import FacetSidebar
from tui.ui.widgets.note_list import NoteList
from tui.ui.widgets.progress import IndexProgress
from tui.vault.index import Vault

if TYPE_CHECKING:
    from tui.ui.app import ReaderApp

NARROW_WIDTH = 100
"""Below this many columns the list and the article take turns instead of sharing."""
PREVIEW_DELAY = 0.08  # holding j/k does not render every note it passes


class MainScreen(FullArticleScreen[None]):
    """Browse, read and triage the vault's notes."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("main")
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        NoteTitles,
        KeyCommands,
        ViewCommands,
    }
    KEY_SCOPE = "main"  # the palette offers this scope's keys

    show_facets: reactive[bool] = reactive(True)
    narrow: reactive[bool] = reactive(False)
    reading: reactive[bool] = reactive(False)
    """In the narrow layout: the article has the whole width."""

    def __init__(
        self, changes: Changes, *, auto_mark_read: bool = True, views: tuple[View, ...] = ()
    ) -> None:
        super().__init__()
        self.saved = SavedViews(self, views)
        self.changes = changes
        self.store = changes.store
        self.auto_mark_read = auto_mark_read
        self.vault: Vault | None = None
        self.rows = NoteRows.empty(self.store)
        self.query_text = ""
        self.search_ready = False
        self.similar = 5  # similar notes listed under the article (0: none; from the config)
        self.open_id: str | None = None  # the note opened (not just previewed) in the article
        self.shown_id: str | None = None  # the note the article shows
        self.history = History()
        self.listing = Listing(self)
        self.edits = Edits(self, changes)
        self.links = Links(self)
        self.selection = Selection(self)
        self._sized = False
        self._preview_timer: Timer | None = None
        self.navigation = Navigation(self)
        self.positions = Positions(self.store, self.note_by_id, self.set_timer)

    @property
    def reader(self) -> ReaderApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Sidebar, list pane (search box + list), article pane, status line, footer."""
        with Horizontal(id="body"):
            yield FacetSidebar(id="facets")
            with Vertical(id="list-pane"):
                yield Input(placeholder="/ search: words  is:unread  rel:high  tag:x", id="search")
                yield NoteList(id="notes")
            with Vertical(id="article-pane"):
                yield Static(id="linked-from")
                sources = self.links.sources
                article = ArticleView(id="article", sources=sources, similar=sources.similar)
                article.similar_limit = self.similar
                yield article
        yield IndexProgress(id="progress")
        yield Static(id="status")
        yield Footer()

    @property
    def note_list(self) -> NoteList:
        """The list of notes."""
        return self.query_one("#notes", NoteList)

    @property
    def article(self) -> ArticleView:
        """The article pane."""
        return self.query_one("#article", ArticleView)

    @property
    def search_box(self) -> Input:
        """The search input."""
        return self.query_one("#search", Input)

    @property
    def facets(self) -> FacetSidebar:
        """The facet sidebar."""
        return self.query_one("#facets", FacetSidebar)

    def note_by_id(self, note_id: str | None) -> Note | None:
        """A note of the vault by id."""
        if note_id is None or self.vault is None:
            return None
        return self.vault.by_id.get(note_id)

    # -- layout ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Start with the list focused and the status line saying what is happening."""
        self.note_list.empty_text = "Loading notes…"
        self.note_list.focus()
        self.listing.update_status()

    def on_resize(self, event: events.Resize) -> None:
        """Switch between the side-by-side and the one-pane-at-a-time layouts."""
        self.narrow = event.size.width < NARROW_WIDTH
        if not self._sized:
            self._sized = True
            self.show_facets = not self.narrow

    def watch_show_facets(self, show: bool) -> None:
        """Hide or show the sidebar; never leave the focus on a hidden widget."""
        self.set_class(not show, "-no-facets")
        if not show and self.focused is self.facets:
            self.note_list.focus()

    def watch_narrow(self, narrow: bool) -> None:
        """The narrow layout shows the list or the article, not both."""
        self.set_class(narrow, "-narrow")
        if not narrow:
            self.reading = False

    def watch_reading(self, reading: bool) -> None:
        """Swap list and article in the narrow layout."""
        self.set_class(reading, "-reading")

    # -- query ----------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.listing.typed(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.listing.apply()
        self.note_list.focus()

    @on(FacetSidebar.Toggled)
    def _facet_toggled(self, event: FacetSidebar.Toggled) -> None:
        self.listing.toggle(event.query_term)

    # -- showing notes --------------------------------------------------------------------

    @on(NoteList.Highlighted)
    def _highlighted(self, event: NoteList.Highlighted) -> None:
        if self.narrow or event.note_id is None:
            return
        stop(self._preview_timer)
        note_id = event.note_id
        self._preview_timer = self.set_timer(PREVIEW_DELAY, lambda: self._preview(note_id))

    def _preview(self, note_id: str) -> None:
        note = self.note_by_id(note_id)
        if note is not None and note_id != self.shown_id and not self.narrow:
            self.show_note(note)

    @on(NoteList.Selected)
    def _selected(self, event: NoteList.Selected) -> None:
        note = self.note_by_id(event.note_id)
        if note is not None:
            self.open_note(note)

    def show_note(self, note: Note, *, position: float | None = None) -> None:
        """Show ``note`` without marking it read, at its saved position or at ``position``."""
        vault = self.vault
        if vault is None:
            return
        if position is None:
            self.positions.flush()
            position = self.store.position(note)
        symbol, marks = header_parts(vault.scale, self.store, note)
        self.article.show(note, vault.body(note), relevance_symbol=symbol, position=position,
                          marks=marks)  # fmt: skip
        self.shown_id = note.id
        self.listing.highlight_query()
        self.links.show_backlinks(note)

    def open_note(self, note: Note, *, history: bool = True) -> None:
        """Open ``note`` for reading: show it, remember it in history, mark it read."""
        if history:
            self.history.visit(self.open_id, note.id)
        # Marked read first, so the header drawn below already says "read".
        marked = self.auto_mark_read and self.edits.mark_opened(note)
        if self.shown_id != note.id:
            self.show_note(note)
        elif marked:
            self.edits.refresh_header()
        self.open_id = note.id
        index = self.rows.index_of(note.id)
        if index is not None and index != self.note_list.cursor:
            self.note_list.cursor = index  # its preview is a no-op: the note is already shown
        if self.narrow:
            self.reading = True
        self.article.focus()

    def open_by_id(self, note_id: str) -> None:
        """Open a note chosen elsewhere (palette, picker); it joins the history."""
        note = self.note_by_id(note_id)
        if note is not None:
            self.open_note(note)

    @on(ArticleView.PositionChanged)
    def _position_changed(self, event: ArticleView.PositionChanged) -> None:
        if not self.full.moved(event.position) and self.open_id and self.open_id == self.shown_id:
            self.positions.moved(self.open_id, event.position)  # previews do not move it

    def on_unmount(self) -> None:
        """Keep the last reading position when the app closes."""
        self.positions.flush()

    # -- the note keys act on ---------------------------------------------------------------

    def on_article_view_link_activated(self, event: ArticleView.LinkActivated) -> None:
        """Follow a link chosen in the article."""
        self.links.follow(event.link)

    # -- key actions (bound in tui.ui.keys) ---------------------------------------------------

    def action_cursor_down(self) -> None:
        """Next note in the list."""
        self.note_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous note in the list."""
        self.note_list.action_cursor_up()

    def action_cursor_top(self) -> None:
        """First note in the list."""
        self.note_list.action_scroll_top()

    def action_cursor_bottom(self) -> None:
        """Last note in the list."""
        self.note_list.action_scroll_bottom()

    def action_open_note(self) -> None:
        """Open the note under the list cursor."""
        self.navigation.open_current()

    def action_next_unread(self) -> None:
        """Go to the next unread note in the list (and open it when reading)."""
        self.navigation.jump_unread(1)

    def action_prev_unread(self) -> None:
        """Go to the previous unread note in the list (and open it when reading)."""
        self.navigation.jump_unread(-1)

    def action_switch_pane(self) -> None:
        """Move between the list and the article."""
        self.navigation.switch_pane()

    def action_back(self) -> None:
        """Leave the search box (clearing it) or the article, back to the list."""
        self.navigation.back()

    def action_back_or_quit(self) -> None:
        """Back to the list from the article or sidebar; quit from the list."""
        self.navigation.back_or_quit()

    def action_page_down(self) -> None:
        """Page down in the article (the list when it has the narrow screen)."""
        self.navigation.page(down=True)

    def action_page_up(self) -> None:
        """Page up in the article (the list when it has the narrow screen)."""
        self.navigation.page(down=False)

    def action_history_back(self) -> None:
        """Open the note read before this one."""
        self.navigation.travel(-1)

    def action_history_forward(self) -> None:
        """Open the note that ``[`` went back from."""
        self.navigation.travel(1)

    def action_search(self) -> None:
        """Focus the search box."""
        self.navigation.search()

    def action_toggle_facets(self) -> None:
        """Show the facet sidebar (and focus it), or hide it."""
        self.navigation.toggle_facets()

    def action_mark_all_read(self) -> None:
        """Ask, then mark every unread note shown as read (one undo)."""
        self.edits.mark_all_read()

    def action_undo(self) -> None:
        """Put back what the last triage action changed."""
        self.edits.undo()

    def action_pick_link(self) -> None:
        """Choose one of the article's links from a list."""
        self.links.pick_link()

    def action_toggle_read(self) -> None:
        """Mark the note read, or unread again."""
        if notes := self.navigation.need_targets():
            self.edits.toggle_read(notes)

    def action_toggle_star(self) -> None:
        """Star or unstar the note."""
        if notes := self.navigation.need_targets():
            self.edits.toggle_star(notes)

    def action_toggle_archive(self) -> None:
        """Archive the note, or bring it back (as read)."""
        if notes := self.navigation.need_targets():
            self.edits.toggle_archive(notes)

    def action_pick_backlink(self) -> None:
        """Choose one of the notes that link to this one."""
        if note := self.navigation.need_target():
            self.links.pick_backlink(note)

    def action_open_source(self) -> None:
        """Open the note's source in the web browser."""
        if note := self.navigation.need_target():
            self.links.open_source(note)

    def action_copy_url(self) -> None:
        """Copy the note's source URL to the clipboard (OSC 52)."""
        if note := self.navigation.need_target():
            self.links.copy_url(note)

    def action_relevance(self, level: int) -> None:
        """Set the relevance to the scale's ``level``-th level (0 = highest); -1 clears it."""
        if notes := self.navigation.need_targets():
            self.edits.relevance(notes, level)

    def action_triage_mode(self) -> None:
        """Open triage mode for the notes shown; what it changed shows when it closes."""
        self.edits.triage_mode()

    def action_cycle_sort(self) -> None:
        """Sort the list the next way: best match, newest, title, relevance."""
        self.listing.cycle_sort()

    def action_pick_similar(self) -> None:
        """Choose one of the notes most like this one."""
        if note := self.navigation.need_target():
            self.links.pick_similar(note)

    def action_select(self) -> None:
        """Select the note (or unselect it): m s e 1-3 then act on every selected note."""
        self.selection.toggle_current()

    def action_clear_selection(self) -> None:
        """Select no notes."""
        self.selection.clear()

    def action_catch_up(self) -> None:
        """Mark every unread note above the cursor read."""
        self.edits.catch_up()
