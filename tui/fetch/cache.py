"""Fetched articles on disk: one file per URL in the cache folder, least recently used first out.

Never in the vault: readerly does not write note files. A file's modification time is its
last use (reading one touches it), so eviction needs no index that could disagree with the
files. Files are read as untrusted (another program, or a damaged disk, may have written
them): anything unexpected is a miss, and the text is cleaned again on the way out.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.text.hygiene import clean_line, clean_text

FORMAT = 1
SUFFIX = ".article.json"
MAX_ENTRY = 32_000_000  # bytes; a bigger file was not written by readerly


@dataclass(frozen=True)
class Article:
    """A fetched article and what is needed to revalidate it."""

    url: str  # the note's source, the cache key
    final_url: str  # where the redirects ended
    title: str
    author: str
    date: str
    markdown: str
    method: str  # which extractor found the text
    fetched_at: float  # seconds since the epoch, last fetched or revalidated
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""


def _clean(article: Article) -> Article:
    def short(text: str | None, limit: int) -> str:
        return clean_line(text or "")[:limit]

    return Article(
        url=article.url,
        final_url=short(article.final_url, 8192),
        title=short(article.title, 300),
        author=short(article.author, 200),
        date=short(article.date, 40),
        markdown=clean_text(article.markdown),
        method=short(article.method, 20),
        fetched_at=article.fetched_at,
        etag=short(article.etag, 200) or None,
        last_modified=short(article.last_modified, 100) or None,
        content_type=short(article.content_type, 100),
    )


def _from_json(url: str, data: Any) -> Article | None:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("url") != url:
        return None  # another format, damage, or (vanishingly rare) a hash collision
    texts = ("final_url", "title", "author", "date", "markdown", "method", "content_type")
    if not all(isinstance(data.get(k), str) for k in texts):
        return None
    if not all(data.get(k) is None or isinstance(data[k], str) for k in ("etag", "last_modified")):
        return None
    when = data.get("fetched_at")
    if isinstance(when, bool) or not isinstance(when, int | float):
        return None
    fields: dict[str, Any] = {k: data.get(k) for k in (*texts, "etag", "last_modified")}
    return _clean(Article(url=url, fetched_at=float(when), **fields))


class ArticleCache:
    """Articles keyed by URL under ``folder``, at most ``max_bytes`` in all."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def path(self, url: str) -> Path:
        """The file that holds ``url``'s article."""
        digest = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=16)
        return self.folder / f"{digest.hexdigest()}{SUFFIX}"

    def get(self, url: str, *, touch: bool = True) -> Article | None:
        """The cached article of ``url``, or None; a hit counts as a use for eviction."""
        path = self.path(url)
        try:
            if path.stat().st_size > MAX_ENTRY:
                return None
            data = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        article = _from_json(url, data)
        if article is not None and touch:
            # A read-only cache still serves; its eviction order just ages.
            with contextlib.suppress(OSError):
                os.utime(path)
        return article

    def put(self, article: Article) -> None:
        """Store ``article`` (replacing any older one) and evict down to the size bound.

        Never raises: a cache that cannot be written only means fetching again later.
        """
        path = self.path(article.url)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        data = orjson.dumps({"format": FORMAT, **asdict(_clean(article))})
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
            return
        self.evict(keep=path)

    def evict(self, keep: Path | None = None) -> int:
        """Remove the least recently used articles until the rest fit; returns how many went."""
        entries: list[tuple[float, int, Path]] = []
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    if entry.name.endswith(SUFFIX) and entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        entries.append((st.st_mtime, st.st_size, Path(entry.path)))
        except OSError:
            return 0
        total = sum(size for _m, size, _p in entries)
        removed = 0
        for _mtime, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            if path == keep:
                continue  # the one just written stays even when it alone is over the bound
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        return removed
