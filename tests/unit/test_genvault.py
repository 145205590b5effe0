"""The synthetic vault generator: deterministic, in the pipeline's format, sized as promised."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.genvault import DOMAINS, generate, main

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
NAME = re.compile(r"\A(\d{4}-\d{2}-\d{2})-[a-z0-9-]+\.(md|txt)\Z")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _split(path: Path) -> tuple[dict[str, Any] | None, bytes]:
    raw = path.read_bytes()
    match = FRONT_MATTER.match(raw.decode("utf-8"))
    if match is None:
        return None, raw
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), path
    return meta, raw[len(match.group(0).encode()) :]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vault")
    generate(root, 300, seed=5)
    return root


@pytest.fixture(scope="module")
def files(vault: Path) -> list[Path]:
    return sorted(p for p in vault.rglob("*") if p.is_file())


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", 150, seed=9)
    generate(tmp_path / "b", 150, seed=9)
    generate(tmp_path / "c", 150, seed=10)
    assert _tree_digest(tmp_path / "a") == _tree_digest(tmp_path / "b")
    assert _tree_digest(tmp_path / "a") != _tree_digest(tmp_path / "c")


def test_count_names_and_layout(vault: Path, files: list[Path]) -> None:
    assert len(files) == 300
    for path in files:
        assert NAME.match(path.name), path.name
    assert any(p.parent != vault for p in files), "some notes live in nested folders"
    assert any(p.parent.parent != vault and p.parent != vault for p in files)
    texts = [p for p in files if p.suffix == ".txt"]
    assert 1 <= len(texts) <= 10


def test_body_sizes(files: list[Path]) -> None:
    large = 0
    for path in files:
        _, body = _split(path)
        if len(body) >= 100_000:
            large += 1
            assert len(body) <= 500_000, path.name
        else:
            assert 2048 <= len(body) <= 8192, (path.name, len(body))
    assert large == 3  # 1% of 300


def test_a_tiny_vault_still_has_one_large_note(tmp_path: Path) -> None:
    generate(tmp_path, 4, seed=2)
    sizes = sorted(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert len(sizes) == 4
    assert sizes[-1] >= 100_000 > sizes[-2]


def test_front_matter_follows_the_pipeline(files: list[Path]) -> None:
    metas = []
    for path in files:
        meta, body = _split(path)
        if path.suffix == ".txt":
            assert meta is None
            assert not body.startswith(b"---") and body.split(b"\n")[1] == b""
            continue
        assert meta is not None, path.name
        metas.append(meta)
        assert meta["date"] == path.name[:10]
        assert str(meta["source"]).startswith("https://")
        assert meta["domain"] in DOMAINS
        assert meta["status"] in {"unread", "read", "archived"}
        assert 2 <= len(meta["tags"]) <= 6
        assert all(str(t).startswith("#") for t in meta["tags"])
        assert 3 <= len(meta["related"]) <= 6
        assert all(re.fullmatch(r"\[\[[^\]]+\]\]", r) for r in meta["related"])
    assert len({m["domain"] for m in metas}) >= 6
    relevances = {m.get("relevance") for m in metas}
    assert {"🔴", "🟡", "🟢"} <= relevances
    statuses = [m["status"] for m in metas]
    assert statuses.count("unread") > len(statuses) / 2


def test_related_links_mostly_resolve(files: list[Path]) -> None:
    stems = {p.stem for p in files}
    targets: list[str] = []
    for path in files:
        meta, _ = _split(path)
        if meta is not None:
            targets.extend(str(r)[2:-2] for r in meta["related"])
    resolved = sum(t in stems for t in targets)
    assert 0.7 * len(targets) < resolved < len(targets)


def test_text_has_emoji_cjk_and_mojibake(files: list[Path]) -> None:
    text = "\n".join(p.read_text("utf-8") for p in files)
    assert CJK.search(text)
    assert EMOJI.search(text)
    assert re.search(r"^#+ .*[\U0001F300-\U0001FAFF]", text, re.MULTILINE), "emoji in a heading"
    assert "â€™" in text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)


def test_mtimes_follow_note_dates(files: list[Path]) -> None:
    path = files[0]
    day = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    assert day.isoformat() == path.name[:10]


def test_cli_writes_the_same_vault_and_refuses_a_full_directory(tmp_path: Path) -> None:
    assert main([str(tmp_path / "cli"), "--count", "12", "--seed", "4"]) == 0
    generate(tmp_path / "api", 12, seed=4)
    assert _tree_digest(tmp_path / "cli") == _tree_digest(tmp_path / "api")
    assert main([str(tmp_path / "cli"), "--count", "12"]) == 2
