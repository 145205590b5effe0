"""Every key readerly binds, as data: screens and widgets build their bindings from here.

Each key has a stable ``id`` so a keymap (``App.set_keymap``) can move it to another key,
a ``group`` for the help screen and the README, and a ``scope``: the screen or widget whose
``BINDINGS`` it is (``"app"`` keys work on every screen). The footer, ``?`` help, the command
palette, ``readerly keys``, the keymap check and the README table all read this one table, so
they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

Scope = Literal["app", "main", "list", "facets", "article", "triage", "help", "confirm", "find"]

PANE_SCOPES: frozenset[Scope] = frozenset({"list", "facets", "article"})
"""Widget scopes: their keys work while that pane has the focus."""

GROUPS = (
    "Move",
    "Read",
    "Triage",
    "Find",
    "Links",
    "General",
    "In the list",
    "In the facet sidebar",
    "In the article",
    "Triage mode",
    "Help and dialogs",
)
"""Sections of the help screen and the README table, in the order they are shown."""


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

    def binding(self) -> Binding:
        """The Textual binding for this key; a keymap moves it by ``id``."""
        text = self.label or self.description
        return Binding(
            self.keys, self.action, text, show=self.show, id=self.id, tooltip=self.description
        )


def _pane(scope: Scope, group: str, rows: Iterable[tuple[str, str, str, str]],
          shown: Iterable[str] = ()) -> list[Key]:  # fmt: skip
    """Keys of a widget or dialog: ``(id, keys, action, description)`` each, none in the palette
    (the palette runs the screen's actions, which these only repeat within a pane); the ids in
    ``shown`` are in the footer."""
    footer = set(shown)
    return [Key(i, k, a, d, group, scope, show=i in footer, palette=False) for i, k, a, d in rows]


def _triage(ident: str, keys: str, action: str, label: str, tip: str = "") -> Key:
    # A tip means the key is in the footer: there the short label is all that fits.
    return Key(f"triage.{ident}", keys, action, tip or label, "Triage mode", "triage",
               show=bool(tip), palette=True, label=label if tip else "")  # fmt: skip


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
    Key(
        "main.switch_pane", "tab", "switch_pane", "Switch pane (in the article: next link)", "Move"
    ),
    # Read
    Key("main.open", "enter", "open_note", "Open the note", "Read", palette=False),
    Key("main.back", "escape", "back", "Back to the list", "Read", palette=False),
    Key("main.page_down", "space", "page_down", "Page down in the article", "Read"),
    Key("main.edit", "E", "app.edit_note", "Open the note in $EDITOR (or $PAGER)", "Read"),
    Key("main.page_up", "b", "page_up", "Page up in the article", "Read"),
    Key("main.fetch_full", "F", "fetch_full", "Fetch the full article from the source", "Read"),
    Key("main.toggle_full", "v", "toggle_full", "Summary / full article", "Read"),
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
    Key("main.catch_up", "C", "catch_up", "Mark every note above the cursor read", "Triage"),
    Key("main.select", "x", "select", "Select / unselect (m s e 1-3 act on all)", "Triage"),
    Key("main.clear_selection", "X", "clear_selection", "Select no notes", "Triage"),
    Key("main.undo", "u", "undo", "Undo the last triage action", "Triage", show=True, label="Undo"),
    # Find
    Key("main.search", "slash", "search", "Search and filter", "Find", show=True, label="Search"),
    Key("main.facets", "f", "toggle_facets", "Show / hide facets", "Find"),
    Key("main.sort", "S", "cycle_sort", "Sort by best match, newest, title, relevance", "Find"),
    # Links
    Key("main.follow_link", "L", "pick_link", "Choose a link to follow", "Links"),
    Key("main.backlinks", "B", "pick_backlink", "Notes linking here", "Links"),
    Key("main.similar", "R", "pick_similar", "Similar notes (alike in words)", "Links"),
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
    *_pane(
        "list",
        "In the list",
        [
            ("list.down", "down,j", "cursor_down", "Down"),
            ("list.up", "up,k", "cursor_up", "Up"),
            ("list.page_down", "pagedown", "page_down", "Page down"),
            ("list.page_up", "pageup", "page_up", "Page up"),
            ("list.top", "g,home", "scroll_top", "Top"),
            ("list.bottom", "G,end", "scroll_bottom", "Bottom"),
            ("list.select", "enter", "select", "Open"),
        ],
        shown=["list.select"],
    ),
    *_pane(
        "facets",
        "In the facet sidebar",
        [
            ("facets.down", "down,j", "cursor_down", "Down"),
            ("facets.up", "up,k", "cursor_up", "Up"),
            ("facets.toggle", "enter,space", "toggle_facet", "Toggle filter"),
            *(
                (f"facets.view_{n}", str(n), f"view({n})", f"Saved view {n} ([views])")
                for n in range(1, 10)
            ),
        ],
        shown=["facets.toggle"],
    ),
    *_pane(
        "article",
        "In the article",
        [
            ("article.next_link", "tab", "next_link", "Next link"),
            ("article.prev_link", "shift+tab", "previous_link", "Previous link"),
            ("article.follow", "enter", "follow_link", "Follow link"),
            ("article.link_number", "l", "link_number", "Link by number"),
            ("article.page_down", "space", "page_down", "Page down"),
            ("article.page_up", "b", "page_up", "Page up"),
            ("article.down", "j", "scroll_down", "Down"),
            ("article.up", "k", "scroll_up", "Up"),
            ("article.top", "g", "scroll_top", "Top"),
            ("article.bottom", "G", "scroll_bottom", "Bottom"),
            ("article.outline", "O", "outline", "Outline: go to a heading"),
            ("article.find", "ctrl+f", "find_prompt", "Find in the article"),
            ("article.next_match", "greater_than_sign,f3", "next_match", "Next match"),
            ("article.prev_match", "less_than_sign,shift+f3", "previous_match", "Previous match"),
            ("article.fold", "z", "toggle_fold", "Fold / open the callout on screen"),
        ],
    ),
    _triage("star", "s", "star", "Star", "Star it and mark it read; next note"),
    _triage("read", "r,m", "read", "Read", "Mark it read; next note"),
    _triage("archive", "e", "archive", "Archive", "Archive it; next note"),
    _triage("skip", "space,n,right", "skip", "Skip", "Next note; this one stays unread"),
    _triage("open_source", "o", "open_source", "Open", "Open the source, mark it read; next note"),
    _triage("fetch_full", "F", "fetch_full", "Fetch the full article from the source"),
    _triage("toggle_full", "v", "toggle_full", "Summary / full article"),
    _triage("relevance_1", "1", "relevance(0)", "Relevance high"),
    _triage("relevance_2", "2", "relevance(1)", "Relevance medium"),
    _triage("relevance_3", "3", "relevance(2)", "Relevance low"),
    _triage("relevance_clear", "0", "relevance(-1)", "Clear relevance"),
    _triage("undo", "u", "undo", "Undo", "Undo the last key and go back to its note"),
    _triage("previous", "p,left", "previous", "Previous note"),
    _triage("down", "j,down", "scroll('down')", "Scroll down"),
    _triage("up", "k,up", "scroll('up')", "Scroll up"),
    _triage("page_down", "pagedown", "scroll('page_down')", "Page down"),
    _triage("page_up", "pageup", "scroll('page_up')", "Page up"),
    _triage("top", "g,home", "scroll('top')", "Top of the note"),
    _triage("bottom", "G,end", "scroll('bottom')", "End of the note"),
    _triage("leave", "escape,q", "leave", "Leave", "Back to the list"),
    *_pane(
        "help",
        "Help and dialogs",
        [
            ("help.close", "escape,q,question_mark", "close", "Close help"),
            ("help.down", "j,down", "scroll('down')", "Scroll down"),
            ("help.up", "k,up", "scroll('up')", "Scroll up"),
            ("help.page_down", "space,pagedown", "scroll('page_down')", "Page down"),
            ("help.page_up", "b,pageup", "scroll('page_up')", "Page up"),
            ("help.top", "g,home", "scroll('top')", "Top of the help"),
            ("help.bottom", "G,end", "scroll('bottom')", "End of the help"),
        ],
    ),
    *_pane(
        "confirm",
        "Help and dialogs",
        [
            ("confirm.yes", "y", "answer(True)", "Yes"),
            ("confirm.no", "n,escape", "answer(False)", "No"),
        ],
    ),
    *_pane("find", "Help and dialogs", [("find.cancel", "escape", "cancel", "Cancel finding")]),
)


def all_keys() -> tuple[Key, ...]:
    """Every key readerly binds, on every screen and widget."""
    return _ALL


def keys_for(scope: Scope) -> list[BindingType]:
    """The ``BINDINGS`` of one screen or widget (the app's keymap moves them by id)."""
    return [k.binding() for k in _ALL if k.scope == scope]


def binding_ids() -> dict[str, tuple[str, str]]:
    """Every id a ``[keymap]`` can move: id -> (default keys, description)."""
    return {k.id: (k.keys, k.description) for k in _ALL}


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
    "f3": "F3",
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
