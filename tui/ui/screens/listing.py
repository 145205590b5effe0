"""The query behind the main screen's list: run it, fill the list and facets, say so below.

Metadata filters answer from memory and words from the full-text index. With words the list
is ranked (best match first) unless another sort was chosen: the best matches are listed at
once and every match is then found in a thread (see :mod:`tui.query.live`). The sort and
any part of the query that could not be used are shown in the status line. The list only
changes when the query does: triage repaints rows in place.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.query.live import LiveQuery, QueryRun
from tui.query.query import SORT_NAMES, SORTS, Query, parse_query, run_query
from tui.query.toggle import query_has, toggle_term
from tui.state.store import StateSnapshot
from tui.text.hygiene import plain
from tui.text.notes import Note
from tui.ui.screens.rows import NoteRows, facet_data
from tui.ui.screens.saved import view_number
from tui.ui.widgets.progress import IndexProgress
from tui.vault.index import Vault

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

QUERY_DELAY = 0.03  # typing pauses shorter than this do not re-run the query
FACETS_DELAY = 0.3


def stop(timer: Timer | None) -> None:
    """Stop ``timer`` if there is one."""
    if timer is not None:
        timer.stop()


class Listing:
    """Runs ``screen.query_text`` over the vault and shows the result in ``screen``'s parts."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.live: LiveQuery | None = None
        self.sort = "rank"
        """How the list is ordered; ``rank`` means newest first while there are no words."""
        self.problems: tuple[str, ...] = ()
        self.status_note = "loading…"
        self.unread = 0
        self._run: tuple[Query, QueryRun, StateSnapshot] | None = None
        self._query_timer: Timer | None = None
        self._keep_top = False
        self._facets_timer: Timer | None = None

    def highlight_query(self) -> None:
        """Highlight the search's words in the article: why the note matched."""
        screen = self.screen
        vault = screen.vault
        if vault is not None and (words := parse_query(screen.query_text, vault.scale).words()):
            screen.article.highlight(words)

    def repaint(self, note: Note) -> None:
        """Redraw ``note``'s row (if listed) from the store."""
        screen = self.screen
        index = screen.rows.index_of(note.id)
        if index is not None:
            screen.rows.forget(index)
            screen.note_list.update_row(index, screen.rows[index])

    def repaint_all(self) -> None:
        """Redraw every row from the store (after a change to many notes)."""
        screen = self.screen
        screen.rows.forget()
        screen.note_list.set_rows(screen.rows, keep_id=screen.note_list.current_id)

    def show_progress(self, done: int, total: int, what: str = "indexing") -> None:
        """Indexing progress: a bar above the status line, the counts in it."""
        self.status_note = f"{what} {done}/{total}"
        self.screen.query_one(IndexProgress).show(done, total, what)
        self.update_status()

    def show_failure(self, message: str) -> None:
        """The vault could not be opened."""
        self.status_note = plain(message)
        self.screen.query_one(IndexProgress).hide()
        self.screen.note_list.empty_text = "The vault could not be opened"
        self.update_status()

    def start(self, vault: Vault, live: LiveQuery | None = None) -> None:
        """The vault is indexed: fill the list, and the facets a frame later.

        ``live``: the vault's queries, when they were made ready elsewhere (in a thread).
        """
        screen = self.screen
        # Notes that arrive (a first reading, the vault after its first screen) must not
        # carry the cursor down with the note it was on unless the reader moved it there:
        # a cursor at the top stays at the top.
        self._keep_top = screen.vault is not None and screen.note_list.cursor == 0
        screen.vault = vault
        screen.note_list.empty_text = "No notes match" if vault.notes else "This vault has no notes"
        self.live = (
            live
            if live is not None and live.notes is vault.notes
            else LiveQuery(vault.notes, vault.scale)
        )
        if vault.partial:
            # The newest notes as last seen, while the vault is opened: counts would be of
            # these few, so the facets wait for the real thing.
            if not self.status_note.startswith("indexing"):
                self.status_note = "checking the vault…"
            self.apply(facets_now=False)
            self.update_status()
            return
        self.status_note = ""
        screen.query_one(IndexProgress).hide()
        self.apply(facets_now=False)
        self.update_status()  # the counts follow with the facets, a frame later
        screen.call_after_refresh(self.refresh_facets)

    def search_ready(self) -> None:
        """Full-text search is ready; a query with words is re-run against note bodies."""
        screen = self.screen
        screen.search_ready = True
        screen.query_one(IndexProgress).hide()
        screen.article.refresh_similar()  # the note shown before could not ask yet
        if self.status_note.startswith("search index"):
            self.status_note = ""
            self.update_status()
        if screen.vault is not None:
            notice = screen.vault.engine_notice
            if notice:
                screen.notify(notice, title="Search index", markup=False)
            if parse_query(screen.query_text, screen.vault.scale).has_text:
                self.apply()

    def cycle_sort(self) -> None:
        """Order the list the next way (see ``SORTS``) and say which in the status line."""
        self.sort = (
            SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)] if self.sort in SORTS else "rank"
        )
        self.apply()

    def apply(self, *, facets_now: bool = True) -> None:
        """Run the current query and show its result, keeping the cursor's note if listed."""
        stop(self._query_timer)
        screen = self.screen
        vault, live = screen.vault, self.live
        if vault is None or live is None:
            return
        query = parse_query(screen.query_text, vault.scale)
        self.problems = query.problems
        state = screen.store.snapshot()
        search = vault if screen.search_ready else None
        run = live.begin(query, state, search, sort=self.sort)
        self._run = (query, run, state)
        self._show(query, run, facets_now)
        if not run.done:
            # The best matches are listed; every match (the count, the facets, the end of
            # the list) is worked out off the event loop, and shown unless a newer query came.
            screen.run_worker(
                partial(self._complete, query, run, facets_now),
                thread=True, exclusive=True, group="query", exit_on_error=False,
            )  # fmt: skip

    def _complete(self, query: Query, run: QueryRun, facets_now: bool) -> None:
        run.complete()
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.screen.app.call_from_thread(self._completed, query, run, facets_now)

    def _completed(self, query: Query, run: QueryRun, facets_now: bool) -> None:
        if self._run is not None and self._run[1] is run and self.screen.is_attached:
            self._show(query, run, facets_now, highlight=False)  # the words are as they were

    @property
    def counting(self) -> bool:
        """True while the list shows the best matches and the rest are being found."""
        return self._run is not None and not self._run[1].done

    def _show(
        self, query: Query, run: QueryRun, facets_now: bool, *, highlight: bool = True
    ) -> None:
        screen = self.screen
        assert self.live is not None and screen.vault is not None
        keep = None if self._keep_top else screen.note_list.current_id
        self._keep_top = False
        words = query.words() if screen.search_ready else ()
        screen.rows = NoteRows(screen.vault, screen.store, run.hits, words)
        screen.note_list.set_rows(screen.rows, keep_id=keep)
        if highlight:
            self.highlight_query()
        if not run.done:
            self.update_status()
        elif facets_now:
            self.refresh_facets()
        else:
            self.later_facets()

    def typed(self, text: str) -> None:
        """The search box now says ``text``: run it once typing pauses."""
        self.screen.query_text = text
        stop(self._query_timer)
        self._query_timer = self.screen.set_timer(QUERY_DELAY, self._typed)
        self.update_status()

    def _typed(self) -> None:
        self.apply(facets_now=False)

    def replace_text(self, text: str) -> None:
        """Set the query to ``text`` (the search box too) and run it now."""
        screen = self.screen
        screen.query_text = text
        with screen.search_box.prevent(Input.Changed):
            screen.search_box.value = text
        self.apply()

    def toggle(self, term: str) -> None:
        """Add the facet ``term`` to the query, or take it out when it is there."""
        number = view_number(term)
        if number is not None:
            self.screen.saved.choose(number)
        elif self.screen.vault is not None:
            scale = self.screen.vault.scale
            self.replace_text(toggle_term(self.screen.query_text, term, scale))

    def refresh_facets(self) -> None:
        """Recount the facets (and the unread count) for the notes shown."""
        stop(self._facets_timer)
        screen = self.screen
        vault = screen.vault
        if vault is None or vault.partial:
            self.update_status()
            return
        current = parse_query(screen.query_text, vault.scale)
        data, self.unread = facet_data(
            vault, screen.store, screen.rows.indices, self._wider(current)
        )
        data.views = screen.saved.items()
        screen.facets.set_facets(data)
        terms = {item.term for _, items in data.sections() for item in items}
        active = {t for t in terms if view_number(t) is None and query_has(current, t, vault.scale)}
        screen.facets.set_active(active | screen.saved.active(screen.query_text))
        self.update_status()

    def _wider(self, query: Query) -> dict[str, list[int]]:
        """For each kind ``query`` filters on, the notes it finds without that kind's filter."""
        screen, vault, live = self.screen, self.screen.vault, self.live
        if vault is None or live is None:
            return {}
        state = screen.store.snapshot()
        search = vault if screen.search_ready else None
        wider: dict[str, list[int]] = {}
        kinds = (
            ("relevance", replace(query, relevance=())),
            ("domains", replace(query, domains=())),
            ("tags", replace(query, tags=())),
        )
        for kind, without in kinds:
            if without != query:
                wider[kind] = run_query(vault.notes, state, without, search=search,
                                        scale=vault.scale, order=live.order)  # fmt: skip
        return wider

    def later_facets(self) -> None:
        """Recount the facets after a pause (a burst of changes costs one count)."""
        stop(self._facets_timer)
        self._facets_timer = self.screen.set_timer(FACETS_DELAY, self.refresh_facets)

    def update_status(self) -> None:
        """Write the status line: vault, progress, counts, query, state file."""
        screen = self.screen
        root = screen.reader.root
        parts = [plain(root.name or str(root))]
        if self.status_note:
            parts.append(self.status_note)
        if screen.vault is not None:
            shown = f"best {len(screen.rows)}, counting…" if self.counting else len(screen.rows)
            if screen.vault.partial:
                parts.append(f"{len(screen.rows)} shown, {screen.vault.partial_note}")
            else:
                parts.append(f"{shown} shown, {self.unread} unread")
        if screen.selection.ids:
            parts.append(f"{len(screen.selection.ids)} selected")
        if screen.query_text:
            parts.append(f"query: {plain(screen.query_text)}")
        if self.sort != "rank" or (screen.query_text and parse_query(screen.query_text).has_text):
            parts.append(f"sort: {self.sort_name()}")
        if self.problems:
            more = f" (+{len(self.problems) - 1})" if len(self.problems) > 1 else ""
            parts.append(plain(self.problems[0]) + more)
        parts.append(f"state: {plain(home_relative(screen.store.path))}")
        if screen.store.read_only:
            parts.append("read-only")
        screen.query_one("#status", Static).update(Content(" · ".join(parts)))

    def sort_name(self) -> str:
        """The sort as the status line says it."""
        has_words = parse_query(self.screen.query_text).has_text
        if self.sort == "rank" and not has_words:
            return "newest (best match once you type words)"
        return SORT_NAMES.get(self.sort, self.sort)


def home_relative(path: Path) -> str:
    """``path`` with the home folder shown as ``~``, as people type it."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)
