"""A yes/no question in a small dialog; dismisses with True or False."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.ui.keys import keys_for


class ConfirmScreen(ModalScreen[bool]):
    """Ask ``question``; ``y``/Enter on Yes answers True, ``n``/Escape answers False.

    The question is shown as plain text, so it may safely contain note text.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys_for("confirm")

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        """A question and two buttons; Yes has focus so Enter confirms."""
        with Vertical(id="confirm-dialog"):
            yield Static(Content(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(Content(self._yes), variant="primary", id="confirm-yes")
                yield Button(Content(self._no), id="confirm-no")

    def on_mount(self) -> None:
        """Start on Yes: the key that asked already said what was wanted."""
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        """Close the dialog with ``answer``."""
        self.dismiss(answer)
