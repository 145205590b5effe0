"""``readerly serve`` in a real headless Chromium: the page loads, the list shows, keys work.

The browser is Debian's ``chromium`` driven by Playwright (its own browser download is not
used). textual.js draws the terminal on a canvas, so the screen is read from xterm.js's own
buffer: a script installed before the page loads keeps a reference to the xterm Terminal
that textual.js creates (it stores it as ``this.terminal``), and the test reads its rows.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import ROOT
from tui.state.store import StateStore
from tui.vault.index import Vault

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
# What works in a sandbox with no GPU and no network but the one under test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Catch the Terminal as textual.js assigns it, then step aside so nothing else is affected.
# Before any byte arrives, also note every title change and clipboard write (OSC 52) that
# reaches xterm.js; the clipboard watcher returns false so the addon's handling still runs.
XTERM_HOOK = """
window.readerlyTitles = [];
window.readerlyClipboard = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, enumerable: true, configurable: true,
    });
    if (value && value.buffer && typeof value.loadAddon === "function") {
      window.readerlyTerminal = value;
      delete Object.prototype.terminal;
      value.onTitleChange((title) => window.readerlyTitles.push(title));
      // Once textual.js has loaded its addons (same turn), so this handler runs before
      // the clipboard addon's, and before the first byte from the server.
      queueMicrotask(() => value.parser.registerOscHandler(52, (data) => {
        window.readerlyClipboard.push(data);
        return false;
      }));
    }
  },
});
"""

SCREEN_JS = """() => {
  const term = window.readerlyTerminal;
  if (!term) return null;
  const buf = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def _required(reason: str) -> None:
    """CI must run this test, so there a missing piece fails; elsewhere it skips."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: see .ci/run)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"readerly serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"readerly serve did not listen on port {port}:\n{log.read_text()}")


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; Playwright gives each launch a fresh profile folder."""
    if not CHROMIUM.exists():
        _required(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _required("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


BIRDS = {
    "2026-04-01-heron.md": (
        "---\ntitle: Grey heron at dawn\ndate: '2026-04-01'\n---\nThe heron waited.\n"
    ),
    "2026-03-01-finch.md": (
        "---\ntitle: Finches in the hedge\ndate: '2026-03-01'\n---\nSmall birds.\n"
    ),
}
# Sequences that, reaching xterm.js, would retitle the page's terminal, write the browser's
# clipboard (OSC 52) or wipe the screen; and markup that must stay text.
HOSTILE = {
    "2026-04-01-hostile.md": (
        '---\ntitle: "Odd \\e]0;PWNED\\a [@click=app.quit]x[/] title"\n'
        "date: '2026-04-01'\n---\n"
        "First line of the odd note.\n\n"
        "retitle \x1b]2;PWNED\x07 copy \x1b]52;c;cHduZWQ=\x07 8-bit \x9d52;c;cHduZWQ=\x9c\n\n"
        "wipe \x1b[2J\x1b[H and [bold red]markup[/] end of body\n"
    ),
    "2026-03-01-plain.md": "---\ntitle: Plain neighbour\ndate: '2026-03-01'\n---\nQuiet.\n",
}


@pytest.fixture
def vault(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A small vault: the bird notes, or the notes given by indirect parametrisation."""
    notes: dict[str, str] = getattr(request, "param", BIRDS)
    root = tmp_path / "vault"
    root.mkdir()
    for name, text in notes.items():
        (root / name).write_bytes(text.encode("utf-8"))
    return root


@pytest.fixture
def server(vault: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``readerly serve`` on a free loopback port; yields its URL and the state file."""
    port = _free_port()
    state = tmp_path / "state.json"
    env = {**os.environ, "READERLY_STATE": str(state)}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", str(vault), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the server and every reader it starts share one group
        )
    try:
        _wait_for_port(port, proc, log)
        assert f"http://127.0.0.1:{port}" in log.read_text(), "the URL to open was not printed"
        yield f"http://127.0.0.1:{port}/", state
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the server's whole process group: the server and any reader still running."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


def screen(page: Page) -> str:
    """The terminal's visible rows as text ('' until textual.js has made the terminal)."""
    text: Any = page.evaluate(SCREEN_JS)
    return text if isinstance(text, str) else ""


def wait_for_text(page: Page, text: str, timeout: float = 15.0) -> str:
    """Poll the terminal until ``text`` is on screen; returns the screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(page)
        if text in shown:
            return shown
        time.sleep(0.1)
    pytest.fail(f"{text!r} never appeared in the browser's terminal:\n{screen(page)}")


def test_page_lists_notes_and_a_key_marks_one_read(
    browser: Browser, server: tuple[str, Path], vault: Path
) -> None:
    url, state = server
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(url) else elsewhere.append(r.url))
    page.add_init_script(XTERM_HOOK)
    page.goto(url)

    shown = wait_for_text(page, "2 shown, 2 unread")  # the list has loaded
    assert "Grey heron at dawn" in shown
    assert "Finches in the hedge" in shown
    assert elsewhere == [], f"the page fetched from another site: {elsewhere}"

    notes = Vault.open(vault, use_cache=False)
    heron = notes.find("2026-04-01-heron.md")
    finch = notes.find("2026-03-01-finch.md")
    assert heron is not None and finch is not None

    page.focus(".xterm-helper-textarea")  # where xterm.js takes keyboard input
    page.keyboard.press("m")  # the newest note is highlighted first
    wait_for_text(page, "2 shown, 1 unread")

    store = StateStore(state, read_only=True)
    deadline = time.monotonic() + 10
    record = store.get(heron.id)
    while (record is None or record.status != "read") and time.monotonic() < deadline:
        time.sleep(0.1)
        record = store.get(heron.id)
    assert record is not None and record.status == "read", f"state file says {record}"
    other = store.get(finch.id)
    assert other is None or other.status != "read"

    # Quitting ends the session, and the page says so with a way to start again.
    page.keyboard.press("q")
    page.wait_for_selector("body.-closed", timeout=10_000)
    assert page.is_visible("text=The reader has closed.")
    assert page.is_visible("a:has-text('Open it again')")


@pytest.mark.parametrize("vault", [HOSTILE], indirect=True)
def test_hostile_note_stays_text_in_the_browser(
    browser: Browser, server: tuple[str, Path], vault: Path
) -> None:
    url, _ = server
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.add_init_script(XTERM_HOOK)
    page.goto(url)
    shown = wait_for_text(page, "Plain neighbour")
    assert "[@click=app.quit]x[/]" in shown  # markup in a title is shown, not obeyed

    page.focus(".xterm-helper-textarea")
    page.keyboard.press("Enter")  # open the highlighted note: the odd one, newest first
    shown = wait_for_text(page, "end of body")
    assert "First line of the odd note." in shown  # a clear-screen did not wipe it
    assert "[bold red]markup[/]" in shown
    assert page.evaluate("window.readerlyClipboard") == [], "OSC 52 reached the browser"
    titles = page.evaluate("window.readerlyTitles")
    assert not any("PWNED" in t for t in titles), titles
    assert "PWNED" not in page.title()
    assert not page.is_visible("text=The reader has closed."), "the note ended the session"
    # The watchers do see such sequences when they do arrive.
    page.evaluate(r"readerlyTerminal.write('\x1b]2;probe\x07\x1b]52;c;cHJvYmU=\x07')")
    seen = "() => readerlyTitles.includes('probe') && readerlyClipboard.length === 1"
    deadline = time.monotonic() + 5
    while not page.evaluate(seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert page.evaluate(seen), page.evaluate("[readerlyTitles, readerlyClipboard]")


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "serve", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def test_port_in_use_is_a_plain_error(vault: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _serve(str(vault), "--port", str(port))
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_other_hosts_are_warned_about_by_name(vault: Path) -> None:
    # 192.0.2.1 is reserved for documentation, so no machine has it: the warning comes
    # first, then a plain error instead of a server reachable from elsewhere.
    result = _serve(str(vault), "--host", "192.0.2.1", "--port", str(_free_port()))
    assert result.returncode == 1
    warning, error = result.stderr.strip().splitlines()[-2:]
    assert "warning" in warning and "192.0.2.1" in warning and "other machines" in warning
    assert "192.0.2.1 is not an address of this machine" in error
    assert "Traceback" not in result.stderr


def test_no_warning_on_loopback(vault: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = _serve(str(vault), "--host", "127.0.0.1", "--port", str(taken.getsockname()[1]))
    assert result.returncode == 1
    assert "warning" not in result.stderr


def test_missing_vault_is_a_plain_error(tmp_path: Path) -> None:
    result = _serve(str(tmp_path / "nowhere"), "--port", str(_free_port()))
    assert result.returncode == 1
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.stderr


def _handshake(url: str, host: str, origin: str | None) -> int:
    """Status of a websocket handshake to ``url``'s /ws with the given Host and Origin."""
    port = int(url.rsplit(":", 1)[1].strip("/"))
    headers = {
        "Host": host,
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "cmVhZGVybHktdGVzdC0xNg==",
        "Sec-WebSocket-Version": "13",
    }
    if origin is not None:
        headers["Origin"] = origin
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/ws", headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


def test_other_sites_cannot_open_a_reader(server: tuple[str, Path]) -> None:
    url, _ = server
    own = url.rstrip("/").removeprefix("http://")
    # A page on another site that the browser is showing at the same time.
    assert _handshake(url, own, "https://evil.example") == 403
    # A different origin on this same machine is still another site.
    assert _handshake(url, own, f"http://localhost:{own.rsplit(':', 1)[1]}") == 403
    # DNS rebinding: the attacker's name now points at 127.0.0.1, so Origin matches Host.
    rebound = f"evil.example:{own.rsplit(':', 1)[1]}"
    assert _handshake(url, rebound, f"http://{rebound}") == 403
    # A sandboxed frame or a file sends the opaque origin "null".
    assert _handshake(url, own, "null") == 403
    # The same request from the server's own page is accepted.
    assert _handshake(url, own, f"http://{own}") == 101
