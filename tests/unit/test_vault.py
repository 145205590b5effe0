"""Loading notes into a vault: fields, problems, cache, the real reference notes."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from tests.conftest import SEEDS, shared_dir
from tests.textsearch import found
from tui.query.query import parse_query, run_query
from tui.state.store import StateSnapshot
from tui.vault.cache import CACHE_FORMAT, head_notes
from tui.vault.index import Vault

CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {chr(c) for c in range(0x7F, 0xA0)}
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def shown_fields(vault: Vault) -> list[str]:
    out = []
    for note in vault.notes:
        out += [
            note.title,
            note.date,
            note.domain,
            note.source,
            note.path,
            *note.tags,
            *note.problems,
            *(k.target for k in note.links),
        ]
    return out


def write(root: Path, name: str, data: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_shared_seed_000_fields() -> None:
    vault = Vault.open(shared_dir("seeds"), use_cache=False)
    note = vault.find("000_1d20a28a9537eb4f.txt")
    assert note is not None
    assert note.title == "Flask vs Nodejs: Choosing the Right Backend Framework for 2026"
    assert note.relevance == "medium"  # 'ğŸŸ¡' repaired to 🟡
    assert note.date == "2026-02-23"
    assert note.domain == "Productivity"
    assert "#python" in note.tags
    assert len(note.links) == 6  # related + the body's repeat of them, counted once
    body = vault.body(note)
    assert "What’s new" in body and "â€" not in body


def test_shared_plain_text_titles() -> None:
    vault = Vault.open(shared_dir("seeds"), use_cache=False)
    by_name = {n.path[:3]: n for n in vault.notes}
    assert by_name["001"].title == "Node.js vs. Flask: Everything You Need to Know"
    assert by_name["003"].title == "Flask vs Express.js: Which Framework Powers Your Web App Best?"
    # 002 opens with a section heading, not a title, so the file name stands in.
    assert by_name["002"].title == "002_28290cb88b4ac664"
    assert not vault.body(by_name["001"]).startswith("Node.js vs. Flask")


def test_shared_clipped_vault_loads_clean() -> None:
    vault = Vault.open(shared_dir("vaults", "clipped"), use_cache=False)
    assert len(vault.notes) == 62
    assert all(n.relevance in ("high", "medium") for n in vault.notes)
    assert not [n.path for n in vault.notes if n.problems]
    assert len({n.domain for n in vault.notes}) >= 5
    assert sum(1 for n in vault.notes for k in n.links if k.path) > 0


def test_bundled_seeds_load_without_problems() -> None:
    if not any(SEEDS.glob("*.md")):
        pytest.skip("sample vault not written yet")
    vault = Vault.open(SEEDS, use_cache=False)
    assert 25 <= len(vault.notes) <= 40
    assert not {n.path: n.problems for n in vault.notes if n.problems}
    assert {n.relevance for n in vault.notes} >= {"high", "medium", "low"}


HOSTILE_TITLE = "\x1b]0;PWNED\x07Evil \x1b[2J\x9b31m\u202etitle[@click=app.quit]x[/]"


def test_hostile_fields_are_cleaned(tmp_path: Path) -> None:
    write(
        tmp_path,
        "evil.md",
        f'---\ntitle: "{HOSTILE_TITLE.encode("unicode_escape").decode()}"\n'
        'domain: "\\e]52;c;cHduZWQ=\\a"\ntags: [\'#ok\', "\\e[31mred"]\n---\nbody \x1b]0;X\x07\n',
    )
    vault = Vault.open(tmp_path, use_cache=False)
    note = vault.notes[0]
    for text in [*shown_fields(vault), vault.body(note)]:
        assert not (set(text) & (CONTROL | BIDI)), repr(text)
    assert "[@click=app.quit]x[/]" in note.title  # kept as literal text; the UI never parses it


YAML_FAILURES = {
    "tabs.md": "---\ntitle: x\n\ttags: [a]\n---\nbody",
    "baddate.md": "---\ntitle: Bad date\ndate: 0000-00-00\n---\nbody",
    "content.md": "---\ntitle: Has content\ncontent: surprise\n---\nbody",
    "nonstring.md": "---\n1: one\n[1, 2]: two\ntitle: keys\n---\nbody",
    "dupes.md": "---\ntitle: a\ntitle: b\n---\nbody",
    "bomb.md": "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\nbody",
    "recursive.md": "---\na: &a [*a]\n---\nbody",
    "list.md": "---\n- a\n- b\n---\nbody",
    "unterminated.md": "---\ntitle: never closed\n\nbody text",
    "unsafe.md": "---\ntitle: !!python/object/apply:os.system ['touch /tmp/rly-pwned']\n---\nb",
    "toml.md": '+++\ntitle = "From TOML"\ndate = 2026-03-01\ntags = ["#toml"]\n+++\nbody',
    "rule.md": "---\n\nJust an essay that opens with a rule.\n",
}


def test_every_yaml_failure_is_listed_with_a_problem(tmp_path: Path) -> None:
    for name, text in YAML_FAILURES.items():
        write(tmp_path, name, text)
    write(tmp_path, "empty.md", "")
    write(tmp_path, "binary.md", bytes(range(256)) * 4)
    write(tmp_path, "2026-05-06-latin.md", "Menu\ncaf\xe9 cr\xe8me".encode("cp1252"))
    write(tmp_path, "utf16.md", "\ufeff# Wide title\nbody".encode("utf-16"))
    vault = Vault.open(tmp_path, use_cache=False)
    notes = {n.path: n for n in vault.notes}
    assert set(notes) == {
        *YAML_FAILURES,
        "empty.md",
        "binary.md",
        "2026-05-06-latin.md",
        "utf16.md",
    }
    for name in (
        "tabs.md",
        "nonstring.md",
        "bomb.md",
        "recursive.md",
        "list.md",
        "unterminated.md",
        "unsafe.md",
        "empty.md",
        "binary.md",
        "baddate.md",
        "dupes.md",
        "2026-05-06-latin.md",
    ):
        assert notes[name].problems, name
    assert notes["content.md"].title == "Has content" and not notes["content.md"].problems
    assert notes["toml.md"].title == "From TOML" and notes["toml.md"].date == "2026-03-01"
    assert notes["toml.md"].tags == ["#toml"]
    assert notes["2026-05-06-latin.md"].date == "2026-05-06"
    assert notes["utf16.md"].title == "Wide title"
    assert "café crème" in vault.body(notes["2026-05-06-latin.md"])
    assert not Path("/tmp/rly-pwned").exists()
    assert not notes["rule.md"].problems
    assert "Just an essay" in vault.body(notes["rule.md"])


def test_huge_file_is_listed_not_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.vault.index
    import tui.vault.loader
    import tui.vault.parallel

    monkeypatch.setattr(tui.vault.loader, "MAX_NOTE_BYTES", 1000)
    monkeypatch.setattr(tui.vault.index, "MAX_NOTE_BYTES", 1000)
    monkeypatch.setattr(tui.vault.parallel, "MAX_NOTE_BYTES", 1000)
    write(tmp_path, "big.md", "x" * 5000)
    vault = Vault.open(tmp_path, use_cache=False)
    assert "over the" in vault.notes[0].problems[0]
    assert vault.body(vault.notes[0]) == ""


def test_warm_cache_matches_cold_and_sees_changes(tmp_path: Path) -> None:
    vault_dir = tmp_path / "v"
    write(vault_dir, "2026-01-02-a.md", "---\ntitle: A\nrelated: ['[[2026-01-03-b]]']\n---\nx")
    write(vault_dir, "2026-01-03-b.md", "---\ntitle: B\nrelevance: 3\n---\ny [[a|al]]")
    cache = tmp_path / "cache"
    cold = Vault.open(vault_dir, cache_dir=cache)
    assert cold.stats["parsed"] == 2
    warm = Vault.open(vault_dir, cache_dir=cache)
    assert warm.stats == {"files": 2, "parsed": 0, "cached": 2}
    assert warm.notes == cold.notes
    assert warm.backlinks == cold.backlinks
    # b's [[a|al]] finds a by its title, as a's file name does not match.
    assert cold.backlinks == {
        "2026-01-03-b.md": ["2026-01-02-a.md"],
        "2026-01-02-a.md": ["2026-01-03-b.md"],
    }
    changed = vault_dir / "2026-01-02-a.md"
    changed.write_text("---\ntitle: A changed\n---\nnew words")
    os.utime(changed, ns=(changed.stat().st_mtime_ns + 10**9,) * 2)
    again = Vault.open(vault_dir, cache_dir=cache)
    assert again.stats["parsed"] == 1
    assert again.find("2026-01-02-a.md").title == "A changed"  # type: ignore[union-attr]
    assert found(again, "new words") == [0]


def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "v", "a.md", "---\ntitle: A\n---\nx")
    cache = tmp_path / "cache"
    Vault.open(tmp_path / "v", cache_dir=cache)
    for path in cache.iterdir():
        path.write_bytes(b'{"entries": {"a.md": [1, 2, "junk"]}}')
    assert Vault.open(tmp_path / "v", cache_dir=cache).notes[0].title == "A"
    for path in cache.iterdir():
        path.write_bytes(b"\x00garbage")
    assert Vault.open(tmp_path / "v", cache_dir=cache).notes[0].title == "A"
    # The right format, the file's own stamp, a row that makes no note; then a torn line.
    st = (tmp_path / "v" / "a.md").stat()
    for path in cache.iterdir():
        header = orjson.dumps({"format": CACHE_FORMAT})
        row = orjson.dumps(["a.md", st.st_mtime_ns, st.st_size, ["junk"]])
        path.write_bytes(header + b"\n" + row + b"\n" + b'["b.md", 1')
        assert head_notes(path, 5) == []
    again = Vault.open(tmp_path / "v", cache_dir=cache)
    assert again.notes[0].title == "A" and again.stats["parsed"] == 1


def test_the_cache_starts_with_the_lists_first_screen(tmp_path: Path) -> None:
    days = ["2026-01-05", "2026-03-01", "2026-02-11", "2026-03-01", "2025-12-31"]
    for i, day in enumerate(days):
        write(tmp_path / "v", f"n{i}.md", f"---\ntitle: Note {4 - i}\ndate: {day}\n---\nx")
    cache = tmp_path / "cache"
    vault = Vault.open(tmp_path / "v", cache_dir=cache)
    (path,) = cache.iterdir()
    listed = [
        vault.notes[i].path
        for i in run_query(vault.notes, StateSnapshot({}), parse_query(""), search=None)
    ]
    assert [n.path for n in head_notes(path, 3)] == listed[:3]
    assert [n.path for n in head_notes(path, 50)] == listed
    assert head_notes(tmp_path / "missing.json", 3) == []


def test_note_files_are_never_written(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: A\n---\nbody [[b]]")
    write(tmp_path, "b.md", "ğŸŸ¡ Whatâ€™s")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    vault = Vault.open(tmp_path)
    for note in vault.notes:
        vault.body(note)
    assert found(vault, "body") == [0]
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before


def test_file_deleted_between_scan_and_read_is_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.vault.index
    from tui.vault.scan import scan

    write(tmp_path, "stays.md", "---\ntitle: Stays\n---\nx")
    write(tmp_path, "goes.md", "---\ntitle: Goes\n---\ny")

    def scan_then_delete(root: Path, skip: tuple[str, ...] = ()) -> object:
        found = scan(root, skip)
        (tmp_path / "goes.md").unlink()
        return found

    monkeypatch.setattr(tui.vault.index, "scan", scan_then_delete)
    vault = Vault.open(tmp_path, use_cache=False)
    assert [n.title for n in vault.notes] == ["Stays"]
    assert not vault.notes[0].problems
