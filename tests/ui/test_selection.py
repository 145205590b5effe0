"""Catching up (everything above the cursor read) and acting on several selected notes."""

from __future__ import annotations

from pathlib import Path

from tests.ui.test_app import NARROW, WIDE, main, make_app, on_disk, shown_titles, status_text
from tests.ui.test_app import state_path as state_path  # fixtures
from tests.ui.test_app import vault_dir as vault_dir
from tui.ui.widgets.note_list import MARKED


async def test_catch_up_marks_the_notes_above_the_cursor_read_and_one_undo_restores(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path, auto_mark_read=False)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        assert shown_titles(screen)[:4] == ["Alpha article", "Beta notes", "Gamma guide",
                                            "Delta digest"]  # fmt: skip
        await pilot.press("j", "j", "j")
        await pilot.press("C")
        assert [on_disk(state_path, vault_dir, n)[0] for n in ("alpha.md", "beta.md")] == [
            "read",
            "read",
        ]
        assert on_disk(state_path, vault_dir, "delta.md")[0] == "unread"  # the cursor's own
        await pilot.press("u")
        assert on_disk(state_path, vault_dir, "alpha.md")[0] == "unread"
        assert on_disk(state_path, vault_dir, "beta.md")[0] == "unread"


async def test_selected_notes_take_one_key_together_as_one_undo(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path, auto_mark_read=False)
    async with app.run_test(size=WIDE) as pilot:
        screen = main(app)
        await pilot.press("x", "x")  # alpha and beta; the cursor moves on each time
        assert screen.selection.ids == {screen.rows.note(0).id, screen.rows.note(1).id}
        await pilot.press("s")
        starred = {n: on_disk(state_path, vault_dir, n)[1] for n in ("alpha.md", "beta.md")}
        assert starred == {"alpha.md": True, "beta.md": True}
        assert not on_disk(state_path, vault_dir, "gamma.md")[1]  # under the cursor, not selected
        assert screen.selection.ids == set()  # acted on: the next key is the cursor's again
        await pilot.press("u")
        assert not on_disk(state_path, vault_dir, "alpha.md")[1]
        assert not on_disk(state_path, vault_dir, "beta.md")[1]
        await pilot.press("k", "x", "X")
        assert screen.selection.ids == set()


async def test_selected_rows_are_tinted_and_counted_in_the_status_line(
    vault_dir: Path, state_path: Path
) -> None:
    app = make_app(vault_dir, state_path, auto_mark_read=False)
    async with app.run_test(size=NARROW) as pilot:
        screen = main(app)
        await pilot.press("x", "j", "x")  # the first and third notes; the cursor on the fourth
        await pilot.pause()
        assert "unread · 2 selected ·" in status_text(screen)
        note_list = screen.note_list

        def backgrounds(y: int) -> set[object]:
            return {seg.style.bgcolor for seg in note_list.render_line(y) if seg.style}

        first, second, third = (note_list.render_line(y).text for y in range(3))
        assert first.startswith(MARKED) and third.startswith(MARKED)
        assert not second.startswith(MARKED)
        # Each selected row has one background across its width, unlike the rows around it.
        assert len(backgrounds(0)) == 1 and backgrounds(0) == backgrounds(2)
        assert backgrounds(0) != backgrounds(1)
        await pilot.press("X")
        await pilot.pause()
        assert " selected ·" not in status_text(screen)
        assert backgrounds(0) == backgrounds(1)
