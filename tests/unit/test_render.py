"""The headless Markdown renderer: block splitting, each construct, links, hostile input."""

from __future__ import annotations

import pytest

from tui.text.blocks import MAX_BLOCK_LINES, Block, split_blocks
from tui.text.notes import Link
from tui.ui.widgets.article.render import (
    render_block,
    render_header,
    safe,
    source_host,
    wiki_index,
)


def plain(text: str, width: int = 80, **kwargs: object) -> list[str]:
    """Render every block of ``text`` as the view does (a blank line between blocks)."""
    out: list[str] = []
    number = 1
    for i, block in enumerate(split_blocks(text)):
        if i:
            out.append("")
        rendered = render_block(block, width, first_number=number, **kwargs)  # type: ignore[arg-type]
        number += len(rendered.links)
        out.extend("".join(seg.text for seg in line).rstrip() for line in rendered.lines)
    return out


def every_segment(text: str, width: int = 60) -> list[str]:
    texts: list[str] = []
    for block in split_blocks(text):
        rendered = render_block(block, width)
        texts.extend(seg.text for line in rendered.lines for seg in line)
    return texts


# -- splitting ---------------------------------------------------------------------------


def test_blank_lines_separate_blocks_and_record_source_lines() -> None:
    blocks = split_blocks("# Title\n\nFirst para\nstill first\n\n\nSecond para\n")
    assert [(b.kind, b.line, b.text) for b in blocks] == [
        ("heading", 0, "# Title"),
        ("paragraph", 2, "First para\nstill first"),
        ("paragraph", 6, "Second para"),
    ]


def test_fence_with_blank_lines_stays_one_block() -> None:
    text = "intro\n\n```python\ndef f():\n\n\n    return 1\n```\n\nafter\n"
    blocks = split_blocks(text)
    assert [b.kind for b in blocks] == ["paragraph", "fence", "paragraph"]
    assert blocks[1].text == "```python\ndef f():\n\n\n    return 1\n```"
    assert blocks[2].line == 9


def test_table_and_lists_are_single_blocks_with_indented_continuations() -> None:
    text = "| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n\n  more of one\n- two\n  - nested\n\nend"
    blocks = split_blocks(text)
    assert [b.kind for b in blocks] == ["table", "list", "paragraph"]
    assert blocks[1].text == "- one\n\n  more of one\n- two\n  - nested"


def test_oversized_table_repeats_its_header_in_the_next_block() -> None:
    rows = "\n".join(f"| {i} | x |" for i in range(MAX_BLOCK_LINES * 2))
    blocks = split_blocks("| n | v |\n|---|---|\n" + rows)
    assert len(blocks) >= 2
    assert all(b.kind == "table" for b in blocks)
    assert blocks[1].text.startswith("| n | v |\n|---|---|\n")
    assert sum(b.line_count for b in blocks) == MAX_BLOCK_LINES * 2 + 2


def test_oversized_fence_is_closed_and_reopened() -> None:
    code = "\n".join(f"x = {i}" for i in range(MAX_BLOCK_LINES * 3))
    blocks = split_blocks(f"```python\n{code}\n```")
    assert len(blocks) >= 3
    assert all(b.kind == "fence" and b.text.startswith("```python\n") for b in blocks)
    assert all(b.text.endswith("```") for b in blocks)
    shown = [line for b in blocks for line in plain(b.text) if line.strip()]
    assert len(shown) == MAX_BLOCK_LINES * 3


def test_one_enormous_line_is_cut_into_several_blocks() -> None:
    blocks = split_blocks("word " * 10_000)
    assert len(blocks) > 1
    assert "".join(b.text.replace("\n", "") for b in blocks) == "word " * 10_000


# -- rendering each construct --------------------------------------------------------------


@pytest.mark.parametrize("width", [40, 80])
def test_heading_paragraph_and_inline_styles(width: int) -> None:
    lines = plain("# Big title\n\nSome **bold**, *italic* and `code` here.", width)
    assert lines == ["Big title", "", "Some bold, italic and code here."]


def test_paragraph_wraps_at_width() -> None:
    lines = plain(" ".join(["lorem"] * 20), 40)
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(lines).split() == ["lorem"] * 20


@pytest.mark.parametrize("width", [40, 80])
def test_nested_bullet_and_numbered_lists(width: int) -> None:
    lines = plain("- one\n- two\n  - inner\n\n3. third\n4. fourth", width)
    assert lines == ["• one", "• two", "  ◦ inner", "", "3. third", "4. fourth"]


def test_fenced_code_keeps_text_and_unknown_language_is_plain() -> None:
    lines = plain("```nosuchlang\nx  =  1\n  y\n```", 40)
    assert [line.strip() for line in lines] == ["x  =  1", "y"]
    assert lines[1].startswith("   y")  # one cell of padding plus the code's own indent
    highlighted = plain("```python\ndef f():\n    return 1\n```", 40)
    assert [line.strip() for line in highlighted] == ["def f():", "return 1"]


