"""Saved searches: ``[views]`` in the config and their live counts."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.unit.test_query import NOTES, SEARCH, STATE, FakeState, ids
from tui.config.checks import MAX_VIEWS
from tui.config.settings import Settings, load_config, settings_toml
from tui.query.views import ViewCounter, views_from
from tui.text.notes import Note


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_views_are_read_in_order(tmp_path: Path) -> None:
    loaded = load_config(
        write(tmp_path, '[views]\ntoday = "is:unread rel:high"\n"to re-read" = "is:starred"\n')
    )
    assert loaded.warnings == []
    assert loaded.settings.views == (("today", "is:unread rel:high"), ("to re-read", "is:starred"))
    assert loaded.settings.source("views") == f"{tmp_path / 'config.toml'}:1"


def test_a_bad_view_costs_only_that_view(tmp_path: Path) -> None:
    path = write(tmp_path, '[views]\ngood = "is:unread"\nbad = 3\nctl = "a\\u001b[31m"\n')
    loaded = load_config(path)
    assert loaded.settings.views == (("good", "is:unread"),)
    assert len(loaded.warnings) == 2
    assert f"{path}:3: views.bad: the query must be a string" in loaded.warnings[0]
    assert "views.ctl: the query must not contain control characters" in loaded.warnings[1]
    loaded = load_config(write(tmp_path, 'views = "is:unread"\n'))
    assert loaded.settings.views == () and "must be a table" in loaded.warnings[0]


def test_at_most_nine_views_one_per_number_key(tmp_path: Path) -> None:
    lines = "".join(f'v{i} = "tag:t{i}"\n' for i in range(MAX_VIEWS + 2))
    loaded = load_config(write(tmp_path, f"[views]\n{lines}"))
    assert [name for name, _ in loaded.settings.views] == [f"v{i}" for i in range(MAX_VIEWS)]
    assert len(loaded.warnings) == 2 and "only 9 views" in loaded.warnings[0]


def test_config_show_writes_views_back(tmp_path: Path) -> None:
    settings = Settings(views=(("today", 'is:unread "two words"'),))
    text = settings_toml(settings, tmp_path / "c.toml", False)
    assert tomllib.loads(text)["views"] == {"today": 'is:unread "two words"'}


def test_views_are_numbered_from_one() -> None:
    views = views_from([("a", "tag:sql"), ("b", "")])
    assert [(v.name, v.number) for v in views] == [("a", 1), ("b", 2)]
    assert str(views[0].query) == "tag:sql"


def test_counts_match_what_the_query_lists() -> None:
    texts = ["is:unread", "tag:python", "python", "is:starred window", "rel:high -is:archived"]
    counter = ViewCounter(views_from([(t, t) for t in texts]))
    counts = counter.counts(NOTES, STATE, SEARCH)
    assert [c.total for c in counts] == [len(ids(t)) for t in texts]
    assert [c.total for c in counts] == [3, 3, 3, 1, 2]
    # Unread among them: tag:python is a, c, f, all unread.
    assert counts[1].unread == 3 and counts[3].unread == 0


def test_counts_follow_state_changes_and_new_notes() -> None:
    counter = ViewCounter(views_from([("py", "python is:unread")]))
    state = FakeState()
    assert counter.counts(NOTES, state, SEARCH)[0].total == 3
    state.statuses["a"] = "read"  # the remembered word matches still see the new state
    assert counter.counts(NOTES, state, SEARCH)[0].total == 2
    fewer: list[Note] = NOTES[1:]  # a new note list: the words are matched afresh
    assert counter.counts(fewer, state, None)[0].total == 2


def test_a_recount_of_the_changed_notes_agrees_with_a_full_count() -> None:
    texts = ["is:unread", "is:starred python", "rel:high", "-is:read"]
    views = views_from([(t, t) for t in texts])
    counter = ViewCounter(views)
    state = FakeState(statuses=dict(STATE.statuses), stars=set(STATE.stars))
    counter.counts(NOTES, state, SEARCH)
    state.statuses["a"] = "read"
    state.stars.add("f")
    state.levels["b"] = "high"
    quick = counter.counts(NOTES, state, SEARCH, changed=[0, 5, 1])
    assert quick == ViewCounter(views).counts(NOTES, state, SEARCH)
    assert quick[0].total == 2 and quick[1].total == 2  # c and f are unread, f now starred
