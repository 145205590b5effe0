"""ReaderApp: the window. It owns the state store, indexes the vault after the first paint and
hands both to the main screen.

Indexing runs in a thread so the window is up at once, even for a large vault without a cache;
progress shows in the status line. The search text is warmed in the same thread afterwards so
the first search does not stall a keystroke.
"""

from __future__ import annotations

import gc
import threading
import webbrowser
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import BindingType
from textual.worker import get_current_worker

from tui.keys import keys_for
from tui.relevance import DEFAULT_SCALE, RelevanceScale
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.state import StateError, StateStore
from tui.urls import Opener
from tui.vault import OpenInBackground, Vault
from tui.widgets.note_list import plain

STYLE_FILES = ("app.tcss", "list.tcss", "article.tcss", "help.tcss", "triage.tcss")


def styles_dir() -> Path:
    """The ``styles`` folder: inside the package when installed, else beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        if candidate.is_dir():
            return candidate
    return here.parent / "styles"


def style_paths() -> list[Path]:
    """Every stylesheet the app and its widgets use (those that exist, in cascade order)."""
    folder = styles_dir()
    return [folder / name for name in STYLE_FILES if (folder / name).is_file()]


class ReaderApp(App[None]):
    """The reader: a list of notes, the open article, facets and triage keys."""

    CSS_PATH: ClassVar[list[str | PurePath]] = list(style_paths())
    BINDINGS: ClassVar[list[BindingType]] = list(keys_for("app"))
    TITLE = "readerly"

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
    ) -> None:
        """Open ``root`` with ``store``; pass ``vault`` to skip indexing (tests, tools)."""
        super().__init__()
        self.root = Path(root)
        self.store = store
        self.use_cache = use_cache
        self.scale = vault.scale if vault is not None else scale
        self.keymap: dict[str, str] = dict(keymap or {})
        self.opener: Opener = webbrowser.open
        """How web links are opened; replaceable so tests never start a browser."""
        self.main = MainScreen(store, auto_mark_read=auto_mark_read)
        self._given_vault = vault
        self._loading = loading
        # The folder name is shown in the terminal title; it is file-system text, so clean it.
        self.sub_title = plain(self.root.name or str(self.root))
        if self.keymap:
            self.set_keymap(self.keymap)
        if theme:
            self.theme = theme

    async def on_mount(self) -> None:
        """Show the main screen, report state-file notices, then load the vault."""
        await self.push_screen(self.main)
        for message in self.store.messages:
            self.notify(message, title="Reading state", severity="warning", markup=False,
                        timeout=10)  # fmt: skip
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
                self.call_from_thread(self.main.show_progress, done, total)

        loading = self._loading or OpenInBackground(
            self.root, scale=self.scale, use_cache=self.use_cache
        )
        try:
            while not loading.wait(0.05):
                if loading.total:
                    progress(loading.done, loading.total)
            vault = loading.result()
        except OSError as exc:
            self.call_from_thread(self._index_failed, str(exc))
            return
        if worker.is_cancelled:
            return
        problem = self._reconcile(vault)
        painted = threading.Event()
        self.call_from_thread(self._vault_ready, vault, problem, painted)
        # Building the search text reads every body. It competes with the main thread for
        # the interpreter, so it waits until the list has been painted once.
        painted.wait(timeout=2.0)
        _ = vault.search
        self.call_from_thread(self.main.set_search_ready)

    def _reconcile(self, vault: Vault) -> str | None:
        try:
            self.store.reconcile(vault.notes)
        except StateError as exc:
            return str(exc)
        return None

    @work(thread=True, exclusive=True, group="search")
    def _warm_search(self, vault: Vault) -> None:
        _ = vault.search
        self.call_from_thread(self.main.set_search_ready)

    def _vault_ready(
        self, vault: Vault, problem: str | None = None, painted: threading.Event | None = None
    ) -> None:
        self.main.set_vault(vault)
        # The index is long-lived: keep the collector from walking it again and again,
        # which otherwise shows up as pauses of 50-100 ms while scrolling long articles.
        gc.freeze()
        if painted is not None:
            self.call_after_refresh(painted.set)
        if problem:
            self.notify(problem, title="Reading state", severity="error", markup=False)

    def _index_failed(self, message: str) -> None:
        self.main.show_failure(message)
        self.notify(message, title="Cannot open the vault", severity="error", markup=False)

    def action_help(self) -> None:
        """Show every key, as bound right now."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen.active_bindings, self.keymap))
