"""``readerly index`` (build, rebuild, describe the full-text index) and ``readerly similar``."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from tui.cli.errors import UsageError
from tui.cli.notes import (
    _find,
    _stderr_progress,
    engine_notices,
    open_store,
    open_vault,
    settings_for,
)
from tui.cli.output import out, out_json, warn


def add_parsers(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """The ``index`` and ``similar`` commands."""
    p_index = sub.add_parser("index", parents=[common], help="build or describe the search index")
    p_index.add_argument("--rebuild", action="store_true", help="throw it away and build it again")
    p_index.add_argument("--stats", action="store_true", help="what it holds and its size")
    p_similar = sub.add_parser("similar", parents=[common], help="the notes most like a note")
    p_similar.add_argument("note", metavar="NOTE", help="vault-relative path or id")
    p_similar.add_argument("--json", action="store_true", help="JSON array for scripts")
    p_similar.add_argument("--limit", type=int, default=5, metavar="N", help="how many (5)")


def cmd_index(args: argparse.Namespace) -> None:
    """Bring the index up to date (or rebuild it) and say what was done."""
    settings = settings_for(args)
    vault = open_vault(args, settings)
    started = time.perf_counter()
    if args.rebuild:
        progress = _stderr_progress if sys.stderr.isatty() else None
        engine = vault.rebuild_engine(progress=progress)
        if engine.notice:
            warn(engine.notice)
    else:
        engine_notices(vault)
        engine = vault.engine
    seconds = time.perf_counter() - started
    report = vault.engine_report
    if report is not None and not report.written:
        warn("another readerly holds the index; nothing was written (try again later)")
    if args.stats:
        vault_bytes = sum(n.size for n in vault.notes)
        disk = engine.disk_bytes()
        ratio = f" ({disk / vault_bytes:.2f}x the notes)" if vault_bytes else ""
        out(f"notes        {len(vault.notes)}")
        out(f"indexed      {len(engine)}")
        out(f"on disk      {disk / 1e6:.1f} MB{ratio}")
        out(f"where        {engine.path if engine.path else '(in memory: --no-cache)'}")
    if report is not None:
        out(f"{report.added} read, {report.removed} dropped in {seconds:.2f} s")


def cmd_similar(args: argparse.Namespace) -> None:
    """Print the notes of the vault most like the given one."""
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    settings = settings_for(args)
    vault = open_vault(args, settings)
    note = _find(vault, args.note)
    engine_notices(vault)
    found = vault.similar(note, limit=min(args.limit, 1000))
    if not found:
        # An empty answer is an answer: scripts still get their JSON array below.
        warn("no other note of the vault is much like this one")
    if args.json:
        store = open_store(settings)
        rows = [
            {
                "id": n.id,
                "path": n.path,
                "title": n.title,
                "date": n.date,
                "status": store.status(n),
            }
            for n in found
        ]
        out_json(rows)
        return
    for other in found:
        out(f"{other.id}  {other.date}  {other.title}")
