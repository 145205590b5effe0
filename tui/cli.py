"""The ``readerly`` command: open the reader, or list/show/mark/stats for scripts.

Exit codes: 0 success, 1 a failure (vault missing, note not found, state not writable),
2 bad usage. Errors go to stderr; nothing the user typed produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from tui import __version__
from tui.config import resolve_vault
from tui.notes import Note
from tui.query import StateView, facet_counts, parse_query, run_query
from tui.state import StateError, StateStore, default_state_path
from tui.vault import OpenInBackground, Vault

COMMANDS = ("list", "show", "mark", "stats", "keys", "serve", "open")
SORTS = ("date", "relevance", "title")


class UsageError(Exception):
    """Bad usage; exit code 2."""


class Failure(Exception):
    """Something the user can act on went wrong; exit code 1."""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault", metavar="PATH", help="vault folder (else $READERLY_VAULT)")
    common.add_argument("--state", metavar="PATH", help="state file (else $READERLY_STATE)")
    common.add_argument("--no-cache", action="store_true", help="index without the cache")
    parser = argparse.ArgumentParser(
        prog="readerly",
        description="A keyboard-first terminal reader for a folder of Markdown notes.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"readerly {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_open = sub.add_parser("open", parents=[common], help="open the reader (the default)")
    p_open.add_argument("path", nargs="?", metavar="VAULT")
    p_list = sub.add_parser("list", parents=[common], help="list notes")
    p_list.add_argument("--json", action="store_true", help="JSON array for scripts")
    p_list.add_argument(
        "--query", "-q", default="", metavar="Q", help="e.g. 'tag:python is:unread'"
    )
    p_list.add_argument("--sort", choices=SORTS, default="date")
    p_show = sub.add_parser("show", parents=[common], help="print a cleaned note")
    p_show.add_argument("note", metavar="NOTE", help="vault-relative path or id")
    p_mark = sub.add_parser("mark", parents=[common], help="change a note's read state")
    p_mark.add_argument("note", metavar="NOTE", help="vault-relative path or id")
    status = p_mark.add_mutually_exclusive_group()
    for flag, value in (("--read", "read"), ("--unread", "unread"), ("--archive", "archived")):
        status.add_argument(flag, dest="status", action="store_const", const=value)
    star = p_mark.add_mutually_exclusive_group()
    star.add_argument("--star", dest="starred", action="store_const", const=True)
    star.add_argument("--unstar", dest="starred", action="store_const", const=False)
    p_mark.add_argument(
        "--relevance", metavar="R", help="high|medium|low, 3/2/1, a symbol, or none"
    )
    p_stats = sub.add_parser("stats", parents=[common], help="counts by status, relevance, domain")
    p_stats.add_argument("--json", action="store_true")
    sub.add_parser("keys", parents=[common], help="print the key table as Markdown")
    p_serve = sub.add_parser("serve", parents=[common], help="serve the reader to a web browser")
    p_serve.add_argument("path", nargs="?", metavar="VAULT")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    return parser


def _split_argv(argv: list[str]) -> list[str]:
    """``readerly VAULT`` is short for ``readerly open VAULT``."""
    for arg in argv:
        if arg in ("-h", "--help", "--version"):
            return argv
        if arg.startswith("-"):
            continue
        return argv if arg in COMMANDS else ["open", *argv]
    return [*argv, "open"] if "--vault" not in argv else ["open", *argv]


def _open_vault(args: argparse.Namespace, explicit: str | None = None) -> Vault:
    root = resolve_vault(explicit or args.vault)
    if not root.is_dir():
        raise Failure(f"vault folder not found: {root} (give a folder of .md/.txt notes)")
    progress = _stderr_progress if sys.stderr.isatty() else None
    return Vault.open(root, use_cache=not args.no_cache, progress=progress)


def _stderr_progress(done: int, total: int) -> None:
    if total >= 2000:
        end = "\n" if done == total else ""
        print(f"\rindexing {done}/{total} notes", end=end, file=sys.stderr, flush=True)


def _open_store(args: argparse.Namespace) -> StateStore:
    path = Path(args.state).expanduser() if args.state else default_state_path()
    store = StateStore(path)
    for message in store.messages:
        print(f"readerly: {message}", file=sys.stderr)
    return store


def _find(vault: Vault, key: str) -> Note:
    note = vault.find(key)
    if note is None and Path(key).exists():
        # A path typed relative to the current folder, e.g. `readerly show seeds/x.md`.
        try:
            rel = Path(key).resolve().relative_to(vault.root.resolve())
        except ValueError:
            rel = None
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


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_list(args: argparse.Namespace) -> None:
    vault = _open_vault(args)
    store = _open_store(args)
    store.reconcile(vault.notes)
    state = store.snapshot()
    query = parse_query(args.query, vault.scale)
    search = vault.search if query.terms else None  # built only when text is searched
    indices = run_query(vault.notes, state, query, search=search, sort=args.sort, scale=vault.scale)
    notes = [vault.notes[i] for i in indices]
    if args.json:
        sys.stdout.write(orjson.dumps([note_json(n, state) for n in notes]).decode() + "\n")
        return
    for note in notes:
        mark = {"unread": "●", "read": " ", "archived": "▪"}.get(state.status(note), "?")
        star = "★" if state.starred(note) else " "
        rel = vault.scale.symbol(state.relevance(note)) or "  "
        _out(f"{note.id}  {mark}{star} {rel}  {note.date}  {note.domain[:16]:<16}  {note.title}")


def cmd_show(args: argparse.Namespace) -> None:
    vault = _open_vault(args)
    store = _open_store(args)
    note = _find(vault, args.note)
    body = vault.body(note)
    rel = store.relevance(note)
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
            _out(f"{label + ':':<11}{value}")
    for problem in note.problems:
        _out(f"{'Problem:':<11}{problem}")
    _out("")
    _out(body.rstrip("\n"))


def cmd_mark(args: argparse.Namespace) -> None:
    changes: dict[str, object] = {}
    if args.status:
        changes["status"] = args.status
    if args.starred is not None:
        changes["starred"] = args.starred
    vault = _open_vault(args)
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
            "nothing to change: give --read, --unread, --archive, --star, --unstar or --relevance R"
        )
    store = _open_store(args)
    note = _find(vault, args.note)
    try:
        store.update(note, **changes)
    except StateError as exc:
        raise Failure(str(exc)) from exc
    rel = store.relevance(note)
    star = ", starred" if store.starred(note) else ""
    _out(f"{note.path}: {store.status(note)}{star}, relevance {rel or 'none'}")


def cmd_stats(args: argparse.Namespace) -> None:
    vault = _open_vault(args)
    store = _open_store(args)
    store.reconcile(vault.notes)
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
        sys.stdout.write(orjson.dumps(data).decode() + "\n")
        return
    _out(f"notes     {data['notes']}")
    for section in ("status", "relevance", "domain"):
        _out(f"\n{section}")
        for key, count in data[section].items():  # type: ignore[attr-defined]
            _out(f"  {count:>6}  {key}")
    _out(f"\nnotes with problems: {data['problems']}")


def cmd_keys(args: argparse.Namespace) -> None:
    from tui.keys import keys_markdown  # the key table lives with the UI bindings

    _out(keys_markdown().rstrip("\n"))


def cmd_serve(args: argparse.Namespace) -> None:
    from tui.serve import serve  # web mode pulls in its own server stack only when asked

    serve(args)


def cmd_open(args: argparse.Namespace) -> None:
    root = resolve_vault(getattr(args, "path", None) or args.vault)
    if not root.is_dir():
        raise Failure(f"vault folder not found: {root} (give a folder of .md/.txt notes)")
    # Indexing starts before the UI is even imported; the window comes up meanwhile and
    # shows progress, so a big vault never keeps the screen blank.
    loading = OpenInBackground(root, use_cache=not args.no_cache)
    store = _open_store(args)
    from tui.app import ReaderApp  # the UI is imported only when it is wanted

    ReaderApp(root, store, use_cache=not args.no_cache, loading=loading).run()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(_split_argv(list(sys.argv[1:] if argv is None else argv)))
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    handlers = {
        "list": cmd_list,
        "show": cmd_show,
        "mark": cmd_mark,
        "stats": cmd_stats,
        "keys": cmd_keys,
        "serve": cmd_serve,
        "open": cmd_open,
    }
    try:
        handlers[args.command](args)
    except UsageError as exc:
        print(f"readerly: {exc}", file=sys.stderr)
        return 2
    except (Failure, StateError, FileNotFoundError) as exc:
        print(f"readerly: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `readerly list | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0
    return 0
