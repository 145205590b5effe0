"""The main screen's layout and flow: facets, list, article, status line; query and showing.

The key actions (triage, undo, links, history) live in :mod:`tui.ui.screens.main`, which builds
on this. The list only changes when the query does: triage repaints rows in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from tui.query.live import LiveQuery, QueryRun
from tui.query.query import Query, parse_query
from tui.state.store import StateError, StateSnapshot, StateStore
from tui.text.notes import Note
from tui.ui.screens.rows import NoteRows, facet_data, query_has, toggle_term
from tui.ui.widgets.article.view import ArticleView
from tui.ui.widgets.facets import FacetSidebar
from tui.ui.widgets.note_list import NoteList, plain
from tui.vault.index import Vault

if TYPE_CHECKING:
    from tui.ui.app import ReaderApp

NARROW_WIDTH = 100
"""Below this many columns the list and the article take turns instead of sharing."""
QUERY_DELAY = 0.03  # typing pauses shorter than this do not re-run the query
SEARCH_SLICE = 0.012  # longest a text scan holds the event loop before keys are handled
PREVIEW_DELAY = 0.08  # holding j/k does not render every note it passes
POSITION_DELAY = 0.3  # the article already spaces its reports out; this settles bursts
FACETS_DELAY = 0.3


class BrowseScreen(Screen[None]):
    """Facets | list | article, with the search box above the list and a status line below."""

    show_facets: reactive[bool] = reactive(True)
    narrow: reactive[bool] = reactive(False)
    reading: reactive[bool] = reactive(False)
    """In the narrow layout: the article has the whole width."""

    def __init__(self, store: StateStore, *, auto_mark_read: bool = True) -> None:
        super().__init__()
        self.store = store
        self.auto_mark_read = auto_mark_read
        self.vault: Vault | None = None
        self.rows = NoteRows.empty(store)
        self.query_text = ""
        self.open_id: str | None = None  # the note opened (not just previewed) in the article
        self.shown_id: str | None = None  # the note the article shows
        self.back: list[str] = []
        self.forward: list[str] = []
        self.search_ready = False
        self._status_note = "loading…"
        self._unread = 0
        self._sized = False
        self._query_timer: Timer | None = None
        self._live: LiveQuery | None = None
        self._run: tuple[Query, QueryRun, StateSnapshot] | None = None
        self._preview_timer: Timer | None = None
        self._facets_timer: Timer | None = None
        self._position_timer: Timer | None = None
        self._pending_position: tuple[str, float] | None = None

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
                yield ArticleView(id="article")
        yield Static(id="status")
        yield Footer()

    # -- parts ----------------------------------------------------------------------------

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
        self._update_status()

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

    def _article_context(self) -> bool:
        """True when keys should act on the open article rather than the list cursor."""
        return self.reading or self.focused is self.article

    # -- loading --------------------------------------------------------------------------

    def show_progress(self, done: int, total: int) -> None:
        """Indexing progress, shown in the status line."""
        self._status_note = f"indexing {done}/{total}"
        self._update_status()

    def show_failure(self, message: str) -> None:
        """The vault could not be opened."""
        self._status_note = plain(message)
        self.note_list.empty_text = "The vault could not be opened"
        self._update_status()

    def set_vault(self, vault: Vault) -> None:
        """The vault is indexed: fill the list."""
        self.vault = vault
        self._live = LiveQuery(vault.notes, vault.scale)
        self._status_note = ""
        self.note_list.empty_text = "No notes match" if vault.notes else "This vault has no notes"
        self.apply_query(facets_now=False)
        self.call_after_refresh(self.refresh_facets)  # the list first; counts a frame later

    def set_search_ready(self) -> None:
        """Full-text search is ready; a query with words is re-run against note bodies."""
        self.search_ready = True
        if self.vault is not None and parse_query(self.query_text, self.vault.scale).has_text:
            self.apply_query()

    # -- query ----------------------------------------------------------------------------

    def apply_query(self, *, facets_now: bool = True, typing: bool = False) -> None:
        """Run the current query and show its result, keeping the cursor's note if listed.

        Metadata filters answer at once; words are scanned in slices of ``SEARCH_SLICE``
        seconds between which keys are handled, and a newer query replaces an unfinished
        one. While typing, a query that only adds to the last one scans just its hits.
        """
        self._cancel(self._query_timer)
        vault, live = self.vault, self._live
        if vault is None or live is None:
            return
        if not typing:
            live.forget()  # triage changes since the last query may have moved notes
        query = parse_query(self.query_text, vault.scale)
        state = self.store.snapshot()
        run = live.begin(query, state, vault if self.search_ready else None)
        self._run = (query, run, state)
        self._step_query(facets_now)

    def _step_query(self, facets_now: bool = True) -> None:
        if self._run is None:
            return
        query, run, _ = self._run
        if not run.step(SEARCH_SLICE):
            self.set_timer(0.001, lambda: self._step_query(facets_now) if self._run else None)
            return
        self._run = None
        assert self._live is not None and self.vault is not None
        self._live.finish(query, run)
        keep = self.note_list.current_id
        self.rows = NoteRows(self.vault, self.store, run.hits)
        self.note_list.set_rows(self.rows, keep_id=keep)
        if facets_now:
            self.refresh_facets()
        else:
            self._later_facets()

    def refresh_facets(self) -> None:
        """Recount the facets (and the unread count) for the notes shown."""
        self._cancel(self._facets_timer)
        vault = self.vault
        if vault is None:
            return
        data, unread = facet_data(vault, self.store, self.rows.indices)
        self._unread = unread
        self.facets.set_facets(data)
        current = parse_query(self.query_text, vault.scale)
        terms = {item.term for _, items in data.sections() for item in items}
        self.facets.set_active({t for t in terms if query_has(current, t, vault.scale)})
        self._update_status()

    def _later_facets(self) -> None:
        self._cancel(self._facets_timer)
        self._facets_timer = self.set_timer(FACETS_DELAY, self.refresh_facets)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._cancel(self._query_timer)
        self._query_timer = self.set_timer(QUERY_DELAY, self._typed)
        self._update_status()

    def _typed(self) -> None:
        self.apply_query(facets_now=False, typing=True)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        self.apply_query()
        self.note_list.focus()

    @on(FacetSidebar.Toggled)
    def _facet_toggled(self, event: FacetSidebar.Toggled) -> None:
        if self.vault is None:
            return
        self.query_text = toggle_term(self.query_text, event.query_term, self.vault.scale)
        with self.search_box.prevent(Input.Changed):
            self.search_box.value = self.query_text
        self.apply_query()

    def _update_status(self) -> None:
        parts: list[str] = []
        name = self.reader.root.name or str(self.reader.root)
        parts.append(plain(name))
        if self._status_note:
            parts.append(self._status_note)
        if self.vault is not None:
            parts.append(f"{len(self.rows)} shown, {self._unread} unread")
        if self.query_text:
            parts.append(f"query: {plain(self.query_text)}")
        parts.append(f"state: {plain(_home_relative(self.store.path))}")
        if self.store.read_only:
            parts.append("read-only")
        self.query_one("#status", Static).update(Content(" · ".join(parts)))

    # -- showing notes --------------------------------------------------------------------

    @on(NoteList.Highlighted)
    def _highlighted(self, event: NoteList.Highlighted) -> None:
        if self.narrow or event.note_id is None:
            return
        self._cancel(self._preview_timer)
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

    def show_note(self, note: Note) -> None:
        """Put ``note`` in the article pane at its saved position, without marking it read."""
        vault = self.vault
        if vault is None:
            return
        self.flush_position()
        symbol = vault.scale.symbol(self.store.relevance(note))
        body = vault.body(note)
        self.article.show(note, body, relevance_symbol=symbol, position=self.store.position(note))
        self.shown_id = note.id
        self._show_backlinks(note)

    def open_note(self, note: Note, *, history: bool = True) -> None:
        """Open ``note`` for reading: show it, remember it in history, mark it read."""
        if history and self.open_id is not None and self.open_id != note.id:
            self.back.append(self.open_id)
            self.forward.clear()
        if self.shown_id != note.id:
            self.show_note(note)
        self.open_id = note.id
        index = self.rows.index_of(note.id)
        if index is not None and index != self.note_list.cursor:
            self.note_list.cursor = index  # its preview is a no-op: the note is already shown
        # A read-only store says so in the status line; no error for every note opened.
        if self.auto_mark_read and not self.store.read_only and self.store.status(note) == "unread":
            try:
                self.store.update(note, status="read")
            except StateError as exc:
                self.notify(str(exc), severity="error", markup=False)
            self.repaint(note)
            self._later_facets()
        if self.narrow:
            self.reading = True
        self.article.focus()

    def repaint(self, note: Note) -> None:
        """Redraw ``note``'s row (if listed) and its article header (if shown) from the store."""
        index = self.rows.index_of(note.id)
        if index is not None:
            self.rows.forget(index)
            self.note_list.update_row(index, self.rows[index])

    def repaint_all(self) -> None:
        """Redraw every row from the store (after a change to many notes)."""
        self.rows.forget()
        self.note_list.set_rows(self.rows, keep_id=self.note_list.current_id)

    def _show_backlinks(self, note: Note) -> None:
        vault = self.vault
        box = self.query_one("#linked-from", Static)
        sources = vault.backlinks.get(note.path, []) if vault is not None else []
        titles = [vault.by_path[p].title for p in sources if vault and p in vault.by_path]
        box.display = bool(titles)
        if titles:
            shown = " · ".join(plain(t) for t in titles[:3])
            more = f" and {len(titles) - 3} more" if len(titles) > 3 else ""
            box.update(Content(f"Linked from: {shown}{more}  (B to choose)"))

    @on(ArticleView.PositionChanged)
    def _position_changed(self, event: ArticleView.PositionChanged) -> None:
        if self.open_id is None or self.open_id != self.shown_id:
            return  # previews do not move the saved reading position
        self._pending_position = (self.open_id, event.position)
        self._cancel(self._position_timer)
        self._position_timer = self.set_timer(POSITION_DELAY, self.flush_position)

    def flush_position(self) -> None:
        """Save a pending reading position now."""
        self._cancel(self._position_timer)
        pending, self._pending_position = self._pending_position, None
        note = self.note_by_id(pending[0]) if pending else None
        if pending is None or note is None or self.store.read_only:
            return
        try:
            if self.store.position(note) != pending[1]:
                self.store.update(note, position=pending[1])
        except StateError:
            pass  # a lost reading position is not worth interrupting the reader for

    def on_unmount(self) -> None:
        """Keep the last reading position when the app closes."""
        self.flush_position()

    @staticmethod
    def _cancel(timer: Timer | None) -> None:
        if timer is not None:
            timer.stop()


def _home_relative(path: Path) -> str:
    """``path`` with the home folder shown as ``~``, as people type it."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)
