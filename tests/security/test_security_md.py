"""SECURITY.md names the test behind each guarantee; every one of those tests must exist."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

# `path::name` and the `::name` shorthand that follows one in the same table cell.
_REF = re.compile(r"`(tests/[\w/]+\.py)?::(\w+)`")


def _tests_in(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_test_named_in_security_md_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named: list[tuple[str, str]] = []
    for line in text.splitlines():
        current = None
        for path, name in _REF.findall(line):
            current = path or current
            assert current, f"'::{name}' has no file before it: {line}"
            named.append((current, name))
    assert len(named) > 40
    missing = [f"{path}::{name}" for path, name in named if name not in _tests_in(path)]
    assert missing == []
    for tool in re.findall(r"`(tools/\w+\.py)`", text):
        assert (ROOT / tool).is_file(), tool
