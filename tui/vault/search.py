"""Case-insensitive substring search over every note's text, held compactly in memory.

Each note's searchable text (title, tags, domain and body) is kept as lowercased UTF-8
bytes inside one contiguous ``bytearray``, separated by a NUL byte, with an
``array("Q")`` of start offsets. For a 10k-note vault of ~80 MB that is ~80 MB in a
single object, against ~500 MB for the same bodies as ``str`` plus lowercased copies.

Why no prefilter index. Per-note gram or word indexes were measured on a 10k-note,
80 MB corpus here: extracting per-note bigram sets took ~3 s, splitting into word sets
0.7-3 s, and inverting the ~6M (note, gram) pairs another 1.5-3 s with ~100 MB of peak
memory. That breaks both the 1 s cold-index budget and the RSS budget, and a background
build would hold the GIL against the interface for seconds. So search stays a scan and
the module makes the scan cheap and interruptible instead:

- ``find`` scans the whole blob with one ``bytes.find`` per hit, jumping to the next
  note after each hit, so common needles cost one C call per matching note;
- ``among=`` restricts the scan to given notes (metadata-filter survivors, or the hits of
  the previous keystroke when the new query extends it - "narrowing");
- ``start`` returns a ``SearchJob`` that scans in slices under a time budget, so a key
  handler never blocks for longer than it chooses, whatever the needle.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence

_SEP = 0  # NUL: hygiene strips control characters, so a needle rarely spans two notes
_CHUNK_BYTES = 1 << 19  # ~0.3 ms of scanning between deadline checks
_CHUNK_NOTES = 256


def fold(text: str) -> bytes:
    """Lowercase ``text`` and encode it the way ``SearchText`` stores and searches it."""
    return text.lower().encode("utf-8", "surrogatepass")


class SearchText:
    """The lowercased UTF-8 text of every note, indexed by the note's position."""

    __slots__ = ("_blob", "_starts")

    def __init__(self) -> None:
        """An empty index; use ``build`` or ``append`` to fill it."""
        self._blob = bytearray()
        # _starts[i] is where note i begins; a final entry one past the last separator
        # lets note i's end be computed as _starts[i + 1] - 1 for every i.
        self._starts = array("Q", [0])

    @classmethod
    def build(cls, texts: Iterable[bytes], size_hint: int = 0) -> SearchText:
        """Index already-folded texts (see ``fold``); the n-th text is note n.

        ``size_hint`` (roughly the total size) lets the blob be allocated once: growing
        it piecemeal left the heap fragmented, ~20 MB above the blob's size at 10k notes.
        """
        index = cls()
        blob = bytearray(size_hint)  # zero pages cost no memory until written
        starts = index._starts
        pos = 0
        for text in texts:
            end = pos + len(text) + 1
            if end > len(blob):
                blob.extend(bytes(max(end - len(blob), len(blob) // 8)))
            blob[pos : end - 1] = text
            blob[end - 1] = _SEP
            starts.append(end)
            pos = end
        del blob[pos:]
        index._blob = blob
        return index

    def __len__(self) -> int:
        return len(self._starts) - 1

    @property
    def nbytes(self) -> int:
        """Bytes held by the index, for memory reports."""
        return len(self._blob) + self._starts.itemsize * len(self._starts)

    def text(self, i: int) -> bytes:
        """The stored text of note ``i``."""
        return bytes(self._blob[self._starts[i] : self._starts[i + 1] - 1])

    def append(self, text: bytes) -> int:
        """Add a note's folded text at the end; returns its index."""
        self._blob += text
        self._blob.append(_SEP)
        self._starts.append(len(self._blob))
        return len(self._starts) - 2

    def replace(self, i: int, text: bytes) -> None:
        """Swap note ``i``'s text for ``text`` (a note edited on disk)."""
        if not 0 <= i < len(self):
            raise IndexError(i)
        start, end = self._starts[i], self._starts[i + 1] - 1
        self._blob[start:end] = text
        self._shift(i + 1, len(text) - (end - start))

    def insert(self, i: int, text: bytes) -> None:
        """Put a note's folded text at position ``i``; the notes from ``i`` on move up one."""
        if not 0 <= i <= len(self):
            raise IndexError(i)
        start = self._starts[i]
        self._blob[start:start] = text + bytes((_SEP,))
        self._shift(i + 1, len(text) + 1)
        self._starts.insert(i + 1, start + len(text) + 1)

    def remove(self, i: int) -> None:
        """Drop note ``i``'s text; the notes after it move down one."""
        if not 0 <= i < len(self):
            raise IndexError(i)
        start, end = self._starts[i], self._starts[i + 1]
        del self._blob[start:end]
        del self._starts[i + 1]
        self._shift(i + 1, start - end)

    def _shift(self, first: int, by: int) -> None:
        """Move the start offsets from ``first`` on by ``by`` bytes."""
        if by:
            starts = self._starts
            starts[first:] = array("Q", [s + by for s in starts[first:]])

    def start(self, needle: str, among: Sequence[int] | None = None) -> SearchJob:
        """Begin a search for ``needle``; run it with ``SearchJob.run``."""
        return SearchJob(self, fold(needle), among)

    def find(self, needle: str, among: Sequence[int] | None = None) -> list[int]:
        """Indices of the notes whose text contains ``needle``, case-insensitively.

        Without ``among`` the result is in ascending order; with it, only those notes are
        scanned and the result keeps their order. An empty needle matches every note.
        """
        job = self.start(needle, among)
        job.run(None)
        return job.hits


class SearchJob:
    """A search that can be run in slices, so a caller can bound how long it blocks."""

    __slots__ = ("_among", "_index", "_needle", "_next", "done", "hits")

    def __init__(self, index: SearchText, needle: bytes, among: Sequence[int] | None) -> None:
        """Prefer ``SearchText.start``; ``needle`` must already be folded."""
        self._index = index
        self._needle = needle
        self._among = among
        self._next = 0  # next note (or next position in ``among``) to look at
        self.hits: list[int] = []
        self.done = False

    def run(self, budget: float | None) -> bool:
        """Scan for up to ``budget`` seconds (None: to the end); return True once finished.

        The budget is checked between slices of ~0.5 MB, so a call may overrun it by
        a fraction of a millisecond.
        """
        deadline = None if budget is None else time.perf_counter() + budget
        total = len(self._index) if self._among is None else len(self._among)
        while self._next < total:
            if self._among is None:
                self._next = self._scan_range(self._next)
            else:
                self._next = self._scan_among(self._next)
            if deadline is not None and time.perf_counter() >= deadline:
                break
        self.done = self._next >= total
        return self.done

    def _scan_range(self, first: int) -> int:
        """Scan consecutive notes from ``first`` for about one slice; return the next note."""
        starts = self._index._starts
        blob = self._index._blob
        needle = self._needle
        count = len(starts) - 1
        last = min(bisect_right(starts, starts[first] + _CHUNK_BYTES), count)
        last = max(last, first + 1)
        if not needle:
            self.hits.extend(range(first, last))
            return last
        hits = self.hits
        size = len(needle)
        limit = starts[last] - 1
        pos = blob.find(needle, starts[first], limit)
        note = first
        while pos != -1:
            note = bisect_right(starts, pos, note) - 1
            following = starts[note + 1]
            if pos + size < following:  # the match ends before this note's separator
                hits.append(note)
                pos = blob.find(needle, following, limit)
            else:  # the match runs into the next note: not a match of either
                pos = blob.find(needle, pos + 1, limit)
        return last

    def _scan_among(self, first: int) -> int:
        """Scan the notes ``among[first:]`` for one slice; return the next position."""
        assert self._among is not None
        starts = self._index._starts
        find = self._index._blob.find
        needle = self._needle
        chosen = self._among[first : first + _CHUNK_NOTES]
        self.hits.extend(i for i in chosen if find(needle, starts[i], starts[i + 1] - 1) != -1)
        return first + len(chosen)
