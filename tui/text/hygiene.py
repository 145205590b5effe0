"""Text hygiene: decode note bytes, repair mojibake, strip what a terminal would act on.

Everything read from a note passes through here before anything else sees it, so the
rest of the program can treat strings as inert text. Headless: no textual or rich.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from typing import Any

__all__ = [
    "clean_line",
    "clean_text",
    "decode_bytes",
    "has_unsafe_chars",
    "looks_binary",
    "looks_like_mojibake",
    "terminal_safe",
]

_SNIFF = 8192

# Longest BOM first: the UTF-32 LE BOM begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _byte_char(byte: int, encoding: str) -> str:
    """One byte through a single-byte codec; bytes it leaves unmapped read as Latin-1."""
    try:
        return bytes([byte]).decode(encoding)
    except UnicodeDecodeError:
        return chr(byte)


# Windows-1252 leaves five bytes undefined; those read as Latin-1 so decoding never fails.
_CP1252_TABLE = "".join(_byte_char(b, "cp1252") for b in range(256))

CP1252_PROBLEM = "not UTF-8; decoded as Windows-1252"


def _sniff_bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode a note file's bytes; return the text and a problem, or None when clean.

    A BOM picks the encoding (and is dropped); otherwise UTF-8, and failing that
    Windows-1252, which is what most non-UTF-8 web text really is.
    """
    sniffed = _sniff_bom(data)
    if sniffed is not None:
        encoding, skip = sniffed
        try:
            return data[skip:].decode(encoding), None
        except UnicodeDecodeError:
            text = data[skip:].decode(encoding, errors="replace")
            return text, f"invalid {encoding.upper()} bytes were replaced with \ufffd"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        text, _ = codecs.charmap_decode(data, "strict", _CP1252_TABLE)
        return text, CP1252_PROBLEM


# C0 controls that text files legitimately contain; everything else below 0x20 is suspicious.
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b\b")
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in _TEXT_CONTROLS) + b"\x7f"


def looks_binary(data: bytes) -> bool:
    """Guess whether bytes are not text at all (an image, an archive, a database...).

    Looks at the first 8 KB only: any NUL byte (unless a UTF-16/32 BOM explains it),
    or more than one byte in ten being a control that no text file would carry.
    """
    sample = data[:_SNIFF]
    if not sample:
        return False
    sniffed = _sniff_bom(sample)
    if sniffed is not None and sniffed[0] != "utf-8":
        encoding, skip = sniffed
        text = sample[skip:].decode(encoding, errors="replace")
        sample = text.encode("utf-8", errors="replace")
        if not sample:
            return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    return controls * 10 > len(sample)


