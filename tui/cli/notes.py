"""The commands for scripts (list, show, mark, stats) and what every command shares.

Settings come from :mod:`tui.config.settings`; warnings and errors go to stderr, results to
stdout, so
``readerly list | head`` and ``--json`` stay clean.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from tui.cli.errors import Failure, UsageError
from tui.cli.output import Styled, out, out_json, warn
from tui.config.settings import Loaded, Settings, config_path, load_config, with_overrides
from tui.query.facets import facet_counts
from tui.query.query import SORTS, StateView, parse_query, run_query
from tui.state.store import StateError, StateStore
from tui.text.hygiene import terminal_safe
from tui.text.notes import Note
from tui.vault.index import Vault

__all__ = ["SORTS", "Failure", "UsageError", "cmd_list", "cmd_mark", "cmd_show", "cmd_stats"]


def load(args: argparse.Namespace) -> Loaded:
    """Read the config file this run uses (``--config``, ``$READERLY_CONFIG`` or the default)."""
    return load_config(config_path(args.config), must_exist=bool(args.config))


def settings_for(args: argparse.Namespace, loaded: Loaded | None = None) -> Settings:
    """The settings for this run; config warnings go to stderr and never stop the command."""
    loaded = loaded or load(args)
    for message in loaded.warnings:
        warn(message)
    positional = getattr(args, "path", None)
    settings = with_overrides(loaded.settings, vault=positional or args.vault, state=args.state)
    if positional:
        # `readerly PATH` names the vault as an argument, not with --vault: say so in messages.
        settings = replace(settings, sources={**settings.sources, "vault": "the command line"})
    return settings


def open_vault(args: argparse.Namespace, settings: Settings) -> Vault:
    """Index the vault the settings name; progress on stderr only when it is a terminal."""
    root = existing_vault(settings)
    progress = _stderr_progress if sys.stderr.isatty() else None
    return Vault.open(
        root,
        use_cache=not args.no_cache,
        progress=progress,
        scale=settings.scale,
        skip=settings.skip,
    )


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; a name the system refuses (too long, say) does not."""
    try:
        return path.exists()
    except OSError:
        return False


def existing_vault(settings: Settings) -> Path:
    """The vault folder, or a Failure that says where the missing path came from."""
    root = settings.vault
    assert root is not None  # settled by with_overrides
    try:
        is_dir = root.is_dir()
    except OSError:  # e.g. a name too long for the file system: not a folder either
        is_dir = False
    if not is_dir:
        origin = settings.source("vault")
        given = "" if origin in ("default", "the command line") else f", from {origin}"
        if _exists(root):
            raise Failure(
                f"{root} is a file, not a folder{given}; give the folder of .md/.txt notes "
                "(to print one note: readerly show NOTE)"
            )
        raise Failure(f"vault folder not found: {root}{given} (give a folder of .md/.txt notes)")
    return root


def _stderr_progress(done: int, total: int) -> None:
    if total >= 2000:
        end = "\n" if done == total else ""
        print(f"\rindexing {done}/{total} notes", end=end, file=sys.stderr, flush=True)


_OPENED: list[StateStore] = []


def open_store(settings: Settings) -> StateStore:
    """The state store the settings name; its notices go to stderr. Closed by close_stores."""
    assert settings.state is not None  # settled by with_overrides
    store = StateStore(settings.state)
    _OPENED.append(store)
    for message in store.messages:
        warn(message)
    return store


def reconcile_or_warn(store: StateStore, notes: list[Note]) -> None:
    """Follow renamed notes if the state can be changed now; else say why and read on.

    For commands that only read: a state locked by a stopped process, or one that cannot be
    written, must not keep them from answering from the state as it is.
    """
    try:
        store.reconcile(notes, timeout=1.0)
    except StateError as exc:
        warn(f"{exc} Answering from the state as it is.")


def close_stores() -> None:
    """Close every store this command opened: the journal is folded into the state file."""
    while _OPENED:
        _OPENED.pop().close()


def _find(vault: Vault, key: str) -> Note:
    note = vault.find(key)
    if note is None:
        # A path typed relative to the current folder, e.g. `readerly show seeds/x.md`.
        try:
            rel = Path(key).resolve(strict=True).relative_to(vault.root.resolve())
        except (OSError, ValueError, RuntimeError):
            rel = None  # not a path here (missing, too long, a loop, outside the vault)
        note = vault.find(rel.as_posix()) if rel else None
    if note is None:
        raise Failure(f"no note {key!r} in {vault.root} (use a vault-relative path or an id)")
    return note


