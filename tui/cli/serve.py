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
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from tui.cli.errors import Failure, UsageError
from tui.cli.output import SafeLogFormatter, out, warn
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
    try:
        return (urlsplit(f"//{netloc}").hostname or "").lower()
    except ValueError:  # e.g. an unbalanced "[": not a host this server has
        return ""


WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})


class ReaderServer(Server):
    """textual-serve's server with readerly's own page, host checks and quieter output."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        vault: Path,
        allow_hosts: tuple[str, ...] = (),
    ) -> None:
        super().__init__(command, host=host, port=port, title=f"readerly · {vault.name}")
        self.vault = vault
        # A page whose own domain was re-pointed at this server (DNS rebinding) carries its
        # own name in Host, so only the names of this server are answered: the address it
        # is bound to, loopback when it listens there, and the names given with --allow-host.
        self.allow_hosts = frozenset(_host_name(name) or name.lower() for name in allow_hosts)
        bound = host.strip("[]").lower()
        self.loopback_ok = is_loopback(host) or host in WILDCARDS
        self.bound = "" if host in WILDCARDS or is_loopback(host) else bound
        shown = allow_hosts[0] if host in WILDCARDS and allow_hosts else host
        self.url = display_url(shown, port)

    def initialize_logging(self) -> None:
        """Warnings and errors only: a request log line per key press helps nobody."""
        handler = logging.StreamHandler(sys.stderr)
        # A log line may quote a request's path or headers: made inert like every output.
        handler.setFormatter(SafeLogFormatter("readerly serve: %(message)s"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, behind one host check, with no folder listings."""
        app = web.Application(middlewares=[self._only_our_hosts])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _only_our_hosts(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        if not self.host_allowed(_host_name(request.host)):
            raise web.HTTPForbidden(text="readerly: this address is not served here")
        return await handler(request)

    def host_allowed(self, name: str) -> bool:
        """Whether a request naming ``name`` in its Host header is for this server."""
        if name in self.allow_hosts or (self.bound and name == self.bound):
            return True
        return self.loopback_ok and is_loopback(name)

    async def on_startup(self, app: web.Application) -> None:
        """Say where to point the browser."""
        out(f"readerly: serving {self.vault} at {self.url}")
        out("readerly: open that address in a web browser; Ctrl+C stops")
        sys.stdout.flush()

    def allowed(self, request: web.Request) -> bool:
        """Whether ``request`` comes from a page this server served (or from no page at all)."""
        if not self.host_allowed(_host_name(request.host)):
            return False
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser page: a local program, which could run readerly anyway
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False  # not a URL at all, so not a page of ours
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
    allow_hosts = tuple(getattr(args, "allow_host", None) or ())
    for name in allow_hosts:
        if not _host_name(name) or _host_name(name) != name.strip("[]").lower():
            raise UsageError(f"--allow-host {name!r} is not a host name or address")
    if host in WILDCARDS and not allow_hosts:
        raise UsageError(
            f"--host {host or repr(host)} listens on every address: name the host browsers "
            "will use with --allow-host NAME (requests for any other name are refused)"
        )
    if not is_loopback(host):
        warn(
            f"warning: listening on {host}, so other machines can reach it; "
            "anyone who can open the page can read your notes and change their state"
        )
    _check_port(host, port)
    server = ReaderServer(
        command_for(vault, state, use_cache=not args.no_cache),
        host=host,
        port=port,
        vault=vault,
        allow_hosts=allow_hosts,
    )
    try:
        server.serve()
    except OSError as exc:  # lost a race for the port between the check and the bind
        raise Failure(_bind_message(host, port, exc)) from None
