"""Markdown source cut into top-level blocks with a cheap line scanner, no parsing.

The article pane renders one block at a time (see :mod:`tui.ui.widgets.article.render`), so a
reader only pays
for what is on screen; this module only decides where blocks start and end. It imports
neither rich nor textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

MAX_BLOCK_LINES = 120  # a block is rendered in one go, so keep each one cheap
MAX_BLOCK_CHARS = 12_000
MAX_LINE_CHARS = 8_000  # longer lines (minified dumps, one-line files) are cut into pieces

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TABLE_RULE = re.compile(r" {0,3}\|?\s*:?-+:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")
_LIST = re.compile(r" {0,3}([-*+]|\d{1,9}[.)])(\s|$)")


BlockKind = Literal["fence", "heading", "table", "list", "quote", "rule", "paragraph"]


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level piece of the source: its kind (a guess), first source line and text."""

    kind: BlockKind
    line: int  # 0-based source line of the block's first line
    text: str
    line_count: int  # source lines covered (synthetic fence/table lines not counted)


def _kind(lines: list[str]) -> BlockKind:
    first = lines[0].lstrip(" ")
    if lines[0][:1] in ("`", "~") and FENCE.match(lines[0]):
        return "fence"
    if first.startswith("#"):
        return "heading"
    if first.startswith(">"):
        return "quote"
    if len(lines) > 1 and "|" in lines[0] and _TABLE_RULE.match(lines[1]):
        return "table"
    if _LIST.match(lines[0]):
        stripped = first.replace(" ", "")
        if len(stripped) >= 3 and set(stripped) in ({"-"}, {"*"}):
            return "rule"
        return "list"
    if len(first.replace(" ", "")) >= 3 and set(first.replace(" ", "")) == {"_"}:
        return "rule"
    return "paragraph"


_COMMENT = re.compile(r" {0,3}(%%)")


def _comment_opener(line: str) -> re.Match[str] | None:
    """An Obsidian ``%%`` comment left open on its line: like a fence, blank lines stay in."""
    match = _COMMENT.match(line)
    return match if match and "%%" not in line[match.end() :] else None


def _source_lines(text: str) -> Iterator[str]:
    """Lines of ``text``; absurdly long lines are cut into pieces at a space where possible."""
    pos, end_of_text = 0, len(text)
    while pos < end_of_text:
        end = text.find("\n", pos)
        if end < 0:
            end = end_of_text
        line = text[pos:end].rstrip("\r")
        pos = end + 1
        while len(line) > MAX_LINE_CHARS:
            cut = line.rfind(" ", MAX_LINE_CHARS // 2, MAX_LINE_CHARS)
            cut = cut + 1 if cut > 0 else MAX_LINE_CHARS
            yield line[:cut]
            line = line[cut:]
        yield line


def iter_blocks(text: str) -> Iterator[Block]:
    """Yield the top-level blocks of ``text`` lazily, in order.

    A blank line ends a block unless the next line is indented (a list continuation or
    indented code) or we are inside a fence. Oversized blocks are cut: a fence is closed
    and reopened, a table repeats its header, anything else simply continues.
    """
    buf: list[str] = []
    start = lineno = chars = real = 0
    fence = ""  # the opening fence marker while inside a fenced block
    fence_line = ""
    blanks = 0
    top_fence = False

    def emit() -> Block:
        return Block(_kind(buf), start, "\n".join(buf), real)

    for lineno, line in enumerate(_source_lines(text)):
        blank = not line.strip()
        if fence:
            buf.append(line)
            real += 1
            chars += len(line)
            stripped = line.strip()
            if (fence == "%%" and stripped.endswith("%%")) or (
                stripped.startswith(fence) and not stripped.strip(fence[0])
            ):
                fence = ""
                if top_fence:
                    yield emit()
                    buf, real, chars = [], 0, 0
            elif top_fence and (len(buf) >= MAX_BLOCK_LINES or chars >= MAX_BLOCK_CHARS):
                buf.append(fence)
                yield emit()
                buf, start, real, chars = [fence_line], lineno + 1, 0, 0
            continue
        if blank:
            if buf:
                blanks += 1
            continue
        indented = line[:1] in (" ", "\t")
        opener = FENCE.match(line) or _comment_opener(line)
        full = len(buf) >= MAX_BLOCK_LINES or chars >= MAX_BLOCK_CHARS
        new_block = not buf or (blanks and not indented) or (opener and not indented) or full
        if buf and new_block:
            continuation: list[str] = []
            if full and not blanks and _kind(buf) == "table":
                continuation = buf[:2]
            yield emit()
            buf, real, chars = list(continuation), 0, 0
        if not buf:
            start = lineno
        elif blanks:
            buf.extend([""] * blanks)
            real += blanks
        blanks = 0
        buf.append(line)
        real += 1
        chars += len(line)
        if opener:
            fence, fence_line = opener.group(1), line
            top_fence = len(buf) == 1
    if buf:
        yield emit()


def split_blocks(text: str) -> list[Block]:
    """All blocks of ``text`` at once (see :func:`iter_blocks`)."""
    return list(iter_blocks(text))
