"""Moving inside the article: to a heading or block, to find matches, by the outline; folds."""

from __future__ import annotations

import time
from functools import partial

from tui.text.markdown import heading_key, outline
from tui.ui.widgets.article.find import Finder, normalise_terms
from tui.ui.widgets.article.lazy import FIRST_PAINT, LazyArticle

FIND_BUDGET = 0.08  # seconds of laying out per find key; the next press searches further


class NavigableArticle(LazyArticle):
    """Targets inside the note: headings, blocks, footnotes, find matches, callout folds."""

    def goto(self, target: str) -> None:
        """Scroll to a heading (``Heading``, ``Parent#Heading``) or block (``^id``) of this note.

        Headings match as Obsidian matches them: case and the characters a link cannot
        hold do not matter. A long note is laid out as far as needed first.
        """
        last = target.split("#")[-1].strip()
        if last.startswith("^"):
            self.goto_anchor("b:" + last[1:].lower())
        else:
            self.goto_anchor("h:" + heading_key(last))

    def goto_anchor(self, key: str) -> None:
        """Scroll to anchor ``key`` (``h:``, ``b:``, ``fn:``, ``fnref:``) once it is laid out."""
        self._pending = ("anchor", 0.0)
        self._pending_anchor = key
        self._measure(FIRST_PAINT)
        self._start_pump()

    def headings(self) -> list[tuple[int, str]]:
        """The note's headings as ``(level, text)``, for an outline."""
        return [(h.level, h.text) for h in outline(self._body)]

    def find(self, terms: str | list[str]) -> int | None:
        """Highlight ``terms`` (words, any case) and go to the first match below the top.

        Returns the virtual line of that match, or None when there is none (yet: the rest
        of a long note is searched as it is laid out, by :meth:`next_match`).
        """
        words = normalise_terms(terms)
        self._finder = Finder(words) if words else None
        self.refresh()
        if self._finder is None:
            return None
        return self._jump_to_match(round(self.scroll_y) - 1, forward=True)

    @property
    def find_terms(self) -> list[str]:
        """The words being found, lower-cased ([] when none)."""
        return list(self._finder.terms) if self._finder else []

    # -- find, outline, folds -------------------------------------------------------------

    def _jump_to_match(self, y: int, forward: bool) -> int | None:
        """Scroll to the match after (or before) line ``y``, laying out more as needed."""
        finder = self._finder
        if finder is None:
            return None
        deadline = time.perf_counter() + FIND_BUDGET
        found = finder.after(self._layout, y, forward)
        while found is None and forward and not self._layout.done:
            if time.perf_counter() > deadline:
                break
            self._measure_one()
            found = finder.after(self._layout, max(y, self._layout.offsets[-1] - 1), forward)
        self._grow()
        if found is None:
            self.notify("No more matches", severity="information", timeout=2)
            return None
        finder.current = found
        view = self.scrollable_content_region.height
        if not self.scroll_y <= found < self.scroll_y + view:
            self._pending = None
            self.scroll_to(y=max(found - view // 3, 0), animate=False, force=True)
        return found

    def action_find_prompt(self) -> None:
        """Open the find bar (pre-filled with the words being found)."""
        from tui.ui.screens.find import FindBar  # screens import this widget

        def done(value: str | None) -> None:
            if value is not None:
                self.find(value)

        self.app.push_screen(FindBar(" ".join(self.find_terms)), done)

    def action_next_match(self) -> None:
        """Go to the next match of the find bar's words."""
        if self._finder is None:
            self.action_find_prompt()
            return
        current = self._finder.current
        self._jump_to_match(current if current is not None else round(self.scroll_y), True)

    def action_previous_match(self) -> None:
        """Go to the previous match of the find bar's words."""
        if self._finder is None:
            self.action_find_prompt()
            return
        current = self._finder.current
        self._jump_to_match(current if current is not None else round(self.scroll_y), False)

    def action_outline(self) -> None:
        """Choose a heading of the note from a list and go there."""
        from textual.command import CommandPalette

        from tui.ui.commands import Pick, PickProvider

        headings = self.headings()
        if not headings:
            self.notify("This note has no headings")
            return
        picks = [
            Pick("  " * (level - 1) + text, partial(self.goto, text), f"heading {level}")
            for level, text in headings
        ]
        palette = CommandPalette(providers=[PickProvider.of(picks)], placeholder="Go to heading…")
        self.app.push_screen(palette)

    def action_toggle_fold(self) -> None:
        """Fold or open the first foldable callout on screen."""
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        for link in self._layout.links:
            if link.kind == "fold" and top <= self._layout.link_y(link.number) < bottom:
                self._toggle_fold(link.number)
                return
        self.notify("No foldable callout on screen", timeout=2)

    def _toggle_fold(self, number: int) -> None:
        link = self._layout.links[number - 1]
        self._note_context.folds[link.url] = not link.label.startswith("Open")
        layout = self._layout
        index = layout.entry_of_link(number)
        layout.rerender(index)
        self.virtual_size = self._virtual()
        self.refresh()
