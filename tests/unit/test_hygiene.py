"""Text hygiene: decoding, mojibake repair, and stripping what a terminal would act on."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import ftfy
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.text.hygiene import (
    CP1252_PROBLEM,
    clean_line,
    clean_text,
    decode_bytes,
    looks_binary,
    looks_like_mojibake,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEED = SHARED / "seeds" / "000_1d20a28a9537eb4f.txt"
VAULT = SHARED / "vaults" / "clipped"

# What must never survive cleaning: C0 except tab/newline, DEL, C1, bidi controls, surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


# --- stripping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("title\x1b]0;PWNED\x07 after", "title after"),
        ("copy\x1b]52;c;cHduZWQ=\x07 me", "copy me"),
        ("clear\x1b[2J screen", "clear screen"),
        ("colour \x1b[1;31mred\x1b[0m done", "colour red done"),
        ("link \x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\", "link here"),
        ("eight-bit \x9b31mcsi", "eight-bit 31mcsi"),
        ("bidi \u202eevil\u202c text", "bidi evil text"),
        ("isolate \u2066x\u2069 and marks \u200e\u200f\u061c", "isolate x and marks "),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 and del\x7f", "bell and del"),
        ("lone \ud800surrogate", "lone surrogate"),
        ("stray \ufeffbom", "stray bom"),
    ],
)
def test_hostile_sequences_are_removed(hostile: str, expected: str) -> None:
    assert clean_text(hostile) == expected


def test_unterminated_osc_keeps_following_text() -> None:
    assert clean_text("a\x1b]0;no end\nnext line") == "a0;no end\nnext line"


def test_markup_is_not_hygiene_business() -> None:
    text = "[@click=app.quit]x[/] and [bold red]y[/]"
    assert clean_text(text) == text
    assert clean_line(text) == text


def test_line_endings_normalised() -> None:
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean_text("page\x0cbreak\x0bvt\u2028ls\u2029ps") == "page\nbreak\nvt\nls\nps"


def test_tabs_and_newlines_survive() -> None:
    assert clean_text("col\tcol\n\nnext") == "col\tcol\n\nnext"


def test_surrogate_pair_becomes_one_character() -> None:
    assert clean_text("smile \ud83d\ude00") == "smile 😀"


def test_clean_line_collapses_whitespace() -> None:
    assert clean_line("  A\ttitle\n\nacross   lines\r\n ") == "A title across lines"
    assert clean_line("x\x1b[2J\u202e y") == "x y"
    assert clean_line("") == ""
    assert clean_line(" Привет  мир 🟡 ") == "Привет мир 🟡"
    assert clean_line("relevance: ğŸŸ¡") == "relevance: 🟡"
    assert clean_line("no\u00a0break") == "no break"


# --- mojibake -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Whatâ€™s new", "What’s new"),
        ("relevance: ğŸŸ¡", "relevance: 🟡"),  # UTF-8 read as Windows-1254 (Turkish)
        ("ğŸ”´ and ğŸŸ¢", "🔴 and 🟢"),
        ("cafÃ© crÃ¨me", "café crème"),
        ("â€œquotedâ€\x9d", "“quoted”"),  # cp1252 with the undefined byte kept as C1
        ("itâ\x80\x99s", "it’s"),  # UTF-8 read as Latin-1: C1 controls in the middle
        ("РџСЂРёРІРµС‚", "Привет"),  # UTF-8 Russian read as Windows-1251
    ],
)
def test_mojibake_repaired(broken: str, fixed: str) -> None:
    assert looks_like_mojibake(broken)
    assert clean_text(broken) == fixed


def test_double_encoded_mojibake_repaired() -> None:
    twice = "don’t".encode().decode("cp1252").encode().decode("cp1252")
    assert clean_text(twice) == "don’t"


@pytest.mark.parametrize(
    "good",
    [
        "She said “it’s fine” — really…",
        "日本語のテキストと中文和한국어",
        "🟡 medium, 🔴 high, 👩‍💻 coder, 🇺🇦 flag, ❤️ heart",
        "Le château était très élégant, où l’on mangeait des crêpes à la française.",
        "Україна: Вінниця, Київ; Ґанок, їжак, є",
        "Ελληνικά, Łódź, İstanbul, ½ × 3 € ™ ©",
        "ligature ﬁne, ＦＵＬＬ width, decomposed e\u0301",
        "SÃO PAULO is a city",
    ],
)
def test_good_text_untouched(good: str) -> None:
    assert clean_text(good) == good


def test_only_damaged_lines_change() -> None:
    text = "Good “curly” line\nbad line: itâ€™s\nanother ‘good’ one\n"
    assert clean_text(text) == "Good “curly” line\nbad line: it’s\nanother ‘good’ one\n"


SENTENCES = [
    "It’s a “smart” café — naïve but über-fine…",
    "Relevance 🟡 then 🔴, and 日本語 text",
    "Привет, мир! Ελληνικά and Łódź",
]


def _decodable(text: str, encoding: str) -> bool:
    try:
        text.encode("utf-8").decode(encoding)
    except UnicodeDecodeError:
        return False  # this code page cannot show these bytes, so such mojibake never occurs
    return True


@pytest.mark.parametrize(
    ("sentence", "encoding"),
    [
        (s, e)
        for s in SENTENCES
        for e in ["cp1252", "latin-1", "cp1254", "cp1251"]
        if _decodable(s, e)
    ],
)
def test_mojibake_in_common_code_pages_restored(sentence: str, encoding: str) -> None:
    broken = sentence.encode("utf-8").decode(encoding)
    assert clean_text(broken) == sentence
    assert clean_text(f"good “line”\n{broken}\n") == f"good “line”\n{sentence}\n"


_WORDS = [
    "café",
    "What’s",
    "“q”",
    "🟡",
    "日本",
    "Привет",
    "Łódź",
    "İz",
    "—",
    "…",
    "€5",
    "½",
    "a",
    "the",
]


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map(" ".join),
    st.sampled_from(["cp1252", "latin-1", "cp1254", "cp1251", "cp1250", "mac-roman"]),
)
def test_repair_agrees_with_ftfy(text: str, encoding: str) -> None:
    assume(_decodable(text, encoding))
    broken = text.encode("utf-8").decode(encoding)
    reference = ftfy.fix_text(
        broken, uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False,
        unescape_html=False, fix_line_breaks=False, normalization=None,
    )  # fmt: skip
    assert clean_text(broken) == clean_text(reference)


@pytest.mark.skipif(not SEED.is_file(), reason="shared seed notes not present")
def test_real_seed_mojibake_repaired() -> None:
    original = SEED.read_text(encoding="utf-8")
    cleaned = clean_text(original)
    assert "â€" not in cleaned
    assert "ğŸ" not in cleaned
    assert "🟡" in cleaned
    assert "’" in cleaned
    # Lines with nothing wrong come back exactly as written.
    for before, after in zip(original.splitlines(), cleaned.splitlines(), strict=True):
        if not looks_like_mojibake(before):
            assert after == before


@pytest.mark.skipif(not VAULT.is_dir(), reason="shared vault not present")
def test_real_vault_notes_are_clean_already() -> None:
    notes = sorted(VAULT.glob("*.md"))
    assert notes
    for path in notes:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        if not looks_like_mojibake(text) and not FORBIDDEN.search(text):
            assert clean_text(text) == text, path.name


# --- decoding -------------------------------------------------------------------------------


def test_decode_utf8_and_bom() -> None:
    assert decode_bytes("héllo 🟡".encode()) == ("héllo 🟡", None)
    assert decode_bytes(codecs.BOM_UTF8 + "héllo".encode()) == ("héllo", None)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_decode_utf16_and_utf32_with_bom(encoding: str) -> None:
    text = "---\ntitle: Ünïcode 🟡\n---\nbody"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_bytes(data) == (text, None)
    assert not looks_binary(data)


def test_decode_broken_utf16_reports_problem() -> None:
    text, problem = decode_bytes(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8")
    assert text.startswith("ok")
    assert problem is not None and "UTF-16" in problem


def test_decode_cp1252_fallback() -> None:
    text, problem = decode_bytes("“Café” – 5€".encode("cp1252"))
    assert text == "“Café” – 5€"
    assert problem == CP1252_PROBLEM


def test_decode_bytes_cp1252_leaves_undefined_become_latin1() -> None:
    text, problem = decode_bytes(b"caf\xe9 \x81\x8d\x8f\x90\x9d end")
    assert text == "café \x81\x8d\x8f\x90\x9d end"
    assert problem == CP1252_PROBLEM
    assert clean_text(text) == "café  end"


# --- binary sniffing ------------------------------------------------------------------------


def test_binary_detection() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(b"text then a \x00 nul")
    assert looks_binary(bytes(range(1, 32)) * 50)
    assert not looks_binary(b"")
    assert not looks_binary("plain text\r\n\tindented 🟡\n".encode() * 100)
    assert not looks_binary(b"\x1b[2J\x1b]0;title\x07" * 500)  # hostile, but text
    assert not looks_binary(b"a" * 9000 + b"\x00")  # only the first 8 KB are sniffed


# --- properties -----------------------------------------------------------------------------


@given(st.text())
def test_clean_text_never_leaves_forbidden_characters(text: str) -> None:
    assert FORBIDDEN.search(clean_text(text)) is None


@given(st.text())
def test_clean_line_is_one_trimmed_line(text: str) -> None:
    line = clean_line(text)
    assert FORBIDDEN.search(line) is None
    assert "\n" not in line and "\t" not in line
    assert line == line.strip()
    assert "  " not in line


@given(st.text())
def test_clean_text_leaves_good_text_alone(text: str) -> None:
    assume("\r" not in text and "\x1b" not in text)
    assume(FORBIDDEN.search(text) is None and not looks_like_mojibake(text))
    assume(not re.search("[\ufeff\ufff9-\ufffb\ufffe\uffff\u206a-\u206f\u2028\u2029]", text))
    assert clean_text(text) == text


def test_drop_unsafe_is_the_last_check_before_drawing() -> None:
    from tui.text.hygiene import drop_unsafe

    hostile = "a\x1b]0;PWNED\x07b\x9b31m\u202ec\r\x0bd\ud800\n\te"
    out = drop_unsafe(hostile)
    assert out == "a]0;PWNEDb31mcd\n\te"  # controls gone, newline and tab kept
    assert drop_unsafe("Whatâ€™s café 日本 🟡") == "Whatâ€™s café 日本 🟡"  # repairs nothing
