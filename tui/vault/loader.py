"""Turning the bytes of one note file into a clean :class:`~tui.text.notes.Note`.

Every field shown to a person passes through :mod:`tui.text.hygiene` here, once, at load.
Nothing in this module raises for bad input: what goes wrong becomes a line in
``Note.problems`` and the note is still listed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui.text.hygiene import clean_line, clean_text, decode_bytes, looks_binary
from tui.text.links import WIKILINK_RE, parse_wikilink
from tui.text.markdown.scan import find_links
from tui.text.notes import STATUSES, Link, Note
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale
from tui.text.safe_open import read_regular
from tui.vault.meta import parse_front_matter

# Larger files are listed but not loaded: nobody clips a 64 MB article, and reading one
# would stall indexing for everyone else.
MAX_NOTE_BYTES = 64 * 1024 * 1024
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
# A first line like these opens a section, not an article, so it makes a poor title.
_SECTION_HEADINGS = frozenset(
    {
        "key takeaways",
        "takeaways",
        "summary",
        "introduction",
        "intro",
        "overview",
        "tl;dr",
        "tldr",
        "table of contents",
        "contents",
        "abstract",
        "background",
        "highlights",
    }
)


def note_id(path: str) -> str:
    """A short id that stays the same for a note as long as its vault-relative path does."""
    return hashlib.blake2b(path.encode("utf-8", "replace"), digest_size=6).hexdigest()


@dataclass(slots=True)
class Parsed:
    """A decoded note: its front matter, its body (not yet cleaned) and what went wrong."""

    data: dict[str, Any]
    body: str
    problems: list[str]


def parse_bytes(data: bytes) -> Parsed:
    """Decode and split a note file's bytes; never raises."""
    if not data.strip():
        return Parsed({}, "", ["empty file"])
    if looks_binary(data):
        return Parsed({}, "", ["binary file (not text); nothing to show"])
    text, problem = decode_bytes(data)
    problems = [problem] if problem else []
    fm = parse_front_matter(text.replace("\r\n", "\n"))
    problems.extend(fm.problems)
    return Parsed(fm.data, fm.body, problems)


def _as_str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return clean_line(str(value))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items: Iterable[Any] = re.split(r"[,\s]+", value)
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = [value]
    out = []
    for item in items:
        text = _as_str(item)
        if text and text not in out:
            out.append(text)
    return out


def _title_from_body(body: str) -> str | None:
    """The first non-empty line, when it is short and reads like a heading."""
    for line in body[:4096].split("\n", 20)[:20]:
        line = clean_line(line.lstrip("#").strip())
        if not line:
            continue
        words = line.split()
        if (
            len(line) <= 120
            and len(words) <= 20
            and not line.endswith((".", ",", ";", ":"))
            and line.lower() not in _SECTION_HEADINGS
        ):
            return line
        return None
    return None


def _date(raw: Any, path: str, mtime: float, problems: list[str]) -> str:
    if raw is not None and not isinstance(raw, dict | list):
        text = str(raw)
        match = _DATE_RE.match(text)
        try:
            if not match:
                raise ValueError
            return dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            problems.append(
                f"date {clean_line(text)[:40]!r} is not a YYYY-MM-DD date; "
                "using the file name or file time instead"
            )
    match = _DATE_RE.match(posixpath.basename(path))
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(mtime).date().isoformat()


def _links(data: dict[str, Any], body: str, path: str = "") -> list[Link]:
    """Related links first, then the body's, each target once (pipelines repeat them)."""
    inners: list[str] = []
    for item in _as_list_raw(data.get("related")):
        found = WIKILINK_RE.findall(item)
        inners.extend(found if found else [item.strip()])
    # Links inside code are not links; Markdown links to notes count like wikilinks.
    inners.extend(find_links(body, posixpath.dirname(path)))
    seen: set[tuple[str, str | None]] = set()
    unique = []
    for inner in dict.fromkeys(inners):  # identical spellings parse once
        link = parse_wikilink(clean_line(inner))
        if link is None:
            continue
        key = (link.target.lower(), link.heading.lower() if link.heading else None)
        if key not in seen:
            seen.add(key)
            unique.append(link)
    return unique


