"""Writers killed mid-run, or stopped dead at chosen points: no acknowledged change is lost.

These are the quick versions; ``make stress`` runs the same harnesses with 100+ kills.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.durability.crash import inject_crashes, kill_app, kill_cli
from tests.durability.faults import POINTS
from tests.durability.ledger import Ledger
from tui.state.store import StateStore
from tui.text.notes import Note


def test_the_ledger_notices_a_lost_or_damaged_change(tmp_path: Path) -> None:
    # The checks below are only worth something if the checker can fail.
    state = tmp_path / "state.json"
    note = Note(id="n1", path="n1.md", title="n1", date="2026-01-01")
    ledger = Ledger()
    ledger.tried("n1", {"starred": True})
    with StateStore(state) as store:
        store.update(note, starred=True)
    ledger.ack("n1", {"starred": True})
    assert ledger.check(state) == []
    ledger.tried("n1", {"relevance": "low"})  # tried, never acknowledged: either is fine
    assert ledger.check(state) == []
    state.write_bytes(orjson.dumps({"notes": {"n1": {"starred": False}}}))
    assert ledger.check(state) == ["n1.starred is False, expected one of [True]"]
    state.write_bytes(b'{"notes": {')
    assert ledger.check(state)[0].startswith("damaged: state.json does not parse")


def test_the_ledger_starts_from_what_is_on_disk(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with StateStore(state) as store:
        store.update(Note(id="n1", path="n1.md", title="n1", date="2026-01-01"), status="read")
    ledger = Ledger()
    ledger.start_from(state)
    ledger.tried("n1", {"status": "archived"})  # killed before it wrote anything
    assert ledger.check(state) == []
    assert ledger.acked[("n1", "status")] == "read"


def test_sigkilled_cli_writers_lose_no_acknowledged_change(tmp_path: Path) -> None:
    report = kill_cli(tmp_path, kills=10, seed=7)
    assert report.kills >= 10
    assert report.acknowledged >= 1
    assert report.lost == []
    assert report.problems == []


def test_a_sigkilled_app_loses_no_acknowledged_change(tmp_path: Path) -> None:
    report = kill_app(tmp_path, kills=3, seed=7)
    assert report.kills == 3
    assert report.acknowledged >= 1  # the app had made changes before it was killed
    assert report.lost == []
    assert report.problems == []


def test_a_writer_stopped_at_any_point_of_a_write_loses_nothing(tmp_path: Path) -> None:
    report = inject_crashes(tmp_path, rounds=1, seed=7, app=False)
    assert report.kills == len(POINTS)  # every point was reached
    assert report.lost == []
    assert report.problems == []


@pytest.mark.parametrize("point", ["append-torn", "snapshot-unrenamed"])
def test_the_app_stopped_inside_a_write_loses_nothing(tmp_path: Path, point: str) -> None:
    report = inject_crashes(tmp_path, rounds=0, seed=7, points=(point,))
    assert report.kills == 1
    assert report.lost == []
    assert report.problems == []