def test_table_shows_header_and_cells() -> None:
    lines = plain("| Name | Qty |\n|:-----|----:|\n| apple | 3 |\n| pear | 12 |", 40)
    joined = "\n".join(lines)
    for word in ("Name", "Qty", "apple", "pear", "12"):
        assert word in joined
    assert lines[0].startswith("╭")


def test_blockquote_rule_and_hr() -> None:
    lines = plain("> quoted words\n\n---\n\nafter", 30)
    assert lines == ["▌ quoted words", "", "─" * 30, "", "after"]


# -- links ----------------------------------------------------------------------------------


def test_markdown_and_wikilinks_are_numbered_in_order_with_hints() -> None:
    text = "See [the docs](https://example.org/d) and [[Other note|alias]] then [[Missing#Part]]."
    wiki = wiki_index([Link("Other note", path="other.md")])
    rendered = render_block(split_blocks(text)[0], 100, first_number=4, wiki=wiki)
    line = "".join(seg.text for seg in rendered.lines[0])
    assert line == "See the docs[4] and alias[5] then Missing#Part[6]."
    web, resolved, missing = rendered.links
    assert (web.number, web.kind, web.label, web.url) == (
        4,
        "web",
        "the docs",
        "https://example.org/d",
    )
    assert resolved.kind == "wiki" and resolved.link == Link(
        "Other note", None, "alias", "other.md"
    )
    assert resolved.resolved and not missing.resolved
    assert missing.link == Link("Missing", "Part", None, None)
    assert [(s.number, s.line) for s in rendered.spans] == [(4, 0), (5, 0), (6, 0)]
    first = rendered.spans[0]
    assert line[first.start : first.end] == "the docs[4]"


def test_link_spans_follow_wrapping() -> None:
    rendered = render_block(Block("paragraph", 0, "aaaa bbbb [link text](https://x.org)", 1), 12)
    texts = ["".join(seg.text for seg in line) for line in rendered.lines]
    assert texts[0].rstrip() == "aaaa bbbb"
    spans = rendered.spans
    assert {s.number for s in spans} == {1}
    assert "".join(texts[s.line][s.start : s.end] for s in spans) == "link text[1]"


def test_autolinks_and_bare_urls_are_links() -> None:
    rendered = render_block(Block("paragraph", 0, "<https://a.org/x> and https://b.org/y", 1), 80)
    assert [link.url for link in rendered.links] == ["https://a.org/x", "https://b.org/y"]


def test_no_style_carries_a_terminal_link_or_meta() -> None:
    rendered = render_block(Block("paragraph", 0, "[a](https://a.org) [[b]]", 1), 80)
    for line in rendered.lines:
        for seg in line:
            assert seg.style is None or (not seg.style.link and not seg.style.meta)


# -- hostile input --------------------------------------------------------------------------


def test_markup_in_note_text_is_shown_literally() -> None:
    lines = plain("[@click=app.quit]x[/] and [bold]not bold[/bold]")
    assert lines == ["[@click=app.quit]x[/] and [bold]not bold[/bold]"]


@pytest.mark.parametrize(
    "hostile", ["\x1b]0;PWNED\x07", "\x1b[2J", "\x9b31m", "\u202eevil", "\x00\x08\x7f"]
)
def test_control_sequences_never_reach_a_segment(hostile: str) -> None:
    text = (
        f"# head {hostile}\n\npara {hostile} [x{hostile}](https://e.org/{hostile})\n\n"
        f"```{hostile}\ncode {hostile}\n```\n\n| a{hostile} |\n|---|\n| b{hostile} |\n\n"
        f"- item {hostile} `{hostile}` [[t{hostile}]]"
    )
    emitted = "".join(every_segment(text))
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\x00", "\x08", "\x7f"):
        assert bad not in emitted
    header = render_header(f"T{hostile}", [f"d{hostile}"], [f"t{hostile}"], 40)
    assert "\x1b" not in "".join(seg.text for line in header for seg in line)


def test_javascript_link_is_listed_as_data() -> None:
    rendered = render_block(Block("paragraph", 0, "[click](javascript:alert(1))", 1), 80)
    assert [(link.kind, link.url) for link in rendered.links] == [("web", "javascript:alert(1)")]
    assert "".join(seg.text for seg in rendered.lines[0]) == "click[1]"


def test_safe_and_source_host() -> None:
    assert safe("a\tb\x1b[31mc\x9bd\u2066e") == "a   b[31mcde"
    assert source_host("https://www.example.org:8080/x?y") == "example.org"
    assert source_host("http://[bad") == ""
    assert source_host("") == ""


def test_header_lines() -> None:
    header = render_header("Title", ["2026-01-02", "", "Data", "🔴"], ["ai", "#sql"], 40)
    texts = ["".join(seg.text for seg in line).rstrip() for line in header]
    assert texts == ["Title", "2026-01-02 · Data · 🔴", "#ai  #sql", "─" * 40]
