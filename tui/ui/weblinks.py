"""Web links leave the reader only through here (and, below it, the URL gate in tui.text.urls).

In an SSH session or without a graphical display the link is copied (OSC 52) instead, because
a browser would open on the far machine or a console browser would take over the terminal
this app is drawing in. In web mode the reader's browser is the user's: a tab opens there.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from tui.text.hygiene import plain
from tui.text.notes import Note
from tui.text.urls import Opener, has_display, on_remote_machine, open_url, web_url


def open_web(app: App[Any], opener: Opener, url: str) -> None:
    """Open ``url`` in a browser, or copy it when no browser can appear on this screen."""
    valid = web_url(url)
    if valid is None:
        app.notify(open_url(url, opener), severity="warning", markup=False)
        return
    if app.is_web:
        app.open_url(valid)
        app.notify(f"Opened {valid} in your browser", markup=False)
        return
    if on_remote_machine() or not has_display():
        app.copy_to_clipboard(valid)
        why = "over SSH" if on_remote_machine() else "no graphical display"
        app.notify(f"Copied {valid} ({why}: no browser started)", markup=False)
        return
    app.notify(open_url(valid, opener), markup=False)


def source_url(app: App[Any], note: Note) -> str | None:
    """``note``'s source when it is a web link; otherwise says why not and gives None."""
    url = web_url(note.source)
    if url is None:
        text = f"Not a web link: {plain(note.source)}" if note.source else "No source URL"
        app.notify(text, severity="warning", markup=False)
    return url
