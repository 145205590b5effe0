"""``readerly state``: two machines' copies of the sample vault and state, merged every way."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
from tui.cli.main import main


class Machine:
    """One machine: its own copy of the vault (at its own path), state file and device."""

    def __init__(self, root: Path, name: str) -> None:
        self.vault = root / name / "notes"
        shutil.copytree(SEEDS, self.vault)
        self.state = root / name / "sync" / "state.json"
        self.device = root / name / "device.json"

    def run(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
    ) -> tuple[int, str, str]:
        monkeypatch.setenv("READERLY_DEVICE_FILE", str(self.device))
        code = main([*args, "--vault", str(self.vault), "--state", str(self.state)])
        out = capsys.readouterr()
        return code, out.out, out.err

    def listing(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> dict[str, tuple[str, bool, object]]:
        code, out, err = self.run(
            monkeypatch, capsys, "list", "--json", "--query", "is:unread is:read is:archived"
        )
        assert code == 0, err
        return {n["path"]: (n["status"], n["starred"], n["relevance"]) for n in json.loads(out)}


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Machine, Machine]:
    return Machine(tmp_path, "laptop"), Machine(tmp_path, "server")


def seeds_paths() -> list[str]:
    return sorted(
        p.relative_to(SEEDS).as_posix() for p in SEEDS.rglob("*") if p.suffix in (".md", ".txt")
    )


def change_both(
    laptop: Machine,
    server: Machine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    paths = seeds_paths()
    assert len(paths) >= 4
    for machine, path, flags in (
        (laptop, paths[0], ["--read", "--star"]),
        (laptop, paths[1], ["--relevance", "high"]),
        (server, paths[0], ["--archive"]),
        (server, paths[2], ["--star"]),
        (server, paths[3], ["--read"]),
    ):
        code, _, err = machine.run(monkeypatch, capsys, "mark", path, *flags)
        assert code == 0, err
    return paths


def test_two_copies_merged_in_either_order_agree_and_lose_nothing(
    machines: tuple[Machine, Machine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    laptop, server = machines
    paths = change_both(laptop, server, monkeypatch, capsys)
    laptop_before, server_before = laptop.state.read_bytes(), server.state.read_bytes()
    code, out, err = laptop.run(monkeypatch, capsys, "state", "merge", str(server.state))
    assert code == 0 and "records changed" in out, err
    code, out, err = server.run(monkeypatch, capsys, "state", "merge", str(laptop.state))
    assert code == 0, err
    assert server.state.read_bytes() != server_before and laptop_before != laptop.state.read_bytes()
    seen = laptop.listing(monkeypatch, capsys)
    assert seen == server.listing(monkeypatch, capsys)
    assert seen[paths[0]][:2] == ("archived", True)  # the server archived it after the star
    assert seen[paths[1]][2] == "high"
    assert seen[paths[2]][1] is True
    assert seen[paths[3]][0] == "read"
    # Merging again changes nothing.
    code, out, _ = laptop.run(monkeypatch, capsys, "state", "merge", str(server.state))
    assert code == 0 and ": 0 records changed" in out


def test_a_syncthing_conflict_copy_is_merged_and_moved_aside_by_the_next_command(
    machines: tuple[Machine, Machine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    laptop, server = machines
    paths = change_both(laptop, server, monkeypatch, capsys)
    copy = laptop.state.with_name("state.sync-conflict-20260102-101112-SERVER7.json")
    shutil.copy(server.state, copy)
    seen = laptop.listing(monkeypatch, capsys)
    assert seen[paths[2]][1] is True and seen[paths[1]][2] == "high"
    assert not copy.exists() and (laptop.state.parent / "merged" / copy.name).exists()
    code, out, _ = laptop.run(monkeypatch, capsys, "state", "info")
    assert code == 0
    assert "0 waiting, 1 merged and kept" in out and copy.name in out
    assert "laptop" not in out or "device" in out


def test_export_import_and_info(
    machines: tuple[Machine, Machine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    laptop, server = machines
    change_both(laptop, server, monkeypatch, capsys)
    for fmt in ("json", "csv"):
        code, out, err = laptop.run(monkeypatch, capsys, "state", "export", "--format", fmt)
        assert code == 0, err
        assert str(laptop.vault) not in out  # portable: no machine paths
        exported = tmp_path / f"export.{fmt}"
        exported.write_text(out)
        fresh = Machine(tmp_path, f"fresh-{fmt}")
        code, out, err = fresh.run(monkeypatch, capsys, "state", "import", str(exported))
        assert code == 0 and "imported 2 records" in out, err
        assert fresh.listing(monkeypatch, capsys) == laptop.listing(monkeypatch, capsys)
    code, out, _ = laptop.run(monkeypatch, capsys, "state", "info")
    assert "records          2" in out and "last merge       never" in out


def test_bad_files_are_one_line_messages(
    machines: tuple[Machine, Machine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    laptop, _ = machines
    bad = tmp_path / "bad\x1b]0;PWNED\x07.json"
    bad.write_bytes(b"[1, 2")
    for args in (("state", "merge", str(bad)), ("state", "import", str(bad)),
                 ("state", "merge", str(tmp_path / "missing.json"))):  # fmt: skip
        code, out, err = laptop.run(monkeypatch, capsys, *args)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "\x1b" not in err and "Traceback" not in err


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_git_merge_driver_merges_two_branches_without_a_conflict(
    machines: tuple[Machine, Machine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    laptop, server = machines
    repo = laptop.state.parent
    repo.mkdir(parents=True)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "r@example.org")
    git(repo, "config", "user.name", "r")
    (repo / ".gitattributes").write_text("state.json merge=readerly\n")
    (repo / ".gitignore").write_text("state.json.journal\nstate.json.lock\n")
    driver = f"{sys.executable} -m tui state git-merge %O %A %B"
    git(repo, "config", "merge.readerly.driver", driver)
    code, _, _ = laptop.run(monkeypatch, capsys, "mark", seeds_paths()[0], "--read")
    assert code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    git(repo, "checkout", "-qb", "server")
    server.state.parent.mkdir(parents=True)
    shutil.copy(repo / "state.json", server.state)
    code, _, _ = server.run(monkeypatch, capsys, "mark", seeds_paths()[2], "--star")
    shutil.copy(server.state, repo / "state.json")
    git(repo, "commit", "-qam", "server")
    git(repo, "checkout", "-q", "main")
    code, _, _ = laptop.run(monkeypatch, capsys, "mark", seeds_paths()[1], "--relevance", "low")
    git(repo, "commit", "-qam", "laptop")
    env_path = f"{ROOT}"
    monkeypatch.setenv("PYTHONPATH", env_path)
    git(repo, "merge", "-q", "--no-edit", "server")
    seen = laptop.listing(monkeypatch, capsys)
    paths = seeds_paths()
    assert seen[paths[0]][0] == "read" and seen[paths[2]][1] is True
    assert seen[paths[1]][2] == "low"
