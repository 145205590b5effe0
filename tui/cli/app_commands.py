"""The commands that start or describe the reader: open, serve, keys, config.

The UI's modules are imported inside the functions, so ``readerly list`` never pays for them.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from tui.cli.notes import existing_vault, load, no_colour, open_store, settings_for
from tui.cli.output import out, warn
from tui.config.settings import ENV_CONFIG, check_keymap, check_theme, settings_toml
from tui.text.hygiene import terminal_safe
from tui.vault.background import OpenInBackground

if TYPE_CHECKING:
    from tui.ui.app import ReaderApp


def bindings() -> dict[str, tuple[str, str]]:
    """Every binding id a ``[keymap]`` can move: id -> (default keys, description)."""
    from tui.ui.keys import binding_ids  # the one key registry (it needs Textual's Binding)

    return binding_ids()


def defaults(known: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The default keys of each binding id, for checking a keymap for clashes."""
    return {ident: keys for ident, (keys, _) in known.items()}


def cmd_keys(args: argparse.Namespace) -> None:
    from tui.ui.keys import keys_markdown  # the key table lives with the UI bindings

    loaded = load(args)
    known = bindings()
    checked = check_keymap(loaded, known, defaults(known)) if loaded.settings.keymap else loaded
    for message in checked.warnings[len(loaded.warnings) :]:
        warn(message)
    keymap = checked.settings.keymap  # the keys as this user has them, not the defaults
    if args.ids:
        for ident, (keys, text) in sorted(known.items()):
            out(f"{ident:<24} {keymap.get(ident, keys):<16} {text}")
        return
    out(keys_markdown(keymap).rstrip("\n"))


def cmd_config(args: argparse.Namespace) -> None:
    loaded = load(args)
    if args.config_command == "path":
        out(str(loaded.path))
        return
    from textual.theme import BUILTIN_THEMES  # checking ids and themes needs the UI's names

    if loaded.settings.keymap:
        known = bindings()
        checked = check_keymap(loaded, known, defaults(known))
    else:
        checked = loaded
    checked = check_theme(checked, BUILTIN_THEMES)
    settings = settings_for(args, checked)
    out(settings_toml(settings, loaded.path, loaded.found).rstrip("\n"))


def cmd_serve(args: argparse.Namespace) -> None:
    from tui.cli.serve import serve  # web mode pulls in its own server stack only when asked

    loaded = load(args)
    settings = settings_for(args, loaded)
    existing_vault(settings)  # a missing folder or a file is said now, not by each tab
    # Each browser session is a new `readerly open`: give it the same vault, state and config.
    args.vault = args.path = str(settings.vault)
    args.state = str(settings.state)
    os.environ[ENV_CONFIG] = str(loaded.path)
    serve(args)


def build_app(args: argparse.Namespace) -> ReaderApp:
    """The reader for ``readerly open``, with the settings applied, not yet running."""
    loaded = load(args)
    settings = settings_for(args, loaded)
    root = existing_vault(settings)
    # Without colour, 🔴 🟡 🟢 differ by nothing: the reader shows the levels' letters.
    scale = settings.scale.with_letters() if no_colour() else settings.scale
    # Indexing starts before the UI is even imported; the window comes up meanwhile and
    # shows progress, so a big vault never keeps the screen blank.
    loading = OpenInBackground(root, use_cache=not args.no_cache, scale=scale, skip=settings.skip)
    store = open_store(settings)
    from tui.ui.app import ReaderApp  # the UI is imported only when it is wanted

    if loaded.settings.keymap:
        known = bindings()
        checked = check_keymap(loaded, known, defaults(known))
    else:
        checked = loaded
    app = ReaderApp(
        root,
        store,
        use_cache=not args.no_cache,
        auto_mark_read=settings.auto_mark_read,
        watch=settings.watch,
        scale=scale,
        keymap=checked.settings.keymap,
        views=settings.views,
        loading=loading,
        fetch=settings.fetch,
    )
    app.main.similar = settings.similar
    checked = check_theme(checked, app.available_themes)
    app.theme = checked.settings.theme
    for message in checked.warnings[len(loaded.warnings) :]:
        warn(message)
    for message in checked.warnings:
        # stderr is hidden while the window is up, so the window says it too.
        # It names paths and keys as written, which may hold escape sequences.
        shown = terminal_safe(message, escape=True)
        app.notify(shown, title="Config", severity="warning", markup=False, timeout=10)
    return app


def cmd_open(args: argparse.Namespace) -> None:
    build_app(args).run()
