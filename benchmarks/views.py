"""Saved-search counts: what recounting every view costs after a triage key.

``python -m benchmarks.views`` (1k and 10k notes, the vaults ``make bench`` generates).
The baseline is one ``is:unread`` query over the same notes, which every refresh of the
list already pays; the views' figure is for five views, two of them with words.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from benchmarks.run import OUT, vault_of
from tui.query.query import NoteOrder, parse_query, run_query
from tui.query.views import ViewCounter, views_from
from tui.state.store import StateStore
from tui.vault.index import Vault

VIEWS = [
    ("today", "is:unread rel:high"),
    ("starred", "is:starred"),
    ("python", "tag:python is:unread"),
    ("sqlite", "sqlite"),
    ("wal", "wal mode -is:read"),
]


def _median(run: object, repeat: int = 15) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(count: int, tmp: Path) -> dict[str, float]:
    """Median seconds: one list query (baseline), first count (words scanned), recount."""
    root = vault_of(count)
    vault = Vault.open(root, cache_dir=OUT / f"cache-{count}")
    notes, search = vault.notes, vault.search
    store = StateStore(tmp / f"state-{count}.json")
    state = store.snapshot()
    order = NoteOrder(notes)
    unread = parse_query("is:unread")
    baseline = _median(lambda: run_query(notes, state, unread, search=None, order=order))
    views = views_from(VIEWS)
    first = _median(lambda: ViewCounter(views).counts(notes, state, search), repeat=3)
    counter = ViewCounter(views)
    counter.counts(notes, state, search)
    again = _median(lambda: counter.counts(notes, state, search))
    one = _median(lambda: counter.counts(notes, state, search, changed=[len(notes) // 2]))
    store.close()
    return {
        "list_query_s": baseline,
        "views_first_s": first,
        "views_recount_s": again,
        "views_one_key_s": one,
    }


def main() -> None:
    """Print each figure and its ratio to the baseline measured in the same run."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for count in (1000, 10000):
            got = measure(count, Path(tmp))
            base = got["list_query_s"]
            print(f"{count} notes: one list query {base * 1000:.1f} ms")
            for key in ("views_first_s", "views_recount_s", "views_one_key_s"):
                print(f"  {key:<16} {got[key] * 1000:7.1f} ms  ({got[key] / base:.1f}x)")


if __name__ == "__main__":
    main()
