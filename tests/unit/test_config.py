"""The config file: values, warnings that name the key and line, precedence, TOML written back."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tui.config.paths import default_state_file
from tui.config.settings import (
    DEFAULT_THEME,
    Settings,
    bundled_vault,
    check_keymap,
    check_theme,
    config_path,
    keymap_clashes,
    load_config,
    settings_toml,
    with_overrides,
)
from tui.config.tomltext import key_name, locate, value
from tui.text.relevance import DEFAULT_SCALE

GOOD = """\
vault = "notes"
state = "~/readerly-state.json"
auto_mark_read = false
theme = "nord"
skip = ["Templates", "Archive/"]

[relevance]
levels = [
  { name = "must", symbol = "!!" },
  { name = "maybe", symbol = "??" },
]

[keymap]
"main.toggle_read" = "x"
"main.star" = ["s", "ctrl+s"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_setting_is_read(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, GOOD))
    assert loaded.warnings == []
    s = loaded.settings
    assert s.vault == tmp_path / "notes"  # relative to the config file's folder
    assert s.state == Path("~/readerly-state.json").expanduser()
    assert s.auto_mark_read is False
    assert s.theme == "nord"
    assert s.skip == ("Templates", "Archive")
    assert [(lv.name, lv.symbol, lv.rank) for lv in s.scale.levels] == [
        ("must", "!!", 2),
        ("maybe", "??", 1),
    ]
    assert s.keymap == {"main.toggle_read": "x", "main.star": "s,ctrl+s"}
    assert s.source("theme") == f"{tmp_path / 'config.toml'}:4"
    assert s.source("keymap") == f"{tmp_path / 'config.toml'}:13"


def test_a_missing_file_means_defaults_and_is_mentioned_only_when_named(tmp_path: Path) -> None:
    quiet = load_config(tmp_path / "absent.toml")
    assert (quiet.found, quiet.warnings, quiet.settings.theme) == (False, [], DEFAULT_THEME)
    named = load_config(tmp_path / "absent.toml", must_exist=True)
    assert named.warnings == [
        f"{tmp_path / 'absent.toml'}: config file not found; using the defaults"
    ]


BAD_VALUES = [
    ('auto_mark_read = "yes"', "auto_mark_read", "must be true or false"),
    ("auto_mark_read = 1", "auto_mark_read", "must be true or false"),
    ('watch = "no"', "watch", "must be true or false"),
    ("similar = true", "similar", "whole number from 0 (none) to 20"),
    ("similar = -1", "similar", "whole number from 0 (none) to 20"),
    ("similar = 2.5", "similar", "whole number"),
    ("similar = 99", "similar", "not 99"),
    ("theme = 7", "theme", "must be a non-empty string"),
    ('theme = "  "', "theme", "must be a non-empty string"),
    ('theme = "a\\u001b[31m"', "theme", "control characters"),
    ("vault = []", "vault", "must be a non-empty string"),
    ('state = ""', "state", "must be a non-empty string"),
    ('skip = "Templates"', "skip", "must be a list of folder names"),
    ("relevance = 3", "relevance", "must be a table"),
    ("keymap = 3", "keymap", "must be a table"),
    ("[relevance]\nlevels = []", "relevance.levels", "1 to 9 tables"),
    (
        "[relevance]\nlevels = [" + ", ".join(['{name="a", symbol="b"}'] * 10) + "]",
        "relevance.levels",
        "1 to 9",
    ),
    ('[relevance]\nlevels = [{name = "hi"}]', "relevance.levels[1]", "a name and a symbol"),
    (
        '[relevance]\nlevels = [{name = "hi", symbol = ""}]',
        "relevance.levels[1].symbol",
        "non-empty",
    ),
    (
        '[relevance]\nlevels = [{name = "1", symbol = "x"}]',
        "relevance.levels[1].name",
        "not a number",
    ),
    (
        '[relevance]\nlevels = [{name = "two words", symbol = "x"}]',
        "relevance.levels[1].name",
        "one word",
    ),
    (
        '[relevance]\nlevels = [{name = "a", symbol = "x"}, {name = "A", symbol = "y"}]',
        "relevance.levels[2].name",
        "used twice",
    ),
    (
        '[relevance]\nlevels = [{name = "a", symbol = "x"}, {name = "b", symbol = "x"}]',
        "relevance.levels[2].symbol",
        "used twice",
    ),
]


@pytest.mark.parametrize(("text", "key", "reason"), BAD_VALUES)
def test_a_bad_value_warns_with_key_and_line_and_keeps_the_default(
    tmp_path: Path, text: str, key: str, reason: str
) -> None:
    path = write(tmp_path, "# my settings\n\n" + text + "\n")
    loaded = load_config(path)
    assert len(loaded.warnings) == 1, loaded.warnings
    message = loaded.warnings[0]
    line = 3 if "\n" not in text else 4  # the line of the offending assignment
    assert message.startswith(f"{path}:{line}: {key}: "), message
    assert reason in message and "using the default" in message
    defaults = Settings()
    s = loaded.settings
    assert (s.auto_mark_read, s.theme, s.skip, s.keymap, s.vault, s.state) == (
        defaults.auto_mark_read,
        defaults.theme,
        defaults.skip,
        defaults.keymap,
        None,
        None,
    )
    assert s.scale is DEFAULT_SCALE


