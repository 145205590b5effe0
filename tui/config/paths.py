"""Where readerly's own files are: the package, its stylesheets and the bundled sample vault.

Installed from a wheel, ``styles`` and ``seeds`` live inside the package (``tui/styles``,
``tui/seeds``); in a checkout they sit beside it, at the top of the tree.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def shipped_dir(name: str) -> Path:
    """The folder ``name`` of the package when installed, else the checkout's top-level one."""
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name
