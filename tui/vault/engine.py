"""The full-text engine behind one small interface: :class:`TextIndex`.

Everything that knows about tantivy lives here, so another engine could take its place by
implementing the same few methods. An index holds, per note, a 64-bit key (the note id as a
number), a stamp of the file it was read from, and the words of its title, tags, domain and
body, folded (lowercase, accents off: ``cafe`` finds ``café``), and its CJK text character
by character, so a CJK query is found wherever it appears, not just at a word boundary (see
:mod:`tui.vault.analysis`). Nothing is stored but the key and stamp: bodies stay in the note
files, and the index on disk is several times smaller than the vault.

The index is a cache. A missing, corrupt or other-version folder is wiped and built again,
with a one-line :attr:`TextIndex.notice`. tantivy allows one writer per folder across
processes: a writer is taken only for one batch of changes and released at once, and a
process that cannot get it in a few seconds searches what is there and says so.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import tantivy

from tui.text.links import WIKILINK_RE
from tui.vault.analysis import (
    BOOSTS,
    CHARS,
    FOLD,
    TEXT_FIELDS,
    TextQuery,
    Word,
    cjk_part,
    compile_query,
    fold_words,
    safe,
    schema,
    searchable,
)

__all__ = [
    "BOOSTS",
    "ENGINE_FORMAT",
    "TEXT_FIELDS",
    "IndexedDoc",
    "TextIndex",
    "TextQuery",
    "Word",
    "file_stamp",
    "fold_words",
    "note_key",
    "searchable",
]

# Bump when the schema, the tokenizers or what goes into a field changes.
ENGINE_FORMAT = 2
_MARKER = "readerly-index.txt"
CJK_LIMIT = 1_000_000  # characters of a body looked at for CJK text
_WRITER_HEAP = 64_000_000  # split between the writer threads
_LOCK_WAIT = 3.0  # seconds to wait for another process's writer
# The scheme is bounded: an unbounded one is retried from every letter of a long word.
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{0,30}://\S*")
_MAX_WORD = 30  # longer words make no note alike (and tantivy's more-like-this takes time
# quadratic in a word's length: a 40 KB run of letters took 11 s)
_LONG_WORD = re.compile(rf"\w{{{_MAX_WORD + 1},}}")


Plan = Callable[[dict[int, int]], tuple[Iterable["IndexedDoc"], Sequence[int]]]


@dataclass(slots=True)
class IndexedDoc:
    """What the index takes in for one note."""

    key: int
    stamp: int
    title: str
    tags: str
    domain: str
    body: str
    cjk: str | None = None  # the CJK runs of title and body, when worked out already


def note_key(note_id: str) -> int:
    """The index key of a note id (a hex digest, see ``loader.note_id``)."""
    try:
        return int(note_id, 16) & 0x7FFF_FFFF_FFFF_FFFF
    except ValueError:
        return hash(note_id) & 0x7FFF_FFFF_FFFF_FFFF


def file_stamp(mtime_ns: int, size: int) -> int:
    """A number that changes when a file's mtime or size does."""
    return (mtime_ns * 1_000_003 + size) & 0x7FFF_FFFF_FFFF_FFFF


