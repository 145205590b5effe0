"""``python -m tests.durability.app_driver``: the real ReaderApp under Pilot, pressing triage keys.

It prints ``ready`` once the list is up, then for every change the app makes to the store
``try [[id, fields], ...]`` before the write and ``ack ...`` once ``update_many`` has
returned, i.e. once the change is durable. ``--count 0`` keeps pressing until killed.
Only the notes named by ``--notes`` are touched, so another writer can own the rest; on
those named by ``--star-only`` only the star is changed, so another writer can own the
other fields of the same notes.
Faults come from ``$READERLY_FAULTS`` (see ``faults``).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from tests.durability import faults
from tui.state.store import Record, StateStore
from tui.text.notes import Note
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.vault.index import Vault

KEYS = "mmsse1230u"  # read, star, archive, relevance levels, clear, undo


def _say(kind: str, payload: Any) -> None:
    sys.stdout.write(f"{kind} {orjson.dumps(payload).decode()}\n")
    sys.stdout.flush()


def report_changes(store: StateStore) -> None:
    """Make ``store`` print each change before it is written and once it is durable."""
    real = store.update_many

    def update_many(changes: Sequence[tuple[Note, Mapping[str, object]]]) -> list[Record]:
        _say("try", [[note.id, dict(fields)] for note, fields in changes])
        records = real(changes)
        # What the store now holds for each field asked for (normalised by the store).
        done = [
            [rec.id, {name: getattr(rec, name) for name in fields}]
            for rec, (_, fields) in zip(records, changes, strict=True)
        ]
        _say("ack", done)
        return records

    store.update_many = update_many  # type: ignore[method-assign]


async def drive(args: argparse.Namespace) -> None:
    """Press ``args.count`` random triage keys (forever if 0) on the allowed notes."""
    root, state = Path(args.vault), Path(args.state)
    faults.install(state)
    store = StateStore(state)
    report_changes(store)
    vault = Vault.open(root, use_cache=False)
    paths = args.notes.split(",") if args.notes else [note.path for note in vault.notes]
    allowed = [vault.by_path[path].id for path in paths]
    # Notes another writer shares: this one changes only their star.
    star_only = {vault.by_path[path].id for path in args.star_only.split(",") if path}
    app = ReaderApp(root, store, vault=vault, auto_mark_read=False)
    rng = random.Random(args.seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        print("ready", flush=True)
        pressed = 0
        while args.count == 0 or pressed < args.count:
            # An archived note leaves the list when the app starts again; skip those.
            listed = [i for i in (screen.rows.index_of(n) for n in allowed) if i is not None]
            if not listed:
                break
            screen.note_list.cursor = rng.choice(listed)
            note = screen.rows.note(screen.note_list.cursor)
            key = "s" if note is not None and note.id in star_only else rng.choice(KEYS)
            await pilot.press(key)
            pressed += 1
            if args.pause:
                await asyncio.sleep(args.pause)
        print("done", flush=True)
    store.close()


def main() -> None:
    """Parse the arguments and drive the app."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--vault", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--notes", default="", help="comma-separated paths the app may change")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--star-only", default="", help="comma-separated paths only starred")
    asyncio.run(drive(parser.parse_args()))


if __name__ == "__main__":
    main()
