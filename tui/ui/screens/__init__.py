"""Screens: the main reader screen and the dialogs it opens. Screens, not widgets, touch state."""
