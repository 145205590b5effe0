"""The one place that decides whether a URL may be opened, and opens it.

Headless: nothing here imports textual or rich. URLs come from notes, so they are untrusted:
only ``http``/``https`` with a host pass, nothing that a terminal, a shell or a browser's
command line could read as something else (control characters, whitespace, a leading ``-``).
Opening goes through Python's :mod:`webbrowser`, never a shell.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable
from urllib.parse import urlsplit

MAX_URL_LENGTH = 8192
WEB_SCHEMES = ("http", "https")

Opener = Callable[[str], object]


def _has_unsafe_char(text: str) -> bool:
    # Anything below space, DEL, C1 controls, and every kind of Unicode whitespace or
    # format character (bidi overrides, zero-width joiners) could hide what the URL really is.
    for char in text:
        code = ord(char)
        if code <= 0x20 or 0x7F <= code <= 0x9F or char.isspace():
            return True
        if 0x200B <= code <= 0x200F or 0x202A <= code <= 0x202E or 0x2060 <= code <= 0x206F:
            return True
        if code in (0x061C, 0xFEFF):
            return True
    return False


def web_url(url: str) -> str | None:
    """``url`` when it is a plain ``http``/``https`` URL with a host, else None.

    Refused: other schemes (``javascript:``, ``file:``, ``data:`` ...), a missing host,
    control or whitespace characters anywhere, a leading ``-`` and anything over
    ``MAX_URL_LENGTH`` characters. The text is returned unchanged (no trimming), so what is
    shown to a person is exactly what would be opened.
    """
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        return None
    if url.startswith("-") or _has_unsafe_char(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not host:
        return None
    if not url.lower().startswith(f"{parts.scheme.lower()}://"):
        return None  # "http:example.com" and similar oddities
    return url


def on_remote_machine() -> bool:
    """True inside an SSH session, where a browser would open on the far machine."""
    return bool(os.environ.get("SSH_CONNECTION"))


def has_display() -> bool:
    """True when a graphical browser could appear on this machine's screen.

    Without one, :mod:`webbrowser` falls back to console browsers that would take over the
    terminal the reader is drawing in, so the app copies the link instead.
    """
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_url(url: str, opener: Opener = webbrowser.open) -> str:
    """Open ``url`` in the web browser if it is a valid web URL; returns what to tell the user.

    ``opener`` is :func:`webbrowser.open` unless a caller (a test) passes another; it is
    never called for a refused URL.
    """
    valid = web_url(url)
    if valid is None:
        return "not opened: only http and https links can be opened"
    try:
        opened = opener(valid)
    except Exception as exc:  # any browser failure is reported to the user, never raised
        return f"could not start a web browser: {exc}"
    if opened is False:
        return "could not start a web browser (set $BROWSER to choose one)"
    return f"opened {valid}"
