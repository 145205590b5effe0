"""Fuzzing the command line: any config file, any arguments.

Whatever the config file holds and whatever is typed, ``readerly`` ends with exit code 0,
1 or 2, raises nothing, prints nothing a terminal acts on, and a bad config never stops a
command (house rule: a broken config is only ever a warning).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.fuzz import BODY_FORBIDDEN, fuzz_settings
from tui.cli.main import main
from tui.config.settings import SETTINGS, load_config

HOSTILE = ["\x1b]0;PWNED\x07", "\x1b[2J", "\x9b6n", "\u202e", "\x00", "\ud800", "\n", "a" * 300]
_words = st.one_of(
    st.sampled_from([*SETTINGS, "levels", "name", "symbol", "main.star", "x", *HOSTILE]),
    st.text(max_size=12),
)
_values = st.recursive(
    st.one_of(
        st.sampled_from(['"s"', "true", "1", "1979-05-27", "[]", "{}", '"🔴"', "nan"]),
        _words.map(lambda w: '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(_words, inner), max_size=3).map(
            lambda kvs: "{" + ", ".join(f'"{k!s}" = {v}' for k, v in kvs) + "}"
        ),
    ),
    max_leaves=8,
)
_lines = st.one_of(
    st.tuples(_words, _values).map(lambda kv: f'"{kv[0]}" = {kv[1]}'),
    st.tuples(_words, _values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    _words.map(lambda w: f"[{w}]"),
    _words.map(lambda w: f"[[{w}]]"),
    st.text(max_size=40),
)
CONFIG_TEXT = st.one_of(
    st.lists(_lines, max_size=12).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
    st.integers(1, 3000).map(lambda n: b"x = " + b"[" * n),
)

_OPTIONS = ["--json", "-q", "--query", "--sort", "--no-cache", "--read", "--unread", "--star"]
_OPTIONS += ["--archive", "--relevance", "--ids", "--help", "--version", "--vault", "--state"]
_OPTIONS += ["--config", "--unstar", "path", "show", "date", "title", "high", "none", "-"]
ARGV = st.tuples(
    st.sampled_from(["list", "show", "mark", "stats", "config", "keys"]),
    st.lists(
        st.one_of(st.sampled_from(_OPTIONS), st.sampled_from(HOSTILE), st.text(max_size=20)),
        max_size=6,
    ),
).map(lambda t: [t[0], *t[1]])


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder to run in: relative paths typed by the fuzzer land here, nowhere else."""
    monkeypatch.chdir(tmp_path)
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "a.md").write_text("---\ntitle: Alpha\n---\nbody\n")
    return tmp_path


@contextlib.contextmanager
def captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


def assert_inert(text: str) -> None:
    found = BODY_FORBIDDEN.search(text)
    assert found is None, f"{found.group()!r} in {text!r}"
    assert "Traceback" not in text


_BASE = fuzz_settings(scale=0.4)
# The work folder is shared by the examples on purpose: each writes its own config there.
FUZZ = settings(
    _BASE, suppress_health_check=[*_BASE.suppress_health_check, HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=CONFIG_TEXT)
def test_any_config_file_is_at_most_a_warning(workdir: Path, data: bytes) -> None:
    config = workdir / "config.toml"
    config.write_bytes(data)
    loaded = load_config(config)  # never raises
    assert all(isinstance(w, str) for w in loaded.warnings)
    with captured() as (out, err):
        code = main(["list", "--vault", str(workdir / "vault"), "--config", str(config)])
    assert code == 0, err.getvalue()
    assert "Alpha" in out.getvalue()
    assert_inert(out.getvalue())
    assert_inert(err.getvalue())
    assert all(line.startswith("readerly: ") for line in err.getvalue().splitlines())


@FUZZ
@given(argv=ARGV)
def test_any_command_line_ends_with_a_code_and_inert_output(workdir: Path, argv: list[str]) -> None:
    os.environ["READERLY_VAULT"] = str(workdir / "vault")
    try:
        with captured() as (out, err):
            code = main(argv)
    finally:
        del os.environ["READERLY_VAULT"]
    assert code in (0, 1, 2), (argv, err.getvalue())
    assert_inert(out.getvalue())
    assert_inert(err.getvalue())
