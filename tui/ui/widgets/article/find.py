"""Find in the article: which rendered lines hold the words, and where on a line they are.

Blocks whose source text lacks every word are skipped without rendering them; the rest are
searched in their rendered lines, so a match is where the reader sees it (wrapped, with
link hints). Textual-free: the view asks and scrolls.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment

from tui.ui.widgets.article.layout import ArticleLayout


def normalise_terms(terms: str | list[str]) -> list[str]:
    """Lower-cased words to look for: a string is split on spaces, a list kept as given."""
    words = terms.split() if isinstance(terms, str) else terms
    seen: list[str] = []
    for word in words:
        word = word.strip().lower()
        if word and word not in seen:
            seen.append(word)
    return seen


def line_matches(segments: list[Segment], terms: list[str]) -> list[tuple[int, int]]:
    """Cell ranges ``[start, end)`` of every occurrence of ``terms`` on one rendered line."""
    plain = "".join(s.text for s in segments)
    lower = plain.lower()
    if len(lower) != len(plain):  # a case change altered the length: no safe mapping
        lower = plain
    found: list[tuple[int, int]] = []
    for term in terms:
        start = lower.find(term)
        while start != -1:
            end = start + len(term)
            found.append((cell_len(plain[:start]), cell_len(plain[:end])))
            start = lower.find(term, end)
    return sorted(found)


class Finder:
    """The words being looked for in one layout, and the line of the current match."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        self.current: int | None = None  # virtual line of the current match

    def _entry_has(self, layout: ArticleLayout, index: int) -> bool:
        if index == 0:
            return True  # the header: cheap, and its title is worth finding
        text = layout.blocks[index - 1].text.lower()
        return any(term in text for term in self.terms)

    def rows_in(self, layout: ArticleLayout, index: int) -> list[int]:
        """Virtual lines of entry ``index`` holding a match."""
        if not self._entry_has(layout, index):
            return []
        lines, _ = layout.entry(index)
        top = layout.offsets[index]
        return [top + row for row, line in enumerate(lines) if line_matches(line, self.terms)]

    def after(self, layout: ArticleLayout, y: int, forward: bool) -> int | None:
        """The first matching line after (or before) virtual line ``y`` among measured entries."""
        count = len(layout.offsets)
        if not count:
            return None
        start = max(layout.entry_at(y), 0)
        order = range(start, count) if forward else range(min(start, count - 1), -1, -1)
        for index in order:
            rows = self.rows_in(layout, index)
            hits = [r for r in rows if r > y] if forward else [r for r in rows if r < y]
            if hits:
                return hits[0] if forward else hits[-1]
        return None
