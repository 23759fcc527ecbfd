"""Issue 16: garbled text is never silent, and markup is not text.

A PDF whose fonts map glyphs to the wrong characters "has text" that reads as noise; such pages
are OCRed (reason ``text layer garbled``) or, with OCR off, flagged. HTML, DOCX and text files
cannot be OCRed: their garbled passages are noted. Either way the document is listed under
"needs attention". Server-page code, scripts, styles, comments and Word field instructions never
become clauses.

The PDFs are written by hand: Helvetica glyphs (Latin letters, so OCR reads them) with a
ToUnicode map that sends each byte to a chosen character, which is what pypdfium2 extracts.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import run_cli

from analyzer import garbled, ingest
from analyzer.evaluate import labelled_sets
from analyzer.ingest import ocr, pdf
from analyzer.segment import segment

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "tenders"
GARBLED_TENDER = "zc910704__Bidding-Simulation__招标文件.pdf"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

LINES = [
    "The bidder shall submit the technical proposal before the deadline stated",
    "in the notice. Every bid must include the signed letter of commitment and",
    "the price schedule. Late bids are rejected without being opened. The buyer",
    "may ask any bidder to clarify its offer in writing during the evaluation.",
    "The system shall record video from all cameras and keep it for ninety days",
    "and the supplier shall train the operators of the control room on site.",
    "Payment is made within thirty days after acceptance of the delivered goods.",
]
# A tender-style passage written for this test (not from the corpus), for the shuffled case.
ZH = ("投标人应当按照招标文件的要求编制投标文件，并在投标截止时间前提交。采购人可以要求投标人对投标文件中含义不明确的内容"
      "作出必要的澄清或者说明。供应商应提供设备的安装、调试和培训服务，质量保证期不少于三年。项目验收合格后，采购人"
      "在三十日内支付合同价款。评标委员会根据评分标准对投标文件进行评审，并推荐中标候选人。")


def _to_unicode(cmap: dict[int, str]) -> bytes:
    entries = "\n".join(f"<{code:02X}> <{s.encode('utf-16-be').hex().upper()}>" for code, s in sorted(cmap.items()))
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{len(cmap)} beginbfchar\n{entries}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode()


def wrong_map_pdf(path: Path, lines: list[str], cmap: dict[int, str]) -> Path:
    """A one-page PDF drawing ``lines`` in Helvetica whose ToUnicode map says the bytes are ``cmap``."""
    content = b"BT /F1 13 Tf 50 780 Td 20 TL\n" + b"".join(
        b"(" + line.encode("ascii") + b") Tj T*\n" for line in lines) + b"ET"
    cm = _to_unicode(cmap)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Length %d >>\nstream\n" % len(cm) + cm + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


LETTERS = [c for c in range(0x21, 0x7F)]
# Latin letters read as Hangul jamo, Canadian syllabics and CJK Extension A: the corpus file's kind of noise.
RARE_MAP = {c: chr([0x1100, 0x1400, 0x3400][c % 3] + c) for c in LETTERS}
# Latin letters read as frequent Chinese characters: every character is common, their order is not Chinese.
COMMON_MAP = {c: "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方"
              "多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已"[c - 0x21]
              for c in LETTERS}


@pytest.fixture
def rare_pdf(tmp_path) -> Path:
    return wrong_map_pdf(tmp_path / "rare-map.pdf", LINES, RARE_MAP)


@pytest.fixture
def common_pdf(tmp_path) -> Path:
    return wrong_map_pdf(tmp_path / "common-map.pdf", LINES, COMMON_MAP)


def _text_layer(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


# -- the detector ------------------------------------------------------------------------------


def test_the_wrong_maps_are_what_the_text_layer_reads(rare_pdf, common_pdf):
    text = _text_layer(rare_pdf)
    assert set(text.split()[0]) <= set(RARE_MAP.values()), text[:80]
    text = _text_layer(common_pdf)
    assert all(ch in garbled.COMMON_CHARS for ch in text if not ch.isspace() and not ch.isascii()), text[:80]


def test_rare_blocks_are_garbled(rare_pdf):
    g = garbled.measure(_text_layer(rare_pdf))
    assert g.rare > 0.9 and g.garbled


def test_common_characters_in_the_wrong_order_fail_the_word_test(common_pdf):
    """A detector of rare blocks alone passes this page; only the common-word test catches it."""
    g = garbled.measure(_text_layer(common_pdf))
    assert g.rare == 0 and g.common is not None and g.common > 0.9
    assert g.words is not None and g.words < garbled.WORD_LIMIT
    assert g.garbled


def test_real_chinese_and_english_are_not_garbled():
    assert not garbled.is_garbled(ZH * 2)
    assert garbled.measure(ZH * 2).words > 3 * garbled.WORD_LIMIT
    shuffled = list(ZH * 2)
    random.Random(16).shuffle(shuffled)
    assert garbled.is_garbled("".join(shuffled))
    assert not garbled.is_garbled("\n".join(LINES))  # English: no ideographs to count, no rare blocks
    # a bilingual notice from a minority region: Uyghur script is text this tool must read, not noise
    assert not garbled.is_garbled("ئاپتونوم رايونلۇق جامائەت خەۋپسىزلىك نازارىتى 自治区公安厅采购公告 " * 4)
    assert not garbled.is_garbled("ᄇᐃ㐀 ok")  # too short to judge
    assert not garbled.is_garbled("型号：GN27-40.5 额定电压 40.5kV ≥73kV ±5% ℃ ① ★ ▲ α β μ Ω ㎡ “引号” 《书名》 ")


def test_labelled_clauses_are_never_garbled():
    """Every clause of samples/labelled, English and Chinese, reads as text."""
    root = Path(__file__).resolve().parents[1] / "samples" / "labelled"
    bad = [rec["id"] for f in labelled_sets(root) for line in f.read_text(encoding="utf-8").splitlines()
           if (rec := json.loads(line)) and garbled.is_garbled(rec["text"])]
    assert bad == []


def test_garbled_passages_of_a_long_text():
    clean = [ZH] * 6
    noise = "".join(RARE_MAP[ord(c)] for c in "".join(LINES) if ord(c) in RARE_MAP)
    text = "\n".join(clean[:3] + [noise[:200], noise[200:400]] + clean[3:])
    assert garbled.passages(text) == [(4, 5)]
    assert garbled.passages("\n".join(clean)) == []


# -- PDF pages: OCRed, or flagged with OCR off ---------------------------------------------------


@pytest.mark.parametrize("fixture", ["rare_pdf", "common_pdf"])
def test_garbled_pdf_page_is_flagged_with_ocr_off(fixture, request):
    page = ingest.read(request.getfixturevalue(fixture), ocr_mode="off").pages[0]
    assert (page.needs_ocr, page.method) == (True, "none")
    assert page.note == "text layer garbled; OCR switched off"


@pytest.mark.skipif(ocr.available() is not None, reason="tesseract with chi_sim is not installed")
@pytest.mark.parametrize("fixture", ["rare_pdf", "common_pdf"])
def test_garbled_pdf_page_is_ocred(fixture, request):
    page = ingest.read(request.getfixturevalue(fixture)).pages[0]
    assert (page.method, page.note, page.needs_ocr) == ("ocr", pdf.GARBLED, False)
    assert page.ocr_confidence is not None and page.ocr_confidence > 50
    assert "bidder" in page.text.lower()  # the glyphs are Latin letters: OCR reads what is drawn


def test_garbled_pdf_is_listed_under_attention(tmp_path, common_pdf):
    """With OCR off the document is needs_ocr; either way `documents --attention` lists it."""
    clean = tmp_path / "clean.txt"
    clean.write_text(ZH, encoding="utf-8")
    db = str(tmp_path / "a.db")
    res = run_cli("analyze", str(common_pdf), str(clean), "--db", db, "--ocr", "off", "--quiet", "--workers", "1")
    assert res.exit_code == 0, res.stderr
    assert "needs_ocr:" in res.stderr
    listed = json.loads(run_cli("documents", "--db", db, "--attention", "--format", "json").stdout)
    assert [(d["name"], d["status"]) for d in listed] == [("common-map.pdf", "needs_ocr")]


@pytest.mark.skipif(ocr.available() is not None, reason="tesseract with chi_sim is not installed")
def test_ocred_garbled_pdf_stays_ok_and_needs_attention(tmp_path, rare_pdf):
    db = str(tmp_path / "a.db")
    res = run_cli("analyze", str(rare_pdf), "--db", db, "--quiet", "--workers", "1")
    assert res.exit_code == 0, res.stderr
    listed = json.loads(run_cli("documents", "--db", db, "--attention", "--format", "json").stdout)
    assert [(d["name"], d["status"]) for d in listed] == [("rare-map.pdf", "ok")]
    out = tmp_path / "report"
    assert run_cli("report", "--db", db, "--out", str(out), "--format", "md").exit_code == 0
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "text layer garbled" in md


# -- formats that cannot be OCRed: garbled passages flagged ---------------------------------------


def test_garbled_html_passage_is_noted_and_listed(tmp_path):
    noise = "".join(RARE_MAP[ord(c)] for c in "".join(LINES) if ord(c) in RARE_MAP)
    page = tmp_path / "notice.html"
    page.write_text("<html><head><meta charset='utf-8'></head><body>"
                    + "".join(f"<p>{ZH}</p>" for _ in range(3)) + f"<p>{noise[:250]}</p><p>{noise[250:]}</p>"
                    + f"<p>{ZH}</p></body></html>", encoding="utf-8")
    doc = ingest.read(page)
    note = doc.pages[0].note
    assert note is not None and note.startswith("text garbled (lines 4-5)") and "HTML" in note
    assert not doc.pages[0].needs_ocr
    db = str(tmp_path / "a.db")
    res = run_cli("analyze", str(page), "--db", db, "--quiet", "--workers", "1")
    assert res.exit_code == 0 and "garbled: " in res.stderr
    listed = json.loads(run_cli("documents", "--db", db, "--attention", "--format", "json").stdout)
    assert [(d["name"], d["status"]) for d in listed] == [("notice.html", "ok")]


# -- markup is not text --------------------------------------------------------------------------


def test_server_code_scripts_styles_and_comments_never_become_clauses(tmp_path):
    page = tmp_path / "ggDetails.html"
    page.write_text(
        '<%@ page import="com.example.Constant" %>\n<%@ page contentType="text/html;charset=UTF-8" %>\n'
        '<%-- a JSP comment with %> inside --%>\n<?php echo "php block"; ?>\n'
        '<html><head><meta charset="utf-8"><style>p { color: red }</style></head><body>'
        '<!-- 注释不是正文 --><script>var notice = "脚本不是正文";</script>'
        '<link href="<%=Constant.server_name%>css/a.css"><% if (x) { %><p>一、采购项目名称：视频监控系统</p><% } %>'
        '<p>二、采购预算：100万元 <%= budget %></p></body></html>', encoding="utf-8")
    doc = ingest.read(page)
    assert doc.pages[0].text.split("\n") == ["一、采购项目名称：视频监控系统", "二、采购预算：100万元"]
    text = " ".join(c.text for c in segment(doc))
    for markup in ("<%", "%>", "page import", "contentType", "php", "color", "注释", "脚本", "Constant"):
        assert markup not in text


def test_word_field_instructions_never_become_text(tmp_path):
    """Complex fields show their result only; nested fields inside an instruction, deleted
    instructions and fldSimple's instr attribute stay out."""
    import docx
    from docx.oxml import parse_xml

    def run(inner: str) -> str:
        return f"<w:r>{inner}</w:r>"

    def fld(kind: str) -> str:
        return run(f'<w:fldChar w:fldCharType="{kind}"/>')

    d = docx.Document()
    p = d.add_paragraph("见第")
    for xml in (fld("begin"), run('<w:instrText xml:space="preserve"> PAGEREF _Toc123 \\h </w:instrText>'),
                fld("separate"), run("<w:t>12</w:t>"), fld("end"), run("<w:t>页。</w:t>"),
                # IF { MERGEFIELD Gender } = "M" "先生" "女士": the nested result is part of the instruction
                fld("begin"), run("<w:instrText> IF </w:instrText>"), fld("begin"),
                run("<w:instrText> MERGEFIELD Gender </w:instrText>"), fld("separate"), run("<w:t>«Gender»</w:t>"),
                fld("end"), run('<w:instrText> = "M" "先生" "女士" </w:instrText>'), fld("separate"),
                run("<w:t>先生</w:t>"), fld("end"),
                run("<w:delInstrText> HYPERLINK http://example.com </w:delInstrText>"),
                '<w:fldSimple w:instr=" DOCPROPERTY Company \\* MERGEFORMAT "><w:r><w:t>某某公安局</w:t></w:r></w:fldSimple>'):
        p._p.append(parse_xml(xml.replace("<w:r>", f'<w:r xmlns:w="{W_NS}">', 1)
                              .replace("<w:fldSimple ", f'<w:fldSimple xmlns:w="{W_NS}" ', 1)))
    d.add_paragraph("下一段")
    d.save(str(tmp_path / "fields.docx"))
    text = ingest.read(tmp_path / "fields.docx").pages[0].text
    assert text.split("\n") == ["见第12页。先生某某公安局", "下一段"]