def test_one_bad_entry_costs_only_that_entry(tmp_path: Path) -> None:
    path = write(tmp_path, '[keymap]\n"main.star" = "x"\n"main.quit" = 5\n"main.up" = ""\n')
    loaded = load_config(path)
    assert loaded.settings.keymap == {"main.star": "x"}
    assert loaded.warnings == [
        f'{path}:3: keymap."main.quit": keys must be like "x", "ctrl+x" or "x,y", not 5; ignored',
        f'{path}:4: keymap."main.up": keys must be like "x", "ctrl+x" or "x,y", not \'\'; ignored',
    ]
    skip = write(tmp_path, 'skip = [\n  "Keep",\n  3,\n  "a/b",\n]\n')
    loaded = load_config(skip)
    assert loaded.settings.skip == ("Keep",)
    assert [w.split(": ", 2)[:2] for w in loaded.warnings] == [
        [f"{skip}:3", "skip[2]"],
        [f"{skip}:4", "skip[3]"],
    ]


def test_unknown_keys_are_named_with_their_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "nord"\nauto_mark_raed = true\n\n[colours]\nx = 1\n')
    loaded = load_config(path)
    assert loaded.settings.theme == "nord"
    assert loaded.warnings == [
        f"{path}:2: unknown setting 'auto_mark_raed' ignored (did you mean 'auto_mark_read'?)",
        f"{path}:4: unknown setting 'colours' ignored (known: vault, state, auto_mark_read, "
        "watch, similar, theme, skip, relevance, keymap, views, fetch)",
    ]
    extra = write(tmp_path, '[relevance]\nlevels = [{name="a", symbol="x"}]\ncolour = "red"\n')
    loaded = load_config(extra)
    assert [lv.name for lv in loaded.settings.scale.levels] == ["a"]
    assert loaded.warnings == [
        f"{extra}:3: relevance.colour: unknown key (a relevance table has only 'levels'); ignored"
    ]


def test_broken_toml_gives_line_and_column_and_all_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "nord"\nauto_mark_read = \n')
    loaded = load_config(path)
    assert loaded.settings.theme == DEFAULT_THEME
    assert len(loaded.warnings) == 1
    assert loaded.warnings[0].startswith(f"{path}: not valid TOML: ")
    assert "line 2, column 18" in loaded.warnings[0]
    assert loaded.warnings[0].endswith("; using the defaults")


def test_unreadable_config_is_a_warning(tmp_path: Path) -> None:
    binary = tmp_path / "config.toml"
    binary.write_bytes(b'theme = "\xff"\n')
    assert "cannot read" in load_config(binary).warnings[0]
    assert "cannot read" in load_config(tmp_path).warnings[0]  # a folder, not a file


