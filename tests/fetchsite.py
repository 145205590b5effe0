"""A small web site on 127.0.0.1 for the fetch tests: good pages and every hostile kind.

Each page is written here (nothing copied from anywhere). The server runs in threads, at most
``MAX_THREADS`` requests at once, and every endless or slow page stops when the site stops.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import pytest

MAX_THREADS = 8

ARTICLE_TEXT = (
    "On warm June nights along the river, thousands of fireflies begin flashing in "
    "near-perfect unison, a spectacle that has puzzled naturalists for more than a century."
)
ARTICLE_HTML = f"""<!doctype html>
<html><head><meta charset="utf-8">
<title>Tiny Lanterns: how fireflies keep time | The Meadow Journal</title>
<meta name="author" content="Ada Keel">
<meta property="article:published_time" content="2025-03-14">
</head><body>
<nav class="site-nav"><a href="/">Home</a> <a href="/about">About us</a>
<a href="/shop">Visit the lantern shop</a> <a href="/subscribe">Subscribe today</a></nav>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience.
Accept all cookies or manage your preferences.</p><button>Accept</button></div>
<main><article>
<h1>Tiny Lanterns: how fireflies keep time</h1>
<p class="byline">By Ada Keel</p>
<p>{ARTICLE_TEXT}</p>
<h2>Coupled oscillators</h2>
<p>Each insect carries an internal clock that nudges forward whenever it sees a neighbour
flash. Over a few minutes the small nudges add up and the whole swarm locks into one rhythm.</p>
<ul><li>Each firefly is a clock.</li><li>Every flash resets the neighbours a little.</li></ul>
<table><tr><th>Species</th><th>Period</th></tr><tr><td>Photinus carolinus</td><td>0.5 s</td></tr>
</table>
<p>Read the <a href="https://example.org/paper">original paper</a> for the model.
<img src="https://example.org/firefly.png" alt="a firefly at dusk"></p>
<p>Researchers now use the same mathematics to study heart cells, power grids and applause
in concert halls, where the audience drifts into a shared beat without anyone leading it.</p>
</article></main>
<section class="comments" id="comments"><h3>Comments</h3>
<div class="comment"><p>Spam spam: visit my casino site for free lantern coins.</p></div>
</section>
<footer class="site-footer"><p>Copyright 2025 The Meadow Journal. All rights reserved.
Privacy policy. Terms of service.</p></footer>
</body></html>
"""
# What must not survive extraction (navigation, banner, comments, footer).
BOILERPLATE = ("Visit the lantern shop", "Accept all cookies", "casino", "All rights reserved")

HOSTILE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Evil \x1b]0;pwned\x07title [@click=app.quit]here</title></head><body><article>
<h1>Evil \x1b[31mred\x1b[0m [@click=app.quit]heading</h1>
<p>Press [@click=app.quit]this[/] to win; \x1b[2J the screen clears and \x1b]52;c;aGk=\x07 the
clipboard fills. [bold red]Not bold[/bold red]. This paragraph is long enough to be kept as
the article body by the extractor, because it goes on about nothing in particular for a while.</p>
<p>A second paragraph so that the page looks like an article and not like a stub, with some
words about weather, trains, bread and the habits of the common garden snail.</p>
</article></body></html>
"""

# A page of a common real size (~150 KB): the article, long, inside heavy scripts and menus.
LONG_HTML = ARTICLE_HTML.replace(
    "</article>",
    "".join(f"<p>Paragraph {i}: the swarm drifts, settles and flashes again, "
            "a little later each night as the season turns.</p>" for i in range(400))
    + "</article>",
).replace(
    "<nav",
    "<script>" + "var tracker = {id: 1, events: []};" * 1500 + "</script>"
    + "<ul class='menu'>" + "".join(f"<li><a href='/c{i}'>Category {i}</a></li>"
                                    for i in range(300)) + "</ul><nav",
)  # fmt: skip

PLAIN_TEXT = "Notes on kites\n\nA kite flies because the wind pushes on it.\n- string\n- tail\n"


