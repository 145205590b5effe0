"""A vault changing while it is indexed: files added, removed and rewritten during ``Vault.open``.

Every version of a note names itself twice (title and tag) and all versions have the same
size, so a note mixed from two versions, or a stale one served from the cache because
size and time look unchanged, can be told apart.
"""

from __future__ import annotations

import os
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tui.vault.index import Vault

GONE = "cannot read the file (No such file or directory)"
PAD = "Body text that makes the note long enough to take a moment to read. " * 20


def content(name: str, version: int) -> bytes:
    """Version ``version`` of note ``name``; every version has the same length."""
    tag = f"v{version:07d}"
    return (
        f'---\ntitle: "{name} {tag}"\ntags: ["{tag}"]\ndate: "2026-01-01"\n---\n\n'
        f"{name} at {tag}.\n\n{PAD}\n"
    ).encode()


@dataclass
class ChurnReport:
    """What the churn harness did and found."""

    opens: int = 0  # Vault.open calls made while the vault changed
    notes_checked: int = 0
    vanished: int = 0  # listed, but removed between the folder scan and the read
    inconsistent: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Churner:
    """Rewrites, adds and removes notes until stopped; knows what is on disk at the end."""

    def __init__(self, root: Path, seed: int, start: int) -> None:
        self.root, self.rng = root, random.Random(seed)
        self.version: dict[str, int] = {}
        self.ever: set[str] = set()
        self.stop = threading.Event()
        self.error: BaseException | None = None
        for i in range(start):
            self.write(f"n{i:03d}")

    def write(self, name: str) -> None:
        version = self.version.get(name, 0) + 1
        self.version[name] = version
        self.ever.add(name)
        part = self.root / f".{name}.partial"
        part.write_bytes(content(name, version))
        os.replace(part, self.root / f"{name}.md")  # as a careful clipper saves

    def run(self) -> None:
        try:
            serial = len(self.version)
            while not self.stop.is_set():
                roll = self.rng.random()
                names = sorted(self.version)
                if roll < 0.7 and names:
                    self.write(self.rng.choice(names))
                elif roll < 0.85 or not names:
                    self.write(f"n{serial:03d}")
                    serial += 1
                else:
                    gone = self.rng.choice(names)
                    (self.root / f"{gone}.md").unlink()
                    del self.version[gone]
        except BaseException as err:  # reported, not lost in a thread
            self.error = err


def _check(vault: Vault, churner: _Churner, report: ChurnReport) -> None:
    for note in vault.notes:
        report.notes_checked += 1
        name = note.path.removesuffix(".md")
        words = note.title.split()
        if note.problems == [GONE] and note.title == name:
            report.vanished += 1  # said so in the list, rather than shown as empty
        elif name not in churner.ever or len(words) != 2 or words[0] != name:
            report.inconsistent.append(f"{note.path}: title {note.title!r}")
        elif note.tags != [words[1]]:
            report.inconsistent.append(f"{note.path}: title {note.title!r}, tags {note.tags}")
        elif note.problems:
            report.inconsistent.append(f"{note.path}:")


def vault_churn(work: Path, opens: int, seed: int = 0, notes: int = 150) -> ChurnReport:
    """Open the vault ``opens`` times while it changes, then once more after it settles."""
    root, cache = work / "vault", work / "cache"
    root.mkdir(parents=True, exist_ok=True)
    report = ChurnReport()
    churner = _Churner(root, seed, notes)
    thread = threading.Thread(target=churner.run, daemon=True)
    thread.start()
    try:
        for n in range(opens):
            try:
                vault = Vault.open(root, cache_dir=cache, use_cache=n % 3 != 0)
            except Exception as err:
                report.problems.append(f"open {n}: {type(err).__name__}: {err}")
                continue
            report.opens += 1
            _check(vault, churner, report)
    finally:
        churner.stop.set()
        thread.join()
    if churner.error is not None:
        report.problems.append(f"the churn itself failed: {churner.error!r}")
    # Settled: a second open (from the cache the others wrote) sees exactly the final files.
    final = Vault.open(root, cache_dir=cache)
    _check(final, churner, report)
    seen = {n.path.removesuffix(".md"): n.title.split()[-1] for n in final.notes}
    wanted = {name: f"v{v:07d}" for name, v in churner.version.items()}
    for name in sorted(seen.keys() | wanted.keys()):
        if seen.get(name) != wanted.get(name):
            report.inconsistent.append(
                f"after the changes stopped, {name} is {seen.get(name)} not {wanted.get(name)}"
            )
    return report
