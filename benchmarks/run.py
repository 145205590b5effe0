"""``make bench``: build synthetic vaults, measure, print a table and write JSON.

Every figure sits beside a baseline measured in the same run, because absolute times
mean little across machines. Sizes: 1k and 10k notes; set ``BENCH_FULL=1`` for 100k.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import orjson

from benchmarks import core, engines, state_sync
from benchmarks.genvault import generate

OUT = Path(".bench")

# (figure, baseline, target, what the target is). A target is in seconds or MB, or, when
# it is a string like "8x", a ratio to the baseline.
ROWS: list[tuple[str, str, float | str, str]] = [
    ("index_cold_s", "read_bytes_s", 1.0, "cold metadata index ≤ 1.0 s"),
    ("index_warm_s", "read_bytes_s", 0.1, "warm index ≤ 0.1 s"),
    ("engine_cold_s", "read_bytes_s", "8x", "cold full-text index ≤ 8x reading the bytes"),
    ("engine_warm_s", "read_bytes_s", 0.0, "warm start with the full-text index"),
    ("engine_disk_mb", "vault_mb", "0.6x", "index on disk ≤ 0.6x the vault"),
    ("search_nomatch_p50_s", "rg_il_nomatch_s", 0.0, "no match p50"),
    ("search_nomatch_p95_s", "rg_il_nomatch_s", 0.016, "no match p95 ≤ 16 ms"),
    ("search_rare_p95_s", "rg_il_nomatch_s", 0.016, "rare word p95 ≤ 16 ms"),
    ("search_common_p50_s", "rg_il_common_s", 0.0, "common word p50"),
    ("search_common_p95_s", "rg_il_common_s", 0.016, "common word p95 ≤ 16 ms"),
    ("search_common_all_p95_s", "rg_il_common_s", 0.0, "common word, every match counted"),
    ("search_prefix_p95_s", "rg_il_nomatch_s", 0.016, "prefix p95 ≤ 16 ms"),
    ("read_safe_s", "read_plain_s", 0.0, "every note through the safe opener"),
    ("toggle_p50_s", "fsync_s", 0.005, "toggle p50"),
    ("toggle_p95_s", "fsync_s", 0.005, "toggle p95 ≤ 5 ms"),
    ("state_open_s", "state_parse_s", 0.0, "open the state"),
    ("state_open_journal_s", "state_parse_s", 0.0, "open, a journal entry per record"),
    ("state_poll_s", "state_parse_s", 0.0, "the reader's poll, nothing changed"),
    ("state_merge_copy_s", "state_parse_s", 0.0, "open + merge a conflict copy"),
    ("rss_index_mb", "rss_imports_mb", 120, "RSS after load ≤ 120 MB"),
    ("rss_index_search_mb", "rss_imports_mb", 120, "RSS after searching ≤ 120 MB"),
]
# Targets that grow with the vault: at 100k notes (the goal column of the plan).
TARGETS_100K = {
    "search_nomatch_p95_s": 0.05,
    "search_rare_p95_s": 0.05,
    "search_common_p95_s": 0.05,
    "search_prefix_p95_s": 0.05,
    "rss_index_mb": 400,
    "rss_index_search_mb": 400,
    "index_cold_s": 0.0,
    "index_warm_s": 0.0,
}


def vault_of(count: int) -> Path:
    """A generated vault of ``count`` notes, made once and reused."""
    root = OUT / f"vault-{count}"
    marker = root / ".complete"
    if not marker.exists():
        print(f"generating {count} notes in {root} ...", file=sys.stderr)
        generate(root, count)
        marker.write_text("ok")
    return root


def measure(count: int) -> dict[str, Any]:
    """Every core figure for one vault size."""
    root = vault_of(count)
    cache = OUT / f"cache-{count}"
    figures: dict[str, Any] = {"notes": count}
    figures.update(core.bench_safe_open(root))
    figures.update(core.bench_index(root, cache))
    figures.update(core.bench_search(root, cache))
    figures.update(core.bench_toggle(root, cache, records=count))
    figures.update(state_sync.bench_state(count))
    figures.update(core.bench_rss(root, cache))
    if count <= 10000 or os.environ.get("BENCH_FULL"):
        figures.update(engines.compare(root, OUT / f"engines-{count}", fts5=count <= 10000))
    return figures


def _fmt(key: str, value: float) -> str:
    if key.endswith("_mb"):
        return f"{value:8.1f} MB"
    return f"{value * 1000:8.1f} ms"


def table(results: dict[str, dict[str, Any]]) -> str:
    """The printed table: figure, baseline, ratio, target, verdict."""
    lines = []
    for size, figures in results.items():
        lines.append(f"\n== {size} notes ==")
        lines.append(f"{'figure':<22}{'value':>12}{'baseline':>24}{'ratio':>8}  target")
        for key, base, target, label in ROWS:
            if key not in figures:
                continue
            if size == "100000" and key in TARGETS_100K:
                target = TARGETS_100K[key]
            value = figures[key]
            base_value = figures.get(base)
            ratio = f"{value / base_value:7.2f}x" if base_value else "      -"
            base_text = f"{base} {_fmt(base, base_value)}" if base_value else "-"
            if isinstance(target, str):
                ok = bool(base_value) and value / base_value <= float(target.rstrip("x"))
            else:
                ok = value <= target
            verdict = "" if not target else ("ok" if ok else "MISSED")
            lines.append(
                f"{key:<22}{_fmt(key, value):>12}{base_text:>24}{ratio:>8}  {label} {verdict}"
            )
    return "\n".join(lines)


def main() -> int:
    """Run the benchmarks and print the table."""
    OUT.mkdir(exist_ok=True)
    sizes = [1000, 10000] + ([100000] if os.environ.get("BENCH_FULL") else [])
    results: dict[str, dict[str, Any]] = {}
    for count in sizes:
        results[str(count)] = measure(count)
    try:
        from benchmarks import ui

        results["ui-10000"] = ui.measure(vault_of(10000), OUT)
        if os.environ.get("BENCH_FULL"):
            # Start-up must not grow with the vault: the same figures at 100k.
            results["ui-100000"] = ui.measure_startup(vault_of(100000), OUT)
    except ImportError:
        pass
    print(table({k: v for k, v in results.items() if not k.startswith("ui")}))
    for size, figures in results.items():
        if "engines" in figures:
            print(f"\n== engines, {size} notes (title + body, top 200 by rank, median of 5) ==")
            print(engines.table(figures["engines"]))
    for size in ("10000", "100000"):
        if f"ui-{size}" in results:
            print(f"\n== UI, {size} notes ==")
            for key, value in results[f"ui-{size}"].items():
                print(f"{key:<34}{value}")
    from benchmarks import fetch

    results["fetch"] = fetch.measure()
    print("\n== Fetching a source ==")
    print(fetch.report(results["fetch"]))
    (OUT / "results.json").write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(f"\nwritten: {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
