"""Downloading from a hostile network: every case gives its one-line message, fast."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from tests.fetchsite import Site, clear_proxies, serve
from tui.fetch import addresses
from tui.fetch.addresses import Limits, check_host, is_public
from tui.fetch.errors import FetchError
from tui.fetch.net import download

LOCAL = Limits(connect_timeout=2, timeout=2, max_bytes=1_000_000, allow_private_hosts=True)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    clear_proxies(monkeypatch)
    with serve() as running:
        yield running


def fails(url: str, limits: Limits = LOCAL) -> str:
    with pytest.raises(FetchError) as caught:
        download(url, limits)
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message
    return message


def test_article_downloads(site: Site) -> None:
    got = download(site.url("/article"), LOCAL)
    assert got.status == 200
    assert got.content_type == "text/html" and got.charset == "utf-8"
    assert b"fireflies" in got.body
    agent = site.requests[-1][1]["User-Agent"]
    assert agent.startswith("readerly/")
    assert "Cookie" not in site.requests[-1][1]


def test_gzip_is_inflated(site: Site) -> None:
    assert b"fireflies" in download(site.url("/gzipped"), LOCAL).body


def test_redirect_chain_is_followed_to_the_end(site: Site) -> None:
    got = download(site.url("/chain"), LOCAL)
    assert got.url == site.url("/article")
    assert [p for p, _h in site.requests] == ["/chain", "/hop5", "/hop6", "/hop7", "/article"]


def test_more_than_five_redirects_stop(site: Site) -> None:
    assert "too many redirects" in fails(site.url("/hop1"))
    assert len(site.requests) == 6  # the first request and five redirects, no more
    assert "too many redirects" in fails(site.url("/loop"))


def test_redirect_to_another_scheme_is_refused(site: Site) -> None:
    assert "not an http(s) link" in fails(site.url("/script"))


def test_private_hosts_are_refused_by_default(site: Site) -> None:
    message = fails(site.url("/article"), Limits(timeout=2))
    assert "refused" in message and "allow_private_hosts" in message
    assert site.requests == []  # refused before any connection


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(FetchError, match="refused"):
        check_host(address, 80, False)


def test_public_address_passes() -> None:
    assert is_public("93.184.216.34") and is_public("2606:2800:220:1::1")


def test_each_redirect_hop_is_checked_again(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # The test site counts as public here, so the first hop passes; the redirect to the
    # cloud metadata address must still be refused.
    monkeypatch.setattr(addresses, "is_public", lambda a: a == "127.0.0.1")
    message = fails(site.url("/metadata"), Limits(timeout=2))
    assert "169.254.169.254" in message and "refused" in message


def test_connects_to_the_address_that_was_checked(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rebinding name answers a public address first, a private one after: readerly asks
    # once, checks that answer, and connects to it.
    answers = ["127.0.0.1", "10.0.0.1"]
    asked: list[str] = []
    port = int(site.base.rsplit(":", 1)[1])

    def lookup(host: str, *args: object, **kw: object) -> list[tuple[object, ...]]:
        asked.append(host)
        address = answers[min(len(asked) - 1, 1)]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(addresses, "is_public", lambda a: a == "127.0.0.1")
    got = download(f"http://rebind.test:{port}/article", Limits(timeout=2))
    assert b"fireflies" in got.body
    assert asked == ["rebind.test"]
    assert site.requests[-1][1]["Host"] == f"rebind.test:{port}"


def test_slow_server_times_out(site: Site) -> None:
    start = time.monotonic()
    message = fails(site.url("/slow"), Limits(timeout=1, allow_private_hosts=True))
    assert "timed out after 1 s" in message
    assert time.monotonic() - start < 5


def test_silent_server_times_out(site: Site) -> None:
    start = time.monotonic()
    assert "timed out" in fails(site.url("/stall"), Limits(timeout=1, allow_private_hosts=True))
    assert time.monotonic() - start < 5


def test_endless_body_stops_at_the_cap(site: Site) -> None:
    start = time.monotonic()
    assert "page too large (over 1 MB)" in fails(site.url("/endless"))
    assert time.monotonic() - start < 5


def test_gzip_bomb_stops_at_the_cap(site: Site) -> None:
    assert "page too large" in fails(site.url("/bomb"))


def test_http_errors_are_one_line(site: Site) -> None:
    assert fails(site.url("/missing")).startswith("HTTP 404 Not Found from 127.0.0.1")
    assert fails(site.url("/broken")).startswith("HTTP 503")


def test_wrong_content_type_is_refused(site: Site) -> None:
    assert "not a web page: image/png" in fails(site.url("/image"))


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: nobody answers
    assert "connection refused" in fails(f"http://127.0.0.1:{port}/")


def test_unknown_host(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)
    start = time.monotonic()
    assert "cannot find host" in fails("http://no-such-host.invalid/")
    assert time.monotonic() - start < 10


def test_environment_proxy_is_used(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", site.base)
    got = download("http://article.invalid/article", Limits(timeout=2))
    assert b"fireflies" in got.body
    path, headers = site.requests[-1]
    assert path == "http://article.invalid/article" and headers["Host"] == "article.invalid"


def test_proxy_does_not_open_private_literals(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", site.base)
    assert "refused" in fails("http://169.254.169.254/latest/", Limits(timeout=2))
    assert site.requests == []


def test_conditional_request_gets_304(site: Site) -> None:
    first = download(site.url("/etag"), LOCAL)
    assert first.etag == '"v1"'
    again = download(site.url("/etag"), LOCAL, etag=first.etag)
    assert again.status == 304 and again.body == b""
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'
