"""The second view of a note in an article pane: its source, fetched and read as an article.

A screen owns one :class:`FullView` per article pane. Fetching runs in a thread worker, so
the pane keeps scrolling while a page arrives; a failure is one notification and the summary
stays. Each view keeps its own reading position: the summary's is the screen's business (the
state store on the main screen), the full article's is kept here for the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen

from tui.text.notes import Note
from tui.text.urls import web_url
from tui.ui.screens.rows import header_parts
from tui.ui.widgets.article.view import ArticleView

if TYPE_CHECKING:
    from tui.fetch.cache import Article
    from tui.fetch.service import Fetched, Fetcher

ShowSummary = Callable[[Note, float | None], None]


def full_note(note: Note, article: Article) -> Note:
    """The note as the full article's header shows it: the page's title, where it came
    from and when it was fetched (the header's details line)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(article.fetched_at))
    by = f"by {article.author} · " if article.author else ""
    return replace(
        note,
        title=article.title or note.title,
        date=article.date or note.date,
        domain=f"{by}full article, fetched {when} (v: summary)",
        source=article.final_url or note.source,
        tags=[],
        links=[],  # the page's links are web links; the note's wikilinks are not in it
    )


class FullView:
    """Summary | full article for the notes shown in ``article``.

    ``current`` is the note the pane shows now, ``summary`` draws a note's summary again
    (at a position, or None for the screen's own), ``header`` its relevance symbol and read
    state for the article header (see ``tui.ui.screens.rows.header_parts``).
    """

    def __init__(
        self,
        screen: Screen[Any],
        article: Callable[[], ArticleView],
        current: Callable[[], Note | None],
        summary: ShowSummary,
        header: Callable[[Note], tuple[str, str]],
    ) -> None:
        self.screen = screen
        self._article = article
        self._current = current
        self._summary = summary
        self._header = header
        self._showing: str | None = None
        self._positions: dict[str, float] = {}
        self._summary_at: dict[str, float] = {}
        self._busy: set[str] = set()

    @classmethod
    def of_main(cls, screen: Any) -> FullView:
        """The full view of the main screen's article pane (the note it shows)."""

        def header(note: Note) -> tuple[str, str]:
            vault = screen.vault
            return header_parts(vault.scale, screen.store, note) if vault else ("", "")

        return cls(
            screen,
            lambda: screen.article,
            lambda: screen.note_by_id(screen.shown_id),
            lambda note, at: screen.show_note(note, position=at),
            header,
        )

    @property
    def showing(self) -> str | None:
        """The id of the note whose full article is on screen, or None for a summary."""
        return self._showing if self._article().document == "full" else None

    def fetcher(self) -> Fetcher:
        """The app's fetcher (made on first use: the fetch modules load only when needed)."""
        get = getattr(self.screen.app, "fetcher", None)
        if callable(get):
            fetcher: Fetcher = get()
            return fetcher
        from tui.config.fetchconf import FetchSettings
        from tui.fetch.service import Fetcher

        return Fetcher(FetchSettings())

    # -- what the screen tells this view --------------------------------------------------

    def left(self) -> None:
        """The pane is about to show a summary (another note, or this one again)."""
        if self.showing is not None:
            self._positions[self.showing] = self._article().position
            self._showing = None

    def moved(self, position: float) -> bool:
        """A reading position was reported; True when it is the full article's."""
        showing = self.showing
        if showing is None:
            return False
        self._positions[showing] = position
        return True

    def summary_position(self, note: Note) -> float | None:
        """Where the summary of ``note`` was left when its full article was shown."""
        return self._summary_at.get(note.id)

    # -- actions --------------------------------------------------------------------------

    def toggle(self) -> None:
        """Summary to full article (fetching it if needed) and back."""
        note = self._current()
        if note is None:
            return
        if self.showing == note.id:
            self.left()
            self._summary(note, self._summary_at.get(note.id))
            return
        self.fetch(refresh=False)

    def fetch(self, *, refresh: bool | None = None) -> None:
        """Show the full article of the current note: from the cache when it is there,
        else fetched in the background. Asked again while it is shown, revalidate it."""
        note = self._current()
        if note is None:
            return
        if not note.source:
            self.screen.notify("This note has no source URL to fetch", severity="warning")
            return
        if web_url(note.source) is None:
            self.screen.notify("Not fetched: only http and https sources", severity="warning")
            return
        if refresh is None:
            refresh = self.showing == note.id
        if not refresh:
            cached = self.fetcher().cached(note.source)
            if cached is not None:
                self._display(note, cached)
                return
        if note.id in self._busy:
            self.screen.notify("Already fetching this note's source")
            return
        self._busy.add(note.id)
        self.screen.notify("Fetching the full article…", timeout=2)
        self.screen.run_worker(
            lambda: self._work(note, refresh),
            thread=True,
            group="fetch",
            exit_on_error=False,
        )

    def redisplay(self, note: Note) -> bool:
        """Draw the full article of ``note`` again where it is; False when it is not shown."""
        if self.showing != note.id:
            return False
        cached = self.fetcher().cached(note.source)
        if cached is None:
            return False
        self._show(note, cached, self._article().position)
        return True

    # -- the worker and its answer -----------------------------------------------------------

    def _work(self, note: Note, refresh: bool) -> None:
        from tui.fetch.errors import FetchError

        try:
            got = self.fetcher().fetch(note.source, refresh=refresh)
        except FetchError as exc:
            self.screen.app.call_from_thread(self._failed, note, str(exc))
        except Exception as exc:  # a bug in a library must not take the reader down
            message = f"{type(exc).__name__} while reading the page"
            self.screen.app.call_from_thread(self._failed, note, message)
        else:
            self.screen.app.call_from_thread(self._arrived, note, got)

    def _failed(self, note: Note, message: str) -> None:
        self._busy.discard(note.id)
        self.screen.notify(
            message, title="Full article not fetched", severity="error", markup=False
        )

    def _arrived(self, note: Note, got: Fetched) -> None:
        self._busy.discard(note.id)
        current = self._current()
        if current is None or current.id != note.id:
            self.screen.notify(f"Full article ready: {note.title}", markup=False)
            return
        if got.origin == "revalidated":
            self.screen.notify("The full article is up to date")
        self._display(current, got.article)

    def _display(self, note: Note, article: Article) -> None:
        if self.showing != note.id:
            self._summary_at[note.id] = self._article().position
        self._show(note, article, self._positions.get(note.id, 0.0))

    def _show(self, note: Note, article: Article, position: float) -> None:
        view = self._article()
        symbol, marks = self._header(note)
        view.show(
            full_note(note, article),
            article.markdown,
            relevance_symbol=symbol,
            position=position,
            marks=marks,
            document="full",
        )
        self._showing = note.id


ResultT = TypeVar("ResultT")


class FullArticleScreen(Screen[ResultT]):
    """A screen whose article pane has a full view (``full``), with its two actions."""

    @cached_property
    def full(self) -> FullView:
        """The article pane's second view, made on first use."""
        return self.make_full_view()

    def make_full_view(self) -> FullView:
        """The main screen's kind: the note the pane shows, its summary drawn by the screen."""
        return FullView.of_main(self)

    def action_fetch_full(self) -> None:
        """Fetch the note's source and show it as the full article (again: revalidate)."""
        self.full.fetch()

    def action_toggle_full(self) -> None:
        """Switch the article pane between the summary and the full article."""
        self.full.toggle()
