"""Deterministic synthetic vaults in the clipping pipeline's format.

``generate(root, count, seed)`` writes ``count`` notes: YAML front matter (title, date, source,
domain, relevance, tags, related, status) and the pipeline's body sections, 2–8 KB each, with
about 1% of notes between 100 and 500 KB, a few notes in nested folders, a handful of plain
``.txt`` articles, some mojibake, and emoji and CJK text throughout. The same seed always gives
byte-identical files, so benchmark runs compare like with like.

    python -m benchmarks.genvault DIR --count 10000 [--seed N]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SMALL_BODY = (2048, 8192)
LARGE_BODY = (100_000, 500_000)
LARGE_EVERY = 100  # about 1% of notes are large; at least one per vault
FOLDER_SHARE = 0.08
DANGLING_SHARE = 0.15
MOJIBAKE_SHARE = 0.01


def _wordlist(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = _wordlist("""
index query table cursor vault note reader terminal colour contrast keyboard shortcut
binding screen widget layout column row cache latency throughput memory budget parser
token stream buffer encoding unicode emoji width grapheme commit branch merge rebase
bisect review patch diff history release version schema migration transaction journal
checkpoint lock writer replica backup restore snapshot archive inbox triage relevance
summary highlight margin habit focus review weekly daily reading article clipping source
pipeline feed crawler scraper model prompt embedding vector search ranking filter facet
sort status tag link backlink alias heading section paragraph sentence word glossary
python function class method module package import typing dataclass generator iterator
async await thread process signal socket file path directory folder permission atomic
rename fsync flush sqlite postgres window partition offset keyset pagination plan scan
join hash nested loop estimate statistics vacuum analyze design typography spacing weight
hierarchy palette theme accent border panel modal dialog toast footer header sidebar
workflow practice lesson pattern pitfall trade-off benchmark profile measure regression
careful quick simple robust small large stable fragile clear vague explicit implicit
fast slow cheap costly local remote shared private early late first last next previous
""")

VERBS = _wordlist("""
explains measures compares replaces improves breaks fixes caches sorts filters renders
parses indexes splits merges tracks hides reveals shortens doubles halves avoids needs
""")

FOREIGN = (
    "この記事では、データベースのインデックスについて説明します。",
    "設定を変えたら、必ずテストを実行してください。",
    "ターミナルでの作業はキーボードだけで完結します。",
    "読みたい記事が多すぎるので、毎週少しずつ整理しています。",
    "这篇文章介绍了如何在本地运行小型语言模型。",
    "我们用二分查找定位了引入错误的提交。",
    "预写日志让读者和写者可以同时工作。",
    "每天花十分钟整理稍后阅读的清单。",
    "이 메모는 검색 속도를 측정하기 위한 것입니다.",
)
EMOJI = ("🚀", "📚", "✨", "🧪", "🐍", "💡", "🔧", "📈", "🔍", "🧠", "✅", "⚡")
DOMAINS = _wordlist("Python SQL Productivity AI-Tools Terminal Design Git Learning")
TAGS = tuple(
    "#" + t
    for t in _wordlist("""python sql sqlite postgres productivity terminal cli design git tutorial
    best-practice performance reading learning tool library testing debugging unicode
    keyboard search workflow writing review colour typography api security data""")
)
HOSTS = _wordlist(
    "example.com example.org blog.example field-notes.example dev-journal.example pythonic.example"
)
FOLDERS = ("archive", "archive/2025", "inbox", "projects/search", "reading/books", "reading list")
RELEVANCE = ("🔴", "🟡", "🟢")
APPLY = (
    "Try the main technique on a small real example this week.",
    "Write down one thing you would change in your own setup.",
    "Measure before and after; keep the numbers in this note.",
    "Share the one surprising point with a colleague.",
    "Add a flashcard for the idea you are most likely to forget.",
)
CODE = {
    "python": ("def {a}({b}: str) -> int:", "    {c} = len({b})", "    return {c} * 2"),
    "sql": ("SELECT {a}, count(*)", "FROM {b}", "WHERE {c} IS NOT NULL", "GROUP BY {a};"),
    "bash": ("{a} --{b} | sort | uniq -c", "echo done {c}"),
}


@dataclass(slots=True)
class _Plan:
    """What is decided about one note before any text is written."""

    name: str
    folder: str
    title: str
    date: str
    suffix: str = ".md"
    large: bool = False
    mojibake: bool = False
    related: list[str] = field(default_factory=list)


class _Text:
    """Seeded sentence pool, so notes are assembled from pieces instead of per-word loops."""

    def __init__(self, rng: random.Random, size: int = 3000) -> None:
        self.rng = rng
        self.sentences = [self._sentence() for _ in range(size)]
        self.lengths = [len(s.encode()) + 1 for s in self.sentences]

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def _sentence(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            return rng.choice(FOREIGN)
        subject, rest = self.words(1, 3), self.words(4, 14)
        text = f"{subject.capitalize()} {rng.choice(VERBS)} {rest}"
        if roll < 0.12:
            text += f" with `{rng.choice(WORDS)}_{rng.choice(WORDS)}()`"
        elif roll < 0.18:
            text += f", so **{rng.choice(WORDS)}** matters"
        elif roll < 0.22:
            word = rng.choice(WORDS)
            text += f" ([{word}](https://{rng.choice(HOSTS)}/{word}))"
        if rng.random() < 0.06:
            text += f" {rng.choice(EMOJI)}"
        return text + rng.choice(".....?!")

    def fill(self, budget: int) -> list[str]:
        """Paragraphs whose UTF-8 size first reaches ``budget`` bytes."""
        rng, paragraphs, current, total = self.rng, [], [], 0
        limit = rng.randint(3, 7)
        while total < budget:
            i = rng.randrange(len(self.sentences))
            current.append(self.sentences[i])
            total += self.lengths[i]
            if len(current) >= limit:
                paragraphs.append(" ".join(current))
                total += 1
                current, limit = [], rng.randint(3, 7)
        if current:
            paragraphs.append(" ".join(current))
        return paragraphs

    def code_block(self) -> str:
        lang = self.rng.choice(tuple(CODE))
        a, b, c = (self.rng.choice(WORDS).replace("-", "_") for _ in range(3))
        lines = "\n".join(line.format(a=a, b=b, c=c) for line in CODE[lang])
        return f"```{lang}\n{lines}\n```"

    def table(self) -> str:
        rows = ["| Item | Value | Note |", "|---|---:|---|"]
        for _ in range(self.rng.randint(3, 8)):
            rows.append(
                f"| {self.words(1, 2)} | {self.rng.randint(1, 9999)} | {self.words(2, 5)} |"
            )
        return "\n".join(rows)


def _slug(title: str) -> str:
    return "-".join(title.lower().split())[:80].strip("-")


def _plans(rng: random.Random, text: _Text, count: int) -> list[_Plan]:
    base = dt.date(2024, 1, 1).toordinal()
    plans: list[_Plan] = []
    taken: set[str] = set()
    for i in range(count):
        date = dt.date.fromordinal(base + rng.randrange(900)).isoformat()
        words = text.words(3, 8)
        title = words.capitalize()
        roll = rng.random()
        if roll < 0.03:
            title += f" {rng.choice(EMOJI)}"
        elif roll < 0.05:
            title = rng.choice(FOREIGN).rstrip("。.")
        name = f"{date}-{_slug(words)}"
        if name in taken:
            name = f"{name}-{i}"
        taken.add(name)
        folder = rng.choice(FOLDERS) if rng.random() < FOLDER_SHARE else ""
        plans.append(_Plan(name, folder, title, date))
    if count:
        for i in rng.sample(range(count), max(1, count // LARGE_EVERY)):
            plans[i].large = True
        small = [i for i, p in enumerate(plans) if not p.large]
        for i in rng.sample(small, min(len(small), count // 20, 5 + count // 2000)):
            plans[i].suffix = ".txt"
        for i in rng.sample(small, min(len(small), max(1, int(count * MOJIBAKE_SHARE)))):
            plans[i].mojibake = True
    names = [p.name for p in plans]
    for plan in plans:
        for _ in range(rng.randint(3, 6)):
            if rng.random() < DANGLING_SHARE or not names:
                missing = f"{plan.date}-{text.words(2, 4).replace(' ', '-')}-draft"
                plan.related.append(missing)
            else:
                other = rng.choice(names)
                plan.related.append(other if other != plan.name else rng.choice(names))
    return plans


def _front_matter(rng: random.Random, plan: _Plan, source: str, relevance: str | None) -> str:
    lines = [
        "---",
        "title: '" + plan.title.replace("'", "''") + "'",
        f"date: '{plan.date}'",
        f"source: {source}",
        f"domain: {rng.choice(DOMAINS)}",
    ]
    if relevance is not None:
        lines.append(f"relevance: {relevance}")
    lines.append("tags:")
    lines.extend(f"- '{t}'" for t in rng.sample(TAGS, rng.randint(2, 6)))
    lines.append("related:")
    lines.extend(f"- '[[{r}]]'" for r in plan.related)
    status = rng.choices(("unread", "read", "archived"), weights=(80, 15, 5))[0]
    lines += [f"status: {status}", "---", ""]
    return "\n".join(lines)


def _large_sections(text: _Text, budget: int) -> list[str]:
    parts: list[str] = []
    total = 0
    while total < budget:
        heading = f"### {text.rng.choice(EMOJI)} {text.words(2, 5).capitalize()}"
        chunk = [heading, *text.fill(text.rng.randint(1500, 3500))]
        roll = text.rng.random()
        chunk.append(text.code_block() if roll < 0.4 else text.table() if roll < 0.7 else "")
        block = "\n\n".join(c for c in chunk if c)
        parts.append(block)
        total += len(block.encode()) + 2
    return parts


def _note(rng: random.Random, text: _Text, plan: _Plan) -> str:
    source = f"https://{rng.choice(HOSTS)}/{plan.date[:4]}/{plan.name[11:]}"
    roll = rng.random()
    relevance: str | None = rng.choice(RELEVANCE)
    if roll < 0.03:
        relevance = None
    elif roll < 0.05:
        relevance = rng.choice(("high", "medium", "low"))
    low, high = LARGE_BODY if plan.large else SMALL_BODY
    # mojibake makes every non-ASCII byte two or three, so leave room for it to grow
    headroom = 4096 if plan.large else 2800 if plan.mojibake else 600
    target = rng.randint(low, high - headroom)
    if plan.suffix == ".txt":
        return plan.title + "\n\n" + "\n\n".join(text.fill(target)) + "\n"
    heading = "What’s new and why it matters"
    if rng.random() < 0.2:
        heading = f"{rng.choice(EMOJI)} {heading}"
    tail = [
        "## How to apply\n" + "\n".join(f"- {a}" for a in rng.sample(APPLY, rng.randint(1, 3))),
        f"## Relevance\n{relevance}" if relevance else "",
        f"## Source\n{source}",
        "## Related notes\n" + "\n".join(f"- [[{r}]]" for r in plan.related),
    ]
    tldr = f"> **TL;DR:** {text.sentences[rng.randrange(len(text.sentences))]}"
    fixed = len("\n\n".join([tldr, f"## {heading}", *tail]).encode()) + 2
    filler = _large_sections(text, target - fixed) if plan.large else text.fill(target - fixed)
    if not plan.large and rng.random() < 0.25:
        filler.insert(rng.randrange(len(filler) + 1), text.code_block())
    sections = [tldr, f"## {heading}", *filler, *tail]
    body = "\n\n".join(s for s in sections if s) + "\n"
    return _front_matter(rng, plan, source, relevance) + "\n" + body


def generate(root: Path, count: int, seed: int = 1) -> None:
    """Write ``count`` synthetic notes under ``root``; the same seed gives identical bytes."""
    rng = random.Random(seed)
    text = _Text(rng)
    plans = _plans(rng, text, count)
    root.mkdir(parents=True, exist_ok=True)
    made: set[Path] = set()
    for plan in plans:
        folder = root / plan.folder if plan.folder else root
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        content = _note(rng, text, plan)
        if plan.mojibake:
            # what a pipeline writes when it decodes UTF-8 bytes as a Windows code page
            content = content.encode("utf-8").decode("cp1254", errors="replace")
        path = folder / f"{plan.name}{plan.suffix}"
        path.write_bytes(content.encode("utf-8"))
        # mtimes follow the note dates so sorting by modification time is meaningful
        stamp = calendar.timegm(dt.date.fromisoformat(plan.date).timetuple()) + 43_200
        os.utime(path, (stamp, stamp))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.genvault DIR --count N [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.genvault", description=__doc__)
    parser.add_argument("dir", type=Path, help="directory to create the vault in")
    parser.add_argument("--count", type=int, default=10_000, help="number of notes")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same vault)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be zero or more")
    if args.dir.exists() and any(args.dir.iterdir()):
        print(f"{args.dir}: not empty; choose a new directory", file=sys.stderr)
        return 2
    generate(args.dir, args.count, args.seed)
    print(f"wrote {args.count} notes to {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
