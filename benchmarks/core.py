"""Core (headless) benchmarks: index, search, toggle, memory — each beside a baseline."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tui.query.live import LiveQuery
from tui.query.query import parse_query
from tui.state.store import StateStore
from tui.text.safe_open import read_regular
from tui.vault.index import Vault
from tui.vault.loader import MAX_NOTE_BYTES


def _timed(fn: Any, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _read_all_bytes(root: Path) -> None:
    for dirpath, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as fh:
                fh.read()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95


def bench_safe_open(root: Path) -> dict[str, float]:
    """Every note read through the safe opener (regular file, inside the vault, bounded)
    against plain ``open().read()`` of the same files."""
    paths = [
        os.path.join(d, n) for d, _, names in os.walk(root) for n in names if n.endswith(".md")
    ]

    def plain() -> None:
        for path in paths:
            with open(path, "rb") as fh:
                fh.read()

    def safe() -> None:
        for path in paths:
            read_regular(path, limit=MAX_NOTE_BYTES, root=root)

    return {"read_plain_s": _timed(plain), "read_safe_s": _timed(safe)}


def _dir_bytes(root: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(root):
        for name in files:
            total += os.path.getsize(os.path.join(dirpath, name))
    return total


def bench_index(root: Path, cache: Path) -> dict[str, float]:
    """Metadata index cold/warm and the full-text index cold, against reading the raw bytes;
    the full-text index's size on disk against the vault's."""
    raw = _timed(lambda: _read_all_bytes(root))
    cold = _timed(lambda: Vault.open(root, use_cache=False), repeat=2)
    shutil.rmtree(cache, ignore_errors=True)
    vault = Vault.open(root, cache_dir=cache)
    start = time.perf_counter()
    _ = vault.engine  # nothing indexed yet: reads and indexes every note
    engine_cold = time.perf_counter() - start
    warm = _timed(lambda: Vault.open(root, cache_dir=cache), repeat=5)
    warm_engine = _timed(lambda: Vault.open(root, cache_dir=cache).engine, repeat=3)
    return {
        "read_bytes_s": raw,
        "index_cold_s": cold,
        "index_warm_s": warm,
        "engine_cold_s": engine_cold,
        "engine_warm_s": warm_engine,
        "vault_mb": _dir_bytes(root) / 1e6,
        "engine_disk_mb": vault.engine.disk_bytes() / 1e6,
    }


# No match, a rare word, a common word (in nearly every note), a prefix being typed.
SEARCHES = {
    "nomatch": ("zqxj", "qqzzy", "xylophonezz", "no such phrase here"),
    "rare": ("grapheme", "vacuum", "bisect"),
    "common": ("python", "index", "the"),
    "prefix": ("distrib", "pagin", "sna"),
}


def bench_search(root: Path, cache: Path) -> dict[str, float]:
    """Query latency from the typed text to the ranked, filtered list, against ``rg -il``."""
    vault = Vault.open(root, cache_dir=cache)
    _ = vault.engine
    live = LiveQuery(vault.notes, vault.scale)
    with tempfile.TemporaryDirectory() as tmp:
        state = StateStore(Path(tmp) / "state.json").snapshot()
        out: dict[str, float] = {}
        for kind, words in SEARCHES.items():
            samples, whole = [], []
            for word in words:
                for _ in range(5):
                    # As the list does: the best matches first (what is painted), then all.
                    start = time.perf_counter()
                    run = live.begin(parse_query(word), state, vault, sort="rank")
                    samples.append(time.perf_counter() - start)
                    run.complete()
                    whole.append(time.perf_counter() - start)
            p50, p95 = _percentiles(samples)
            out[f"search_{kind}_p50_s"], out[f"search_{kind}_p95_s"] = p50, p95
            out[f"search_{kind}_all_p95_s"] = _percentiles(whole)[1]
    if shutil.which("rg"):
        for kind, word in (("nomatch", "zqxj"), ("common", "python")):
            rg = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run(["rg", "-il", word, str(root)], capture_output=True, check=False)
                rg.append(time.perf_counter() - start)
            out[f"rg_il_{kind}_s"] = statistics.median(rg)
    return out


def bench_toggle(vault_root: Path, cache: Path, records: int) -> dict[str, float]:
    """Durable toggle latency with ``records`` records in the store, against a bare fsync."""
    vault = Vault.open(vault_root, cache_dir=cache)
    notes = vault.notes
    with tempfile.TemporaryDirectory() as tmp:
        store = StateStore(Path(tmp) / "state.json")
        store.update_many([(n, {"status": "read"}) for n in notes[:records]])
        samples = []
        for i in range(200):
            note = notes[i % len(notes)]
            start = time.perf_counter()
            store.update(note, starred=bool(i % 2))
            samples.append(time.perf_counter() - start)
        store.close()
        fsyncs = []
        path = Path(tmp) / "probe"
        with open(path, "wb") as fh:
            for _ in range(50):
                start = time.perf_counter()
                fh.write(b"x")
                fh.flush()
                os.fsync(fh.fileno())
                fsyncs.append(time.perf_counter() - start)
    p50, p95 = _percentiles(samples)
    return {"toggle_p50_s": p50, "toggle_p95_s": p95, "fsync_s": statistics.median(fsyncs)}


# ru_maxrss survives exec on Linux (it would report the parent's peak), so read the
# per-process high-water mark instead.
_HWM = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
_RSS_CODE = (
    """
import sys
from pathlib import Path
from tui.text.safe_open import read_regular
from tui.vault.index import Vault
from tui.vault.loader import MAX_NOTE_BYTES
import tempfile
from tui.query.query import parse_query, run_query
from tui.state.store import StateStore
v = Vault.open(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
if sys.argv[3] == "search":
    state = StateStore(Path(tempfile.mkdtemp()) / "state.json").snapshot()
    for word in ("zqxj", "python", "distrib", "grapheme"):
        run_query(v.notes, state, parse_query(word), search=v, sort="rank")
"""
    + _HWM
)
_BASE_CODE = "import tui.vault.index, tui.state.store, tui.query.query\n" + _HWM


def bench_rss(root: Path, cache: Path) -> dict[str, float]:
    """Peak RSS (MB) of a process holding the index and the search text, against bare imports."""

    def run(*args: str) -> float:
        out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
        return int(out.stdout.strip()) / 1024

    return {
        "rss_imports_mb": run("-c", _BASE_CODE),
        "rss_index_mb": run("-c", _RSS_CODE, str(root), str(cache), "meta"),
        "rss_index_search_mb": run("-c", _RSS_CODE, str(root), str(cache), "search"),
    }


def self_rss_mb() -> float:
    """This process's peak RSS in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
