"""What a first-time user of the command line runs into: arguments, messages, exit codes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.unit.test_cli import NOTE_A, NOTE_B, run
from tui.cli.main import parse_args
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "2026-03-02-alpha.md").write_text(NOTE_A, encoding="utf-8")
    (root / "2026-03-01-beta.md").write_text(NOTE_B, encoding="utf-8")
    (root / "2026-02-28-gamma.md").write_text("---\ntitle: Gamma\n---\ng\n", encoding="utf-8")
    return root


def listed(capsys: pytest.CaptureFixture[str], vault: Path, state: Path, *args: str) -> list[str]:
    code, out, err = run(
        capsys, "list", "--json", "--vault", str(vault), "--state", str(state), *args
    )
    assert code == 0, err
    return [d["title"] for d in json.loads(out)]


def test_a_negated_query_can_follow_q_as_its_own_argument(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "s.json"
    assert listed(capsys, vault, state, "-q", "-is:read") == ["Alpha note", "Gamma"]
    assert listed(capsys, vault, state, "--query", "-is:unread") == ["Beta note"]
    assert listed(capsys, vault, state, "-q=-is:read") == ["Alpha note", "Gamma"]


def test_every_negated_filter_works_from_the_command_line(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "s.json"
    assert listed(capsys, vault, state, "-q", "-tag:python") == ["Alpha note", "Gamma"]
    assert listed(capsys, vault, state, "-q", "-domain:sql -tag:#python") == ["Gamma"]
    assert listed(capsys, vault, state, "-q", "-path:alpha") == ["Beta note", "Gamma"]
    assert listed(capsys, vault, state, "-q", "-title:note") == ["Gamma"]
    assert listed(capsys, vault, state, "-q", "-rel:1") == ["Beta note", "Gamma"]
    assert listed(capsys, vault, state, "-q", "-date:2026-03") == ["Gamma"]
    # A negated key that is no filter is named on stderr, as an unknown one is.
    where = ("--vault", str(vault), "--state", str(state))
    code, out, err = run(capsys, "list", *where, "-q", "-tug:x")
    assert code == 0 and "Alpha note" in out
    assert "-tug: is not a filter" in err and len(err.strip().splitlines()) == 1


def test_numbers_count_from_the_top_of_the_scale_everywhere(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The `1` key sets the first level; the CLI and the query language agree with it.
    assert DEFAULT_SCALE.normalise("1") == DEFAULT_SCALE.levels[0].name == "high"
    assert DEFAULT_SCALE.normalise(3) == "low"
    custom = RelevanceScale([("must", "!"), ("maybe", "?"), ("skip", "z")])
    assert [custom.normalise(n) for n in ("1", "2", "3")] == ["must", "maybe", "skip"]
    state = tmp_path / "s.json"
    code, out, _ = run(
        capsys, "mark", "2026-02-28-gamma.md", "--relevance", "1",
        "--vault", str(vault), "--state", str(state),
    )  # fmt: skip
    assert code == 0 and "relevance high" in out
    assert listed(capsys, vault, state, "-q", "rel:1") == ["Alpha note", "Gamma"]
    assert listed(capsys, vault, state, "-q", "rel:3") == ["Beta note"]


def test_a_file_given_as_the_vault_says_it_is_a_file(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = vault / "2026-03-02-alpha.md"
    code, _, err = run(capsys, str(note))
    assert code == 1
    assert "is a file, not a folder" in err and "--vault" not in err
    code, _, err = run(capsys, "--vault", str(note), "list")
    assert code == 1 and "is a file, not a folder" in err and "from --vault" in err


def test_a_mistyped_command_is_bad_usage_with_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "lsit")
    assert code == 2
    assert "unknown command 'lsit'" in err and "list" in err and "vault" not in err.split(";")[0]
    code, _, err = run(capsys, "nowhere")
    assert code == 1 and "vault folder not found: nowhere" in err and "--vault" not in err


def test_a_folder_named_like_a_command_typo_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lsit").mkdir()
    monkeypatch.chdir(tmp_path)
    assert parse_args(["lsit"]).path == "lsit"


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_a_bad_port_is_bad_usage(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "serve", "--port", port)
    assert code == 2 and "port" in err and "Traceback" not in err and out == ""


def test_mark_takes_several_notes(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "s.json"
    code, out, err = run(
        capsys, "mark", "2026-03-02-alpha.md", "2026-02-28-gamma.md", "--read",
        "--vault", str(vault), "--state", str(state),
    )  # fmt: skip
    assert code == 0, err
    assert len(out.splitlines()) == 2
    assert listed(capsys, vault, state, "-q", "is:unread") == []


def test_mark_reads_ids_from_stdin(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "s.json"
    code, out, _ = run(capsys, "list", "--ids", "-q", "is:unread", "--vault", str(vault))
    assert code == 0
    ids = out.split()
    assert len(ids) == 2 and all(len(i) >= 6 for i in ids)
    monkeypatch.setattr("sys.stdin", io.StringIO(out + "\n\n"))
    code, out, err = run(
        capsys, "mark", "-", "--star", "--vault", str(vault), "--state", str(state)
    )
    assert code == 0, err
    assert len(out.splitlines()) == 2
    assert sorted(listed(capsys, vault, state, "-q", "is:starred")) == ["Alpha note", "Gamma"]


def test_mark_with_an_unknown_note_changes_none_of_them(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "s.json"
    code, out, err = run(
        capsys, "mark", "2026-03-02-alpha.md", "nope.md", "--read",
        "--vault", str(vault), "--state", str(state),
    )  # fmt: skip
    assert code == 1 and "no note 'nope.md'" in err and out == ""
    assert listed(capsys, vault, state, "-q", "is:read") == ["Beta note"]


def test_mark_from_an_empty_stdin_is_bad_usage(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, "mark", "-", "--read", "--vault", str(vault))
    assert code == 2 and "no note ids on stdin" in err


@pytest.mark.parametrize("command", ["mark", "stats", "list"])
def test_every_option_has_a_sentence_of_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse_args([command, "--help"])
    text = capsys.readouterr().out
    for option in {
        "mark": ["--read", "--unread", "--archive", "--star", "--unstar", "--no-cache"],
        "stats": ["--json", "--no-cache"],
        "list": ["--ids", "--json", "--sort"],
    }[command]:
        lines = text.splitlines()
        at = next(i for i, x in enumerate(lines) if x.strip().startswith(option))
        parts = re.split(r"\s{2,}", lines[at].strip(), maxsplit=1)
        # argparse puts the help on the next line when the option itself is long.
        help_text = parts[1] if len(parts) == 2 else lines[at + 1].strip()
        assert len(help_text.split()) >= 3, f"{option}: {lines[at]!r}"


def test_levels_have_distinct_letters_for_a_terminal_without_colour() -> None:
    assert [lv.letter for lv in DEFAULT_SCALE.levels] == ["H", "M", "L"]
    plain = DEFAULT_SCALE.with_letters()
    assert [plain.symbol(v) for v in ("high", "medium", "low", None, "odd")] == [
        "H", "M", "L", "", "odd",
    ]  # fmt: skip
    assert plain.normalise("🔴") == "high" and plain.normalise("1") == "high"
    clash = RelevanceScale([("must", "!"), ("maybe", "?"), ("meh", "~")])
    assert [lv.letter for lv in clash.levels] == ["M", "A", "E"]


def test_list_without_colour_shows_letters(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run(capsys, "list", "--vault", str(vault))
    assert code == 0
    assert "🔴" not in out and " H " in out.splitlines()[0]
