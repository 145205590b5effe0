"""``readerly state``: merge, export, import and describe the reading state; a git merge driver.

Every command that opens the state merges the conflict copies a sync engine left beside it
first (as every other command does). ``git-merge`` touches only the three files git names.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from tui.cli.errors import Failure
from tui.cli.notes import open_store, settings_for
from tui.cli.output import out
from tui.state.conflicts import find_copies, merged_copies, read_state_bytes
from tui.state.durable import read_regular, write_atomic
from tui.state.files import StateError
from tui.state.journal import NOTES, CorruptFileError, Tree
from tui.state.portable import as_tree, export_csv, export_json, parse_export
from tui.state.record import merge_tables
from tui.state.store import StateStore
from tui.state.sync import last_merge, merge_trees
from tui.text.hygiene import clean_line, drop_unsafe
from tui.vault.loader import note_id

# Characters a terminal could act on, escaped inside JSON strings: lossless, since JSON
# reads \\uXXXX back as the same character.
_UNSAFE_IN_JSON = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"
)


def add_state_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``state`` and its subcommands to the ``readerly`` parser."""
    p_state = sub.add_parser(
        "state", parents=[common], help="reading state: merge, export, import, info"
    )
    what = p_state.add_subparsers(dest="state_command", metavar="WHAT", required=True)
    p_merge = what.add_parser("merge", parents=[common], help="merge other state files in")
    p_merge.add_argument("files", nargs="+", metavar="FILE")
    p_export = what.add_parser("export", parents=[common], help="print the state, portable")
    p_export.add_argument("--format", choices=("json", "csv"), default="json")
    p_import = what.add_parser("import", parents=[common], help="merge an export in")
    p_import.add_argument("file", metavar="FILE")
    what.add_parser("info", parents=[common], help="where the state is, device, records")
    p_git = what.add_parser(
        "git-merge", help="git merge driver: readerly state git-merge %%O %%A %%B"
    )
    p_git.add_argument("base", metavar="O")
    p_git.add_argument("ours", metavar="A")
    p_git.add_argument("theirs", metavar="B")


def _shown(value: object) -> str:
    """Any text from a file or an argument, safe to print on one terminal line."""
    return clean_line(str(value))


def _read_tree(path: Path) -> Tree:
    try:
        raw = read_regular(path)
    except OSError as err:
        raise Failure(f"cannot read {_shown(path)}: {err.strerror or err}") from err
    try:
        return read_state_bytes(raw)
    except CorruptFileError as err:
        raise Failure(f"{_shown(path)} is not a reading-state file: {_shown(err)}") from err


def cmd_state(args: argparse.Namespace) -> None:
    """Run ``readerly state WHAT``."""
    if args.state_command == "git-merge":
        git_merge(Path(args.ours), Path(args.theirs))
        return
    settings = settings_for(args)
    store = open_store(settings)
    if args.state_command == "merge":
        paths = [Path(p) for p in args.files]
        trees = [_read_tree(p) for p in paths]
        changed = _merge(store, trees, [p.name for p in paths])
        out(f"merged {len(trees)} files into {_shown(store.path)}: {changed} records changed")
    elif args.state_command == "import":
        path = Path(args.file)
        try:
            tree = as_tree(parse_export(read_regular(path)), note_id)
        except OSError as err:
            raise Failure(f"cannot read {_shown(path)}: {err.strerror or err}") from err
        except CorruptFileError as err:
            raise Failure(f"{_shown(path)} cannot be imported: {_shown(err)}") from err
        changed = _merge(store, [tree], [path.name])
        out(f"imported {len(tree[NOTES])} records from {_shown(path)}: {changed} changed")
    elif args.state_command == "export":
        records = store.all().values()
        if args.format == "csv":
            text = export_csv(records)
            sys.stdout.write("\n".join(drop_unsafe(line) for line in text.split("\n")))
        else:
            text = export_json(records).decode()
            sys.stdout.write(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text))
    else:
        _info(store)


def _merge(store: StateStore, trees: list[Tree], names: list[str]) -> int:
    try:
        count = merge_trees(store.file, trees, device=store.device.id, sources=names)
    except StateError as err:
        raise Failure(str(err)) from err
    return count


def _info(store: StateStore) -> None:
    file = store.file
    where = _shown(store.path)
    if file.real != store.path:
        where += f" -> {_shown(file.real)}"
    device = store.device
    records = store.all()
    out(f"state            {where}{' (read-only)' if store.read_only else ''}")
    out(f"device           {_shown(device.name)} ({device.id})")
    out(f"records          {len(records)}")
    out(f"journal entries  {file.storage.journal_lines} not yet folded into the state file")
    merge: Mapping[str, Any] | None = last_merge(file)
    if merge is None:
        out("last merge       never")
    else:
        at = merge.get("at")
        when = (
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))
            if isinstance(at, int | float) and 0 <= at < 1e11
            else "?"
        )
        names = merge.get("from") or []
        sources = ", ".join(_shown(n) for n in names if isinstance(n, str)) or "?"
        out(f"last merge       {when} from {sources} (device {_shown(merge.get('device'))})")
    waiting = find_copies(file.real, file.storage.journal_path)
    kept = merged_copies(file.real)
    out(f"conflict copies  {len(waiting)} waiting, {len(kept)} merged and kept in "
        f"{_shown(file.real.parent / 'merged')}")  # fmt: skip


def git_merge(ours: Path, theirs: Path) -> None:
    """Merge ``theirs`` into ``ours`` and write the result to ``ours`` (git's %A).

    The common ancestor is not needed: every field's stamp says which side wins.
    """
    mine, other = _read_tree(ours), _read_tree(theirs)
    notes = mine.setdefault(NOTES, {})
    incoming = other.get(NOTES, {})
    merge_tables(notes, incoming if isinstance(incoming, dict) else {})
    try:
        write_atomic(ours, orjson.dumps(mine))
    except OSError as err:
        raise Failure(f"cannot write {_shown(ours)}: {err.strerror or err}") from err
