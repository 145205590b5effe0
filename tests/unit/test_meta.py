"""Front matter: splitting, the fast path against YAML, and every way a header can be bad."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.vault.meta import MAX_HEADER, FrontMatter, fast_yaml, load_yaml, parse_front_matter

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL_NOTES = sorted((SHARED / "vaults" / "clipped").glob("*.md")) + sorted(
    (SHARED / "seeds").glob("*")
)


def note(header: str, body: str = "Body text.\n", fence: str = "---") -> str:
    return f"{fence}\n{textwrap.dedent(header).lstrip(chr(10))}{fence}\n{body}"


def header_of(text: str) -> str | None:
    """The raw header between the first two `---` lines, found independently of tui.vault.meta."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n"
    return None


def one_problem(fm: FrontMatter, *words: str) -> str:
    assert len(fm.problems) == 1, fm.problems
    problem = fm.problems[0]
    for word in words:
        assert word in problem, problem
    return problem


# --- ordinary notes -------------------------------------------------------------------------


def test_simple_yaml_header() -> None:
    fm = parse_front_matter(
        note("""
        title: 'Flask vs Node: which?'
        date: 2026-02-23
        relevance: 🟡
        tags:
        - '#python'
        - tool
        status: unread
        """)
    )
    assert fm.kind == "yaml"
    assert fm.problems == []
    assert fm.data == {
        "title": "Flask vs Node: which?",
        "date": "2026-02-23",
        "relevance": "🟡",
        "tags": ["#python", "tool"],
        "status": "unread",
    }
    assert fm.body == "Body text.\n"


def test_no_front_matter() -> None:
    for text in ["# Heading\n\ntext", "", "   \n\n", "----\nnot: a header\n----\n", "---"]:
        fm = parse_front_matter(text)
        assert fm == FrontMatter(data={}, body=text, problems=[], kind=None)


def test_empty_header_and_dots_closer_and_crlf() -> None:
    assert parse_front_matter("---\n---\nbody") == FrontMatter({}, "body", [], "yaml")
    assert parse_front_matter("---\na: b\n...\nbody").data == {"a": "b"}
    fm = parse_front_matter("---\r\na: b\r\n---\r\nbody\r\n")
    assert (fm.data, fm.body) == ({"a": "b"}, "body\n")
    assert parse_front_matter("\ufeff---\na: b\n---\n").data == {"a": "b"}


def test_wrapped_titles_fold_like_yaml() -> None:
    header = (
        "title: 'A long title: with a colon,\n  and ''quotes'' wrapped'\n"
        "sub: plain words\n  go on\n"
    )
    expected = {
        "title": "A long title: with a colon, and 'quotes' wrapped",
        "sub": "plain words go on",
    }
    assert fast_yaml(header) == expected
    assert load_yaml(header)[0] == expected


def test_values_are_plain_python() -> None:
    fm = parse_front_matter(
        note("""
        n: 3
        x: 2.5
        ok: true
        none: ~
        nested:
          inner: [a, 1]
        bin: !!binary aGVsbG8=
        set: !!set {b, a}
        when: 2026-02-23 10:00:00
        """)
    )
    assert fm.problems == []
    assert fm.data == {
        "n": 3,
        "x": 2.5,
        "ok": True,
        "none": None,
        "nested": {"inner": ["a", 1]},
        "bin": "hello",
        "set": ["a", "b"],
        "when": "2026-02-23 10:00:00",
    }


# --- every way YAML can fail ----------------------------------------------------------------


def test_tab_in_indentation() -> None:
    fm = parse_front_matter("---\ntitle: x\ntags:\n\t- a\n---\nbody")
    assert fm.data == {}
    assert fm.body == "body"
    assert fm.kind == "yaml"
    one_problem(fm, "front matter line 4", "tab", "fix the YAML", "without its fields")


def test_impossible_dates_stay_strings() -> None:
    fm = parse_front_matter(
        note("date: 0000-00-00\nupdated: 2026-13-45\nexplicit: !!timestamp x\n")
    )
    assert fm.problems == []
    assert fm.data == {"date": "0000-00-00", "updated": "2026-13-45", "explicit": "x"}


def test_content_key_is_an_ordinary_field() -> None:
    fm = parse_front_matter(note("title: t\ncontent: hello\nmetadata: m\n"))
    assert fm.data == {"title": "t", "content": "hello", "metadata": "m"}
    assert fm.body == "Body text.\n"


def test_non_string_keys_become_strings() -> None:
    fm = parse_front_matter(note("1: a\ntrue: b\nnull: c\n2024-01-01: d\n3.5: e\n"))
    assert fm.problems == []
    assert fm.data == {"1": "a", "true": "b", "null": "c", "2024-01-01": "d", "3.5": "e"}


