"""Downloading one web page from a hostile network, with the standard library's http.client.

Every hop of a redirect chain passes the URL gate again and has its host resolved and
checked; the socket is then opened to the very address that was checked (no second DNS
lookup a rebinding server could answer differently). A watchdog closes the socket when the
total time is up, so a server that trickles bytes cannot hold a fetch forever, and bodies are
counted after decompression, so a gzip bomb stops at the size cap.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote, urljoin, urlsplit

from tui import __version__
from tui.fetch.addresses import Limits, check_host, connect_to, proxy_for
from tui.fetch.errors import FetchError, shown_url
from tui.text.hygiene import clean_line
from tui.text.urls import web_url

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = f"readerly/{__version__} (terminal reader; fetches one page on request)"


@dataclass(frozen=True)
class Download:
    """A fetched page: ``status`` is 200 (a body) or 304 (the cached copy is still good)."""

    url: str  # after redirects
    status: int
    content_type: str  # lower case, without parameters; "" when the server sent none
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


class _Deadline:
    """Shuts a connection's socket down when the total time is up, unblocking any read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._conn: http.client.HTTPConnection | None = None
        # http.client lets go of the socket once the response is read to close; keep it.
        self.sock: socket.socket | None = None
        self._timer: threading.Timer | None = None

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise FetchError(f"timed out after {self.seconds:g} s")
        return left

    def watch(self, conn: http.client.HTTPConnection) -> None:
        self._conn = conn
        self._timer = threading.Timer(self.left(), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        sock = self.sock or (self._conn.sock if self._conn is not None else None)
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing to unblock
                sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class _HTTP(http.client.HTTPConnection):
    """A connection whose socket goes to addresses checked beforehand, never looked up again."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._create_connection = lambda _a, t=timeout, _s=None: connect_to(addresses, port, t)


class _HTTPS(http.client.HTTPSConnection):
    """The TLS twin of :class:`_HTTP`: the certificate is checked against the host name."""

    def __init__(
        self, host: str, port: int, addresses: list[str], timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._create_connection = lambda _a, t=timeout, _s=None: connect_to(addresses, port, t)


_TLS: ssl.SSLContext | None = None


def _tls() -> ssl.SSLContext:
    global _TLS
    if _TLS is None:
        _TLS = ssl.create_default_context()
    return _TLS


def _open(
    url: str, limits: Limits, timeout: float, headers: dict[str, str]
) -> tuple[http.client.HTTPConnection, bool]:
    """A connection for ``url``, not yet used, and whether the request line takes the whole
    URL (plain HTTP through a proxy). The environment's proxy is used when it names one."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    proxy = proxy_for(parts.scheme.lower(), host)
    if proxy is None:
        addresses = check_host(host, port, limits.allow_private_hosts)
        if https:
            return _HTTPS(host, port, addresses, timeout, _tls()), False
        return _HTTP(host, port, addresses, timeout), False
    # The proxy is the user's own choice; the destination is still checked as far as this
    # machine can resolve it (a name only the proxy can resolve is the proxy's business).
    check_host(host, port, limits.allow_private_hosts, behind_proxy=True)
    via = check_host(proxy.host, proxy.port, True)
    if not https:
        if proxy.auth:
            headers["Proxy-Authorization"] = proxy.auth
        return _HTTP(proxy.host, proxy.port, via, timeout), True
    # CONNECT through the proxy, then TLS with the page's host name (SNI and certificate).
    conn = _HTTPS(proxy.host, proxy.port, via, timeout, _tls())
    conn.set_tunnel(host, port, headers={"Proxy-Authorization": proxy.auth} if proxy.auth else None)
    return conn, False


def _decoder(encoding: str) -> zlib._Decompress | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib-wrapped or gzip, auto-detected
    raise FetchError(f"unsupported content encoding {clean_line(encoding)[:40]!r}")


def _read_body(response: http.client.HTTPResponse, limits: Limits, deadline: _Deadline) -> bytes:
    cap = limits.max_bytes
    too_big = FetchError(f"page too large (over {cap / 1e6:g} MB)")
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    inflate = _decoder(encoding)
    length = response.getheader("Content-Length")
    if inflate is None and length and length.isdigit() and int(length) > cap:
        raise too_big
    out: list[bytes] = []
    size = 0
    while True:
        deadline.left()
        chunk = response.read(CHUNK)
        if not chunk:
            break
        if inflate is not None:
            # max_length bounds what one call may produce: a bomb never inflates in memory.
            data = inflate.decompress(chunk, cap - size + 1)
            while True:
                size += len(data)
                if size > cap:
                    raise too_big
                out.append(data)
                if not inflate.unconsumed_tail:
                    break
                data = inflate.decompress(inflate.unconsumed_tail, cap - size + 1)
        else:
            size += len(chunk)
            if size > cap:
                raise too_big
            out.append(chunk)
    return b"".join(out)


def _content_type(headers: Message) -> tuple[str, str | None]:
    raw = headers.get("Content-Type")
    if not raw:
        return "", None
    kind = raw.split(";", 1)[0].strip().lower()
    charset = None
    for param in raw.split(";")[1:]:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return kind, charset


def _one_hop(
    url: str, limits: Limits, deadline: _Deadline, validators: dict[str, str]
) -> tuple[int, str | None, Download | None]:
    """One request: (status, redirect target, download); the download is None for a redirect."""
    parts = urlsplit(url)
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
        **validators,
    }
    conn, absolute = _open(url, limits, min(limits.connect_timeout, deadline.left()), headers)
    deadline.watch(conn)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if absolute:
        target = url.split("#", 1)[0]
        headers["Host"] = parts.netloc.rpartition("@")[2]
    conn.request("GET", target, headers=headers)
    deadline.sock = conn.sock
    if conn.sock is not None:
        # Connected: from here the total deadline bounds each read (the watchdog, the rest).
        conn.sock.settimeout(deadline.left())
    response = conn.getresponse()
    status = response.status
    if status in REDIRECTS:
        location = response.getheader("Location")
        if not location:
            raise FetchError(f"HTTP {status} redirect without a Location from {parts.hostname}")
        return status, urljoin(url, location.strip()), None
    if status == 304:
        return status, None, Download(url, 304, "", None, b"")
    if status >= 400:
        reason = clean_line(response.reason or "")[:60]
        raise FetchError(f"HTTP {status} {reason} from {parts.hostname}".replace("  ", " "))
    kind, charset = _content_type(response.msg)
    if kind and kind not in PAGE_TYPES:
        raise FetchError(f"not a web page: {clean_line(kind)[:60]} from {parts.hostname}")
    body = _read_body(response, limits, deadline)
    download = Download(
        url,
        status,
        kind,
        charset,
        body,
        etag=response.getheader("ETag"),
        last_modified=response.getheader("Last-Modified"),
    )
    return status, None, download


