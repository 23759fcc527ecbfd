"""DOCX: paragraphs and table rows in document order (python-docx, which parses with
entity resolution off, so external entities in a hostile file are not fetched)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from analyzer.errors import IngestError
from analyzer.records import Document, Page, TableRow


def _cell(c) -> str:
    return " ".join(c.text.split())


def read(path: Path) -> Document:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        d = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as ex:
        raise IngestError(f"{path.name}: not a readable DOCX ({ex})") from ex
    except Exception as ex:  # lxml syntax errors and friends: a broken file, not a crash
        raise IngestError(f"{path.name}: could not parse DOCX ({type(ex).__name__}: {ex})") from ex
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    rows: list[TableRow] = []
    pos = 0

    def add(line: str, is_row: bool) -> None:
        nonlocal pos
        if is_row:
            spans.append((pos, pos + len(line)))
        lines.append(line)
        pos += len(line) + 1

    for block in d.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                add(text, False)
        elif isinstance(block, Table):
            header: list[str] = []
            for tr in block.rows:
                cells: list[str] = []
                for c in tr.cells:  # merged cells repeat; keep each once
                    t = _cell(c)
                    if not cells or cells[-1] != t:
                        cells.append(t)
                if not any(cells):
                    continue
                if not header:
                    header = cells
                    continue
                row = TableRow(cells, header)
                rows.append(row)
                add(row.text, True)
    title = d.core_properties.title or None
    return Document("docx", [Page(1, "\n".join(lines), "docx", rows=rows, table_spans=spans)], title=title)
