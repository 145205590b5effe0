"""The command in a shell: the config file applied, clean pipes, colour only on a terminal,
exit codes, and the reader started with the configured keys, theme and scale."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.cli import main as cli
from tui.cli.app_commands import build_app
from tui.cli.main import main, parse_args
from tui.state.store import StateStore
from tui.vault.index import Vault

NOTE = "---\ntitle: {title}\ndate: '2026-03-0{day}'\ndomain: Shell\nstatus: {status}\n---\nBody.\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / "Templates").mkdir(parents=True)
    (root / "new.md").write_text(NOTE.format(title="Fresh", day=3, status="unread"), "utf-8")
    (root / "old.md").write_text(NOTE.format(title="Done", day=2, status="read"), "utf-8")
    template = NOTE.format(title="Template", day=1, status="unread")
    (root / "Templates" / "tpl.md").write_text(template, "utf-8")
    return root


@pytest.fixture
def config() -> Path:
    """The config file every command in the test reads (the isolated READERLY_CONFIG)."""
    return Path(os.environ["READERLY_CONFIG"])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def titles(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code, out, err = run(capsys, "list", "--json", *args)
    assert code == 0, err
    return [n["title"] for n in json.loads(out)]


def readerly(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, check=False
    )


def on_a_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[bytes, bytes]:
    """Run readerly with stdout on a pseudo-terminal; returns (terminal bytes, stderr)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        cwd=ROOT,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the far end closed: the program has finished
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return screen, err


# -- settings applied to the script commands ---------------------------------------------


