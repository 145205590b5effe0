"""Calling something that might block, with a bound: a hang fails the test, never the suite."""

from __future__ import annotations

import threading
from collections.abc import Callable


def within(seconds: float, call: Callable[[], object]) -> object:
    """``call()``'s result or the exception it raised; fails if it has not returned in time.

    The call runs in a daemon thread, so one that never returns is left behind, blocked,
    instead of stopping the test run.
    """
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    return box[0]
