"""Opt-in background prefetch (``[fetch] prefetch = true``): the unread notes' sources.

Runs in one thread worker after the vault is indexed, through the same polite batch as
``readerly fetch`` (four at once, one per host); pages already cached are not asked for
again. Stops when the app closes. It says only once, at the end, how it went.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.vault.index import Vault

if TYPE_CHECKING:
    from tui.fetch.errors import FetchError
    from tui.fetch.service import Fetched
    from tui.ui.app import ReaderApp

LIMIT = 200  # newest unread notes first; a huge vault is for `readerly fetch` in cron


def prefetch(app: ReaderApp, vault: Vault) -> None:
    """Start fetching, in the background, the sources of the newest unread notes."""
    store = app.store
    notes = [n for n in vault.notes if n.source and store.status(n) == "unread"]
    notes.sort(key=lambda n: n.date, reverse=True)
    urls = list(dict.fromkeys(n.source for n in notes))

    def work() -> None:
        from tui.fetch.batch import fetch_many
        from tui.text.urls import web_url

        fetcher = app.fetcher()
        todo = [u for u in urls if web_url(u) and fetcher.cache.get(u, touch=False) is None]
        todo = todo[:LIMIT]
        failed: list[str] = []

        def done(url: str, result: Fetched | FetchError) -> None:
            if not hasattr(result, "article"):
                failed.append(url)

        fetch_many(fetcher, todo, done, stop=app.stop_prefetch)
        if todo and not app.stop_prefetch.is_set():
            text = f"Prefetched {len(todo) - len(failed)} of {len(todo)} full articles"
            app.call_from_thread(app.notify, text, markup=False)

    app.run_worker(work, thread=True, group="prefetch", exit_on_error=False)
