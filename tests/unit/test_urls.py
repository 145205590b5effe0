"""The URL gate: only plain web links pass, and opening never involves a shell."""

from __future__ import annotations

import sys

import pytest

from tui.text import urls

GOOD = [
    "https://example.com",
    "http://example.com/a/b?q=1#frag",
    "HTTPS://Example.COM/path",
    "https://user@example.com:8443/x",
    "https://例え.jp/パス",
]

BAD = [
    "",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.com/file",
    "mailto:someone@example.com",
    "https://",
    "https:///path-only",
    "http:example.com",
    "//example.com/no-scheme",
    "example.com",
    "-https://example.com",
    "--new-window=https://example.com",
    " https://example.com",
    "https://example.com ",
    "https://exa mple.com",
    "https://example.com/\x1b]0;PWNED\x07",
    "https://example.com/\nsecond-line",
    "https://example.com/\ttab",
    "https://example.com/\u202egnp.exe",
    "https://example.com/\u200bzero-width",
    "https://example.com:99999999/",
    "https://example.com/" + "a" * urls.MAX_URL_LENGTH,
]


@pytest.mark.parametrize("url", GOOD)
def test_web_url_accepts_plain_web_links(url: str) -> None:
    assert urls.web_url(url) == url


@pytest.mark.parametrize("url", BAD)
def test_web_url_refuses_everything_else(url: str) -> None:
    assert urls.web_url(url) is None


def test_open_url_calls_the_opener_only_for_web_links() -> None:
    calls: list[str] = []

    def opener(url: str) -> bool:
        calls.append(url)
        return True

    for url in BAD:
        message = urls.open_url(url, opener=opener)
        assert message.startswith("not opened")
    assert calls == []
    message = urls.open_url("https://example.com/x", opener=opener)
    assert calls == ["https://example.com/x"]
    assert "https://example.com/x" in message


def test_open_url_reports_a_browser_that_did_not_start() -> None:
    assert "could not start" in urls.open_url("https://example.com", opener=lambda _: False)

    def broken(url: str) -> bool:
        raise OSError("no browser here")

    message = urls.open_url("https://example.com", opener=broken)
    assert "no browser here" in message


def test_remote_and_display_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    assert not urls.on_remote_machine()
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    assert urls.on_remote_machine()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not urls.has_display()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert urls.has_display()
