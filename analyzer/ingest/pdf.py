"""PDF ingestion: fast text through pypdfium2, OCR for pages without a usable text layer,
pdfplumber only on pages that look like they hold a parameter table.

pypdfium2 was ~18x faster than pdfplumber for plain text on a 56-page Chinese tender, so it
is the default; layout work happens only where it pays (tables, and boxes for findings).
"""

from __future__ import annotations

import re
from pathlib import Path

from analyzer import limits
from analyzer.errors import EmptyFile, EncryptedFile, IngestError, LimitExceeded
from analyzer.ingest import ocr
from analyzer.normalize import cjk_count, garbage_ratio
from analyzer.records import BBox, Document, Page, TableRow

# A page header row that announces a parameter or function table (primer 1.7).
TABLE_HINT = re.compile(r"序\s*号.{0,40}?(名\s*称|参\s*数|功\s*能|模\s*块|要\s*求|规\s*格)", re.S)


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as ex:
        msg = str(ex)
        if "password" in msg.lower():
            raise EncryptedFile(
                f"{path.name}: encrypted PDF (the empty password did not open it); "
                "remove the password and re-run") from ex
        raise IngestError(f"{path.name}: not a readable PDF ({msg})") from ex


def needs_ocr(text: str, has_images: bool) -> str | None:
    """Why a page's text layer is unusable, or None when it reads fine."""
    stripped = "".join(text.split())
    if garbage_ratio(text) > 0.1:
        return "glyph codes ((cid:N) or U+FFFD) instead of text"
    if len(stripped) < 10:
        return "no text layer" if has_images or not stripped else None
    if has_images and cjk_count(text) < 10 and len(stripped) < 60:
        return "almost no text over a page image"
    return None


def _render_scale(width: float, height: float, why: str) -> tuple[float, str]:
    """Pixels per point for OCR: 300 dpi, scaled down so the bitmap stays under the pixel cap.

    A hostile or poster-sized page would otherwise ask for gigabytes of bitmap. The note
    says when a page was read at a lower resolution, because OCR quality drops with it.
    """
    scale = ocr.DPI / 72
    cap = limits.DEFAULT.max_render_pixels
    pixels = max(1.0, width * scale) * max(1.0, height * scale)
    if pixels <= cap:
        return scale, why
    scale *= (cap / pixels) ** 0.5
    return scale, (f"{why}; page is {width:.0f}x{height:.0f} pt, so it was rendered at {scale * 72:.0f} dpi "
                   f"to stay under {cap:,} pixels")


def _has_images(page) -> bool:
    import pypdfium2.raw as raw

    return any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def read(path: Path, *, ocr_mode: str = "auto") -> Document:
    """Read every page; OCR pages without usable text when ``ocr_mode`` is auto or force."""
    pdf = _open(path)
    try:
        n = len(pdf)
        if n == 0:
            raise EmptyFile(f"{path.name}: PDF has no pages")
        max_pages = limits.DEFAULT.max_pdf_pages  # read at call time: one place to change it
        if n > max_pages:
            raise LimitExceeded(f"{path.name}: {n:,} pages, over the {max_pages:,}-page limit")
        ocr_missing = ocr.available() if ocr_mode != "off" else "OCR switched off"
        pages: list[Page] = []
        for i in range(n):
            page = pdf[i]
            try:
                width, height = page.get_size()
                tp = page.get_textpage()
                # Same-length substitution keeps text offsets equal to pdfium character indexes.
                text = tp.get_text_range().replace("\r", " ")
                why = "forced" if ocr_mode == "force" else needs_ocr(text, _has_images(page))
                p = Page(i + 1, text, "text", width, height)
                if not why and TABLE_HINT.search(text):
                    p.rows, boxes = _tables(path, i)
                    p.table_spans = _lines_inside(text, tp, height, boxes)
                tp.close()
                if why:
                    if ocr_missing:
                        p.needs_ocr, p.note, p.method = True, f"{why}; {ocr_missing}", "none"
                    else:
                        scale, why = _render_scale(width, height, why)
                        bitmap = page.render(scale=scale, grayscale=True)
                        img = bitmap.to_pil()
                        bitmap.close()
                        import io

                        buf = io.BytesIO()
                        img.convert("L").save(buf, format="PNG")
                        del img
                        res = ocr.ocr_image(buf.getvalue(), dpi=scale * 72)
                        p = Page(i + 1, res.text, "ocr", width, height, ocr_confidence=res.confidence,
                                 note=why, words=res.words)
                pages.append(p)
            finally:
                page.close()
    finally:
        pdf.close()
    return Document("pdf", pages)


def _clean_cell(c: str | None) -> str:
    return " ".join((c or "").split())


def _tables(path: Path, index: int) -> tuple[list[TableRow], list[BBox]]:
    """Ruled tables on one page via pdfplumber: one TableRow per body row, with the header."""
    import pdfplumber

    rows: list[TableRow] = []
    boxes: list[BBox] = []
    with pdfplumber.open(str(path), pages=[index + 1]) as pl:
        page = pl.pages[0]
        for table in page.find_tables():
            data = table.extract()
            if len(data) < 2:
                continue
            header = [_clean_cell(c) for c in data[0]]
            boxes.append(tuple(table.bbox))  # type: ignore[arg-type]
            for cells, row in zip(data[1:], table.rows[1:], strict=False):
                cells = [_clean_cell(c) for c in cells]
                if not any(cells) or cells == header:
                    continue
                rows.append(TableRow(cells, header, tuple(row.bbox)))  # type: ignore[arg-type]
    return rows, boxes


def _lines_inside(text: str, tp, height: float, boxes: list[BBox]) -> list[tuple[int, int]]:
    """Raw-text spans of the lines whose first character sits inside one of the table boxes."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        first = next((k for k in range(start, end) if not text[k].isspace()), None)
        if first is None:
            continue
        left, bottom, right, top = tp.get_charbox(first, loose=True)
        box = (left, height - top, right, height - bottom)
        if any(inside(box, b) for b in boxes):
            spans.append((start, end))
    return spans


def char_boxes(path: Path, spans: dict[int, list[tuple[int, int]]]) -> dict[tuple[int, int, int], BBox]:
    """Union of character boxes for text spans, keyed by (page, start, end).

    Run after classification and only for clauses with findings, so layout costs nothing on
    pages nobody will look at.
    """
    import pypdfium2 as pdfium

    out: dict[tuple[int, int, int], BBox] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for pno, items in spans.items():
            page = pdf[pno - 1]
            height = page.get_height()
            tp = page.get_textpage()
            count = tp.count_chars()
            text = tp.get_text_range()
            for start, end in items:
                xs0, ys0, xs1, ys1 = [], [], [], []
                for ci in range(max(0, start), min(end, count)):
                    if ci < len(text) and text[ci].isspace():
                        continue
                    left, bottom, right, top = tp.get_charbox(ci, loose=True)
                    if right <= left:
                        continue
                    xs0.append(left)
                    xs1.append(right)
                    ys0.append(height - top)
                    ys1.append(height - bottom)
                if xs0:
                    out[(pno, start, end)] = (round(min(xs0), 1), round(min(ys0), 1),
                                              round(max(xs1), 1), round(max(ys1), 1))
            tp.close()
            page.close()
    finally:
        pdf.close()
    return out


def inside(box: BBox, region: BBox, slack: float = 1.0) -> bool:
    """Whether the centre of ``box`` lies in ``region``."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - slack <= cx <= region[2] + slack and region[1] - slack <= cy <= region[3] + slack
