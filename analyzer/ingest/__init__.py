"""Format detection and the registry of ingestors (one module per format).

``detect`` sniffs magic bytes first and falls back to the extension; a ZIP holding
``word/document.xml`` is a DOCX, not an archive (the lesson of ingest-file's scores).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from analyzer.errors import EmptyFile, UnsupportedFormat
from analyzer.records import Document

# How a page note of a format that cannot be OCRed starts when part of its text is garbled.
GARBLED_TEXT = "text garbled"
UNSUPPORTED = {
    ".doc": "legacy Word .doc", ".wps": "WPS", ".xls": "legacy Excel .xls", ".xlsx": "Excel",
    ".ofd": "OFD", ".rar": "RAR", ".7z": "7-Zip", ".ppt": "PowerPoint", ".pptx": "PowerPoint",
}


def detect(path: Path) -> str:
    """Return one of pdf, docx, zip, html, txt; raise UnsupportedFormat otherwise."""
    with open(path, "rb") as f:
        head = f.read(2048)
    if not head:
        raise EmptyFile(f"{path.name}: empty file (0 bytes)")
    # The ZIP signature is checked first: a ZIP whose first stored member is a PDF has "%PDF-"
    # within its first kilobyte too, and read as one PDF its other members would be lost.
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            names = set()
        if "word/document.xml" in names:
            return "docx"
        if path.suffix.lower() == ".docx":
            return "docx"  # let the DOCX reader say what is wrong with it
        return "zip"
    if b"%PDF-" in head[:1024]:  # PDF readers accept junk before the header, so do we
        return "pdf"
    suffix = path.suffix.lower()
    if head.startswith((b"Rar!", b"7z\xbc\xaf")) or suffix in (".rar", ".7z"):
        kind = "RAR" if head.startswith(b"Rar!") or suffix == ".rar" else "7-Zip"
        raise UnsupportedFormat(
            f"{path.name}: {kind} archives are not supported yet; extract it (e.g. unar or 7z x) into a folder "
            "and run analyze on the folder (ZIP archives are read directly)")
    if suffix in UNSUPPORTED:
        raise UnsupportedFormat(
            f"{path.name}: {UNSUPPORTED[suffix]} files are not supported yet; convert to PDF or DOCX "
            "(e.g. libreoffice --headless --convert-to pdf) and re-run")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormat(f"{path.name}: legacy Office binary file (.doc/.xls/.ppt/.wps) not supported; "
                                "convert to PDF or DOCX (e.g. libreoffice --headless --convert-to pdf) and re-run")
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in {".html", ".htm", ".xhtml", ".shtml"} or low.startswith((b"<!doctype html", b"<html")) \
            or b"<html" in low[:1024]:
        return "html"
    if suffix in {".txt", ".text", ".md", ".csv", ""} or b"\x00" not in head or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "txt"
    raise UnsupportedFormat(f"{path.name}: unrecognised binary file")


def _pdf(path: Path, **kw) -> Document:
    from analyzer.ingest import pdf

    return pdf.read(path, ocr_mode=kw.get("ocr_mode", "auto"))


def _docx(path: Path, **kw) -> Document:
    from analyzer.ingest import docx

    return docx.read(path)


def _html(path: Path, **kw) -> Document:
    from analyzer.ingest import html

    return html.read(path)


def _txt(path: Path, **kw) -> Document:
    from analyzer.ingest import text

    return text.read(path)


# Built-in readers go through the same registry an added format would (datasette's renderers).
INGESTORS: dict[str, Callable[..., Document]] = {"pdf": _pdf, "docx": _docx, "html": _html, "txt": _txt}


def read(path: Path, fmt: str | None = None, **kw) -> Document:
    """Read one (non-archive) file into a Document."""
    fmt = fmt or detect(path)
    if fmt not in INGESTORS:
        raise UnsupportedFormat(f"{path.name}: no reader for format {fmt}")
    doc = INGESTORS[fmt](path, **kw)
    if fmt != "pdf":  # PDF pages are judged, and OCRed, one by one in pdf.read
        flag_garbled(doc)
    return doc


def flag_garbled(doc: Document) -> None:
    """Note the garbled passages of pages that have no image to OCR (HTML, DOCX, plain text).

    Their text is kept (it may be partly right, and quotes must match the file), but the note
    lists the document under "needs attention": nothing read wrong passes silently.
    """
    from analyzer.garbled import passages

    for page in doc.pages:
        if page.note or page.needs_ocr:
            continue
        runs = passages(page.text)
        if runs:
            where = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)
            page.note = (f"{GARBLED_TEXT} (lines {where}); {doc.format.upper()} has no page image to OCR, "
                         "check the original")
