"""Every key readerly binds, as data: screens build their bindings from here and help renders it.

Each key has a stable ``id`` so a keymap (``App.set_keymap``) can move it to another key,
a ``group`` for the help screen, and a ``scope``: ``"app"`` keys work on every screen,
``"main"`` keys belong to the main screen, ``"article"`` keys to the article pane (they work
while it has focus). :func:`keys_markdown` prints the same table for
documentation, so what the help shows and what the docs say cannot drift apart.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding

Scope = Literal["app", "main", "article"]

GROUPS = ("Move", "Read", "Triage", "Find", "Links", "General")
"""Help sections, in the order they are shown."""


@dataclass(frozen=True, slots=True)
class Key:
    """One binding: which keys (Textual names, comma separated) run which action, and why."""

    id: str
    keys: str
    action: str
    description: str
    group: str
    scope: Scope = "main"
    show: bool = False  # in the footer
    palette: bool = True  # offered in the command palette
    label: str = ""  # a shorter description for the footer, when shown there

    def binding(self, keymap: Mapping[str, str] | None = None) -> Binding:
        """The Textual binding for this key (a keymap entry replaces the keys)."""
        keys = (keymap or {}).get(self.id, self.keys)
        text = self.label or self.description
        return Binding(
            keys, self.action, text, show=self.show, id=self.id, tooltip=self.description
        )


def _triage_screen_exists() -> bool:
    try:
        return importlib.util.find_spec("tui.ui.screens.triage") is not None
    except (ImportError, ValueError):
        return False


_ALL: tuple[Key, ...] = (
    # Move
    Key("main.down", "j,down", "cursor_down", "Next note", "Move", palette=False),
    Key("main.up", "k,up", "cursor_up", "Previous note", "Move", palette=False),
    Key("main.top", "g,home", "cursor_top", "First note", "Move"),
    Key("main.bottom", "G,end", "cursor_bottom", "Last note", "Move"),
    Key(
        "main.next_unread", "n", "next_unread", "Next unread note", "Move", show=True, label="Next"
    ),
    Key("main.prev_unread", "p", "prev_unread", "Previous unread note", "Move"),
    Key("main.switch_pane", "tab", "switch_pane", "Switch pane", "Move"),
    # Read
    Key("main.open", "enter", "open_note", "Open the note", "Read", palette=False),
    Key("main.back", "escape", "back", "Back to the list", "Read", palette=False),
    Key("main.page_down", "space", "page_down", "Page down in the article", "Read"),
    Key("main.page_up", "b", "page_up", "Page up in the article", "Read"),
    Key("main.history_back", "left_square_bracket", "history_back", "Back in history", "Read"),
    Key(
        "main.history_forward",
        "right_square_bracket",
        "history_forward",
        "Forward in history",
        "Read",
    ),
    # Triage
    Key(
        "main.toggle_read",
        "m",
        "toggle_read",
        "Mark read / unread",
        "Triage",
        show=True,
        label="Read",
    ),
    Key("main.star", "s", "toggle_star", "Star / unstar", "Triage", show=True, label="Star"),
    Key("main.archive", "e", "toggle_archive", "Archive / unarchive", "Triage"),
    Key("main.relevance_1", "1", "relevance(0)", "Relevance high", "Triage"),
    Key("main.relevance_2", "2", "relevance(1)", "Relevance medium", "Triage"),
    Key("main.relevance_3", "3", "relevance(2)", "Relevance low", "Triage"),
    Key("main.relevance_clear", "0", "relevance(-1)", "Clear relevance", "Triage"),
    Key("main.mark_all_read", "A", "mark_all_read", "Mark all shown read", "Triage"),
    Key("main.undo", "u", "undo", "Undo the last triage action", "Triage", show=True, label="Undo"),
    Key(
        "article.outline",
        "O",
        "outline",
        "Outline: go to a heading",
        "Read",
        "article",
        palette=False,
    ),
    Key(
        "article.fold",
        "z",
        "toggle_fold",
        "Fold / open the callout on screen",
        "Read",
        "article",
        palette=False,
    ),
    # Find
    Key("main.search", "slash", "search", "Search and filter", "Find", show=True, label="Search"),
    Key("main.facets", "f", "toggle_facets", "Show / hide facets", "Find"),
    Key(
        "article.find",
        "ctrl+f",
        "find_prompt",
        "Find in the article",
        "Find",
        "article",
        palette=False,
    ),
    Key(
        "article.next_match",
        "greater_than_sign,f3",
        "next_match",
        "Next match in the article",
        "Find",
        "article",
        palette=False,
    ),
    Key(
        "article.prev_match",
        "less_than_sign,shift+f3",
        "previous_match",
        "Previous match in the article",
        "Find",
        "article",
        palette=False,
    ),
    # Links
    Key("main.follow_link", "L", "pick_link", "Choose a link to follow", "Links"),
    Key("main.backlinks", "B", "pick_backlink", "Notes linking here", "Links"),
    Key("main.open_source", "o", "open_source", "Open the source in a browser", "Links"),
    Key("main.copy_url", "y", "copy_url", "Copy the source URL", "Links"),
    # General
    Key("main.triage", "t", "triage_mode", "Triage mode", "General"),
    Key(
        "main.quit",
        "q",
        "back_or_quit",
        "Back to the list / quit",
        "General",
        show=True,
        label="Quit",
        palette=False,
    ),
    Key(
        "app.help",
        "question_mark",
        "help",
        "Help: every key",
        "General",
        "app",
        show=True,
        label="Help",
    ),
    Key("app.palette", "ctrl+p", "command_palette", "Commands", "General", "app", palette=False),
    Key("app.quit", "ctrl+q", "quit", "Quit", "General", "app"),
)


def all_keys() -> tuple[Key, ...]:
    """Every key that is active in this installation (triage mode only if it exists)."""
    if _triage_screen_exists():
        return _ALL
    return tuple(k for k in _ALL if k.id != "main.triage")


def keys_for(scope: Scope, keymap: Mapping[str, str] | None = None) -> list[Binding]:
    """Textual bindings for one scope, with any keymap applied."""
    return [k.binding(keymap) for k in all_keys() if k.scope == scope]


_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "space": "Space",
    "enter": "Enter",
    "escape": "Esc",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "greater_than_sign": ">",
    "less_than_sign": "<",
}


def display_key(name: str) -> str:
    """How one Textual key name is written for people: ``question_mark`` → ``?``."""
    name = name.strip()
    if name in _NAMES:
        return _NAMES[name]
    if "+" in name:
        *mods, last = name.split("+")
        return "+".join([*(m.capitalize() for m in mods), display_key(last).upper()])
    return name


def display_keys(keys: str) -> str:
    """A comma-separated key list as people write it: ``j,down`` → ``j ↓``."""
    return " ".join(display_key(k) for k in keys.split(",") if k.strip())


def effective_keys(key: Key, keymap: Mapping[str, str] | None = None) -> str:
    """The keys that currently run ``key``'s action, in Textual's notation."""
    return (keymap or {}).get(key.id, key.keys)


def grouped(
    keys: Iterable[Key], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """``(group, [(keys shown, description), ...])`` in help order, empty groups left out."""
    sections: dict[str, list[tuple[str, str]]] = {g: [] for g in GROUPS}
    for key in keys:
        sections.setdefault(key.group, []).append(
            (display_keys(effective_keys(key, keymap)), key.description)
        )
    return [(group, rows) for group, rows in sections.items() if rows]


def keys_markdown(keymap: Mapping[str, str] | None = None) -> str:
    """The key table as Markdown, one table per group, for the README."""
    out: list[str] = []
    for group, rows in grouped(all_keys(), keymap):
        out += [f"### {group}", "", "| Key | Action |", "| --- | --- |"]
        for keys, description in rows:
            cell = " ".join(f"`{k}`" for k in keys.split(" ")).replace("|", "\\|")
            out.append(f"| {cell} | {description} |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