def test_config_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READERLY_CONFIG", str(tmp_path / "env.toml"))
    assert config_path(str(tmp_path / "cli.toml")) == tmp_path / "cli.toml"
    assert config_path(None) == tmp_path / "env.toml"
    monkeypatch.delenv("READERLY_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path(None) == tmp_path / "xdg" / "readerly" / "config.toml"


def test_vault_and_state_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READERLY_STATE")
    configured = load_config(write(tmp_path, 'vault = "/from/config"\nstate = "/c/state.json"'))
    s = with_overrides(configured.settings)
    assert (s.vault, s.state) == (Path("/from/config"), Path("/c/state.json"))
    assert s.source("vault").endswith("config.toml:1")
    monkeypatch.setenv("READERLY_VAULT", "/from/env")
    monkeypatch.setenv("READERLY_STATE", "/e/state.json")
    s = with_overrides(configured.settings)
    assert (s.vault, s.state) == (Path("/from/env"), Path("/e/state.json"))
    assert (s.source("vault"), s.source("state")) == ("$READERLY_VAULT", "$READERLY_STATE")
    s = with_overrides(configured.settings, vault="/from/cli", state="/s.json")
    assert (s.vault, s.state, s.source("vault")) == (Path("/from/cli"), Path("/s.json"), "--vault")
    monkeypatch.delenv("READERLY_VAULT")
    monkeypatch.delenv("READERLY_STATE")
    s = with_overrides(Settings())
    assert (s.vault, s.state) == (bundled_vault(), default_state_file())
    assert s.source("vault") == "default"


def test_unknown_binding_ids_and_themes_fall_back(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "neon"\n\n[keymap]\n"main.star" = "x"\n"main.stra" = "y"\n')
    loaded = check_keymap(load_config(path), ["main.star", "main.quit"])
    assert loaded.settings.keymap == {"main.star": "x"}
    assert loaded.warnings == [
        f"{path}:5: keymap: unknown binding id 'main.stra' ignored (did you mean 'main.star'?)"
    ]
    near = check_theme(load_config(path), ["nord", "neo", DEFAULT_THEME])
    assert near.warnings[-1].endswith("using the default (did you mean 'neo'?)")
    loaded = check_theme(loaded, ["nord", DEFAULT_THEME])
    assert loaded.settings.theme == DEFAULT_THEME and loaded.settings.source("theme") == "default"
    assert loaded.warnings[-1] == (
        f"{path}:1: theme: no theme 'neon'; using the default (themes: nord, textual-dark)"
    )
    kept = check_theme(load_config(path), ["neon"])
    assert (kept.settings.theme, kept.warnings) == ("neon", [])


def test_settings_toml_round_trips_with_sources(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, GOOD))
    settings = with_overrides(loaded.settings, state="/cli/state.json")
    text = settings_toml(settings, loaded.path, loaded.found)
    data = tomllib.loads(text)
    assert data == {
        "vault": str(tmp_path / "notes"),
        "state": "/cli/state.json",
        "auto_mark_read": False,
        "watch": True,
        "similar": 5,
        "theme": "nord",
        "skip": ["Templates", "Archive"],
        "relevance": {
            "levels": [{"name": "must", "symbol": "!!"}, {"name": "maybe", "symbol": "??"}]
        },
        "keymap": {"main.toggle_read": "x", "main.star": "s,ctrl+s"},
        "views": {},
        "fetch": {
            "allow_private_hosts": False,
            "prefetch": False,
            "connect_timeout": 10,
            "timeout": 30,
            "max_page_mb": 10,
            "cache_mb": 200,
        },
    }
    lines = text.splitlines()
    assert f'theme = "nord"  # {loaded.path}:4' in lines
    assert 'state = "/cli/state.json"  # --state' in lines
    assert "auto_mark_read" in text and f"# {loaded.path}:3" in text
    defaults = settings_toml(with_overrides(Settings()), tmp_path / "none.toml", False)
    assert "(not found: defaults apply)" in defaults.splitlines()[0]
    assert tomllib.loads(defaults)["relevance"]["levels"][0] == {"name": "high", "symbol": "🔴"}


def test_written_strings_never_carry_control_characters() -> None:
    text = value('a\x1b[31m\x9b\x7f"\\b')
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)
    assert tomllib.loads(f"k = {text}")["k"] == 'a\x1b[31m\x9b\x7f"\\b'


def test_locate_follows_tables_arrays_and_quoted_keys() -> None:
    text = (
        "a = 1\n"
        "[t]\n"
        "x.y = 2\n"
        '"q.k" = 3\n'
        "arr = [\n"
        '  "one", "two", # not "three"\n'
        '  { n = "{" },\n'
        "]\n"
        "[[rows]]\n"
        "v = 1\n"
        "[[rows]]\n"
        "v = 2\n"
    )
    assert locate(text, ("a",)) == 1
    assert locate(text, ("t",)) == 2
    assert locate(text, ("t", "x", "y")) == 3
    assert locate(text, ("t", "q.k")) == 4
    assert locate(text, ("t", "arr", 1)) == 6
    assert locate(text, ("t", "arr", 2, "n")) == 7
    assert locate(text, ("t", "arr", 3)) == 5  # no such element: the array's line
    assert locate(text, ("rows", 1, "v")) == 12
    assert locate(text, ("nowhere",)) is None
    assert key_name(("keymap", "main.star")) == 'keymap."main.star"'
    assert key_name(("relevance", "levels", 0, "name")) == "relevance.levels[1].name"


def test_a_keymap_binding_one_key_to_two_actions_is_warned_about(tmp_path: Path) -> None:
    defaults = {
        "app.help": "question_mark",
        "main.star": "s",
        "main.search": "slash",
        "main.quit": "q",
        "help.close": "escape,q,question_mark",
        "triage.star": "s",
    }
    path = write(
        tmp_path,
        '[keymap]\n"main.star" = "slash"\n"main.quit" = "x,question_mark"\n'
        '"help.close" = "escape,q,question_mark,w"\n"triage.star" = "w"\n',
    )
    loaded = check_keymap(load_config(path), defaults, defaults)
    clashes = [w for w in loaded.warnings if "bound to both" in w]
    assert clashes == [
        f"{path}:3: keymap: 'question_mark' is bound to both main.quit and app.help; "
        "only one of them will run (give one of them another key)",
        f"{path}:2: keymap: 'slash' is bound to both main.star and main.search; "
        "only one of them will run (give one of them another key)",
    ]
    # help.close keeps question_mark as it had it, and w is free in its own scope.
    assert keymap_clashes({"main.star": "s"}, defaults) == []
    assert keymap_clashes({"main.star": "q"}, defaults) == [("main.star", "main.quit", "q")]


def test_similar_sets_how_many_notes_are_listed_under_the_article(tmp_path: Path) -> None:
    assert Settings().similar == 5
    loaded = load_config(write(tmp_path, "similar = 0\n"))
    assert (loaded.settings.similar, loaded.warnings) == (0, [])
    assert load_config(write(tmp_path, "similar = 3\n")).settings.similar == 3
