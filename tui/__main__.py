"""Entry point for ``python -m tui``."""

import sys

from tui.cli.main import main

# Guarded: worker processes that read notes import this module again, and must not run it.
if __name__ == "__main__":
    sys.exit(main())
