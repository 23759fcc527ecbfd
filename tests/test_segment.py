"""Clause segmentation: numbering hierarchy, markers, headers/footers, tables."""

from __future__ import annotations

from conftest import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import ingest
from analyzer.records import Document, Page
from analyzer.segment import numbering, segment

SPEC = """第三章 采购需求
说明：标注“★”的条款为实质性条款。
一、功能需求
（一）重点人员管控
1. 系统应支持对涉疆人员入住旅馆进行实时预警；
2. ★支持民族属性识别，准确率不低于90%。
（1）摄像机安装高度1.5米，
支持IP 192.168.1.1 接入。
① 支持热插拔
1.1 平台应支持布控
1.1.1 子项要求。
目录 ........................ 12
第 3 页 共 20 页
（二）运维服务
3.质保三年。
"""


def _clauses(text: str, fmt: str = "txt"):
    return segment(Document(fmt, [Page(1, text, fmt)]))


def test_numbering_styles():
    assert numbering("一、功能需求")[:2] == ("cn", "一、")
    assert numbering("（一）重点人员")[:2] == ("pcn", "（一）")
    assert numbering("(二) 运维")[:2] == ("pcn", "(二)")
    assert numbering("1. 系统应")[:2] == ("num", "1.")
    assert numbering("1．系统应")[:2] == ("num", "1．")
    assert numbering("3.2.1 系统应")[:2] == ("dec3", "3.2.1")
    assert numbering("（1）支持")[:2] == ("pnum", "（1）")
    assert numbering("① 支持")[:2] == ("circ", "①")
    assert numbering("第五章 合同条款")[:2] == ("chapter", "第五章")
    assert numbering("★3. 必须")[2] == "★"
    assert numbering("1.5米高的立杆")[0] is None
    assert numbering("2.0版本以上")[0] is None
    assert numbering("192.168.1.1 地址")[0] is None
    assert numbering("12")[0] is None  # a bare page number


def test_hierarchy_section_path_and_markers():
    cs = _clauses(SPEC)
    by_num = {c.number: c for c in cs if c.number}
    one = by_num["1."]
    assert one.section_path == ["第三章 采购需求", "一、功能需求", "（一）重点人员管控"]
    assert one.text.endswith("实时预警；")
    assert by_num["2."].marker == "★"
    assert by_num["（1）"].text == "（1）摄像机安装高度1.5米，\n支持IP 192.168.1.1 接入。"
    assert by_num["1.1.1"].level == by_num["1.1"].level + 1
    assert by_num["（二）"].level == by_num["（一）"].level
    assert by_num["3."].section_path[-1] == "（二）运维服务"
    assert all("目录" not in c.text and "第 3 页" not in c.text for c in cs)
    assert by_num["一、"].heading and not one.heading


def test_offsets_point_into_the_page_text():
    page_text = SPEC
    for c in _clauses(SPEC):
        if c.page_start is not None and c.page_end is not None:
            assert page_text[c.page_start:c.page_end] == c.text


def test_sample_tender_clauses_and_table_rows():
    doc = ingest.read(CORPUS / "songjiang_style_tender.pdf")
    cs = segment(doc)
    rows = [c for c in cs if c.kind == "table_row"]
    assert rows and rows[0].table_header[:2] == ["序号", "名称"]
    starred = [c for c in cs if c.marker == "★"]
    assert any("境外记者" in c.text for c in starred)
    # boilerplate chapters are zoned, requirements are not
    assert any(c.zone == "boilerplate" and "信用中国" in c.text for c in cs)
    req = [c for c in cs if "涉疆人员" in c.text and c.kind == "text"]
    assert req and all(c.zone is None for c in req)
    assert any("采购需求" in (c.section_path[0] if c.section_path else "") for c in req)
    # running footers never become clauses
    assert not any(c.text.startswith("第 ") and "页 共" in c.text for c in cs)