def test_complex_key_is_skipped_and_rest_kept() -> None:
    fm = parse_front_matter(note("? [a, b]\n: c\nd: e\n"))
    assert fm.data == {"d": "e"}
    one_problem(fm, "front matter line 2", "not text")


def test_duplicate_keys_last_wins() -> None:
    fm = parse_front_matter(note("a: 1\nb: 2\na: 3\n"))
    assert fm.data == {"a": 3, "b": 2}
    one_problem(fm, "front matter line 4", "'a'", "more than once", "last")


@pytest.mark.parametrize(
    "header",
    [
        # billion laughs, cut short: nine levels of nine aliases
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(
            f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "a: &loop [*loop]\n",
        "a: &x 1\nb: *x\n",
        "base: &b {k: v}\nother:\n  <<: *b\n",
    ],
)
def test_anchors_and_aliases_refused(header: str) -> None:
    fm = parse_front_matter(note(header))
    assert fm.data == {}
    assert fm.body == "Body text.\n"
    one_problem(fm, "front matter line 2", "YAML anchors/aliases are not supported")


def test_ampersand_and_star_in_text_are_fine() -> None:
    fm = parse_front_matter(note("title: Q&A * notes\nother: '&not an anchor'\n"))
    assert fm.problems == []
    assert fm.data == {"title": "Q&A * notes", "other": "&not an anchor"}


def test_list_shaped_front_matter() -> None:
    fm = parse_front_matter(note("- a\n- b\n"))
    assert (fm.data, fm.body, fm.kind) == ({}, "Body text.\n", "yaml")
    one_problem(fm, "list", "without its fields")


def test_prose_between_rules_is_body() -> None:
    text = "---\nJust an opening rule and some prose.\n---\nMore prose.\n"
    fm = parse_front_matter(text)
    assert (fm.data, fm.body, fm.kind) == ({}, text, None)
    one_problem(fm, "lines 1-3", "shown as part of the note")


def test_unterminated_header() -> None:
    text = "---\ntitle: x\ntags: [a]\n\nThe body never closes the header.\n"
    fm = parse_front_matter(text)
    assert (fm.data, fm.body, fm.kind) == ({}, text, None)
    one_problem(fm, "no closing ---", "whole file")


def test_opening_rule_then_prose_is_just_body() -> None:
    text = "---\n\nAn essay that starts with a rule.\n\nAnd goes on.\n"
    assert parse_front_matter(text) == FrontMatter({}, text, [], None)


def test_unsafe_tag_refused_and_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    fm = parse_front_matter(
        note(f'title: kept\nx: !!python/object/apply:os.system ["touch {marker}"]\n')
    )
    assert not marker.exists()
    assert fm.data == {"title": "kept"}
    one_problem(fm, "front matter line 3", "'x'", "python/object/apply:os.system")


def test_header_over_64_kb_is_body() -> None:
    text = note("".join(f"k{i}: v\n" for i in range(MAX_HEADER // 6)))
    fm = parse_front_matter(text)
    assert (fm.data, fm.body, fm.kind) == ({}, text, None)
    one_problem(fm, "64 KB")


@pytest.mark.parametrize(
    "header",
    ["a: " + "[" * 30000 + "]" * 30000 + "\n", "a: " + "- " * 5000 + "x\n"],
)
def test_deep_nesting_refused_without_crashing(header: str) -> None:
    fm = parse_front_matter(note(header))
    assert fm.data == {}
    one_problem(fm, "nested more than")


@pytest.mark.parametrize(
    ("header", "line"),
    [
        ("a: [1, 2\nb: c\n", "line 3"),
        ('a: "unclosed\n', "line 3"),
        ("a: b\n c: d\n", "line 3"),
        ("a: b: c\n", "line 2"),
        ("a: !unknown x\n", "line 2"),
    ],
)
def test_syntax_errors_report_their_line(header: str, line: str) -> None:
    fm = parse_front_matter(note(header))
    assert fm.body == "Body text.\n"
    assert len(fm.problems) == 1
    assert f"front matter {line}" in fm.problems[0]


def test_problem_text_is_clean() -> None:
    fm = parse_front_matter(note("a: 1\n\x1b[2Jkey\u202e: 2\na: 3\n"))
    for problem in fm.problems:
        assert "\x1b" not in problem and "\u202e" not in problem


# --- TOML -----------------------------------------------------------------------------------


def test_toml_header() -> None:
    fm = parse_front_matter(
        note(
            'title = "x"\ndate = 2026-02-23\nat = 1979-05-27T07:32:00Z\ntags = ["a", "b"]\n',
            fence="+++",
        )
    )
    assert fm.kind == "toml"
    assert fm.problems == []
    assert fm.data == {
        "title": "x",
        "date": "2026-02-23",
        "at": "1979-05-27T07:32:00+00:00",
        "tags": ["a", "b"],
    }


def test_toml_unterminated_is_body() -> None:
    text = '+++\ntitle = "x"\nno closing fence\n'
    fm = parse_front_matter(text)
    assert (fm.data, fm.body, fm.kind) == ({}, text, None)
    one_problem(fm, "no closing +++")


def test_toml_error_has_file_line() -> None:
    fm = parse_front_matter(note('title = "x"\nbad =\n', fence="+++"))
    assert (fm.data, fm.body, fm.kind) == ({}, "Body text.\n", "toml")
    one_problem(fm, "front matter line 3", "fix the TOML")


# --- the fast path must read exactly what YAML reads ----------------------------------------


def test_fast_path_bails_on_anything_unusual() -> None:
    for header in [
        "a: 1\n",
        "a: yes\n",
        "a: ~\n",
        "a: b # comment\n",
        "a: 'x' y\n",
        'a: "esc\\n"\n',
        "a: [x]\n",
        "a: b\na: c\n",
        "- a\n",
        "a:\n  b: c\n",
        "a:\n- x\n  - y\n",
        "a: b\n  - c\n",
        "a:\tb\n",
        "a: x\u2028y\n",
        "<<: {a: b}\n",
    ]:
        assert fast_yaml(header) is None, header


@pytest.mark.skipif(not REAL_NOTES, reason="shared notes not present")
def test_fast_path_matches_yaml_on_real_notes() -> None:
    headers = [h for p in REAL_NOTES if (h := header_of(p.read_text(encoding="utf-8")))]
    assert headers
    fast_count = 0
    for header in headers:
        fast = fast_yaml(header)
        if fast is not None:
            fast_count += 1
            assert fast == load_yaml(header)[0]
            # And against stock PyYAML, which reads unquoted dates as date objects.
            stock = yaml.load(header, Loader=yaml.SafeLoader)
            assert fast == {str(k): _iso(v) for k, v in stock.items()}
    assert fast_count == len(headers)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _dumped_headers() -> st.SearchStrategy[str]:
    chars = st.one_of(
        st.sampled_from(list("abcXYZ019 :#-'\"[]{}&*!|>%@`?,.~=<é🟡“”日\\")),
        st.characters(categories=("L", "N", "P", "S")),
    )
    words = st.lists(st.text(chars, min_size=1, max_size=12), min_size=1, max_size=20)
    text = st.one_of(
        st.text(chars, max_size=60),
        words.map(" ".join),  # long enough that the dumper wraps it
        st.sampled_from(["yes", "No", "null", "~", "1_000", "0o17", "1:20", ".inf", "2026-02-30"]),
    )
    values = st.one_of(text, st.lists(text, max_size=4))
    keys = st.from_regex(r"[a-z][a-z_ -]{0,12}[a-z]", fullmatch=True)
    return st.builds(
        lambda d, width: yaml.safe_dump(
            d, allow_unicode=True, sort_keys=False, default_flow_style=False, width=width
        ),
        st.dictionaries(keys, values, min_size=1, max_size=6),
        st.integers(min_value=20, max_value=200),
    )


_PIECES = [
    *["a", "b: ", "- ", "'", '"', "''", "#", " #", ":", " ", "  ", "\n", "x y", "1", "é"],
    *["true", "~", "[", "{", "&", "*", "!", "|", ">", "-", "?", "🟡", "\t", ".5", "0x1"],
]


@settings(max_examples=500)
@given(st.one_of(_dumped_headers(), st.lists(st.sampled_from(_PIECES)).map("".join)))
def test_fast_path_matches_yaml_on_generated_headers(header: str) -> None:
    fast = fast_yaml(header)
    if fast is None:
        return
    data, problems, shape = load_yaml(header)
    assert (fast, problems, shape) == (data, [], "mapping")


# --- never raises ---------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    fm = parse_front_matter(text)
    assert isinstance(fm.data, dict)
    assert all(isinstance(k, str) for k in fm.data)


@settings(max_examples=300)
@given(st.lists(st.sampled_from([*_PIECES, "---\n", "+++\n", "...\n", "=", "&a ", "*a"])))
def test_never_raises_on_header_shaped_text(pieces: list[str]) -> None:
    fm = parse_front_matter("---\n" + "".join(pieces) + "\n---\nbody")
    assert isinstance(fm.data, dict)
    assert isinstance(fm.body, str)


def _plain_types(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_types(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


@settings(max_examples=200)
@given(st.lists(st.sampled_from([*_PIECES, "!!binary aGk=", "!!set {a}", "2026-01-01"])))
def test_values_are_always_plain(pieces: list[str]) -> None:
    fm = parse_front_matter("---\nk: " + "".join(pieces) + "\n---\n")
    assert _plain_types(fm.data)
