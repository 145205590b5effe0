"""The command line, fed hostile paths, arguments and files: one line of message, the right
exit code, never a traceback, and never a byte that a terminal acts on."""

from __future__ import annotations

import functools
import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.security.bounded import within
from tui.cli.main import main
from tui.config.settings import load_config
from tui.vault.cache import write_cache

PWN = "\x1b]0;PWNED\x07"
LONG = "n" * 300  # one component over the 255 bytes a file name may have


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "a.md").write_text("---\ntitle: Alpha\ndomain: example.org\n---\nbody\n")
    (root / "b.md").write_text("---\ntitle: Beta\n---\nbody\n")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# What a terminal acts on: C0 controls but tab and newline, DEL, C1, bidi and format
# controls, unpaired surrogates. Written out here, not taken from the code under test.
ACTIVE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u206f\ud800-\udfff]"
)


def assert_inert(*texts: str) -> None:
    for text in texts:
        assert ACTIVE.search(text) is None, repr(text)
        assert "Traceback" not in text


@pytest.mark.parametrize(
    "args",
    [
        ("show", LONG),
        ("show", f"sub/{LONG}.md"),
        ("mark", LONG, "--read"),
    ],
)
def test_a_name_too_long_is_a_message(
    vault: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *args, "--vault", str(vault))
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "no note" in err
    assert_inert(err)


def test_a_vault_name_too_long_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("list", "stats", "show"):
        args = [command, "x.md"] if command == "show" else [command]
        code, out, err = run(capsys, *args, "--vault", str(tmp_path / LONG))
        assert code == 1, command
        assert len(err.strip().splitlines()) == 1 and "vault folder not found" in err
        assert_inert(out, err)


def test_a_cache_folder_that_is_a_file(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("READERLY_CACHE", str(blocker))
    code, out, err = run(capsys, "list", "--vault", str(vault))
    assert code == 0, err
    assert "Alpha" in out and err == ""
    # As documented: writing a cache never raises, wherever the path leads.
    write_cache(blocker / "index.json", [])
    write_cache(blocker, [])


def test_a_cache_file_that_is_a_fifo_or_a_device(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("READERLY_CACHE", str(cache))
    run(capsys, "list", "--vault", str(vault))
    (index,) = cache.iterdir()
    index.unlink()
    os.mkfifo(index)
    result = within(30, lambda: run(capsys, "list", "--vault", str(vault)))
    assert isinstance(result, tuple) and result[0] == 0 and "Alpha" in result[1]
    index.unlink()
    index.symlink_to("/dev/zero")
    result = within(30, lambda: run(capsys, "list", "--vault", str(vault)))
    assert isinstance(result, tuple) and result[0] == 0 and "Alpha" in result[1]


def test_a_config_that_is_a_fifo_or_a_device(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    for config in (fifo, zero):
        argv = ("list", "--vault", str(vault), "--config", str(config))
        result = within(30, functools.partial(run, capsys, *argv))
        assert isinstance(result, tuple)
        code, out, err = result
        assert code == 0 and "Alpha" in out
        assert "cannot read (not a regular file); using the defaults" in err


def test_a_config_nested_100k_deep_is_a_warning(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    for text in ("x = " + "[" * 100_000, "x = " + "{a = " * 100_000):
        config.write_text(text)
        code, out, err = run(capsys, "list", "--vault", str(vault), "--config", str(config))
        assert code == 0 and "Alpha" in out
        assert len(err.strip().splitlines()) == 1 and "using the defaults" in err, err


def test_config_warnings_take_linear_time(tmp_path: Path) -> None:
    """8,000 unknown keys took about two minutes when each warning searched the whole
    text for its line; the bound is generous, the point is that it is not quadratic."""
    config = tmp_path / "config.toml"
    config.write_text("".join(f"unknown_key_{i} = {i}\n" for i in range(8000)))
    start = time.monotonic()
    loaded = load_config(config)
    assert time.monotonic() - start < 10
    assert len(loaded.warnings) == 8000
    assert loaded.warnings[7999].startswith(f"{config}:8000: unknown setting")


def _hostile_state(vault: Path, capsys: pytest.CaptureFixture[str], state: Path) -> None:
    """A state file whose relevance value carries an escape sequence, as a damaged or
    hostile file might."""
    assert run(capsys, "mark", "a.md", "--relevance", "high", "--vault", str(vault))[0] == 0
    raw = state.read_text()
    assert '"high"' in raw
    state.write_text(raw.replace('"high"', json.dumps(f"high{PWN}\u202e\x9b2J")))


def test_strings_from_the_state_file_never_reach_the_terminal(
    vault: Path, capsys: pytest.CaptureFixture[str], isolated_env: Path
) -> None:
    _hostile_state(vault, capsys, isolated_env / "state.json")
    for args in (("list",), ("list", "--json"), ("stats",), ("stats", "--json"), ("show", "a.md")):
        code, out, err = run(capsys, *args, "--vault", str(vault))
        assert code == 0, (args, err)
        assert_inert(out, err)
        assert "high" in out, args  # the value is shown, only made inert
        if "--json" in args:
            json.loads(out)


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--vault", f"/x{PWN}"),
        ("show", f"{PWN}.md"),
        ("mark", f"{PWN}.md", "--read"),
        ("mark", "a.md", "--relevance", PWN),
        ("list", "--config", f"/nowhere/{PWN}.toml"),
        ("list", "--sort", PWN),
        ("list", PWN, "--bogus" + PWN),
        ("serve", "--host", PWN, "--port", "1"),
        ("serve", "--host", "0.0.0.0", "--allow-host", PWN),
        ("list", "--state", f"/proc/{PWN}/state.json"),
    ],
)
def test_user_supplied_text_is_printed_inert(
    vault: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    if "--vault" not in args:
        args = (*args, "--vault", str(vault))
    code, out, err = run(capsys, *args)
    assert code in (0, 1, 2)
    assert err, "each of these is worth a message"
    assert "PWNED" in err or "]0;" in err or code == 2  # named, only made inert
    assert_inert(out, err)


def test_a_config_with_hostile_keys_warns_inertly(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'"{PWN}\u202e" = 1\ntheme = "{PWN}"\nskip = ["a\\u001b[2J"]\n'
        f'[keymap]\n"main.star\\u009b" = "x"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "list", "--vault", str(vault), "--config", str(config))
    assert code == 0 and err
    assert_inert(out, err)
