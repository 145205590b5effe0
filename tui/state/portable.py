"""The reading state in a portable form: records keyed by vault-relative path and source URL.

Headless: nothing here imports textual or rich.

An export names no note id and no machine path, so it can be imported on a machine whose vault
lives elsewhere: each record comes back under the id of its path, and a note that was renamed
since is found again by its source URL or body fingerprint (as renames are followed on every
open). Every field keeps its stamp, so importing merges by last writer as any merge does.

JSON: ``{"format": "readerly-state", "version": 1, "records": [{path, source, fingerprint,
status, starred, relevance, position, stamps, by}, ...]}``. CSV: one row per record with the
columns of ``CSV_COLUMNS``; ``<field>_at`` holds each field's stamp (empty: never set).
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from tui.state.journal import CorruptFileError, Tree
from tui.state.record import FIELDS, Record, merge_records

FORMAT = "readerly-state"
VERSION = 1
CSV_COLUMNS = (
    "path",
    "source",
    "fingerprint",
    *FIELDS,
    *(f"{name}_at" for name in FIELDS),
    *(f"{name}_by" for name in FIELDS),
    "seen",
)


def export_rows(records: Iterable[Record]) -> list[dict[str, Any]]:
    """The portable form of ``records``, sorted by path."""
    return [rec.to_doc() for rec in sorted(records, key=lambda r: (r.path, r.source, r.id))]


def export_json(records: Iterable[Record]) -> bytes:
    """The JSON export of ``records``."""
    body = {"format": FORMAT, "version": VERSION, "records": export_rows(records)}
    return orjson.dumps(body, option=orjson.OPT_INDENT_2) + b"\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _uncell(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in _FORMULA else text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # A spreadsheet runs a cell that starts like a formula; a quote keeps it text.
    return "'" + text if text[:1] in _FORMULA else text


def export_csv(records: Iterable[Record]) -> str:
    """The CSV export of ``records`` (header row first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc in export_rows(records):
        stamps, by = doc.get("stamps", {}), doc.get("by", {})
        row: list[object] = [doc["path"], doc["source"], doc["fingerprint"]]
        row += [doc.get(name) if name in stamps else None for name in FIELDS]
        row += [stamps.get(name) for name in FIELDS]
        row += [by.get(name) for name in FIELDS]
        row.append(doc.get("seen"))
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def _from_csv(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "path" not in reader.fieldnames:
        raise CorruptFileError("a CSV export needs a header row with a path column")
    docs = []
    for row in reader:
        doc: dict[str, Any] = {k: _uncell(row.get(k) or "") for k in ("path", "source")}
        doc["fingerprint"] = row.get("fingerprint") or ""
        stamps: dict[str, float] = {}
        by: dict[str, str] = {}
        for name in FIELDS:
            raw = row.get(name) or ""
            at = row.get(f"{name}_at") or ""
            if not raw and not at:
                continue
            value: object = _uncell(raw) or None
            if name == "starred":
                value = raw.strip().lower() in ("true", "1", "yes")
            elif name == "position" and value is not None:
                try:
                    value = float(raw)
                except ValueError:
                    continue
            doc[name] = value
            try:
                stamps[name] = float(at) if at else 0.0
            except ValueError:
                stamps[name] = 0.0
            if row.get(f"{name}_by"):
                by[name] = str(row[f"{name}_by"])
        doc["stamps"], doc["by"] = stamps, by
        with contextlib.suppress(ValueError):
            doc["seen"] = float(row.get("seen") or 0)
        docs.append(doc)
    return docs


def parse_export(raw: bytes) -> list[dict[str, Any]]:
    """The record documents of a JSON or CSV export; CorruptFileError if it is neither."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            return _from_csv(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, csv.Error) as err:
            raise CorruptFileError(f"neither a JSON nor a CSV export: {err}") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CorruptFileError(f'not a readerly export (no "format": "{FORMAT}")')
    records = data.get("records")
    if not isinstance(records, list):
        raise CorruptFileError("its records are not a list")
    return [r for r in records if isinstance(r, dict)]


def as_tree(docs: Iterable[Mapping[str, Any]], id_of: Callable[[str], str]) -> Tree:
    """A state tree holding ``docs``, each under the note id of its path (``id_of``).

    Records without a path are left out: nothing could find their note.
    """
    notes: dict[str, Any] = {}
    for doc in docs:
        path = doc.get("path")
        if not isinstance(path, str) or not path:
            continue
        note_id = id_of(path)
        rec = Record.from_doc(note_id, doc)
        mine = notes.get(note_id)
        if mine is not None:
            rec = merge_records(Record.from_doc(note_id, mine), rec)
        notes[note_id] = rec.to_doc()
    return {"notes": notes}