def note_json(note: Note, store: StateView) -> dict[str, Any]:
    """The JSON object ``readerly list --json`` prints for one note."""
    return {
        "id": note.id,
        "path": note.path,
        "title": note.title,
        "date": note.date,
        "domain": note.domain,
        "relevance": store.relevance(note),
        "tags": note.tags,
        "status": store.status(note),
        "starred": store.starred(note),
        "source": note.source,
        "links": [{"target": link.target, "path": link.path} for link in note.links],
        "problems": note.problems,
    }


def cmd_list(args: argparse.Namespace) -> None:
    settings = settings_for(args)
    vault = open_vault(args, settings)
    store = open_store(settings)
    reconcile_or_warn(store, vault.notes)
    state = store.snapshot()
    query = parse_query(args.query, vault.scale)
    for problem in query.problems:
        warn(problem)
    if query.has_text:  # the index is opened (or built) only when words are searched
        engine_notices(vault)
    search = vault if query.has_text else None
    indices = run_query(vault.notes, state, query, search=search, sort=args.sort, scale=vault.scale)
    notes = [vault.notes[i] for i in indices]
    if args.ids:
        for note in notes:
            out(note.id)
        return
    if args.json:
        out_json([note_json(n, state) for n in notes])
        return
    paint = colour_wanted(sys.stdout)
    # Without colour, 🔴 🟡 🟢 look alike: show each level's letter instead.
    scale = vault.scale.with_letters() if no_colour() else vault.scale
    width = max((_width(scale.symbol(level.name)) for level in scale.levels), default=2)
    for note in notes:
        status = state.status(note)
        mark = {"unread": "●", "read": " ", "archived": "▪"}.get(status, "?")
        star: str | Styled = " "
        if state.starred(note):
            star = Styled("★", "33", "39") if paint else "★"
        # The relevance comes from the state file, which may hold anything: measured and
        # printed only once made inert.
        rel = terminal_safe(scale.symbol(state.relevance(note)))
        rel += " " * (width - _width(rel))
        rest = f" {rel}  {note.date}  {note.domain[:16]:<16}  {note.title}"
        # Read and archived notes are dimmed.
        out(f"{note.id}  {mark}", star, rest, dim=paint and status != "unread")


def engine_notices(vault: Vault) -> None:
    """Open the full-text index now (progress on a terminal) and say if it was rebuilt."""
    progress = _stderr_progress if sys.stderr.isatty() else None
    engine = vault.refresh_engine(progress=progress)
    if engine.notice:
        warn(engine.notice)


def no_colour() -> bool:
    """Whether the user asked for no colour (``NO_COLOR`` set to anything but empty)."""
    return bool(os.environ.get("NO_COLOR"))


