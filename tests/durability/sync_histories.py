"""Random histories of two or three machines sharing one reading state through a sync engine.

Each machine has its own folder holding ``state.json`` and its journal, and its own device.
It changes notes offline (status, star, relevance, position, and undo of its last change),
sometimes through a store kept open the way the reader keeps one, sometimes through one-off
commands. Now and then a sync engine carries the files between two machines the way
Syncthing does: a file changed on one side only is copied whole over the other (atomically);
a file changed on both sides since they last agreed is a conflict, and the losing version is
kept beside the file as ``state.sync-conflict-….json``. Versions are told apart by version
vectors, as Syncthing does, so no sync silently overwrites a change it has not seen.

At the end every machine closes its store, and the machines open and sync until they agree.
They must agree, and agree with per-field last-writer-wins over every change made: for each
note and field, the value of the change with the latest (time, device) stamp. A field some
change set and that is missing at the end is a lost field.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tui.state.device import Device
from tui.state.record import Record
from tui.state.store import StateStore
from tui.text.notes import Note

FILES = ("state.json", "state.json.journal")
NOTES = [
    Note(id=f"n{i}", path=f"notes/n{i}.md", title=f"n{i}", date="2026-01-01", fingerprint=f"f{i}")
    for i in range(4)
]
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "status": st.sampled_from(["unread", "read", "archived"]),
    "starred": st.booleans(),
    "relevance": st.sampled_from([None, "high", "medium", "low"]),
    "position": st.sampled_from([0.0, 10.0, 55.5]),
}
SETTLE_ROUNDS = 12


@dataclass
class Figures:
    """What the runs tried and found."""

    histories: int = 0
    changes: int = 0
    syncs: int = 0
    conflicts: int = 0
    lost: int = 0  # fields some change set that are missing at the end
    wrong: int = 0  # fields whose final value is not last-writer-wins
    disagreements: int = 0  # histories after which the machines did not agree
    details: list[str] = field(default_factory=list)


FIGURES = Figures()


def conflict_name(name: str, n: int, device: str) -> str:
    """Syncthing's name for the losing version of ``name``."""
    stem, ext = name.rsplit(".", 1)
    return f"{stem}.sync-conflict-20260102-{101112 + n:06d}-{device[:7].upper()}.{ext}"


class Machine:
    """One machine: its folder, device, undo stack, and the store its reader has open."""

    def __init__(self, root: Path, index: int) -> None:
        self.folder = root / f"m{index}"
        self.folder.mkdir()
        self.path = self.folder / "state.json"
        self.device = Device(f"{index:x}" * 16, f"machine {index}")
        self.open: StateStore | None = None
        self.undo: list[tuple[Note, str, object]] = []
        self.known: dict[str, bytes | None] = dict.fromkeys(FILES)  # last seen bytes
        self.vv: dict[str, frozenset[int]] = {name: frozenset() for name in FILES}

    def store(self) -> StateStore:
        return self.open if self.open is not None else StateStore(self.path, device=self.device)

    def done(self, store: StateStore) -> None:
        if store is not self.open:
            store.close()

    def read(self, name: str) -> bytes | None:
        try:
            return (self.folder / name).read_bytes()
        except FileNotFoundError:
            return None


