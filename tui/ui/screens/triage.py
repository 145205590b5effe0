"""Triage mode: the unread notes of the list, most relevant first, one at a time, one key each.

The queue is fixed when the screen opens, so acting on a note never reshuffles what comes
next. Showing a note does not mark it read: only a key does, and every key's change is on
disk before the next note appears. The tally is read back from the store, so it always says
what the state file holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Footer, Static

from tui.query.triage import Step, Tally, outcome, summary, triage_queue
from tui.state.changes import Changes
from tui.state.files import StateError
from tui.text.hygiene import plain
from tui.text.notes import Note
from tui.text.urls import web_url
from tui.ui.commands import KeyCommands
from tui.ui.fullview import FullArticleScreen, FullView
from tui.ui.keys import keys_for
from tui.ui.screens.rows import header_parts
from tui.ui.weblinks import open_web
from tui.ui.widgets.article.sources import VaultSources
from tui.ui.widgets.article.view import ArticleView
from tui.vault.index import Vault

if TYPE_CHECKING:
    from tui.ui.app import ReaderApp

NOTE_ACTIONS = frozenset(
    {"star", "read", "archive", "skip", "open_source", "relevance", "scroll"}
    | {"fetch_full", "toggle_full"}
)
"""Actions that need a note on screen (hidden on the summary)."""
SCROLLS = {"down": "scroll_down", "up": "scroll_up", "page_down": "page_down",
           "page_up": "page_up", "top": "scroll_top", "bottom": "scroll_bottom"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TriageResult:
    """What triage hands back when it closes: the notes whose state it changed.

    The screen below decides what to repaint from it; triage never reaches into it.
    """

    changed: frozenset[str]
    relevance_changed: frozenset[str]


class TriageScreen(FullArticleScreen[TriageResult]):
    """One unread note at a time, full screen, with a key for each decision.

    Every key's change goes through the app's :class:`~tui.state.changes.Changes`, so it is
    on disk before the next note shows and the main screen's ``u`` can undo it later too.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys_for("triage")
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {KeyCommands}
    KEY_SCOPE = "triage"
    """The palette offers triage's keys here."""
    AUTO_FOCUS = ""  # the screen takes every key: the article's own (space, digits) would clash

    finished: reactive[bool] = reactive(False)
    """Past the last note: the summary is shown instead of a note."""

    def __init__(self, vault: Vault | None, changes: Changes, indices: Sequence[int]) -> None:
        """Triage the unread notes among ``indices`` (positions in ``vault.notes``)."""
        super().__init__()
        self.vault = vault
        self.changes = changes
        self.store = store = changes.store
        self.queue: list[Note] = triage_queue(vault, store, indices) if vault else []
        self.index = 0
        self.steps: list[Step] = []
        """This session's keys, newest last; each is the context of its entry in ``changes``."""
        self.outcome: dict[int, str] = {}
        """Where each note passed so far stands, read back from the store after each change."""
        self.opened: set[int] = set()
        self.relevance_changed: set[int] = set()
        self._start_relevance = [store.relevance(note) for note in self.queue]

    # -- parts ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """The bar (position, state, tally), the article or the summary, and the keys."""
        with Horizontal(id="triage-bar"):
            yield Static(id="triage-position")
            yield Static(id="triage-tally")
        sources = VaultSources(lambda: self.vault)
        article = ArticleView(id="triage-article", sources=sources, similar=sources.similar)
        article.can_focus = False  # a click follows a link but must not take the keys
        article.similar_limit = self.reader.main.similar
        yield article
        yield Static(id="triage-summary")
        yield Footer(compact=True)

    @property
    def reader(self) -> ReaderApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def article(self) -> ArticleView:
        """The article view."""
        return self.query_one("#triage-article", ArticleView)

    @property
    def note(self) -> Note | None:
        """The note on screen, or None on the summary."""
        if self.finished or not 0 <= self.index < len(self.queue):
            return None
        return self.queue[self.index]

    def on_mount(self) -> None:
        """Show the first note, or say there is nothing to triage."""
        self._go(0)

    # -- moving ---------------------------------------------------------------------------

    def _go(self, index: int) -> None:
        """Show queue entry ``index``; past the end, the summary."""
        self.index = max(min(index, len(self.queue)), 0)
        self.finished = self.index >= len(self.queue)
        note = self.note
        self.full.left()
        if note is not None and self.vault is not None:
            self._summary(note, None)
        self._update()

    def make_full_view(self) -> FullView:
        """The full view of the article: the note on screen, its summary drawn by triage."""
        return FullView(self, lambda: self.article, lambda: self.note, self._summary, self._header)

    def _summary(self, note: Note, position: float | None) -> None:
        body = self.vault.body(note) if self.vault else ""
        symbol, marks = self._header(note)
        self.article.show(note, body, relevance_symbol=symbol, position=position, marks=marks)

    def watch_finished(self, finished: bool) -> None:
        """Swap the article for the summary, and the footer's keys with it."""
        self.set_class(finished, "-finished")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Note keys do nothing on the summary (and leave the footer)."""
        return not (action in NOTE_ACTIONS and self.note is None)

    def _symbol(self, note: Note) -> str:
        return self.vault.scale.symbol(self.store.relevance(note)) if self.vault else ""

    def _header(self, note: Note) -> tuple[str, str]:
        """The article header's relevance symbol and read state, as the main screen shows."""
        return header_parts(self.vault.scale, self.store, note) if self.vault else ("", "")

    # -- what the bar and summary say -------------------------------------------------------

    def _recount(self, index: int, *, reached: bool) -> None:
        """Read entry ``index`` back from the store into the tally (one note, so keys stay fast)."""
        note = self.queue[index]
        if reached:
            self.outcome[index] = outcome(self.store, note)
        else:
            self.outcome.pop(index, None)
        if self.store.relevance(note) != self._start_relevance[index]:
            self.relevance_changed.add(index)
        else:
            self.relevance_changed.discard(index)

    def tally(self) -> Tally:
        """Counts for the notes passed so far."""
        counts = Counter(self.outcome.values())
        return Tally(
            len(self.queue),
            starred=counts["starred"],
            read=counts["read"],
            archived=counts["archived"],
            skipped=counts["skipped"],
            relevance=len(self.relevance_changed),
            opened=len(self.opened),
        )

    def _update(self) -> None:
        tally = self.tally()
        position = self.query_one("#triage-position", Static)
        note = self.note
        if note is None:
            position.update(Content(f"Triage · {len(self.queue)} / {len(self.queue)} · done"))
        else:
            parts = [f"Triage · {self.index + 1} / {len(self.queue)}", self.store.status(note)]
            if self.store.starred(note):
                parts.append("★ starred")
            relevance = self.store.relevance(note)
            if relevance:
                parts.append(plain(f"{self._symbol(note)} {relevance}".strip()))
            position.update(Content(" · ".join(parts)))
        counts = f"★ {tally.starred}  read {tally.read}  archived {tally.archived}"
        self.query_one("#triage-tally", Static).update(
            Content(f"{counts}  skipped {tally.skipped}")
        )
        text = summary(tally, loading=self.vault is None, can_undo=bool(self.steps))
        self.query_one("#triage-summary", Static).update(Content(text))

    # -- acting -----------------------------------------------------------------------------

    def _act(
        self, fields: dict[str, object], label: str, *, advance: bool = True, opened: bool = False
    ) -> bool:
        """Save ``fields`` for the note on screen, remember how to undo it, move on."""
        note = self.note
        if note is None:
            return False
        step = Step(self.index, self.index in self.outcome, opened)
        try:
            self.changes.apply([(note, fields)] if fields else [], label=f"{label} “{note.title}”",
                               context=step)  # fmt: skip
        except StateError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        self.steps.append(step)
        self._recount(self.index, reached=step.was_reached or advance)
        if opened:
            self.opened.add(self.index)
        if advance:
            self._go(self.index + 1)
        else:
            self._reshow(note)
        return True

    def _reshow(self, note: Note) -> None:
        """Draw the note again where it is scrolled to (its header shows the relevance)."""
        if self.full.redisplay(note):
            self._update()
            return
        self._summary(note, self.article.position)
        self._update()

    def action_star(self) -> None:
        """Star the note, mark it read, next."""
        self._act({"starred": True, "status": "read"}, "starred")

    def action_read(self) -> None:
        """Mark the note read, next."""
        self._act({"status": "read"}, "marked read")

    def action_archive(self) -> None:
        """Archive the note, next."""
        self._act({"status": "archived"}, "archived")

    def action_skip(self) -> None:
        """Leave the note as it is (unread stays unread), next."""
        self._act({}, "skipped")

    def action_open_source(self) -> None:
        """Open the note's source in the browser (or copy it over SSH), mark it read, next."""
        note = self.note
        if note is None:
            return
        if not note.source:
            self.notify("This note has no source URL", severity="warning")
            return
        open_web(self.app, self.reader.opener, note.source)  # says why when it is refused
        if web_url(note.source) is not None:
            self._act({"status": "read"}, "opened", opened=True)

    def action_relevance(self, level: int) -> None:
        """Set the relevance to the scale's ``level``-th level (0 = highest; -1 clears); stay."""
        if self.vault is None:
            return
        levels = self.vault.scale.levels
        if level >= len(levels):
            self.notify(f"The relevance scale has {len(levels)} levels", severity="warning")
            return
        name = levels[level].name if level >= 0 else None
        label = f"set relevance {name} on" if name else "cleared the relevance of"
        self._act({"relevance": name}, label, advance=False)

    def action_undo(self) -> None:
        """Put back what the last key changed and return to that note."""
        last = self.changes.last()
        if not self.steps or last is None or last.context is not self.steps[-1]:
            self.notify("Nothing to undo")
            return
        step = self.steps[-1]
        try:
            self.changes.undo(skip_empty=False)
        except StateError as exc:
            self.notify(str(exc), title="Not undone", severity="error", markup=False)
            return
        self.steps.pop()
        self._recount(step.index, reached=step.was_reached)
        if step.opened:
            self.opened.discard(step.index)
        self._go(step.index)

    def action_previous(self) -> None:
        """Back to the note before this one (nothing changes)."""
        if self.index == 0:
            self.notify("This is the first note")
            return
        self._go(self.index - 1)

    def action_scroll(self, how: str) -> None:
        """Scroll the article: ``down``, ``up``, ``page_down``, ``page_up``, ``top``, ``bottom``."""
        if how in SCROLLS:
            getattr(self.article, f"action_{SCROLLS[how]}")()

    def action_leave(self) -> None:
        """Back to the list, handing it the notes changed here so it shows every change."""
        changed = {self.queue[step.index].id for step in self.steps}
        relevance = {self.queue[index].id for index in self.relevance_changed}
        self.dismiss(TriageResult(frozenset(changed), frozenset(relevance)))

    # -- links --------------------------------------------------------------------------------

    @on(ArticleView.LinkActivated)
    def _link(self, event: ArticleView.LinkActivated) -> None:
        if event.link.kind == "web":
            open_web(self.app, self.reader.opener, event.link.url)
        else:
            self.notify("Leave triage (Esc) to follow links between notes")
