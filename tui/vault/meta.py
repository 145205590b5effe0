"""Front matter: split a note into its header fields and its body, whatever the header holds.

``parse_front_matter`` never raises. A header it cannot use becomes a problem a person can
act on (what is wrong, on which line of the file) and the note is still shown. Headless:
no textual or rich.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

import yaml

from tui.text.hygiene import clean_line

__all__ = ["MAX_DEPTH", "MAX_HEADER", "FrontMatter", "fast_yaml", "load_yaml", "parse_front_matter"]

MAX_HEADER = 64 * 1024
MAX_DEPTH = 100  # libyaml composes recursively in C and crashes the process near 20k levels

_WITHOUT_FIELDS = "showing the note without its fields"
_AS_BODY = "showing the whole file as the note"


@dataclass
class FrontMatter:
    """A note split into its front-matter fields and body, with what went wrong."""

    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    problems: list[str] = field(default_factory=list)
    kind: str | None = None  # "yaml" | "toml" | None when there is no usable header


# --- YAML loading ---------------------------------------------------------------------------

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that leaves dates as written: ``2026-13-45`` is a string, not an error."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_constructor(_TIMESTAMP, _Loader.construct_yaml_str)

_BRACKET = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(rf"(?:[-?:][ \t]+){{{MAX_DEPTH}}}")


def _too_deep(header: str) -> bool:
    if header.count("[") + header.count("{") > MAX_DEPTH:
        depth = 0
        for m in _BRACKET.finditer(header):
            depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
            if depth > MAX_DEPTH:
                return True
    return _DEEP_BLOCK.search(header) is not None


def _anchor_line(header: str) -> int | None:
    """Header line (0-based) of the first anchor or alias, checked before anything is built."""
    if "&" not in header and "*" not in header:
        return None
    try:
        for event in yaml.parse(header, Loader=_Loader):
            anchored = isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
            if anchored and event.start_mark is not None:
                return int(event.start_mark.line)
    except yaml.YAMLError:
        pass  # the full load reports the syntax error with its line
    return None


def _plain(value: Any) -> Any:
    """Reduce constructed YAML/TOML values to str/int/float/bool/None/list/dict."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