class SyncHistories(RuleBasedStateMachine):
    """See the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="readerly-sync-"))
        self.machines: list[Machine] = []
        self.changes: dict[tuple[str, str], list[tuple[tuple[float, str, bytes], Any]]] = {}
        self.tokens = itertools.count(1)
        self.copies = itertools.count()

    @initialize(count=st.integers(2, 3))
    def machines_start(self, count: int) -> None:
        self.machines = [Machine(self.tmp, i) for i in range(count)]

    def _pick(self, data: st.DataObject) -> Machine:
        return self.machines[data.draw(st.integers(0, len(self.machines) - 1))]

    def _record(self, machine: Machine, note: Note, name: str, rec: Record) -> None:
        value = getattr(rec, name)
        key = (*rec.stamp(name), orjson.dumps(value))
        self.changes.setdefault((note.id, name), []).append((key, value))
        FIGURES.changes += 1

    @rule(data=st.data())
    def change(self, data: st.DataObject) -> None:
        machine = self._pick(data)
        note = data.draw(st.sampled_from(NOTES))
        name = data.draw(st.sampled_from(sorted(VALUES)))
        value = data.draw(VALUES[name])
        store = machine.store()
        try:
            before = store.get(note.id)
            if before is not None and before.has(name):
                machine.undo.append((note, name, getattr(before, name)))
            rec = store.update(note, **{name: value})
            self._record(machine, note, name, rec)
        finally:
            machine.done(store)

    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        machine = self._pick(data)
        if not machine.undo:
            return
        note, name, value = machine.undo.pop()
        if name == "position" and value is None:
            return
        store = machine.store()
        try:
            rec = store.update(note, **{name: value})
            self._record(machine, note, name, rec)
        finally:
            machine.done(store)

    @rule(data=st.data())
    def reader_opens_or_closes(self, data: st.DataObject) -> None:
        machine = self._pick(data)
        if machine.open is None:
            machine.open = StateStore(machine.path, device=machine.device)
        else:
            machine.open.close()
            machine.open = None

    @precondition(lambda self: any(m.open is not None for m in self.machines))
    @rule(data=st.data())
    def reader_polls(self, data: st.DataObject) -> None:
        machine = self._pick(data)
        if machine.open is not None:
            machine.open.poll()

    @rule(data=st.data())
    def sync(self, data: st.DataObject) -> None:
        src = self._pick(data)
        dst = self._pick(data)
        if src is not dst:
            for name in data.draw(st.permutations(FILES)):
                self._sync_file(src, dst, name, data.draw(st.booleans()))

    def _notice_local_changes(self, machine: Machine, name: str) -> None:
        now = machine.read(name)
        if now != machine.known[name]:
            machine.known[name] = now
            machine.vv[name] = machine.vv[name] | {next(self.tokens)}

    def _sync_file(self, src: Machine, dst: Machine, name: str, src_wins: bool) -> None:
        for machine in (src, dst):
            self._notice_local_changes(machine, name)
        theirs, mine = src.vv[name], dst.vv[name]
        if theirs <= mine:
            return  # nothing the destination has not seen
        FIGURES.syncs += 1
        payload = src.read(name)
        if not mine <= theirs:  # both changed since they agreed: a conflict
            FIGURES.conflicts += 1
            loser, loser_device = (dst.read(name), dst) if src_wins else (payload, src)
            if not src_wins:
                payload = dst.read(name)
            if loser is not None:
                copy = conflict_name(name, next(self.copies), loser_device.device.id)
                (dst.folder / copy).write_bytes(loser)
            theirs = theirs | mine | {next(self.tokens)}
        target = dst.folder / name
        if payload is None:
            target.unlink(missing_ok=True)
        else:
            staged = dst.folder / f".syncthing.{name}.tmp"
            staged.write_bytes(payload)
            staged.replace(target)  # delivered whole, as a sync engine does
        dst.known[name], dst.vv[name] = payload, theirs

    def _records(self, machine: Machine) -> dict[str, dict[str, Any]]:
        with StateStore(machine.path, device=machine.device) as store:
            return {k: v.to_doc() for k, v in store.all().items()}

    def teardown(self) -> None:
        try:
            if self.machines:
                self._settle_and_check()
        finally:
            for machine in self.machines:
                if machine.open is not None:
                    machine.open.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _settle_and_check(self) -> None:
        FIGURES.histories += 1
        for machine in self.machines:
            if machine.open is not None:
                machine.open.close()
                machine.open = None
        final: list[dict[str, dict[str, Any]]] = []
        for _ in range(SETTLE_ROUNDS):
            final = [self._records(m) for m in self.machines]  # also merges conflict copies
            for src, dst in itertools.permutations(self.machines, 2):
                for name in FILES:
                    self._sync_file(src, dst, name, src_wins=True)
            final = [self._records(m) for m in self.machines]
            if all(f == final[0] for f in final):
                break
        agreed = all(f == final[0] for f in final)
        if not agreed:
            FIGURES.disagreements += 1
            FIGURES.details.append(f"machines disagree: {final}")
        for (note_id, name), made in self.changes.items():
            for records in final:
                doc = records.get(note_id)
                rec = Record.from_doc(note_id, doc) if doc is not None else None
                if rec is None or not rec.has(name):
                    FIGURES.lost += 1
                    FIGURES.details.append(f"lost {note_id}.{name}")
                    continue
                want = max(made, key=lambda c: c[0])[1]
                if getattr(rec, name) != want:
                    FIGURES.wrong += 1
                    FIGURES.details.append(f"{note_id}.{name} = {getattr(rec, name)!r}, "
                                           f"last writer set {want!r}")  # fmt: skip
        assert agreed, FIGURES.details[-1]
        assert not FIGURES.lost and not FIGURES.wrong, FIGURES.details[:3]

    @invariant()
    def nothing_left_behind(self) -> None:
        for machine in self.machines:
            stray = [p.name for p in machine.folder.iterdir() if p.name.endswith(".tmp")]
            assert not stray, stray


def run(examples: int, steps: int = 30) -> Figures:
    """Run ``examples`` random histories of up to ``steps`` steps; returns the figures."""
    global FIGURES
    FIGURES = Figures()
    run_state_machine_as_test(
        SyncHistories,
        settings=settings(max_examples=examples, stateful_step_count=steps, deadline=None),
    )
    return FIGURES