@dataclass
class Site:
    """The running site: its base URL, the pages it serves, and what it was asked."""

    base: str
    stop: threading.Event
    pages: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this site."""
        return self.base + path


def _send(
    h: http.server.BaseHTTPRequestHandler,
    body: bytes,
    ctype: str = "text/html; charset=utf-8",
    status: int = 200,
    extra: dict[str, str] | None = None,
) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (extra or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def _redirect(to: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def page(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return page


@cache
def bomb_bytes() -> bytes:
    """40 MB of zeros gzipped to ~40 KB: small on the wire, huge once inflated."""
    return gzip.compress(b"\0" * 40_000_000, compresslevel=9)


def clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the developer's environment may stand between a test and its site."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def _pages(
    stop: threading.Event,
) -> dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]]:
    def article(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, ARTICLE_HTML.encode())

    def long(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, LONG_HTML.encode())

    def etag(h: http.server.BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.send_header("ETag", '"v1"')
            h.end_headers()
            return
        _send(h, ARTICLE_HTML.encode(), extra={"ETag": '"v1"'})

    def slow(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        h.wfile.write(b"<html><body><p>")
        while not stop.wait(0.2):  # a byte at a time, never finishing
            h.wfile.write(b"a")
            h.wfile.flush()

    def stall(h: http.server.BaseHTTPRequestHandler) -> None:
        stop.wait(30)  # never answers

    def endless(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        chunk = b"<p>" + b"more " * 2000 + b"</p>\n"
        while not stop.is_set():
            h.wfile.write(chunk)

    def bomb(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, bomb_bytes(), extra={"Content-Encoding": "gzip"})

    def gzipped(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, gzip.compress(ARTICLE_HTML.encode()), extra={"Content-Encoding": "gzip"})

    def wrong_charset(h: http.server.BaseHTTPRequestHandler) -> None:
        body = ARTICLE_HTML.replace("unison", "unison, café crème").replace('charset="utf-8"', "")
        _send(h, body.encode("cp1252"), "text/html; charset=utf-8")

    def mislabelled(h: http.server.BaseHTTPRequestHandler) -> None:
        body = ARTICLE_HTML.replace("unison", "unison, a naïve façade").replace(
            '<meta charset="utf-8">', ""
        )
        _send(h, body.encode("utf-8"), "text/html; charset=iso-8859-1")

    def plain(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, PLAIN_TEXT.encode(), "text/plain; charset=utf-8")

    def hostile(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, HOSTILE_HTML.encode())

    def missing(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, b"<html><body>gone</body></html>", status=404)

    def broken(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, b"<html><body>oops</body></html>", status=503)

    def untyped(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)  # no Content-Type at all, and not text
        body = b"%PDF-1.7\n" + bytes(range(256)) * 8
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def image(h: http.server.BaseHTTPRequestHandler) -> None:
        _send(h, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")

    pages: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]] = {
        "/article": article,
        "/etag": etag,
        "/long": long,
        "/slow": slow,
        "/stall": stall,
        "/endless": endless,
        "/bomb": bomb,
        "/gzipped": gzipped,
        "/wrong-charset": wrong_charset,
        "/mislabelled": mislabelled,
        "/plain": plain,
        "/hostile": hostile,
        "/missing": missing,
        "/broken": broken,
        "/image": image,
        "/untyped": untyped,
        "/loop": _redirect("/loop"),
        "/metadata": _redirect("http://169.254.169.254/latest/meta-data/"),
        "/script": _redirect("javascript:alert(1)"),
    }
    for i in range(1, 8):  # /hop1 -> /hop2 -> ... -> /hop7 -> /article
        pages[f"/hop{i}"] = _redirect(f"/hop{i + 1}" if i < 7 else "/article")
    pages["/chain"] = _redirect("/hop5")  # three redirects, then the article
    return pages


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    limit = threading.BoundedSemaphore(MAX_THREADS)

    def process_request(self, request: object, client_address: object) -> None:
        if not self.limit.acquire(timeout=5):
            self.shutdown_request(request)  # type: ignore[arg-type]
            return
        super().process_request(request, client_address)  # type: ignore[arg-type]

    def process_request_thread(self, request: object, client_address: object) -> None:
        try:
            super().process_request_thread(request, client_address)  # type: ignore[arg-type]
        finally:
            self.limit.release()


@contextmanager
def serve() -> Iterator[Site]:
    """Run the site on a free port of 127.0.0.1 until the block ends."""
    stop = threading.Event()
    pages = _pages(stop)
    site = Site("", stop, pages)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            # A proxy is asked for the whole URL; the site answers as that proxy too.
            path = self.path
            if path.startswith("http://"):
                path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
            site.requests.append((self.path, dict(self.headers.items())))
            page = pages.get(path.split("?", 1)[0])
            if page is None:
                _send(self, b"<html><body>no such page</body></html>", status=404)
                return
            # The client giving up is what it should do on a hostile page.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                page(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    server.limit = threading.BoundedSemaphore(MAX_THREADS)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
        time.sleep(0)  # let handler threads see the stop event
