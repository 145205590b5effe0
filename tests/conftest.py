"""Shared fixtures: every test gets its own state, cache and config, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point state, cache and config at a private folder so a developer's files never leak in."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READERLY_STATE", str(home / "state.json"))
    monkeypatch.setenv("READERLY_CACHE", str(home / "cache"))
    monkeypatch.setenv("READERLY_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("READERLY_DEVICE_FILE", str(home / "device.json"))
    monkeypatch.delenv("READERLY_VAULT", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    yield home


def shared_dir(*parts: str) -> Path:
    """A folder under the shared reference material, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference material not present: {path}")
    return path
