"""The full-text engine, measured beside the other candidate: SQLite FTS5 (stdlib, unicode61
with diacritics removed, bm25) against tantivy as readerly uses it (:mod:`tui.vault.engine`).

Same notes, same machine, same run: build time, size on disk, and ranked queries (top 200)
for a common word, a rare word, a prefix and a no-match, median of 5.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.vault.engine import IndexedDoc, TextIndex, TextQuery, Word
from tui.vault.fulltext import document
from tui.vault.index import Vault

QUERIES = {"common": "python", "rare": "grapheme", "prefix": "distrib", "nomatch": "zqxj"}
TOP = 200


def _median_ms(run: Callable[[], object]) -> float:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return (
        sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)
        / 1e6
    )


def _tantivy(docs: list[IndexedDoc], where: Path) -> dict[str, float]:
    shutil.rmtree(where, ignore_errors=True)
    start = time.perf_counter()
    index = TextIndex(where)
    index.update(docs)
    out = {"build_s": time.perf_counter() - start, "size_mb": _size_mb(where)}
    for kind, word in QUERIES.items():
        query = TextQuery(((Word(word, phrase=kind != "prefix"),),))
        out[f"{kind}_ms"] = _median_ms(lambda q=query: index.search(q, limit=TOP))  # type: ignore[misc]
    return out


def _fts5(docs: list[IndexedDoc], where: Path) -> dict[str, float]:
    where.unlink(missing_ok=True)
    start = time.perf_counter()
    db = sqlite3.connect(where)
    db.execute(
        "CREATE VIRTUAL TABLE notes USING fts5(title, body,"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    db.executemany("INSERT INTO notes VALUES (?, ?)", ((d.title, d.body) for d in docs))
    db.commit()
    out = {"build_s": time.perf_counter() - start, "size_mb": _size_mb(where)}
    sql = "SELECT rowid FROM notes WHERE notes MATCH ? ORDER BY bm25(notes, 8.0, 1.0) LIMIT ?"
    for kind, word in QUERIES.items():
        match = f"{word}*" if kind == "prefix" else word
        out[f"{kind}_ms"] = _median_ms(lambda m=match: db.execute(sql, (m, TOP)).fetchall())  # type: ignore[misc]
    db.close()
    return out


def compare(root: Path, work: Path, *, fts5: bool = True) -> dict[str, Any]:
    """Both engines over the notes of ``root`` (FTS5 only when ``fts5``)."""
    work.mkdir(parents=True, exist_ok=True)
    vault = Vault.open(root, cache_dir=work / "cache")
    docs = [document(vault.root, n, 0, n.size) for n in vault.notes]
    result: dict[str, Any] = {"tantivy": _tantivy(docs, work / "tantivy")}
    if fts5:
        result["sqlite_fts5"] = _fts5(docs, work / "fts5.db")
    return {"engines": result}


def table(result: dict[str, dict[str, float]]) -> str:
    """The comparison as printed rows, one column per engine."""
    names = list(result)
    rows = [f"{'':<22}" + "".join(f"{n:>16}" for n in names)]
    for key in ("build_s", "size_mb", *(f"{k}_ms" for k in QUERIES)):
        unit = key.rsplit("_", 1)[1]
        cells = "".join(f"{result[n].get(key, float('nan')):>13.2f} {unit:<2}" for n in names)
        rows.append(f"{key.rsplit('_', 1)[0]:<22}{cells}")
    return "\n".join(rows)
