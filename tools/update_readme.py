"""Rewrite the key table in README.md from the app's bindings (``make readme``)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tui.ui.keys import keys_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- keys:start -->", "<!-- keys:end -->"


def render(text: str) -> str:
    """``text`` with the block between the markers replaced by the current key table."""
    block = f"{START}\n{keys_markdown().strip()}\n{END}"
    return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)


def main() -> int:
    """Update README.md in place; exit 1 when the markers are missing."""
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{README}: key table markers not found", file=sys.stderr)
        return 1
    README.write_text(render(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
