"""Random sync histories of two or three machines converge to per-field last-writer-wins.

The long run (more histories) is ``make stress``; see ``tests.durability.sync_histories``.
"""

from __future__ import annotations

from hypothesis import settings

from tests.durability import sync_histories

TestSyncHistories = sync_histories.SyncHistories.TestCase
TestSyncHistories.settings = settings(stateful_step_count=25, deadline=None)
