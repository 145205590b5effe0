"""Fetching many sources politely: at most four at once, one at a time from each host.

Used by ``readerly fetch`` and by the app's opt-in background prefetch. Headless.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from tui.fetch.errors import FetchError
from tui.fetch.service import Fetched, Fetcher

MAX_WORKERS = 4

Done = Callable[[str, Fetched | FetchError], None]


def by_host(urls: Sequence[str]) -> list[list[str]]:
    """``urls`` grouped by host (case-insensitive), each group in the order given."""
    groups: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        groups[host].append(url)
    return list(groups.values())


def fetch_many(
    fetcher: Fetcher,
    urls: Sequence[str],
    done: Done,
    *,
    refresh: bool = False,
    stop: threading.Event | None = None,
    workers: int = MAX_WORKERS,
) -> None:
    """Fetch every URL, calling ``done(url, result or error)`` from a worker thread as each
    finishes; returns when all are done or, once ``stop`` is set, after the fetches under way.
    """
    groups = by_host(urls)

    def run(group: list[str]) -> None:
        for url in group:  # one request at a time per host
            if stop is not None and stop.is_set():
                return
            try:
                result: Fetched | FetchError = fetcher.fetch(url, refresh=refresh)
            except FetchError as exc:
                result = exc
            done(url, result)

    if not groups:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(workers, MAX_WORKERS, len(groups)))) as pool:
        futures = [pool.submit(run, group) for group in groups]
        try:
            for future in futures:
                future.result()
        except BaseException:
            if stop is not None:
                stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
