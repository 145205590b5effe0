"""Why a note matched: a one-line excerpt around the first hit of a search's words.

Matching follows the index's rules closely enough for display: case and accents do not
matter (``cafe`` finds "Café"), each word matches at the start of a word, a phrase matches
its words in order, and CJK text matches anywhere. The excerpt is cut from the body as shown
(already cleaned), so it is safe to draw as plain text.

Pure: the standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_LEAD = 24  # characters of context kept before the hit
_SCAN = 50_000  # characters of a body looked through (a hit further on shows no excerpt)


def _base(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Base letter -> every Latin letter that folds to it (``e`` -> ``eéèêë...``)."""
    table: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = _base(char)
        if len(base) == 1 and base.isascii() and base.isalpha():
            table.setdefault(base, {base}).update({char, char.lower()})
    return {base: "".join(sorted(chars)) for base, chars in table.items()}


def _letter(char: str) -> str:
    low = _base(char) if not char.isascii() else char.lower()
    found = _variants().get(low)
    if found is None:
        return re.escape(char)
    return "[" + re.escape(found) + "]"


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of ``words`` the way a search does."""
    parts = []
    for word in words:
        if _CJK.search(word):
            parts.append(re.escape(word))
            continue
        tokens = [t for t in (_base(m) for m in _WORD.findall(word)) if t]
        if tokens:
            body = r"\W+".join("".join(_letter(c) for c in token) for token in tokens)
            parts.append(r"(?<!\w)" + body)
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def snippet(body: str, words: Sequence[str], width: int = 120) -> str:
    """A line of at most ``width`` characters around the first hit of ``words`` in ``body``.

    Empty when nothing in the body matches (the hit was in the title, tags or domain).
    """
    pattern = _pattern(tuple(words))
    if pattern is None or width <= 0:
        return ""
    text = body[:_SCAN]
    found = pattern.search(text)
    if found is None:
        return ""
    start = max(0, found.start() - _LEAD)
    if start:
        space = text.rfind(" ", start - 12 if start > 12 else 0, start)
        start = space + 1 if space != -1 else start
    # Enough raw text for a full line once whitespace is squeezed.
    piece = _SPACE.sub(" ", text[start : start + width * 3]).strip(" #>*-|")
    prefix = "…" if start else ""
    return (prefix + piece)[:width]
