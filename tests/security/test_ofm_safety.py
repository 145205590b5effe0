"""Obsidian constructs with hostile text: callout titles, footnotes, embed targets and HTML
tags can neither emit a control sequence nor become markup, in the app's renderer or in
``show --rendered``; embeds never read outside the vault."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.security.hostile import MARKER, MARKUP, SECRET, SEQUENCES, ofm_body
from tui.cli.main import main
from tui.text.blocks import iter_blocks
from tui.text.notes import Link, Note
from tui.ui.widgets.article.printout import rendered_lines
from tui.ui.widgets.article.render import Context, Embedded, render_block
from tui.ui.widgets.article.sources import VaultSources
from tui.vault.index import Vault

BAD = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\x90", "\x00", "\x08", "\x7f", "\u202e")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET, encoding="utf-8")
    (root / "leak.md").symlink_to(outside / "secret.md")
    (root / "hostile.md").write_text("---\ndate: 2026-04-01\n---\n" + ofm_body(), "utf-8")
    (root / "inner.md").write_text(f"Embedded {SEQUENCES['osc52']} {MARKUP}\n", "utf-8")
    return root


def test_every_segment_is_inert() -> None:
    embedded = Embedded("inner.md", f"T{SEQUENCES['osc0-bel']}", f"x {SEQUENCES['dcs']}", {})
    context = Context(
        wiki={},
        path="hostile.md",
        embed=lambda link: embedded,
        attachment=lambda name: False,
    )
    context.wiki = {"embed": Link("embed", path="inner.md")}
    texts: list[str] = []
    for block in iter_blocks(ofm_body()):
        rendered = render_block(block, 70, context=context)
        for line in rendered.lines:
            for seg in line:
                texts.append(seg.text)
                assert seg.control is None
                assert seg.style is None or (not seg.style.link and not seg.style.meta)
    emitted = "".join(texts)
    for bad in BAD:
        assert bad not in emitted, repr(bad)
    assert "[@click=app.quit]quit[/]" in emitted  # markup shown as the text it is


@pytest.mark.parametrize("colour", [True, False])
def test_show_rendered_emits_only_its_own_colours(tmp_path: Path, colour: bool) -> None:
    root = _vault(tmp_path)
    vault = Vault.open(root, use_cache=False)
    note = vault.by_path["hostile.md"]
    lines = list(
        rendered_lines(
            note, vault.body(note), 80, colour=colour, sources=VaultSources(lambda: vault)
        )
    )
    text = "\n".join(lines)
    stripped = SGR.sub("", text)
    for bad in BAD:
        assert bad not in stripped, repr(bad)
    assert SECRET not in text
    assert (SGR.search(text) is not None) == colour
    assert MARKER in text  # the payload's words are shown, harmlessly


def test_embeds_and_attachments_stay_in_the_vault(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    vault = Vault.open(root, use_cache=False)
    sources = VaultSources(lambda: vault)
    for name in ("../outside/secret.md", "/etc/passwd", "..\\..\\etc\\passwd", "../../etc"):
        assert sources.attachment(name) is False
    assert sources.embed(Link("../outside/secret", path=None)) is None
    note = Note(id="x", path="x.md", title="x", date="2026-01-01")
    assert sources.embed(Link("x", path=note.path)) is None  # not a note of this vault


def test_show_rendered_cli_on_hostile_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _vault(tmp_path)
    code = main(["show", "hostile.md", "--rendered", "--width", "72", "--vault", str(root),
                 "--no-cache", "--state", str(tmp_path / "s.json")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    for bad in BAD:
        assert bad not in out, repr(bad)
    assert SECRET not in out
