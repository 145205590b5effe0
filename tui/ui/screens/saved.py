"""Saved searches on the main screen: the sidebar's Views section, number keys, the palette.

A view is a named query from the config's ``[views]``; choosing one puts its query in the
search box, exactly as typing it would, and choosing it again clears the box.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tui.query.query import parse_query
from tui.query.views import View, ViewCounter
from tui.text.hygiene import plain
from tui.ui.commands import highlighted
from tui.ui.widgets.facets import VIEW_TERM, FacetItem

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


def view_number(term: str) -> int | None:
    """The view a facet term stands for (``@view:2`` → 2), or None for an ordinary filter."""
    if not term.startswith(VIEW_TERM):
        return None
    digits = term.removeprefix(VIEW_TERM)
    return int(digits) if digits.isdigit() else None


class SavedViews:
    """The views of ``screen``'s app, counted over the vault as the state has it now."""

    def __init__(self, screen: MainScreen, views: tuple[View, ...]) -> None:
        self.screen = screen
        self.views = views
        self._counter: ViewCounter | None = None

    def items(self) -> list[FacetItem]:
        """The sidebar's Views section: ``1 today`` and how many notes it shows (unread)."""
        screen, vault = self.screen, self.screen.vault
        if vault is None or not self.views:
            return []
        if self._counter is None:
            self._counter = ViewCounter(self.views, vault.scale)
        search = vault if screen.search_ready else None
        counts = self._counter.counts(vault.notes, screen.store.snapshot(), search)
        return [
            FacetItem(
                f"{c.view.number} {plain(c.view.name)}",
                f"{VIEW_TERM}{c.view.number}",
                c.total,
                c.unread,
            )
            for c in counts
        ]

    def active(self, text: str) -> set[str]:
        """The view terms whose query is the one in the search box now."""
        vault = self.screen.vault
        if vault is None:
            return set()
        now = str(parse_query(text, vault.scale))
        return {f"{VIEW_TERM}{v.number}" for v in self.views if now and str(v.query) == now}

    def choose(self, number: int) -> None:
        """Show view ``number``; when it is already shown, clear the search instead."""
        screen = self.screen
        view = next((v for v in self.views if v.number == number), None)
        if view is None:
            names = "no views are set" if not self.views else f"views are 1-{len(self.views)}"
            screen.notify(f"No view {number}: {names} ([views] in the config)")
            return
        shown = f"{VIEW_TERM}{number}" in self.active(screen.query_text)
        screen.listing.replace_text("" if shown else view.text)


def _help(view: View) -> str:
    # The palette parses help as markup; a query is config text, so it is escaped.
    return escape(plain(view.text) or "every note")


class ViewCommands(Provider):
    """ "View: today" in the command palette for each saved view."""

    def _views(self) -> tuple[SavedViews | None, tuple[View, ...]]:
        saved: SavedViews | None = getattr(self.screen, "saved", None)
        return saved, saved.views if saved is not None else ()

    async def search(self, query: str) -> Hits:
        """Views whose name matches ``query``."""
        saved, views = self._views()
        matcher = self.matcher(query)
        for view in views:
            label = f"View: {plain(view.name)}"
            score = matcher.match(label)
            if saved is not None and score > 0:
                yield Hit(score, highlighted(matcher, label), partial(saved.choose, view.number),
                          text=label, help=_help(view))  # fmt: skip

    async def discover(self) -> Hits:
        """Every view, when the palette opens."""
        saved, views = self._views()
        for view in views:
            label = f"View: {plain(view.name)}"
            if saved is not None:
                yield DiscoveryHit(Content(label), partial(saved.choose, view.number),
                                   text=label, help=_help(view))  # fmt: skip
