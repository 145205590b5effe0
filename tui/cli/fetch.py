"""``readerly fetch`` (sources into the article cache) and ``readerly show NOTE --full``.

At most four pages are fetched at once and one at a time from each host, so a cron job
prefetching ``is:unread rel:high`` is gentle with the sites it reads. Results go to stdout,
failures and the progress bar to stderr (the bar only on a terminal).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from tui.cli.errors import Failure, UsageError
from tui.cli.notes import _find, open_store, open_vault, settings_for
from tui.cli.output import out, warn
from tui.config.settings import Settings
from tui.query.query import parse_query, run_query
from tui.text.notes import Note

if TYPE_CHECKING:
    from tui.fetch.service import Fetched, FetchError

BAR = 24


def add_fetch_parser(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """Register ``readerly fetch``."""
    p = sub.add_parser("fetch", parents=[common], help="fetch notes' sources into the cache")
    p.add_argument("notes", nargs="*", metavar="NOTE", help="vault-relative paths or ids")
    p.add_argument("--query", "-q", metavar="Q", help="every note matching, e.g. 'is:unread'")
    p.add_argument("--refresh", action="store_true", help="revalidate pages already cached")


class _Progress:
    """A one-line bar on stderr, redrawn as fetches finish; silent when stderr is no terminal."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.on = sys.stderr.isatty() and total > 1
        self.lock = threading.Lock()

    def line(self, text: str, *, error: bool = False) -> None:
        with self.lock:
            if self.on:
                sys.stderr.write("\r\x1b[K")
            if error:
                warn(text)
            else:
                out(text)
                sys.stdout.flush()
            self.done += 1
            self._draw()

    def _draw(self) -> None:
        if not self.on:
            return
        filled = BAR * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (BAR - filled)
        end = "\n" if self.done >= self.total else ""
        sys.stderr.write(f"\rfetching [{bar}] {self.done}/{self.total}{end}")
        sys.stderr.flush()


def _targets(args: argparse.Namespace, settings: Settings) -> tuple[list[Note], list[Note]]:
    """(notes with a source, notes without one) that the command line names."""
    vault = open_vault(args, settings)
    if args.query is not None:
        if args.notes:
            raise UsageError("give notes or --query, not both")
        store = open_store(settings)
        store.reconcile(vault.notes)
        query = parse_query(args.query, vault.scale)
        for problem in query.problems:
            warn(problem)
        search = vault if query.has_text else None
        state = store.snapshot()
        indices = run_query(vault.notes, state, query, search=search, scale=vault.scale)
        notes = [vault.notes[i] for i in indices]
    elif args.notes:
        notes = [_find(vault, key) for key in args.notes]
    else:
        raise UsageError("give one or more notes, or --query Q (e.g. 'is:unread rel:high')")
    with_source = [n for n in notes if n.source]
    return with_source, [n for n in notes if not n.source]


def _describe(path: str, got: Fetched) -> str:
    words = len(got.article.markdown.split())
    what = {"network": "fetched", "cache": "cached", "revalidated": "still fresh"}[got.origin]
    return f"{what:<11} {path}  ({words} words) {got.article.title}"


def cmd_fetch(args: argparse.Namespace) -> None:
    """Fetch the sources of the notes named (or matching ``--query``) into the cache."""
    # The HTTP stack is imported when a page is fetched, not by every command.
    from tui.fetch.batch import fetch_many
    from tui.fetch.service import Fetcher, FetchError

    settings = settings_for(args)
    notes, sourceless = _targets(args, settings)
    for note in sourceless:
        warn(f"{note.path}: no source URL; skipped")
    fetcher = Fetcher(settings.fetch)
    progress = _Progress(len(notes))
    failed: list[str] = []
    paths: dict[str, list[str]] = {}
    for note in notes:
        paths.setdefault(note.source, []).append(note.path)

    def done(url: str, result: Fetched | FetchError) -> None:
        for path in paths[url]:
            if isinstance(result, FetchError):
                failed.append(path)
                progress.line(f"{path}: {result}", error=True)
            else:
                progress.line(_describe(path, result))

    start = time.monotonic()
    fetch_many(fetcher, list(paths), done, refresh=args.refresh, stop=threading.Event())
    if len(notes) > 1:
        seconds = time.monotonic() - start
        warn(f"{len(notes) - len(failed)} of {len(notes)} sources ready in {seconds:.1f} s")
    if failed:
        raise Failure(f"{len(failed)} of {len(notes)} sources could not be fetched")


def cmd_show_full(args: argparse.Namespace) -> None:
    """Print a note's fetched article (fetched now when it is not in the cache yet)."""
    from tui.fetch.service import Fetcher, FetchError

    settings = settings_for(args)
    vault = open_vault(args, settings)
    note = _find(vault, args.note)
    if not note.source:
        raise Failure(f"{note.path}: no source URL to fetch")
    fetcher = Fetcher(settings.fetch)
    try:
        got = fetcher.fetch(note.source)
    except FetchError as exc:
        raise Failure(f"{note.path}: {exc}") from None
    article = got.article
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(article.fetched_at))
    for label, value in (
        ("Title", article.title or note.title),
        ("Author", article.author),
        ("Date", article.date),
        ("Source", article.final_url),
        ("Fetched", f"{when} ({'from the cache' if got.origin == 'cache' else 'just now'})"),
        ("Note", note.path),
    ):
        if value:
            out(f"{label + ':':<11}{value}")
    out("")
    out(article.markdown.rstrip("\n"))
