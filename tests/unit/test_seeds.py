"""The bundled sample vault covers the cases a new user (and the app) should meet.

Reads the files directly with the standard library and PyYAML, so these checks do not
depend on the note parser.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
WIKILINK = re.compile(r"\[\[([^\]]+)\]\]")
PIPELINE_NAME = re.compile(r"\A(\d{4}-\d{2}-\d{2})-[a-z0-9-]+\.(md|txt)\Z")
RELEVANCE_SYMBOLS = {"🔴", "🟡", "🟢"}
# UTF-8 punctuation and emoji read as a Windows code page
MOJIBAKE_MARKERS = ("â€™", "â€œ", "â€¦", "ğŸŸ")


def _files() -> list[Path]:
    return sorted(p for p in SEEDS.rglob("*") if p.suffix in {".md", ".txt"})


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _meta(path: Path) -> dict[str, Any] | None:
    match = FRONT_MATTER.match(_text(path))
    if match is None:
        return None
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict), path
    return data


@pytest.fixture(scope="module")
def metas() -> dict[Path, dict[str, Any]]:
    found: dict[Path, dict[str, Any]] = {}
    for path in _files():
        meta = _meta(path)
        if meta is not None:
            found[path] = meta
    return found


def test_vault_size_is_small_but_varied() -> None:
    files = _files()
    assert 25 <= len(files) <= 40
    assert any(p.parent != SEEDS for p in files), "expected notes in subfolders"


def test_every_markdown_note_has_parseable_front_matter(
    metas: dict[Path, dict[str, Any]],
) -> None:
    markdown = [p for p in _files() if p.suffix == ".md"]
    assert sorted(metas) == markdown


def test_pipeline_notes_are_named_after_their_date(metas: dict[Path, dict[str, Any]]) -> None:
    top = [p for p in metas if p.parent == SEEDS]
    assert len(top) >= 20
    for path in top:
        match = PIPELINE_NAME.match(path.name)
        assert match, path.name
        assert metas[path]["date"] == match.group(1), path.name
        assert str(metas[path]["source"]).startswith("https://"), path.name


def test_domains_relevance_and_status_are_covered(metas: dict[Path, dict[str, Any]]) -> None:
    domains = {m["domain"] for m in metas.values() if "domain" in m}
    assert len(domains) >= 4
    relevances = {m.get("relevance") for m in metas.values()}
    assert relevances >= RELEVANCE_SYMBOLS
    assert "high" in relevances, "one note spells relevance as a word"
    top = [m for p, m in metas.items() if p.parent == SEEDS]
    assert any("relevance" not in m for m in top), "one pipeline note has no relevance"
    statuses = [m.get("status") for m in metas.values()]
    assert statuses.count("unread") > len(statuses) / 2
    assert {"read", "archived"} <= set(statuses)


def test_a_note_has_tag_variants(metas: dict[Path, dict[str, Any]]) -> None:
    def canonical(tag: str) -> str:
        return tag.lstrip("#").casefold()

    for meta in metas.values():
        tags = [str(t) for t in meta.get("tags", [])]
        if len({canonical(t) for t in tags}) < len(tags) and any(
            not t.startswith("#") for t in tags
        ):
            return
    pytest.fail("no note has tags differing only in case or '#'")


def test_plain_text_article_without_front_matter() -> None:
    texts = [p for p in _files() if p.suffix == ".txt"]
    assert texts
    for path in texts:
        text = _text(path)
        assert not text.startswith("---")
        title, blank, *rest = text.splitlines()
        assert title.strip() and not blank.strip() and rest


def test_a_note_carries_real_pipeline_mojibake() -> None:
    hits = [p for p in _files() if all(m in _text(p) for m in MOJIBAKE_MARKERS)]
    assert hits
    meta = _meta(hits[0])
    assert meta is not None
    assert meta["relevance"] == "🟡".encode().decode("cp1254")


def test_one_long_note_and_the_rest_small() -> None:
    sizes = {p: p.stat().st_size for p in _files()}
    large = [p for p, size in sizes.items() if size >= 90_000]
    assert len(large) == 1
    assert sum(sizes.values()) - sizes[large[0]] < 150_000


def test_no_control_or_bidi_characters() -> None:
    for path in _files():
        for ch in _text(path):
            category = unicodedata.category(ch)
            if ch in "\n\t":
                continue
            assert category not in {"Cc", "Cf"}, (path.name, hex(ord(ch)))


def _all_links() -> list[tuple[Path, str]]:
    return [(p, link) for p in _files() for link in WIKILINK.findall(_text(p))]


def test_alias_and_heading_links_exist() -> None:
    links = [link for _, link in _all_links()]
    assert any("|" in link for link in links)
    assert any("#" in link.split("|")[0] for link in links)


def test_obsidian_note_links_across_folders(metas: dict[Path, dict[str, Any]]) -> None:
    with_aliases = [p for p, m in metas.items() if m.get("aliases")]
    assert with_aliases
    stems: dict[str, list[Path]] = {}
    for path in _files():
        stems.setdefault(path.stem, []).append(path)
    crossing = 0
    for source, link in _all_links():
        if source not in with_aliases:
            continue
        target = link.split("|")[0].split("#")[0]
        for found in stems.get(target, []):
            # a bare name that only resolves by searching other folders
            if found.parent != source.parent:
                crossing += 1
    assert crossing >= 1


def test_related_links_both_resolve_and_dangle(metas: dict[Path, dict[str, Any]]) -> None:
    names = {p.stem for p in _files()}
    targets = [str(link).strip("[]") for meta in metas.values() for link in meta.get("related", [])]
    assert targets
    assert any(t in names for t in targets)
    assert any(t not in names for t in targets)
