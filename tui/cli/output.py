"""The one way the command line writes: every line, message and JSON string is made inert.

What the CLI prints comes from notes, the state and config files, the command line and file
names; any of them may hold an escape sequence. Everything goes through
:func:`tui.text.hygiene.terminal_safe` here, whatever its source, and the only escape
sequences that reach the terminal are readerly's own colours (:class:`Styled`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from tui.text.hygiene import terminal_safe

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = [
    "SafeArgumentParser",
    "SafeLogFormatter",
    "Styled",
    "describe_os_error",
    "out",
    "out_json",
    "warn",
]


class Styled(NamedTuple):
    """A piece of a line drawn in one of readerly's own colours (an SGR code and its reset)."""

    text: str
    sgr: str
    reset: str = "0"


def _line(parts: tuple[str | Styled, ...]) -> str:
    pieces = []
    for part in parts:
        if isinstance(part, Styled):
            pieces.append(f"\x1b[{part.sgr}m{terminal_safe(part.text)}\x1b[{part.reset}m")
        else:
            pieces.append(terminal_safe(part))
    return "".join(pieces)


def out(*parts: str | Styled, dim: bool = False) -> None:
    """One line (or block of lines) of results on stdout; ``dim`` draws it faint."""
    line = _line(parts)
    sys.stdout.write((f"\x1b[2m{line}\x1b[0m" if dim else line) + "\n")


def warn(message: str) -> None:
    """Tell the user something on stderr, on one line, prefixed with the program name."""
    # Messages name paths and arguments as given: their odd characters are shown escaped,
    # and the message stays on one line.
    text = terminal_safe(message, escape=True).replace("\n", "\\n")
    print(f"readerly: {text}", file=sys.stderr)


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, dict):
        return {terminal_safe(str(k)): _safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    return value


def out_json(data: Any) -> None:
    """``data`` as one line of JSON on stdout, every string in it made inert first.

    JSON escapes C0 controls itself, but not DEL, C1 or bidi controls, and it cannot
    carry an unpaired surrogate at all: those are dropped before encoding.
    """
    sys.stdout.write(orjson.dumps(_safe(data)).decode() + "\n")


def describe_os_error(exc: OSError) -> str:
    """A one-line message for any ``OSError``: which file, and what the system said."""
    if exc.strerror and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror}"
    return exc.strerror or str(exc) or type(exc).__name__


class SafeArgumentParser(argparse.ArgumentParser):
    """argparse, but its usage, help and errors (which quote the arguments) are made inert."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            # As argparse does: with no stream to complain on, say nothing.
            with contextlib.suppress(AttributeError, OSError):
                (file or sys.stderr).write(terminal_safe(message, escape=True))


class SafeLogFormatter(logging.Formatter):
    """Log lines (which may quote a request's headers or path) made inert before printing."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as text, with anything a terminal would act on removed."""
        return terminal_safe(super().format(record))
