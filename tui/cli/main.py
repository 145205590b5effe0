"""The ``readerly`` command: open the reader, or list/show/mark/stats/config for scripts.

Exit codes: 0 success, 1 a failure (vault missing, note not found, state not writable),
2 bad usage, 130 interrupted. Errors and warnings go to stderr, so stdout stays clean for
pipes and ``--json``; a bad config file is only ever a warning. Nothing produces a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tui import __version__
from tui.cli.app_commands import cmd_config, cmd_keys, cmd_open, cmd_serve
from tui.cli.errors import Failure, UsageError
from tui.cli.fetch import add_fetch_parser, cmd_fetch, cmd_show_full
from tui.cli.notes import SORTS, close_stores, cmd_list, cmd_mark, cmd_show, cmd_stats
from tui.cli.output import SafeArgumentParser, describe_os_error, warn
from tui.cli.search_commands import add_parsers as add_search_parsers
from tui.cli.search_commands import cmd_index, cmd_similar
from tui.cli.state_commands import add_state_parser, cmd_state
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
    "state",
    "fetch",
)
VALUED = ("--vault", "--state", "--config")
# Options whose value may itself start with "-" (a negated query: -is:read).
DASH_VALUED = {"-q": "--query", "--query": "--query"}


def _common(top: bool) -> SafeArgumentParser:
    # The same options are accepted before and after the command; after it they must not
    # reset what was given before it, so there they default to "not given" (SUPPRESS).
    unset = None if top else argparse.SUPPRESS
    common = SafeArgumentParser(add_help=False)
    add = common.add_argument
    add("--vault", metavar="PATH", default=unset, help="vault folder (else $READERLY_VAULT)")
    add("--state", metavar="PATH", default=unset, help="state file (else $READERLY_STATE)")
    add("--config", metavar="PATH", default=unset, help="config file (else $READERLY_CONFIG)")
    add(
        "--no-cache",
        action="store_true",
        default=False if top else unset,
        help="read every note afresh instead of from the index cache",
    )
    return common


def _port(text: str) -> int:
    """A TCP port number; anything else is bad usage (exit 2) with a plain message."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{port} is not between 1 and 65535")
    return port


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
    shape = p_list.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON array for scripts")
    shape.add_argument(
        "--ids", action="store_true", help="print only note ids, one a line (for mark -)"
    )
    p_list.add_argument(
        "--query",
        "-q",
        default="",
        metavar="Q",
        help="only notes matching Q, e.g. 'tag:python is:unread' or '-is:read'",
    )
    p_list.add_argument(
        "--sort",
        choices=SORTS,
        default="date",
        help="order of the list (default: newest first; rank: best match first, with words)",
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
    p_mark = sub.add_parser("mark", parents=[common], help="change notes' read state")
    p_mark.add_argument(
        "notes",
        nargs="+",
        metavar="NOTE",
        help="vault-relative paths or ids; - reads ids from stdin, one a line",
    )
    status = p_mark.add_mutually_exclusive_group()
    for flag, value, text in (
        ("--read", "read", "mark the notes read"),
        ("--unread", "unread", "mark the notes unread again"),
        ("--archive", "archived", "archive the notes: hidden until a query asks for them"),
        ("--unarchive", "unarchive", "take archived notes out: back to their earlier status"),
    ):
        status.add_argument(flag, dest="status", action="store_const", const=value, help=text)
    star = p_mark.add_mutually_exclusive_group()
    star.add_argument(
        "--star", dest="starred", action="store_const", const=True, help="star the notes"
    )
    star.add_argument(
        "--unstar", dest="starred", action="store_const", const=False, help="take the star off"
    )
    p_mark.add_argument(
        "--relevance",
        metavar="R",
        help="a level's name, symbol or number (1 is the top level: high), or none",
    )
    p_stats = sub.add_parser("stats", parents=[common], help="counts by status, relevance, domain")
    p_stats.add_argument("--json", action="store_true", help="print one JSON object for scripts")
    add_search_parsers(sub, common)
    p_keys = sub.add_parser("keys", parents=[common], help="print the key table as Markdown")
    p_keys.add_argument("--ids", action="store_true", help="binding ids for [keymap] instead")
    p_config = sub.add_parser("config", parents=[common], help="where the config is, what it says")
    what = p_config.add_subparsers(dest="config_command", metavar="WHAT", required=True)
    what.add_parser("path", parents=[common], help="print the config file's path")
    what.add_parser("show", parents=[common], help="print the settings in effect, as TOML")
    add_state_parser(sub, common)
    add_fetch_parser(sub, common)
    p_serve = sub.add_parser("serve", parents=[common], help="serve the reader to a web browser")
    p_serve.add_argument("path", nargs="?", metavar="VAULT")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    p_serve.add_argument(
        "--port", type=_port, default=8000, help="port to listen on, 1-65535 (default 8000)"
    )
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
        if arg not in COMMANDS:
            _not_a_command(arg)
            return ["open", *argv]
        return argv
    return [*argv, "open"]


def _not_a_command(word: str) -> None:
    """A word that is no folder but is spelled like a command is a typo, not a vault."""
    try:
        if "/" in word or Path(word).expanduser().exists():
            return
    except OSError:
        return  # a name the system refuses (too long): the vault check says so
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    if close:
        raise UsageError(
            f"unknown command {word!r} (did you mean {close[0]!r}?); commands: "
            f"{', '.join(COMMANDS)}. A vault folder must exist."
        )


def _join_dash_values(argv: list[str]) -> list[str]:
    """``-q '-is:read'``: a query may start with ``-``, which argparse takes for an option.

    The value after ``-q``/``--query`` is joined to it (``--query=-is:read``) unless it is
    one of readerly's own options, so the README's negation example works as written.
    """
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if (
            arg in DASH_VALUED
            and nxt
            and nxt.startswith("-")
            and not nxt.startswith("--")
            and nxt not in ("-h", "-q")
        ):
            out.append(f"{DASH_VALUED[arg]}={nxt}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse a command line as :func:`main` does; SystemExit on bad usage.

    A mistyped command raises :class:`UsageError` rather than passing for a vault name.
    """
    return _parser().parse_args(_split_argv(_join_dash_values(list(argv))))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    except UsageError as exc:
        warn(str(exc))
        return 2
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
        "state": cmd_state,
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