def download(
    url: str,
    limits: Limits,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Download:
    """Fetch ``url`` within ``limits``; FetchError with a one-line reason when it cannot be.

    ``etag`` / ``last_modified`` make the request conditional: a 304 answer comes back as a
    Download with status 304 and no body.
    """
    validators: dict[str, str] = {}
    if etag:
        validators["If-None-Match"] = etag
    if last_modified:
        validators["If-Modified-Since"] = last_modified
    current = url
    deadline = _Deadline(limits.timeout)
    for _hop in range(MAX_REDIRECTS + 1):
        if web_url(current) is None:
            raise FetchError(f"refused: {shown_url(unquote(current))} is not an http(s) link")
        try:
            _status, location, got = _one_hop(current, limits, deadline, validators)
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError(_timeout_message(deadline, limits)) from None
        except (http.client.HTTPException, OSError, ValueError) as exc:
            if deadline.expired:
                raise FetchError(f"timed out after {limits.timeout:g} s") from None
            raise FetchError(_network_message(exc, current)) from None
        finally:
            deadline.stop()
        if got is not None:
            return got
        assert location is not None
        current = location
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


def _timeout_message(deadline: _Deadline, limits: Limits) -> str:
    if deadline.expired or deadline.end - time.monotonic() <= 0:
        return f"timed out after {limits.timeout:g} s"
    return f"timed out connecting (after {limits.connect_timeout:g} s)"


def _network_message(exc: BaseException, url: str) -> str:
    host = urlsplit(url).hostname or "?"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate of {host} not accepted: {clean_line(exc.verify_message or '')}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error with {host}: {clean_line(exc.reason or str(exc))[:80]}"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused by {host}"
    if isinstance(exc, ConnectionResetError | http.client.RemoteDisconnected):
        return f"connection closed by {host} before the page was sent"
    if isinstance(exc, http.client.IncompleteRead):
        return f"connection closed by {host} in the middle of the page"
    if isinstance(exc, OSError) and exc.errno in (101, 113):  # ENETUNREACH, EHOSTUNREACH
        return f"network unreachable: cannot reach {host} (offline?)"
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP answer from {host}: {clean_line(str(exc))[:80]}"
    return f"cannot fetch from {host}: {clean_line(str(exc))[:80]}"
