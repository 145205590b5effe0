"""The ``[fetch]`` table of the config: how readerly may fetch a note's source page.

Headless and independent of :mod:`tui.config.settings`, which registers :func:`parse_fetch`
as the check for the table; a bad key costs only that key, with a warning.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

Warn = Callable[[tuple[str | int, ...], str], None]


@dataclass(frozen=True)
class FetchSettings:
    """How pages are fetched. Sizes are in megabytes, times in seconds."""

    allow_private_hosts: bool = False  # loopback, private and link-local addresses
    prefetch: bool = False  # fetch the shown notes' sources in the background of the app
    connect_timeout: float = 10.0
    timeout: float = 30.0  # the whole fetch, redirects included
    max_page_mb: float = 10.0  # decompressed, so a small gzip bomb stops here too
    cache_mb: float = 200.0  # fetched articles kept, least recently used evicted first


# (lowest, highest) for each number: outside them a value is a typo or a trap.
_RANGES: dict[str, tuple[float, float]] = {
    "connect_timeout": (0.1, 300.0),
    "timeout": (0.1, 3600.0),
    "max_page_mb": (0.01, 1024.0),
    "cache_mb": (0.0, 100_000.0),
}
KEYS = tuple(f.name for f in fields(FetchSettings))


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _one(name: str, value: object) -> bool | float:
    """The checked value of key ``name``; ValueError with the reason when it cannot be used."""
    if name in ("allow_private_hosts", "prefetch"):
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {_show(value)}")
        return value
    low, high = _RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValueError(f"must be a number, not {_show(value)}")
    if not low <= value <= high:
        raise ValueError(f"must be between {low:g} and {high:g}, not {value:g}")
    return float(value)


def parse_fetch(
    value: object, warn: Warn, *, bad: Callable[[str], Exception] = ValueError
) -> FetchSettings:
    """The ``[fetch]`` table as settings; ``warn`` gets each bad or unknown key.

    Raises ``bad`` (the config reader's own error for a value it cannot use) when ``value``
    is not a table at all.
    """
    if not isinstance(value, dict):
        raise bad(f"must be a table like [fetch] prefetch = true, not {_show(value)}")
    chosen: dict[str, Any] = {}
    for name, raw in value.items():
        if name not in KEYS:
            close = difflib.get_close_matches(name, KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(KEYS)}"
            warn((name,), f"unknown key ({hint})")
            continue
        try:
            chosen[name] = _one(name, raw)
        except ValueError as exc:
            warn((name,), str(exc))
    settings = replace(FetchSettings(), **chosen)
    if settings.connect_timeout > settings.timeout:
        if "connect_timeout" in chosen:
            warn(("connect_timeout",), "is longer than timeout, which bounds the whole fetch")
        settings = replace(settings, connect_timeout=settings.timeout)
    return settings


def fetch_toml(settings: FetchSettings) -> list[str]:
    """The ``[fetch]`` keys as TOML lines (for ``readerly config show``)."""
    out: list[str] = []
    for f in fields(FetchSettings):
        raw = getattr(settings, f.name)
        text = ("true" if raw else "false") if isinstance(raw, bool) else f"{raw:g}"
        out.append(f"{f.name} = {text}")
    return out
