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
