"""Fuzzed state files: whatever a state file, its journal or a conflict copy holds, the store
opens without a traceback, reads only well-typed values, and the next change keeps every
valid field it did not touch."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.state.record import FIELDS
from tui.state.store import StateError, StateStore
from tui.text.notes import STATUSES, Note

HOSTILE_TEXT = st.sampled_from(
    ["read", "high", "", "\x1b]0;PWNED\x07", "\u202e", "\ud800", "x" * 300]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
    st.text(max_size=20),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELD_VALUES = st.one_of(SCALARS, st.sampled_from([*STATUSES, True, False, 1.5, "low"]))
DOCS = st.fixed_dictionaries(
    {},
    optional={
        "path": JSONISH,
        "source": JSONISH,
        "fingerprint": JSONISH,
        "status": FIELD_VALUES,
        "starred": FIELD_VALUES,
        "relevance": FIELD_VALUES,
        "position": FIELD_VALUES,
        "stamps": st.one_of(JSONISH, st.dictionaries(st.sampled_from(FIELDS), SCALARS)),
        "by": st.one_of(JSONISH, st.dictionaries(st.sampled_from(FIELDS), HOSTILE_TEXT)),
        "seen": SCALARS,
    },
)
TREES = st.one_of(
    JSONISH,
    st.fixed_dictionaries({"notes": st.dictionaries(st.sampled_from(["id-1", "id-2", "x"]), DOCS)}),
    st.fixed_dictionaries({"notes": JSONISH, "meta": JSONISH}),
)


def dump(tree: Any) -> bytes:
    try:
        return orjson.dumps(tree)
    except TypeError:  # integers beyond 64 bits, lone surrogates: what orjson cannot write
        return repr(tree).encode("utf-8", "surrogatepass")


CONTENTS = st.one_of(st.binary(max_size=300), TREES.map(dump))
JOURNALS = st.lists(st.one_of(TREES.map(lambda t: {"notes": t}), TREES).map(dump), max_size=4).map(
    lambda lines: b"\n".join(lines) + (b"\n" if lines else b"")
)
NOTE = Note(id="id-1", path="notes/1.md", title="one", date="2024-01-01")


def well_typed(store: StateStore) -> dict[str, dict[str, Any]]:
    records = store.all()
    for rec in records.values():
        assert rec.status is None or rec.status in STATUSES
        assert isinstance(rec.starred, bool)
        assert rec.relevance is None or (isinstance(rec.relevance, str) and rec.relevance)
        assert rec.position is None or (isinstance(rec.position, float) and rec.position >= 0)
        assert all(isinstance(v, float) for v in rec.stamps.values())
        assert isinstance(rec.path, str) and isinstance(rec.source, str)
    return {k: v.to_doc() for k, v in records.items()}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    snapshot=CONTENTS, journal=st.one_of(st.none(), JOURNALS), copy=st.one_of(st.none(), CONTENTS)
)
def test_any_state_files_open_and_the_next_change_keeps_the_rest(
    snapshot: bytes, journal: bytes | None, copy: bytes | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        path.write_bytes(snapshot)
        if journal is not None:
            path.with_name("state.json.journal").write_bytes(journal)
        if copy is not None:
            path.with_name("state.sync-conflict-20260102-101112-ABCDEF7.json").write_bytes(copy)
        with StateStore(path) as store:
            before = well_typed(store)
            assert all(isinstance(m, str) and "\n" not in m.strip() for m in store.messages)
            try:
                store.update(NOTE, position=7.0)
            except StateError:
                assert store.read_only
                return
        with StateStore(path) as store:
            after = well_typed(store)
        for note_id, doc in before.items():
            kept = after.get(note_id)
            assert kept is not None, note_id
            for name in FIELDS:
                if name in doc and not (note_id == NOTE.id and name == "position"):
                    assert kept.get(name) == doc[name], (note_id, name)
        assert after[NOTE.id]["position"] == 7.0
