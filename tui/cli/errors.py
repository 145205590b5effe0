"""What a command can fail with, and how failures are told: one line on stderr, an exit code."""

from __future__ import annotations

import sys


class UsageError(Exception):
    """Bad usage; exit code 2."""


class Failure(Exception):
    """Something the user can act on went wrong; exit code 1."""


def warn(message: str) -> None:
    """Tell the user something on stderr, prefixed with the program name."""
    print(f"readerly: {message}", file=sys.stderr)
