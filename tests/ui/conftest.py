"""UI test fixtures: no blinking cursors or animations, so every run draws the same frames."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual import constants
from textual.reactive import reactive
from textual.widgets import Input


@pytest.fixture(autouse=True)
def still_screen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Turn off animations and the input cursor's blink for every UI test."""
    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "none")
    # Every picture as a full-colour terminal draws it, whatever TERM the runner has;
    # the tests of 16 colours and NO_COLOR set their own.
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    steady: reactive[bool] = reactive(False, init=False)
    monkeypatch.setattr(Input, "cursor_blink", steady)
    steady.__set_name__(Input, "cursor_blink")
    yield
