"""Output formats, as entries in a dict rather than branches (datasette's renderers).

JSON keeps Chinese readable (ensure_ascii=False); NDJSON streams one record per line; CSV
neutralises spreadsheet formulas (a cell starting with = + - @ gets a leading apostrophe)
because tender text is untrusted; table is for people at a terminal.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The columns of each table, in order, for every output that writes that table: `findings` and
# `documents` (csv, json, ndjson) and `export`'s files. the README's export section documents each
# one in this order (a test holds them equal). New columns go at the end.
COLUMNS: dict[str, list[str]] = {
    "documents": [
        "id", "sha256", "name", "paths", "format", "size", "pages", "clauses", "findings", "status", "error",
        "encoding", "title", "parent_sha256", "analyzer_version", "taxonomy_version", "method", "notice_type",
        "project_number", "project_number_norm", "project_name", "buyer", "buyer_is_police", "buyer_type",
        "agency", "budget_yuan", "award_yuan", "winner", "winner_credit_code", "region", "dates", "markers",
        "budget_lots", "award_lots", "source_url", "retrieved_at", "budget_basis", "award_rate", "metadata_evidence",
        "extraction_version"],
    "clauses": [
        "id", "document_id", "page", "ordinal", "number", "level", "marker", "heading", "section_path", "kind",
        "table_header", "text", "norm", "page_start", "page_end", "bbox", "zone", "document", "sha256",
        "page_last"],
    "findings": [
        "document", "sha256", "page", "kind", "label", "score", "method", "text", "evidence", "evidence_start",
        "evidence_end", "bbox", "reason", "tier", "clause_number", "marker", "section_path", "clause_id", "buyer",
        "project_number", "gloss", "capabilities"],
}
# What the `table` format shows of each table: what fits a terminal.
TABLE_COLUMNS: dict[str, list[str]] = {
    "documents": ["name", "status", "format", "pages", "clauses", "findings", "notice_type", "project_number",
                  "buyer", "budget_yuan", "error"],
    "findings": ["document", "page", "kind", "label", "score", "method", "evidence", "text"],
}


def _cell(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


def safe_csv_value(v: Any) -> Any:
    """Make a value safe to open in Excel/LibreOffice: no formula can run from tender text."""
    v = _cell(v)
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def write_json(rows: Iterable[dict], out: TextIO, columns: list[str] | None = None) -> None:
    """A JSON array written one row per line, so large outputs stream."""
    first = True
    out.write("[")
    for r in rows:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(_pick(r, columns), ensure_ascii=False, default=str))
        first = False
    out.write("\n]\n" if not first else "]\n")


def write_ndjson(rows: Iterable[dict], out: TextIO, columns: list[str] | None = None) -> None:
    """One JSON object per line, so large outputs stream and tools can read line by line."""
    for r in rows:
        out.write(json.dumps(_pick(r, columns), ensure_ascii=False, default=str) + "\n")


def write_csv(rows: Iterable[dict], out: TextIO, columns: list[str] | None = None, bom: bool = False) -> None:
    """CSV with a header row; formula-like cells neutralised, lists and objects as JSON text."""
    it = iter(rows)
    first = next(it, None)
    cols = columns or (list(first) if first else [])
    if bom:
        out.write("\ufeff")
    w = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    if first is None:
        return
    for r in _chain(first, it):
        w.writerow({k: safe_csv_value(r.get(k)) for k in cols})


def write_table(rows: Iterable[dict], out: TextIO, columns: list[str] | None = None, width: int = 48) -> None:
    """A plain-text table; control characters in tender text are shown escaped, never executed."""
    data = [_pick(r, columns) for r in rows]
    if not data:
        out.write("(no rows)\n")
        return
    cols = list(data[0])
    cells = [[terminal_safe(_short(_cell(r.get(c)), width)) for c in cols] for r in data]
    widths = [max(_w(c), *(_w(row[i]) for row in cells)) for i, c in enumerate(cols)]
    out.write("  ".join(_pad(c, widths[i]) for i, c in enumerate(cols)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(_pad(v, widths[i]) for i, v in enumerate(row)).rstrip() + "\n")


def terminal_safe(s: str) -> str:
    """Escape control characters (ANSI escapes, BEL, …) so untrusted text cannot drive a terminal."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in s)


FORMATS: dict[str, Callable[..., None]] = {
    "json": write_json, "ndjson": write_ndjson, "csv": write_csv, "table": write_table,
}


def write(rows: Iterable[dict], fmt: str, out: TextIO, columns: list[str] | None = None, **kw: Any) -> None:
    """Write rows in the named format (a key of FORMATS); an unknown format is a ValueError."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    FORMATS[fmt](rows, out, columns, **kw)


def export_tables(store, out_dir: Path, bom: bool = False) -> list[Path]:
    """Write documents, clauses and findings as CSV and JSON files into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sources: dict[str, Callable[[], Iterator[dict]]] = {
        "documents": lambda: store.documents(), "clauses": store.clause_rows, "findings": store.findings,
    }
    for name, rows in sources.items():
        p = out_dir / f"{name}.csv"
        with open(p, "w", encoding="utf-8", newline="") as f:
            write_csv(rows(), f, COLUMNS[name], bom=bom)
        written.append(p)
        p = out_dir / f"{name}.json"
        with open(p, "w", encoding="utf-8") as f:
            write_json(rows(), f, COLUMNS[name])
        written.append(p)
    return written


def _pick(r: dict, columns: list[str] | None) -> dict:
    return {c: r.get(c) for c in columns} if columns else dict(r)


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest


def _short(v: Any, width: int) -> str:
    s = "" if v is None else " ".join(str(v).split())
    return s if _w(s) <= width else _cut(s, width - 1) + "…"


def _w(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cut(s: str, width: int) -> str:
    out, w = [], 0
    for ch in s:
        cw = _w(ch)
        if w + cw > width:
            break
        out.append(ch)
        w += cw
    return "".join(out)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _w(s))