def test_long_paragraph_split_on_sentence_ends():
    text = "系统应支持数据汇聚。" * 200
    cs = _clauses(text)
    assert len(cs) > 1 and all(len(c.text) <= 600 for c in cs)
    assert "".join(c.text for c in cs) == text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_segment_never_raises_and_offsets_map_back(text):
    cs = _clauses(text)
    for c in cs:
        assert c.text.strip() == c.text and c.text
        if c.page_start is not None and c.page_end is not None:
            assert text[c.page_start:c.page_end] == c.text


# -- real layouts: lettered numbering, appendices, English prose, clauses across pages ------------


def test_lettered_and_appendix_numbering():
    assert numbering("C.4.6 The system shall")[:2] == ("ldec2", "C.4.6")
    assert numbering("C.1.2. Scope")[:2] == ("ldec2", "C.1.2.")
    assert numbering("A.1 总则")[:2] == ("ldec1", "A.1")
    assert numbering("A1. Scope")[:2] == ("ldec1", "A1.")
    assert numbering("附件1：技术参数表")[:2] == ("appendix", "附件1：")
    assert numbering("附件一 开标一览表")[:2] == ("appendix", "附件一")
    assert numbering("附表2")[:2] == ("appendix", "附表2")
    assert numbering("Appendix A Technical requirements")[:2] == ("appendix", "Appendix A")
    assert numbering("Annex 2")[:2] == ("appendix", "Annex 2")
    # a sentence that names an appendix, a codec, a paper size and a version are no numbering
    assert numbering("附件1所列设备应满足本章要求。")[0] is None
    assert numbering("H.264 编码")[0] is None
    assert numbering("A.4纸打印")[0] is None
    assert numbering("V1.0 版本")[0] is None


def test_appendix_headings_are_sections():
    text = ("第三章 采购需求\n一、总体要求\n1. 平台应稳定运行。\n附件1：技术参数\n1. 系统应支持人脸比对。\n"
            "（1）支持布控。\n附件2：服务要求\n1. 质保三年。\n")
    by_text = {c.text: c for c in _clauses(text)}
    assert by_text["1. 系统应支持人脸比对。"].section_path == ["第三章 采购需求", "附件1：技术参数"]
    assert by_text["（1）支持布控。"].level == by_text["1. 系统应支持人脸比对。"].level + 1
    assert by_text["1. 质保三年。"].section_path == ["第三章 采购需求", "附件2：服务要求"]
    assert by_text["附件2：服务要求"].heading and by_text["附件2：服务要求"].level == 1


ENGLISH = """C.1 General
C.1.2 The contractor shall deliver the platform within ninety days of signing the contract, e.g. by
the end of the third quarter.
The platform integrates the video network of the district. It stores records for six months.

Training is provided on site for No. 3 station staff.
    Each operator receives a certificate after the course.
C.4.6 The system shall alert police when Uyghur residents check into hotels.
"""


def test_english_numbering_and_prose_paragraphs():
    cs = _clauses(ENGLISH)
    assert [c.text.split()[0] for c in cs] == ["C.1", "C.1.2", "The", "Training", "Each", "C.4.6"]
    by_num = {c.number: c for c in cs if c.number}
    assert by_num["C.1.2"].text.endswith("third quarter.")  # "e.g." ends no sentence
    assert by_num["C.4.6"].section_path == ["C.1 General"] and by_num["C.4.6"].level == by_num["C.1.2"].level
    for c in cs:
        assert ENGLISH[c.page_start:c.page_end] == c.text


def test_long_english_paragraph_split_on_full_stops():
    text = "The platform shall store every record of the district video network for six months. " * 20
    cs = _clauses(text.strip())
    assert len(cs) > 1 and all(len(c.text) <= 600 and c.text.endswith("months.") for c in cs)


