"""File names are untrusted too: a name that is not printable UTF-8 is never listed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.text.hygiene import has_unsafe_chars
from tui.vault.cache import cache_rows
from tui.vault.index import Vault
from tui.vault.scan import scan

HOSTILE_NAMES = [
    b"title-\x1b]0;PWNED\x07.md",
    "bidi-\u202eDM.exe.md".encode(),
    b"latin1-caf\xe9.md",
    b"tab\tname.md",
    b"line\nbreak.md",
    b"c1-\xc2\x9b2J.md",
]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "plain café.md").write_text("# Plain\n\nbody\n")
    for name in HOSTILE_NAMES:
        with open(os.path.join(os.fsencode(root), name), "wb") as fh:
            fh.write(b"# hostile name\n")
    bad_dir = os.path.join(os.fsencode(root), b"dir-\x1b[2J")
    os.mkdir(bad_dir)
    with open(os.path.join(bad_dir, b"inside.md"), "wb") as fh:
        fh.write(b"# inside a badly named folder\n")
    with open(os.path.join(os.fsencode(root), b"image-\x1b.png"), "wb") as fh:
        fh.write(b"\x89PNG")
    return root


def test_scan_passes_over_names_with_controls_or_bad_bytes(vault: Path) -> None:
    found = scan(vault)
    assert [f.path for f in found.files] == ["plain café.md"]
    # One problem per note file or folder (not for the image), each printable as is.
    assert len(found.problems) == len(HOSTILE_NAMES) + 1
    for problem in found.problems:
        assert not has_unsafe_chars(problem), problem
        assert "rename it" in problem
    assert any("\\x1b]0;PWNED\\x07" in p for p in found.problems)  # shown escaped


def test_vault_with_a_latin1_file_name_opens_and_caches(vault: Path, tmp_path: Path) -> None:
    # A name that is not UTF-8 used to reach the orjson cache as a lone surrogate and
    # stop the whole vault from opening.
    cache = tmp_path / "cache"
    first = Vault.open(vault, cache_dir=cache)
    again = Vault.open(vault, cache_dir=cache)
    assert [n.path for n in first.notes] == [n.path for n in again.notes] == ["plain café.md"]
    assert again.stats["cached"] == 1
    (cache_file,) = cache.iterdir()
    assert [row[0] for row in cache_rows(cache_file)] == ["plain café.md"]


@pytest.mark.parametrize(
    ("text", "unsafe"),
    [
        ("plain name.md", False),
        ("café 日本 🙂‍↔️.md", False),  # zero-width joiners in emoji are fine in a name
        ("a\tb", True),
        ("a\nb", True),
        ("a\x1bb", True),
        ("a\x9bb", True),
        ("a\u202eb", True),
        ("a\udce9b", True),
        ("a\u2028b", True),
    ],
)
def test_has_unsafe_chars(text: str, unsafe: bool) -> None:
    assert has_unsafe_chars(text) is unsafe
