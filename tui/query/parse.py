"""The search box's language: what a person types, parsed into a :class:`Query`.

Query syntax (case-insensitive; ``parse_query`` never raises):

- words: each must appear in the note's title, tags, domain or body, as the start of a word
  (``distrib`` finds "distributed"), whatever the case or accents (``cafe`` finds "café");
  CJK text is found by any run of two or more of its characters
- ``"exact phrase"`` - the words in this order, the last one whole; an unterminated quote
  takes the rest; inside quotes ``\\"`` is a quote and ``\\\\`` a backslash
- ``-word`` leaves out notes with the word; ``a OR b`` takes notes with either
- ``title:word`` - the word in the title; ``path:part`` - in the file's path
- ``is:unread`` ``is:read`` ``is:archived`` ``is:starred``; ``not:x`` is ``-is:x``
- ``rel:high`` - also ``rel:🔴``, ``rel:3`` or any spelling the relevance scale knows;
  ``rel:none`` finds notes without relevance
- ``tag:python`` or ``tag:#python`` (a note's leading ``#`` on tags is ignored)
- ``domain:SQL``
- ``date:2026-11`` (a year, month or day), ``after:2026-10-01``, ``before:2026-11-15``, and
  relative ``after:7d`` (days; also ``w``, ``m``, ``y``); ``key:"two words"`` quotes a value
- a ``-`` before a filter leaves out the notes it finds: ``-tag:x`` ``-domain:x`` ``-path:x``
  ``-title:x`` ``-rel:x`` ``-is:x`` ``-date:x`` (``-after:`` and ``-before:`` are reported:
  use the other one)

Repeated filters of one kind are alternatives (``tag:a tag:b`` is either tag); different
kinds, negated filters (``-tag:a -tag:b`` is neither tag) and words must all hold.
Archived notes are hidden unless the query mentions a status.
A ``key:value`` that is not a filter, or a filter that cannot hold (``is:foo``), is reported
in :attr:`Query.problems` and otherwise left out - never searched for as a word.

Headless: nothing here imports textual or rich.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tui.text.notes import STATUSES
from tui.text.relevance import DEFAULT_SCALE, RelevanceScale
from tui.vault.engine import TextQuery, Word, searchable

NO_RELEVANCE = "none"
FILTER_KEYS = ("is", "rel", "tag", "domain", "title", "path", "date", "after", "before")
_KEY = re.compile(r"-?[a-z]+")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_RELATIVE = re.compile(r"(\d{1,5})([dwmy])")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query; every value is already normalised (lowercase, tags without ``#``)."""

    terms: tuple[str, ...] = ()  # words and phrases that must all appear
    statuses: tuple[str, ...] = ()  # the note's status is one of these
    not_statuses: tuple[str, ...] = ()  # ... and none of these
    starred: bool | None = None
    relevance: tuple[str, ...] = ()  # level names, unknown raw values, or NO_RELEVANCE
    domains: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()  # the terms (or alternatives) that were quoted
    any_of: tuple[tuple[str, ...], ...] = ()  # ``a OR b``: one of each group must appear
    excluded: tuple[str, ...] = ()  # ``-word``: must not appear
    titles: tuple[str, ...] = ()  # ``title:``: must appear in the title
    paths: tuple[str, ...] = ()  # ``path:``: one of them is part of the path
    dates: tuple[str, ...] = ()  # ``date:``: the date starts with one of them
    after: str | None = None  # ISO date; the note's date is on or after it
    before: str | None = None  # ISO date; the note's date is before it
    # Negated filters: a note matching any one of their values is left out.
    not_tags: tuple[str, ...] = ()
    not_domains: tuple[str, ...] = ()
    not_paths: tuple[str, ...] = ()
    not_titles: tuple[str, ...] = ()  # answered by the full-text engine, like ``titles``
    not_relevance: tuple[str, ...] = ()
    not_dates: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def shows_archived(self) -> bool:
        """Whether archived notes can match (only when a status is mentioned)."""
        return bool(self.statuses or self.not_statuses)

    @property
    def has_text(self) -> bool:
        """Whether the query asks anything of the notes' words."""
        return bool(self.terms or self.any_of or self.excluded or self.titles or self.not_titles)

    def words(self) -> list[str]:
        """The words and phrases a matching note contains, for highlighting its hits."""
        found = [*self.terms, *self.titles, *(w for group in self.any_of for w in group)]
        return list(dict.fromkeys(found))

    def text_query(self) -> TextQuery:
        """The part of the query the full-text engine answers."""
        exact = frozenset(self.exact)

        def word(text: str, name: str | None = None) -> Word:
            return Word(text, field=name, phrase=text in exact)

        groups: list[tuple[Word, ...]] = [(word(t),) for t in self.terms]
        groups += [tuple(word(t) for t in group) for group in self.any_of]
        groups += [(word(t, "title"),) for t in self.titles]
        excluded = [word(t) for t in self.excluded] + [word(t, "title") for t in self.not_titles]
        return TextQuery(tuple(groups), tuple(excluded))

    def __str__(self) -> str:
        """The query written back in canonical form; parsing it gives an equal Query."""
        exact = frozenset(self.exact)

        def text(value: str) -> str:
            return _quoted(value, force=value in exact)

        parts = [f"is:{s}" for s in self.statuses]
        parts += [f"-is:{s}" for s in self.not_statuses]
        if self.starred is not None:
            parts.append("is:starred" if self.starred else "-is:starred")
        parts += [f"rel:{_value(v)}" for v in self.relevance]
        parts += [f"domain:{_value(v)}" for v in self.domains]
        parts += [f"tag:{_value(v)}" for v in self.tags]
        parts += [f"title:{_value(v)}" for v in self.titles]
        parts += [f"path:{_value(v)}" for v in self.paths]
        parts += [f"date:{v}" for v in self.dates]
        parts += [f"after:{self.after}"] if self.after else []
        parts += [f"before:{self.before}"] if self.before else []
        parts += [f"-rel:{_value(v)}" for v in self.not_relevance]
        parts += [f"-domain:{_value(v)}" for v in self.not_domains]
        parts += [f"-tag:{_value(v)}" for v in self.not_tags]
        parts += [f"-title:{_value(v)}" for v in self.not_titles]
        parts += [f"-path:{_value(v)}" for v in self.not_paths]
        parts += [f"-date:{v}" for v in self.not_dates]
        parts += [text(t) for t in self.terms]
        parts += [" OR ".join(text(t) for t in group) for group in self.any_of]
        # An excluded word that was not quoted came from one unquoted token: it needs none.
        parts += ["-" + (text(t) if t in exact else t) for t in self.excluded]
        return " ".join(parts)


