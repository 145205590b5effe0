"""Many sources: at most four fetches at once, and one at a time from each host."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from tui.fetch.batch import by_host, fetch_many
from tui.fetch.errors import FetchError


class Recorder:
    """Stands in for a Fetcher: takes a while per page and records who ran at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: Counter[str] = Counter()
        self.most_at_once = 0
        self.most_per_host = 0

    def fetch(self, url: str, *, refresh: bool = False) -> Any:
        host = url.split("/")[2]
        with self.lock:
            self.running[host] += 1
            self.most_at_once = max(self.most_at_once, sum(self.running.values()))
            self.most_per_host = max(self.most_per_host, self.running[host])
        time.sleep(0.05)
        with self.lock:
            self.running[host] -= 1
        if url.endswith("/bad"):
            raise FetchError("HTTP 404 Not Found from " + host)
        return url


def test_four_at_once_and_one_per_host() -> None:
    urls = [f"https://h{h}.test/{i}" for h in range(6) for i in range(3)] + ["https://h0.test/bad"]
    recorder = Recorder()
    results: dict[str, object] = {}
    fetch_many(recorder, urls, results.__setitem__)  # type: ignore[arg-type]
    assert set(results) == set(urls)
    assert isinstance(results["https://h0.test/bad"], FetchError)
    assert recorder.most_per_host == 1
    assert recorder.most_at_once == 4


def test_stop_leaves_the_rest() -> None:
    stop = threading.Event()
    stop.set()
    results: dict[str, object] = {}
    fetch_many(Recorder(), ["https://a.test/1"], results.__setitem__, stop=stop)  # type: ignore[arg-type]
    assert results == {}


def test_hosts_are_grouped_case_insensitively() -> None:
    groups = by_host(["https://A.test/1", "https://b.test/1", "https://a.TEST/2"])
    assert groups == [["https://A.test/1", "https://a.TEST/2"], ["https://b.test/1"]]
