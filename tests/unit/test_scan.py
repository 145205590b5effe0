from __future__ import annotations

import os
from pathlib import Path

from tui.vault.scan import scan


def test_scan_finds_notes_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "b.TXT").write_text("b")
    (tmp_path / "c.markdown").write_text("c")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    for hidden in (".obsidian", ".git", ".trash"):
        (tmp_path / hidden).mkdir()
        (tmp_path / hidden / "x.md").write_text("x")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "d.md").write_text("d")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.md").write_text("t")
    found = scan(tmp_path, skip=("Templates",))
    assert [f.path for f in found.files] == ["a.md", "b.TXT", "c.markdown", "sub/deeper/d.md"]


def test_symlink_out_of_vault_and_loops(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    outside = tmp_path / "outside"
    vault.mkdir()
    outside.mkdir()
    (outside / "secret.md").write_text("secret")
    (vault / "note.md").write_text("n")
    os.symlink(outside / "secret.md", vault / "leak.md")
    os.symlink(outside, vault / "leakdir")
    os.symlink(vault, vault / "loop")  # a cycle back to the root
    (vault / "inner").mkdir()
    (vault / "inner" / "i.md").write_text("i")
    os.symlink(vault / "inner" / "i.md", vault / "alias.md")  # inside: allowed
    os.symlink(vault / "missing.md", vault / "dangling.md")
    found = scan(vault)
    paths = [f.path for f in found.files]
    assert paths == ["alias.md", "inner/i.md", "note.md"]
    text = "\n".join(found.problems)
    assert "leak.md: link leads outside the vault" in text
    assert "leakdir: link leads outside the vault" in text
    assert "dangling.md: cannot read" in text
