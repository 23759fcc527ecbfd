"""Plain-text ingestion with encoding detection (BOMs, UTF-8, UTF-16 without BOM, GB18030)."""

from __future__ import annotations

import codecs
from pathlib import Path

from analyzer.errors import EmptyFile, IngestError
from analyzer.records import Document, Page

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text and say which encoding won.

    Order: BOM, then a declared encoding (GB2312/GBK widened to GB18030, their superset),
    then strict UTF-8, UTF-16 when half the bytes are NUL, strict GB18030, and finally
    charset-normalizer's best guess. Raises IngestError when nothing decodes cleanly.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc.replace("-sig", "")
    candidates: list[str] = []
    if declared:
        d = declared.strip().lower()
        candidates.append("gb18030" if d in {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"} else d)
    candidates.append("utf-8")
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        even_nuls = sample[0::2].count(b"\x00")
        candidates.insert(0, "utf-16-be" if even_nuls > len(sample) // 4 else "utf-16-le")
    candidates.append("gb18030")
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


def read(path: Path) -> Document:
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFile(f"{path.name}: empty file")
    text, enc = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFile(f"{path.name}: no text")
    return Document("txt", [Page(1, text, "txt")], encoding=enc)
