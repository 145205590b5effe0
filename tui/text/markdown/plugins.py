"""markdown-it rules for the parts of Obsidian Flavored Markdown no published plugin covers.

Callouts, ``==highlights==``, ``%%comments%%``, ``^block-ids`` and wikilinks / embeds become
tokens, so they are found by the parser (and so never inside code) rather than by text
patterns. Headless: markdown-it-py only.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from tui.text.links import WIKILINK_RE

CALLOUT_RE = re.compile(r"\[!([A-Za-z0-9_-]{1,40})\]([+-]?)[ \t]*([^\n]*)")
BLOCK_ID_RE = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]{1,64})[ \t]*$")


# -- callouts ------------------------------------------------------------------------------


def _callouts(state: StateCore) -> None:
    """Turn a blockquote opening with ``[!type]`` into ``callout_open``/``callout_close``."""
    tokens = state.tokens
    i = 0
    while i < len(tokens) - 2:
        token = tokens[i]
        if not (
            token.type == "blockquote_open"
            and tokens[i + 1].type == "paragraph_open"
            and tokens[i + 2].type == "inline"
        ):
            i += 1
            continue
        inline = tokens[i + 2]
        match = CALLOUT_RE.match(inline.content)
        if match is None:
            i += 1
            continue
        token.type = "callout_open"
        token.meta = {
            "kind": match.group(1).lower(),
            "fold": match.group(2),
            "title": match.group(3).strip(),
        }
        depth = 0
        for close in tokens[i + 1 :]:
            if close.type in ("blockquote_open", "callout_open"):
                depth += 1
            elif close.type == "blockquote_close":
                if depth == 0:
                    close.type = "callout_close"
                    break
                depth -= 1
        rest = inline.content[match.end() :].lstrip("\n")
        if rest.strip():
            inline.content = rest
        else:
            del tokens[i + 1 : i + 4]  # the title was the whole paragraph
        i += 1


# -- ==highlight== -------------------------------------------------------------------------


def _mark(state: StateInline, silent: bool) -> bool:
    start = state.pos
    src = state.src
    if not src.startswith("==", start) or src.startswith("===", start):
        return False
    inner = start + 2
    if inner >= state.posMax or src[inner] in " \t\n=":
        return False
    end = src.find("==", inner + 1, state.posMax)
    while end != -1 and src[end - 1] in " \t\n":
        end = src.find("==", end + 2, state.posMax)
    if end == -1:
        return False
    if not silent:
        state.push("mark_open", "mark", 1).markup = "=="
        old_max = state.posMax
        state.pos, state.posMax = inner, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1).markup = "=="
    state.pos = end + 2
    return True


# -- %%comments%% --------------------------------------------------------------------------


def _comment_inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("%%", state.pos):
        return False
    end = state.src.find("%%", state.pos + 2, state.posMax)
    if end == -1:
        return False
    if not silent:
        state.push("comment", "", 0).content = state.src[state.pos + 2 : end]
    state.pos = end + 2
    return True


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    begin = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or not state.src.startswith("%%", begin):
        return False
    first = state.src[begin + 2 : state.eMarks[start]]
    if "%%" in first:
        # Closed on its own line: a comment block only if nothing follows the closer.
        if first[first.index("%%") + 2 :].strip():
            return False
        last = start
    else:
        last = start + 1
        while last < end:
            line = state.src[state.bMarks[last] : state.eMarks[last]].rstrip()
            if line.endswith("%%"):
                break
            last += 1
        if last >= end:
            return False  # never closed: Obsidian shows it as text
    if silent:
        return True
    token = state.push("comment_block", "", 0)
    token.map = [start, last + 1]
    token.content = state.getLines(start, last + 1, state.blkIndent, False)
    state.line = last + 1
    return True


# -- ^block-ids ----------------------------------------------------------------------------


def _block_ids(state: StateCore) -> None:
    """Move a trailing ``^id`` off a block's text into its opening token's ``meta``."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children or i == 0:
            continue
        last = token.children[-1]
        if last.type != "text" or "^" not in last.content:
            continue
        match = BLOCK_ID_RE.search(last.content)
        if match is None:
            continue
        last.content = last.content[: match.start()].rstrip(" \t")
        owner = tokens[i - 1]
        owner.meta = {**(owner.meta or {}), "block_id": match.group(1)}
        if last.content == "" and len(token.children) == 1:
            # ``^id`` alone under a table or quote names the block before it.
            owner.meta["id_only"] = True


# -- [[wikilinks]] and ![[embeds]] ---------------------------------------------------------


def _wikilink(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    embed = state.src.startswith("![[", pos)
    if not embed and not state.src.startswith("[[", pos):
        return False
    match = WIKILINK_RE.match(state.src, pos + 1 if embed else pos)
    if match is None or match.end() > state.posMax:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = match.group(1)
        token.meta = {"embed": embed}
        token.markup = "![[" if embed else "[["
    state.pos = match.end()
    return True


def ofm_plugin(md: MarkdownIt) -> None:
    """Add the Obsidian rules to ``md`` (after the CommonMark and GFM ones they extend)."""
    md.block.ruler.before(
        "paragraph", "comment_block", _comment_block, {"alt": ["paragraph", "blockquote"]}
    )
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.inline.ruler.before("emphasis", "mark", _mark)
    md.inline.ruler.before("text", "comment", _comment_inline)
    md.core.ruler.after("block", "callouts", _callouts)
    md.core.ruler.after("inline", "block_ids", _block_ids)
