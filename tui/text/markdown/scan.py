"""Cheap line scans of a note body: its links outside code, its outline, heading keys.

These run for every note while a vault is indexed, so they never build a syntax tree: a
line scanner steps over fenced code and inline code spans, which Obsidian does not read as
links, and picks up wikilinks, embeds and Markdown links to notes. Headless: stdlib only.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from tui.text.links import NOTE_SUFFIXES, WIKILINK_RE

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.*?[^`])\1(?!`)")
# `[text](target)` or `[text](<target with spaces>)`, with an optional "title".
_MD_LINK = re.compile(
    r"(!?)\[[^\]\n]{0,400}\]\(\s*(<[^>\n]{1,400}>|[^\s()<>]{1,400})(?:\s+\"[^\"\n]*\")?\s*\)"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# Characters Obsidian leaves out when it matches a link's heading against the headings.
_HEADING_DROP = str.maketrans("", "", "#^[]|:%*_`\\")


def _without_code_spans(line: str) -> str:
    """``line`` with inline code replaced by spaces (positions kept)."""
    if "`" not in line:
        return line
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def prose_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` outside fenced code, each with its inline code blanked out."""
    fence = ""
    for line in text.split("\n"):
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            continue
        opener = _FENCE.match(line)
        if opener and not (opener.group(1)[0] == "`" and "`" in line[opener.end() :]):
            fence = opener.group(1)
            continue
        yield _without_code_spans(line)


def local_target(url: str, base: str = "") -> str | None:
    """A Markdown link's target as a wikilink's inner text, or None for a web or file link.

    ``Other%20note.md#Part`` becomes ``Other note#Part``; ``#Part`` stays a link into
    the note itself. A relative path is taken from ``base`` (the note's folder); a path that
    would leave the vault is kept as written, and the resolver refuses it.
    """
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1].strip()
    if not url or _SCHEME.match(url) or url.startswith("//"):
        return None
    path, _, fragment = unquote(url).partition("#")
    if path and not path.lower().endswith(NOTE_SUFFIXES):
        return None
    if path.startswith(("./", "../")) and not path.startswith("/"):
        joined = posixpath.normpath(posixpath.join(base, path))
        if not joined.startswith("../"):
            path = joined
    if not path and not fragment:
        return None
    if path.lower().endswith(".md"):
        path = path[:-3]  # as a wikilink names the note, so both spellings are one link
    return f"{path}#{fragment}" if fragment else path


def find_links(text: str, base: str = "") -> list[str]:
    """Inner texts of the wikilinks, embeds and note links in ``text``, outside code, in order.

    Markdown links are given in wikilink form (see :func:`local_target`), so one parser
    reads them all. ``base`` is the note's folder, for relative Markdown links.
    """
    plain = "`" not in text and "~~~" not in text
    sources = [text] if plain else list(prose_lines(text))
    found: list[str] = []
    for source in sources:
        if "[" not in source:
            continue
        if "](" not in source:
            found.extend(WIKILINK_RE.findall(source))
            continue
        # Both kinds, kept in the order they are written.
        hits: list[tuple[int, str]] = [
            (m.start(), m.group(1)) for m in WIKILINK_RE.finditer(source)
        ]
        for match in _MD_LINK.finditer(source):
            inner = local_target(match.group(2), base)
            if inner is not None:
                hits.append((match.start(), inner))
        found.extend(inner for _, inner in sorted(hits))
    return found


def heading_key(text: str) -> str:
    """How a heading is matched by ``[[Note#Heading]]``: case, spacing and ``#^[]|:%`` ignored."""
    return " ".join(text.translate(_HEADING_DROP).lower().split())


@dataclass(frozen=True, slots=True)
class Heading:
    """One heading of a note: its level (1-6), its text and its 0-based source line."""

    level: int
    text: str
    line: int


def outline(text: str) -> list[Heading]:
    """The ATX headings of ``text`` outside fenced code, in order."""
    out: list[Heading] = []
    fence = ""
    for number, line in enumerate(text.split("\n")):
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            continue
        opener = _FENCE.match(line)
        if opener:
            fence = opener.group(1)
            continue
        if "#" in line[:4]:
            match = _HEADING.match(line)
            if match and match.group(2).strip():
                out.append(Heading(len(match.group(1)), match.group(2).strip(), number))
    return out