# -- the real corpus ------------------------------------------------------------------------------


def _corpus() -> Path:
    if not SHARED.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not here")
    return SHARED


def test_corpus_only_the_wrong_font_tender_is_garbled():
    """Of the 24 tenders, only the one whose fonts map to the wrong code points trips the detector
    (PDF pages judged on their text layer, the rest on what their readers return)."""
    import pypdfium2 as pdfium

    hits: list[str] = []
    for f in sorted(_corpus().iterdir()):
        if f.suffix == ".pdf":
            doc = pdfium.PdfDocument(str(f))
            try:
                hits += [f"{f.name} p{i + 1}" for i in range(len(doc))
                         if pdf.needs_ocr(doc[i].get_textpage().get_text_range(), True) == pdf.GARBLED]
            finally:
                doc.close()
        elif f.suffix in (".docx", ".html"):
            page = ingest.read(f).pages[0]
            hits += [f.name] if page.note else []
    assert hits == [f"{GARBLED_TENDER} p{n}" for n in (1, 2, 3, 4)]


@pytest.mark.slow
@pytest.mark.skipif(ocr.available() is not None, reason="tesseract with chi_sim is not installed")
def test_corpus_garbled_tender_is_ocred():
    doc = ingest.read(_corpus() / GARBLED_TENDER)
    assert [(p.method, p.note) for p in doc.pages] == [("ocr", pdf.GARBLED)] * 4
    assert all(p.ocr_confidence and p.ocr_confidence > 60 for p in doc.pages)
    assert all(not garbled.is_garbled(p.text) for p in doc.pages)


def test_corpus_saved_pages_lose_their_jsp_source():
    for f in sorted(_corpus().glob("ly3620296__wpt__*.html")):
        clauses = segment(ingest.read(f))
        assert clauses and not any("<%" in c.text or "page import" in c.text for c in clauses), f.name
