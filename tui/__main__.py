"""Entry point for ``python -m tui``."""

import sys

from tui.cli.main import main

sys.exit(main())
