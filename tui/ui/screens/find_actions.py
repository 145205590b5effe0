"""The main screen's search actions that go beyond the search box: sort and similar notes.

A mixin of two actions only, kept apart so the screen module stays one idea; the work itself
is done by the screen's parts (:class:`~tui.ui.screens.listing.Listing` and
:class:`~tui.ui.screens.links.Links`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.ui.screens.links import Links
    from tui.ui.screens.listing import Listing
    from tui.ui.screens.navigation import Navigation


class FindActions:
    """``action_cycle_sort`` and ``action_pick_similar`` for a screen with these parts."""

    listing: Listing
    links: Links
    navigation: Navigation

    def action_cycle_sort(self) -> None:
        """Sort the list the next way: best match, newest, title, relevance."""
        self.listing.cycle_sort()

    def action_pick_similar(self) -> None:
        """Choose one of the notes most like this one."""
        if note := self.navigation.need_target():
            self.links.pick_similar(note)
