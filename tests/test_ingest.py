"""Ingestion of each format on the real sample files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, EXPECTED

from analyzer import ingest
from analyzer.errors import EmptyFile, EncryptedFile, IngestError, UnsupportedFormat
from analyzer.ingest import archive
from analyzer.ingest.text import decode


def test_detect_formats_by_content():
    assert ingest.detect(CORPUS / "songjiang_style_tender.pdf") == "pdf"
    assert ingest.detect(CORPUS / "tech_requirements.docx") == "docx"  # a ZIP, but a Word file
    assert ingest.detect(CORPUS / "bundle.zip") == "zip"
    assert ingest.detect(CORPUS / "notice_gbk.html") == "html"
    assert ingest.detect(CORPUS / "english_excerpt.txt") == "txt"


def test_text_pdf_pages_and_chinese_text_layer():
    doc = ingest.read(CORPUS / "songjiang_style_tender.pdf")
    assert len(doc.pages) == EXPECTED["files"]["songjiang_style_tender.pdf"]["pages"]
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    assert all(p.method == "text" for p in doc.pages)
    from analyzer.normalize import norm_text

    for exp in EXPECTED["files"]["songjiang_style_tender.pdf"]["expected"]:
        assert norm_text(exp["contains"]) in norm_text(doc.pages[exp["page"] - 1].text), exp
    assert "(cid:" not in "".join(p.text for p in doc.pages)


def test_pdf_parameter_table_rows_keep_header():
    doc = ingest.read(CORPUS / "songjiang_style_tender.pdf")
    rows = [r for p in doc.pages for r in p.rows]
    assert rows, "the parameter table should come out row by row"
    assert rows[0].header[:3] == ["序号", "名称", "技术参数"]
    assert all(r.bbox is not None for r in rows)
    # the repeated header on the next page is not a row
    assert not any(r.cells[:2] == ["序号", "名称"] for r in rows)


def test_scanned_pdf_is_ocred_with_confidence(monkeypatch):
    from analyzer import workers

    monkeypatch.setattr(workers, "_CORES", 2)  # as in a lone worker: the two pages OCRed side by side
    doc = ingest.read(CORPUS / "scanned_tender_excerpt.pdf")
    assert [p.method for p in doc.pages] == ["ocr", "ocr"] and [p.number for p in doc.pages] == [1, 2]
    assert all(p.ocr_confidence and p.ocr_confidence > 60 for p in doc.pages)
    text = "".join(doc.pages[1].text.split())
    assert "涉疆人员" in text and "预警" in text
    assert doc.pages[1].words and all(len(w.bbox) == 4 for w in doc.pages[1].words)


@pytest.mark.parametrize("read, fixed", [
    ("对接省厅关注入员库", "对接省厅关注人员库"), ("重点入员", "重点人员"), ("比中阅值可调", "比中阈值可调"),
    ("响应时间<3秘。", "响应时间<3秒。"),
    ("出入员工通道", "出入员工通道"), ("数据录入员2名", "数据录入员2名"), ("秘书处", "秘书处"),  # words: kept
])
def test_ocr_misreadings_of_domain_words_are_repaired_in_place(read, fixed):
    from analyzer.ingest.ocr import repair

    assert repair(read) == fixed and len(repair(read)) == len(read)  # offsets and word boxes still hold


def _cjk_font() -> str:
    """WenQuanYi Micro Hei (scripts/system-deps.sh installs it), else any installed Chinese font."""
    import subprocess

    wqy = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    if Path(wqy).exists():
        return wqy
    try:
        found = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
    except OSError:
        found = ""
    files = sorted(line.strip().rstrip(":") for line in found.splitlines() if line.strip())
    if not files:
        pytest.skip("no Chinese font installed (scripts/system-deps.sh installs fonts-wqy-microhei)")
    return next((f for f in files if "Sans" in f), files[0])


def _page_image(lines: list[str]) -> bytes:
    """A 300-dpi page image of ``lines`` in the sample font (the samples' build needs it too)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(_cjk_font(), 42)
    img = Image.new("L", (2480, 200 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((150, 100 + 70 * i), line, font=font, fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_an_english_page_is_read_again_with_the_english_model():
    from analyzer.ingest import ocr

    if ocr.available():
        pytest.skip(ocr.available())
    english = ["C.1.4 Journalists are to be sorted into three colours and handled by tier.",
               "C.1.5 Faces captured at the station are compared with the watch list, and",
               "C.1.6 hits are pushed to the duty officer within five seconds of capture."]
    res = ocr.ocr_image(_page_image(english))
    assert ocr._latin(res.text) and "C.1.4 Journalists are" in res.text  # chi_sim alone: ".1.4jJournalists"
    chinese = ocr.ocr_image(_page_image(["3.1.2 系统应对重点人员的住宿、购票信息进行比对并实时告警。"]))
    assert "重点人员" in "".join(chinese.text.split()) and not ocr._latin(chinese.text)


def test_scanned_pdf_without_ocr_is_flagged_not_lost():
    doc = ingest.read(CORPUS / "scanned_tender_excerpt.pdf", ocr_mode="off")
    assert all(p.needs_ocr and p.method == "none" for p in doc.pages)
    assert "no text layer" in doc.pages[0].note


def test_docx_paragraphs_and_table_rows_in_order():
    doc = ingest.read(CORPUS / "tech_requirements.docx")
    page = doc.pages[0]
    assert page.rows and page.rows[0].cells[0] == "序号" and page.rows[1].header[0] == "序号"
    assert len(page.rows) == len(page.table_spans)
    for row, (a, b) in zip(page.rows, page.table_spans, strict=True):
        assert page.text[a:b] == row.text


def test_docx_first_table_row_is_text_not_lost(tmp_path):
    # Key/value tables have no header: the first row ("投标截止时间 | …") is content, and a
    # one-row table is nothing else. Both used to vanish from the text.
    import docx

    d = docx.Document()
    d.add_paragraph("3. 投标文件提交方式")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "投标截止时间", "2025年11月10日12时00分"
    t.cell(1, 0).text, t.cell(1, 1).text = "投标地点", "上海市浦东新区"
    one = d.add_table(rows=1, cols=2)
    one.cell(0, 0).text, one.cell(0, 1).text = "系统功能", "对涉疆人员实时预警"
    d.save(tmp_path / "kv.docx")
    page = ingest.read(tmp_path / "kv.docx").pages[0]
    assert "投标截止时间 | 2025年11月10日12时00分" in page.text
    assert "系统功能 | 对涉疆人员实时预警" in page.text
    assert [r.cells[0] for r in page.rows] == ["投标截止时间", "投标地点", "系统功能"]
    for row, (a, b) in zip(page.rows, page.table_spans, strict=True):
        assert page.text[a:b] == row.text


def test_gbk_html_declared_encoding():
    doc = ingest.read(CORPUS / "notice_gbk.html")
    assert doc.encoding == "gb18030"
    assert "SHSJ-GA-2023-017" in doc.pages[0].text
    assert "公开招标" in doc.pages[0].text
    assert "<script" not in doc.pages[0].text and "function(" not in doc.pages[0].text


def test_gb18030_and_utf16_text():
    doc = ingest.read(CORPUS / "petition_notice_gb18030.txt")
    assert doc.encoding == "gb18030" and "上访" in doc.pages[0].text
    assert decode("境外记者".encode("utf-16"))[0] == "境外记者"
    assert decode("境外记者 abc".encode("utf-16-le"))[0] == "境外记者 abc"
    assert decode("\ufeff涉疆".encode())[0] == "涉疆"


def test_zip_members_extracted_inside_workdir(tmp_path):
    out = list(archive.members(CORPUS / "bundle.zip", tmp_path))
    names = sorted(m.name for m in out)
    assert any(n.endswith("技术要求.docx") for n in names)
    assert all(m.path is not None and m.path.parent == tmp_path for m in out)


def test_zip_refuses_escaping_paths(tmp_path):
    z = tmp_path / "evil.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("../../escape.txt", "系统应对涉疆人员预警。")
        zf.writestr("/abs/path.txt", "x")
        zf.writestr("ok/good.txt", "系统应对涉疆人员进行实时预警。")
    work = tmp_path / "work"
    work.mkdir()
    out = {m.name: m for m in archive.members(z, work)}
    assert out["../../escape.txt"].path is None and out["../../escape.txt"].status == "unsafe_path"
    assert out["/abs/path.txt"].path is None
    assert out["ok/good.txt"].path is not None
    assert not (tmp_path / "escape.txt").exists() and not Path("/abs/path.txt").exists()


def test_gbk_member_names_decoded(tmp_path):
    z = tmp_path / "gbk.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("x.txt")
        zf.writestr(info, "内容")
    raw = buf.getvalue().replace(b"x.txt", "附件.txt".encode("gbk")[:5], 2)  # same length: 5 bytes
    z.write_bytes(raw)
    names = [m.name for m in archive.members(z, tmp_path)]
    assert names == ["附件.t"] or names[0].startswith("附件")


def test_errors_are_specific(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        ingest.detect(empty)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(IngestError):
        ingest.read(broken)
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(UnsupportedFormat, match="convert"):
        ingest.detect(legacy)
    rar = tmp_path / "附件.dat"  # a RAR whatever its name: the advice is to extract it, not to convert it
    rar.write_bytes(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 100)
    with pytest.raises(UnsupportedFormat, match="RAR archives .* extract it"):
        ingest.detect(rar)


def test_encrypted_pdf_is_recorded_as_encrypted(tmp_path):
    pypdf = pytest.importorskip("pypdfium2")
    del pypdf
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    p = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(p), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(72, 720, "locked")
    c.showPage()
    c.save()
    with pytest.raises(EncryptedFile, match="password"):
        ingest.read(p)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbered_docx(path: Path, levels_xml: str, paragraphs: list[tuple[str, int]]) -> Path:
    """A DOCX whose paragraphs are numbered by Word (numPr), not by their text."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">{levels_xml}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, ilvl in paragraphs:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'))
    d.add_paragraph("列表一", style="List Number")  # numbered through its style, in the default template
    d.add_paragraph("列表二", style="List Number")
    d.save(str(path))
    return path


def test_docx_automatic_numbering_is_rendered_and_segmented(tmp_path):
    from analyzer.segment import segment

    levels = (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/>'
        '<w:suff w:val="space"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%3）"/>'
        '<w:suff w:val="nothing"/></w:lvl>')
    path = _numbered_docx(tmp_path / "numbered.docx", levels, [
        ("总则", 0), ("项目概况", 1), ("采购需求", 1), ("系统应支持对涉疆人员进行实时布控预警。", 2),
        ("系统应支持人脸识别。", 2), ("技术要求", 0), ("一般要求", 1)])
    doc = ingest.read(path)
    lines = doc.pages[0].text.split("\n")
    assert lines[:7] == ["第一章 总则", "1.1 项目概况", "1.2 采购需求", "（一）系统应支持对涉疆人员进行实时布控预警。",
                         "（二）系统应支持人脸识别。", "第二章 技术要求", "2.1 一般要求"]
    assert lines[7:] == ["1. 列表一", "2. 列表二"]
    clause = next(c for c in segment(doc) if "涉疆" in c.text)
    assert clause.number == "（一）" and clause.section_path[-1] == "1.2 采购需求"


def test_docx_hostile_numbering_is_ignored_not_fatal(tmp_path):
    levels = ('<w:lvl w:ilvl="zero"><w:start w:val="x"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%9%1"/></w:lvl>'
              '<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>')
    path = _numbered_docx(tmp_path / "odd.docx", levels, [("甲", 0), ("乙", 1), ("丙", 7)])
    lines = ingest.read(path).pages[0].text.split("\n")
    assert [ln[-1] for ln in lines[:3]] == ["甲", "乙", "丙"] and lines[1] == "乙"  # bullets get no label


def test_word_number_formats():
    from analyzer.ingest.docx import format_number

    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 101)] == ["一", "十", "十一", "二十", "一百零一"]
    assert format_number(3, "decimalEnclosedCircle") == "③" and format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "upperRoman") == "IV" and format_number(27, "lowerLetter") == "aa"


@pytest.mark.parametrize("head, url, when", [
    ('<!-- saved from url=(0048)http://www.ccgp.gov.cn/cggg/dfgg/gkzb/t1234.htm -->',
     "http://www.ccgp.gov.cn/cggg/dfgg/gkzb/t1234.htm", None),
    ('<!--\n Page saved with SingleFile \n url: https://ggzy.example.gov.cn/notice/88 \n'
     ' saved date: Tue Feb 20 2024 09:30:00 GMT+0800 (China Standard Time)\n-->',
     "https://ggzy.example.gov.cn/notice/88", "2024-02-20T09:30:00+08:00"),
    ('<link rel="canonical" href="https://example.gov.cn/a/b.html">', "https://example.gov.cn/a/b.html", None),
    ('<link rel="canonical" href="javascript:alert(1)">', None, None),  # only http(s) counts
    ("", None, None),
])
def test_saved_web_page_records_its_source(tmp_path, head, url, when):
    page = tmp_path / "notice.html"
    page.write_text(f"<html><head>{head}<meta charset='utf-8'><title>公开招标公告</title></head>"
                    "<body><p>项目编号：ABC-2024-01</p></body></html>", encoding="utf-8")
    doc = ingest.read(page)
    assert (doc.source_url, doc.retrieved_at) == (url, when)


def test_docx_text_in_content_controls_and_tracked_insertions_is_read(tmp_path):
    """python-docx skips w:sdt, w:ins and smart tags; Word shows them, so must we (deletions stay out)."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("普通段落")
    body = d.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>系统应对涉疆人员进行布控预警。</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>'))
    p = d.add_paragraph("插入前")
    for xml in (f'<w:ins xmlns:w="{W_NS}" w:id="1" w:author="x"><w:r><w:t>修订插入</w:t></w:r></w:ins>',
                f'<w:del xmlns:w="{W_NS}" w:id="2" w:author="x"><w:r><w:delText>已删除</w:delText></w:r></w:del>',
                f'<w:sdt xmlns:w="{W_NS}"><w:sdtContent><w:r><w:t>行内控件</w:t></w:r></w:sdtContent></w:sdt>',
                f'<w:smartTag xmlns:w="{W_NS}" w:uri="u" w:element="e"><w:r><w:t>智能标记</w:t></w:r></w:smartTag>'):
        p._p.append(parse_xml(xml))
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "功能描述"
    table.cell(1, 0).text = "1"
    table.cell(1, 1)._tc.append(parse_xml(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtContent><w:p><w:r><w:t>维族人员比对告警</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    d.save(str(tmp_path / "controls.docx"))
    doc = ingest.read(tmp_path / "controls.docx")
    lines = doc.pages[0].text.split("\n")
    assert lines[:3] == ["普通段落", "系统应对涉疆人员进行布控预警。", "插入前修订插入行内控件智能标记"]
    assert "已删除" not in doc.pages[0].text
    assert doc.pages[0].rows[1].cells == ["1", "维族人员比对告警"]


def test_zip_whose_first_member_is_a_stored_pdf_is_read_as_an_archive(tmp_path):
    """A stored (uncompressed) PDF member puts %PDF- in the archive's first kilobyte: every member
    must still be read, not the whole archive as one PDF."""
    pdf = CORPUS / "benign_canteen_tender.pdf"
    z = tmp_path / "bundle.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.write(pdf, "a.pdf")
        zf.writestr("b.txt", "第一章 采购需求\n一、系统应对涉疆人员进行实时预警。\n")
    assert b"%PDF-" in z.read_bytes()[:1024]
    assert ingest.detect(z) == "zip"
    work = tmp_path / "work"
    work.mkdir()
    assert sorted(m.name for m in archive.members(z, work)) == ["a.pdf", "b.txt"]
