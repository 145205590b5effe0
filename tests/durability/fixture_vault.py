"""A small vault written for the durability harnesses, and the CLI arguments that change it."""

from __future__ import annotations

import json
from pathlib import Path

# What `readerly mark` can set, as (flag arguments, field, value the state then holds).
CLI_CHANGES: tuple[tuple[tuple[str, ...], str, object], ...] = (
    (("--read",), "status", "read"),
    (("--unread",), "status", "unread"),
    (("--archive",), "status", "archived"),
    (("--star",), "starred", True),
    (("--unstar",), "starred", False),
    (("--relevance", "high"), "relevance", "high"),
    (("--relevance", "medium"), "relevance", "medium"),
    (("--relevance", "low"), "relevance", "low"),
    (("--relevance", "none"), "relevance", None),
)


def write_vault(root: Path, count: int) -> list[str]:
    """Write ``count`` small notes under ``root``; returns their vault-relative paths."""
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        name = f"note-{i:03d}.md"
        meta = {
            "title": f"Durability note {i}",
            "date": f"2026-02-{1 + i % 28:02d}",
            "source": f"https://example.org/durability/{i}",
        }
        front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
        body = f"Body of note {i}. It links to [[note-{(i + 1) % count:03d}]].\n"
        (root / name).write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")
        paths.append(name)
    return paths
