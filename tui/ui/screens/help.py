"""The help screen: every key, generated from the bindings (never a hand-kept table)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.keys import PANE_SCOPES, all_keys, display_keys, grouped, keys_for

PANE_GROUP = "In the focused pane"
QUERY_SYNTAX = (
    ("words", "all must appear in the title, tags, domain or body"),
    ('"exact phrase"', "words in this order"),
    ("is:unread is:read", "by status (is:archived shows the archive)"),
    ("is:starred", "starred notes"),
    ("rel:high rel:1", "by relevance: a name, symbol or number (1 = top)"),
    ("rel:none", "notes without relevance"),
    ("tag:python", "by tag (with or without #)"),
    ("domain:SQL", "by domain"),
    ("title:word path:part", "in the title; in the path"),
    ("date:2026-11 after:7d", "by date (also before:)"),
    ("-word  a OR b", "leave a word out; either one"),
    ("-tag:x -domain:x", "- before a filter: leave it out"),
    ("-is:read not:read", "also -path: -title: -rel: -date:"),
)
"""The search box's syntax, for the help screen: (what to type, what it finds)."""
QUERY_NOTE = (
    "Filters of one kind are alternatives (tag:a tag:b is either tag); different kinds, "
    "negated filters and words must all hold. Archived notes stay hidden unless the query "
    "names a status."
)
_SCROLLS = {
    "down": "scroll_down",
    "up": "scroll_up",
    "page_down": "scroll_page_down",
    "page_up": "scroll_page_up",
    "top": "scroll_home",
    "bottom": "scroll_end",
}


def pane_rows(active: Mapping[str, ActiveBinding]) -> list[tuple[str, str]]:
    """Bindings active right now that readerly's key table does not list (Textual's own, such
    as the search box's editing keys). Keys sharing one binding are shown together."""
    known = {key.id for key in all_keys()}
    by_id: dict[str, tuple[list[str], str]] = {}
    for key, active_binding in active.items():
        binding: Binding = active_binding.binding
        if binding.system or not binding.description or binding.id in known:
            continue
        ident = binding.id or f"{binding.action}:{binding.description}"
        keys, _ = by_id.setdefault(ident, ([], binding.tooltip or binding.description))
        keys.append(key)
    return [(display_keys(",".join(keys)), text) for keys, text in by_id.values()]


def help_sections(
    active: Mapping[str, ActiveBinding], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """What the help screen shows: readerly's keys that work here, by group, then the focused
    pane's own."""
    # A scope (the main screen, the app, a pane) is live when any of its keys is bound right
    # now; its other keys may be shadowed by the focused widget's, and still belong in help.
    live = {b.binding.id for b in active.values() if b.binding.id}
    scopes = {key.scope for key in all_keys() if key.id in live}
    screen_keys = [k for k in all_keys() if k.scope in scopes and k.scope not in PANE_SCOPES]
    sections = grouped(screen_keys, keymap)
    pane_keys = [k for k in all_keys() if k.scope in scopes and k.scope in PANE_SCOPES]
    extra = [row for _, rows in grouped(pane_keys, keymap) for row in rows] + pane_rows(active)
    if extra:
        sections.append((PANE_GROUP, extra))
    return sections


def _table(rows: list[tuple[str, str]]) -> Content:
    width = max(cell_len(keys) for keys, _ in rows)
    lines = [f"  {keys}{' ' * (width - cell_len(keys))}   {text}" for keys, text in rows]
    return Content("\n".join(lines))


class HelpScreen(ModalScreen[None]):
    """Lists every key by group; Escape, ``q`` or ``?`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("help")

    def __init__(
        self, active: Mapping[str, ActiveBinding], keymap: Mapping[str, str] | None = None
    ) -> None:
        super().__init__()
        self.sections = help_sections(active, keymap)

    def compose(self) -> ComposeResult:
        """One heading and one aligned table per group."""
        with VerticalScroll(id="help-body"):
            yield Static(Content("readerly — keys"), id="help-title")
            for title, rows in self.sections:
                yield Static(Content(title), classes="help-group")
                yield Static(_table(rows), classes="help-keys")
            yield Static(Content("Search and filter (/)"), classes="help-group")
            yield Static(_table(list(QUERY_SYNTAX)), classes="help-keys")
            yield Static(Content(QUERY_NOTE), classes="help-note")
            yield Static(
                Content("Every action is also in the command palette (Ctrl+P)."),
                id="help-footnote",
            )

    def on_mount(self) -> None:
        """Focus the scroll area so arrow keys and PgDn scroll the list."""
        self.query_one("#help-body", VerticalScroll).focus()

    def action_scroll(self, where: str) -> None:
        """Scroll the help like a pager: j/k, Space/b, g/G as well as the arrows and PgDn."""
        body = self.query_one("#help-body", VerticalScroll)
        method = _SCROLLS.get(where)
        if method is not None:
            getattr(body, method)(animate=False)

    def action_close(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
