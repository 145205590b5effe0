"""Command-palette providers: open a note by title, run any action, pick from a short list.

Titles and labels are note text, so every hit is built as plain ``Content`` (the palette
would parse a ``str`` as markup) and help lines are escaped.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, ClassVar, NamedTuple, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape
from textual.screen import Screen

from tui.text.hygiene import plain
from tui.text.notes import Note
from tui.ui.keys import Key, all_keys, display_keys, effective_keys
from tui.vault.index import Vault

MAX_TITLE_HITS = 40
YIELD_EVERY = 400  # let the palette draw while a large vault is searched


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` as plain content with the fuzzy-matched characters styled."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _in_order(needle: str, haystack: str) -> bool:
    """Whether the characters of ``needle`` appear in ``haystack`` in order (cheap prefilter)."""
    rest = iter(haystack)
    return all(char in rest for char in needle)


@runtime_checkable
class NoteScreen(Protocol):
    """A screen that shows a vault's notes and can open one (the main screen)."""

    vault: Vault | None

    def open_by_id(self, note_id: str) -> None:
        """Open the note with ``note_id``."""


def _note_screen(screen: Screen[Any]) -> NoteScreen | None:
    return screen if isinstance(screen, NoteScreen) else None


class NoteTitles(Provider):
    """ "Open note": every note of the vault, matched fuzzily by title."""

    async def search(self, query: str) -> Hits:
        """The best-matching titles (only the top few: nobody scrolls 10,000 hits)."""
        screen = _note_screen(self.screen)
        if screen is None or screen.vault is None:
            return
        matcher = self.matcher(query)
        needle = query.lower().replace(" ", "")
        best: list[tuple[float, int, Note]] = []
        for count, note in enumerate(screen.vault.notes):
            if count % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            if not _in_order(needle, note.title.lower()):
                continue
            score = matcher.match(note.title)
            if score > 0:
                entry = (score, -count, note)
                if len(best) < MAX_TITLE_HITS:
                    heapq.heappush(best, entry)
                elif entry[:2] > best[0][:2]:
                    heapq.heapreplace(best, entry)
        for score, _, note in sorted(best, key=lambda e: e[:2], reverse=True):
            title = plain(note.title)
            help_text = escape(plain(" · ".join(x for x in (note.date, note.domain) if x)))
            yield Hit(score, highlighted(matcher, title), partial(screen.open_by_id, note.id),
                      text=title, help=help_text)  # fmt: skip


def _key_help(key: Key, keymap: dict[str, str]) -> str:
    return escape(f"key: {display_keys(effective_keys(key, keymap))}")


class KeyCommands(Provider):
    """Every action readerly binds to a key, by its description."""

    def _commands(self) -> list[tuple[Key, Callable[[], object]]]:
        commands: list[tuple[Key, Callable[[], object]]] = []
        # The screen's own keys (``KEY_SCOPE``: the main screen's, triage's), and the app's.
        scope = getattr(self.screen, "KEY_SCOPE", None)
        for key in all_keys():
            if not key.palette:
                continue
            if key.scope == "app":
                commands.append((key, partial(self.app.run_action, key.action)))
            elif key.scope == scope:
                commands.append((key, partial(self.screen.run_action, key.action)))
        return commands

    async def search(self, query: str) -> Hits:
        """Actions whose descriptions match ``query``."""
        matcher = self.matcher(query)
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        for key, run in self._commands():
            score = matcher.match(key.description)
            if score > 0:
                yield Hit(score, highlighted(matcher, key.description), run,
                          text=key.description, help=_key_help(key, keymap))  # fmt: skip

    async def discover(self) -> Hits:
        """All actions, shown when the palette opens."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        for key, run in self._commands():
            yield DiscoveryHit(Content(key.description), run, text=key.description,
                               help=_key_help(key, keymap))  # fmt: skip


class Pick(NamedTuple):
    """One choice in a short list: what to show, what to run, and a line of help."""

    label: str
    run: Callable[[], object]
    help: str = ""


class PickProvider(Provider):
    """A palette over a fixed list of choices (the article's links, the notes linking here).

    Use :meth:`of` to make a provider class holding the choices; the palette builds it.
    """

    picks: ClassVar[Sequence[Pick]] = ()

    @classmethod
    def of(cls, picks: Sequence[Pick]) -> type[PickProvider]:
        """A provider class for ``picks``."""
        return type("Picks", (cls,), {"picks": tuple(picks)})

    async def search(self, query: str) -> Hits:
        """Choices matching ``query``."""
        matcher = self.matcher(query)
        for pick in self.picks:
            label = plain(pick.label)
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, highlighted(matcher, label), pick.run, text=label,
                          help=escape(plain(pick.help)) or None)  # fmt: skip

    async def discover(self) -> Hits:
        """Every choice, in order."""
        for pick in self.picks:
            label = plain(pick.label)
            yield DiscoveryHit(Content(label), pick.run, text=label,
                               help=escape(plain(pick.help)) or None)  # fmt: skip
