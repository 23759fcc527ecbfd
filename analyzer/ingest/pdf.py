"""PDF ingestion: fast text through pypdfium2, OCR for pages without a usable text layer,
ruled tables read from pdfium's path objects on pages that announce a parameter table.

pypdfium2 was ~18x faster than pdfplumber for plain text on a 56-page Chinese tender, so it
is the default; layout work happens only where it pays (ruled tables, and one box per text line).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from analyzer import limits
from analyzer.errors import EmptyFile, EncryptedFile, IngestError, LimitExceeded
from analyzer.garbled import is_garbled
from analyzer.ingest import ocr
from analyzer.normalize import cjk_count, garbage_ratio
from analyzer.records import BBox, Document, Page, TableRow, Word

_T = TypeVar("_T")
# The reason a page whose fonts map glyphs to the wrong characters is OCRed (analyzer/garbled.py).
GARBLED = "text layer garbled"
# A page header row that announces a parameter or function table (docs/taxonomy.md §1).
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


def needs_ocr(text: str, has_images: bool | Callable[[], bool]) -> str | None:
    """Why a page's text layer is unusable, or None when it reads fine: no text, glyph codes,
    garbled text (glyphs mapped to the wrong characters, see analyzer/garbled.py).

    ``has_images`` may be a callable: walking a page's objects costs time, and only pages
    with little text need the answer.
    """
    stripped = "".join(text.split())
    if garbage_ratio(text) > 0.1:
        return "glyph codes ((cid:N) or U+FFFD) instead of text"
    if is_garbled(text):
        return GARBLED
    if len(stripped) >= 60:
        return None
    images = has_images() if callable(has_images) else has_images
    if len(stripped) < 10:
        return "no text layer" if images or not stripped else None
    if images and cjk_count(text) < 10:
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


# Text pages each forked reader should get at least (see read()): below that, forking and opening
# the file again cost more than the pages it would take off this process (~5 ms a page).
MIN_PAGES_PER_PART = 12


def read(path: Path, *, ocr_mode: str = "auto") -> Document:
    """Read every page; OCR pages without usable text when ``ocr_mode`` is auto or force.

    A long PDF is read on every core this process may use (``workers.cores()``): page k goes
    to part k mod n, each part opens the file itself (in a forked child but the first), and the
    pages come back in order. The pages that need OCR are then shared out the same way, from two
    pages up: Tesseract takes seconds a page, and one single-threaded Tesseract per core is
    faster than one using every core (ocr.py).
    """
    from analyzer import workers

    pdf = _open(path)
    try:
        n = len(pdf)
    finally:
        pdf.close()
    if n == 0:
        raise EmptyFile(f"{path.name}: PDF has no pages")
    max_pages = limits.DEFAULT.max_pdf_pages  # read at call time: one place to change it
    if n > max_pages:
        raise LimitExceeded(f"{path.name}: {n:,} pages, over the {max_pages:,}-page limit")
    ocr_missing = ocr.available() if ocr_mode != "off" else "OCR switched off"
    parts = max(1, min(workers.cores(), n // MIN_PAGES_PER_PART))
    read_parts = workers.spread(lambda k: _read_pages(path, range(k, n, parts), ocr_mode, ocr_missing),
                                list(range(parts)))
    pages = {p.number: p for part in read_parts for p, _why in part}
    todo = [(p.number, why) for part in read_parts for p, why in part if why]
    if todo:
        todo.sort()
        parts = max(1, min(workers.cores(), len(todo)))
        for part in workers.spread(lambda k: _ocr_pages(path, todo[k::parts]), list(range(parts))):
            pages.update((p.number, p) for p in part)
    return Document("pdf", [pages[k] for k in sorted(pages)])


def _each_page(path: Path, numbers: Iterable[int], read: Callable[[Any, int], _T]) -> list[_T]:
    """``read(page, i)`` for the pages at ``numbers`` (0-based), from a document this call opens
    itself: each part of a spread reading runs in its own process, and pdfium handles do not cross one."""
    pdf = _open(path)
    out: list[_T] = []
    try:
        for i in numbers:
            page = pdf[i]
            try:
                out.append(read(page, i))
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _read_pages(path: Path, numbers: range, ocr_mode: str,
                ocr_missing: str | None) -> list[tuple[Page, str | None]]:
    """The text layers of the pages at ``numbers``, each with why it must be OCRed instead (None
    when its text is used)."""
    return _each_page(path, numbers, lambda page, i: _read_page(page, i, ocr_mode, ocr_missing))


def _read_page(page, i: int, ocr_mode: str, ocr_missing: str | None) -> tuple[Page, str | None]:
    """One page's text layer, with a box per line and its ruled tables, or why it needs OCR."""
    width, height = page.get_size()
    tp = page.get_textpage()
    # Same-length substitution keeps text offsets equal to pdfium character indexes.
    text = tp.get_text_range().replace("\r", " ")
    why = "forced" if ocr_mode == "force" else needs_ocr(text, lambda page=page: _has_images(page))
    p = Page(i + 1, text, "text", width, height)
    if not why:
        p.words = line_boxes(text, tp, height)
    if not why and TABLE_HINT.search(text):
        p.rows, boxes = _tables(page, tp, text, height, p.words)
        p.table_spans = [(w.start, w.end) for w in p.words if any(inside(w.bbox, b) for b in boxes)]
    tp.close()
    if why and ocr_missing:
        p.needs_ocr, p.note, p.method = True, f"{why}; {ocr_missing}", "none"
        return p, None
    return p, why


