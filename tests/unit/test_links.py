from __future__ import annotations

from tui.text.links import WIKILINK_RE, Resolver, backlinks, parse_wikilink
from tui.text.notes import Link, Note


def _note(path: str, title: str = "", aliases: list[str] | None = None) -> Note:
    return Note(id=path, path=path, title=title or path, date="2026-01-01", aliases=aliases or [])


def test_parse_alias_and_heading() -> None:
    link = parse_wikilink("Reading Workflow#Morning pass|my routine")
    assert link == Link(target="Reading Workflow", heading="Morning pass", alias="my routine")
    assert link.label == "my routine"
    assert parse_wikilink("Note#Part").label == "Note#Part"  # type: ignore[union-attr]
    assert parse_wikilink("   ") is None


def test_wikilink_pattern_ignores_broken_and_multiline() -> None:
    text = "see [[a]] and [[b|B]] but not [[c\n]] nor [x] nor [[]]"
    found = [parse_wikilink(inner) for inner in WIKILINK_RE.findall(text)]
    assert [k.target for k in found if k] == ["a", "b"]


def test_resolution_order_and_shortest_path() -> None:
    notes = [
        _note("deep/nested/Topic.md"),
        _note("Topic.md"),
        _note("other/Topic.md"),
        _note("2026-01-01-x.md", title="A Title", aliases=["nick"]),
    ]
    r = Resolver(notes)
    assert r.resolve("topic") == "Topic.md"  # shortest path wins, case-insensitive
    assert r.resolve("nested/Topic") == "deep/nested/Topic.md"
    assert r.resolve("other/topic.md") == "other/Topic.md"
    assert r.resolve("a title") == "2026-01-01-x.md"
    assert r.resolve("Nick") == "2026-01-01-x.md"
    assert r.resolve("missing") is None


def test_traversal_resolves_to_nothing() -> None:
    notes = [_note("etc/passwd.md"), _note("passwd.md")]
    r = Resolver(notes)
    assert r.resolve("../../etc/passwd") is None
    assert r.resolve("/etc/passwd") is None
    assert r.resolve("C:/Windows/win") is None
    assert r.resolve("..\\..\\etc\\passwd") is None


def test_backlinks() -> None:
    a, b, c = _note("a.md"), _note("b.md"), _note("c.md")
    a.links = [Link("b"), Link("c"), Link("b", heading="x")]
    b.links = [Link("c"), Link("nowhere")]
    c.links = [Link("", heading="self")]
    Resolver([a, b, c]).resolve_all([a, b, c])
    assert c.links[0].path == "c.md"
    assert backlinks([a, b, c]) == {"b.md": ["a.md"], "c.md": ["a.md", "b.md"]}
