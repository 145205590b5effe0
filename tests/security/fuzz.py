"""Hypothesis strategies for hostile note files, and the checks every shown field must pass.

The number of examples comes from ``READERLY_FUZZ_EXAMPLES`` (``make stress`` raises it), so
the quick run in ``make test`` and the long run share the same properties.
"""

from __future__ import annotations

import codecs
import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.security.hostile import MARKUP, SEQUENCES, TRAVERSAL_LINKS
from tui.text.notes import Note

QUICK_EXAMPLES = 150


def examples(scale: float = 1.0) -> int:
    """How many examples a fuzz test runs: ``READERLY_FUZZ_EXAMPLES`` or the quick default."""
    base = int(os.environ.get("READERLY_FUZZ_EXAMPLES", QUICK_EXAMPLES))
    return max(int(base * scale), 10)


def fuzz_settings(scale: float = 1.0) -> settings:
    """Settings for a fuzz test: no deadline (a huge line may take a while), big inputs ok."""
    return settings(
        max_examples=examples(scale),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- what may never be shown ----------------------------------------------------------------
_HIDDEN = (
    "\x7f-\x9f"  # DEL and C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, isolates
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # unpaired surrogates
)
FIELD_FORBIDDEN = re.compile(f"[\x00-\x1f{_HIDDEN}]")
"""Any of these in a one-line field (title, tag, path...) is a failure."""
BODY_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f{_HIDDEN}]")
"""The same for a body, which keeps its tabs and newlines."""


def shown_fields(note: Note) -> list[tuple[str, str]]:
    """Every string of ``note`` that some screen or command shows, with its field name."""
    fields = [
        ("title", note.title),
        ("date", note.date),
        ("domain", note.domain),
        ("source", note.source),
        ("path", note.path),
        ("status", note.status),
        ("id", note.id),
        ("fingerprint", note.fingerprint),
    ]
    if note.relevance is not None:
        fields.append(("relevance", note.relevance))
    fields += [("tag", t) for t in note.tags]
    fields += [("alias", a) for a in note.aliases]
    fields += [("problem", p) for p in note.problems]
    for link in note.links:
        fields += [("link", x) for x in (link.target, link.heading, link.alias, link.path) if x]
        fields.append(("link label", link.label))
    return fields


def unsafe_fields(note: Note, body: str | None = None) -> list[str]:
    """Descriptions of every shown field (and the body, if given) holding a forbidden char."""
    bad = [f"{name}={value[:80]!r}" for name, value in shown_fields(note)
           if FIELD_FORBIDDEN.search(value)]  # fmt: skip
    if body is not None and (m := BODY_FORBIDDEN.search(body)) is not None:
        bad.append(f"body has {m.group()!r} near {body[max(m.start() - 20, 0) : m.end()]!r}")
    return bad


# --- hostile text ---------------------------------------------------------------------------
_NASTY = [
    *SEQUENCES.values(),
    "\x00",
    "\r",
    "\r\n",
    "\t",
    "\x0b",
    "\x0c",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\x85",
    "\x9b",
    "\u202e",
    "Ã©",
    "â€™",
    "ðŸŸ¡",
    "[@click=app.quit]x[/]",
    "[link=file:///etc/passwd]x[/link]",
    "[[../../etc/passwd]]",
    "[[a|b#c]]",
    "[x](javascript:alert(1))",
    "![i](/etc/passwd)",
    "---",
    "+++",
    "...",
    ": ",
    "- ",
    "  ",
    "\n",
    "#",
    "'",
    '"',
    "\\",
    "&a ",
    "*a",
    "!!binary ",
    "!!python/object:os.system",
    "<<: ",
    "[",
    "]",
    "{",
    "}",
    "? ",
    "|",
    ">",
    "%YAML 1.1\n",
    "2026-13-45",
    "~",
]
_KEYS = ["title", "date", "domain", "tags", "source", "status", "relevance", "aliases", "related"]

# Any code point, surrogates and controls included.
any_char = st.characters(exclude_categories=())
hostile_text = st.lists(
    st.one_of(
        st.text(any_char, max_size=12),
        st.sampled_from(_NASTY),
        st.sampled_from(_KEYS).map(lambda k: f"\n{k}: "),
    ),
    max_size=40,
).map("".join)


def _encode(text: str, how: str) -> bytes:
    if how == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass")
    if how == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if how == "cp1252":
        return text.encode("cp1252", "replace")
    return text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8


_ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"])


@st.composite
def header_like(draw: st.DrawFn) -> str:
    """Text shaped like a note: a YAML/TOML header of hostile fields, then a hostile body."""
    fence = draw(st.sampled_from(["---", "---", "+++", "--- ", ""]))
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.one_of(st.sampled_from(_KEYS), st.text(any_char, max_size=6)))
        value = draw(
            st.one_of(
                hostile_text,
                st.lists(hostile_text, max_size=4).map(
                    lambda xs: "\n" + "".join(f"  - {x}\n" for x in xs)
                ),
                st.text(any_char, max_size=20).map(
                    lambda s: '"' + s.encode("unicode_escape").decode() + '"'
                ),
            )
        )
        lines.append(f"{key}: {value}")
    close = draw(st.sampled_from(["---", "...", "+++", "", "--- x"]))
    body = draw(st.one_of(hostile_text, st.sampled_from([MARKUP, TRAVERSAL_LINKS])))
    return f"{fence}\n" + "\n".join(lines) + f"\n{close}\n{body}"


note_text = st.one_of(header_like(), hostile_text)
note_bytes = st.one_of(
    st.binary(max_size=2000),
    st.tuples(note_text, _ENCODINGS).map(lambda pair: _encode(*pair)),
    st.tuples(note_text, st.integers(1, 300_000)).map(
        lambda p: (p[0] + "x" * p[1]).encode("utf-8", "surrogatepass")
    ),
)
"""The bytes of one note file: raw bytes, hostile text in various encodings, or huge lines."""