def _as_list_raw(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str | int | float)]
    return []


def build_note(
    parsed: Parsed,
    path: str,
    *,
    mtime: float,
    size: int,
    scale: RelevanceScale = DEFAULT_SCALE,
) -> Note:
    """Make the Note for a parsed file.

    The body is not cleaned here: indexing thousands of notes only needs their fields
    and links (each cleaned on its own), and :func:`display_body` cleans a body when
    it is shown.
    """
    data = parsed.data
    problems = list(parsed.problems)
    stem = posixpath.splitext(posixpath.basename(path))[0]
    title = _as_str(data.get("title")) or _title_from_body(parsed.body) or clean_line(stem)
    status = _as_str(data.get("status")).lower() or "unread"
    if status not in STATUSES:
        problems.append(f"status {status!r} is not one of {', '.join(STATUSES)}; using unread")
        status = "unread"
    relevance_raw = data.get("relevance")
    relevance = scale.normalise(
        clean_line(relevance_raw) if isinstance(relevance_raw, str) else relevance_raw
    )
    raw_body = parsed.body.encode("utf-8", "replace")
    return Note(
        id=note_id(path),
        path=path,
        title=title or "(untitled)",
        date=_date(data.get("date"), path, mtime, problems),
        domain=_as_str(data.get("domain")),
        tags=_as_list(data.get("tags")),
        source=_as_str(data.get("source")),
        status=status,
        relevance=relevance,
        aliases=_as_list(data.get("aliases") or data.get("alias")),
        links=_links(data, parsed.body, path),
        problems=problems,
        mtime=mtime,
        size=size,
        fingerprint=f"{len(raw_body):x}-{zlib.crc32(raw_body):08x}",
    )


def display_body(parsed: Parsed, note: Note) -> str:
    """The body as shown: cleaned, without a first line that became the title."""
    body = clean_text(parsed.body)
    if not _as_str(parsed.data.get("title")):
        first, _, rest = body.lstrip("\n").partition("\n")
        if clean_line(first.lstrip("#").strip()) == note.title:
            return rest
    return body


def read_note_file(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bytes:
    """The bytes of a note file inside the vault ``root``, at most ``MAX_NOTE_BYTES``.

    Every read of a note file goes through :func:`tui.text.safe_open.read_regular`: a regular
    file that really lies inside the vault (not a symlink swapped in since the scan, not a
    FIFO or device), read in bounded chunks, never sized from ``stat``. Raises ``OSError``
    (``TooLarge`` past the cap, FileNotFoundError when the file has gone).
    """
    return read_regular(path, limit=MAX_NOTE_BYTES, root=root)


def _after_header(text: str) -> str:
    """The text after a front-matter block (its fields are searched from the Note)."""
    for fence in ("---", "+++"):
        if text.startswith(fence):
            end = text.find("\n" + fence, len(fence), 65536)
            if end != -1:
                return text[end + 1 + len(fence) :]
    return text


def search_body(raw: bytes) -> str:
    """The text a search looks through for a file's body: after the front matter, decoded.

    Binary and over-large files give nothing (their title and fields are still searched).
    """
    if len(raw) > MAX_NOTE_BYTES or looks_binary(raw):
        return ""
    return _after_header(decode_bytes(raw)[0].lstrip("\ufeff"))


def too_large(path: str, size: int, mtime: float) -> Note:
    """The listing for a file over :data:`MAX_NOTE_BYTES`."""
    parsed = Parsed(
        {},
        "",
        [f"file is {size / 1e6:.0f} MB, over the {MAX_NOTE_BYTES // 2**20} MB limit; not loaded"],
    )
    return build_note(parsed, path, mtime=mtime, size=size)
