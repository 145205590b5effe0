"""The headless Obsidian Markdown package: tokens for OFM syntax, links outside code only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.text.markdown import find_links, heading_key, local_target, outline
from tui.text.markdown.parser import parse


def types(text: str) -> list[str]:
    return [t.type for t in parse(text)]


def inline_types(text: str) -> list[str]:
    return [c.type for t in parse(text) if t.type == "inline" for c in t.children or []]


def test_callout_becomes_tokens_with_kind_fold_and_title() -> None:
    tokens = parse("> [!FAQ]- Are callouts foldable?\n> Yes, they are.\n> > [!tip] Inner\n> > x")
    opens = [t for t in tokens if t.type == "callout_open"]
    assert [t.meta for t in opens] == [
        {"kind": "faq", "fold": "-", "title": "Are callouts foldable?"},
        {"kind": "tip", "fold": "", "title": "Inner"},
    ]
    assert types("> [!note] Title only").count("paragraph_open") == 0
    assert [t.content for t in tokens if t.type == "inline"] == ["Yes, they are.", "x"]
    # A plain quote stays a quote.
    assert "blockquote_open" in types("> just a quote [!note]")


def test_highlight_comment_block_id_and_wikilinks() -> None:
    kinds = inline_types("a ==b **c**== d %%gone%% [[N#H|x]] ![[pic.png]] == not == e")
    assert kinds.count("mark_open") == 1 and "comment" in kinds
    wiki = [c for t in parse("[[N#H|x]] ![[pic.png]]") for c in t.children or []]
    assert [(c.content, c.meta["embed"]) for c in wiki if c.type == "wikilink"] == [
        ("N#H|x", False),
        ("pic.png", True),
    ]
    para = parse("Knowledge lives here. ^b15695")[0]
    assert para.meta == {"block_id": "b15695"}
    kids = parse("Knowledge lives here. ^b15695")[1].children or []
    assert kids[-1].content == "Knowledge lives here."
    assert types("%%\nhidden\n\nstill hidden\n%%") == ["comment_block"]
    assert types("%% open but never closed") == ["paragraph_open", "inline", "paragraph_close"]


def test_code_keeps_its_text() -> None:
    assert "wikilink" not in inline_types("`[[Not a link]]` and `==no==`")
    assert types("```\n[[Not a link]]\n```") == ["fence"]


def test_math_is_byte_exact_and_prices_stay_prose() -> None:
    tokens = parse("$$\na\\\\ b\n$$\n\nIt costs $5 and $6, but $x^2$ is math.")
    assert tokens[0].type == "math_block" and tokens[0].content.strip() == "a\\\\ b"
    kids = [c for c in tokens[2].children or []]
    assert [c.content for c in kids if c.type == "math_inline"] == ["x^2"]


def test_footnote_reference_without_its_definition_still_matches() -> None:
    kids = parse("Vault ID[^1].")[1].children or []
    assert [c.meta["label"] for c in kids if c.type == "footnote_ref"] == ["1"]


def test_find_links_skips_code_and_reads_markdown_note_links() -> None:
    body = (
        "See [[Real]] and `[[Inline code]]` and ``[[Double `tick`]]``.\n"
        "```md\n[[Fenced]]\n```\n"
        "~~~\n[[Tilde fenced]]\n~~~\n"
        "A [doc](Other%20note.md#Part), an [up](../sib/Up.md), <br> a [web](https://x.example/a.md),"
        " a [pic](image.png), an [angle](<Spaced name.md>) and ![[Embedded#^id]].\n"
    )
    assert find_links(body, "dir/sub") == [
        "Real",
        "Other note#Part",
        "dir/sib/Up",
        "Spaced name",
        "Embedded#^id",
    ]
    assert find_links("plain [[A]] [[B|b]]") == ["A", "B|b"]
    assert local_target("#Heading") == "#Heading"
    assert local_target("../../out.md", "a") == "../../out"  # the resolver refuses it
    assert local_target("javascript:alert(1)") is None


def test_outline_and_heading_key() -> None:
    text = "# One\n\ntext\n```\n# not a heading\n```\n### Three ###\n#nospace\n"
    assert [(h.level, h.text, h.line) for h in outline(text)] == [(1, "One", 0), (3, "Three", 6)]
    assert heading_key("  Links: [[Inner]] #Part  ") == heading_key("links inner part")


@pytest.mark.parametrize("spelling", ["`[[ghost]]`", "```\n[[ghost]]\n```"])
def test_list_json_ignores_links_in_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spelling: str
) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "a.md").write_text(f"# A\n\n{spelling}\n\n[[b]] and [b again](b.md)\n", "utf-8")
    (root / "b.md").write_text("# B\n\nback\n", "utf-8")
    assert main(["list", "--json", "--vault", str(root), "--no-cache"]) == 0
    notes = {n["path"]: n for n in json.loads(capsys.readouterr().out)}
    assert notes["a.md"]["links"] == [{"target": "b", "path": "b.md"}]
