"""``readerly serve`` answers only requests for its own names, and lists no folders.

A page whose domain was re-pointed at the server (DNS rebinding) sends its own name in
Host and a matching Origin: every route refuses it, whatever the address bound to. The
server runs in-process on aiohttp's test server, so no reader process is started.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tui.cli.main import main
from tui.cli.serve import ReaderServer


def _statuses(server: ReaderServer, requests: list[tuple[str, str, str | None]]) -> list[int]:
    """Status of each (path, Host, Origin) request made to ``server``'s application."""

    async def go() -> list[int]:
        app = await server._make_app()
        app.on_startup.clear()  # the startup banner is for people
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            found = []
            for path, host, origin in requests:
                headers = {"Host": host}
                if origin is not None:
                    headers["Origin"] = origin
                response = await client.get(path, headers=headers, allow_redirects=False)
                found.append(response.status)
                response.release()
            return found
        finally:
            await client.close()

    return asyncio.run(go())


def _server(host: str, allow: tuple[str, ...] = ()) -> ReaderServer:
    return ReaderServer("true", host=host, port=8000, vault=Path("/v"), allow_hosts=allow)


def test_loopback_answers_loopback_names_only() -> None:
    server = _server("127.0.0.1")
    assert _statuses(
        server,
        [
            ("/", "127.0.0.1:8000", None),
            ("/", "localhost:8000", None),
            ("/", "evil.example:8000", None),
            ("/static/", "evil.example:8000", None),
            ("/download/x", "evil.example:8000", None),
        ],
    ) == [200, 200, 403, 403, 403]


def test_a_wildcard_bind_answers_only_the_allowed_names() -> None:
    server = _server("0.0.0.0", ("reader.lan",))
    assert _statuses(
        server,
        [
            ("/", "reader.lan:8000", "http://reader.lan:8000"),
            ("/", "127.0.0.1:8000", None),
            # DNS rebinding: Origin and Host agree, but the name is not this server's.
            ("/", "evil.example:8000", "http://evil.example:8000"),
            ("/", "192.168.1.20:8000", None),
            ("/", "reader.lan:8000", "http://evil.example"),
        ],
    ) == [200, 200, 403, 403, 403]
    assert server.url == "http://reader.lan:8000"


def test_a_specific_address_answers_that_address() -> None:
    server = _server("192.0.2.7")
    assert _statuses(
        server,
        [
            ("/", "192.0.2.7:8000", None),
            ("/", "evil.example:8000", None),
            ("/", "127.0.0.1:8000", None),
        ],
    ) == [200, 403, 403]


def test_static_files_are_served_but_no_folder_is_listed() -> None:
    server = _server("127.0.0.1")
    present = next(p.name for p in Path(server.statics_path).rglob("*") if p.is_file())
    relative = next(
        p.relative_to(server.statics_path).as_posix()
        for p in Path(server.statics_path).rglob("*")
        if p.name == present
    )
    codes = _statuses(
        server,
        [("/static/", "127.0.0.1:8000", None), (f"/static/{relative}", "127.0.0.1:8000", None)],
    )
    assert codes[0] in (403, 404)
    assert codes[1] == 200


def test_a_wildcard_bind_without_allowed_names_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for host in ("0.0.0.0", "::"):
        code = main(["serve", str(tmp_path), "--host", host, "--port", "1"])
        err = capsys.readouterr().err
        assert code == 2
        assert "--allow-host" in err and len(err.strip().splitlines()) == 1
