"""Plain-text ingestion with encoding detection (BOMs, UTF-8, UTF-16 without BOM, GB18030)."""

from __future__ import annotations

import codecs
from pathlib import Path

from analyzer import limits
from analyzer.errors import EmptyFile, IngestError, LimitExceeded
from analyzer.records import Document, Page

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
WESTERN = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text and say which encoding won.

    Order: BOM, then a declared encoding (GB2312/GBK widened to GB18030, their superset),
    then strict UTF-8, UTF-16 when half the bytes are NUL, strict GB18030, and finally
    charset-normalizer's best guess. A declared Western single-byte encoding (ISO-8859-1,
    windows-1252, ASCII) goes after GB18030. Raises IngestError when nothing decodes cleanly.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc.replace("-sig", "")
    candidates: list[str] = []
    western = False
    if declared:
        d = declared.strip().lower()
        # Portals often send a server default (ISO-8859-1, windows-1252) for GBK pages; those
        # decode anything without error, so they are tried only after UTF-8 and GB18030.
        western = d.replace("_", "-") in WESTERN
        if not western:
            candidates.append("gb18030" if d in {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"} else d)
    candidates.append("utf-8")
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        even_nuls = sample[0::2].count(b"\x00")
        candidates.insert(0, "utf-16-be" if even_nuls > len(sample) // 4 else "utf-16-le")
    candidates.append("gb18030")
    if western:
        candidates.append(declared.strip().lower())
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        raise IngestError("could not detect the text encoding (tried UTF-8, UTF-16, GB18030)")
    return data.decode(best.encoding, errors="replace"), best.encoding


def check_length(name: str, text: str) -> None:
    """Refuse text past ``max_text_chars``: every later stage is linear in it, none is free."""
    cap = limits.DEFAULT.max_text_chars
    if len(text) > cap:
        raise LimitExceeded(f"{name}: {len(text):,} characters of text, over the {cap:,}-character limit")


def read(path: Path) -> Document:
    """A text file, its encoding detected (UTF-8, UTF-16, GB18030), as one page."""
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFile(f"{path.name}: empty file")
    text, enc = decode(data)
    check_length(path.name, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFile(f"{path.name}: no text")
    return Document("txt", [Page(1, text, "txt")], encoding=enc)
