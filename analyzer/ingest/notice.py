"""Notice records: a platform's notice as a crawler stored it (JSON with ``title``, ``published``,
``html``), turned into a Document the rest of the flow reads like any other file.

The HTML body of a platform notice lacks its own title and date (the platform prints them around
it), so both come from the record; the one loader keeps every script, test and measurement on the
same terms. ``iter_records`` also splits a record file into the two halves used for measurement:
calibration (even positions) to tune on, reporting (odd positions) to report on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from analyzer.records import Document

HALVES = ("calibration", "reporting")


def read_notice(record: dict) -> Document:
    """One notice record (``html`` plus ``title``/``published``) as a Document."""
    from analyzer.ingest.html import parse

    name = str(record.get("id") or record.get("title") or "notice")
    html = record.get("html") or ""
    doc = parse(html.encode("utf-8") if isinstance(html, str) else html, name)
    title = (record.get("title") or "").strip()
    if title:
        doc.title = title
    published = record.get("published")
    doc.published = str(published) if published else None
    doc.source_url = record.get("url") or doc.source_url
    return doc


def iter_records(path: Path, half: str | None = None) -> Iterator[tuple[int, dict]]:
    """(position, record) for each line of a ``.jsonl`` or ``.jsonl.gz`` file.

    ``half`` keeps the even positions ("calibration") or the odd ones ("reporting"); None keeps all.
    """
    if half is not None and half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)} or None, not {half!r}")
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for pos, line in enumerate(f):
            if half == "calibration" and pos % 2:
                continue
            if half == "reporting" and not pos % 2:
                continue
            if line.strip():
                yield pos, json.loads(line)


def corpus_dir(start: Path | None = None) -> Path | None:
    """The shared real-document corpus (``../shared/corpus`` beside the checkout), or None.

    Only measurement scripts and tests use it; nothing in the product depends on it.
    """
    here = Path(start) if start is not None else Path(__file__).resolve().parents[2]
    for base in (here, *here.parents):
        cand = base.parent / "shared" / "corpus"
        if cand.is_dir():
            return cand
        if (base / ".git").exists() or (base / "pyproject.toml").exists():
            break
    return None