def colour_wanted(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set or ``TERM=dumb``."""
    if no_colour() or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(text: str) -> int:
    """Terminal columns of a short string: wide (emoji, CJK) characters take two."""
    return sum(
        0
        if unicodedata.combining(c) or c in "\ufe0f\u200d"
        else 2
        if unicodedata.east_asian_width(c) in "WF"
        else 1
        for c in text
    )


def cmd_show(args: argparse.Namespace) -> None:
    settings = settings_for(args)
    vault = open_vault(args, settings)
    store = open_store(settings)
    note = _find(vault, args.note)
    body = vault.body(note)
    rel = store.relevance(note)
    if getattr(args, "rendered", False):
        _show_rendered(args, vault, note, body, f"{vault.scale.symbol(rel)}" if rel else "")
        return
    fields = [
        ("Title", note.title),
        ("Date", note.date),
        ("Domain", note.domain),
        ("Relevance", f"{vault.scale.symbol(rel)} {rel}" if rel else ""),
        ("Tags", " ".join(note.tags)),
        ("Source", note.source),
        ("Status", store.status(note) + (", starred" if store.starred(note) else "")),
        ("Path", note.path),
        ("Id", note.id),
    ]
    for label, value in fields:
        if value:
            out(f"{label + ':':<11}{value}")
    for problem in note.problems:
        out(f"{'Problem:':<11}{problem}")
    out("")
    out(body.rstrip("\n"))


def _show_rendered(
    args: argparse.Namespace, vault: Vault, note: Note, body: str, symbol: str
) -> None:
    """``show --rendered``: the note as the article pane lays it out."""
    width = args.width
    if width is None:
        width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    if not 10 <= width <= 1000:
        raise UsageError(f"--width {width} is out of range; give 10 to 1000 columns")
    # Imported here: the renderer brings in rich, which the other commands never need.
    from tui.ui.widgets.article.printout import rendered_lines
    from tui.ui.widgets.article.render import source_host
    from tui.ui.widgets.article.sources import VaultSources

    details = [note.date, note.domain, symbol, source_host(note.source)]
    colour = colour_wanted(sys.stdout)
    sources = VaultSources(lambda: vault)
    for line in rendered_lines(note, body, width, colour=colour, sources=sources, details=details):
        out(line)
    for problem in note.problems:
        warn(f"{note.path}: {problem}")


def cmd_mark(args: argparse.Namespace) -> None:
    changes: dict[str, object] = {}
    if args.status:
        changes["status"] = args.status
    if args.starred is not None:
        changes["starred"] = args.starred
    settings = settings_for(args)
    vault = open_vault(args, settings)
    if args.relevance is not None:
        value = args.relevance.strip()
        if value.lower() in ("", "none", "0", "clear"):
            changes["relevance"] = None
        else:
            level = vault.scale.level(vault.scale.normalise(value))
            if level is None:
                names = ", ".join(lv.name for lv in vault.scale.levels)
                raise UsageError(f"unknown relevance {value!r}; use one of {names} or none")
            changes["relevance"] = level.name
    if not changes:
        raise UsageError(
            "nothing to change: give --read, --unread, --archive, --unarchive, --star, --unstar"
            " or --relevance R"
        )
    # Every note is found before any is changed: a typo in one changes none of them.
    found: dict[str, Note] = {}
    for key in _note_keys(args.notes):
        note = _find(vault, key)
        found.setdefault(note.id, note)  # a note named twice is changed once
    notes = list(found.values())
    store = open_store(settings)
    planned = [(note, changes) for note in notes]
    if changes.get("status") == "unarchive":
        # Each archived note gets back the status it had; the others keep theirs.
        rest = {k: v for k, v in changes.items() if k != "status"}
        planned = [
            (n, {**rest, "status": store.unarchived_status(n)})
            if store.status(n) == "archived"
            else (n, rest)
            for n in notes
        ]
    try:
        store.update_many(planned)
    except StateError as exc:
        raise Failure(str(exc)) from exc
    for note in notes:
        rel = store.relevance(note)
        star = ", starred" if store.starred(note) else ""
        out(f"{note.path}: {store.status(note)}{star}, relevance {rel or 'none'}")


def _note_keys(given: list[str]) -> list[str]:
    """The notes named on the command line; ``-`` stands for the ids on stdin.

    Each stdin line's first word is taken, so both ``list --ids`` and plain ``list``
    output can be piped in.
    """
    keys: list[str] = []
    for key in given:
        if key != "-":
            keys.append(key)
            continue
        read = [line.split()[0] for line in sys.stdin if line.strip()]
        if not read:
            raise UsageError("no note ids on stdin (pipe in `readerly list --ids`)")
        keys += read
    return keys


def cmd_stats(args: argparse.Namespace) -> None:
    settings = settings_for(args)
    vault = open_vault(args, settings)
    store = open_store(settings)
    reconcile_or_warn(store, vault.notes)
    every = list(range(len(vault.notes)))
    facets = facet_counts(vault.notes, store.snapshot(), every, vault.scale)
    data = {
        "notes": len(vault.notes),
        "status": {f.value: f.total for f in facets.status},
        "relevance": {f.value: f.total for f in facets.relevance if f.total},
        "domain": {f.value: f.total for f in facets.domains},
        "problems": sum(1 for n in vault.notes if n.problems),
    }
    if args.json:
        out_json(data)
        return
    out(f"notes     {data['notes']}")
    for section in ("status", "relevance", "domain"):
        out(f"\n{section}")
        for key, count in data[section].items():  # type: ignore[attr-defined]
            out(f"  {count:>6}  {key}")
    out(f"\nnotes with problems: {data['problems']}")
