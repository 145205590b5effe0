"""From a page to a clean article: extraction, charsets, hostile text, the cache."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fetchsite import ARTICLE_TEXT, BOILERPLATE, Site, clear_proxies, serve
from tui.config.fetchconf import FetchSettings
from tui.fetch.cache import Article, ArticleCache
from tui.fetch.decode import page_text
from tui.fetch.errors import FetchError
from tui.fetch.service import Fetcher, cached_article_text

LOCAL = FetchSettings(allow_private_hosts=True, timeout=3, connect_timeout=2, max_page_mb=1)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    clear_proxies(monkeypatch)
    with serve() as running:
        yield running


@pytest.fixture
def fetcher(tmp_path: Path) -> Fetcher:
    return Fetcher(LOCAL, cache_dir=tmp_path / "cache")


def test_article_is_extracted_without_boilerplate(site: Site, fetcher: Fetcher) -> None:
    got = fetcher.fetch(site.url("/article"))
    article = got.article
    assert got.origin == "network" and article.method == "trafilatura"
    assert article.title == "Tiny Lanterns: how fireflies keep time"
    assert article.author == "Ada Keel" and article.date == "2025-03-14"
    md = article.markdown
    assert ARTICLE_TEXT in md
    assert "## Coupled oscillators" in md
    assert "- Each firefly is a clock." in md
    assert "| Photinus carolinus | 0.5 s |" in md
    assert "[original paper](https://example.org/paper)" in md
    assert "![a firefly at dusk](https://example.org/firefly.png)" in md  # a link, not fetched
    for junk in BOILERPLATE:
        assert junk not in md
    assert [p for p, _h in site.requests] == ["/article"]  # the image was not requested


def test_wrong_declared_charset_is_not_trusted(site: Site, fetcher: Fetcher) -> None:
    md = fetcher.fetch(site.url("/wrong-charset")).article.markdown
    assert "café crème" in md and "\ufffd" not in md


def test_utf8_labelled_latin1_is_repaired(site: Site, fetcher: Fetcher) -> None:
    md = fetcher.fetch(site.url("/mislabelled")).article.markdown
    assert "naïve façade" in md and "Ã" not in md


def test_plain_text_page_is_its_own_article(site: Site, fetcher: Fetcher) -> None:
    article = fetcher.fetch(site.url("/plain")).article
    assert article.method == "plain" and article.title == "Notes on kites"
    assert "A kite flies because the wind pushes on it." in article.markdown


def test_hostile_page_reaches_no_terminal_control(site: Site, fetcher: Fetcher) -> None:
    article = fetcher.fetch(site.url("/hostile")).article
    for text in (article.title, article.markdown):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
        # Sequences go whole, not just their ESC.
        for residue in ("pwned", "[31m", "[2J", "52;c"):
            assert residue not in text
    # Markup-looking text stays text (Markdown-escaped in the body): the renderer draws it.
    assert "\\[@click=app.quit\\]this" in article.markdown
    assert article.title == "Evil red [@click=app.quit]heading"


def test_cache_serves_with_the_server_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_proxies(monkeypatch)
    fetcher = Fetcher(LOCAL, cache_dir=tmp_path)
    with serve() as site:
        url = site.url("/article")
        first = fetcher.fetch(url)
    again = Fetcher(LOCAL, cache_dir=tmp_path).fetch(url)
    assert again.origin == "cache" and again.article.markdown == first.article.markdown
    text = cached_article_text(url, tmp_path)
    assert text is not None and text.startswith("Tiny Lanterns") and ARTICLE_TEXT in text
    assert cached_article_text(url + "?other", tmp_path) is None
    with pytest.raises(FetchError, match="connection refused"):
        fetcher.fetch(url, refresh=True)  # refreshing needs the server


def test_refresh_revalidates_with_the_etag(site: Site, fetcher: Fetcher) -> None:
    url = site.url("/etag")
    assert fetcher.fetch(url).origin == "network"
    assert fetcher.fetch(url).origin == "cache"
    assert len(site.requests) == 1
    refreshed = fetcher.fetch(url, refresh=True)
    assert refreshed.origin == "revalidated"
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'
    assert ARTICLE_TEXT in refreshed.article.markdown


def test_failure_leaves_the_cache_alone(site: Site, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.fetch(site.url("/missing"))
    assert fetcher.cached(site.url("/missing")) is None


def test_binary_page_without_a_type_is_refused(site: Site, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="not a web page: binary content"):
        fetcher.fetch(site.url("/untyped"))


def test_refused_source_is_not_fetched(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="not an http or https link"):
        fetcher.fetch("file:///etc/passwd")


def _article(url: str, size: int) -> Article:
    return Article(url, url, "t", "", "", "x" * size, "plain", 0.0)


def test_least_recently_used_is_evicted(tmp_path: Path) -> None:
    probe = ArticleCache(tmp_path / "probe", max_bytes=10**6)
    probe.put(_article("https://a.test/", 1000))
    one = probe.path("https://a.test/").stat().st_size
    cache = ArticleCache(tmp_path, max_bytes=one * 7 // 2)  # room for three and a half
    for i, url in enumerate(("https://a.test/", "https://b.test/", "https://c.test/")):
        cache.put(_article(url, 1000))
        os.utime(cache.path(url), (i, i))  # a clear age order
    assert cache.get("https://a.test/") is not None  # a is now the most recently used
    cache.put(_article("https://d.test/", 1000))
    present = {u for u in ("a", "b", "c", "d") if cache.get(f"https://{u}.test/", touch=False)}
    assert present == {"a", "c", "d"}


def test_damaged_cache_file_is_a_miss(tmp_path: Path) -> None:
    cache = ArticleCache(tmp_path, max_bytes=10_000)
    url = "https://a.test/"
    cache.put(_article(url, 10))
    cache.path(url).write_bytes(b'{"format": 1, "url": "https://a.test/", "title": 3}')
    assert cache.get(url) is None
    cache.path(url).write_bytes(b"\x00garbage")
    assert cache.get(url) is None


def test_cache_file_with_escapes_is_cleaned_on_read(tmp_path: Path) -> None:
    cache = ArticleCache(tmp_path, max_bytes=10_000)
    url = "https://a.test/"
    cache.put(_article(url, 10))
    raw = cache.path(url).read_text().replace('"title":"t"', '"title":"a\\u001b[2Jb"')
    cache.path(url).write_text(raw)
    article = cache.get(url)
    assert article is not None and article.title == "ab"


@pytest.mark.parametrize(
    ("body", "declared", "expected"),
    [
        ("café".encode(), "utf-8", "café"),
        ("café".encode("cp1252"), "utf-8", "café"),
        ("café".encode("cp1252"), "x-no-such-charset", "café"),
        ('<meta charset="windows-1251">Привет'.encode("cp1251"), None, "Привет"),
        (b"\xef\xbb\xbfplain", "iso-8859-1", "plain"),
    ],
)
def test_page_text_finds_the_charset(body: bytes, declared: str | None, expected: str) -> None:
    text, _encoding = page_text(body, declared)
    assert text.endswith(expected)
