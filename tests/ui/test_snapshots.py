"""Snapshots of the reader's main screens at 80×24 and 120×40, in the dark and light themes.

Each flow drives the app with keys, waits until nothing is left to draw and compares the SVG
with the accepted one in ``__snapshots__``. After a deliberate change to the look, regenerate
with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and look at the new pictures.

Nothing on screen may vary between runs: the vault is written here with fixed dates, the
state file sits at a fixed relative path (the status line shows it) and the app is given the
indexed vault, so no background indexing races the picture.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.vault.index import Vault

Flow = Callable[[Pilot[None]], Awaitable[None]]
Compare = Callable[..., bool]

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
DARK, LIGHT = "textual-dark", "textual-light"

HOSTILE_TITLE = "[@click=app.quit]x[/] \x1b[31mred\x1b[0m \x1b]0;PWNED\x07[bold]loud"

ARTICLE = """\
> **In short:** a flame graph is a picture of where the samples landed. Width is time;
> height is only the depth of the call stack.

## Reading one

Start at the widest box near the top, not the tallest tower. The
[py-spy documentation](https://py-spy.example/docs/flame) explains the sampling, and
[[sampling-profilers]] compares the tools. The notes on [[missing-page]] were never saved.

```python
def busiest(frames: dict[str, int]) -> str:
    return max(frames, key=frames.__getitem__)
```

### Common mistakes

- Reading height as cost: a deep stack can be cheap.
- Comparing two graphs recorded at different `--rate` settings.
- Forgetting that `idle` time is left out unless you ask for it.

See https://flame.example/gallery for more pictures.
"""

NOTES: dict[str, tuple[dict[str, Any], str]] = {
    "flame-graphs.md": (
        {"title": "Reading a flame graph without guessing", "date": "2026-03-12",
         "domain": "Performance", "relevance": "🔴", "tags": ["profiling", "python"],
         "source": "https://perf-notes.example/posts/flame-graphs"},
        ARTICLE,
    ),
    "sampling-profilers.md": (
        {"title": "Sampling profilers, briefly", "date": "2026-03-10", "domain": "Performance",
         "relevance": "🟡", "tags": ["profiling"], "source": "https://perf-notes.example/sampling"},
        "A sampling profiler interrupts the program now and then. Back to [[flame-graphs]].\n",
    ),
    "shell-history.md": (
        {"title": "Shell history that remembers where you were", "date": "2026-03-09",
         "domain": "Shell", "tags": ["shell"], "status": "read",
         "source": "https://shell.example/history"},
        "Record the working directory with each command.\n",
    ),
    "online-migrations.md": (
        {"title": "Schema migrations without downtime", "date": "2026-03-07", "domain": "SQL",
         "relevance": "🟢", "tags": ["sql"], "source": "https://db.example/migrations"},
        "Add the column, backfill in batches, then switch readers over.\n",
    ),
    "calm-inbox.md": (
        {"title": "A calmer queue for saved articles", "date": "2026-03-05",
         "domain": "Productivity", "source": "https://calm.example/queue"},
        "Decide once per article: read now, keep, or let go.\n",
    ),
    "old-news.md": (
        {"title": "An archived note", "date": "2026-03-03", "domain": "Misc",
         "status": "archived"},
        "Archived notes stay out of the list.\n",
    ),
    "hostile.md": (
        {"title": HOSTILE_TITLE, "date": "2026-03-01", "domain": "[b]Evil[/b]",
         "tags": ["[red]x[/red]"], "source": "javascript:alert(1)"},
        "Body with \x1b[2J a clear-screen, \x1b]8;;https://evil.example\x1b\\a hyperlink\x1b]8;;"
        "\x1b\\ and [@click=app.quit]click me[/] markup.\n\n[bold]not bold[/bold]\n",
    ),
}  # fmt: skip


def write_vault(root: Path) -> Path:
    """Write :data:`NOTES` into ``root``; JSON values are valid YAML, so titles stay exact."""
    root.mkdir(parents=True)
    for name, (meta, body) in NOTES.items():
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        (root / name).write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")
    return root


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], ReaderApp]:
    """Build the app on a fixed vault, with a state path that reads the same every run."""
    home = tmp_path / "readerly"
    vault_dir = write_vault(home / "vault")
    # The status line shows the state path: relative to a fixed working directory it is stable.
    monkeypatch.chdir(home)
    state = Path("state") / "state.json"
    monkeypatch.setenv("READERLY_STATE", str(state))
    # The picture must not depend on the runner's terminal: a full-colour one, with colour.
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)

    def build() -> ReaderApp:
        vault = Vault.open(vault_dir, use_cache=False)
        # The similar notes have a picture of their own (test_similar_section.py).
        app = ReaderApp(vault_dir, StateStore(state), vault=vault)
        app.main.similar = 0
        return app

    return build


async def settle(pilot: Pilot[None], delay: float) -> None:
    """Wait for the search warm-up, then ``delay`` seconds of timers, then one more frame."""
    main = next(s for s in pilot.app.screen_stack if isinstance(s, MainScreen))
    for _ in range(100):
        if main.search_ready:
            break
        await pilot.pause(0.02)
    await pilot.pause(delay)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def keys(*presses: str) -> Flow:
    """A flow that presses ``presses`` and lets the screen settle."""

    async def flow(pilot: Pilot[None]) -> None:
        await settle(pilot, 0.15)  # the list cursor's preview of the first note
        await pilot.press(*presses)
        await settle(pilot, 0.4)  # query, preview and facet recount timers (up to 0.3 s)

    return flow


FLOWS: dict[str, Flow] = {
    "start": keys(),
    "note_open": keys("enter"),
    "search_typed": keys("slash", *"profil"),
    "facets_toggled": keys("f"),
    "help": keys("question_mark"),
    "confirm_mark_all": keys("A"),
    "triage": keys("t"),
    "hostile_note": keys("G", "enter"),
}

LIGHT_FLOWS = ("start", "note_open", "help", "confirm_mark_all", "triage")

CASES = [
    pytest.param(flow, size, theme, id=f"{flow}-{size}-{theme.removeprefix('textual-')}")
    for theme, flows in ((DARK, tuple(FLOWS)), (LIGHT, LIGHT_FLOWS))
    for flow in flows
    for size in SIZES
]


@pytest.mark.parametrize(("flow", "size", "theme"), CASES)
def test_screen(
    snap_compare: Compare, make_app: Callable[[], ReaderApp], flow: str, size: str, theme: str
) -> None:
    app = make_app()

    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.theme = theme
        await FLOWS[flow](pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