def _value(value: str) -> str:
    """A filter's value as written after ``key:`` (``key://x`` would read as a URL)."""
    return _quoted(value, force=value.startswith("//"))


def _quoted(value: str, force: bool = False) -> str:
    """``value`` as a token that parses back to itself (quoted only where it must be)."""
    plain = (
        value
        and not force
        and not any(c.isspace() or c == '"' for c in value)
        and not (value.startswith("-") and len(value) > 1)
        and not _looks_like_filter(value)
    )
    if plain:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _looks_like_filter(value: str) -> bool:
    key, colon, rest = value.partition(":")
    return bool(colon) and _KEY.fullmatch(key.lower()) is not None and not rest.startswith("//")


def _tokens(text: str) -> Iterator[tuple[str, int | None]]:
    """Split on unquoted whitespace; yield each token's text and where its first quote was."""
    i, end = 0, len(text)
    while i < end:
        while i < end and text[i].isspace():
            i += 1
        if i == end:
            return
        buf: list[str] = []
        quote_at: int | None = None
        in_quote = False
        while i < end and (in_quote or not text[i].isspace()):
            char = text[i]
            if char == '"':
                in_quote = not in_quote
                if quote_at is None:
                    quote_at = len(buf)
            elif in_quote and char == "\\" and i + 1 < end and text[i + 1] in '"\\':
                i += 1
                buf.append(text[i])
            else:
                buf.append(char)
            i += 1
        yield "".join(buf), quote_at