def test_a_clause_across_pages_records_its_last_page_and_where_pages_break():
    pages = [Page(1, "1. 平台应对进入辖区的车辆、人员和物品的通行记录与视频图像进行汇总", "text"), Page(2, "进行实时预警。\n2. 质保三年。", "text"),
             Page(3, "A paragraph of English prose that runs on and on without any full stop and", "text"),
             Page(4, "ends on the next page.", "text")]
    cs = segment(Document("pdf", pages))
    assert [(c.page, c.page_last) for c in cs] == [(1, 2), (2, None), (3, 4)]
    first, _, english = cs
    assert first.text == "1. 平台应对进入辖区的车辆、人员和物品的通行记录与视频图像进行汇总进行实时预警。"
    assert first.page_breaks == [(first.text.index("进行实时"), 2)]
    assert first.page_at(first.text.index("预警")) == 2 and first.page_at(0) == 1 and first.page_at(None) == 1
    assert first.page_start == 0 and first.page_end is None  # page 1 does not hold the whole clause
    assert english.text.endswith("and\nends on the next page.")  # English words stay apart
    # Windows of an over-long clause each take the pages they lie on.
    long = [Page(1, "系统应支持数据汇聚。" * 50, "text"), Page(2, "系统应支持数据汇聚。" * 50, "text")]
    pieces = segment(Document("pdf", long))
    assert len(pieces) > 1 and all(len(c.text) <= 600 for c in pieces)
    for c in pieces:
        if c.page_last is None:
            assert long[c.page - 1].text[c.page_start:c.page_end] == c.text
        else:
            assert c.page_last == c.page + 1 and c.page_breaks


def english_pdf(path, pages: list[list[str]]) -> None:
    """A real English PDF (reportlab, Helvetica), one list of lines per page, a footer on each."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for n, lines in enumerate(pages, 1):
        c.setFont("Helvetica", 10)
        for i, line in enumerate(lines):
            c.drawString(60, 780 - 16 * i, line)
        c.drawString(280, 40, f"Page {n} of {len(pages)}")
        c.showPage()
    c.save()


FILLER = ("The contractor shall maintain the equipment listed in this section and report faults within "
          "four hours.", "Spare parts shall be kept in the district warehouse for the term of the contract.")


def test_english_pdf_clauses_and_finding_pages(tmp_path):
    from conftest import run_cli

    pages = [
        ["Annex C Technical Requirements", "C.1 General", "C.1.2 " + FILLER[0], *FILLER[1:], "C.2 Video network",
         "C.2.3 " + FILLER[1]],
        ["C.4 Alerting", "C.4.5 The system shall record the operator who confirms each alert in the audit log.",
         *FILLER * 3, "C.4.6 The platform shall raise a real-time alert to the local police station when"],
        ["residents who are Uyghurs check into hotels in the district.", "C.4.7 " + FILLER[0], *FILLER],
    ]
    pdf = tmp_path / "annex_c.pdf"
    english_pdf(pdf, pages)
    cs = segment(ingest.read(pdf))
    by_num = {c.number: c for c in cs if c.number}
    assert {"C.1.2", "C.2.3", "C.4.5", "C.4.6", "C.4.7"} <= set(by_num)
    target = by_num["C.4.6"]
    assert target.text.endswith("check into hotels in the district.") and "C.4.7" not in target.text
    assert (target.page, target.page_last) == (2, 3) and target.section_path[-1] == "C.4 Alerting"
    assert all(c.page_last is None for c in cs if c is not target)  # no other clause runs across a page
    assert not any("Page " in c.text for c in cs)
    db = tmp_path / "a.db"
    assert run_cli("analyze", str(pdf), "--db", str(db), "--quiet", "--method", "rules").exit_code == 0
    res = run_cli("findings", "--db", str(db), "--format", "json")
    found = [f for f in __import__("json").loads(res.stdout) if "Uyghur" in f["evidence"]]
    assert found and {f["page"] for f in found} == {3}  # the page that prints the evidence
    assert all(f["bbox"] is None for f in found)  # the clause's box lies on page 2
    from analyzer.store import Store

    row = next(Store(db).db.query("select page, page_last from clauses where number = 'C.4.6'"))
    assert row == {"page": 2, "page_last": 3}