def test_skip_folders_from_the_config_are_left_out(
    vault: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "Template" in titles(capsys, "--vault", str(vault))
    config.write_text('skip = ["templates"]\n', "utf-8")  # folder names match in any case
    assert titles(capsys, "--vault", str(vault), "--no-cache") == ["Fresh", "Done"]


def test_vault_and_state_from_the_config(
    vault: Path,
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config.write_text(f'vault = "{vault}"\nstate = "state/mine.json"\n', "utf-8")
    monkeypatch.delenv("READERLY_STATE")
    code, _, err = run(capsys, "mark", "new.md", "--star")
    assert (code, err) == (0, "")
    # Relative to the config file's folder; on exit the journal is folded into the file.
    assert b"starred" in (config.parent / "state" / "mine.json").read_bytes()
    assert titles(capsys) == ["Fresh", "Done", "Template"]
    monkeypatch.setenv("READERLY_VAULT", str(tmp_path / "elsewhere"))  # environment beats the file
    code, _, err = run(capsys, "list")
    assert code == 1 and "elsewhere" in err and "$READERLY_VAULT" in err
    assert titles(capsys, "--vault", str(vault)) == ["Fresh", "Done", "Template"]  # CLI beats env


def test_relevance_scale_from_the_config(
    vault: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text(
        '[relevance]\nlevels = [{name = "must", symbol = "M"}, {name = "later", symbol = "L"}]\n',
        "utf-8",
    )
    assert run(capsys, "mark", "new.md", "--relevance", "must", "--vault", str(vault))[0] == 0
    assert run(capsys, "mark", "old.md", "--relevance", "L", "--vault", str(vault))[0] == 0
    code, _, err = run(capsys, "mark", "old.md", "--relevance", "high", "--vault", str(vault))
    assert code == 2 and "must, later" in err
    code, out, _ = run(capsys, "list", "--vault", str(vault), "--sort", "relevance")
    rows = out.splitlines()
    # One-column symbols get one column: the dates still line up.
    assert rows[0].endswith("  ●  M  2026-03-03  Shell             Fresh")
    assert rows[1].endswith("     L  2026-03-02  Shell             Done")


def test_options_given_before_the_command_are_kept(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.toml"
    other.write_text('skip = ["Templates"]\n', "utf-8")
    assert titles(capsys, "--vault", str(vault), "--config", str(other)) == ["Fresh", "Done"]
    code, out, _ = run(capsys, "--vault", str(vault), "--config", str(other), "list", "--json")
    assert code == 0 and len(json.loads(out)) == 2


def test_the_platform_config_is_ignored_when_READERLY_CONFIG_is_set(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    users = tmp_path / "xdg" / "readerly" / "config.toml"
    users.parent.mkdir(parents=True)
    users.write_text('skip = ["Templates"]\ntheme = "nord"\n', "utf-8")
    assert len(titles(capsys, "--vault", str(vault))) == 3
    assert 'theme = "nord"' not in run(capsys, "config", "show")[1]
    monkeypatch.delenv("READERLY_CONFIG")  # only now is the user's own file read
    assert len(titles(capsys, "--vault", str(vault))) == 2
    assert run(capsys, "config", "path")[1].strip() == str(users)


# -- config path / show -----------------------------------------------------------------


def test_config_path_and_show(
    vault: Path, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "config", "path") == (0, f"{config}\n", "")
    assert run(capsys, "config", "path", "--config", "/x/c.toml") == (0, "/x/c.toml\n", "")
    config.write_text(f'vault = "{vault}"\ntheme = "nord"\n[keymap]\n"main.star" = "w"\n', "utf-8")
    code, out, err = run(capsys, "config", "show")
    assert (code, err) == (0, "")
    data = tomllib.loads(out)
    assert (data["vault"], data["theme"], data["keymap"]) == (
        str(vault),
        "nord",
        {"main.star": "w"},
    )
    assert data["state"] == os.environ["READERLY_STATE"]
    lines = out.splitlines()
    assert f'vault = "{vault}"  # {config}:1' in lines
    assert f'state = "{os.environ["READERLY_STATE"]}"  # $READERLY_STATE' in lines
    assert "auto_mark_read = true  # default" in lines
    code, out, _ = run(capsys, "config", "show", "--vault", str(tmp_path))
    assert f'vault = "{tmp_path}"  # --vault' in out.splitlines()


def test_config_show_names_unknown_binding_ids_and_themes(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text('theme = "nope"\n\n[keymap]\n"main.toggle_raed" = "x"\n', "utf-8")
    code, out, err = run(capsys, "config", "show")
    assert code == 0
    assert f"{config}:4: keymap: unknown binding id 'main.toggle_raed' ignored" in err
    assert "did you mean 'main.toggle_read'?" in err
    assert f"{config}:1: theme: no theme 'nope'; using the default" in err
    assert tomllib.loads(out)["keymap"] == {}


def test_keys_ids_lists_every_binding_a_keymap_can_move(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "keys", "--ids")
    ids = {line.split()[0] for line in out.splitlines()}
    assert code == 0
    assert {"main.toggle_read", "app.help", "list.down", "article.follow", "triage.star"} <= ids


# -- clean pipes, colour, exit codes -------------------------------------------------------


def test_a_bad_config_warns_on_stderr_and_json_stays_clean(
    vault: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text('auto_mark_read = "yes"\ncolour = 1\n', "utf-8")
    code, out, err = run(capsys, "list", "--json", "--vault", str(vault))
    assert code == 0 and len(json.loads(out)) == 3
    assert err.splitlines() == [
        f"readerly: {config}:1: auto_mark_read: must be true or false, not 'yes'; "
        "using the default",
        f"readerly: {config}:2: unknown setting 'colour' ignored (known: vault, state, "
        "auto_mark_read, watch, similar, theme, skip, relevance, keymap, views, fetch)",
    ]


def test_broken_toml_still_runs_with_defaults(
    vault: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text('skip = ["Templates"]\nauto_mark_read = \n', "utf-8")
    code, out, err = run(capsys, "list", "--vault", str(vault))
    assert code == 0 and len(out.splitlines()) == 3
    assert "not valid TOML" in err and "line 2" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["config"], 2),
        (["config", "edit"], 2),
        (["--bogus"], 2),
        (["list", "--sort", "size"], 2),
        (["mark", "new.md"], 2),
        (["--help"], 0),
        (["config", "path"], 0),
        (["list", "--config", "/nonexistent/readerly.toml"], 0),
        (["show", "no-such-note"], 1),
        (["list", "--vault", "/nonexistent/vault"], 1),
    ],
)
def test_exit_codes(
    vault: Path, args: list[str], code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READERLY_VAULT", str(vault))
    assert main(args) == code


def test_exit_codes_from_a_real_process_and_no_traceback(vault: Path, config: Path) -> None:
    config.write_text("= broken\n", "utf-8")
    ok = readerly("list", "--vault", str(vault))
    assert ok.returncode == 0 and b"not valid TOML" in ok.stderr and ok.stdout.count(b"\n") == 3
    usage = readerly("config")
    assert usage.returncode == 2 and b"usage:" in usage.stderr and usage.stdout == b""
    failed = readerly("list", "--vault", str(vault / "missing"))
    assert failed.returncode == 1 and b"Traceback" not in failed.stderr


def test_interrupted_is_130(monkeypatch: pytest.MonkeyPatch, vault: Path) -> None:
    def interrupted(args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_list", interrupted)
    assert main(["list", "--vault", str(vault)]) == 130


def test_piped_output_has_no_escape_codes(vault: Path) -> None:
    piped = readerly("list", "--vault", str(vault))
    assert piped.returncode == 0 and b"Done" in piped.stdout and b"\x1b" not in piped.stdout


def test_a_terminal_gets_read_notes_dimmed_unless_NO_COLOR(vault: Path) -> None:
    screen, _ = on_a_terminal("list", "--vault", str(vault), env={"TERM": "xterm"})
    done = next(line.rstrip(b"\r") for line in screen.splitlines() if b"Done" in line)
    fresh = next(line for line in screen.splitlines() if b"Fresh" in line)
    assert done.startswith(b"\x1b[2m") and done.endswith(b"Done\x1b[0m")
    assert b"\x1b" not in fresh
    for quiet in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        screen, _ = on_a_terminal("list", "--vault", str(vault), env=quiet)
        assert b"Done" in screen and b"\x1b" not in screen


def test_progress_goes_to_stderr_only_when_it_is_a_terminal(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    for i in range(2000):
        (big / f"n{i:04}.md").write_bytes(b"---\ntitle: n\n---\nx\n")
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "list", "--json", "--no-cache", "--vault", str(big)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=follower,
        check=True,
    )
    os.close(follower)
    shown = b""
    while select.select([leader], [], [], 0.5)[0]:
        try:
            shown += os.read(leader, 65536)
        except OSError:
            break
    os.close(leader)
    assert len(json.loads(proc.stdout)) == 2000  # stdout is only the JSON
    assert b"indexing 2000/2000 notes" in shown
    piped = readerly("list", "--json", "--no-cache", "--vault", str(big))
    assert piped.stderr == b"" and len(json.loads(piped.stdout)) == 2000


# -- the reader gets the settings ----------------------------------------------------------


def status_on_disk(vault: Path, name: str) -> str:
    note = Vault.open(vault, use_cache=False).by_path[name]
    store = StateStore(Path(os.environ["READERLY_STATE"]))
    try:
        return store.status(note)
    finally:
        store.close()


async def test_the_reader_uses_the_configured_keymap_and_theme(
    vault: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text(
        'theme = "nord"\nauto_mark_read = false\n\n[keymap]\n"main.toggle_read" = "x"\n'
        '"main.nothing" = "z"\n',
        "utf-8",
    )
    app = build_app(parse_args(["open", str(vault)]))
    assert f"{config}:6: keymap: unknown binding id 'main.nothing'" in capsys.readouterr().err
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.main.vault is not None:
                break
        assert app.theme == "nord"
        assert any("main.nothing" in n.message for n in app._notifications)
        await pilot.press("m")  # the default key no longer marks read
        await pilot.pause()
        assert status_on_disk(vault, "new.md") == "unread"
        await pilot.press("enter")  # opening does not mark read: auto_mark_read = false
        await pilot.pause()
        assert status_on_disk(vault, "new.md") == "unread"
        await pilot.press("x")  # the configured key does
        await pilot.pause()
    assert status_on_disk(vault, "new.md") == "read"


async def test_an_unknown_theme_falls_back_and_says_so(
    vault: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.write_text('theme = "no-such-theme"\n', "utf-8")
    app = build_app(parse_args(["open", str(vault)]))
    assert f"{config}:1: theme: no theme 'no-such-theme'" in capsys.readouterr().err
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"


def test_watch_setting_reaches_the_reader(vault: Path, config: Path) -> None:
    assert build_app(parse_args(["open", str(vault)])).watch_files is True
    config.write_text("watch = false\n", "utf-8")
    assert build_app(parse_args(["open", str(vault)])).watch_files is False


def test_keys_show_the_configured_keymap(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config.write_text('[keymap]\n"main.toggle_read" = "x"\n', "utf-8")
    code, out, _ = run(capsys, "keys", "--ids")
    assert code == 0
    line = next(row for row in out.splitlines() if row.startswith("main.toggle_read "))
    assert line.split()[1] == "x"
    code, out, _ = run(capsys, "keys")
    assert "| `x` | Mark read / unread |" in out
    assert "| `m` | Mark read / unread |" not in out