def tag_key(tag: str) -> str:
    """How tags compare: lowercase, without leading ``#``."""
    return tag.lstrip("#").strip().lower()


def relevance_key(value: str | None, scale: RelevanceScale = DEFAULT_SCALE) -> str:
    """How a note's relevance compares with ``rel:`` values."""
    found = scale.normalise(value)
    return NO_RELEVANCE if found is None else found.lower()


def parse_date(value: str, today: dt.date | None = None) -> str | None:
    """An ISO date from ``2026-11-03`` or a relative ``7d`` / ``2w`` / ``3m`` / ``1y``."""
    relative = _RELATIVE.fullmatch(value)
    if relative:
        days = int(relative.group(1)) * _DAYS[relative.group(2)]
        try:
            return ((today or dt.date.today()) - dt.timedelta(days=days)).isoformat()
        except OverflowError:
            return dt.date.min.isoformat()
    found = _DATE.fullmatch(value)
    if not found:
        return None
    year, month, day = (int(g) if g else 1 for g in found.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_prefix(value: str) -> str | None:
    found = _DATE.fullmatch(value)
    if not found or parse_date(value) is None:
        return None
    year, month, day = found.groups()
    parts = [year, *(f"{int(g):02d}" for g in (month, day) if g)]
    return "-".join(parts)


@dataclass(slots=True)
class _Builder:
    scale: RelevanceScale
    terms: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    not_statuses: list[str] = field(default_factory=list)
    starred: set[bool] = field(default_factory=set)
    relevance: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)
    any_of: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    negated: dict[str, list[str]] = field(default_factory=dict)  # filter key -> values
    problems: list[str] = field(default_factory=list)

    def filter(self, key: str, value: str, quoted: bool) -> bool:
        """Record ``key:value``; False when it is not a filter after all (a plain word)."""
        if _KEY.fullmatch(key) is None or (value.startswith("//") and not quoted):
            return False  # ``10:30``, ``c++:x``, ``https://...``: words
        negated = key.startswith("-") or key == "not"
        key = "is" if key == "not" else key.removeprefix("-")
        low = value.strip().lower()
        if not low:
            return True  # a filter still being typed asks nothing yet
        if key not in FILTER_KEYS:
            typed = "-" + key if negated and key != "is" else key
            self.problems.append(
                f"{typed}: is not a filter (use {', '.join(k + ':' for k in FILTER_KEYS)})"
            )
        elif negated and key in ("after", "before"):
            other = "before" if key == "after" else "after"
            self.problems.append(f"-{key}: cannot be negated; use {other}: instead")
        elif key == "is":
            self._status(low, negated)
        elif key == "rel":
            found = relevance_key(value, self.scale)
            if found != NO_RELEVANCE and self.scale.level(self.scale.normalise(value)) is None:
                levels = ", ".join(lv.name for lv in self.scale.levels)
                self.problems.append(f"rel:{low} is not a level ({levels}, none); kept as written")
            self._target(key, negated).append(found)
        elif key == "tag" and not tag_key(value):
            pass  # ``tag:#`` while typing a tag: nothing asked yet
        elif key in ("domain", "tag", "title", "path"):
            self._target(key, negated).append(tag_key(value) if key == "tag" else low)
        else:
            self._date(key, low, negated)
        return True

    def _target(self, key: str, negated: bool) -> list[str]:
        """Where the values of filter ``key`` (or of its negation) are collected."""
        if negated:
            return self.negated.setdefault(key, [])
        plain = {"rel": self.relevance, "domain": self.domains, "tag": self.tags}
        plain |= {"title": self.titles, "path": self.paths, "date": self.dates}
        return plain[key]

    def _status(self, low: str, negated: bool) -> None:
        if low == "starred":
            self.starred.add(not negated)
        elif low in STATUSES:
            (self.not_statuses if negated else self.statuses).append(low)
        else:
            choices = ", ".join(f"is:{s}" for s in (*STATUSES, "starred"))
            self.problems.append(f"is:{low} is not a status (use {choices})")

    def _date(self, key: str, low: str, negated: bool = False) -> None:
        if key == "date":
            prefix = _date_prefix(low)
            if prefix is None and _RELATIVE.fullmatch(low):
                # ``date:7d`` is "in the last week"; so ``-date:7d`` is "before that".
                (self.before if negated else self.after).append(parse_date(low) or "")
            elif prefix is None:
                self.problems.append(f"date:{low} is not a date (use 2026, 2026-11 or 2026-11-03)")
            else:
                self._target(key, negated).append(prefix)
            return
        parsed = parse_date(low)
        if parsed is None:
            self.problems.append(f"{key}:{low} is not a date (use 2026-11-03, or 7d, 2w, 3m, 1y)")
        else:
            (self.after if key == "after" else self.before).append(parsed)

    def build(self) -> Query:
        def unique(values: list[str]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(values))

        groups = [tuple(dict.fromkeys(g)) for g in self.any_of]
        self.terms += [g[0] for g in groups if len(g) == 1]  # ``a OR a`` is just ``a``
        after = max(self.after) if self.after else None
        before = min(self.before) if self.before else None
        if after and before and after >= before:
            self.problems.append(f"after:{after} and before:{before} leave no day between them")
        return Query(
            terms=unique(self.terms),
            statuses=unique(self.statuses),
            not_statuses=unique(self.not_statuses),
            starred=next(iter(self.starred)) if len(self.starred) == 1 else None,
            relevance=unique(self.relevance),
            domains=unique(self.domains),
            tags=unique(self.tags),
            exact=unique(self.exact),
            any_of=tuple(dict.fromkeys(g for g in groups if len(g) > 1)),
            excluded=unique(self.excluded),
            titles=unique(self.titles),
            paths=unique(self.paths),
            dates=unique(self.dates),
            after=after,
            before=before,
            not_tags=unique(self.negated.get("tag", [])),
            not_domains=unique(self.negated.get("domain", [])),
            not_paths=unique(self.negated.get("path", [])),
            not_titles=unique(self.negated.get("title", [])),
            not_relevance=unique(self.negated.get("rel", [])),
            not_dates=unique(self.negated.get("date", [])),
            problems=unique(self.problems),
        )


