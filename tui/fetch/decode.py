"""A fetched page's bytes as text: the declared charset when it holds, else what fits.

Order: a byte-order mark, the charset the server declared, a ``<meta charset>`` in the
page, UTF-8, and finally Windows-1252 (what mislabelled web text nearly always is). A
declaration that the bytes contradict (UTF-8 declared, Latin-1 sent) is not trusted, and
UTF-8 read as Latin-1 is repaired later by :func:`tui.text.hygiene.clean_text`.
"""

from __future__ import annotations

import codecs
import re

from tui.text.hygiene import decode_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
_SNIFF = 4096
# Labels pages use that Python knows under another name, or that mean something wider.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None  # "x-unknown" and friends: fall through to detection


def page_text(body: bytes, declared: str | None) -> tuple[str, str]:
    """``(text, encoding used)`` for a page body and the charset its server declared."""
    if body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, _problem = decode_bytes(body)
        return text, "bom"
    meta = _META.search(body[:_SNIFF])
    for label in (declared, meta.group(1).decode("ascii") if meta else None):
        codec = _codec(label)
        if codec is None:
            continue
        if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            continue  # an ASCII page that says UTF-16 is lying: meta tags are not UTF-16
        try:
            return body.decode(codec), codec
        except UnicodeDecodeError:
            continue  # the bytes contradict the label; try the next clue
    text, problem = decode_bytes(body)
    return text, "cp1252" if problem else "utf-8"
