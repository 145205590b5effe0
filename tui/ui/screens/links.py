"""Following from the main screen: wikilinks, the link and backlink pickers, the source URL."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import CommandPalette
from textual.content import Content
from textual.widgets import Static

from tui.text.hygiene import plain
from tui.text.notes import Note
from tui.ui.commands import Pick, PickProvider
from tui.ui.weblinks import open_web, source_url
from tui.ui.widgets.article.render import ArticleLink
from tui.ui.widgets.article.sources import VaultSources

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

SIMILAR_SHOWN = 8


class Links:
    """Link actions of ``screen``: notes open there, web links through the URL gate."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        # Similar notes wait for the app's full-text index: asking sooner would build it here.
        self.sources = VaultSources(lambda: screen.vault, ready=lambda: screen.search_ready)

    def follow(self, link: ArticleLink) -> None:
        """Open a wikilink's note, or a web link through the URL gate."""
        screen = self.screen
        if link.kind == "web":
            self.open_web(link.url)
            return
        target, vault = link.link, screen.vault
        note = vault.by_path.get(target.path) if vault and target and target.path else None
        if note is None:
            name = target.target if target is not None else link.label
            screen.notify(f"Not in the vault: {plain(name)}", severity="warning", markup=False)
            return
        screen.open_note(note)
        if target is not None and target.heading:
            screen.article.goto(target.heading)  # [[Note#Heading]], [[Note#^block]]

    def show_backlinks(self, note: Note) -> None:
        """The "Linked from" line above the article."""
        vault = self.screen.vault
        box = self.screen.query_one("#linked-from", Static)
        sources = vault.backlinks.get(note.path, []) if vault is not None else []
        titles = [vault.by_path[p].title for p in sources if vault and p in vault.by_path]
        box.display = bool(titles)
        if titles:
            shown = " · ".join(plain(t) for t in titles[:3])
            more = f" and {len(titles) - 3} more" if len(titles) > 3 else ""
            box.update(Content(f"Linked from: {shown}{more}  (B to choose)"))

    def open_web(self, url: str) -> None:
        """Open ``url`` in a browser, or copy it when no browser can appear here."""
        open_web(self.screen.app, self.screen.reader.opener, url)

    def _pick(self, picks: list[Pick], placeholder: str) -> None:
        palette = CommandPalette(providers=[PickProvider.of(picks)], placeholder=placeholder)
        self.screen.app.push_screen(palette)

    def pick_link(self) -> None:
        """Choose one of the article's links from a list."""
        article = self.screen.article
        if not article.links:
            self.screen.notify("This article has no links")
            return
        picks = [self._link_pick(link) for link in article.links]
        self._pick(picks, "Follow a link…")

    def _link_pick(self, link: ArticleLink) -> Pick:
        """A wikilink by its note's title (as ``B`` lists notes), a web link by its text."""
        run = partial(self.screen.article.follow_number, link.number)
        vault, target = self.screen.vault, link.link
        if link.kind == "web":
            # A bare URL is its own text: saying it again as the help line only repeats it.
            same = link.label.strip() == link.url
            return Pick(f"{link.number}. {link.label}", run, "" if same else link.url)
        note = vault.by_path.get(target.path) if vault and target and target.path else None
        if note is None:
            return Pick(f"{link.number}. {link.label}", run, "not in the vault")
        return Pick(f"{link.number}. {note.title}", run, note.path)

    def pick_backlink(self, note: Note) -> None:
        """Choose one of the notes that link to ``note``."""
        vault = self.screen.vault
        if vault is None:
            return
        sources = [
            vault.by_path[p] for p in vault.backlinks.get(note.path, []) if p in vault.by_path
        ]
        if not sources:
            self.screen.notify("No notes link here")
            return
        picks = [Pick(s.title, partial(self.screen.open_by_id, s.id), s.path) for s in sources]
        self._pick(picks, "Notes linking here…")

    def pick_similar(self, note: Note) -> None:
        """Choose one of the notes most like ``note`` by their words."""
        screen = self.screen
        vault = screen.vault
        if vault is None:
            return
        if not screen.search_ready:
            screen.notify("The search index is still being built")
            return
        alike = vault.similar(note, limit=SIMILAR_SHOWN)
        if not alike:
            screen.notify("No note is much like this one")
            return
        picks = [Pick(n.title, partial(screen.open_by_id, n.id), n.path) for n in alike]
        self._pick(picks, "Similar notes…")

    def open_source(self, note: Note) -> None:
        """Open ``note``'s source in the web browser."""
        if url := source_url(self.screen.app, note):
            self.open_web(url)

    def copy_url(self, note: Note) -> None:
        """Copy ``note``'s source URL to the clipboard (OSC 52)."""
        if url := source_url(self.screen.app, note):
            self.screen.app.copy_to_clipboard(url)
            self.screen.notify(f"Copied {url}", markup=False)
