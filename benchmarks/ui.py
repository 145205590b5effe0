"""UI benchmarks: start-up in a real terminal (tmux), article first screen, search keystroke.

Start-up is measured from launching the process to the text appearing in the tmux pane, for
readerly and for a blank Textual app in the same run, so the ratio is what matters.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.e2e.tmux import Tmux, child_env
from tui.query.query import parse_query, run_query
from tui.state.store import StateStore
from tui.vault.index import Vault

ROOT = Path(__file__).resolve().parents[1]


def _time_to(
    argv: list[str], markers: list[str], env: dict[str, str], timeout: float = 60
) -> list[float]:
    """Seconds from launch until each marker is on screen (in order)."""
    term = Tmux(width=160, height=45)
    try:
        start = time.perf_counter()
        term.start(argv, child_env(env), cwd=ROOT)
        found = []
        for marker in markers:
            term.wait_for(marker, timeout=timeout)
            found.append(time.perf_counter() - start)
        return found
    finally:
        term.close()


def startup(vault_root: Path, work: Path, runs: int = 3) -> dict[str, float]:
    """Blank app vs readerly with a warm cache and with no cache, median of ``runs``."""
    vault = Vault.open(vault_root, use_cache=False)
    store = StateStore(work / "bench-state.json")
    first = vault.notes[run_query(vault.notes, store, parse_query(""), search=None)[0]]
    marker = first.title[:18]
    env = {
        "READERLY_STATE": str(work / "bench-state.json"),
        "READERLY_CACHE": str(work / "c"),
        "READERLY_DEVICE_FILE": str(work / "bench-device.json"),
    }
    blank = [sys.executable, str(ROOT / "benchmarks" / "blank_app.py")]
    app = [sys.executable, "-m", "tui", str(vault_root)]
    out: dict[str, list[float]] = {"blank": [], "warm": [], "cold_window": [], "cold_list": []}
    _time_to(app, [marker], env, timeout=900)  # fills the cache (100k: ~2 min)
    for _ in range(runs):
        out["blank"].append(_time_to(blank, ["BLANK-APP-READY"], env)[0])
        out["warm"].append(_time_to(app, [marker], env)[0])
        window, listed = _time_to([*app, "--no-cache"], ["search", marker], env)
        out["cold_window"].append(window)
        out["cold_list"].append(listed)
    med = {k: statistics.median(v) for k, v in out.items()}
    return {
        "blank_app_start_s": med["blank"],
        "warm_start_to_list_s": med["warm"],
        "warm_vs_blank": med["warm"] / med["blank"],
        "no_cache_window_up_s": med["cold_window"],
        "no_cache_to_list_s": med["cold_list"],
    }


def measure_startup(vault_root: Path, out: Path) -> dict[str, Any]:
    """Start-up figures only (for the 100k vault)."""
    work = Path(tempfile.mkdtemp(prefix="readerly-bench-", dir=out))
    try:
        return dict(startup(vault_root, work, runs=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(vault_root: Path, out: Path) -> dict[str, Any]:
    """Every UI figure for the 10k vault."""
    work = Path(tempfile.mkdtemp(prefix="readerly-bench-", dir=out))
    try:
        figures: dict[str, Any] = startup(vault_root, work)
        try:
            from benchmarks import ui_inproc

            figures.update(asyncio.run(ui_inproc.measure(vault_root, work)))
        except ImportError:
            pass
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)
