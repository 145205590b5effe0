"""``python -m tests.durability.cli_driver ARGS``: the real ``readerly`` CLI, with faults.

Faults come from ``$READERLY_FAULTS`` (see ``faults``). Just before the store starts a
change the driver writes ``@write`` to stderr, so a harness can aim a kill at the write.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.durability import faults
from tui.cli import main as cli
from tui.config.paths import default_state_path
from tui.state.store import Record, StateStore
from tui.text.notes import Note

WRITE_MARK = "@write"


def _announce_writes() -> None:
    real = StateStore.update_many

    def update_many(
        self: StateStore, changes: Sequence[tuple[Note, Mapping[str, object]]]
    ) -> list[Record]:
        sys.stderr.write(WRITE_MARK + "\n")
        sys.stderr.flush()
        return real(self, changes)

    StateStore.update_many = update_many  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    """Run the CLI on ``argv`` with the faults of the environment installed."""
    state = Path(argv[argv.index("--state") + 1]) if "--state" in argv else default_state_path()
    faults.install(state)
    _announce_writes()
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
