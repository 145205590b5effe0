"""Obsidian constructs in the article renderer: what a reader sees for each one."""

from __future__ import annotations

from rich.style import Style

from tests.unit.test_render import plain
from tui.text.blocks import Block, split_blocks
from tui.text.notes import Link
from tui.ui.widgets.article.render import Context, Embedded, Palette, render_block


def styles_of(text: str, word: str, palette: Palette | None = None) -> list[Style]:
    found = []
    for block in split_blocks(text):
        for line in render_block(block, 80, palette).lines:
            found += [seg.style for seg in line if word in seg.text and seg.style]
    return found


def test_six_heading_levels_look_different() -> None:
    palette = Palette()
    looks = {str(styles_of("#" * n + f" H{n}", f"H{n}", palette)[0]) for n in range(1, 7)}
    assert len(looks) == 6


def test_callout_label_title_body_and_fold() -> None:
    lines = plain("> [!faq]- Are callouts foldable?\n> Yes, they fold.")
    assert lines == ["▌ ? FAQ  ▸ Are callouts foldable?"]  # folded as written
    open_ = plain("> [!faq]+ Open one\n> Yes, they fold.")
    assert open_ == ["▌ ? FAQ  ▾ Open one", "▌ Yes, they fold."]
    assert plain("> [!custom]\n> x")[0] == "▌ ✎ CUSTOM  Custom"  # unknown types look like notes
    context = Context(folds={"0:1": False})  # the reader opened it
    assert len(plain("> [!faq]- Q\n> A", context=context)) == 2


def test_callout_colour_follows_its_family() -> None:
    palette = Palette(callout={"warning": Style(color="yellow")})
    assert styles_of("> [!caution] Careful\n> x", "▌", palette)[0].color.name == "yellow"  # type: ignore[union-attr]


def test_highlight_comment_block_id_tasks() -> None:
    assert plain("Keep ==this== %%not this%% here. ^b15695") == ["Keep this  here."]
    assert plain("- [x] done\n- [ ] todo") == ["☑  done", "☐  todo"]
    mark = Palette().mark
    assert styles_of("Keep ==this== here", "this")[0] == mark


def test_math_is_shown_byte_exact() -> None:
    lines = plain("$$\na\\\\ b_{i}\n$$\n\nInline $x^2 \\\\ y$ here.")
    assert lines[0] == "  a\\\\ b_{i}"
    assert lines[-1] == "Inline x^2 \\\\ y here."


def test_inline_html_is_styled_or_dropped_and_blocks_are_text() -> None:
    text = (
        "Press <kbd>Ctrl</kbd>+<kbd>K</kbd><br>then <s>old</s> <u>new</u> H<sub>2</sub>O "
        "x<sup>2</sup> <span class='f'>plain</span>"
    )
    assert plain(text) == ["Press Ctrl+K", "then old new H₂O x² plain"]
    assert styles_of(text, "old")[0].strike
    assert styles_of(text, "new")[0].underline
    assert plain("<div onclick='x'>\nkept <b>as is</b>\n</div>") == [
        "<div onclick='x'>",
        "kept <b>as is</b>",
        "</div>",
    ]


def test_footnote_reference_and_definition() -> None:
    context = Context()
    lines = plain("Vault ID[^1] here.\n\n[^1]: Vault ID is the folder.", context=context)
    assert lines == ["Vault ID¹ here.", "", "¹ Vault ID is the folder. ↩"]


def test_table_alignment_and_whole_words() -> None:
    table = "| left | mid | right |\n|:-----|:---:|------:|\n| a | b | c |"
    row = plain(table, 40)[3]
    cells = [c for c in row.split("│")[1:-1]]
    assert cells[0].startswith(" a") and cells[2].endswith("c ") and cells[1].strip() == "b"
    assert cells[1].index("b") == len(cells[1]) // 2
    wide = "| " + " | ".join(f"alphabetical{i}" for i in range(6)) + " |\n|" + "---|" * 6
    lines = plain(wide + "\n| " + " | ".join("word" for _ in range(6)) + " |", 40)
    assert all(f"alphabetical{i}" in "\n".join(lines) for i in range(6))  # never cut
    assert max(len(line) for line in lines) > 40  # wider than the pane: it scrolls


def test_markdown_link_to_a_note_is_internal() -> None:
    wiki = {"other note": Link("Other note", path="sub/Other note.md")}
    rendered = render_block(
        Block("paragraph", 0, "[x](Other%20note.md#Part) [y](<Other note.md>) [z](https://a.b)", 1),
        80,
        context=Context(wiki=wiki, path="a.md"),
    )
    kinds = [(link.kind, link.link.path if link.link else link.url) for link in rendered.links]
    assert kinds == [
        ("wiki", "sub/Other note.md"),
        ("wiki", "sub/Other note.md"),
        ("web", "https://a.b"),
    ]
    assert rendered.links[0].link is not None and rendered.links[0].link.heading == "Part"


def test_embeds_are_framed_depth_limited_and_cycle_safe() -> None:
    bodies = {
        "a.md": "Alpha text.\n\n![[b]]",
        "b.md": "Beta text.\n\n![[a]]",
    }
    wiki = {"a": Link("a", path="a.md"), "b": Link("b", path="b.md")}

    def embed(link: Link) -> Embedded | None:
        path = link.path or ""
        return Embedded(path, path.upper(), bodies[path], wiki) if path in bodies else None

    context = Context(
        wiki=wiki, path="a.md", embed=embed, attachment=lambda name: name == "here.png"
    )
    lines = plain("![[b]]\n\n![[here.png]]\n\n![[gone.pdf]]", 60, context=context)
    text = "\n".join(lines)
    assert lines[0].startswith("┌ ↪ B.MD")
    assert "│ Beta text." in text
    assert "↪ a[" in text  # b embedding a (which embeds b) stops: a link instead
    assert "[image: here.png]" in text and "[pdf: gone.pdf, missing]" in text
