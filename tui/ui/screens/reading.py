"""Reading and following: which note keys act on, history, wikilinks, backlinks, web links.

Web links only ever leave through :mod:`tui.text.urls`: in an SSH session or without a graphical
display the link is copied (OSC 52) instead, because a browser would open on the far machine
or a console browser would take over the terminal this app is drawing in.
"""

from __future__ import annotations

from functools import partial

from textual.command import CommandPalette

from tui.text.notes import Note
from tui.text.urls import has_display, on_remote_machine, open_url, web_url
from tui.ui.commands import Pick, PickProvider
from tui.ui.screens.browse import BrowseScreen
from tui.ui.widgets.article.render import ArticleLink
from tui.ui.widgets.article.view import ArticleView
from tui.ui.widgets.note_list import plain


class ReadingScreen(BrowseScreen):
    """Adds history, link following and the source URL to :class:`BrowseScreen`."""

    # -- the note keys act on ---------------------------------------------------------------

    def target(self) -> Note | None:
        """The open note when reading, else the note under the list cursor."""
        if self._article_context():
            note = self.note_by_id(self.open_id or self.shown_id)
            if note is not None:
                return note
        if not len(self.rows):
            return None
        return self.rows.note(self.note_list.cursor)

    def _need_target(self) -> Note | None:
        note = self.target()
        if note is None:
            self.notify("No note selected", severity="warning")
        return note

    # -- history and links ------------------------------------------------------------------

    def open_by_id(self, note_id: str) -> None:
        """Open a note chosen elsewhere (palette, picker); it joins the history."""
        note = self.note_by_id(note_id)
        if note is not None:
            self.open_note(note)

    def action_history_back(self) -> None:
        """Open the note read before this one."""
        self._travel(self.back, self.forward, "No earlier note")

    def action_history_forward(self) -> None:
        """Open the note that ``[`` went back from."""
        self._travel(self.forward, self.back, "No later note")

    def _travel(self, source: list[str], other: list[str], empty: str) -> None:
        while source:
            note = self.note_by_id(source.pop())
            if note is not None:
                if self.open_id is not None:
                    other.append(self.open_id)
                self.open_note(note, history=False)
                return
        self.notify(empty)

    def on_article_view_link_activated(self, event: ArticleView.LinkActivated) -> None:
        """Follow a link chosen in the article."""
        self.follow(event.link)

    def follow(self, link: ArticleLink) -> None:
        """Open a wikilink's note, or a web link through the URL gate."""
        if link.kind == "web":
            self.open_web(link.url)
            return
        target = link.link
        note = (
            self.vault.by_path.get(target.path) if self.vault and target and target.path else None
        )
        if note is None:
            name = target.target if target is not None else link.label
            self.notify(f"Not in the vault: {plain(name)}", severity="warning", markup=False)
            return
        self.open_note(note)

    def _pick(self, picks: list[Pick], placeholder: str) -> None:
        palette = CommandPalette(providers=[PickProvider.of(picks)], placeholder=placeholder)
        self.app.push_screen(palette)

    def action_pick_link(self) -> None:
        """Choose one of the article's links from a list."""
        links = self.article.links
        if not links:
            self.notify("This article has no links")
            return
        picks = [
            Pick(
                f"{link.number}. {link.label}",
                partial(self.article.follow_number, link.number),
                link.url if link.kind == "web" else "a note in this vault",
            )
            for link in links
        ]
        self._pick(picks, "Follow a link…")

    def action_pick_backlink(self) -> None:
        """Choose one of the notes that link to this one."""
        note = self._need_target()
        if note is None or self.vault is None:
            return
        sources = [self.vault.by_path[p] for p in self.vault.backlinks.get(note.path, [])
                   if p in self.vault.by_path]  # fmt: skip
        if not sources:
            self.notify("No notes link here")
            return
        picks = [Pick(s.title, partial(self.open_by_id, s.id), s.path) for s in sources]
        self._pick(picks, "Notes linking here…")

    # -- web links --------------------------------------------------------------------------

    def _source_url(self) -> str | None:
        note = self._need_target()
        if note is None:
            return None
        url = web_url(note.source)
        if url is None:
            text = f"Not a web link: {plain(note.source)}" if note.source else "No source URL"
            self.notify(text, severity="warning", markup=False)
        return url

    def open_web(self, url: str) -> None:
        """Open ``url`` in a browser, or copy it when no browser can appear on this screen."""
        valid = web_url(url)
        if valid is None:
            self.notify(open_url(url, self.reader.opener), severity="warning", markup=False)
            return
        if self.app.is_web:
            # In web mode the reader's browser is the user's: open a tab there, not here.
            self.app.open_url(valid)
            self.notify(f"Opened {valid} in your browser", markup=False)
            return
        if on_remote_machine() or not has_display():
            self.app.copy_to_clipboard(valid)
            why = "over SSH" if on_remote_machine() else "no graphical display"
            self.notify(f"Copied {valid} ({why}: no browser started)", markup=False)
            return
        self.notify(open_url(valid, self.reader.opener), markup=False)

    def action_open_source(self) -> None:
        """Open the note's source in the web browser."""
        if url := self._source_url():
            self.open_web(url)

    def action_copy_url(self) -> None:
        """Copy the note's source URL to the clipboard (OSC 52)."""
        if url := self._source_url():
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}", markup=False)
