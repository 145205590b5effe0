"""Fetch a note's source as an article: the cache first, then the network, then the cache again.

The one entry point the CLI and the app use (:class:`Fetcher`), and the one the search
index can read fetched text from (:func:`cached_article_text`). Headless.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from tui.config.fetchconf import FetchSettings
from tui.fetch.addresses import Limits
from tui.fetch.cache import Article, ArticleCache
from tui.fetch.decode import page_text
from tui.fetch.errors import FetchError, shown_url
from tui.fetch.extract import extract_page
from tui.fetch.net import download
from tui.text.hygiene import clean_text, looks_binary
from tui.text.urls import web_url
from tui.vault.cache import default_cache_dir

__all__ = ["Article", "FetchError", "Fetched", "Fetcher", "cached_article_text"]

Origin = Literal["cache", "network", "revalidated"]


@dataclass(frozen=True)
class Fetched:
    """An article and where it came from this time."""

    article: Article
    origin: Origin


def articles_dir(cache_dir: Path | None = None) -> Path:
    """The folder of fetched articles inside the cache folder."""
    return (cache_dir or default_cache_dir()) / "articles"


def limits_of(settings: FetchSettings) -> Limits:
    """The network limits the ``[fetch]`` settings describe."""
    return Limits(
        connect_timeout=settings.connect_timeout,
        timeout=settings.timeout,
        max_bytes=int(settings.max_page_mb * 1_000_000),
        allow_private_hosts=settings.allow_private_hosts,
    )


class Fetcher:
    """Fetches sources within the settings' limits, keeping the articles in the cache.

    Safe to use from several threads at once (each fetch has its own connection).
    """

    def __init__(self, settings: FetchSettings, cache_dir: Path | None = None) -> None:
        self.settings = settings
        self.limits = limits_of(settings)
        self.cache = ArticleCache(articles_dir(cache_dir), int(settings.cache_mb * 1_000_000))

    def cached(self, url: str) -> Article | None:
        """The cached article of ``url`` without touching the network."""
        return self.cache.get(url)

    def fetch(self, url: str, *, refresh: bool = False) -> Fetched:
        """The article at ``url``: cached unless ``refresh``, which revalidates the copy.

        FetchError with a one-line message when the page cannot be fetched or read.
        """
        if web_url(url) is None:
            raise FetchError("the source is not an http or https link")
        cached = self.cache.get(url)
        if cached is not None and not refresh:
            return Fetched(cached, "cache")
        got = download(
            url,
            self.limits,
            etag=cached.etag if cached else None,
            last_modified=cached.last_modified if cached else None,
        )
        if got.status == 304 and cached is not None:
            article = replace(cached, fetched_at=time.time())
            self.cache.put(article)
            return Fetched(article, "revalidated")
        if looks_binary(got.body):
            raise FetchError(f"not a web page: binary content from {shown_url(got.url)}")
        text, _encoding = page_text(got.body, got.charset)
        # Cleaned before parsing too: the HTML parser drops a lone ESC but keeps the rest of
        # its sequence ("[2J"), so sequences must go whole while they are still whole.
        text = clean_text(text)
        found = extract_page(text, got.content_type, got.url)
        article = Article(
            url=url,
            final_url=got.url,
            title=found.title,
            author=found.author,
            date=found.date,
            markdown=found.markdown,
            method=found.method,
            fetched_at=time.time(),
            etag=got.etag,
            last_modified=got.last_modified,
            content_type=got.content_type,
        )
        self.cache.put(article)
        return Fetched(self.cache.get(url, touch=False) or article, "network")


def cached_article_text(url: str, cache_dir: Path | None = None) -> str | None:
    """The fetched text of ``url`` (title, then the article) if it is cached, else None.

    For the search index: reads the cache only, never the network, and does not count as
    a use for eviction.
    """
    article = ArticleCache(articles_dir(cache_dir), 0).get(url, touch=False)
    if article is None:
        return None
    return f"{article.title}\n\n{article.markdown}" if article.title else article.markdown
