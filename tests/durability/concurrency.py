"""Races: two writers toggling one state file at once, and a vault changing while indexed.

Each writer owns its own notes, and on a few shared notes its own fields, so "lost" is
well defined: once both have finished, every field must hold the value its owner last
acknowledged. A write based on stale data would put back the other writer's old value.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.durability.crash import Workspace, cli_runtime
from tests.durability.fixture_vault import CLI_CHANGES
from tests.durability.ledger import MISSING, Ledger

SHARED = 4  # notes both writers change, each its own fields


@dataclass
class RaceReport:
    """What a race harness did and found."""

    toggles: int = 0  # acknowledged changes, both writers together
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _cli_writer(
    ws: Workspace, owned: Mapping[str, tuple[str, ...]], runs: int, seed: int,
    ledger: Ledger, report: RaceReport,
) -> None:  # fmt: skip
    """``runs`` sequential ``readerly mark`` calls, each flipping one field it owns."""
    rng = random.Random(seed)
    for _ in range(runs):
        path = rng.choice(sorted(owned))
        name = rng.choice(owned[path])
        key = (ws.ids[path], name)
        current = ledger.acked.get(key, MISSING)
        flags, value = rng.choice([(f, v) for f, n, v in CLI_CHANGES if n == name and v != current])
        ledger.tried(ws.ids[path], {name: value})
        proc = ws.cli(path, flags)
        _, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            ledger.ack(ws.ids[path], {name: value})
        else:
            report.problems.append(f"mark {path} {' '.join(flags)}: exit {proc.returncode} {err}")


def _finish(ws: Workspace, ledgers: list[Ledger], report: RaceReport) -> RaceReport:
    for ledger in ledgers:
        report.toggles += ledger.acknowledged
        # Both writers are done, so nothing may differ from what was acknowledged.
        ledger.pending.clear()
        report.lost += ledger.check(ws.state, settle=False)
    ws.check_opens_cleanly(report)  # type: ignore[arg-type]
    return report


def cli_and_cli(work: Path, toggles: int, seed: int = 0) -> RaceReport:
    """Two streams of ``readerly mark`` processes, ``toggles`` in all, on one state file."""
    ws, report = Workspace(work), RaceReport()
    everything = ("status", "starred", "relevance")
    half = (len(ws.paths) - SHARED) // 2
    mine = {p: everything for p in ws.paths[:half]} | {p: ("starred",) for p in ws.paths[-SHARED:]}
    theirs = {p: everything for p in ws.paths[half:-SHARED]} | {
        p: ("status", "relevance") for p in ws.paths[-SHARED:]
    }
    ledgers = [Ledger(), Ledger()]
    threads = [
        threading.Thread(
            target=_cli_writer,
            args=(ws, owned, toggles // 2, seed + n, ledgers[n], report),
        )
        for n, owned in enumerate((mine, theirs))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _finish(ws, ledgers, report)


def app_and_cli(work: Path, toggles: int, seed: int = 0) -> RaceReport:
    """The app (under Pilot, in its own process) and ``readerly mark`` processes at once.

    The app presses triage keys on its notes and stars the shared ones; the CLI changes its
    own notes and the shared notes' status and relevance. Each does about ``toggles / 2``.
    """
    ws, report = Workspace(work), RaceReport()
    half = (len(ws.paths) - SHARED) // 2
    shared = ws.paths[-SHARED:]
    theirs = {p: ("status", "starred", "relevance") for p in ws.paths[half:-SHARED]} | {
        p: ("status", "relevance") for p in shared
    }
    pause = cli_runtime(ws)  # so the app's presses spread over the CLI's run
    app_ledger, cli_ledger = Ledger(), Ledger()
    app = ws.app(
        "--notes", ",".join(ws.paths[:half] + shared), "--star-only", ",".join(shared),
        "--count", str(toggles // 2), "--seed", str(seed), "--pause", f"{pause:.3f}",
    )  # fmt: skip
    assert app.stdout is not None
    first = app.stdout.readline()
    if first != "ready\n":
        app.communicate()
        errors = ws.app_errors.read_text(errors="replace")
        report.problems.append(f"app driver did not start: {first!r} {errors[-2000:]}")
        return report
    started = time.monotonic()
    _cli_writer(ws, theirs, toggles // 2, seed + 1, cli_ledger, report)
    out, _ = app.communicate(timeout=max(120.0, 4 * (time.monotonic() - started)))
    if app.returncode != 0:
        errors = ws.app_errors.read_text(errors="replace")
        report.problems.append(f"app driver exited {app.returncode}: {errors[-2000:]}")
    app_ledger.changes_from(out.splitlines())
    return _finish(ws, [app_ledger, cli_ledger], report)