# --- mojibake detection -------------------------------------------------------------------
#
# UTF-8 read through a single-byte code page turns each multi-byte character into a lead
# character followed by one to three "continuation" characters (bytes 0x80-0xBF). The code
# pages are the ones ftfy knows how to undo.
_MOJIBAKE_CODECS = (
    "latin-1",
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso-8859-2",
    "mac-roman",
    "cp437",
)


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _build_mojibake_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return (cheap, exact): a two-character scan and the per-code-page check behind it."""
    branches: list[str] = []
    leads: set[str] = set()
    conts: set[str] = set()
    for enc in _MOJIBAKE_CODECS:
        lead2 = {_byte_char(b, enc) for b in range(0xC2, 0xE0)}
        lead3 = {_byte_char(b, enc) for b in range(0xE0, 0xF0)}
        lead4 = {_byte_char(b, enc) for b in range(0xF0, 0xF5)}
        cont = {_byte_char(b, enc) for b in range(0x80, 0xC0)}
        c = _char_class(cont)
        branches.append(
            f"{_char_class(lead2)}{c}|{_char_class(lead3)}{c}{{2}}|{_char_class(lead4)}{c}{{3}}"
        )
        leads |= lead2 | lead3 | lead4
        conts |= cont
    # The exact pattern alone scans ~40x slower, so a union of lead+continuation finds
    # candidates and the exact one is only tried where a candidate starts.
    cheap = re.compile(_char_class(leads) + _char_class(conts))
    exact = re.compile("|".join(branches))
    return cheap, exact


# Built on first use: compiling them is a good part of start-up, and most text is ASCII.
_mojibake_patterns = cache(_build_mojibake_patterns)


def _find_mojibake(s: str, pos: int = 0) -> int:
    """Index of the next place that reads like UTF-8 bytes in a code page, or -1."""
    cheap, precise = _mojibake_patterns()
    search = cheap.search
    exact = precise.match
    while (m := search(s, pos)) is not None:
        if exact(s, m.start()) is not None:
            return m.start()
        pos = m.start() + 1
    return -1


def looks_like_mojibake(s: str) -> bool:
    """True if some part of ``s`` has the shape of UTF-8 decoded with the wrong code page.

    A cheap over-approximation: it decides whether ftfy is worth running, not what to fix.
    """
    return not s.isascii() and _find_mojibake(s) >= 0


@cache
def _ftfy_config() -> Any:
    import ftfy

    # Only undo encoding damage; leave good text exactly as it is written (curly quotes,
    # ligatures, full-width forms, composition, entities which Markdown handles itself).
    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=True,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


# The single-byte code pages ftfy undoes, in the order it tries them.
_REENCODINGS = (
    "latin-1",
    "sloppy-windows-1252",
    "sloppy-windows-1251",
    "sloppy-windows-1250",
    "sloppy-windows-1253",
    "sloppy-windows-1254",
    "sloppy-windows-1257",
    "iso-8859-2",
    "macroman",
    "cp437",
)


def _reencode(line: str) -> str | None:
    """Undo a whole line's mojibake in one step, or None if the line is not uniformly damaged.

    When every character maps back to one code page and the bytes are valid UTF-8, that is
    the fix ftfy would find, at a tenth of the cost or less; mixed lines go to ftfy.
    """
    for _ in range(3):  # text can be mis-decoded more than once
        for encoding in _REENCODINGS:
            try:
                line = line.encode(encoding).decode("utf-8")
                break
            except UnicodeError:
                continue
        else:
            return None
        if _find_mojibake(line) < 0:
            return line
    return None


def _fix_line(line: str) -> str:
    import ftfy  # deferred: costs ~65 ms to import and most vaults never need it
    from ftfy.badness import is_bad

    # ftfy's own guard; genuine text in some scripts reaches here (Ukrainian "Ві" is also
    # UTF-8 "³" read as cp1251), and on damaged lines it answers within a few characters.
    if not is_bad(line):
        return line
    fixed = _reencode(line)
    return fixed if fixed is not None else str(ftfy.fix_text(line, _ftfy_config()))


def _repair(s: str) -> str:
    """Repair just the lines that look damaged (ftfy itself works line by line)."""
    out: list[str] = []
    pos = 0
    while (hit := _find_mojibake(s, pos)) >= 0:
        start = s.rfind("\n", 0, hit) + 1
        end = s.find("\n", hit)
        end = len(s) if end < 0 else end + 1
        out.append(s[pos:start])
        out.append(_fix_line(s[start:end]))
        pos = end
    if not out:
        return s
    out.append(s[pos:])
    return "".join(out)


# --- stripping ----------------------------------------------------------------------------

# Whole escape sequences go, not just the ESC, so pasted terminal output reads cleanly:
# CSI (ESC [ params final), OSC/DCS/APC/PM/SOS strings up to BEL or ST, and 2-byte escapes.
# A string with no terminator on its line loses only its introducer, never the text after.
_ESCAPE_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"
)

_UNSAFE_CHARS = (
    "\x00-\x08\x0e-\x1f\x7f-\x9f"  # C0 except \t \n \v \f \r (handled before), DEL, C1
    "\u061c\u200e\u200f"  # bidi marks
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\u206a-\u206f"  # deprecated format controls (symmetric swapping, digit shapes)
    "\ufeff"  # a BOM in the middle of text
    "\ufff9-\ufffb\ufffe\uffff"  # interlinear annotation controls, non-characters
    "\ud800-\udfff"  # surrogates left unpaired
)
_ASCII_SUSPECT = bytes(b for b in range(0x20) if b not in b"\t\n") + b"\x7f"
_UNSAFE = re.compile(f"[{_UNSAFE_CHARS}]+")
_NEEDS_CLEANING = re.compile(f"[\r\x0b\x0c\u2028\u2029{_UNSAFE_CHARS}]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")
_ANY_CONTROL = re.compile(f"[\t\n\r\x0b\x0c\u2028\u2029{_UNSAFE_CHARS}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")


def _join_surrogate_pairs(s: str) -> str:
    # A pair written as two code points (e.g. from a JSON escape) is a real character.
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _strip(s: str) -> str:
    if s.isascii():
        # bytes.translate runs at memory speed; the regex scan costs ~5 us per KB.
        raw = s.encode("ascii")
        if len(raw.translate(None, _ASCII_SUSPECT)) == len(raw):
            return s
    elif _NEEDS_CLEANING.search(s) is None:
        return s
    if "\x1b" in s:
        s = _ESCAPE_SEQ.sub("", s)
    s = _LINE_BREAKS.sub("\n", s)
    if _SURROGATE.search(s) is not None:
        s = _join_surrogate_pairs(s)
    return _UNSAFE.sub("", s)


_DRAW_UNSAFE = re.compile(f"[\r\x0b\x0c\u2028\u2029{_UNSAFE_CHARS}]+")


def drop_unsafe(s: str) -> str:
    """Remove what a terminal would act on, keeping newlines and tabs, repairing nothing.

    Loading already cleaned every note field (:func:`clean_text`); widgets call this as a
    last, cheap check on whatever they are about to draw.
    """
    if s.isprintable():
        return s
    return _DRAW_UNSAFE.sub("", s)


def _visible(match: re.Match[str]) -> str:
    return "".join(
        f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in match.group()
    )


def terminal_safe(s: str, *, escape: bool = False) -> str:
    """Text about to be printed to a terminal, from any source, made inert.

    Whole escape sequences go, then every character a terminal acts on (C0 controls but
    newline and tab, DEL, C1, bidi and format controls, unpaired surrogates, other line
    breaks). Nothing is repaired: this is the last step before the bytes leave, for text
    that may never have been cleaned (state and config files, arguments, file names).

    ``escape=True`` shows each such character as ``\\x1b`` or ``\\u202e`` instead of
    dropping it, for messages that name what the user typed or a file is called: they
    should see exactly which name was meant.
    """
    if s.isprintable():
        return s
    if escape:
        return _DRAW_UNSAFE.sub(_visible, s)
    if "\x1b" in s:
        s = _ESCAPE_SEQ.sub("", s)
    return _DRAW_UNSAFE.sub("", s)


# Whitespace controls become a space so words stay apart on a one-line row.
_SPACES = str.maketrans("\t\n\r", "   ")


def plain(s: str) -> str:
    """``s`` on one line for drawing: tabs and line breaks become spaces, and control,
    escape and bidi characters are removed (:func:`drop_unsafe`)."""
    if s.isprintable():
        return s
    return drop_unsafe(s.translate(_SPACES))


def has_unsafe_chars(s: str) -> bool:
    """True if ``s`` holds a character no one-line field may show: any control (tab and
    newline included), a bidi or format control, or an unpaired surrogate (a byte that was
    not UTF-8 in a file name)."""
    return _ANY_CONTROL.search(s) is not None


def clean_text(s: str) -> str:
    """Make multi-line untrusted text safe and readable.

    Line endings become ``\\n``; mojibake is repaired (only where the text looks damaged);
    then control characters, escape sequences, bidi controls and unpaired surrogates are
    removed. Tabs and newlines stay. Markup-looking text is left alone: this is about
    bytes a terminal would act on, not about any renderer's syntax.
    """
    if not s.isascii() and _find_mojibake(s) >= 0:
        s = _repair(s)
    return _strip(s)


def clean_line(s: str) -> str:
    """Clean a one-line field (title, tag, URL...): ``clean_text``, then one space per run
    of whitespace, trimmed."""
    # Most fields are already fine: printable means no controls, no bidi, no line breaks.
    if s.isprintable() and (s.isascii() or _find_mojibake(s) < 0):
        if "  " not in s and s[:1] != " " and s[-1:] != " ":
            return s
        return " ".join(s.split())
    return _WHITESPACE.sub(" ", clean_text(s)).strip()
