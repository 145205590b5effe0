"""Fetching a source: time against a plain download of the same page, and extraction quality.

``python -m benchmarks.fetch`` (also part of ``make bench``). Everything is served by the test
site on 127.0.0.1, so the figures measure readerly's own work, not a network.
"""

from __future__ import annotations

import http.client
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.fetchsite import ARTICLE_TEXT, BOILERPLATE, serve
from tui.config.fetchconf import FetchSettings
from tui.fetch.net import download
from tui.fetch.service import Fetcher, limits_of

RUNS = 30
SETTINGS = FetchSettings(allow_private_hosts=True)
# Sentences each page's article must keep (from its own text), and what must not leak.
EXPECT: dict[str, list[str]] = {
    "/article": [
        ARTICLE_TEXT,
        "Coupled oscillators",
        "Each firefly is a clock.",
        "Photinus carolinus",
        "original paper",
        "applause",
    ],
    "/gzipped": [ARTICLE_TEXT, "applause"],
    "/long": [ARTICLE_TEXT, "applause", "Paragraph 0:", "Paragraph 399:"],
    "/wrong-charset": ["café crème", "applause"],
    "/mislabelled": ["naïve façade", "applause"],
    "/hostile": ["Evil red", "garden snail"],
    "/plain": ["Notes on kites", "A kite flies because the wind pushes on it."],
}


def _median(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # warm: imports, TLS context, first parse
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _plain_get(url: str) -> bytes:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", parts.path)
        return conn.getresponse().read()
    finally:
        conn.close()


def measure() -> dict[str, Any]:
    """Times (seconds) and extraction scores for the test pages."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        os.environ.pop(name, None)
    figures: dict[str, Any] = {}
    with serve() as site, tempfile.TemporaryDirectory() as tmp:
        fetcher = Fetcher(SETTINGS, cache_dir=Path(tmp))
        limits = limits_of(SETTINGS)
        for page in ("/article", "/long"):
            url = site.url(page)
            times: dict[str, float] = {"page_kb": len(_plain_get(url)) / 1024}
            times["plain_download_s"] = _median(lambda u=url: _plain_get(u))
            times["checked_download_s"] = _median(lambda u=url: download(u, limits))
            times["fetch_and_extract_s"] = _median(lambda u=url: fetcher.fetch(u, refresh=True))
            times["cache_hit_s"] = _median(lambda u=url: fetcher.fetch(u))
            figures[page] = times
        quality: dict[str, dict[str, Any]] = {}
        for path, wanted in EXPECT.items():
            article = fetcher.fetch(site.url(path), refresh=True).article
            text = article.markdown
            kept = sum(1 for w in wanted if w in text)
            leaked = sum(1 for junk in BOILERPLATE if junk in text)
            quality[path] = {
                "kept": f"{kept}/{len(wanted)}",
                "boilerplate_leaked": f"{leaked}/{len(BOILERPLATE)}",
                "method": article.method,
                "title": article.title,
            }
        figures["quality"] = quality
    return figures


def report(figures: dict[str, Any]) -> str:
    """The figures as a small table, each time against the plain download."""
    lines = []
    for page in ("/article", "/long"):
        times = figures[page]
        base = times["plain_download_s"]
        lines.append(f"{page}: {times['page_kb']:.1f} KB, median of {RUNS} runs, local site")
        for key in ("plain_download_s", "checked_download_s", "fetch_and_extract_s", "cache_hit_s"):
            value = times[key]
            lines.append(f"  {key:<22}{value * 1000:8.2f} ms  {value / base:6.2f}x plain download")
    lines.append("extraction (kept sentences, boilerplate leaked, extractor):")
    for path, row in figures["quality"].items():
        lines.append(
            f"  {path:<16}{row['kept']:>6}  {row['boilerplate_leaked']:>4}  {row['method']:<12}"
            f"{row['title']}"
        )
    return "\n".join(lines)


def main() -> int:
    """Measure and print."""
    print(report(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
