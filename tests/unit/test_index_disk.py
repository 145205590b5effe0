"""The full-text index on disk: a cache that survives deletion, damage, other versions,
a second process, and edits while closed - and never sizes memory from a file's stat."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
from tests.textsearch import found
from tui.vault.engine import ENGINE_FORMAT, TextIndex, note_key
from tui.vault.fulltext import index_dir
from tui.vault.index import Vault


def write(folder: Path, name: str, title: str, body: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: 2026-01-02\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    write(folder, "a.md", "Apples", "orchard harvest cider")
    write(folder, "b.md", "Bananas", "tropical harvest smoothie")
    write(folder, "sub/c.md", "Cherries", "orchard blossom")
    return folder


def open_vault(folder: Path, cache: Path) -> Vault:
    return Vault.open(folder, cache_dir=cache)


def test_a_warm_start_reads_no_file(vault_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = open_vault(vault_dir, cache)
    assert found(first, "orchard") == [0, 2]
    assert first.engine_report is not None and first.engine_report.added == 3
    again = open_vault(vault_dir, cache)
    assert found(again, "orchard") == [0, 2]
    assert again.engine_report is not None and again.engine_report.added == 0


def test_deleting_the_index_loses_nothing(vault_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert found(open_vault(vault_dir, cache), "harvest") == [0, 1]
    shutil.rmtree(index_dir(vault_dir, cache))
    vault = open_vault(vault_dir, cache)
    assert found(vault, "harvest") == [0, 1]
    assert vault.engine.notice is None  # nothing to say: there was simply no index


@pytest.mark.parametrize("damage", ["meta", "segments", "marker"])
def test_a_damaged_index_is_rebuilt_with_a_notice(
    vault_dir: Path, tmp_path: Path, damage: str
) -> None:
    cache = tmp_path / "cache"
    open_vault(vault_dir, cache).engine  # noqa: B018 - builds it
    folder = index_dir(vault_dir, cache)
    if damage == "meta":
        (folder / "meta.json").write_bytes(b"\x00 not json")
    elif damage == "segments":
        for path in folder.iterdir():
            if path.suffix in (".idx", ".term", ".pos", ".store", ".fast", ".fieldnorm"):
                path.write_bytes(b"garbage" * 10)
    else:
        (folder / "readerly-index.txt").write_text(f"{ENGINE_FORMAT + 1}\n")
    vault = open_vault(vault_dir, cache)
    try:
        hits = found(vault, "orchard")
    except ValueError:
        pytest.fail("a damaged index must be rebuilt, not raise")
    if damage != "segments":
        assert vault.engine.notice and "rebuilding" in vault.engine.notice
    if hits != [0, 2]:
        # Damage inside segment files shows only when they are read: rebuilding fixes it.
        vault.rebuild_engine()
        assert found(vault, "orchard") == [0, 2]


def test_edits_while_closed_are_caught_up(vault_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert found(open_vault(vault_dir, cache), "cider") == [0]
    write(vault_dir, "a.md", "Apples", "now about perry instead")
    os.utime(vault_dir / "a.md", ns=(1, 1))
    (vault_dir / "b.md").unlink()
    write(vault_dir, "d.md", "Dates", "desert cider")
    vault = open_vault(vault_dir, cache)
    assert [n.path for n in vault.notes] == ["a.md", "d.md", "sub/c.md"]
    assert found(vault, "cider") == [1]
    assert found(vault, "perry") == [0]
    assert found(vault, "tropical") == []
    assert len(vault.engine) == 3


def test_incremental_updates_match_a_fresh_build(vault_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    vault = open_vault(vault_dir, cache)
    _ = vault.engine
    write(vault_dir, "e.md", "Elderberry", "hedgerow cordial orchard")
    write(vault_dir, "b.md", "Bananas again", "plantain fritters")
    (vault_dir / "sub" / "c.md").unlink()
    vault.apply(["e.md", "b.md", "sub/c.md"])
    fresh = Vault.open(vault_dir, use_cache=False)
    for word in ("orchard", "harvest", "plantain", "tropical", "hedgerow", "blossom", "bananas"):
        assert found(vault, word) == found(fresh, word), word
    assert set(vault.engine.held()) == {note_key(n.id) for n in fresh.notes}


def test_a_second_writer_waits_then_reads_what_is_there(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    open_vault(vault_dir, cache).engine  # noqa: B018 - builds it
    folder = index_dir(vault_dir, cache)
    holder = TextIndex(folder)
    writer = holder._index.writer(heap_size=15_000_000, num_threads=1)  # holds the lock
    monkeypatch.setattr("tui.vault.engine._LOCK_WAIT", 0.3)
    write(vault_dir, "f.md", "Figs", "orchard figs")
    other = open_vault(vault_dir, cache)
    assert found(other, "harvest") == [0, 1]  # the index as it is still answers
    assert other.engine.read_only and other.engine.notice
    assert other.engine_report is not None and not other.engine_report.written
    del writer  # the other process is done
    other.refresh_engine()
    other.apply(["f.md"])
    assert found(other, "figs") == [2]


def test_two_processes_index_one_vault_at_once(vault_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for i in range(40):
        write(vault_dir, f"many/n{i:02}.md", f"Note {i}", f"common words and number{i}")
    code = (
        "import sys; from pathlib import Path; from tui.vault.index import Vault; "
        "v = Vault.open(Path(sys.argv[1]), cache_dir=Path(sys.argv[2])); "
        "print(len(v.engine))"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(vault_dir), str(cache)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    assert all("Traceback" not in err for _, err in outs)
    vault = open_vault(vault_dir, cache)
    assert len(vault.engine) == 43
    assert vault.engine_report is not None and vault.engine_report.added == 0
    assert len(found(vault, "common")) == 40


def test_threads_sharing_one_vault_build_the_index_once(vault_dir: Path, tmp_path: Path) -> None:
    vault = open_vault(vault_dir, tmp_path / "cache")
    threads = [threading.Thread(target=lambda: vault.engine) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(vault.engine) == 3


def test_similar_notes_share_words_and_leave_out_the_note_itself(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    story = "the river flooded the valley town after storms; rescue boats and sandbags"
    write(folder, "one.md", "Valley town floods", f"{story}. residents evacuated.")
    write(folder, "two.md", "Floods: the rescue", f"{story}. boats again.")
    write(folder, "three.md", "Sourdough baking", "flour water salt starter oven crust")
    write(folder, "four.md", "Rye loaves", "flour rye starter oven")
    vault = Vault.open(folder, use_cache=False)
    one = vault.by_path["one.md"]
    similar = vault.similar(one, limit=3)
    assert similar and similar[0].path == "two.md"
    assert one not in similar
    assert [n.path for n in vault.similar(vault.by_path["three.md"], limit=1)] == ["four.md"]


def test_similar_among_the_seed_clippings_finds_the_same_story() -> None:
    vault = Vault.open(SEEDS, use_cache=False)
    clipped = [n for n in vault.notes if n.source]
    if len(clipped) < 2:
        pytest.skip("the sample vault has no clippings")
    for note in clipped[:4]:
        assert note not in vault.similar(note)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for peak memory")
def test_a_huge_sparse_file_does_not_size_memory(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    write(folder, "a.md", "Apples", "orchard")
    with open(folder / "huge.md", "wb") as fh:
        fh.truncate(2 * 1024**3)  # 2 GB that take no disk space
    code = (
        "import sys\n"
        "from tui.cli.main import main\n"
        "code = main(['list', '--vault', sys.argv[1], '-q', 'zzz'])\n"
        "peak = next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(code, int(peak) // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in out.stderr, out.stderr
    status, peak_mb = out.stdout.split()
    assert status == "0"
    assert int(peak_mb) < 300, f"peak RSS {peak_mb} MB for a vault of two notes"