def parse_query(text: str, scale: RelevanceScale = DEFAULT_SCALE) -> Query:
    """Parse what the user typed into a Query (see the module docstring for the syntax)."""
    builder = _Builder(scale)
    words: list[tuple[str, bool]] = []  # (word, quoted) in order, to join around OR
    joins: list[bool] = []  # joins[i]: an OR stood between words[i] and words[i + 1]
    pending_or = False
    for token, quote_at in _tokens(text):
        if token == "OR" and quote_at is None:
            pending_or = bool(words)
            continue
        head = token if quote_at is None else token[:quote_at]
        key, colon, value = head.partition(":")
        if colon and quote_at is not None:
            value = token[len(key) + 1 :]
        if colon and builder.filter(key.lower(), value, quote_at is not None):
            pending_or = False
            continue
        if token.startswith("-") and len(token) > 1 and quote_at != 0:
            builder.excluded.append(token[1:].lower())
            if quote_at is not None:
                builder.exact.append(token[1:].lower())
            pending_or = False
            continue
        if token:
            if not searchable(token):
                builder.problems.append(f"{token[:20]!r} has no letters or digits to search for")
            if words:
                joins.append(pending_or)
            words.append((token.lower(), quote_at is not None))
            pending_or = False
    group: list[str] = []
    for i, (word, quoted) in enumerate(words):
        if quoted:
            builder.exact.append(word)
        group.append(word)
        if i < len(joins) and joins[i]:
            continue
        if len(group) == 1:
            builder.terms.append(group[0])
        else:
            builder.any_of.append(group)
        group = []
    return builder.build()
