"""``readerly show --rendered``: the article's layout on stdout, plain when piped."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli.main import main
from tui.text.notes import Note
from tui.ui.widgets.article.printout import rendered_lines

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_rendered_show_is_plain_when_piped_and_fits_the_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ("--vault", str(SEEDS), "--no-cache", "--state", str(tmp_path / "s.json"))
    note = "obsidian/Footnotes Tasks and Math.md"
    code, out, _ = run(capsys, "show", note, "--rendered", "--width", "40", *common)
    assert code == 0 and "\x1b" not in out
    lines = out.splitlines()
    assert lines[0] == "Footnotes, Tasks and Math"
    assert "☑  Write the card while the idea is" in lines
    assert any(line.startswith("¹ Retrieval practice") for line in lines)
    assert "[[A note that does not exist]]" in out  # in code: shown, not a link
    table = [line for line in lines if line.startswith(("│", "╭", "├", "╰"))]
    assert table and all(len(line) > 40 for line in table)  # too wide: words stay whole
    for word in ("Highlighting", "Self-testing", "productive,", "Retention"):
        assert any(word in line for line in table), word
    prose = [line for line in lines if line and line not in table]
    assert max(len(line) for line in prose) <= 40
    code, plain_out, _ = run(capsys, "show", note, *common)
    assert code == 0 and "[^effort]" in plain_out  # without the flag: the source, unchanged


def test_rendered_show_rejects_a_silly_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "show", "obsidian/Reading Workflow.md", "--rendered", "--width",
                       "0", "--vault", str(SEEDS), "--state", str(tmp_path / "s.json"))  # fmt: skip
    assert code == 2 and "--width 0" in err


def test_colour_uses_the_standard_colours_only() -> None:
    note = Note(id="x", path="x.md", title="T", date="2026-01-01")
    lines = list(rendered_lines(note, "# H\n\n==mark== [[x]]", 40, colour=True))
    text = "\n".join(lines)
    assert "\x1b[" in text and "38;2;" not in text and "38;5;" not in text
