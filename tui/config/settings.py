"""Settings: the TOML config file, where it lives, and what each setting resolves to.

Precedence, highest first: the command line, the environment, the config file, the defaults.
A bad value or an unknown key never stops readerly: it becomes a warning that names the file,
the line and the key, and the default is used instead.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import platformdirs

from tui.config.checks import CHECKS, FIELDS, Bad
from tui.config.fetchconf import FetchSettings, fetch_toml
from tui.config.paths import ENV_STATE, default_state_file, shipped_dir
from tui.config.tomltext import KeyLines, KeyPath, key, key_name, value
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale
from tui.text.safe_open import read_regular

ENV_CONFIG = "READERLY_CONFIG"
ENV_VAULT = "READERLY_VAULT"
DEFAULT_THEME = "textual-dark"
# A config file is a few lines; anything near this size is not one.
MAX_CONFIG_BYTES = 1 << 20
SETTINGS = (
    "vault",
    "state",
    "auto_mark_read",
    "watch",
    "similar",
    "theme",
    "skip",
    "relevance",
    "keymap",
    "views",
    "fetch",
)


@dataclass(frozen=True)
class Settings:
    """Every setting, resolved. ``sources`` says where each came from; absent means default."""

    vault: Path | None = None
    state: Path | None = None
    auto_mark_read: bool = True
    watch: bool = True
    similar: int = 5  # similar notes listed under the article (0: none)
    theme: str = DEFAULT_THEME
    skip: tuple[str, ...] = ()
    scale: RelevanceScale = DEFAULT_SCALE
    keymap: dict[str, str] = field(default_factory=dict)
    views: tuple[tuple[str, str], ...] = ()
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sources: dict[str, str] = field(default_factory=dict)

    def source(self, name: str) -> str:
        """Where ``name`` was set: a command-line option, a variable, a file line, or default."""
        return self.sources.get(name, "default")


@dataclass(frozen=True)
class Loaded:
    """The result of reading a config file: the settings and what was wrong with it."""

    path: Path
    found: bool
    settings: Settings
    warnings: list[str]
    text: str = ""

    @cached_property
    def _key_lines(self) -> KeyLines:
        # Built once per text, so every warning finds its line without scanning again.
        return KeyLines(self.text)

    def where(self, key: KeyPath) -> str:
        """``file:line`` where ``key`` is set (just the file when the line is not found)."""
        line = self._key_lines.line(key) if key else None
        return f"{self.path}:{line}" if line else str(self.path)


def bundled_vault() -> Path:
    """The sample vault shipped with readerly (inside the package when installed)."""
    return shipped_dir("seeds")


def resolve_vault(explicit: str | None, configured: Path | None = None) -> Path:
    """The vault: an explicit path, else ``READERLY_VAULT``, else the config, else the sample."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAULT, "").strip()
    if env:
        return Path(env).expanduser()
    return configured if configured is not None else bundled_vault()