def _ocr_pages(path: Path, todo: list[tuple[int, str]]) -> list[Page]:
    """OCR the pages numbered in ``todo`` (1-based, each with why its text layer was not used)."""
    why_of = dict(todo)
    return _each_page(path, [number - 1 for number, _ in todo], lambda page, i: _ocr_page(page, i + 1, why_of[i + 1]))


def _ocr_page(page, number: int, why: str) -> Page:
    import io

    width, height = page.get_size()
    scale, why = _render_scale(width, height, why)
    bitmap = page.render(scale=scale, grayscale=True)
    img = bitmap.to_pil()
    bitmap.close()
    buf = io.BytesIO()
    img.convert("L").save(buf, format="PNG")
    del img
    res = ocr.ocr_image(buf.getvalue(), dpi=scale * 72)
    return Page(number, res.text, "ocr", width, height, ocr_confidence=res.confidence, note=why, words=res.words)


def _tables(page, tp, text: str, height: float, lines: list[Word] | None = None) -> tuple[list[TableRow], list[BBox]]:
    """Ruled tables from the page's own drawing: one TableRow per body row, with the header.

    Tenders draw parameter tables with ruling lines, so the grid comes straight from pdfium's
    path objects (thin horizontal and vertical strokes) and each character goes to the cell
    that holds its centre. This replaced pdfplumber here: re-parsing every table page through
    pdfminer cost ~0.7 s a page, and the grid from the lines is exact for ruled tables.
    """
    hs: list[tuple[float, float, float]] = []  # (x0, x1, y) in PDF coordinates (origin bottom-left)
    vs: list[tuple[float, float, float]] = []  # (x, y0, y1)
    for left, bottom, right, top in _path_bounds(page):
        if top - bottom <= 2.0 and right - left > 10:
            hs.append((left, right, (top + bottom) / 2))
        elif right - left <= 2.0 and top - bottom > 5:
            vs.append(((left + right) / 2, bottom, top))
    if len(hs) < 2 or len(vs) < 2:
        return [], []
    ys = sorted({round(y, 1) for _, _, y in hs}, reverse=True)
    ys = [y for k, y in enumerate(ys) if k == 0 or ys[k - 1] - y > 2.0]

    def columns(y_top: float, y_bot: float) -> list[float]:
        mid = (y_top + y_bot) / 2
        xs = sorted(x for x, b, t in vs if b - 1 <= mid <= t + 1)
        return [x for k, x in enumerate(xs) if k == 0 or x - xs[k - 1] > 2.0]

    bands = [(ys[k], ys[k + 1], columns(ys[k], ys[k + 1])) for k in range(len(ys) - 1)]
    # Characters with their centres, once per page (only pages that announce a table get here),
    # skipping lines that lie wholly above or below the grid (their boxes come from read()).
    grid_top, grid_bottom = height - ys[0] - 2.0, height - ys[-1] + 2.0  # top-left coordinates
    wanted = None if lines is None else [(w.start, w.end + 1) for w in lines  # + its line break
                                         if w.bbox[3] >= grid_top and w.bbox[1] <= grid_bottom]
    chars: list[tuple[float, float, str]] = []
    space = False
    for ci, (cx, cy) in _char_centres(tp, text, wanted):
        ch = text[ci]
        if ch.isspace():
            space = True
            continue
        # keep a space only between two Latin/digit characters ("512GB DDR4"), not in Chinese
        if space and chars and chars[-1][2][-1:].isascii() and ch.isascii():
            ch = " " + ch
        space = False
        chars.append((cx, cy, ch))
    rows: list[TableRow] = []
    boxes: list[BBox] = []
    header: list[str] = []
    table_top: float | None = None
    table_x0 = table_x1 = prev_bot = 0.0
    by_y = sorted(range(len(chars)), key=lambda i: chars[i][1])
    char_ys = [chars[i][1] for i in by_y]
    for y_top, y_bot, xs in bands + [(0.0, 0.0, [])]:
        if len(xs) < 2:  # no grid here: the current table (if any) ends
            if table_top is not None:
                boxes.append((table_x0, height - table_top, table_x1, height - prev_bot))
            table_top, header = None, []
            continue
        if table_top is None:
            table_top, table_x0, table_x1 = y_top, xs[0], xs[-1]
        table_x0, table_x1 = min(table_x0, xs[0]), max(table_x1, xs[-1])
        prev_bot = y_bot
        cells = ["" for _ in range(len(xs) - 1)]
        # the band's characters (bisect on their heights), in reading order
        for i in sorted(by_y[bisect.bisect_left(char_ys, y_bot):bisect.bisect_right(char_ys, y_top)]):
            cx, _cy, ch = chars[i]
            if xs[0] <= cx <= xs[-1]:
                col = bisect.bisect_left(xs, cx, 1) - 1  # the first column whose right edge is >= cx
                cells[col] += ch if cells[col] else ch.lstrip()
        if not any(cells):
            continue
        if not header:
            header = cells
            continue
        if cells == header:
            continue  # the header repeated after a page break
        rows.append(TableRow(cells, header, (round(xs[0], 1), round(height - y_top, 1), round(xs[-1], 1),
                                             round(height - y_bot, 1))))
    return rows, boxes


