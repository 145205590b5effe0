"""The [fetch] table: defaults, good values, and a warning for each bad key."""

from __future__ import annotations

from pathlib import Path

from tui.config.fetchconf import FetchSettings
from tui.config.settings import load_config, settings_toml


def _load(tmp_path: Path, text: str) -> tuple[FetchSettings, list[str]]:
    path = tmp_path / "config.toml"
    path.write_text(text)
    loaded = load_config(path)
    return loaded.settings.fetch, loaded.warnings


def test_defaults_when_absent(tmp_path: Path) -> None:
    fetch, warnings = _load(tmp_path, 'theme = "textual-dark"\n')
    assert fetch == FetchSettings() and not fetch.allow_private_hosts and not fetch.prefetch
    assert warnings == []


def test_values_are_read(tmp_path: Path) -> None:
    text = "[fetch]\nallow_private_hosts = true\nprefetch = true\ntimeout = 5\ncache_mb = 1.5\n"
    fetch, warnings = _load(tmp_path, text)
    assert warnings == []
    assert fetch.allow_private_hosts and fetch.prefetch
    assert fetch.timeout == 5.0 and fetch.cache_mb == 1.5


def test_each_bad_key_warns_with_its_line(tmp_path: Path) -> None:
    text = '[fetch]\nprefetch = "yes"\ntimeout = -1\ntimout = 3\nmax_page_mb = 2\n'
    fetch, warnings = _load(tmp_path, text)
    assert fetch.prefetch is False and fetch.timeout == 30.0 and fetch.max_page_mb == 2.0
    assert len(warnings) == 3
    assert any(":2: fetch.prefetch: must be true or false" in w for w in warnings)
    assert any(":3: fetch.timeout: must be between" in w for w in warnings)
    assert any(":4: fetch.timout: unknown key (did you mean 'timeout'?)" in w for w in warnings)


def test_not_a_table(tmp_path: Path) -> None:
    fetch, warnings = _load(tmp_path, "fetch = 3\n")
    assert fetch == FetchSettings()
    assert len(warnings) == 1 and "fetch: must be a table" in warnings[0]


def test_config_show_lists_fetch(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[fetch]\nprefetch = true\n")
    loaded = load_config(path)
    shown = settings_toml(loaded.settings, path, True)
    assert (
        "[fetch]" in shown and "prefetch = true" in shown and "allow_private_hosts = false" in shown
    )
