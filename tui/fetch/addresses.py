"""Which addresses a fetch may connect to, and the environment's proxy.

A host is resolved once; every address it resolves to is checked, and only the checked ones
are connected to, so a DNS answer that changes between the check and the connection (DNS
rebinding) cannot steer readerly to a machine on the local network.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from tui.fetch.errors import FetchError

PRIVATE_HINT = "set [fetch] allow_private_hosts = true to allow it"


@dataclass(frozen=True)
class Limits:
    """What one fetch may use: times in seconds, ``max_bytes`` of decompressed body."""

    connect_timeout: float = 10.0
    timeout: float = 30.0
    max_bytes: int = 10_000_000
    allow_private_hosts: bool = False


@dataclass(frozen=True)
class Proxy:
    """An HTTP proxy from the environment; ``auth`` is a ready Proxy-Authorization value."""

    scheme: str
    host: str
    port: int
    auth: str | None = None


def is_public(address: str) -> bool:
    """True for an address on the public internet (not loopback, private, link-local...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback however it is written
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot find host {host} (DNS lookup failed: offline?): {exc}") from None
    seen: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in seen:
            seen.append(address)
    return seen


def check_host(
    host: str, port: int, allow_private: bool, *, behind_proxy: bool = False
) -> list[str]:
    """The addresses of ``host`` that may be connected to; FetchError when there are none.

    ``behind_proxy``: the proxy resolves the name, so one this machine cannot resolve
    passes; a name or literal that is private here is still refused.
    """
    literal = host.strip("[]")
    try:
        ipaddress.ip_address(literal.split("%", 1)[0])
        addresses = [literal]
    except ValueError:
        try:
            addresses = _resolve(host, port)
        except FetchError:
            if behind_proxy:
                return []
            raise
    if allow_private:
        return addresses
    allowed = [a for a in addresses if is_public(a)]
    if not allowed:
        shown = addresses[0] if addresses else host
        where = "" if shown == literal else f" ({shown})"
        raise FetchError(
            f"refused: {host}{where} is a loopback, private or link-local address; {PRIVATE_HINT}"
        )
    return allowed


def connect_to(addresses: list[str], port: int, timeout: float) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that answers (already checked ones)."""
    if not addresses:
        raise OSError("no address to connect to")
    last: OSError | None = None
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect((address, port))
        except OSError as exc:
            sock.close()
            last = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    assert last is not None
    raise last


def proxy_for(scheme: str, host: str) -> Proxy | None:
    """The proxy the environment (``http_proxy``, ``https_proxy``, ``no_proxy``) names."""
    proxies = urllib.request.getproxies_environment()
    raw = proxies.get(scheme)
    if not raw or urllib.request.proxy_bypass(host):
        return None
    if "://" not in raw:
        raw = f"http://{raw}"
    try:
        parts = urlsplit(raw)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"the {scheme}_proxy variable is not a proxy URL") from None
    if not parts.hostname:
        raise FetchError(f"the {scheme}_proxy variable names no host")
    auth = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        auth = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return Proxy(parts.scheme.lower(), parts.hostname, port, auth)
