"""Entry point for ``python -m tui``."""

import sys

from tui.cli import main

sys.exit(main())
