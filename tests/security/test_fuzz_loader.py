"""Fuzzing the loader: any bytes, any header, any Unicode — it never raises, never shows a
control character, keeps ids stable and never touches the files it reads."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from tests.security.fuzz import (
    BODY_FORBIDDEN,
    FIELD_FORBIDDEN,
    any_char,
    fuzz_settings,
    header_like,
    hostile_text,
    note_bytes,
    unsafe_fields,
)
from tests.security.hostile import write_hostile_vault
from tui.text.hygiene import clean_line, clean_text
from tui.vault.index import Vault
from tui.vault.loader import build_note, display_body, parse_bytes
from tui.vault.meta import parse_front_matter


def _load(data: bytes, path: str = "note.md") -> tuple[list[str], str]:
    parsed = parse_bytes(data)
    note = build_note(parsed, path, mtime=1.7e9, size=len(data))
    body = display_body(parsed, note)
    return unsafe_fields(note, body), note.id


@fuzz_settings()
@given(note_bytes)
def test_any_bytes_load_without_raising_or_showing_controls(data: bytes) -> None:
    bad, _ = _load(data)
    assert bad == []


@fuzz_settings()
@given(header_like())
def test_any_front_matter_loads_clean(text: str) -> None:
    # Straight through the header parser too, as text that never went through a decoder.
    fm = parse_front_matter(text)
    assert all(isinstance(k, str) for k in fm.data)
    bad, _ = _load(text.encode("utf-8", "surrogatepass"))
    assert bad == []


@fuzz_settings()
@given(hostile_text)
def test_cleaning_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    assert BODY_FORBIDDEN.search(clean_text(text)) is None
    assert FIELD_FORBIDDEN.search(clean_line(text)) is None


# File names the file system accepts: no "/" or NUL, at most 255 bytes.
_names = st.text(any_char, min_size=1, max_size=40).filter(
    lambda s: "/" not in s and "\x00" not in s and s not in (".", "..")
)


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    out = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            out[path] = (Path(path).read_bytes(), os.stat(path).st_mtime_ns)
    return out


@fuzz_settings(scale=0.3)
@given(st.lists(st.tuples(_names, note_bytes), min_size=1, max_size=6))
@example([("caf\udce9", b"# Latin-1 name\n"), ("\x1b]0;x\x07", b"---\ntitle: t\n---\n")])
def test_a_vault_of_fuzzed_files_opens_the_same_way_every_time(
    files: list[tuple[str, bytes]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "vault"
        root.mkdir()
        for name, data in files:
            # Lone surrogates become bytes that are not UTF-8, as on a Latin-1 file system.
            raw = name.encode("utf-8", "surrogatepass")[:200] + b".md"
            try:
                with open(os.path.join(os.fsencode(root), raw), "wb") as fh:
                    fh.write(data)
            except OSError:
                continue  # a name this file system refuses
        before = _snapshot(root)
        cache = Path(tmp) / "cache"
        cold = Vault.open(root, use_cache=False)
        first = Vault.open(root, cache_dir=cache)
        warm = Vault.open(root, cache_dir=cache)
        assert warm.stats["parsed"] == 0
        ids = [(n.path, n.id) for n in cold.notes]
        assert ids == [(n.path, n.id) for n in first.notes] == [(n.path, n.id) for n in warm.notes]
        for note in warm.notes:
            assert unsafe_fields(note, warm.body(note)) == []
        assert not any(FIELD_FORBIDDEN.search(p) for p in warm.problems), warm.problems
        assert _snapshot(root) == before, "reading the vault changed a note file"


def test_the_hostile_vault_loads_clean_and_untouched(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    written = write_hostile_vault(root)
    before = _snapshot(root)
    vault = Vault.open(root, cache_dir=tmp_path / "cache")
    again = Vault.open(root, cache_dir=tmp_path / "cache")
    assert len(vault.notes) + len(vault.problems) == written
    assert [n.id for n in vault.notes] == [n.id for n in again.notes]
    for note in again.notes:
        assert unsafe_fields(note, again.body(note)) == [], note.path
        assert "secret outside the vault" not in again.body(note)
        # Traversal links resolve to nothing (never to a file outside the vault).
        for link in note.links:
            assert link.path is None or link.path in again.by_path
    assert _snapshot(root) == before
