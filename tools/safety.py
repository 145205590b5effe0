"""The "nothing injected" harness for ``make stress``: hostile notes through the loader and
through the real program, counting what reached the terminal.

``run(long)`` writes the hostile vault, loads every note (and, when ``long``, many fuzzed
ones), then runs readerly on a pseudo-terminal, opens every note, follows the hostile links
and records every byte the program writes. Anything in that stream a terminal would act on
beyond drawing (OSC, DCS, APC, PM, SOS strings, C1 controls, BEL, resets, reports, clears)
counts as a control character that reached the terminal.

``python -m tools.safety [--long]`` prints the figures.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from tests.security.fuzz import unsafe_fields
from tests.security.session import LINKS_TO_FOLLOW, Layout, follows_links, opens_source
from tui.text.urls import web_url
from tui.vault.loader import build_note, display_body, parse_bytes

WIDTH, HEIGHT = 120, 36

# What a terminal acts on beyond drawing. The program itself draws with SGR and cursor
# positions, sets and resets private modes (alternate screen, mouse, paste, focus, sync
# output), asks which of those the terminal supports (DECRQM), pushes and pops the kitty
# keyboard mode, resets the mouse pointer shape (OSC 22) and, when a person copies a link,
# sends it with OSC 52. Everything else counts.
_OSC = re.compile(rb"\x1b\](\d*);?([^\x07\x1b]*)(?:\x07|\x1b\\)?")
_STRINGS = re.compile(rb"\x1b[P_^X]")
_CSI = re.compile(rb"\x1b\[([0-?]*)([ -/]*)([@-~])")
_OTHER_ESC = re.compile(rb"\x1b[^\[\]P_^X]")
# C1 as characters, or as raw bytes that are not part of UTF-8 (a non-UTF-8 terminal acts on
# those): surrogateescape turns such a byte b into U+DC00+b.
_C1 = re.compile("[\x80-\x9f\udc80-\udc9f]")
_DRAWING_FINALS = frozenset(b"mH")
_OWN_CSI = re.compile(rb"\?\d+[hl]|\?\d+\$p|>\d+u|<u")
_POINTER = re.compile(rb"[a-z-]+")


def _own_osc(number: bytes, payload: bytes) -> bool:
    if number == b"22":
        return _POINTER.fullmatch(payload) is not None
    if number != b"52":
        return False
    _, _, data = payload.partition(b";")
    try:
        text = base64.b64decode(data, validate=True).decode("utf-8")
    except ValueError:
        return False
    return web_url(text) == text


def count_injected(stream: bytes) -> dict[str, int]:
    """Count, by kind, what in ``stream`` a terminal would act on beyond the program's own
    drawing: OSC/DCS/APC/PM/SOS strings, other CSI (clears, reports, moves), other escapes
    (resets), C1 controls and bells."""
    counts = {"osc": 0, "string": 0, "csi": 0, "esc": 0, "c1": 0, "bel": 0}
    bels_in_osc = 0
    for m in _OSC.finditer(stream):
        bels_in_osc += m.group(0).endswith(b"\x07")
        counts["osc"] += not _own_osc(m.group(1), m.group(2))
    counts["string"] = len(_STRINGS.findall(stream))
    for m in _CSI.finditer(stream):
        params, mid, final = m.groups()
        if not mid and final[0] in _DRAWING_FINALS and not params.startswith((b"?", b">", b"<")):
            continue
        counts["csi"] += _OWN_CSI.fullmatch(params + mid + final) is None
    counts["esc"] = len(_OTHER_ESC.findall(stream))
    counts["c1"] = len(_C1.findall(stream.decode("utf-8", "surrogateescape")))
    counts["bel"] = stream.count(b"\x07") - bels_in_osc
    return counts


def load_inputs(layout: Layout, long: bool) -> tuple[int, list[str]]:
    """Load every hostile file (and fuzzed ones when ``long``); returns (tried, problems)."""
    problems: list[str] = []
    tried = 0
    samples: list[bytes] = [p.read_bytes() for p in sorted(layout.vault.glob("*.md")) if p.is_file()
                            and not p.is_symlink()]  # fmt: skip
    if long:
        from hypothesis import HealthCheck, given, settings

        from tests.security.fuzz import note_bytes

        @settings(max_examples=5000, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(note_bytes)
        def collect(data: bytes) -> None:
            samples.append(data)

        collect()
    for data in samples:
        tried += 1
        try:
            parsed = parse_bytes(data)
            note = build_note(parsed, "note.md", mtime=0.0, size=len(data))
            bad = unsafe_fields(note, display_body(parsed, note))
        except Exception as exc:  # the loader must never raise: count it, don't stop
            bad = [f"raised {type(exc).__name__}: {exc}"]
        problems += bad
    return tried, problems


class Recorder:
    """readerly on a pseudo-terminal: send keys, read everything it writes."""

    def __init__(self, layout: Layout) -> None:
        """Start the audited program on a new pseudo-terminal of WIDTH x HEIGHT."""
        self.output = bytearray()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            os.chdir(layout.cwd)
            argv = layout.argv()
            env = {**layout.env(), "TERM": "xterm-256color"}
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))

    def pump(self, seconds: float) -> None:
        """Read output for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk

    def wait_for(self, text: str, timeout: float = 20.0) -> bool:
        """Read until ``text`` has been drawn (after the last call), or the timeout."""
        start = len(self.output)
        needle = text.encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output[start:]:
                return True
            self.pump(0.05)
        return False

    def keys(self, *keys: bytes, pause: float = 0.05) -> None:
        """Type ``keys``, reading output in between."""
        for key in keys:
            os.write(self.fd, key)
            self.pump(pause)

    def stop(self) -> None:
        """End the program (q, then a signal if it lingers)."""
        self.keys(b"\x1b", pause=0.3)
        self.keys(b"q", pause=0.5)
        for _ in range(40):
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            self.pump(0.1)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self.pump(0.1)
        os.close(self.fd)


