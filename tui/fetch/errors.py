"""What goes wrong while fetching: one exception, one line a person can act on."""

from __future__ import annotations

from tui.text.hygiene import clean_line

MAX_SHOWN = 80


class FetchError(Exception):
    """A fetch that failed; ``str(error)`` is a one-line, already sanitised message."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message))


def shown_url(url: str) -> str:
    """``url`` cleaned and shortened for a message (it may be anything a page sent)."""
    text = clean_line(url)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
