"""In-process UI figures: article first screen, longest block while a huge note lays out
(without and with the similar notes looked up under it), the similar-notes query, and the
search keystroke at 10k notes. Each sits beside a baseline from the same run."""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.query.live import LiveQuery
from tui.query.query import StateView, parse_query, run_query
from tui.state.store import StateStore
from tui.text.notes import Note
from tui.ui.widgets.article.render import Alike
from tui.ui.widgets.article.view import ArticleView, SimilarLookup
from tui.vault.index import Vault

STYLES = Path(__file__).resolve().parents[1] / "styles" / "article.tcss"
NOTE = Note(id="b", path="bench.md", title="Bench", date="2026-01-01")


class _ArticleApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self, similar: SimilarLookup | None = None) -> None:
        super().__init__()
        self.similar = similar

    def compose(self) -> ComposeResult:
        yield ArticleView(similar=self.similar)
        yield Static("", id="probe")


def _body(size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        i += 1
        part = [
            f"## Section {i}\n\nWords about section {i} with [a link](https://example.org/{i}).",
            f"- item {i} with **bold** and `code`\n  - nested {i} 日本語の文 🟢",
            f"```python\ndef f{i}(x):\n    return x + {i}\n```",
            f"| n | v |\n|---|---|\n| {i} | {i * 2} |",
            f"> A quote about {i}, long enough to wrap across a couple of lines at 100 columns.",
        ][i % 5]
        parts.append(part)
        total += len(part) + 2
    return "\n\n".join(parts)


async def _first_screen(
    body: str | None, similar: SimilarLookup | None = None
) -> tuple[float, float]:
    """Seconds from show() to the first screen drawn, and the longest event-loop stall in
    the second after (``body=None``: no article at all, the stall baseline)."""
    app = _ArticleApp(similar)
    async with app.run_test(size=(100, 30)) as pilot:
        gc.freeze()  # as the app does once its index is loaded
        view = app.query_one(ArticleView)
        probe = app.query_one("#probe", Static)
        start = time.perf_counter()
        if body is not None:
            view.show(NOTE, body)
        await pilot.pause()
        lines = [view.render_line(y).text for y in range(view.size.height)]
        first = time.perf_counter() - start
        assert body is None or any(line.strip() for line in lines)
        # Keys must keep flowing while the rest lays out: for two seconds, a task that
        # wakes every 5 ms records how late the event loop lets it run.
        worst = 0.0
        until = time.perf_counter() + 2.0
        while time.perf_counter() < until:
            tick = time.perf_counter()
            await asyncio.sleep(0.005)
            worst = max(worst, time.perf_counter() - tick - 0.005)
            probe.update(str(tick))
        gc.unfreeze()
        return first, worst


async def _baseline_static(text: str) -> float:
    """A plain Static showing the same first screen of text: the cheapest possible paint."""
    app = _ArticleApp()
    async with app.run_test(size=(100, 30)) as pilot:
        probe = app.query_one("#probe", Static)
        start = time.perf_counter()
        probe.update(text)
        await pilot.pause()
        return time.perf_counter() - start


def _keystrokes(vault: Vault, state: StateView, phrase: str) -> tuple[list[float], list[float]]:
    """Typing ``phrase`` one letter at a time as the app does (ranked, through the index):
    per keystroke, the time to the complete result and the time the event loop is held (the
    first answer; the rest is worked out in a thread)."""
    live = LiveQuery(vault.notes, vault.scale)
    to_result, blocking = [], []
    for i in range(1, len(phrase) + 1):
        query = parse_query(phrase[:i])
        start = time.perf_counter()
        run = live.begin(query, state, vault, sort="rank")
        longest = time.perf_counter() - start
        run.complete()
        to_result.append(time.perf_counter() - start)
        blocking.append(longest)
    return to_result, blocking


def _full_scans(vault: Vault, state: StateView, phrase: str) -> list[float]:
    """Baseline: every keystroke runs the whole query from scratch in one go."""
    samples = []
    for i in range(1, len(phrase) + 1):
        start = time.perf_counter()
        run_query(vault.notes, state, parse_query(phrase[:i]), search=vault, sort="rank")
        samples.append(time.perf_counter() - start)
    return samples


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def measure(vault_root: Path, work: Path) -> dict[str, Any]:
    """Article and search figures."""
    gc.collect()
    out: dict[str, Any] = {}
    for label, size in (("8kb", 8_000), ("500kb", 500_000), ("20mb", 20_000_000)):
        first, worst = await _first_screen(_body(size))
        out[f"article_{label}_first_screen_s"] = first
        out[f"article_{label}_longest_stall_s"] = worst
    out["static_first_screen_s (baseline)"] = await _baseline_static(_body(3000))
    out["idle_longest_stall_s (baseline)"] = (await _first_screen(None))[1]
    vault = Vault.open(vault_root, cache_dir=work / "c")
    state = StateStore(work / "search-state.json").snapshot()
    _ = vault.engine
    big = _body(500_000)

    def alike(note: Note, limit: int) -> list[Alike]:
        # What the app's lookup does for a note of this size, against the 10k index.
        hits = vault.engine.similar(note.title, big, limit)
        return [Alike(str(key), f"note {key}") for key, _ in hits]

    first, worst = await _first_screen(big, alike)
    out["article_500kb_similar_first_screen_s"] = first
    out["article_500kb_similar_longest_stall_s"] = worst
    samples = []
    for note in vault.notes[:: max(len(vault.notes) // 50, 1)][:50]:
        start = time.perf_counter()
        vault.similar(note)
        samples.append(time.perf_counter() - start)
    out["similar_p50_s"] = statistics.median(samples)
    out["similar_p95_s"] = _p95(samples)
    to_result: list[float] = []
    blocking: list[float] = []
    baseline: list[float] = []
    for phrase in ("zqxjv", "python async", "no such phrase", "日本語"):
        done, longest = _keystrokes(vault, state, phrase)
        to_result += done
        blocking += longest
        baseline += _full_scans(vault, state, phrase)
    out["search_keystroke_result_p50_s"] = statistics.median(to_result)
    out["search_keystroke_result_p95_s"] = _p95(to_result)
    out["search_keystroke_blocking_p95_s"] = _p95(blocking)
    out["search_full_rerun_p95_s (baseline)"] = _p95(baseline)
    return out
