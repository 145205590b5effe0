"""The excerpt a search shows beside a title: around the first hit, folded like the index."""

from __future__ import annotations

from tui.text.snippets import snippet

BODY = (
    "# Notes\n\nAn opening paragraph that goes on for a while before anything happens.\n"
    "Then we sat in the Café de Flore and talked about distributed logs.\n"
    "Later, 東京都 and a trip.\n"
)


def test_the_excerpt_starts_near_the_first_hit() -> None:
    found = snippet(BODY, ["cafe"])
    assert found.startswith("…") and "Café de Flore" in found
    assert "\n" not in found


def test_words_match_as_word_prefixes_and_accents_fold() -> None:
    assert "distributed" in snippet(BODY, ["distrib"])
    assert snippet(BODY, ["stributed"]) == ""  # not at the start of a word
    assert "Café" in snippet(BODY, ["CAFÉ"])
    assert "京都" in snippet(BODY, ["京都"])


def test_no_hit_in_the_body_gives_no_excerpt() -> None:
    assert snippet(BODY, ["zebra"]) == ""
    assert snippet(BODY, []) == ""
    assert snippet(BODY, ["🔴"]) == ""


def test_the_excerpt_fits_the_width() -> None:
    assert len(snippet(BODY * 20, ["trip"], width=30)) <= 30
    assert snippet(BODY, ["cafe"], width=0) == ""
