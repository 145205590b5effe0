"""ReaderApp: the window. It owns the state store, indexes the vault after the first paint and
hands both to the main screen.

Indexing runs in a thread so the window is up at once, even for a large vault without a cache;
progress shows in the status line. The full-text index is opened (built, the first time) in
the same thread afterwards, so the first search does not stall a keystroke.

Once indexed, the folder is watched (:mod:`tui.vault.watch`). Changed files are read and parsed in
the watching thread; the vault takes the result in on the main thread, between two events,
so nothing that draws ever sees it half updated. The state file is polled too: when another
process or a sync engine changes it (or leaves a conflict copy beside it), the records are
merged and the list repainted.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import webbrowser
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.config.fetchconf import FetchSettings
from tui.config.paths import shipped_dir
from tui.query.live import LiveQuery
from tui.query.views import views_from
from tui.state.changes import Changes
from tui.state.store import StateError, StateStore
from tui.text.hygiene import plain
from tui.text.notes import Note
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale
from tui.text.urls import Opener
from tui.ui.editor import open_in_editor
from tui.ui.keys import keys_for
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.reload import reconcile_notes, refresh_records, take_change
from tui.vault.background import HEAD_WAIT, OpenInBackground
from tui.vault.index import Vault
from tui.vault.parallel import stop_workers
from tui.vault.update import PendingUpdate
from tui.vault.watch import Batch, VaultWatcher

# How often (s) the state file is checked for changes made elsewhere: one stat of each file
# and one look at its folder, in a thread.
STATE_POLL = 0.5

SYSTEM_COMMANDS = frozenset({"Theme"})
"""Textual's built-in palette commands readerly keeps."""

if TYPE_CHECKING:
    from tui.fetch.service import Fetcher

STYLE_FILES = ("app.tcss", "list.tcss", "article.tcss", "help.tcss", "triage.tcss")


def styles_dir() -> Path:
    """The ``styles`` folder: inside the package when installed, else beside it in a checkout."""
    return shipped_dir("styles")


def style_paths() -> list[Path]:
    """Every stylesheet the app and its widgets use (those that exist, in cascade order)."""
    folder = styles_dir()
    return [folder / name for name in STYLE_FILES if (folder / name).is_file()]


