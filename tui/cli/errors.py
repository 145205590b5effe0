"""What a command can fail with, and how failures are told: one line on stderr, an exit code."""

from __future__ import annotations

from tui.cli.output import warn

__all__ = ["Failure", "UsageError", "warn"]


class UsageError(Exception):
    """Bad usage; exit code 2."""


class Failure(Exception):
    """Something the user can act on went wrong; exit code 1."""
