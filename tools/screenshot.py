"""Take the README screenshot: the bundled ``seeds`` vault at 120×36, dark theme, an article open.

Run ``python -m tools.screenshot``. The app draws itself with ``save_screenshot()`` into
``docs/screenshot.svg``; ``rsvg-convert`` (Debian/Ubuntu package ``librsvg2-bin``) turns that
into ``docs/screenshot.png``. ``--render SVG...`` only converts SVGs the same way, which is
how to look at the snapshot tests' pictures (``tests/ui/__snapshots__``).

The state file is a throwaway one, so the picture shows the seeds' own front matter, never
the reading state of whoever runs this.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tui.state.store import StateStore
from tui.ui.app import ReaderApp
from tui.ui.screens.main import MainScreen
from tui.vault.index import Vault

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DOCS = ROOT / "docs"
SIZE = (120, 36)
THEME = "textual-dark"
NOTE = "2026-01-13-postgres-partial-indexes-for-hot-rows.md"
"""A seed whose first screen has the header, a TL;DR, a heading and a highlighted code block."""
SCALE = 1.0  # already about 1,500 pixels wide: sharp at the width a README is read

# librsvg paints text as a filled outline, so a colour emoji comes out as a blot in the text
# colour (or not at all). The relevance circles are drawn as a plain disc in their own colour,
# padded to the emoji's two cells, which is what a terminal with an emoji font shows.
EMOJI_DISCS = {"🔴": "#e0443e", "🟡": "#f2c230", "🟢": "#3fb950"}


async def _capture(note_path: str, state: Path) -> str:
    vault = Vault.open(SEEDS, use_cache=False)
    app = ReaderApp(SEEDS, StateStore(state), vault=vault, auto_mark_read=False)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = THEME
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        note = vault.by_path[note_path]
        screen.open_note(note)
        # Let the preview, facet and position timers run out before the picture.
        await pilot.pause(0.6)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        with tempfile.TemporaryDirectory() as folder:
            path = app.save_screenshot("screenshot.svg", path=folder)
            return Path(path).read_text(encoding="utf-8")


def capture(note_path: str = NOTE) -> str:
    """The app's own SVG of the seeds vault with ``note_path`` open."""
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        # The status line shows the state path; relative to its folder it is short and stable.
        os.chdir(folder)
        try:
            return asyncio.run(_capture(note_path, Path("state.json")))
        finally:
            os.chdir(here)


def for_rsvg(svg: str) -> str:
    """``svg`` adjusted so librsvg draws it as a terminal would.

    Rich writes spaces as no-break spaces, which librsvg drops at the start of a text run
    unless whitespace is preserved; and see :data:`EMOJI_DISCS`.
    """
    svg = re.sub(r"<svg\b", '<svg xml:space="preserve"', svg, count=1)
    for emoji, colour in EMOJI_DISCS.items():
        svg = svg.replace(emoji, f'<tspan fill="{colour}">\u25cf</tspan>&#160;')
    return svg


def to_png(svg: str, png: Path, scale: float = SCALE) -> None:
    """Render ``svg`` to ``png`` with rsvg-convert."""
    tool = shutil.which("rsvg-convert")
    if tool is None:
        raise SystemExit("rsvg-convert not found: apt-get install librsvg2-bin")
    with tempfile.NamedTemporaryFile("w", suffix=".svg", encoding="utf-8", delete=False) as tmp:
        tmp.write(for_rsvg(svg))
    try:
        subprocess.run([tool, "--zoom", str(scale), "-o", str(png), tmp.name], check=True)
    finally:
        Path(tmp.name).unlink()


def main(argv: list[str] | None = None) -> int:
    """Write ``docs/screenshot.svg`` and ``docs/screenshot.png``; or render given SVGs to PNG."""
    parser = argparse.ArgumentParser(prog="python -m tools.screenshot", description=__doc__)
    parser.add_argument("--note", default=NOTE, help="seed note to open (path in seeds/)")
    parser.add_argument(
        "--render", nargs="+", type=Path, metavar="SVG", help="only render these SVGs to PNGs"
    )
    parser.add_argument("--out", type=Path, help="folder for --render PNGs (default: beside)")
    args = parser.parse_args(argv)
    if args.render:
        for svg_path in args.render:
            folder = args.out or svg_path.parent
            to_png(svg_path.read_text(encoding="utf-8"), folder / (svg_path.stem + ".png"))
        return 0
    DOCS.mkdir(exist_ok=True)
    svg = capture(args.note)
    (DOCS / "screenshot.svg").write_text(svg, encoding="utf-8")
    to_png(svg, DOCS / "screenshot.png")
    print(f"wrote {DOCS / 'screenshot.svg'} and {DOCS / 'screenshot.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
