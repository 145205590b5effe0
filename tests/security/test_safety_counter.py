"""The safety run's counter: it sees every hostile sequence, and not the program's own drawing."""

from __future__ import annotations

import base64

import pytest

from tests.security.hostile import SEQUENCES
from tools.safety import count_injected

OWN_DRAWING = (
    b"\x1b[?1049h\x1b[?1000h\x1b[?2026$p\x1b[>1u\x1b[1;1H\x1b[38;2;10;20;30;48;5;1mtext\x1b[0m"
    b"\x1b]22;default\x07\x1b[<u\x1b[?1049l"
)


@pytest.mark.parametrize("kind", sorted(k for k in SEQUENCES if k != "bidi"))
def test_every_hostile_sequence_is_counted(kind: str) -> None:
    raw = SEQUENCES[kind].encode("utf-8")
    assert sum(count_injected(OWN_DRAWING + raw).values()) > 0
    if kind.startswith("c1"):
        assert count_injected(raw)["c1"] > 0  # as UTF-8 characters
        assert count_injected(SEQUENCES[kind].encode("latin-1"))["c1"] > 0  # as raw bytes


def test_the_programs_own_drawing_is_not_counted() -> None:
    url = base64.b64encode(b"https://example.com/a").decode()
    copy = f"\x1b]52;c;{url}\x07".encode()
    assert sum(count_injected(OWN_DRAWING + copy).values()) == 0


def test_a_copied_non_web_text_is_counted() -> None:
    payload = base64.b64encode(b"rm -rf ~").decode()
    assert count_injected(f"\x1b]52;c;{payload}\x07".encode())["osc"] == 1
