"""The readerly command as scripts use it: output, JSON shape, exit codes, state changes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared_dir
from tui.cli.main import main

NOTE_A = """---
title: Alpha note
date: '2026-03-02'
domain: SQL
relevance: 🔴
tags: ['#sql', '#db']
source: https://example.org/alpha
related: ['[[2026-03-01-beta]]', '[[missing-note]]']
status: unread
---
Alpha body about indexes.
"""
NOTE_B = """---
title: Beta note
date: '2026-03-01'
domain: Python
relevance: 🟢
tags: '#python'
status: read
---
Beta body [[2026-03-02-alpha|back to alpha]].
"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "2026-03-02-alpha.md").write_text(NOTE_A, encoding="utf-8")
    (root / "2026-03-01-beta.md").write_text(NOTE_B, encoding="utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_json_shape(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json", "--vault", str(vault))
    assert code == 0
    data = json.loads(out)
    assert [d["title"] for d in data] == ["Alpha note", "Beta note"]  # newest first
    alpha = data[0]
    assert set(alpha) == {
        "id",
        "path",
        "title",
        "date",
        "domain",
        "relevance",
        "tags",
        "status",
        "starred",
        "source",
        "links",
        "problems",
    }
    assert alpha["path"] == "2026-03-02-alpha.md"
    assert alpha["relevance"] == "high" and alpha["status"] == "unread"
    assert alpha["links"] == [
        {"target": "2026-03-01-beta", "path": "2026-03-01-beta.md"},
        {"target": "missing-note", "path": None},
    ]
    assert data[1]["tags"] == ["#python"]


def test_list_query_and_sort(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "list", "--json", "--vault", str(vault), "--query", "is:read")
    assert [d["title"] for d in json.loads(out)] == ["Beta note"]
    _, out, _ = run(capsys, "list", "--json", "--vault", str(vault), "--query", "indexes")
    assert [d["title"] for d in json.loads(out)] == ["Alpha note"]
    _, out, _ = run(capsys, "list", "--json", "--vault", str(vault), "--sort", "title")
    assert [d["title"] for d in json.loads(out)] == ["Alpha note", "Beta note"]
    _, out, _ = run(capsys, "list", "--vault", str(vault))
    assert out.splitlines()[0].endswith("Alpha note")


def test_mark_changes_state_not_notes(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = {p.name: p.read_bytes() for p in vault.iterdir()}
    state = tmp_path / "s.json"
    code, out, _ = run(
        capsys,
        "mark",
        "2026-03-02-alpha.md",
        "--read",
        "--star",
        "--relevance",
        "low",
        "--vault",
        str(vault),
        "--state",
        str(state),
    )
    assert code == 0 and "read, starred, relevance low" in out
    _, out, _ = run(capsys, "list", "--json", "--vault", str(vault), "--state", str(state))
    alpha = json.loads(out)[0]
    assert (alpha["status"], alpha["starred"], alpha["relevance"]) == ("read", True, "low")
    code, _, _ = run(
        capsys,
        "mark",
        alpha["id"],
        "--archive",
        "--relevance",
        "none",
        "--vault",
        str(vault),
        "--state",
        str(state),
    )
    assert code == 0
    _, out, _ = run(capsys, "list", "--json", "--vault", str(vault), "--state", str(state))
    assert [d["title"] for d in json.loads(out)] == ["Beta note"]  # archived is hidden
    _, out, _ = run(
        capsys, "list", "--json", "--vault", str(vault), "--state", str(state), "-q", "is:archived"
    )
    assert json.loads(out)[0]["relevance"] is None
    assert {p.name: p.read_bytes() for p in vault.iterdir()} == before


def test_show_prints_clean_note(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "2026-03-01-beta.md", "--vault", str(vault))
    assert code == 0
    assert out.startswith("Title:     Beta note\n")
    assert "Beta body [[2026-03-02-alpha|back to alpha]]." in out


def test_stats(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", "--json", "--vault", str(vault))
    data = json.loads(out)
    assert code == 0 and data["notes"] == 2
    assert data["status"]["unread"] == 1 and data["status"]["read"] == 1
    assert data["domain"] == {"SQL": 1, "Python": 1} or data["domain"] == {"Python": 1, "SQL": 1}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "nope.md"], 1, "no note 'nope.md'"),
        (["mark", "2026-03-01-beta.md"], 2, "nothing to change"),
        (["mark", "2026-03-01-beta.md", "--relevance", "urgent"], 2, "unknown relevance"),
        (["mark", "x", "--read", "--unread"], 2, "not allowed with"),
        (["list", "--sort", "size"], 2, "invalid choice"),
    ],
)
def test_errors_and_exit_codes(
    vault: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    got, out, err = run(capsys, *args, "--vault", str(vault))
    assert got == code
    assert message in err and "Traceback" not in err
    assert out == ""


def test_missing_vault_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list", "--vault", str(tmp_path / "nowhere"))
    assert code == 1 and "vault folder not found" in err


def test_version_and_module_entry() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tui", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("readerly ")


def test_pipe_closed_early_is_not_an_error(vault: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m tui list --vault {vault} | head -c 1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in proc.stderr


def test_cli_on_shared_clipped_vault(capsys: pytest.CaptureFixture[str]) -> None:
    root = shared_dir("vaults", "clipped")
    code, out, _ = run(capsys, "list", "--json", "--vault", str(root), "-q", "rel:high")
    data = json.loads(out)
    assert code == 0 and len(data) == 17
    assert all(d["relevance"] == "high" for d in data)


def test_mark_folds_the_journal_on_exit(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "folded.json"
    code, _, _ = run(
        capsys, "mark", "2026-03-01-beta.md", "--star", "--vault", str(vault), "--state", str(state)
    )
    assert code == 0
    assert b"starred" in state.read_bytes()  # in the state file itself, not only the journal
    journal = state.with_name(state.name + ".journal")
    assert not journal.exists() or journal.read_bytes() == b""
