"""The ``readerly`` command: open the reader, or list/show/mark/stats/config for scripts.

Exit codes: 0 success, 1 a failure (vault missing, note not found, state not writable),
2 bad usage, 130 interrupted. Errors and warnings go to stderr, so stdout stays clean for
pipes and ``--json``; a bad config file is only ever a warning. Nothing produces a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tui import __version__
from tui.cli.app_commands import cmd_config, cmd_keys, cmd_open, cmd_serve
from tui.cli.errors import Failure, UsageError
from tui.cli.fetch import add_fetch_parser, cmd_fetch, cmd_show_full
from tui.cli.notes import SORTS, close_stores, cmd_list, cmd_mark, cmd_show, cmd_stats
from tui.cli.output import SafeArgumentParser, describe_os_error, warn
from tui.cli.search_commands import add_parsers as add_search_parsers
from tui.cli.search_commands import cmd_index, cmd_similar
from tui.state.store import StateError

__all__ = ["Failure", "UsageError", "main", "parse_args"]

COMMANDS = (
    "list",
    "show",
    "mark",
    "stats",
    "index",
    "similar",
    "keys",
    "serve",
    "open",
    "config",
    "fetch",
)
VALUED = ("--vault", "--state", "--config")


def _common(top: bool) -> SafeArgumentParser:
    # The same options are accepted before and after the command; after it they must not
    # reset what was given before it, so there they default to "not given" (SUPPRESS).
    unset = None if top else argparse.SUPPRESS
    common = SafeArgumentParser(add_help=False)
    add = common.add_argument
    add("--vault", metavar="PATH", default=unset, help="vault folder (else $READERLY_VAULT)")
    add("--state", metavar="PATH", default=unset, help="state file (else $READERLY_STATE)")
    add("--config", metavar="PATH", default=unset, help="config file (else $READERLY_CONFIG)")
    add("--no-cache", action="store_true", default=False if top else unset, help="no cache")
    return common


def _parser() -> SafeArgumentParser:
    parser = SafeArgumentParser(
        prog="readerly",
        description="A keyboard-first terminal reader for a folder of Markdown notes.",
        epilog="Exit status: 0 ok, 1 failure, 2 bad usage, 130 interrupted. "
        "Settings in effect: readerly config show.",
        parents=[_common(True)],
    )
    common = _common(False)
    parser.add_argument("--version", action="version", version=f"readerly {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_open = sub.add_parser("open", parents=[common], help="open the reader (the default)")
    p_open.add_argument("path", nargs="?", metavar="VAULT")
    p_list = sub.add_parser("list", parents=[common], help="list notes")
    p_list.add_argument("--json", action="store_true", help="JSON array for scripts")
    p_list.add_argument(
        "--query", "-q", default="", metavar="Q", help="e.g. 'tag:python is:unread'"
    )
    p_list.add_argument(
        "--sort", choices=SORTS, default="date", help="rank: best match first (with words)"
    )
    p_show = sub.add_parser("show", parents=[common], help="print a cleaned note")
    p_show.add_argument("note", metavar="NOTE", help="vault-relative path or id")
    p_show.add_argument("--full", action="store_true", help="the fetched article of its source")
    p_show.add_argument(
        "--rendered",
        action="store_true",
        help="lay the note out as the article pane does (colour only on a terminal)",
    )
    p_show.add_argument(
        "--width", type=int, default=None, metavar="N", help="columns for --rendered"
    )
    p_mark = sub.add_parser("mark", parents=[common], help="change a note's read state")
    p_mark.add_argument("note", metavar="NOTE", help="vault-relative path or id")
    status = p_mark.add_mutually_exclusive_group()
    for flag, value in (("--read", "read"), ("--unread", "unread"), ("--archive", "archived")):
        status.add_argument(flag, dest="status", action="store_const", const=value)
    star = p_mark.add_mutually_exclusive_group()
    star.add_argument("--star", dest="starred", action="store_const", const=True)
    star.add_argument("--unstar", dest="starred", action="store_const", const=False)
    p_mark.add_argument(
        "--relevance", metavar="R", help="high|medium|low, 3/2/1, a symbol, or none"
    )
    p_stats = sub.add_parser("stats", parents=[common], help="counts by status, relevance, domain")
    p_stats.add_argument("--json", action="store_true")
    add_search_parsers(sub, common)
    p_keys = sub.add_parser("keys", parents=[common], help="print the key table as Markdown")
    p_keys.add_argument("--ids", action="store_true", help="binding ids for [keymap] instead")
    p_config = sub.add_parser("config", parents=[common], help="where the config is, what it says")
    what = p_config.add_subparsers(dest="config_command", metavar="WHAT", required=True)
    what.add_parser("path", parents=[common], help="print the config file's path")
    what.add_parser("show", parents=[common], help="print the settings in effect, as TOML")
    add_fetch_parser(sub, common)
    p_serve = sub.add_parser("serve", parents=[common], help="serve the reader to a web browser")
    p_serve.add_argument("path", nargs="?", metavar="VAULT")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p_serve.add_argument(
        "--allow-host",
        action="append",
        metavar="NAME",
        help="a host name browsers use to reach this server (repeatable; needed with "
        "--host 0.0.0.0); requests naming any other host are refused",
    )
    return parser


def _split_argv(argv: list[str]) -> list[str]:
    """``readerly VAULT`` is short for ``readerly open VAULT``."""
    skip_next = False
    for arg in argv:
        if arg in ("-h", "--help", "--version"):
            return argv
        if skip_next or arg.startswith("-"):
            skip_next = not skip_next and arg in VALUED
            continue
        return argv if arg in COMMANDS else ["open", *argv]
    return [*argv, "open"]


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse a command line as :func:`main` does; SystemExit on bad usage."""
    return _parser().parse_args(_split_argv(list(argv)))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    handlers: dict[str, Callable[[argparse.Namespace], None]] = {
        "list": cmd_list,
        "show": lambda args: (cmd_show_full if args.full else cmd_show)(args),
        "mark": cmd_mark,
        "stats": cmd_stats,
        "index": cmd_index,
        "similar": cmd_similar,
        "keys": cmd_keys,
        "serve": cmd_serve,
        "open": cmd_open,
        "config": cmd_config,
        "fetch": cmd_fetch,
    }
    try:
        handlers[args.command](args)
    except UsageError as exc:
        warn(str(exc))
        return 2
    except (Failure, StateError) as exc:
        warn(str(exc))
        return 1
    except BrokenPipeError:
        # `readerly list | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # Whatever the file system said (a name too long, a folder that is a file, no
        # permission, a full disk), it is one line naming the file, not a traceback.
        warn(describe_os_error(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        close_stores()
    return 0