def _path_bounds(page, max_depth: int = 3):
    """Bounds (left, bottom, right, top) of the page's path objects, into form XObjects too.

    Straight through pdfium's C API: pypdfium2's object helpers build a Python object per
    page object, which on a ruled table page (hundreds of strokes) cost more than the rest
    of reading the page.
    """
    import ctypes

    import pypdfium2.raw as raw

    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    refs = ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)

    def walk(count: int, get, parent, level: int):
        for i in range(count):
            obj = get(parent, i)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH and raw.FPDFPageObj_GetBounds(obj, *refs):
                yield left.value, bottom.value, right.value, top.value
            elif kind == raw.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
                yield from walk(raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, obj, level + 1)

    yield from walk(max(0, raw.FPDFPage_CountObjects(page)), raw.FPDFPage_GetObject, page, 0)


def _char_centres(tp, text: str, spans: list[tuple[int, int]] | None = None):
    """(index, (x, y)) of each character's tight-box centre, through the C API (see _path_bounds).

    With ``spans``, only characters inside them (whitespace still reported between spans, so a
    caller joining Latin words keeps its spaces)."""
    import ctypes

    import pypdfium2.raw as raw

    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    refs = ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    get, handle = raw.FPDFText_GetCharBox, tp.raw
    count = min(tp.count_chars(), len(text))
    indexes = range(count) if spans is None else (ci for a, b in spans for ci in range(a, min(b, count)))
    for ci in indexes:
        if text[ci].isspace():
            yield ci, (0.0, 0.0)  # the caller skips whitespace; no box needed
            continue
        if not get(handle, ci, *refs):  # lrbt order, as in pdfium
            raise IngestError("pdfium could not locate a character")
        yield ci, ((left.value + right.value) / 2, (top.value + bottom.value) / 2)


def line_boxes(text: str, tp, height: float) -> list[Word]:
    """One located span per text line, boxed from its first and last visible characters.

    Taken while the page is open anyway (two character boxes a line, ~0.1 ms a page), so a
    flagged clause gets its box without re-opening the PDF: re-opening every page with a
    finding cost more than classifying the whole document. Boxes are in top-left coordinates.
    """
    import pypdfium2.raw as raw

    out: list[Word] = []
    count = tp.count_chars()
    handle, rect, get = tp.raw, raw.FS_RECTF(), raw.FPDFText_GetLooseCharBox  # the C API: see _path_bounds
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        first = next((k for k in range(start, min(end, count)) if not text[k].isspace()), None)
        if first is None:
            continue
        last = next(k for k in range(min(end, count) - 1, first - 1, -1) if not text[k].isspace())
        xs0, ys0, xs1, ys1 = [], [], [], []
        for ci in {first, last}:
            if not get(handle, ci, rect):
                raise IngestError("pdfium could not locate a character")
            left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
            if right > left:
                xs0.append(left)
                xs1.append(right)
                ys0.append(height - top)
                ys1.append(height - bottom)
        if xs0:
            out.append(Word(start, end, (round(min(xs0), 1), round(min(ys0), 1),
                                         round(max(xs1), 1), round(max(ys1), 1))))
    return out


def inside(box: BBox, region: BBox, slack: float = 1.0) -> bool:
    """Whether the centre of ``box`` lies in ``region``."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - slack <= cx <= region[2] + slack and region[1] - slack <= cy <= region[3] + slack
