"""``readerly index``, ``readerly similar``, ``list --sort rank`` and query problems on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli.main import main

STORY = "the river flooded the valley town after storms; rescue boats and sandbags"


def note(title: str, date: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: '{date}'\n---\n{body}\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "one.md").write_text(note("Valley town floods", "2026-03-01", STORY), "utf-8")
    (root / "two.md").write_text(note("Rescue boats", "2026-03-02", STORY + " again"), "utf-8")
    (root / "three.md").write_text(note("Sourdough", "2026-03-03", "flour water salt"), "utf-8")
    (root / "four.md").write_text(note("Rye", "2026-03-04", "flour rye starter boats"), "utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_sort_rank_puts_the_title_match_first(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list", "--json", "--vault", str(vault), "-q", "boats")
    assert code == 0
    assert [n["path"] for n in json.loads(out)] == ["four.md", "two.md", "one.md"]  # newest
    _, out, _ = run(
        capsys, "list", "--json", "--vault", str(vault), "-q", "boats", "--sort", "rank"
    )
    assert json.loads(out)[0]["path"] == "two.md"  # "boats" in its title


def test_query_problems_go_to_stderr(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--vault", str(vault), "-q", "is:foo colour:red flour")
    assert code == 0
    assert "is:foo is not a status" in err and "colour: is not a filter" in err
    assert len(out.splitlines()) == 2  # the two flour notes: the bad filters asked nothing


def test_index_stats_and_rebuild(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "index", "--vault", str(vault), "--stats")
    assert code == 0
    assert "indexed      4" in out and "4 read, 0 dropped" in out
    _, out, _ = run(capsys, "index", "--vault", str(vault))
    assert "0 read, 0 dropped" in out  # up to date: nothing read again
    _, out, _ = run(capsys, "index", "--vault", str(vault), "--rebuild")
    assert "4 read" in out


def test_similar_lists_the_same_story(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "similar", "one.md", "--vault", str(vault), "--json")
    assert code == 0
    found = json.loads(out)
    assert found and found[0]["path"] == "two.md"
    assert all(n["path"] != "one.md" for n in found)
    _, out, _ = run(capsys, "similar", "one.md", "--vault", str(vault), "--limit", "1")
    assert len(out.splitlines()) == 1 and "Rescue boats" in out


def test_similar_bad_usage(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "similar", "nope.md", "--vault", str(vault))[0] == 1
    assert run(capsys, "similar", "one.md", "--vault", str(vault), "--limit", "0")[0] == 2
