"""The relevance scale: an ordered list of levels, highest first.

A note's relevance is stored as the level's name (``"high"``); anything the
scale does not know is kept exactly as written so nothing the user had is lost.
A level's number is its place on the scale counted from the top: ``1`` is the
highest level, as the ``1`` key, ``mark --relevance 1`` and ``rel:1`` all mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Level:
    """One step of the scale: a name, the symbol shown for it, and its rank (higher is more).

    ``number`` is what people type for it: 1 for the top of the scale, counting down.
    """

    name: str
    symbol: str
    rank: int
    number: int
    letter: str = ""


class RelevanceScale:
    """Maps the many ways people write relevance onto an ordered set of levels."""

    def __init__(self, levels: Sequence[tuple[str, str]], *, letters: bool = False) -> None:
        """``levels`` is ``(name, symbol)`` pairs from highest to lowest.

        With ``letters``, :meth:`symbol` shows each level's letter instead of its symbol:
        for a terminal without colour, where 🔴 🟡 🟢 differ by colour alone.
        """
        count = len(levels)
        names = [name.strip().lower() for name, _ in levels]
        marks = _letters(names)
        self.letters = letters
        self.levels: tuple[Level, ...] = tuple(
            Level(name, symbol.strip(), count - i, i + 1, marks[i])
            for i, (name, (_, symbol)) in enumerate(zip(names, levels, strict=True))
        )
        self._lookup: dict[str, str] = {}
        for level in self.levels:
            self._lookup[level.name] = level.name
            self._lookup[level.symbol] = level.name
            # Numbers count from the top, as the keys do: 1 is the highest level.
            self._lookup[str(level.number)] = level.name
            # Emoji often arrive with or without the variation selector.
            self._lookup[level.symbol.replace("\ufe0f", "")] = level.name

    def normalise(self, raw: object) -> str | None:
        """Return the level name for ``raw``; unknown text is returned cleaned but unchanged.

        Empty values (None, "", whitespace) mean "no relevance" and give None.
        """
        if raw is None or isinstance(raw, bool):
            return None
        text = str(raw).strip()
        if not text:
            return None
        key = text.lower().replace("\ufe0f", "")
        found = self._lookup.get(key)
        if found is None and text.startswith(tuple(lv.symbol for lv in self.levels)):
            # "🔴 high" and similar: the leading symbol decides.
            for level in self.levels:
                if text.startswith(level.symbol):
                    return level.name
        return found if found is not None else text

    def level(self, value: str | None) -> Level | None:
        """The level for a normalised value, or None when unset or unknown."""
        if value is None:
            return None
        for level in self.levels:
            if level.name == value:
                return level
        return None

    def rank(self, value: str | None) -> int:
        """Sort key: the level's rank; 0 for unset or unknown values."""
        level = self.level(value)
        return level.rank if level else 0

    def symbol(self, value: str | None) -> str:
        """What to show: the level's symbol, the unknown value itself, or "" when unset."""
        if value is None:
            return ""
        level = self.level(value)
        if level is None:
            return value
        return level.letter if self.letters else level.symbol

    def with_letters(self) -> RelevanceScale:
        """The same scale, shown by letters (H, M, L) rather than by coloured symbols."""
        return RelevanceScale([(lv.name, lv.symbol) for lv in self.levels], letters=True)


def _letters(names: Sequence[str]) -> list[str]:
    """One distinct capital per level: its initial, else its next unused letter, else its number."""
    used: set[str] = set()
    out: list[str] = []
    for i, name in enumerate(names):
        mark = next((c.upper() for c in name if c.isalpha() and c.upper() not in used), str(i + 1))
        used.add(mark)
        out.append(mark)
    return out


DEFAULT_SCALE = RelevanceScale([("high", "🔴"), ("medium", "🟡"), ("low", "🟢")])
