"""Reading-state figures for a shared state: opening, replaying, polling, merging a copy.

Each is measured beside ``state_parse_s``, reading the snapshot's bytes and parsing them with
orjson, which is the least any open could cost.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from tui.state.device import Device
from tui.state.store import StateStore
from tui.text.notes import Note

HERE = Device("a" * 16, "bench here")
THERE = Device("b" * 16, "bench there")


def _notes(count: int) -> list[Note]:
    return [
        Note(
            id=f"{i:012x}", path=f"n/{i}.md", title="t", date="2026-01-01", source=f"https://e/{i}"
        )
        for i in range(count)
    ]


def _median(run: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench_state(records: int) -> dict[str, float]:
    """Open, replay, poll and conflict-copy merge times with ``records`` records."""
    notes = _notes(records)
    with tempfile.TemporaryDirectory() as tmp:
        here, there = Path(tmp) / "here" / "state.json", Path(tmp) / "there" / "state.json"
        with StateStore(here, device=HERE) as store:
            store.update_many([(n, {"status": "read"}) for n in notes])
        with StateStore(there, device=THERE) as store:
            store.update_many([(n, {"starred": True, "position": 3.0}) for n in notes])

        def parse() -> None:
            orjson.loads(here.read_bytes())

        def open_close() -> None:
            StateStore(here, device=HERE).all()

        figures = {"state_parse_s": _median(parse), "state_open_s": _median(open_close)}

        # A journal of one entry per record, as a reader left it after that many changes:
        # each line holds the whole record, with later stamps than the snapshot's.
        journal = here.with_name("state.json.journal")
        later = {"status": "read", "starred": True, "stamps": {"status": 2e9, "starred": 2e9}}
        lines = [orjson.dumps({"notes": {n.id: {"path": n.path, **later}}}) for n in notes]
        journal.write_bytes(b"\n".join(lines) + b"\n")
        figures["state_open_journal_s"] = _median(open_close)
        journal.unlink()

        store = StateStore(here, device=HERE)
        figures["state_poll_s"] = _median(store.poll, repeat=20)
        store.close()

        def merge_copy() -> None:
            work = Path(tmp) / "merge"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            shutil.copy(here, work / "state.json")
            shutil.copy(there, work / "state.sync-conflict-20260102-101112-BBBBBBB.json")
            start = time.perf_counter()
            with StateStore(work / "state.json", device=HERE):
                pass
            merged.append(time.perf_counter() - start)

        merged: list[float] = []
        for _ in range(3):
            merge_copy()
        figures["state_merge_copy_s"] = statistics.median(merged)
    return figures
