"""The article inside a web page, as Markdown, with trafilatura.

trafilatura finds the main text (dropping navigation, cookie banners, comments and footers)
and writes it as Markdown with the title, author and date beside it. When it finds nothing
its baseline extractor is tried; a ``text/plain`` page is its own article. Whatever comes
out goes through :mod:`tui.text.hygiene` like note text. Nothing here runs scripts, keeps
cookies or fetches images: it only reads the bytes it is given.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

from tui.fetch.errors import FetchError
from tui.text.hygiene import clean_line, clean_text

# Bounds the work lxml and trafilatura do on a hostile page (elements in the tree).
MAX_TREE = 200_000
_HTML_HINT = re.compile(r"<\s*(html|body|p|div|article|head)\b", re.I)


@dataclass(frozen=True)
class Extracted:
    """The article found in a page; ``method`` says which extractor found it."""

    title: str
    author: str
    date: str
    markdown: str
    method: str  # "trafilatura", "baseline" or "plain"


@cache
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE))
    return config


def _plain(text: str) -> Extracted:
    text = clean_text(text).strip("\n")
    first = next((line for line in text.splitlines() if line.strip()), "")
    return Extracted(clean_line(first)[:200], "", "", text + "\n", "plain")


def _metadata(html: str, url: str) -> tuple[str, str, str]:
    from trafilatura.metadata import extract_metadata

    try:
        meta = extract_metadata(html, default_url=url)
    except Exception:  # a page trafilatura cannot read metadata from still has text
        return "", "", ""
    return (
        clean_line(meta.title or "")[:300],
        clean_line(meta.author or "")[:200],
        clean_line(meta.date or "")[:40],
    )


def extract_page(text: str, content_type: str, url: str) -> Extracted:
    """The article in page ``text`` (already decoded) served as ``content_type`` from ``url``.

    FetchError when no readable text is found.
    """
    if content_type == "text/plain" or (not content_type and not _HTML_HINT.search(text[:4096])):
        if not text.strip():
            raise FetchError("the page is empty")
        return _plain(text)
    import trafilatura  # deferred: ~0.25 s to import, and only fetching needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml and trafilatura warn about odd markup
        markdown = trafilatura.extract(
            text,
            url=url,
            output_format="markdown",
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_formatting=True,
            include_links=True,
            config=_config(),
        )
        method = "trafilatura"
        if not markdown or not markdown.strip():
            try:
                _tree, markdown, _length = trafilatura.baseline(text)
            except Exception:  # the fallback's own failure means: nothing readable
                markdown = ""
            method = "baseline"
        if not markdown or not markdown.strip():
            raise FetchError("no readable article text found on the page")
        title, author, date = _metadata(text, url)
    return Extracted(title, author, date, clean_text(markdown).strip("\n") + "\n", method)
