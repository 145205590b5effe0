"""The baseline for start-up: a Textual app that paints one line and does nothing else."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Blank(App[None]):
    """Nothing but a marker to wait for."""

    def compose(self) -> ComposeResult:
        yield Static("BLANK-APP-READY")


if __name__ == "__main__":
    Blank().run()
