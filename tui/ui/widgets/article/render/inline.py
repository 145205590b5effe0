"""Inline Markdown to styled Rich ``Text``: emphasis, code, highlights, math, footnote
references, inline HTML (a few tags styled, the rest dropped to their text), and links.

Links are carried as data (a number in the style's meta, see ``LINK_META``), never as Rich
``link`` styles or ``@click`` actions; every string from the note goes through ``safe``.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from markdown_it.tree import SyntaxTreeNode
from rich.style import Style
from rich.text import Text

from tui.text.links import NOTE_SUFFIXES, parse_wikilink
from tui.text.markdown import local_target
from tui.text.notes import Link
from tui.ui.widgets.article.render.model import (
    ANCHOR_META,
    LINK_META,
    ArticleLink,
    Context,
    Palette,
    safe,
)

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,20})\b[^>]*?(/?)>", re.DOTALL)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SUPER = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
ATTACHMENT_KINDS = {
    "image": ("png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "avif"),
    "audio": ("mp3", "wav", "m4a", "ogg", "flac", "webm", "3gp"),
    "video": ("mp4", "mkv", "mov", "ogv"),
    "pdf": ("pdf",),
}


@lru_cache(maxsize=256)
def marker(index: int) -> Style:
    """The meta style marking link ``index`` of a block."""
    # Block-local indexes (not global numbers) so that the same few styles, and their
    # combinations in Rich's caches, are reused by every block instead of piling up.
    return Style.from_meta({LINK_META: index})


@lru_cache(maxsize=1024)
def anchor(key: str) -> Style:
    """The meta style marking where target ``key`` starts."""
    return Style.from_meta({ANCHOR_META: key})


def attachment_kind(name: str) -> str | None:
    """``image``, ``audio``, ``video``, ``pdf`` or ``file`` for a non-note file name; None for
    a note (a name without an extension, or with a note suffix, is taken as a note)."""
    base = posixpath.basename(name.split("#", 1)[0]).lower()
    if "." not in base or base.endswith(NOTE_SUFFIXES):
        return None
    ext = base.rsplit(".", 1)[1]
    return next((kind for kind, exts in ATTACHMENT_KINDS.items() if ext in exts), "file")


def superscript(text: str) -> str:
    """``text`` in Unicode superscript where every character has one, else unchanged."""
    out = text.translate(_SUPER)
    return out if all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ" for c in out) else text


def _subscript(text: str) -> str:
    out = text.translate(_SUB)
    return out if all(c in "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" for c in out) else text


def _tag_styles(p: Palette) -> dict[str, Style]:
    return {
        "kbd": p.kbd,
        "s": Style(strike=True),
        "del": Style(strike=True),
        "strike": Style(strike=True),
        "u": Style(underline=True),
        "ins": Style(underline=True),
        "mark": p.mark,
        "b": Style(bold=True),
        "strong": Style(bold=True),
        "i": Style(italic=True),
        "em": Style(italic=True),
        "sup": Style(),
        "sub": Style(),
        "code": p.code_inline,
    }


class InlineRenderer:
    """Inline rendering for one block; collects links numbered from ``first_number``."""

    def __init__(self, palette: Palette, first_number: int, context: Context) -> None:
        self.palette = palette
        self.number = first_number
        self.context = context
        self.links: list[ArticleLink] = []
        self._tags = _tag_styles(palette)

    def inline_text(self, node: SyntaxTreeNode, style: Style, justify: str = "default") -> Text:
        """The inline content under ``node`` as one ``Text``."""
        text = Text(overflow="fold", justify=justify, end="")  # type: ignore[arg-type]
        for child in node.children:
            if child.type == "inline":
                self.inline(child, text, style)
            elif child.type == "footnote_anchor":
                continue
            else:
                self.inline(node, text, style)
                break
        return text

    def inline(self, node: SyntaxTreeNode, text: Text, style: Style) -> None:
        """Append ``node``'s children to ``text``."""
        p = self.palette
        open_tags: list[tuple[str, Style]] = []  # inline HTML in force, innermost last
        base = style
        for child in node.children:
            kind = child.type
            if kind == "html_inline":
                self.html(child.content, text, open_tags)
                style = base
                for _, extra in open_tags:
                    style = style + extra
                continue
            wrap = open_tags[-1][0] if open_tags else ""
            if kind == "text":
                content = safe(child.content)
                if wrap == "sup":
                    content = superscript(content)
                elif wrap == "sub":
                    content = _subscript(content)
                text.append(content, style)
            elif kind == "softbreak":
                text.append(" ", style)
            elif kind == "hardbreak":
                text.append("\n", style)
            elif kind == "code_inline":
                text.append(safe(child.content), style + p.code_inline)
            elif kind == "math_inline" or kind == "math_inline_double":
                text.append(safe(child.content), style + p.math)
            elif kind == "strong":
                self.inline(child, text, style + Style(bold=True))
            elif kind == "em":
                self.inline(child, text, style + Style(italic=True))
            elif kind == "s":
                self.inline(child, text, style + Style(strike=True))
            elif kind == "mark":
                self.inline(child, text, style + p.mark)
            elif kind in ("comment", "footnote_anchor"):
                continue
            elif kind == "footnote_ref":
                self.footnote_ref(str(child.meta.get("label", "")), text, style)
            elif kind in ("link", "image"):
                self.web_link(child, text, style)
            elif kind == "wikilink":
                self.wiki_link(child.content, bool(child.meta.get("embed")), text, style)
            elif child.children:
                self.inline(child, text, style)
            else:
                text.append(safe(child.content), style)

    def html(self, tag: str, text: Text, open_tags: list[tuple[str, Style]]) -> None:
        """Apply one inline HTML tag: styles push and pop, ``<br>`` breaks, others vanish."""
        if tag.startswith("<input") and "task-list-item-checkbox" in tag:
            return  # the list draws the box
        match = _TAG.fullmatch(tag.strip())
        if match is None:
            return  # a comment, a declaration: nothing to show
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name == "br":
            text.append("\n")
        elif name in self._tags:
            if not closing:
                open_tags.append((name, self._tags[name]))
            else:
                for i in range(len(open_tags) - 1, -1, -1):
                    if open_tags[i][0] == name:
                        del open_tags[i:]
                        break

    def footnote_ref(self, label: str, text: Text, style: Style) -> None:
        """A footnote reference: its number in superscript, a link to the note."""
        label = safe(label)
        number = self.context.footnote(label)
        meta = marker(len(self.links))
        shown = superscript(str(number))
        look = style + self.palette.link + meta + anchor(f"fnref:{label.lower()}")
        text.append(shown, look)
        link = ArticleLink(self.number, "footnote", f"Footnote {number}", url=f"fn:{label.lower()}")
        self.links.append(link)
        self.number += 1

    def web_link(self, node: SyntaxTreeNode, text: Text, style: Style) -> None:
        """A Markdown link or image: to a note in the vault, an attachment, or the web."""
        attr = "src" if node.type == "image" else "href"
        url = safe(str(node.attrs.get(attr, "")))
        if node.type == "image" and not _SCHEME.match(url):
            label = text_of(node) or url
            self.placeholder(url, label, text, style)
            return
        inner = local_target(url, posixpath.dirname(self.context.path))
        if inner is not None and node.type == "link":
            parsed = parse_wikilink(inner)
            if parsed is not None:
                start = len(text)
                self.link_to(parsed, None, node, text, style)
                if len(text) == start:
                    text.append(parsed.label, style)
                return
        meta = marker(len(self.links))
        start = len(text)
        if node.type == "image":
            text.append("image: ", style + self.palette.link + meta)
        self.inline(node, text, style + self.palette.link + meta)
        if len(text) == start:
            text.append(url or "link", style + self.palette.link + meta)
        label = text.plain[start:].strip() or url
        self.add(ArticleLink(self.number, "web", label, url=url), text, style + meta)

    def resolve(self, parsed: Link) -> Link:
        """``parsed`` with the vault path it points at (the note itself for ``[[#Heading]]``)."""
        if not parsed.target:
            path: str | None = self.context.path or None
        else:
            known = self.context.wiki.get(parsed.target.lower())
            path = known.path if known else None
        return Link(parsed.target, parsed.heading, parsed.alias, path)

    def link_to(
        self,
        parsed: Link,
        label: str | None,
        node: SyntaxTreeNode | None,
        text: Text,
        style: Style,
    ) -> None:
        """A link into the vault, shown as ``label`` (or ``node``'s inline content)."""
        link = self.resolve(parsed)
        meta = marker(len(self.links))
        look = self.palette.link if link.path is not None else self.palette.link_unresolved
        start = len(text)
        if node is not None:
            self.inline(node, text, style + look + meta)
        else:
            text.append(label or link.label, style + look + meta)
        shown = text.plain[start:].strip() or link.label
        self.add(ArticleLink(self.number, "wiki", shown, link=link), text, style + meta)

    def wiki_link(self, inner: str, embed: bool, text: Text, style: Style) -> None:
        """A ``[[wikilink]]``, or an embed met inside a sentence (shown as a link)."""
        parsed = parse_wikilink(safe(inner))
        if parsed is None:
            text.append(("!" if embed else "") + f"[[{safe(inner)}]]", style)
            return
        if embed and attachment_kind(parsed.target):
            self.placeholder(parsed.target, parsed.target, text, style)
            return
        label = parsed.label
        if parsed.heading and not parsed.target and not parsed.alias:
            label = parsed.heading  # [[#Heading]] reads as the heading
        self.link_to(parsed, ("↪ " if embed else "") + label, None, text, style)

    def placeholder(self, name: str, label: str, text: Text, style: Style) -> None:
        """An attachment: its kind, its name, and whether it is in the vault."""
        name = safe(name)
        kind = attachment_kind(name) or "file"
        lookup = self.context.attachment
        found = None if lookup is None else lookup(name.split("#", 1)[0])
        state = "" if found is None else ("" if found else ", missing")
        shown = f"[{kind}: {posixpath.basename(name) or name}{state}]"
        if label and label != name and not label.isdigit():
            shown = f"[{kind}: {safe(label)} · {posixpath.basename(name)}{state}]"
        text.append(shown, style + self.palette.embed)

    def add(self, link: ArticleLink, text: Text, style: Style) -> None:
        """Number ``link`` and append its ``[n]`` hint."""
        text.append(f"[{link.number}]", style + self.palette.link_hint)
        self.links.append(link)
        self.number += 1


def text_of(node: SyntaxTreeNode) -> str:
    """The plain text under ``node`` (for labels)."""
    if node.type in ("text", "code_inline"):
        return safe(node.content)
    return "".join(text_of(child) for child in node.children)
