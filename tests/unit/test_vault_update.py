"""Vault.apply: files added, changed, deleted and renamed on disk are taken in incrementally,
leaving the vault exactly as a fresh index of the folder would be."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.textsearch import found
from tui.state.store import StateStore
from tui.vault.engine import note_key
from tui.vault.index import Vault
from tui.vault.loader import note_id


def note(title: str, body: str, *, source: str = "", aliases: str = "") -> str:
    head = f"title: {title}\n"
    head += f"source: {source}\n" if source else ""
    head += f"aliases: [{aliases}]\n" if aliases else ""
    return f"---\n{head}date: 2026-01-02\n---\n\n{body}\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    (folder / "sub").mkdir(parents=True)
    (folder / "alpha.md").write_text(note("Alpha", "alpha text links [[Beta]] and [[Gone]]"))
    (folder / "beta.md").write_text(note("Beta", "beta text", source="https://b.example/1"))
    (folder / "sub" / "gamma.md").write_text(note("Gamma", "gamma text links [[alpha]]"))
    return folder


def picture(vault: Vault) -> list[Any]:
    """Everything a reader can see of the index, for comparing with a fresh one."""
    assert [n.path for n in vault.notes] == sorted(n.path for n in vault.notes)
    for i, n in enumerate(vault.notes):
        assert vault.by_id[n.id] is n and vault.by_path[n.path] is n and vault.index_of[n.id] == i
    assert len(vault.by_id) == len(vault.by_path) == len(vault.index_of) == len(vault.notes)
    return [
        [(n.path, n.id, n.title, n.fingerprint, [(k.target, k.path) for k in n.links])
         for n in vault.notes],
        {note_key(n.id) for n in vault.notes} == set(vault.engine.held()),
        [found(vault, word) for word in WORDS],
        vault.backlinks,
    ]  # fmt: skip


# Words the tests' notes use, asked of the index to compare it with a fresh one.
WORDS = ["alpha", "beta", "gamma", "delta", "text", "zebras", "brand", "bulk", "7", "links"]


def warm(vault: Vault) -> None:
    """Build what is otherwise built on first use, so updates have to keep it right."""
    _ = vault.engine, vault.backlinks


def fresh(root: Path) -> list[Any]:
    return picture(Vault.open(root, use_cache=False))


def test_added_note_is_listed_searchable_and_resolves_waiting_links(root: Path) -> None:
    vault = Vault.open(root)
    warm(vault)
    assert vault.by_path["alpha.md"].links[1].path is None
    (root / "gone.md").write_text(note("Gone", "a late arrival with zebras"))
    change = vault.apply(["gone.md"])
    assert change.added == [note_id("gone.md")] and not change.removed and not change.changed
    assert [n.path for n in vault.notes] == ["alpha.md", "beta.md", "gone.md", "sub/gamma.md"]
    assert vault.by_path["alpha.md"].links[1].path == "gone.md"
    assert vault.backlinks["gone.md"] == ["alpha.md"]
    assert found(vault, "zebras") == [vault.index_of[note_id("gone.md")]]
    assert picture(vault) == fresh(root)


def test_changed_note_is_read_again_and_old_words_are_not_found(root: Path) -> None:
    vault = Vault.open(root)
    warm(vault)
    (root / "beta.md").write_text(note("Beta renamed title", "brand new words"))
    change = vault.apply(["beta.md"])
    assert change.changed == [note_id("beta.md")] and not change.added
    assert vault.by_path["beta.md"].title == "Beta renamed title"
    assert found(vault, '"brand new"') == [1]
    assert found(vault, '"beta text"') == []
    # [[Beta]] named the note by its file name, which did not change.
    assert vault.by_path["alpha.md"].links[0].path == "beta.md"
    assert picture(vault) == fresh(root)


def test_deleted_note_leaves_search_links_and_backlinks(root: Path) -> None:
    vault = Vault.open(root)
    warm(vault)
    (root / "alpha.md").unlink()
    change = vault.apply(["alpha.md"])
    assert change.removed == [note_id("alpha.md")] and not change.moved
    assert "alpha.md" not in vault.by_path
    assert found(vault, '"alpha text"') == []
    assert vault.by_path["sub/gamma.md"].links[0].path is None
    assert "beta.md" not in vault.backlinks
    assert [n.id for n in vault.departed] == [note_id("alpha.md")]
    assert picture(vault) == fresh(root)


def test_rename_is_recognised_and_the_state_follows(root: Path, tmp_path: Path) -> None:
    vault = Vault.open(root)
    store = StateStore(tmp_path / "state.json")
    store.update(vault.by_path["beta.md"], status="read", starred=True)
    os.rename(root / "beta.md", root / "sub" / "beta-moved.md")
    change = vault.apply(["beta.md", "sub/beta-moved.md"])
    assert change.moved == {note_id("beta.md"): note_id("sub/beta-moved.md")}
    assert vault.by_path["alpha.md"].links[0].path == "sub/beta-moved.md"
    assert store.reconcile(vault.notes) == 1
    moved = vault.by_path["sub/beta-moved.md"]
    assert store.status(moved) == "read" and store.starred(moved)
    assert store.get(note_id("beta.md")) is None
    assert picture(vault) == fresh(root)


def test_rename_split_over_two_updates_is_still_recognised(root: Path) -> None:
    vault = Vault.open(root)
    os.rename(root / "sub" / "gamma.md", root / "gamma-elsewhere.md")
    first = vault.apply(["sub/gamma.md"])
    assert first.removed == [note_id("sub/gamma.md")] and not first.moved
    second = vault.apply(["gamma-elsewhere.md"])
    assert second.moved == {note_id("sub/gamma.md"): note_id("gamma-elsewhere.md")}
    assert vault.departed == []
    assert picture(vault) == fresh(root)


def test_atomic_save_through_a_temp_file_is_a_change_of_the_same_note(root: Path) -> None:
    vault = Vault.open(root)
    temp = root / "alpha.md.tmp8812"
    temp.write_text(note("Alpha", "alpha saved atomically"))
    os.replace(temp, root / "alpha.md")
    change = vault.apply(["alpha.md.tmp8812", "alpha.md"])
    assert change.changed == [note_id("alpha.md")]
    assert not change.added and not change.removed
    # vim: the note is moved to a backup, written anew, and the backup deleted.
    os.rename(root / "beta.md", root / "beta.md~")
    (root / "beta.md").write_text(note("Beta", "written by vim", source="https://b.example/1"))
    (root / "beta.md~").unlink()
    change = vault.apply(["beta.md", "beta.md~", "4913", ".beta.md.swp"])
    assert change.changed == [note_id("beta.md")] and not change.removed
    assert picture(vault) == fresh(root)


def test_nothing_changes_for_untouched_hidden_outside_and_other_files(root: Path) -> None:
    vault = Vault.open(root)
    version = vault.version
    (root / ".hidden.md").write_text("hidden")
    (root / "image.png").write_bytes(b"\x89PNG")
    (root.parent / "outside.md").write_text("outside")
    change = vault.apply(["alpha.md", ".hidden.md", "image.png", "../outside.md", "", "sub"])
    assert not change and vault.version == version


def test_whole_folder_look_finds_folders_moved_in_and_out(root: Path, tmp_path: Path) -> None:
    vault = Vault.open(root)
    os.rename(root / "sub", tmp_path / "sub-out")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "delta.md").write_text(note("Delta", "delta text"))
    os.rename(tmp_path / "more", root / "more")
    change = vault.apply(None)
    assert change.added == [note_id("more/delta.md")]
    assert change.removed == [note_id("sub/gamma.md")]
    assert picture(vault) == fresh(root)


def test_many_changes_at_once_reach_the_index(root: Path) -> None:
    vault = Vault.open(root)
    warm(vault)
    names = [f"bulk/n{i:03}.md" for i in range(20)]
    (root / "bulk").mkdir()
    for i, name in enumerate(names):
        (root / name).write_text(note(f"Bulk {i}", f"bulk body {i}"))
    (root / "beta.md").unlink()
    vault.apply([*names, "beta.md"])
    assert found(vault, '"bulk body 7"') == [vault.index_of[note_id("bulk/n007.md")]]
    assert picture(vault) == fresh(root)


def test_random_edits_match_a_fresh_index(root: Path) -> None:
    rng = random.Random(7)
    vault = Vault.open(root)
    warm(vault)
    names = ["alpha.md", "beta.md", "sub/gamma.md", "d1.md", "sub/d2.md", "e.md", "zz.txt"]
    for step in range(40):
        name = rng.choice(names)
        path = root / name
        touched = [name]
        action = rng.choice(["write", "write", "delete", "rename"])
        if action == "write":
            target = rng.choice(["Alpha", "Beta", "d1", "nothing"])
            path.write_text(note(f"T{step}", f"step {step} body [[{target}]]", aliases=f"a{step}"))
        elif path.exists() and action == "delete":
            path.unlink()
        elif path.exists():
            other = rng.choice(names)
            if not (root / other).exists():
                os.rename(path, root / other)
                touched.append(other)
        if rng.random() < 0.5:  # sometimes two updates land together
            vault.apply(touched)
            assert picture(vault) == fresh(root), f"step {step}: {action} {touched}"
        else:
            pending = vault.prepare(touched)
            vault.commit(pending)
    assert picture(vault) == fresh(root)


def test_a_stale_prepared_update_is_prepared_again(root: Path) -> None:
    vault = Vault.open(root)
    (root / "alpha.md").write_text(note("Alpha two", "second"))
    stale = vault.prepare(["alpha.md"])
    (root / "new.md").write_text(note("New", "new"))
    vault.apply(["new.md"])
    change = vault.commit(stale)
    assert change.changed == [note_id("alpha.md")]
    assert picture(vault) == fresh(root)


def test_the_cache_follows_updates(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    vault = Vault.open(root, cache_dir=cache)
    (root / "new.md").write_text(note("New", "new"))
    (root / "beta.md").unlink()
    vault.apply(["new.md", "beta.md"])
    vault.save_cache()
    again = Vault.open(root, cache_dir=cache)
    assert again.stats["parsed"] == 0
    assert [n.path for n in again.notes] == ["alpha.md", "new.md", "sub/gamma.md"]


def test_note_files_are_never_written(root: Path) -> None:
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*.md")}
    vault = Vault.open(root)
    warm(vault)
    vault.apply([str(p.relative_to(root)) for p in before])
    vault.apply(None)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*.md")} == before


@pytest.mark.parametrize("module", ["tui.vault.update", "tui.vault.watch", "tui.vault.cache"])
def test_update_modules_import_no_ui(module: str) -> None:
    ui = "('textual', 'rich')"
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith({ui})))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
