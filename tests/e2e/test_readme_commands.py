"""Every readerly command the README shows works, as written, against the sample vault.

Examples (`readerly list -q ...`, pipes included) are run in a shell; the ones that would
start the reader or a server are parsed only; a synopsis line (`readerly show NOTE`) is
checked against the command's own ``--help``, so an option the README names must exist.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS
from tui.cli.main import COMMANDS, parse_args

README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
# Words in capitals (NOTE, VAULT, QUERY), brackets and "a | b" alternatives mark a synopsis.
SYNOPSIS = re.compile(r"\[[-A-Z]|\b[A-Z]+\b|\.\.\.| \| --|^readerly \w+ \w+ \| \w+$")


def _commands() -> list[str]:
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith("readerly"):
                found.append(line)
    for span in re.findall(r"`((?:\.venv/bin/)?readerly(?: [^`]*)?)`", README):
        found.append(span.removeprefix(".venv/bin/"))
    return list(dict.fromkeys(found))


COMMAND_LINES = _commands()


def _subcommand(words: list[str]) -> str:
    rest = [w for w in words[1:] if not w.startswith("-")]
    return rest[0] if rest and rest[0] in COMMANDS else "open"


def _nested(words: list[str], command: str, env: dict[str, str]) -> list[str]:
    """``["export"]`` for ``readerly state export ...``: a command's own sub-command, whose
    ``--help`` lists the options the line names."""
    rest = words[words.index(command) + 1 :] if command in words else []
    if rest and re.fullmatch(r"[a-z][a-z-]*", rest[0]):
        probe = subprocess.run([str(BIN / "readerly"), command, rest[0], "--help"],
                               capture_output=True, text=True, env=env)  # fmt: skip
        if probe.returncode == 0:
            return [rest[0]]
    return []


def test_the_readme_shows_commands() -> None:
    assert len(COMMAND_LINES) >= 10
    assert any("| readerly mark -" in c for c in COMMAND_LINES)


@pytest.mark.parametrize("line", COMMAND_LINES)
def test_readme_command(line: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "READERLY_VAULT": str(SEEDS),
        "READERLY_STATE": str(tmp_path / "state.json"),
        "READERLY_CONFIG": str(tmp_path / "config.toml"),
        "READERLY_CACHE": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }
    if SYNOPSIS.search(line):
        words = line.split()
        command = _subcommand(words)
        asked = [command, *_nested(words, command, env)]
        shown = subprocess.run(
            [str(BIN / "readerly"), *asked, "--help"], capture_output=True, text=True, env=env
        )
        assert shown.returncode == 0, shown.stderr
        for option in re.findall(r"(?<![\w-])--?[a-z][\w-]*", line):
            assert re.search(rf"(?<![\w-]){re.escape(option)}\b", shown.stdout), (
                f"README shows {option} for `readerly {command}`, which does not take it"
            )
        return
    line = line.replace("~/notes", str(SEEDS))
    words = line.split()
    if _subcommand(words) in ("open", "serve"):
        # These start the reader or a web server: the arguments must parse, nothing more.
        args = parse_args(words[1:])
        assert args.command in ("open", "serve")
        return
    if _subcommand(words) == "fetch" or "--full" in words:
        # These reach the note's source on the web, which a test run has no way to: the
        # arguments must parse (the fetching itself is tested against a local server).
        assert parse_args(words[1:]).command in ("fetch", "show")
        return
    if "| jq" in line and shutil.which("jq") is None:
        line = line.split("| jq")[0]
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", line],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, f"{line}\n{done.stderr}"
    assert done.stderr == "" and "Traceback" not in done.stdout
    assert done.stdout.strip(), f"{line} printed nothing"