class ReaderApp(App[None]):
    """The reader: a list of notes, the open article, facets and triage keys."""

    CSS_PATH: ClassVar[list[str | PurePath]] = list(style_paths())
    BINDINGS: ClassVar[list[BindingType]] = list(keys_for("app"))
    TITLE = "readerly"

    class FilesChanged(Message):
        """Notes changed on disk; ``pending`` is read and waits to be taken in."""

        def __init__(
            self, vault: Vault, pending: PendingUpdate, live: LiveQuery, done: threading.Event
        ) -> None:
            super().__init__()
            self.vault = vault
            self.pending = pending
            self.live = live
            self.done = done

    class Notice(Message):
        """Something a thread wants said in a notification (plain text)."""

        def __init__(self, text: str, title: str, severity: SeverityLevel = "warning") -> None:
            super().__init__()
            self.text = text
            self.title = title
            self.severity: SeverityLevel = severity

    def __init__(
        self,
        root: Path,
        store: StateStore,
        *,
        use_cache: bool = True,
        auto_mark_read: bool = True,
        vault: Vault | None = None,
        scale: RelevanceScale = DEFAULT_SCALE,
        keymap: dict[str, str] | None = None,
        loading: OpenInBackground | None = None,
        theme: str | None = None,
        watch: bool = True,
        views: Sequence[tuple[str, str]] = (),
        fetch: FetchSettings | None = None,
    ) -> None:
        """Open ``root`` with ``store``; pass ``vault`` to skip indexing (tests, tools).

        ``views`` are the saved searches (name, query) listed in the sidebar.
        With ``watch``, notes added, changed, renamed or deleted on disk show up as they happen.
        """
        super().__init__()
        # A 16-colour terminal turns the theme's dark greys into black, dividers included;
        # styles/app.tcss gives this class colours that survive the fall to 16.
        self.set_class(self.console.color_system in ("standard", "windows"), "-ansi16")
        self.root = Path(root)
        self.store = store
        self.use_cache = use_cache
        self.scale = vault.scale if vault is not None else scale
        self.keymap: dict[str, str] = dict(keymap or {})
        self.opener: Opener = webbrowser.open
        """How web links are opened; replaceable so tests never start a browser."""
        self.changes = Changes(store)
        """Every triage change, on any screen, and the one undo stack."""
        self.main = MainScreen(
            self.changes, auto_mark_read=auto_mark_read, views=views_from(views, self.scale)
        )
        self._given_vault = vault
        self._loading = loading
        self.watch_files = watch
        self.watcher: VaultWatcher | None = None
        self._told = 0  # state notices already shown
        self.fetch_settings = fetch or FetchSettings()
        self._fetcher: Fetcher | None = None
        self.stop_prefetch = threading.Event()
        # The folder name is shown in the terminal title; it is file-system text, so clean it.
        self.sub_title = plain(self.root.name or str(self.root))
        if self.keymap:
            self.set_keymap(self.keymap)
        if theme:
            self.theme = theme

    async def on_mount(self) -> None:
        """Show the main screen, report state-file notices, then load the vault."""
        await self.push_screen(self.main)
        self._tell_state_messages()
        if self._given_vault is not None:
            self._vault_ready(self._given_vault)
            self._warm_search(self._given_vault)
        else:
            self._index()

    @work(thread=True, exclusive=True, group="index")
    def _index(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.call_from_thread(self.main.listing.show_progress, done, total)

        loading = self._loading or OpenInBackground(
            self.root, scale=self.scale, use_cache=self.use_cache
        )
        # The newest notes as last seen are listed first, and the vault is opened once that
        # screen is up; it then takes their place, the cursor staying where it was.
        loading.head_ready.wait(HEAD_WAIT)
        if loading.head and not loading.wait(0):
            preview = Vault.preview(self.root, loading.head, self.scale)
            self.call_from_thread(self._preview, preview, loading)
        else:
            loading.painted()
        listed: list[Note] | None = None
        try:
            while not loading.wait(0.05):
                if worker.is_cancelled:
                    return  # the app is closing: the vault is not waited for
                if loading.total:
                    progress(loading.done, loading.total)
                if loading.arrived and loading.arrived is not listed and not worker.is_cancelled:
                    # A first reading: the notes read so far are listed as they come.
                    listed = loading.arrived
                    note = f"{len(listed)} of {loading.total} read"
                    preview = Vault.preview(self.root, listed, self.scale, note)
                    live = LiveQuery(listed, self.scale)
                    self.call_from_thread(self.main.listing.start, preview, live)
            vault = loading.result()
        except OSError as exc:
            if not worker.is_cancelled:  # else the app is closing: nobody to tell
                self.call_from_thread(self._index_failed, str(exc))
            return
        if worker.is_cancelled:
            return
        problem = self._reconcile(vault)
        # Sorting every note three ways takes ~0.3 s at 100k: here, not on the event loop.
        live = LiveQuery(vault.notes, vault.scale)
        painted = threading.Event()
        self.call_from_thread(self._vault_ready, vault, problem, painted, live)
        # Building the full-text index reads every body not indexed yet. It competes with the
        # main thread for the interpreter, so it waits until the list has been painted once.
        painted.wait(timeout=2.0)
        vault.refresh_engine(progress=self._search_progress)
        self.call_from_thread(self.main.listing.search_ready)

    def _preview(self, vault: Vault, loading: OpenInBackground) -> None:
        vault.partial_note = "the newest as last seen"
        self.main.listing.start(vault)
        self.call_after_refresh(loading.painted)

    def _search_progress(self, done: int, total: int) -> None:
        """In the indexing thread: how far the full-text index is, for the status line."""
        if total >= 256 and done < total:
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile
                self.call_from_thread(self.main.listing.show_progress, done, total, "search index")

    def _reconcile(self, vault: Vault) -> str | None:
        try:
            self.store.reconcile(vault.notes)
        except StateError as exc:
            return str(exc)
        return None

    def _tell_state_messages(self) -> None:
        messages = self.store.messages
        for message in messages[self._told :]:
            self.notify(message, title="Reading state", severity="warning", markup=False,
                        timeout=10)  # fmt: skip
        self._told = len(messages)

    @work(thread=True, exclusive=True, group="state")
    def _poll_state(self) -> None:
        if self.store.poll():
            self.call_from_thread(self._state_changed)

    def _state_changed(self) -> None:
        if not self.main.is_attached or self.main.vault is None:
            return  # not showing a list (yet, or any more)
        self._tell_state_messages()
        # Rows and counts are redrawn; which notes are listed changes with the query only,
        # as for changes made here.
        try:
            self.main.listing.repaint_all()
            self.main.listing.refresh_facets()
        except NoMatches:
            pass  # the screen is being taken down as the app quits

    @work(thread=True, exclusive=True, group="search")
    def _warm_search(self, vault: Vault) -> None:
        vault.refresh_engine(progress=self._search_progress)
        self.call_from_thread(self.main.listing.search_ready)

    def _vault_ready(
        self,
        vault: Vault,
        problem: str | None = None,
        painted: threading.Event | None = None,
        live: LiveQuery | None = None,
    ) -> None:
        # The watching thread brings the search index up to date with each folder change;
        # a search never waits for it to catch up.
        vault.engine_follows_later = True
        self.main.listing.start(vault, live)
        # The index is long-lived: keep the collector from walking it again and again,
        # which otherwise shows up as pauses of 50-100 ms while scrolling long articles.
        gc.freeze()
        if painted is not None:
            self.call_after_refresh(painted.set)
        if problem:
            self.notify(problem, title="Reading state", severity="error", markup=False)
        if self.watch_files and self.watcher is None:
            self.watcher = VaultWatcher(
                vault.root,
                partial(self._files_changed, vault),
                skip=vault.skip,
                on_error=lambda text: self.post_message(self.Notice(text, "Live reload is off")),
                # Files saved while the vault was being indexed were not seen by the index.
                catch_up=self._given_vault is None,
            )
            self.watcher.start()
            self.set_interval(STATE_POLL, self._poll_state)
        if self.fetch_settings.prefetch:
            from tui.ui.prefetch import prefetch

            prefetch(self, vault)

    def _files_changed(self, vault: Vault, batch: Batch) -> None:
        """In the watching thread: read what changed, then wait for the main thread to take it."""
        watcher = self.watcher
        pending = vault.prepare(None if batch.rescan else batch.paths)
        if not pending.change and pending.problems is None:
            return
        # The search index takes the change in here, off the main thread, before the list
        # shows it, so the re-run query finds the new words at once.
        vault.index_pending(pending)
        problem = refresh_records(self.store, pending)
        if pending.change.added:
            # Records of renamed notes move before the list shows the new names, so a renamed
            # note never flashes as unread.
            problem = reconcile_notes(self.store, pending.notes) or problem
        if problem:
            self.post_message(self.Notice(problem, "Reading state", "error"))
        live = LiveQuery(pending.notes, vault.scale)  # sorting 10k notes: not on the main thread
        done = threading.Event()
        if not self.post_message(self.FilesChanged(vault, pending, live, done)):
            return
        while not done.wait(0.05):
            if watcher is None or watcher.stopping:
                return
        vault.save_cache()
        if vault.built_engine is not None and vault.engine_due:
            # Prepared again at commit (another update came first): the index follows now,
            # and the query runs again so the list shows the words as they are.
            vault.refresh_engine()
            self.call_from_thread(self.main.listing.search_ready)

    @on(FilesChanged)
    def _take_files(self, event: FilesChanged) -> None:
        try:
            change = event.vault.commit(event.pending)
            if change and event.vault is self.main.vault:
                live = event.live
                if live.notes is not event.vault.notes:  # prepared again on commit
                    live = LiveQuery(event.vault.notes, event.vault.scale)
                take_change(self.main, change, live)
        finally:
            event.done.set()

    @on(Notice)
    def _notice(self, event: Notice) -> None:
        self.notify(event.text, title=event.title, severity=event.severity, markup=False)

    def on_unmount(self) -> None:
        """Stop watching the folder (and prefetching, and reading a new vault's files)."""
        self.stop_prefetch.set()
        stop_workers()
        if self.watcher is not None:
            self.watcher.stop()

    def fetcher(self) -> Fetcher:
        """The one fetcher of notes' sources, with the ``[fetch]`` settings (made on first use)."""
        if self._fetcher is None:
            from tui.fetch.service import Fetcher

            self._fetcher = Fetcher(self.fetch_settings)
        return self._fetcher

    def _index_failed(self, message: str) -> None:
        self.main.listing.show_failure(message)
        self.notify(message, title="Cannot open the vault", severity="error", markup=False)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Of Textual's own palette commands only the theme picker: its Keys panel, Quit,
        Maximize and Screenshot would stand beside readerly's ``?`` help and ``Ctrl+Q``."""
        for command in super().get_system_commands(screen):
            if command.title in SYSTEM_COMMANDS:
                yield command

    def action_edit_note(self) -> None:
        """Open the current note in ``$EDITOR`` (or ``$PAGER``); back here afterwards."""
        note = self.main.navigation.need_target()
        if note is not None:
            open_in_editor(self, self.root, note.path)

    def action_help(self) -> None:
        """Show every key, as bound right now."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen.active_bindings, self.keymap))
