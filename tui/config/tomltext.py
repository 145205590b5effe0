"""TOML as text: finding the line a key is set on, and writing values back out.

``tomllib`` reads TOML but keeps no positions and cannot write, so a message about a bad value
needs :func:`locate` to point at its line, and ``readerly config show`` needs :func:`value`.
"""

from __future__ import annotations

import json
import re

KeyPath = tuple[str | int, ...]
"""A key inside a document: table and key names, with list positions as ints (from 0)."""

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_PART = r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+'
_DOTTED = rf"(?:{_PART})(?:\s*\.\s*(?:{_PART}))*"
_ASSIGN = re.compile(rf"\s*({_DOTTED})\s*=")
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED})\s*\]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def key(part: str) -> str:
    """One key as TOML writes it: bare when it can be, quoted otherwise."""
    return part if _BARE.fullmatch(part) else value(part)


def key_name(path: KeyPath) -> str:
    """A key path as people read it: ``keymap."main.star"``, ``relevance.levels[2].name``.

    List positions are shown counting from 1, as in "the second level".
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{key(part)}" if out else key(part)
    return out


def value(obj: object) -> str:
    """``obj`` (str, bool, int, list, dict) as a TOML value on one line."""
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if isinstance(obj, int):
        return str(obj)
    if isinstance(obj, str):
        # JSON's string escapes are TOML's; DEL and C1 controls are escaped as well so that
        # printing the result can never send a control sequence to the terminal.
        text = json.dumps(obj, ensure_ascii=False)
        return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04X}", text)
    if isinstance(obj, list):
        return "[" + ", ".join(value(item) for item in obj) + "]"
    if isinstance(obj, dict):
        return "{ " + ", ".join(f"{key(str(k))} = {value(v)}" for k, v in obj.items()) + " }"
    raise TypeError(f"cannot write {type(obj).__name__} as TOML")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in re.findall(_PART, dotted))


class KeyLines:
    """Where each key of a TOML text is set, found in one pass and then looked up cheaply.

    A config with thousands of bad keys gets thousands of warnings; each finding its line
    by scanning the whole text again made that quadratic (minutes for 8,000 keys).
    """

    def __init__(self, text: str) -> None:
        """Read ``text`` line by line once: table headers, ``[[arrays]]``, dotted keys."""
        self._lines = text.splitlines()
        # Exact key path -> (line, column after "="): the last assignment of it wins.
        self._assigned: dict[KeyPath, tuple[int, int]] = {}
        # Exact table path -> line of its header: the first header wins.
        self._headers: dict[KeyPath, int] = {}
        table: KeyPath = ()
        arrays: dict[tuple[str, ...], int] = {}
        for n, line in enumerate(self._lines):
            header = _HEADER.match(line)
            if header:
                names = _parts(header.group(2))
                if header.group(1) == "[[":
                    arrays[names] = arrays.get(names, -1) + 1
                    table = (*names, arrays[names])
                else:
                    table = names
                if table:
                    self._headers.setdefault(table, n)
                continue
            assign = _ASSIGN.match(line)
            if assign:
                self._assigned[(*table, *_parts(assign.group(1)))] = (n, assign.end())

    def line(self, path: KeyPath) -> int | None:
        """The line (from 1) where ``path`` is set, or None; the most specific match wins,
        an assignment before a table header of the same key, and an element of an inline
        array of tables is followed to its own line."""
        for length in range(len(path), 0, -1):
            prefix = path[:length]
            assigned = self._assigned.get(prefix)
            if assigned is not None:
                n, column = assigned
                rest = path[length:]
                if rest and isinstance(rest[0], int):
                    element = _element_line(self._lines, n, column, rest[0])
                    if element is not None:
                        return element + 1
                return n + 1
            header = self._headers.get(prefix)
            if header is not None:
                return header + 1
        return None


def locate(text: str, path: KeyPath) -> int | None:
    """The line (from 1) where ``path`` is set in the TOML ``text``, or None when not found.

    Best effort, line by line: table headers, ``[[arrays]]``, dotted keys and elements of an
    inline array of tables are followed; the most specific match wins. To look up many keys
    of one text, build a :class:`KeyLines` once.
    """
    return KeyLines(text).line(path)


def _element_line(lines: list[str], start: int, column: int, index: int) -> int | None:
    """The line where element ``index`` of the array that follows ``column`` of ``start`` begins."""
    depth, count, expecting = 0, -1, False
    for n in range(start, min(len(lines), start + 500)):
        segment = _STRING.sub('""', lines[n][column:] if n == start else lines[n])
        for ch in segment.split("#", 1)[0]:
            if depth == 1 and expecting and not ch.isspace() and ch not in ",]":
                count, expecting = count + 1, False
                if count == index:
                    return n
            if ch in "[{":
                depth += 1
                expecting = expecting or depth == 1
            elif ch in "]}":
                depth -= 1
                if depth <= 0:
                    return None
            elif ch == "," and depth == 1:
                expecting = True
    return None
