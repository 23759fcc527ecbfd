"""Page images for evidence cards: the page rendered with pypdfium2, the clause outlined.

Boxes are pdfplumber's (x0, top, x1, bottom) in PDF points from the page's top-left, so a
point maps to ``scale`` pixels. The crop keeps the page's full width and some lines above
and below the clause, because a reader checking a quote wants the surrounding context and
the page furniture (headers, numbering) that proves where it came from.
"""

from __future__ import annotations

from pathlib import Path

SCALE = 2.0  # pixels per PDF point: sharp enough for 9-point Chinese text
CONTEXT_PT = 80.0  # points kept above and below the box
SIDE_PT = 60.0  # page margin trimmed on each side, unless the box reaches into it
PAD_PT = 3.0  # the outline sits this far outside the text
OUTLINE = (220, 38, 38, 255)
FILL = (255, 214, 0, 56)
MAX_PIXELS = 8_000_000  # a crop never renders more pixels than this, whatever the page size


def render_crops(pdf: bytes, wanted: list[tuple[int, list[float] | None, Path]]) -> dict[Path, str | None]:
    """Render each (page, bbox, out_png); returns, per output path, None on success or why it failed.

    One document is opened once for all its cards. A page with no box is rendered whole, at
    a smaller scale, so the card still shows where the quote is from.
    """
    import pypdfium2 as pdfium

    results: dict[Path, str | None] = {}
    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as ex:
        return {out: f"could not open the PDF to render it ({ex})" for _, _, out in wanted}
    try:
        for page_no, bbox, out in wanted:
            if not 1 <= page_no <= len(doc):
                results[out] = f"page {page_no} is not in the file ({len(doc)} pages)"
                continue
            page = doc[page_no - 1]
            try:
                _render_one(page, bbox, out)
                results[out] = None
            except (pdfium.PdfiumError, OSError, ValueError) as ex:
                results[out] = f"could not render page {page_no} ({ex})"
            finally:
                page.close()
    finally:
        doc.close()
    return results


def _render_one(page, bbox: list[float] | None, out: Path) -> None:
    from PIL import ImageDraw

    width, height = page.get_size()
    if not bbox:
        scale = min(1.0, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
        img = page.render(scale=scale).to_pil().convert("RGB")
    else:
        x0, top, x1, bottom = (max(0.0, v) for v in bbox)
        x0, x1 = min(x0, width), min(x1, width)
        top, bottom = min(top, height), min(bottom, height)
        # Only the region shown is rendered (pdfium's crop, in points from each edge), at a scale
        # capped so a poster-sized page cannot make a multi-gigapixel bitmap.
        y0 = max(0.0, top - CONTEXT_PT)
        y1 = min(height, bottom + CONTEXT_PT)
        # Full lines of context, but not the empty page margins: they would shrink the text.
        left = max(0.0, min(x0, SIDE_PT) - SIDE_PT / 2)
        right = min(width, max(x1, width - SIDE_PT) + SIDE_PT / 2)
        area = max(1.0, (right - left) * (y1 - y0))
        scale = min(SCALE, (MAX_PIXELS / area) ** 0.5)
        img = page.render(scale=scale, crop=(left, height - y1, width - right, y0)).to_pil().convert("RGB")
        box = [(x0 - PAD_PT - left) * scale, (top - PAD_PT - y0) * scale, (x1 + PAD_PT - left) * scale,
               (bottom + PAD_PT - y0) * scale]
        # Drawing in "RGBA" mode onto an RGB image blends the fill, so the text stays readable.
        draw = ImageDraw.Draw(img, "RGBA")
        draw.rectangle(box, fill=FILL, outline=OUTLINE, width=max(2, round(1.5 * scale)))
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, format="PNG", optimize=True)
