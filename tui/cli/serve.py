"""Web mode: ``readerly serve`` runs the reader behind textual-serve for a browser.

Each browser tab gets its own reader process (``python -m tui open VAULT --state STATE``);
they share the state file the same way two terminals would. The server listens on loopback
unless the user names another address, and the websocket that drives a reader accepts only
pages served by this server, so a web site open in the same browser cannot reach it.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import logging
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from tui.cli.errors import Failure
from tui.cli.webpage import CONTENT_SECURITY_POLICY, page_html
from tui.config.paths import default_state_path
from tui.config.settings import resolve_vault

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True when ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def command_for(vault: Path, state: Path, *, use_cache: bool = True) -> str:
    """The command each browser session runs: this Python, this vault, this state file.

    ``sys.executable -m tui`` is the interpreter readerly is installed in, so it works the
    same from a checkout, a virtualenv or an installed wheel.
    """
    argv = [sys.executable, "-m", "tui", "open", str(vault), "--state", str(state)]
    if not use_cache:
        argv.append("--no-cache")
    return " ".join(shlex.quote(a) for a in argv)


def display_url(host: str, port: int) -> str:
    """The address to type into a browser for a server listening on ``host:port``."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()  # listening everywhere: this machine's own name
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _host_name(netloc: str) -> str:
    """The host part of ``host:port`` (IPv6 brackets removed), lower-cased."""
    return (urlsplit(f"//{netloc}").hostname or "").lower()


class ReaderServer(Server):
    """textual-serve's server with readerly's own page, origin checks and quieter output."""

    def __init__(self, command: str, *, host: str, port: int, vault: Path) -> None:
        super().__init__(command, host=host, port=port, title=f"readerly · {vault.name}")
        self.vault = vault
        self.url = display_url(host, port)
        # On loopback, only loopback names may appear in Host: a page whose own domain was
        # re-pointed at 127.0.0.1 (DNS rebinding) carries its own name there and is refused.
        self.loopback_only = is_loopback(host)

    def initialize_logging(self) -> None:
        """Warnings and errors only: a request log line per key press helps nobody."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("readerly serve: %(message)s"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    async def on_startup(self, app: web.Application) -> None:
        """Say where to point the browser."""
        print(f"readerly: serving {self.vault} at {self.url}", flush=True)
        print("readerly: open that address in a web browser; Ctrl+C stops", flush=True)

    def allowed(self, request: web.Request) -> bool:
        """Whether ``request`` comes from a page this server served (or from no page at all)."""
        host = _host_name(request.host)
        if self.loopback_only and not is_loopback(host):
            return False
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser page: a local program, which could run readerly anyway
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """readerly's page: only local assets, a strict content policy, no third parties."""
        if not self.allowed(request):
            raise web.HTTPForbidden(text="readerly: this address is not served here")
        scheme = "wss" if request.secure else "ws"
        try:
            font_size = max(6, min(48, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        html = page_html(
            title=self.title,
            static_url="/static/",
            websocket_url=f"{scheme}://{request.host}/ws",
            font_size=font_size,
        )
        headers = {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        }
        return web.Response(text=html, content_type="text/html", headers=headers)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start a reader for this browser tab, unless another site's page is asking."""
        if not self.allowed(request):
            raise web.HTTPForbidden(text="readerly: cross-site connection refused")
        return await super().handle_websocket(request)


def _check_port(host: str, port: int) -> None:
    """Fail with a plain message now, rather than a traceback once the server starts."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        probe = socket.create_server((host.strip("[]"), port), family=family)
    except socket.gaierror as exc:
        raise Failure(f"cannot listen on {host}: {exc.strerror} (check --host)") from None
    except OSError as exc:
        raise Failure(_bind_message(host, port, exc)) from None
    probe.close()


def _bind_message(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use; choose another with --port"
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; choose one above 1023 with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine (check --host)"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def serve(args: argparse.Namespace) -> None:
    """Serve the reader on ``args.host:args.port`` until interrupted.

    ``args.vault`` and ``args.state`` are used as given (the command line settles them from
    the options, the environment and the config file); when absent, the usual defaults apply.
    """
    vault = resolve_vault(args.vault or getattr(args, "path", None)).resolve()
    if not vault.is_dir():
        raise FileNotFoundError(f"vault folder not found: {vault}")
    state = (Path(args.state).expanduser() if args.state else default_state_path()).resolve()
    host, port = str(args.host), int(args.port)
    if not 0 < port < 65536:
        raise Failure(f"--port must be between 1 and 65535, not {port}")
    if not is_loopback(host):
        print(
            f"readerly: warning: listening on {host}, so other machines can reach it; "
            "anyone who can open the page can read your notes and change their state",
            file=sys.stderr,
        )
    _check_port(host, port)
    server = ReaderServer(
        command_for(vault, state, use_cache=not args.no_cache), host=host, port=port, vault=vault
    )
    try:
        server.serve()
    except OSError as exc:  # lost a race for the port between the check and the bind
        raise Failure(_bind_message(host, port, exc)) from None
