"""How text becomes index terms, and how a query becomes a tantivy query.

Both sides must agree: the fields and tokenizers of :func:`schema`, the folding of words
(lowercase, accents off), and the character-by-character CJK field. :mod:`tui.vault.engine`
holds the index itself.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tantivy

# Title >> tags, domain >> body: typing a title puts that note first.
BOOSTS = {"title": 8.0, "tags": 3.0, "domain": 3.0, "body": 1.0}
TEXT_FIELDS = tuple(BOOSTS)
# An exact word scores by BM25; a prefix match only counts (tantivy scores it as a constant),
# so the prefix part is kept small next to a real hit.
_PREFIX_WEIGHT = 0.3


@dataclass(frozen=True, slots=True)
class Word:
    """One word or phrase of a query, as the user typed it (folded by the engine)."""

    text: str
    field: str | None = None  # one of TEXT_FIELDS, or None for all of them
    phrase: bool = False  # an exact phrase: the last word is not a prefix


@dataclass(frozen=True, slots=True)
class TextQuery:
    """What the text part of a query asks: each group must match by one of its words."""

    groups: tuple[tuple[Word, ...], ...] = ()
    excluded: tuple[Word, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups or self.excluded)


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("key", indexed=True, fast=True)
    builder.add_unsigned_field("stamp", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="fold")
    builder.add_text_field("cjk", tokenizer_name="chars")
    return builder.build()


FOLD = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.remove_long(64))
    .filter(tantivy.Filter.lowercase())
    .filter(tantivy.Filter.ascii_fold())
    .build()
)
# Every CJK character is a token of its own, so a CJK query is a phrase of its characters
# and is found wherever it appears, word boundaries or not. Text between CJK characters
# becomes tokens too, which are dropped by length (a CJK character is 3 bytes) but keep
# their positions: a phrase never spans two separate runs.
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
CHARS = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(f"[{_CJK_CHARS}]|[^{_CJK_CHARS}]+"))
    .filter(tantivy.Filter.remove_long(4))
    .build()
)


def safe(text: str) -> str:
    """``text`` as tantivy can take it: lone surrogates (from odd file names) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def fold_words(text: str) -> list[str]:
    """The words of ``text`` as the index holds them: lowercase, accents off."""
    return list(FOLD.analyze(safe(text)))


def searchable(text: str) -> bool:
    """Whether ``text`` has anything the index can find (letters, digits or CJK)."""
    return bool(_CJK_RUN.search(text) or fold_words(text))


def compile_query(schema: tantivy.Schema, query: TextQuery) -> tantivy.Query:
    """``query`` as a tantivy query over the fields of :func:`schema`."""
    occur = tantivy.Occur
    clauses: list[tuple[Any, tantivy.Query]] = []
    for group in query.groups:
        words = [q for q in (_word(schema, w) for w in group) if q is not None]
        if words:  # a word with nothing searchable in it (``🔴``, ``--``) asks nothing
            clauses.append((occur.Must, _any_of(words)))
    for word in query.excluded:
        compiled = _word(schema, word)
        if compiled is not None:
            clauses.append((occur.MustNot, compiled))
    if all(kind == occur.MustNot for kind, _ in clauses):
        clauses.append((occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(clauses)


def _word(schema: tantivy.Schema, word: Word) -> tantivy.Query | None:
    """A word of the query over its fields; None when nothing in it can be searched."""
    parts: list[tantivy.Query] = []
    text = safe(word.text)
    runs = _CJK_RUN.findall(text)
    for run in runs:
        parts.append(_pairs(schema, run))
    rest = _CJK_RUN.sub(" ", text) if runs else text
    tokens: list[str | tuple[int, str]] = list(fold_words(rest))
    if tokens:
        fields = (word.field,) if word.field else TEXT_FIELDS
        query = tantivy.Query
        per_field = []
        for name in fields:
            if len(tokens) == 1:
                exact = query.term_query(schema, name, str(tokens[0]))
                options = [exact]
                if not word.phrase:
                    prefix = query.phrase_prefix_query(schema, name, tokens)
                    options.append(query.boost_query(prefix, _PREFIX_WEIGHT))
                found = _any_of(options)
            elif word.phrase:
                found = query.phrase_query(schema, name, tokens)
            else:
                found = query.phrase_prefix_query(schema, name, tokens)
            per_field.append(query.boost_query(found, BOOSTS[name]))
        parts.append(_any_of(per_field))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])


def _pairs(schema: tantivy.Schema, run: str) -> tantivy.Query:
    """A CJK run as a phrase of its characters."""
    if len(run) == 1:
        return tantivy.Query.term_query(schema, "cjk", run)
    chars: list[str | tuple[int, str]] = list(run)
    return tantivy.Query.phrase_query(schema, "cjk", chars)


def _any_of(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


# UTF-8 lead bytes of U+3000..U+DFFF, where every CJK range the index knows lies.
_CJK_LEADS = tuple(bytes([b]) for b in range(0xE3, 0xEE))
# Between two runs in the CJK field: one token too long to keep (see ``CHARS``), so its
# position still parts the runs and no phrase spans them.
_RUN_BREAK = " " * 8
# Characters U+3000..U+DFFF in UTF-8: a lead byte E3..ED and two continuation bytes.
# (Spelled with its first character apart: ``(?:…)+`` alone is scanned ~7x slower.)
_THREE_BYTE_RUN = re.compile(rb"[\xe3-\xed][\x80-\xbf]{2}(?:[\xe3-\xed][\x80-\xbf]{2})*")


def cjk_part(*texts: str) -> str:
    """The CJK runs of ``texts``, kept apart, for the CJK field ("" if there are none).

    Tokenizing for the CJK field is the costliest step of indexing. Most notes have no CJK
    at all, which a few ``bytes.find`` calls tell; the others hand the tokenizer their CJK
    runs only. The runs are looked for in the UTF-8 bytes (one byte per Latin letter, where
    a note with an emoji is four bytes per character as a ``str``), and only the stretches
    of three-byte characters are looked at as text.
    """
    runs: list[str] = []
    for text in texts:
        raw = text.encode("utf-8", "replace")
        if all(raw.find(lead) == -1 for lead in _CJK_LEADS):
            continue
        for stretch in _THREE_BYTE_RUN.findall(raw):
            runs.extend(_CJK_RUN.findall(stretch.decode("utf-8", "replace")))
    return _RUN_BREAK.join(runs)
