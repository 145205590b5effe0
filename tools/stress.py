"""``make stress``: the long runs of the durability and safety harnesses, and their figures.

Prints how many writers were killed, how many acknowledged or concurrent changes were lost,
how many hostile inputs were tried and how many control characters reached the terminal,
and how many reads of a note swapped for a link out of the vault leaked, hung or crashed;
exits 1 if any figure that must be 0 is not, or a harness could not check what it should.
``--quick`` runs the sizes ``make test`` uses.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tests.durability.churn import vault_churn
from tests.durability.concurrency import app_and_cli, cli_and_cli
from tests.durability.crash import CrashReport, inject_crashes, kill_app, kill_cli
from tests.security.swap import symlink_swap

_T = TypeVar("_T")
LONG = {"cli_kills": 100, "app_kills": 60, "rounds": 4, "toggles": 500, "opens": 200}
LONG |= {"swap_reads": 5000, "swap_shows": 150}
QUICK = {"cli_kills": 10, "app_kills": 3, "rounds": 1, "toggles": 50, "opens": 15}
QUICK |= {"swap_reads": 300, "swap_shows": 3}
SWAP_SECONDS = 240  # the race stops there even if the machine is slow


def timed(label: str, run: Callable[[Path], _T]) -> _T:
    """Run one harness in a fresh folder, saying what it is and how long it took."""
    print(f"  {label} ...", end="", flush=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="readerly-stress-") as work:
        result = run(Path(work))
    print(f" {time.perf_counter() - start:.0f} s", flush=True)
    return result


def safety_figures(long: bool) -> dict[str, int] | None:
    """The security harness's figures, or None when it is not part of this checkout."""
    try:
        safety = importlib.import_module("tools.safety")
    except ModuleNotFoundError as err:
        if err.name not in ("tools.safety",):
            raise
        return None
    figures: dict[str, int] = safety.run(long=long)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run every harness; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m tools.stress", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the sizes make test uses")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    args = parser.parse_args(argv)
    size, seed = (QUICK if args.quick else LONG), args.seed
    print(f"readerly stress (seed {seed}; --seed {seed} repeats this run)", flush=True)

    crashes = CrashReport()
    for label, harness in (
        (f"SIGKILL readerly mark x{size['cli_kills']}",
         lambda w: kill_cli(w, size["cli_kills"], seed)),
        (f"SIGKILL the app under Pilot x{size['app_kills']}",
         lambda w: kill_app(w, size["app_kills"], seed)),
        ("stop writers dead at each point of a write",
         lambda w: inject_crashes(w, size["rounds"], seed)),
    ):  # fmt: skip
        report = timed(label, harness)
        # Each finding names the harness that made it, so it can be run again alone.
        report.lost = [f"{label}: {line}" for line in report.lost]
        report.problems = [f"{label}: {line}" for line in report.problems]
        crashes.add(report)
    races = [
        timed(f"readerly mark + readerly mark, {size['toggles']} toggles",
              lambda w: cli_and_cli(w, size["toggles"], seed)),
        timed(f"app + readerly mark, {size['toggles']} toggles",
              lambda w: app_and_cli(w, size["toggles"], seed)),
    ]  # fmt: skip
    churn = timed(f"vault changing while indexed, {size['opens']} opens",
                  lambda w: vault_churn(w, size["opens"], seed))  # fmt: skip
    swap = timed(
        f"note swapped for a link out or a FIFO, {size['swap_reads']} reads + "
        f"{size['swap_shows']} readerly show",
        lambda w: symlink_swap(w, size["swap_reads"], size["swap_shows"], seed, SWAP_SECONDS),
    )
    safety = safety_figures(long=not args.quick)

    concurrent_lost = sum(len(r.lost) for r in races)
    problems = crashes.problems + [p for r in races for p in r.problems] + churn.problems
    problems += [f"vault index: {line}" for line in churn.inconsistent]
    problems += [f"symlink swap: {line}" for line in swap.problems]
    rows: list[tuple[str, object, bool]] = [
        ("kills survived", crashes.kills, False),
        ("acknowledged changes lost", len(crashes.lost), True),
        ("concurrent updates lost", concurrent_lost, True),
        ("symlink-swap reads tried", swap.tried, False),
        ("reads that showed a file outside the vault", swap.leaked, True),
        ("reads that hung", swap.hung, True),
        ("tracebacks", swap.tracebacks, True),
    ]
    if safety is None:
        print("\nhostile-input figures are not available: tools/safety.py is not in this checkout")
    else:
        rows += [
            ("hostile inputs tried", safety.get("hostile_inputs_tried", "?"), False),
            (
                "control characters that reached the terminal",
                safety.get("control_chars_reached_terminal", "?"),
                True,
            ),
            ("hostile notes the loader mishandled", safety.get("loader_problems", "?"), True),
            ("hostile notes the app mishandled", safety.get("program_problems", "?"), True),
        ]
    print()
    failed = False
    for label, value, must_be_zero in rows:
        bad = must_be_zero and value != 0
        failed |= bad
        note = "  (must be 0)" if must_be_zero else ""
        print(f"{label:<46}{value!s:>8}{note}{'  FAILED' if bad else ''}")
    print(f"\nacknowledged changes checked after kills: {crashes.acknowledged}")
    print(f"concurrent toggles acknowledged: {sum(r.toggles for r in races)}")
    print(f"vault opens while changing: {churn.opens} ({churn.notes_checked} notes checked, "
          f"{churn.vanished} listed as removed mid-index)")  # fmt: skip
    for line in (crashes.lost + [x for r in races for x in r.lost] + problems)[:40]:
        print(f"  ! {line[:400]}")
    if problems:
        print(f"{len(problems)} problem(s) kept the harnesses from checking everything")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