class TextIndex:
    """One vault's full-text index, on disk (``path``) or in memory (``path=None``)."""

    def __init__(self, path: Path | None) -> None:
        """Open the index at ``path``, building a new one when it is missing or unusable."""
        self.path = path
        self.notice: str | None = None
        """A one-line message about the index (rebuilt, shared, ...), for the status line."""
        self.read_only = False
        """True when another process held the writer too long: changes are not written."""
        self._schema = schema()
        self._lock = threading.Lock()
        self._index = self._open()

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> tantivy.Index:
        if self.path is None:
            return self._prepared(tantivy.Index(self._schema))
        marker = self.path / _MARKER
        try:
            found = marker.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            found = None
        if found is not None and found != str(ENGINE_FORMAT):
            self._wipe("the search index was made by another version; rebuilding it")
        elif found is None and self.path.exists():
            self._wipe("the search index was incomplete; rebuilding it")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            index = self._prepared(tantivy.Index(self._schema, str(self.path), reuse=True))
            index.searcher()  # reading the segment list is where damage shows
        except (ValueError, OSError) as exc:
            self._wipe(f"the search index was damaged ({_first_line(exc)}); rebuilding it")
            self.path.mkdir(parents=True, exist_ok=True)
            index = self._prepared(tantivy.Index(self._schema, str(self.path), reuse=True))
        with contextlib.suppress(OSError):
            marker.write_text(f"{ENGINE_FORMAT}\n", encoding="ascii")
        return index

    @staticmethod
    def _prepared(index: tantivy.Index) -> tantivy.Index:
        index.register_tokenizer("fold", FOLD)
        index.register_tokenizer("chars", CHARS)
        return index

    def _wipe(self, notice: str) -> None:
        assert self.path is not None
        self.notice = notice
        shutil.rmtree(self.path, ignore_errors=True)

    # -- what it holds -------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._index.searcher().num_docs)

    def held(self) -> dict[int, int]:
        """Key -> stamp of every note in the index."""
        searcher = self._index.searcher()
        total = searcher.num_docs
        if not total:
            return {}
        hits = searcher.search(tantivy.Query.all_query(), limit=total, count=False).hits
        addresses = [address for _, address in hits]
        keys = searcher.fast_field_values("key", addresses)
        stamps = searcher.fast_field_values("stamp", addresses)
        return {int(k): int(s or 0) for k, s in zip(keys, stamps, strict=True) if k is not None}

    def disk_bytes(self) -> int:
        """Bytes the index takes on disk (0 in memory)."""
        if self.path is None:
            return 0
        total = 0
        for dirpath, _, files in os.walk(self.path):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.path.getsize(os.path.join(dirpath, name))
        return total

    # -- changing it ---------------------------------------------------------------------

    def update(self, docs: Iterable[IndexedDoc], removed: Sequence[int] = ()) -> bool:
        """Drop the keys in ``removed``, then add ``docs``, in one commit.

        A note whose text changed is replaced by listing its key in ``removed`` too.
        Returns False, changing nothing, when another process holds the writer for longer
        than a few seconds; the index is then searched as that process leaves it.
        """
        return self.apply(lambda held: (docs, removed))

    def apply(self, plan: Plan) -> bool:
        """Like :meth:`update`, with the changes worked out by ``plan`` from what the index
        holds (key -> stamp) once this process has the writer.

        Another process may have written while we waited for the writer: planning from what
        it left, not from what we saw before, is what keeps two processes from adding the
        same notes twice.
        """
        with self._lock:
            writer = self._writer()
            if writer is None:
                return False
            try:
                self._index.reload()
                docs, removed = plan(self.held())
                if removed:
                    gone = tantivy.Query.term_set_query(self._schema, "key", list(removed))
                    writer.delete_documents_by_query(gone)
                for doc in docs:
                    writer.add_document(_document(doc))
                writer.commit()
                writer.wait_merging_threads()  # also releases the writer's lock
            except BaseException:
                with contextlib.suppress(ValueError):
                    writer.rollback()
                raise
            self._index.reload()
            return True

    def _writer(self) -> Any:
        deadline = time.monotonic() + _LOCK_WAIT
        threads = 1 if self.path is None else min(2, os.cpu_count() or 1)
        while True:
            try:
                writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=threads)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() >= deadline:
                    if "LockBusy" not in str(exc):
                        raise
                    self.read_only = True
                    self.notice = "another readerly is updating the search index; using it as is"
                    return None
                time.sleep(0.05)
                continue
            self.read_only = False
            return writer

    # -- searching -----------------------------------------------------------------------

    def search(self, query: TextQuery, limit: int | None = None) -> list[tuple[int, float]]:
        """(key, score) of the notes matching ``query``, best first (at most ``limit``)."""
        keys, scores = self.matches(query, limit)
        return list(zip(keys, scores, strict=True))

    def matches(self, query: TextQuery, limit: int | None = None) -> tuple[list[int], list[float]]:
        """Keys of the notes matching ``query``, best first (at most ``limit``), and scores."""
        return self._run(compile_query(self._schema, query), limit)

    def similar(self, title: str, body: str, limit: int = 5) -> list[tuple[int, float]]:
        """(key, score) of the notes most like a note with this title and body, best first.

        The caller drops the note itself from the answer.
        """
        # Link targets and addresses say what a note points at, not what it is about: a
        # clipping pipeline gives notes of one day the same "related" list, which then
        # outweighed the words of the article. The title is read as body words too, as
        # the other notes' bodies tell of the same story in their own words.
        words = _URL.sub(" ", WIKILINK_RE.sub(" ", body[:200_000]))
        title = _LONG_WORD.sub(" ", title)
        fields = {"title": [title], "body": [_LONG_WORD.sub(" ", f"{title}\n{words}")]}
        query = tantivy.Query.more_like_this_document_fields_query(
            self._schema,
            fields,
            min_doc_frequency=2,  # a word no other note has cannot make it alike
            min_term_frequency=1,
            # Clipped notes are short: 25 terms left out most of what made two alike.
            max_query_terms=100,
            min_word_length=3,
            max_word_length=_MAX_WORD,
        )
        keys, scores = self._run(query, limit + 1)
        return list(zip(keys, scores, strict=True))

    def _run(self, query: tantivy.Query, limit: int | None) -> tuple[list[int], list[float]]:
        searcher = self._index.searcher()
        total = searcher.num_docs
        if not total:
            return [], []
        hits = searcher.search(query, limit=min(limit or total, total), count=False).hits
        # The key column is unsigned: tantivy hands back Python ints (None for a hole,
        # which a document always written with its key never leaves).
        keys = cast(list[int], searcher.fast_field_values("key", [a for _, a in hits]))
        scores = [score for score, _ in hits]
        if None in keys:
            kept = [(k, s) for k, s in zip(keys, scores, strict=True) if k is not None]
            return [k for k, _ in kept], [s for _, s in kept]
        return keys, scores


def _document(doc: IndexedDoc) -> tantivy.Document:
    out = tantivy.Document()
    out.add_unsigned("key", doc.key)
    out.add_unsigned("stamp", doc.stamp)
    for name in TEXT_FIELDS:
        text = getattr(doc, name)
        try:
            out.add_text(name, text)
        except UnicodeEncodeError:
            # A lone surrogate (from a file name that is not UTF-8): replaced only then,
            # as checking every body first would cost more than the indexing.
            out.add_text(name, safe(text))
    cjk = doc.cjk if doc.cjk is not None else cjk_part(doc.title, doc.body[:CJK_LIMIT])
    if cjk:
        out.add_text("cjk", cjk)
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:80]