class _Builder:
    """Turns a composed node tree into plain values, field by field, noting what it drops."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.problems: list[str] = []

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # applies `<<` merges, as a YAML load would
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 2
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(f"front matter line {line}: a field name is not text; skipped")
                continue
            key = key_node.value  # as written, so `1:` and `true:` become "1" and "true"
            if key in out:
                self.problems.append(
                    f"front matter line {line}: field '{key}' appears more than once; "
                    "the last one is used"
                )
            try:
                out[key] = self.value(value_node)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                out.pop(key, None)
                what = getattr(exc, "problem", None) or str(exc)
                self.problems.append(
                    f"front matter line {line}: field '{key}' could not be read ({what}); "
                    "showing the note without that field"
                )
        return out

    def value(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
            return self.mapping(node)
        if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
            return [self.value(item) for item in node.value]
        return _plain(self.loader.construct_object(node, deep=True))


def _yaml_error(exc: yaml.YAMLError, header: str) -> str:
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
    where = "front matter"
    if mark is not None:
        where = f"front matter line {mark.line + 2}"
        lines = header.split("\n")
        text = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in text[: len(text) - len(text.lstrip(" \t"))]:
            what = "tab character in indentation (YAML allows only spaces there)"
    return f"{where}: {what}; fix the YAML or remove the header — {_WITHOUT_FIELDS}"


def load_yaml(header: str) -> tuple[dict[str, Any], list[str], str]:
    """Load a YAML header; return (fields, problems, shape).

    ``shape`` is "mapping", "list", "scalar" or "error". Anchors and aliases are refused
    before anything is built, so no header can expand into a memory bomb or a cycle.
    """
    if _too_deep(header):
        problem = f"front matter is nested more than {MAX_DEPTH} levels deep; {_WITHOUT_FIELDS}"
        return {}, [problem], "error"
    anchor = _anchor_line(header)
    if anchor is not None:
        problem = (
            f"front matter line {anchor + 2}: YAML anchors/aliases are not supported; "
            f"write the values out in full — {_WITHOUT_FIELDS}"
        )
        return {}, [problem], "error"
    loader = _Loader(header)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, [], "mapping"  # only comments
        if isinstance(node, yaml.SequenceNode):
            return (
                {},
                [f"front matter is a list, not 'key: value' fields; {_WITHOUT_FIELDS}"],
                "list",
            )
        if not isinstance(node, yaml.MappingNode):
            return {}, [], "scalar"
        builder = _Builder(loader)
        return builder.mapping(node), builder.problems, "mapping"
    except yaml.YAMLError as exc:
        return {}, [_yaml_error(exc, header)], "error"
    finally:
        loader.dispose()


# --- the fast path --------------------------------------------------------------------------
#
# Most headers are `key: value` lines and `- item` lists, as PyYAML's dumper writes them
# (long strings wrapped onto indented lines). Reading those with one regex pass is several
# times cheaper than libyaml; anything not certainly plain text goes to the full load.

_KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_./ -]*[A-Za-z0-9_./-])?"
# One alternative per line shape; the last catches any other line so nothing is skipped.
_FAST_LINE = re.compile(
    rf"(?:({_KEY}):[ ]+([^ \n][^\n]*(?:\n[ ]+[^ \n][^\n]*)*)"  # key: value (+ wrapped lines)
    rf"|({_KEY}):[ ]*"  # key: with its list (or null) below
    r"|([ ]*)-[ ]+([^ \n][^\n]*)"  # - item
    r"|[ ]*"  # blank
    r"|([^\n]*))\n"  # anything else
)
_SINGLE = re.compile(r"'([^']*(?:''[^']*)*)'")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# What YAML reads differently from plain text: tabs, line breaks other than \n, and
# characters its reader refuses.
_NOT_FAST = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_BAIL = object()


def _fast_scalar(raw: str) -> Any:
    """The string YAML would read from one value, or _BAIL if it might be anything else."""
    if "\n" in raw:
        # Wrapped lines fold into one, joined by single spaces.
        parts = [p.strip(" ") for p in raw.split("\n")]
        if raw[0] not in "'\"" and any(p[0] in _INDICATORS for p in parts[1:]):
            return _BAIL
        raw = " ".join(parts)
    else:
        raw = raw.rstrip(" ")
    first = raw[0]
    if first == "'" or first == '"':
        inner = raw[1:-1]
        if len(raw) > 1 and raw[-1] == first and first not in inner and "\\" not in inner:
            return inner  # the common case, without a regex
        if first == '"':
            return _BAIL  # escapes or a stray quote: let YAML decide
        m = _SINGLE.fullmatch(raw)
        return m.group(1).replace("''", "'") if m else _BAIL
    if first in _INDICATORS or ": " in raw or " #" in raw or raw[-1] == ":":
        return _BAIL
    for _tag, rx in _Loader.yaml_implicit_resolvers.get(first, ()):
        if rx.match(raw):
            return _BAIL  # YAML would make it a number, bool, null...
    return raw


def fast_yaml(header: str) -> dict[str, Any] | None:
    """Read a simple header exactly as YAML would, or return None if unsure."""
    if not header.endswith("\n"):
        header += "\n"
    if not header.replace("\n", "").isprintable() and _NOT_FAST.search(header):
        return None
    data: dict[str, Any] = {}
    items: list[Any] | None = None
    list_key: str | None = None
    indent = ""
    for key, raw, bare_key, item_indent, item, other in _FAST_LINE.findall(header):
        if key:
            value = _fast_scalar(raw)
            if value is _BAIL or key in data:
                return None
            data[key] = value
            list_key = items = None
        elif bare_key:
            if bare_key in data:
                return None
            data[bare_key] = None
            list_key, items = bare_key, None
        elif item:
            if list_key is None:
                return None
            if items is None:
                items, indent = [], item_indent
                data[list_key] = items
            elif item_indent != indent:
                return None
            value = _fast_scalar(item)
            if value is _BAIL:
                return None
            items.append(value)
        elif other:
            return None
    return data


# --- TOML -----------------------------------------------------------------------------------

_TOML_AT = re.compile(r" \(at line (\d+), column \d+\)")


def load_toml(header: str) -> tuple[dict[str, Any], list[str]]:
    """Load a TOML header; dates and times come back as ISO strings."""
    try:
        return _plain(tomllib.loads(header)), []
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_AT.search(message)
        where = f"front matter line {int(m.group(1)) + 1}" if m else "front matter"
        what = _TOML_AT.sub("", message)
        return {}, [f"{where}: {what}; fix the TOML or remove the header — {_WITHOUT_FIELDS}"]


# --- splitting ------------------------------------------------------------------------------

_CLOSE = {
    "yaml": re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE),
    "toml": re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE),
}
_OPEN = {"---": "yaml", "+++": "toml"}
_LOOKS_LIKE_FIELD = re.compile(r"[\"']?[\w-][^\n:]*[\"']?[ \t]*(?::|=)(?:[ \t]|$)")


def _split(text: str) -> FrontMatter:
    nl = text.find("\n")
    kind = _OPEN.get(text[:nl].rstrip(" \t") if nl >= 0 else "")
    if kind is None:
        return FrontMatter(body=text)
    start = nl + 1
    close = _CLOSE[kind].search(text, start)
    if close is None:
        # A note may simply open with a `---` rule; only a header-shaped second line says
        # someone meant front matter and forgot to close it.
        second = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
        problems = []
        if _LOOKS_LIKE_FIELD.match(second):
            fence = text[:3]
            problems.append(
                f"front matter opened on line 1 has no closing {fence} line; add one after "
                f"the last field — {_AS_BODY}"
            )
        return FrontMatter(body=text, problems=problems)
    if close.start() - start > MAX_HEADER:
        return FrontMatter(
            body=text,
            problems=[f"front matter is larger than {MAX_HEADER // 1024} KB; {_AS_BODY}"],
        )
    header = text[start : close.start()]
    body = text[close.end() + 1 :]
    if not header.strip():
        return FrontMatter(body=body, kind=kind)
    if kind == "toml":
        data, problems = load_toml(header)
        return FrontMatter(data, body, problems, kind)
    fast = fast_yaml(header)
    if fast is not None:
        return FrontMatter(fast, body, [], kind)
    data, problems, shape = load_yaml(header)
    if shape == "scalar":
        # Text between two `---` rules is prose, not a header: keep all of it visible.
        last = text.count("\n", 0, close.start()) + 1
        return FrontMatter(
            body=text,
            problems=[
                f"lines 1-{last} sit between --- lines like front matter but hold plain text, "
                "not 'key: value' fields; shown as part of the note"
            ],
        )
    return FrontMatter(data, body, problems, kind)


_LINE_BREAK = re.compile("\r\n?")


def parse_front_matter(text: str) -> FrontMatter:
    """Split ``text`` into front matter (YAML ``---`` or TOML ``+++``) and body.

    Never raises: whatever is wrong with the header is reported in ``problems`` and the
    note keeps a usable body. Field values are plain Python (str, int, float, bool, None,
    list, dict); dates stay strings as written.
    """
    if "\r" in text:
        text = _LINE_BREAK.sub("\n", text)
    text = text.removeprefix("\ufeff")
    try:
        result = _split(text)
    except Exception as exc:
        # Backstop for inputs no check above foresaw: a bad header must never stop a note
        # (or a whole vault scan) from opening.
        result = FrontMatter(
            body=text,
            problems=[f"front matter could not be read ({type(exc).__name__}); {_AS_BODY}"],
        )
    result.problems = [clean_line(p)[:500] for p in result.problems]
    return result
