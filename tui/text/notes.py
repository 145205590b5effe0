"""Notes: the Note and Link records that the rest of readerly passes around.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("unread", "read", "archived")
"""Where a note stands in reading; starred is a separate flag."""


@dataclass(slots=True)
class Link:
    """A wikilink as written in a note, and where it points once resolved."""

    target: str  # the part before ``|`` and ``#``, cleaned
    heading: str | None = None  # the part after ``#``
    alias: str | None = None  # the part after ``|``
    path: str | None = None  # vault-relative path of the note it resolves to, or None

    @property
    def label(self) -> str:
        """What a reader sees for this link."""
        if self.alias:
            return self.alias
        return f"{self.target}#{self.heading}" if self.heading else self.target


@dataclass(slots=True)
class Note:
    """Everything known about one note file except its body (bodies stay on disk).

    Every string here has been through text hygiene: no control or bidi characters,
    mojibake repaired. ``status`` and ``relevance`` are the front-matter values; the
    state store's values win over them once set.
    """

    id: str  # stable id derived from the vault-relative path
    path: str  # vault-relative, POSIX separators
    title: str
    date: str  # ISO YYYY-MM-DD
    domain: str = ""
    tags: list[str] = field(default_factory=list)
    source: str = ""
    status: str = "unread"  # unread | read | archived
    relevance: str | None = None  # a scale level name, an unknown raw value, or None
    aliases: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    mtime: float = 0.0
    size: int = 0
    fingerprint: str = ""  # hash of the body text, used to follow renamed notes
