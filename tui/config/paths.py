"""Where readerly's own files are: the package, its stylesheets and the bundled sample vault.

Installed from a wheel, ``styles`` and ``seeds`` live inside the package (``tui/styles``,
``tui/seeds``); in a checkout they sit beside it, at the top of the tree.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_STATE = "READERLY_STATE"
"""Names the state file, above the config file's ``state``."""

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def shipped_dir(name: str) -> Path:
    """The folder ``name`` of the package when installed, else the checkout's top-level one."""
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name


def default_state_file() -> Path:
    """The state file when nothing names one: ``state.json`` in the user state folder."""
    return platformdirs.user_state_path("readerly") / "state.json"


def default_state_path() -> Path:
    """``$READERLY_STATE`` if set, else :func:`default_state_file`."""
    override = os.environ.get(ENV_STATE, "").strip()
    if override:
        return Path(override).expanduser()
    return default_state_file()