def config_path(explicit: str | None = None) -> Path:
    """The config file: ``--config``, else ``READERLY_CONFIG``, else the user config folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_CONFIG, "").strip()
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path("readerly") / "config.toml"


def load_config(path: Path, *, must_exist: bool = False) -> Loaded:
    """Read the config at ``path``; anything unusable is a warning and falls back to default.

    A missing file is normal (all defaults) and is mentioned only when ``must_exist``.
    """
    try:
        text = read_regular(path, limit=MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        missing = [f"{path}: config file not found; using the defaults"] if must_exist else []
        return Loaded(path, False, Settings(), missing)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return Loaded(
            path, True, Settings(), [f"{path}: cannot read ({reason}); using the defaults"]
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Loaded(
            path, True, Settings(), [f"{path}: not valid TOML: {exc}; using the defaults"]
        )
    except RecursionError:
        # tomllib parses nested arrays and tables by recursion; a hostile file can nest
        # deeper than Python's stack allows.
        return Loaded(
            path, True, Settings(), [f"{path}: nested too deeply to read; using the defaults"]
        )
    spot = Loaded(path, True, Settings(), [], text)
    warnings: list[str] = []
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, raw in data.items():
        check = CHECKS.get(name)
        if check is None:
            close = difflib.get_close_matches(name, SETTINGS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(SETTINGS)}"
            warnings.append(
                f"{spot.where((name,))}: unknown setting {key(name)!r} ignored ({hint})"
            )
            continue

        def warn(where: KeyPath, message: str, name: str = name) -> None:
            full = (name, *where)
            warnings.append(f"{spot.where(full)}: {key_name(full)}: {message}; ignored")

        try:
            values[FIELDS.get(name, name)] = check(raw, path.parent, warn)
        except Bad as exc:
            full = (name, *exc.where)
            warnings.append(f"{spot.where(full)}: {key_name(full)}: {exc}; using the default")
            continue
        sources[name] = spot.where((name,))
    return Loaded(path, True, replace(Settings(), **values, sources=sources), warnings, text)


def with_overrides(
    settings: Settings, *, vault: str | None = None, state: str | None = None
) -> Settings:
    """Settle the vault and state file: command line, environment, config file, default."""
    sources = dict(settings.sources)
    paths: dict[str, Path] = {}
    fallbacks = {"vault": bundled_vault(), "state": default_state_file()}
    for name, given, env in (("vault", vault, ENV_VAULT), ("state", state, ENV_STATE)):
        from_env = os.environ.get(env, "").strip()
        configured: Path | None = getattr(settings, name)
        if given:
            paths[name], sources[name] = Path(given).expanduser(), f"--{name}"
        elif from_env:
            paths[name], sources[name] = Path(from_env).expanduser(), f"${env}"
        else:
            paths[name] = configured if configured is not None else fallbacks[name]
    return replace(settings, vault=paths["vault"], state=paths["state"], sources=sources)


def check_keymap(
    loaded: Loaded, known: Iterable[str], defaults: Mapping[str, str] | None = None
) -> Loaded:
    """Drop keymap entries whose binding id does not exist, with a warning for each.

    With ``defaults`` (binding id -> its default keys), also warn when the keymap leaves
    one key bound to two actions where both apply, since only one of them would run.
    """
    ids = sorted(set(known))
    keep: dict[str, str] = {}
    warnings = list(loaded.warnings)
    for ident, keys in loaded.settings.keymap.items():
        if ident in ids:
            keep[ident] = keys
            continue
        close = difflib.get_close_matches(ident, ids, n=1, cutoff=0.8)
        hint = f"did you mean {close[0]!r}?" if close else "see readerly keys --ids"
        at = loaded.where(("keymap", ident))
        warnings.append(f"{at}: keymap: unknown binding id {ident!r} ignored ({hint})")
    if defaults is not None:
        for ident, other, pressed in keymap_clashes(keep, defaults):
            at = loaded.where(("keymap", ident))
            warnings.append(
                f"{at}: keymap: {pressed!r} is bound to both {ident} and {other}; only one "
                "of them will run (give one of them another key)"
            )
    return replace(loaded, settings=replace(loaded.settings, keymap=keep), warnings=warnings)


def _scope(ident: str) -> str:
    return ident.partition(".")[0]


def keymap_clashes(
    keymap: Mapping[str, str], defaults: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(remapped id, other id, key) for each key the keymap leaves on two bindings at once.

    Two bindings clash when they share a scope (the part of the id before the dot) or one
    of them is an ``app`` binding, which applies everywhere. Only keys the keymap gives a
    binding are checked: clashes the defaults already had are not the user's doing.
    """
    effective = {ident: keymap.get(ident, keys) for ident, keys in defaults.items()}
    owners: dict[str, list[str]] = {}
    for ident, keys in effective.items():
        for pressed in dict.fromkeys(k.strip() for k in keys.split(",") if k.strip()):
            owners.setdefault(pressed, []).append(ident)
    found: list[tuple[str, str, str]] = []
    for ident in sorted(keymap):
        before = {k.strip() for k in defaults.get(ident, "").split(",")}
        for pressed in dict.fromkeys(k.strip() for k in keymap[ident].split(",")):
            if pressed in before:
                continue  # a key the binding had anyway: any clash is the defaults' own
            for other in sorted(owners.get(pressed, ())):
                if other == ident or (other in keymap and other < ident):
                    continue  # the same binding, or a pair already reported the other way
                if _scope(other) == _scope(ident) or "app" in (_scope(other), _scope(ident)):
                    found.append((ident, other, pressed))
    return found


def check_theme(loaded: Loaded, available: Iterable[str]) -> Loaded:
    """Fall back to the default theme when the configured one does not exist."""
    names = sorted(available)
    theme = loaded.settings.theme
    if theme in names:
        return loaded
    sources = {k: v for k, v in loaded.settings.sources.items() if k != "theme"}
    close = difflib.get_close_matches(theme, names, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"themes: {', '.join(names)}"
    message = f"{loaded.where(('theme',))}: theme: no theme {theme!r}; using the default ({hint})"
    settings = replace(loaded.settings, theme=DEFAULT_THEME, sources=sources)
    return replace(loaded, settings=settings, warnings=[*loaded.warnings, message])


def settings_toml(settings: Settings, path: Path, found: bool) -> str:
    """The settings in effect as TOML, each value commented with where it came from."""
    state = "" if found else " (not found: defaults apply)"
    out = [f"# readerly settings in effect; config file: {path}{state}"]

    def line(name: str, text: str) -> None:
        out.append(f"{text}  # {settings.source(name)}")

    line("vault", f"vault = {value(str(settings.vault or bundled_vault()))}")
    line("state", f"state = {value(str(settings.state or default_state_file()))}")
    line("auto_mark_read", f"auto_mark_read = {value(settings.auto_mark_read)}")
    line("watch", f"watch = {value(settings.watch)}")
    line("similar", f"similar = {value(settings.similar)}")
    line("theme", f"theme = {value(settings.theme)}")
    line("skip", f"skip = {value(list(settings.skip))}")
    out += ["", f"[relevance]  # {settings.source('relevance')}; highest first", "levels = ["]
    out += [f"  {value({'name': lv.name, 'symbol': lv.symbol})}," for lv in settings.scale.levels]
    out += ["]", "", f"[keymap]  # {settings.source('keymap')}; ids: readerly keys --ids"]
    out += [f"{key(ident)} = {value(keys)}" for ident, keys in settings.keymap.items()]
    out += ["", f"[views]  # {settings.source('views')}; name = query, in the sidebar"]
    out += [f"{key(name)} = {value(query)}" for name, query in settings.views]
    out += ["", f"[fetch]  # {settings.source('fetch')}", *fetch_toml(settings.fetch)]
    return "\n".join(out) + "\n"
