"""Web mode: ``readerly serve`` runs the reader behind textual-serve for a browser."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from textual_serve.server import Server

from tui.config import resolve_vault
from tui.state import default_state_path

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def command_for(vault: Path, state: Path) -> str:
    """The command each browser session runs: this Python, this vault, this state file."""
    argv = [sys.executable, "-m", "tui", "open", str(vault), "--state", str(state)]
    return " ".join(shlex.quote(a) for a in argv)


def serve(args: argparse.Namespace) -> None:
    """Serve the reader on ``args.host:args.port`` until interrupted."""
    vault = resolve_vault(getattr(args, "path", None) or args.vault).resolve()
    if not vault.is_dir():
        raise FileNotFoundError(f"vault folder not found: {vault}")
    state = (Path(args.state).expanduser() if args.state else default_state_path()).resolve()
    if args.host not in LOOPBACK:
        print(
            f"readerly: warning: serving on {args.host}, reachable from other machines; "
            "anyone who can reach it can read and change your notes' state",
            file=sys.stderr,
        )
    Server(command_for(vault, state), host=args.host, port=args.port, title="readerly").serve()
