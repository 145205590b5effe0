"""Checking each value of the config file: what makes a setting usable, and what it becomes.

Each check takes the raw TOML value, the config file's folder (relative paths start there)
and a ``warn`` for parts it drops, and returns the value to use, or raises :class:`Bad` when
the whole setting is unusable (the default is used instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tui.config.fetchconf import parse_fetch
from tui.config.tomltext import KeyPath
from tui.text.relevance import RelevanceScale

MAX_LEVELS = 9
MAX_VIEWS = 9  # one per number key in the sidebar
MAX_SIMILAR = 20  # similar notes under an article: a few, not another list to scroll

Warn = Callable[[KeyPath, str], None]


class Bad(Exception):
    """A value that cannot be used; ``where`` is the part of the key that is wrong."""

    def __init__(self, message: str, where: KeyPath = ()) -> None:
        super().__init__(message)
        self.where = where


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Bad(f"{what} must be a non-empty string, not {_show(value)}")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise Bad(f"{what} must not contain control characters")
    return value.strip()


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _path(value: object, base: Path, warn: Warn) -> Path:
    path = Path(_text(value, "a path")).expanduser()
    # Relative paths are taken from the config file's folder, not wherever readerly runs.
    return path if path.is_absolute() else base / path


def _bool(value: object, base: Path, warn: Warn) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"must be true or false, not {_show(value)}")
    return value


def _similar(value: object, base: Path, warn: Warn) -> int:
    # TOML booleans are not numbers here, though Python's bool is an int.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SIMILAR:
        raise Bad(f"must be a whole number from 0 (none) to {MAX_SIMILAR}, not {_show(value)}")
    return value


def _theme(value: object, base: Path, warn: Warn) -> str:
    return _text(value, "the theme")


def _skip(value: object, base: Path, warn: Warn) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise Bad(f'must be a list of folder names, like ["Templates"], not {_show(value)}')
    names: list[str] = []
    for i, item in enumerate(value):
        try:
            name = _text(item, "a folder name").strip("/")
            if "/" in name or "\\" in name:
                raise Bad(f"{name!r} is a path; give a folder name (every folder so named)")
        except Bad as exc:
            warn((i,), str(exc))
            continue
        names.append(name)
    return tuple(names)


def _scale(value: object, base: Path, warn: Warn) -> RelevanceScale:
    if not isinstance(value, dict):
        raise Bad(f"must be a table with levels = [...], not {_show(value)}")
    for extra in sorted(set(value) - {"levels"}):
        warn((extra,), "unknown key (a relevance table has only 'levels')")
    levels = value.get("levels")
    if not isinstance(levels, list) or not 1 <= len(levels) <= MAX_LEVELS:
        raise Bad(
            f'levels must list 1 to {MAX_LEVELS} tables like {{name = "high", symbol = "🔴"}}, '
            "highest first",
            ("levels",),
        )
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, level in enumerate(levels):
        where: KeyPath = ("levels", i)
        if not isinstance(level, dict) or set(level) != {"name", "symbol"}:
            raise Bad("each level needs exactly a name and a symbol", where)
        for part in ("name", "symbol"):
            try:
                text = _text(level[part], f"the {part}")
            except Bad as exc:
                raise Bad(str(exc), (*where, part)) from None
            if part == "name" and (not re.fullmatch(r"[^\s\d][^\s]*", text) or text == "none"):
                raise Bad(f"name {text!r} must be one word, not a number or 'none'", (*where, part))
            if text.lower() in seen:
                raise Bad(f"{part} {text!r} is used twice", (*where, part))
            seen.add(text.lower())
        pairs.append((level["name"].strip(), level["symbol"].strip()))
    return RelevanceScale(pairs)


_KEY = re.compile(r"[A-Za-z0-9_+-]+|[^\s,]")


def _keymap(value: object, base: Path, warn: Warn) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Bad(f'must be a table of binding id = "keys", not {_show(value)}')
    keymap: dict[str, str] = {}
    for ident, keys in value.items():
        items = keys.split(",") if isinstance(keys, str) else keys
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(k, str) and _KEY.fullmatch(k.strip()) for k in items)
        ):
            # One bad entry costs only that entry: the rest of the keymap still applies.
            warn((ident,), f'keys must be like "x", "ctrl+x" or "x,y", not {_show(keys)}')
            continue
        keymap[ident] = ",".join(k.strip() for k in items)
    return keymap


def _views(value: object, base: Path, warn: Warn) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise Bad(f'must be a table of name = "query", not {_show(value)}')
    views: list[tuple[str, str]] = []
    for name, query in value.items():
        try:
            label = _text(name, "a view name")
            if not isinstance(query, str):
                raise Bad(f'the query must be a string like "is:unread", not {_show(query)}')
            # An empty query is a view of every note: allowed, it is a sensible "all".
            text = query.strip()
            if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
                raise Bad("the query must not contain control characters")
        except Bad as exc:
            # One bad view costs only that view: the rest still show.
            warn((name,), str(exc))
            continue
        if len(views) == MAX_VIEWS:
            warn((name,), f"only {MAX_VIEWS} views are kept (one per number key)")
            continue
        views.append((label, text))
    return tuple(views)


CHECKS: dict[str, Callable[[object, Path, Warn], object]] = {
    "vault": _path,
    "state": _path,
    "auto_mark_read": _bool,
    "watch": _bool,
    "similar": _similar,
    "theme": _theme,
    "skip": _skip,
    "relevance": _scale,
    "keymap": _keymap,
    "views": _views,
    "fetch": lambda value, base, warn: parse_fetch(value, warn, bad=Bad),
}
FIELDS = {"relevance": "scale"}
