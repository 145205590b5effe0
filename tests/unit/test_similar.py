"""Which notes the engine calls alike: the words of the article, not the links it carries."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import shared_dir
from tui.cli.main import main
from tui.vault.index import Vault

# What a clipping pipeline appends to every note of one day: the same "related" list.
RELATED = "\n".join(
    f"- [[2026-02-22-{slug}]]"
    for slug in (
        "a-beginners-guide-to-making-data-web-applications-using-python",
        "give-your-agent-long-term-memory-with-sqlite-and-ollama",
        "optimize-lambda-cold-starts-with-snapstart",
        "stop-wiring-dependencies-by-hand-meet-injectq-python-di",
        "building-an-ai-powered-natural-language-sql-interface",
        "how-to-generate-business-leads-using-google-maps-ids",
    )
)


def clipping(title: str, body: str, related: str = RELATED) -> str:
    return (
        f"---\ntitle: {title}\ndate: '2026-02-23'\nsource: https://example.com/x\n---\n"
        f"{body}\n\n## Source\nhttps://example.com/{title.replace(' ', '-')}\n\n"
        f"## Related notes\n{related}\n"
    )


def test_shared_related_links_do_not_outweigh_the_article(tmp_path: Path) -> None:
    """Two notes of one day share only their pipeline links; the note on the same topic,
    clipped another day with other links, is the one most alike."""
    root = tmp_path / "vault"
    root.mkdir()
    locks = "a distributed lock keeps two workers from running one critical section"
    (root / "a.md").write_text(clipping("Distributed locks", f"{locks}; fencing tokens"), "utf-8")
    other = "- [[2026-05-01-something-else-entirely]]"
    (root / "b.md").write_text(
        clipping("Fencing tokens", f"{locks} across clouds, with leases", other), "utf-8"
    )
    (root / "c.md").write_text(clipping("Sourdough", "flour water salt starter oven"), "utf-8")
    (root / "d.md").write_text(clipping("Rye loaves", "rye flour starter crust"), "utf-8")
    vault = Vault.open(root, use_cache=False)
    found = vault.similar(vault.by_path["a.md"], limit=3)
    assert found and found[0].path == "b.md"


def test_words_inside_links_and_addresses_make_no_note_alike(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    address = "https://example.com/sourdough-rye-flour-starter"
    (root / "a.md").write_text(f"distributed locks and leases\n\n{address}\n{RELATED}\n", "utf-8")
    (root / "b.md").write_text(f"sourdough rye flour starter\n\n{RELATED}\n", "utf-8")
    (root / "c.md").write_text("distributed leases for workers\n", "utf-8")
    (root / "d.md").write_text("rye flour starter for sourdough\n", "utf-8")
    vault = Vault.open(root, use_cache=False)
    assert [n.path for n in vault.similar(vault.by_path["a.md"])] == ["c.md"]


def test_a_note_without_words_has_no_similar_notes(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "empty.md").write_text("---\ntitle: ''\n---\n", "utf-8")
    (root / "b.md").write_text("flour water salt\n", "utf-8")
    (root / "c.md").write_text("flour rye\n", "utf-8")
    vault = Vault.open(root, use_cache=False)
    assert vault.similar(vault.by_path["empty.md"]) == []


def test_the_cli_says_when_nothing_is_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "a.md").write_text("apples\n", "utf-8")
    (root / "b.md").write_text("pears\n", "utf-8")
    assert main(["similar", "a.md", "--vault", str(root), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == []
    assert "no other note" in out.err


def test_the_clippings_of_one_story_find_each_other(tmp_path: Path) -> None:
    """The shared sample: four clippings of one story among 62 other notes."""
    seeds, clipped = shared_dir("seeds"), shared_dir("vaults", "clipped")
    root = tmp_path / "vault"
    shutil.copytree(clipped, root)
    story = sorted(seeds.glob("*.txt"))
    for path in story:
        shutil.copy(path, root / f"{path.stem}.md")
    vault = Vault.open(root, use_cache=False)
    names = {f"{path.stem}.md" for path in story}
    for name in names:
        found = [n.path for n in vault.similar(vault.by_path[name], limit=4)]
        # One clipping has no title but its file name: a Django note on web frameworks
        # may come before its fourth mate, never two of them.
        assert names - {name} <= set(found), (name, found)
        assert set(found[:2]) <= names, (name, found)


def test_huge_words_do_not_hang_the_lookup(tmp_path: Path) -> None:
    """A 2 MB run of letters and a 100 KB title took minutes before: a word that long
    makes no note alike, so it is left out of the question."""
    root = tmp_path / "vault"
    root.mkdir()
    (root / "line.md").write_text("# Huge\n\n" + "A" * 2_000_000 + " river\n", "utf-8")
    (root / "title.md").write_text(f"---\ntitle: {'T' * 100_000}\n---\nriver\n", "utf-8")
    (root / "river.md").write_text("the river rose\n", "utf-8")
    (root / "rivers.md").write_text("a river fell\n", "utf-8")
    vault = Vault.open(root, use_cache=False)
    started = time.monotonic()
    for name in ("line.md", "title.md"):
        found = vault.similar(vault.by_path[name])
        assert {n.path for n in found} <= {"line.md", "title.md", "river.md", "rivers.md"}
    assert time.monotonic() - started < 10  # a hang bound, not a timing
