"""The notes most like the one shown, listed under the article as links.

They are looked up in a worker thread after the note is first drawn, so a long note shows
as fast as ever; a result that comes back after the reader moved on is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial

from tui.text.notes import Note
from tui.ui.widgets.article.navigate import NavigableArticle
from tui.ui.widgets.article.render import Alike, ArticleLink, render_similar
from tui.ui.widgets.article.render.model import Sources

SimilarLookup = Callable[[Note, int], Sequence[Alike] | None]
"""Up to n notes most like a note (None: cannot tell yet); run in a worker thread."""


class SimilarSection(NavigableArticle):
    """The article with a section of similar notes after its last block."""

    similar_limit = 5
    """How many similar notes to list under the article (0: none)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        sources: Sources | None = None,
        similar: SimilarLookup | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, sources=sources)
        self.similar_lookup = similar
        self._similar_path: str | None = None  # the note the similar section is for
        self._similar_token = 0  # bumped whenever a result in flight becomes stale

    @property
    def own_links(self) -> list[ArticleLink]:
        """The note's own links found so far, without the similar notes listed under it."""
        return self._layout.own_links

    def show_similar(self, path: str, alike: Sequence[Alike]) -> bool:
        """List ``alike`` under the article, if it still shows the note at ``path``.

        Returns False, changing nothing, when the reader has moved to another note. The
        entries are numbered after the article's own links, which keep their numbers.
        """
        if self._note is None or self._note.path != path:
            return False
        entries = tuple(alike)
        self._similar_path = path
        self._trailer = partial(render_similar, entries) if entries else None
        self._layout.set_trailer(self._trailer)
        if self._cursor is not None and self._cursor > len(self._layout.links):
            self._cursor = None
        self.virtual_size = self._virtual()
        self.refresh()
        return True

    def refresh_similar(self) -> None:
        """Look the similar notes up again (the full-text index has just become ready)."""
        self._similar_token += 1
        self._request_similar()

    def _forget_similar(self) -> None:
        self._similar_token += 1
        self._similar_path = None
        self._trailer = None
        self._layout.set_trailer(None)

    def _request_similar(self) -> None:
        """Find the similar notes in a thread, after the next paint, so showing a note
        never waits for them; a result for a note no longer shown is dropped."""
        lookup, note, limit = self.similar_lookup, self._note, self.similar_limit
        if lookup is None or note is None or limit <= 0 or not self.is_mounted:
            return
        token = self._similar_token

        def work() -> None:
            alike = lookup(note, limit)
            if alike is not None and token == self._similar_token:
                with suppress(RuntimeError):  # the app is closing
                    self.app.call_from_thread(self._similar_found, token, note.path, alike)

        def start() -> None:
            if token == self._similar_token:
                self.run_worker(
                    work, thread=True, group="similar", exclusive=True, exit_on_error=False
                )

        self.call_after_refresh(start)

    def _similar_found(self, token: int, path: str, alike: Sequence[Alike]) -> None:
        if token == self._similar_token:
            self.show_similar(path, alike)
