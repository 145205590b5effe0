"""The bar under the panes while the vault is read or its search index built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

PHASES = {"indexing": "Reading notes", "search index": "Building the search index"}
"""What each phase of opening a vault is called beside the bar."""


class IndexProgress(Horizontal):
    """A label and a progress bar, shown only while there is work to show (``-busy``)."""

    def compose(self) -> ComposeResult:
        """The label, then the bar with its percentage (which says it without colour)."""
        yield Static(id="progress-label")
        yield ProgressBar(total=None, show_eta=False, id="progress-bar")

    def show(self, done: int, total: int, what: str) -> None:
        """``done`` of ``total`` of phase ``what`` (``indexing`` or ``search index``)."""
        self.query_one("#progress-label", Static).update(Content(PHASES.get(what, what)))
        self.query_one(ProgressBar).update(total=max(total, 1), progress=min(done, total))
        self.add_class("-busy")

    def hide(self) -> None:
        """The work is done: the bar goes away."""
        self.remove_class("-busy")

    @property
    def busy(self) -> bool:
        """Whether the bar is showing."""
        return self.has_class("-busy")
