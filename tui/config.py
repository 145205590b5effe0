"""Where things live: the vault to open and the bundled sample vault."""

from __future__ import annotations

import os
from pathlib import Path


def bundled_vault() -> Path:
    """The sample vault shipped with readerly (inside the package when installed)."""
    packaged = Path(__file__).resolve().parent / "seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"


def resolve_vault(explicit: str | None) -> Path:
    """The vault to use: an explicit path, else ``READERLY_VAULT``, else the sample vault."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("READERLY_VAULT")
    if env:
        return Path(env).expanduser()
    return bundled_vault()
