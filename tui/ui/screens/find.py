"""The find bar: one line at the bottom; Enter dismisses with the words, Escape with None."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.ui.keys import keys_for


class FindBar(ModalScreen[str | None]):
    """Ask for words to find in the article; ``value`` pre-fills the line."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("find")

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self._value = value

    def compose(self) -> ComposeResult:
        """The input line."""
        yield Input(self._value, placeholder="Find in article…", id="find-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without finding."""
        self.dismiss(None)