def drive(layout: Layout) -> tuple[bytes, list[str]]:
    """Open every note in the real program, follow the hostile links; returns (stream, problems)."""
    problems: list[str] = []
    order = layout.walk_order()
    total = len(order)
    rec = Recorder(layout)
    try:
        if not rec.wait_for(f"{total} shown, {total} unread", timeout=30):
            problems.append("the program did not show the vault")
        rec.keys(b"g", b"\r")
        for opened, note in enumerate(order, start=1):
            if opened > 1:
                rec.keys(b"n")
            if not rec.wait_for(f"{total - opened} unread"):
                problems.append(f"{note.path}: did not open")
            if follows_links(note):
                for number in range(1, LINKS_TO_FOLLOW + 1):
                    rec.keys(b"l", *(d.encode() for d in str(number)), b"\r", pause=0.02)
            if opens_source(note):
                rec.keys(b"o")
        rec.pump(0.3)
    finally:
        rec.stop()
    return bytes(rec.output), problems


FUZZ_EXAMPLES_LONG = 2000


def fuzz_suite(examples: int) -> tuple[int, list[str]]:
    """The loader fuzz tests at ``examples`` per property, in a child pytest; (tried, problems)."""
    env = {**os.environ, "READERLY_FUZZ_EXAMPLES": str(examples)}
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/security/test_fuzz_loader.py", "tests/security/test_url_gate.py", "-k", "not app"],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    # Three loader properties and two URL properties at `examples`, the vault one at 0.3x.
    tried = examples * 5 + int(examples * 0.3)
    if done.returncode == 0:
        return tried, []
    return tried, [line for line in done.stdout.splitlines() if line.startswith("FAILED")] or [
        done.stdout[-2000:]
    ]


def run(long: bool) -> dict[str, int]:
    """Run the hostile vault through the loader and the real program; return the figures.

    ``hostile_inputs_tried``: files loaded (hostile vault, plus fuzzed ones and the fuzz
    tests at ``FUZZ_EXAMPLES_LONG`` examples when ``long``) and the vault's files, names and
    links opened in the program. ``control_chars_reached_terminal``
    must be 0. ``loader_problems`` and ``program_problems`` must be 0 too.
    """
    with tempfile.TemporaryDirectory(prefix="readerly-safety-") as work:
        layout = Layout(Path(work))
        tried, loader_problems = load_inputs(layout, long)
        if long:
            fuzzed, problems = fuzz_suite(FUZZ_EXAMPLES_LONG)
            tried += fuzzed
            loader_problems += problems
        rounds = 3 if long else 1
        reached = 0
        program_problems: list[str] = []
        for _ in range(rounds):
            layout.state.unlink(missing_ok=True)
            for extra in layout.state.parent.glob("state.json*"):
                extra.unlink()
            stream, problems = drive(layout)
            counts = count_injected(stream)
            reached += sum(counts.values())
            program_problems += problems + layout.audit_problems()
            tried += layout.inputs
        for line in (loader_problems + program_problems)[:20]:
            print(f"  safety: {line}")
        return {
            "hostile_inputs_tried": tried,
            "control_chars_reached_terminal": reached,
            "loader_problems": len(loader_problems),
            "program_problems": len(program_problems),
        }


def main() -> int:
    """Print the figures; exit 1 unless every must-be-zero figure is 0."""
    parser = argparse.ArgumentParser(prog="python -m tools.safety", description=__doc__)
    parser.add_argument("--long", action="store_true", help="the make stress sizes")
    figures = run(long=parser.parse_args().long)
    for name, value in figures.items():
        print(f"{name:32} {value}")
    bad = [k for k, v in figures.items() if k != "hostile_inputs_tried" and v]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
