"""Metadata extraction on hand-made notice variants (primer 1.2, 1.3, 1.8, 4.1).

Every document below is invented; the layouts follow the 2020 MOF templates, a tender cover
with its 投标人须知前附表, award tables and contracts as they come out of text extraction.
"""

import pytest

from analyzer.metadata import (
    NOTICE_TYPES,
    TenderMetadata,
    classify_buyer,
    extract_metadata,
    normalize_project_number,
    parse_amount,
    parse_chinese_date,
)

TENDER_2020 = """上海市云间区公安分局视频监控扩容项目公开招标公告
项目概况
视频监控扩容项目招标项目的潜在投标人应在上海市政府采购网获取招标文件，并于2023年03月15日 09点30分（北京时间）前递交投标文件。
一、项目基本情况
项目编号：ＳＨＸＭ－２０２３－００１（招标编号：310117-2023-17）
项目名称：视频监控扩容项目
预算金额：315.0000000 万元（人民币）
最高限价（如有）：300.0000000 万元（人民币）
采购需求：详见招标文件
二、申请人的资格要求：
1.满足《中华人民共和国政府采购法》第二十二条规定；
采购人有权根据需要调整采购数量。
三、获取招标文件
时间：2023年03月01日 至 2023年03月08日，每天上午00:00至12:00（北京时间）
售价：￥0.0 元（人民币）
四、提交投标文件截止时间、开标时间和地点
2023年03月15日 09点30分（北京时间）
地点：上海市云间区某路1号
五、公告期限
自本公告发布之日起5个工作日。
七、对本次招标提出询问，请按以下方式联系。
1.采购人信息
名 称：上海市云间区公安分局
地址：上海市云间区某路1号
联系方式：021-12345678
2.采购代理机构信息
名　称：上海某某招标代理有限公司
地　址：上海市某区某路2号
3.项目联系方式
项目联系人：张三
"""

AWARD_2020 = """视频监控扩容项目中标（成交）结果公告
一、项目编号：SHXM-2023-001
二、项目名称：视频监控扩容项目
三、中标（成交）信息
供应商名称：上海某某智能科技有限公司
供应商地址：上海市某区某路3号
统一社会信用代码：91310117MA1J2K3L4X
中标（成交）金额：人民币贰佰玖拾伍万伍仟玖佰元整
四、主要标的信息
名称 | 品牌 | 规格型号 | 数量 | 单价
人脸识别摄像机 | 某品牌 | DS-2CD | 100 | 1000
九、凡对本次公告内容提出询问，请按以下方式联系。
1.采购人信息
名 称：上海市云间区公安分局
2.采购代理机构信息
名 称：上海某某招标代理有限公司
上海某某招标代理有限公司
2023年3月20日
"""

TENDER_COVER = """上 海 市 云 间 区 公 安 分 局
视频监控扩容项目
招 标 文 件
项目编号：ＳＨＸＭ－２０２３－００１
招标人：上海市云间区公安分局
招标代理机构：上海某某招标代理有限公司
二O二二年七月十日
第一章 招标公告
第二章 投标人须知
投标人须知前附表
条款号 | 条款名称 | 编列内容
1.1 | 项目名称 | 视频监控扩容项目
1.2 | 采购人 | 名称：上海市云间区公安分局 地址：上海市云间区
1.3 | 预算金额（万元） | ３１５．００
1.4 | 投标截止时间 | 2022年7月28日9:30
1.5 | 开标时间 | 同投标截止时间
1.1 采购人：是指依法进行政府采购的国家机关、事业单位、团体组织。
供应商名称：__________（盖章）
第三章 采购需求
"""

CORRECTION = """关于视频监控扩容项目的更正公告
一、项目基本情况
原公告的采购项目编号：SHXM-2023-001
原公告的采购项目名称：视频监控扩容项目
首次公告日期：2023年03月01日
二、更正信息
更正内容：
原投标截止时间：2023年03月15日 09:30
更正日期：2023年03月05日
四、凡对本次公告内容提出询问，请按以下方式联系。
1.采购人信息
名 称：上海市云间区公安分局
"""

AWARD_TABLE = """某市民族中学智慧校园项目成交公告
项目编号\tMZZX-2023-07\t项目名称\t智慧校园项目
采购单位\t某市民族中学
序号 | 成交金额（万元） | 统一社会信用代码 | 供应商名称 | 供应商地址
1 | 226.8 | 91450100MA5L8RXW3Q | 某某信息技术有限公司 | 某市某路
2 | 300 | 91450100MA5L8RXW4Q | 另一家信息有限公司 | 某市某路
发布时间：2023/6/1
"""

RFQ_LINES = """某市信访局网上信访平台运维服务询价公告
项目编号
XF-2023-02
项目名称
网上信访平台运维服务
采购人
某市信访局
预算金额（元）
¥1,200,000.00
响应文件提交截止时间
2023年6月10日 下午2:30
"""

CONTRACT = """政府采购合同公告
项目编号：ZB2023-9
合同名称：公安检查站设备采购合同
甲方：新疆维吾尔自治区某地区公安局公安检查站
乙方：某某科技股份有限公司
合同金额：******.61元
合同签订日期：2023年8月1日
"""

SINGLE_SOURCE = """警务云平台扩容单一来源采购公示
一、项目信息
采购项目编号：DY-2023-1
采购项目名称：警务云平台扩容
采购人：某省公安厅
预算金额：1.5亿元
二、拟定的唯一供应商名称、地址
名称：某某云计算有限公司
地址：某市
"""


def test_tender_notice_2020_template():
    m = extract_metadata(TENDER_2020)
    assert m.notice_type == "tender"
    assert m.project_number == "ＳＨＸＭ－２０２３－００１"  # raw, as found
    assert m.project_number_norm == "SHXM-2023-001"
    assert m.project_name == "视频监控扩容项目"
    assert m.buyer == "上海市云间区公安分局"
    assert (m.buyer_is_police, m.buyer_type) == (True, "public_security")
    assert m.agency == "上海某某招标代理有限公司"
    assert m.budget_yuan == 3150000.0  # 预算金额 comes before 最高限价
    assert m.region == "上海市"  # 云间区 is made up: the gazetteer holds real divisions only
    assert m.dates == {"deadline": "2023-03-15T09:30", "opening": "2023-03-15T09:30"}
    assert m.winner is None and m.award_yuan is None


def test_award_notice_with_credit_code_and_capital_amount():
    m = extract_metadata(AWARD_2020)
    assert m.notice_type == "award"
    assert m.project_number == "SHXM-2023-001"
    assert m.winner == "上海某某智能科技有限公司"
    assert m.winner_credit_code == "91310117MA1J2K3L4X"
    assert m.award_yuan == 2955900.0
    assert m.buyer == "上海市云间区公安分局"
    assert m.agency == "上海某某招标代理有限公司"
    assert m.dates == {"published": "2023-03-20"}  # the signature date at the foot


def test_tender_cover_and_data_sheet():
    m = extract_metadata(TENDER_COVER)
    assert m.notice_type == "tender"
    assert m.project_number_norm == "SHXM-2023-001"
    assert m.project_name == "视频监控扩容项目"
    assert m.buyer == "上海市云间区公安分局"  # 招标人 is the same slot as 采购人
    assert m.budget_yuan == 3150000.0  # unit from the 预算金额（万元） cell, full-width digits
    assert m.dates["published"] == "2022-07-10"  # 二O二二 with a Latin O
    assert m.dates["deadline"] == "2022-07-28T09:30"
    assert m.dates["opening"] == "2022-07-28T09:30"  # 同投标截止时间
    assert m.winner is None  # the blank 供应商名称 template line is not a winner


def test_correction_notice():
    m = extract_metadata(CORRECTION)
    assert m.notice_type == "correction"
    assert m.project_number == "SHXM-2023-001"
    assert m.project_name == "视频监控扩容项目"
    assert m.dates == {"published": "2023-03-05"}  # 原投标截止时间 is the old value, not a deadline


def test_award_table_with_header_row_reads_first_lot():
    m = extract_metadata(AWARD_TABLE)
    assert m.notice_type == "award"
    assert m.project_number == "MZZX-2023-07"
    assert m.award_yuan == 2268000.0
    assert m.winner == "某某信息技术有限公司"
    assert m.winner_credit_code == "91450100MA5L8RXW3Q"
    assert (m.buyer, m.buyer_is_police, m.buyer_type) == ("某市民族中学", False, "other")
    assert m.dates["published"] == "2023-06-01"


def test_labels_and_values_on_consecutive_lines():
    m = extract_metadata(RFQ_LINES)
    assert m.notice_type == "rfq"
    assert m.project_number == "XF-2023-02"
    assert m.project_name == "网上信访平台运维服务"
    assert (m.buyer, m.buyer_is_police, m.buyer_type) == ("某市信访局", False, "party_governance")
    assert m.budget_yuan == 1200000.0
    assert m.dates == {"deadline": "2023-06-10T14:30"}


def test_contract_notice_masked_amount_is_missing():
    m = extract_metadata(CONTRACT)
    assert m.notice_type == "contract"
    assert m.buyer == "新疆维吾尔自治区某地区公安局公安检查站"  # 甲方
    assert m.buyer_is_police is True
    assert m.winner == "某某科技股份有限公司"  # 乙方 is the supplier, never the agency
    assert m.agency is None
    assert m.award_yuan is None  # ******.61元
    assert m.dates == {"contract": "2023-08-01"}
    assert m.project_name is None  # "政府采购" alone is not a project name


def test_single_source_names_the_supplier():
    m = extract_metadata(SINGLE_SOURCE)
    assert m.notice_type == "single_source"
    assert m.winner == "某某云计算有限公司"
    assert m.budget_yuan == 150000000.0
    assert m.region is None  # 某省 ("some province") is a placeholder, not a place


def test_boilerplate_is_not_a_buyer():
    text = """第二章 投标人须知
1.1 采购人：是指依法进行政府采购的国家机关、事业单位、团体组织。
采购人有权拒绝任何投标。
采购人 有权对投标文件进行审查
采购人：（盖章）
第三章 采购需求
第四章 评标办法
"""
    m = extract_metadata(text)
    assert m.buyer is None
    assert m.buyer_type is None and m.buyer_is_police is False
    assert m.notice_type == "tender"  # from the chapter structure


def test_two_pairs_on_one_line_and_short_name_clause():
    text = """XX项目招标公告
项目编号：A-2023-1 项目名称：某区公安分局网安支队取证设备项目
采购人：上海市云间区公安分局（以下简称“采购人”）
预算金额：人民币叁佰壹拾伍万元整（¥3,150,000.00）
"""
    m = extract_metadata(text)
    assert m.project_number == "A-2023-1"
    assert m.project_name == "某区公安分局网安支队取证设备项目"
    assert m.buyer == "上海市云间区公安分局"
    assert m.budget_yuan == 3150000.0


def test_space_separated_table_line_from_pdf():
    m = extract_metadata("采购单位 某县看守所\n预算金额（万元） 48.5\n")
    assert m.buyer == "某县看守所"
    assert (m.buyer_is_police, m.buyer_type) == (True, "detention")
    assert m.budget_yuan == 485000.0


def test_award_fields_not_read_from_a_tender():
    text = "某项目公开招标公告\n中标供应商：某某示例有限公司\n中标金额：100万元\n"
    m = extract_metadata(text)
    assert m.notice_type == "tender"
    assert m.winner is None and m.award_yuan is None


@pytest.mark.parametrize(
    ("s", "hint", "expected"),
    [
        ("315.00", None, 315.0),
        ("315.00", "万元", 3150000.0),
        ("人民币叁佰壹拾伍万元整", None, 3150000.0),
        ("人民币贰佰玖拾伍万伍仟玖佰元整", None, 2955900.0),
        ("¥3,150,000.00", None, 3150000.0),
        ("226.8万元", None, 2268000.0),
        ("３１５万元", None, 3150000.0),
        ("３１５．００", "万元", 3150000.0),
        ("1.5亿元", None, 150000000.0),
        ("壹佰元伍角陆分", None, 100.56),
        ("第1包：100万元", None, 1000000.0),
        ("******.61", None, None),
        ("******.61元", None, None),
        ("下浮率5%", None, None),
        ("详见招标文件", None, None),
        ("", None, None),
    ],
)
def test_parse_amount(s, hint, expected):
    assert parse_amount(s, hint) == expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("2023年03月15日 09时30分（北京时间）", "2023-03-15T09:30"),
        ("2023-03-15 09:30", "2023-03-15T09:30"),
        ("2023/3/15", "2023-03-15"),
        ("二〇二三年二月", "2023-02"),
        ("二O二二年七月十日", "2022-07-10"),
        ("二〇二三年十二月三十一日", "2023-12-31"),
        ("2023年6月10日 下午2:30", "2023-06-10T14:30"),
        ("2023年03月01日 至 2023年03月08日", "2023-03-01"),
        ("2023年02月30日", None),
        ("年 月 日", None),
        ("2025 年1 1 月 2 4 日 9 时 30 分", "2025-11-24T09:30"),  # a spaced-out page splits the figures
        ("2025/11/24 9:30", "2025-11-24T09:30"),  # a day and an hour are not joined
    ],
)
def test_parse_chinese_date(s, expected):
    assert parse_chinese_date(s) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("上海市云间区公安分局", (True, "public_security")),
        ("某省公安厅", (True, "public_security")),
        ("某某派出所", (True, "public_security")),
        ("某县看守所", (True, "detention")),
        ("某市监狱", (True, "detention")),
        ("某县委政法委", (True, "party_governance")),
        ("某区综治中心", (True, "party_governance")),
        ("某市信访局", (False, "party_governance")),
        ("某市民族中学", (False, "other")),
        ("湖北省公安县人民医院", (False, "other")),  # 公安县 is a county
        ("", (False, None)),
    ],
)
def test_classify_buyer(name, expected):
    assert classify_buyer(name) == expected


def test_normalize_project_number():
    assert normalize_project_number(" ｔｃｚｘ－ＺＦＣＧ（Ｆ）－２０２２００７ ") == "TCZX-ZFCG(F)-2022007"
    assert normalize_project_number("jh23 - 210000 - 49804") == "JH23-210000-49804"
    assert normalize_project_number("沪财采〔2023〕12号") == "沪财采[2023]12号"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("某某项目公开招标公告", "tender"),
        ("某某项目竞争性磋商公告", "consultation_competitive"),
        ("某某项目竞争性谈判公告", "negotiation"),
        ("某某项目询价公告", "rfq"),
        ("某某项目单一来源采购公示", "single_source"),
        ("某某项目更正公告", "correction"),
        ("某某项目中标公告", "award"),
        ("某某项目成交结果公告", "award"),
        ("某某项目中标结果更正公告", "correction"),
        ("某某项目终止公告", "failed"),
        ("某某项目合同公告", "contract"),
        ("某某单位2023年1至6月政府采购意向", "intention"),
        ("某某项目采购需求征求意见公告", "consultation"),
        ("某某项目验收结果公告", "acceptance"),
        ("某某项目资格预审公告", "prequalification"),
        ("某某项目招标公告（第二次）", "tender"),
        ("某某服务项目单一论证公告", "single_source"),
        ("某某中心概念性方案征集 征集公告", "tender"),
        ("某某项目设计需求意见征集公告", "consultation"),
    ],
)
def test_notice_type_from_title(title, kind):
    assert extract_metadata(title + "\n项目编号：X-1\n").notice_type == kind
    assert kind in NOTICE_TYPES


def test_breadcrumbs_are_not_the_title():
    text = """首页 > 政府采购公告 > 地方公告 > 中标公告
标题：某市公安局大数据平台项目中标公告
发布时间：2023-03-01 10:15
某市公安局大数据平台项目 项目编号：DSJ-2023-5
中标人：某某网络科技有限公司（联合体牵头人）
"""
    m = extract_metadata(text)
    assert m.notice_type == "award"
    assert m.project_name == "某市公安局大数据平台项目"
    assert m.project_number == "DSJ-2023-5"  # label found after a leading title chunk
    assert m.winner == "某某网络科技有限公司"  # consortium note dropped
    assert m.dates == {"published": "2023-03-01T10:15"}


def test_project_name_falls_back_to_title_without_suffix():
    m = extract_metadata("关于某区雪亮工程二期项目的中标（成交）结果公告\n中标人：某某有限公司\n")
    assert m.project_name == "某区雪亮工程二期项目"
    assert m.winner == "某某有限公司"


def test_region_label_beats_inference_and_empty_text():
    m = extract_metadata("采购人：上海市云间区公安分局\n行政区划：松江区\n")
    assert m.region == "上海市松江区"  # the label, placed under the province the buyer names
    empty = extract_metadata("")
    assert isinstance(empty, TenderMetadata)
    assert empty.to_dict()["dates"] == {} and empty.notice_type is None
    assert set(extract_metadata(AWARD_2020).to_dict()) == {
        "notice_type", "project_number", "project_number_norm", "project_name", "buyer", "buyer_is_police",
        "buyer_type", "agency", "budget_yuan", "award_yuan", "winner", "winner_credit_code", "region", "dates", "markers", "budget_lots", "award_lots",
        "award_rate", "budget_basis", "evidence", "null_reasons",
    }


def test_site_suffix_and_menu_items_do_not_set_the_notice_type():
    """A page title ending in '- 上海市政府采购网' and a nav menu listing 中标公告 once made a tender
    notice read as an award."""
    text = "X市公安局平台建设项目公开招标公告 - 上海市政府采购网\n首页\n采购公告\n中标公告\n项目编号：AB-1\n"
    assert extract_metadata(text).notice_type == "tender"


def test_buyer_with_address_in_brackets():
    """采购人：江洲市民族中学（地址：…）: the bracketed address is not part of the name."""
    meta = extract_metadata("项目编号：JZ-1\n采购人：江洲市民族中学（地址：江洲市民族路18号）\n")
    assert meta.buyer == "江洲市民族中学" and meta.buyer_is_police is False


@pytest.mark.parametrize("text, expected", [
    ("标注“★”的条款为实质性条款，投标人必须完全满足，任何一项出现负偏离的，按无效投标处理；标注“▲”的为重要技术参数，作为评分依据。",
     {"★": "substantive requirement", "▲": "important parameter"}),
    ("带▲号的条款为实质性要求，不满足将导致投标\n无效；带★号的为加分项。", {"▲": "substantive requirement", "★": "important parameter"}),
    ("注：“★”为实质性条款，“▲”为重要参数。", {"★": "substantive requirement", "▲": "important parameter"}),
    ("★表示该项为关键参数", {"★": "important parameter"}),
    ("2.3 ▲系统应支持对抓拍人脸进行民族属性识别。★（1）系统应支持比对。", {}),  # marked clauses, not a legend
    ("投标文件对标注“★”的实质性条款存在任何负偏离的，按无效投标处理。", {}),
])
def test_marker_legend_is_read_from_the_document(text, expected):
    from analyzer.metadata import marker_legend

    got = marker_legend(text)
    assert {k: v.split(":")[0] for k, v in got.items()} == expected
    if "▲" in got and expected.get("▲") == "substantive requirement":
        assert "投标无效" in got["▲"]  # the legend's own words, across the line break


def test_lot_budgets_are_summed_when_no_total_is_given():
    one_line = extract_metadata("项目编号：SH-GA-2024-01\n合同包1（前端设备）：预算金额：100.00万元\n"
                                "合同包2（平台软件）：预算金额：200.00万元\n")
    assert one_line.budget_yuan == 3_000_000 and one_line.budget_lots == {"1": 1_000_000, "2": 2_000_000}
    stacked = extract_metadata("项目编号：SH-GA-2024-01\n采购包1：\n预算金额（元）：1,000,000.00\n"
                               "采购包2：\n预算金额（元）：2,500,000.00\n")
    assert stacked.budget_yuan == 3_500_000  # not just the first lot's figure
    stated = extract_metadata("项目编号：X-1\n预算金额：500万元\n第一包预算：100万元\n第二包预算：200万元\n")
    assert stated.budget_yuan == 5_000_000 and stated.budget_lots == {"1": 1_000_000, "2": 2_000_000}
    single = extract_metadata("项目编号：X-2\n预算金额：315.00万元\n包括前端设备3套\n")
    assert single.budget_yuan == 3_150_000 and single.budget_lots == {}


def test_award_amounts_of_several_lots_are_summed():
    text = ("中标（成交）结果公告\n项目编号：SH-GA-2024-01\n"
            "合同包1（前端设备）\n中标供应商：甲科技有限公司\n中标金额：80.5万元\n"
            "合同包2（平台软件）\n中标供应商：乙信息技术有限公司\n中标金额：150万元\n")
    m = extract_metadata(text)
    assert m.notice_type == "award"
    assert m.award_lots == {"1": 805_000, "2": 1_500_000} and m.award_yuan == 2_305_000
    assert m.winner == "甲科技有限公司；乙信息技术有限公司"  # each lot's winner, not just the first


@pytest.mark.parametrize("text, region", [
    ("采购人：上海市公安局宝山分局\n", "上海市宝山区"),  # a district named without its 区
    ("采购人：国家税务总局阳西县税务局\n", "广东省阳江市阳西县"),  # a county fills the levels above it
    ("采 购 人：辽宁机电职业技术学院\n地 址：辽宁省丹东市振兴区洋河大街30号\n", "辽宁省丹东市振兴区"),
    ("招标人：上海太平康复医院 地址：上海市浦东新区忘忧路99弄\n", "上海市浦东新区"),
    ("招标方：中华人民共和国某海关\n招标方地址：上海市黄浦区淮海中路8号\n", "上海市黄浦区"),
    ("采购人：北京市朝阳区教育委员会\n", "北京市朝阳区"),
    ("采购人：朝阳区某某中心\n", None),  # 朝阳区 is in Beijing and in Changchun: no guess
    ("采购人：某某公司\n投标地点：上海市静安区\n开标地点：上海市静安区\n", "上海市"),  # the province named most
])
def test_region_from_buyer_address_and_gazetteer(text, region):
    assert extract_metadata(text).region == region


def test_cut_and_prose_fields_are_read_whole():
    # A cover blank left only the end of the buyer's name; the 前附表 prints it whole.
    m = extract_metadata("采购人：            市场监督管理局\n2 | 采购人 | 招标人名称：上海市宝山区市场监督管理局 招标人地址：上海市宝山区漠河路600弄\n")
    assert m.buyer == "上海市宝山区市场监督管理局" and m.region == "上海市宝山区"
    # A notice whose number and name sit only in the opening sentence (the page title is stale).
    m = extract_metadata("某学院工作服采购成交公告\n某代理公司受某学院委托，对某学院网络安全等级保护测评项目（项目编号：LNJC20190710001）进行竞争性磋商。\n")
    assert m.project_number == "LNJC20190710001" and m.project_name == "某学院网络安全等级保护测评项目"
    # 投标开始时间 is not the deadline; 采购机构 is the agency when nothing else names one.
    m = extract_metadata("11 | 投标开始和截止时间 | 投标开始时间：2026年7月16日09时00分。 投标截止时间：2026年7月16日09时30分。\n"
                         "1 | 项目概况 | 采购机构：中国人民解放军92728部队 联系人：唐助理\n")
    assert m.dates["deadline"] == "2026-07-16T09:30" and m.agency == "中国人民解放军92728部队"


def test_title_wrapped_onto_a_second_line_still_types_the_notice():
    m = extract_metadata("中华人民共和国某海事局2024年船舶运行与维护项目公开招标公\n告\n项目编号:招案2024-0490\n")
    assert m.notice_type == "tender"


@pytest.mark.parametrize("text, budget", [
    ("服务费估算（最高限价）：20万元/处，合计140万元。\n", 1400000.0),  # the bracket says what the figure is
    ("保险费用（年保费最高限价）：670.3124万元（三年合计保费：2010.9372万元）。\n", 6703124.0),
    ("2.3三年预算：120万元【投标总价仅用于评标】。\n", 1200000.0),
    ("2.4本项目三年预算总额（含税）约为：人民币800万元。\n", 8000000.0),
    ("2.3服务期限：1年或累计结算金额达到本项目总预算（80万元）止。\n", 800000.0),  # the figure in the bracket
    ("标段号 | 服务内容 | 最高限价\n一 | 土地报批服务 | 1671540元，其中复垦方案编制最高投标限价为1700元/亩。\n", 1671540.0),
    # an amount under 采购金额 or 预估总金额 (the ceiling beside it only a rate); a 含税预算 column
    ("标项名称：某园区门禁改造\n采购金额（元）：452300元\n", 452300.0),
    ("2.2预估总金额：55万元；最高限价：审核服务费最高费率（报价）为60%。\n", 550000.0),
    ("服务名称 | 服务范围 | 含税预算 | 服务期限\n某楼宇保洁服务 | 主楼及地库 | 1836400元 | 一年\n", 1836400.0),
    ("序号 | 招标内容 | 数量 | 最高含税总价限价\n1 | 笔记本电脑 | 40 台 | 26.5 万元\n", 265000.0),
    # the works cost of this tender's scope after a colon, or with 约 before the colon; the project-wide
    # works cost beside it is no budget
    ("2.1概况：某厂房改造，其中建安工程造价 900 万元。\n2.2范围：本次招标建安工程造价： 8765432 元\n", 8765432.0),
    ("本次招标建安工程造价约：41230000元。\n", 41230000.0),
    # a rate-priced purchase whose only amount is the estimate, in prose
    ("1.3 预算/采购控制价：\n本次预估价为人民币18万元，采购控制价：按清单单价报统一下浮率。\n", 180000.0),
    # a yearly ceiling with and without VAT beside the whole term's: the term's
    ("控制价：150000元/年（不含税）；159000元/年（含税）；477000元/三年（含税）。\n", 477000.0),
    # a price per unit of goods or work is no budget, whether the value or the label's bracket says so
    ("最高限价（全费用综合单价）：48.5元/吨\n", None),
    ("2.2最高限价：2100元/吨（含税）。\n", None),
    ("最高限价（单价）：185元。\n", None),
    ("总价最高限价 | 综合单价最高限价\n360000元 | 3500元/人/月\n", 360000.0),
])
def test_budget_labels_as_real_notices_print_them(text, budget):
    assert extract_metadata(text).budget_yuan == budget


@pytest.mark.parametrize("text, budget", [
    # one row per lot and no total: the lots summed, not the first lot's figure
    ("标段 | 标段名称 | 招标控制价（最高限价） | 服务期限\n1 | 就业服务平台 | 60.41万元 | 一年\n"
     "2 | 职工之家专区 | 14.96万元 | 一年\n3 | 数字工会 | 31.44万元 | 一年\n", 1068100.0),
    ("2.4招标控制价：I标段2686923元；II标段2387896元。\n", 5074819.0),
    # a saved page prints the header line, then the same header as the table's first row
    ("项目名称 | 数量 | 最高含税限价 | 采购需求\n项目名称 | 数量 | 最高含税限价 | 采购需求\n研学活动服务 | 1 | 40.89万元 | 详见第三章\n", 408900.0),
    ("序号 | 货物名称 | 总价最高限价 （人民币：元）\n一 | 二供泵房视频监控及网络采购 | 263573\n", 263573.0),
    ("标段 | 采购内容 | 预算金额（人民币元）\n一 | 财务咨询服务 | 40.00万元/年，80万元/两年\n", 800000.0),
    ("序号 | 项目名称 | 采购预算\n一 | 职工食堂服务外包 | 28.6313万元/年（两年共计57.2626万元）\n", 572626.0),
    # the currency after the unit; a total beside the yearly figure
    ("包号 | 服务内容 | 最高限价\n一 | 某馆物业服务 | 3年总价900万元人民币（300万元人民币/年）\n", 9000000.0),
    # a lot's second item under merged cells, and a lot row whose delivery cell is merged
    ("子包 | 采购内容 | 交货期 | 计量单位 | 采购数量 | 最高限价（含税）\n一 | 数据库软件 | 签约后10日 | 套 | 4 | 人民币120000元\n"
     "中间件软件 | 套 | 6\n二 | 办公软件 | 套 | 50 | 人民币30000元\n三 | 制图软件 | 套 | 8 | 人民币45000元\n", 195000.0),
    # merged cells after the amount, or before it (the lot named 标段一), in a lot's later rows
    ("标项 | 服务范围 | 采购预算（元） | 服务内容 | 服务期限\n一 | 东片区 | 1200000 | 河道保洁 | 一年\n二 | 西片区 | 800000\n",
     2000000.0),
    ("标段号 | 货物名称 | 供货期限 | 交易预估价 | 中标人数量\n标段一 | 蔬菜类 | 一年 | 300万元 | 2家\n标段二 | 粮油类 | 120万元 | 1家\n",
     4200000.0),
    # a label alone on its line over the lot table that holds its values
    ("3.最高限价：\n标项号 | 招标内容 | 最高限价 | 备注\n标项一 | 保洁服务 | 25万元（单价：20元/小时） | 按月结算\n"
     "标项二 | 客房服务 | 35万元（单价：18元/间） | \n", 600000.0),
    ("4.2招标控制价：标段1：300000.00元，标段2：200000.00元。\n", 500000.0),  # the lot word before its number
    ("标项一：\n标项名称：某道路感知设计\n最高限价：300000 元\n标项二：\n标项名称：某视频系统设计\n最高限价：200000 元\n",
     500000.0),
    ("序号 | 招标内容 | 服务期限 | 预算总金额\n1 | 职工体检 | 3年，合同一年一签 | 人民币50.5万元/年\n", 505000.0),
    ("采购内容 | 采购需求 | 服务期 | 招标总限价（含税）\n电梯维保 | 详见第四部分 | 两年 | 456789元\n", 456789.0),
    # a label cell whose unit bracket holds a colon, its value in the next cell
    ("标段 | 货物名称 | 单价限价（人民币：元）\n1 | 阀门 | 详见第四章\n总价最高限价（人民币：元） | 1234567.80\n", 1234567.8),
    # an estimate header split over two lines in its cell (预估采购 金额), and a bid-total ceiling
    ("序号 | 服务名称 | 服务期限 | 预估采购 金额\n1 | 某片区绿化养护 | 一年 | 88.5万元\n", 885000.0),
    ("标段号 | 服务内容 | 暂估工程量（㎡） | 综合单价限价（元/㎡） | 投标总价限价\n1 | 管道防腐 | 约5000 | 60.5 | 302500元\n",
     302500.0),
    # items (品目) as lots, the later row's cells merged and its figure bare under a 万元 header
    ("品目 | 服务内容 | 入围家数 | 最高含税限价（万元） | 服务周期\n一 | 体检服务 | 入围2家 | 120.00 | 三年\n"
     "二 | 接送服务 | 入围1家 | 80.00\n", 2000000.0),
    # lots named without a colon before the currency; two series of lots (budget, then ceiling)
    ("3、采购预算：标段一人民币500万元/两年，标段二人民币300万元/两年。\n", 8000000.0),
    ("三、预算金额：子包一：20万元；子包二：15万元。最高限价：子包一：19万元；子包二：15万元。\n", 350000.0),
])
def test_budget_tables_and_lots_as_saved_pages_print_them(text, budget):
    assert extract_metadata(text).budget_yuan == budget


@pytest.mark.parametrize("text, deadline", [
    ("保证金账户：某银行\n提交截止时间：2025年09月5日15:00时（以资金到账时间为准）\n"
     "6.投标文件的递交\n1.投标文件递交的截止时间为2025年09月08日9时30分。\n", "2025-09-08T09:30"),
    ("4.5投标人要求澄清招标文件的截止时间：2026年3月5日16时00分。\n"
     "6.1投标文件递交的截止时间为2026年3月10日14时00分，投标人应在截止时间前上传。\n", "2026-03-10T14:00"),
    ("6.1递交投标文件的截止时间即开标时间为2026年01月28日09时30分。\n", "2026-01-28T09:30"),
    ("1、本次采购采用远程不见面开标。报价截止时间为2025年12月10日14时30分，报价人应在此前上传。\n", "2025-12-10T14:30"),
    ("须制作电子响应文件并将文件上传至某平台（http://example.org），截止时间为2026年1月22日9时30分（北京时间）。\n",
     "2026-01-22T09:30"),
    # a bracket after the label, and a prose sentence that hands the bid in after 前将
    ("6.1投标文件递交的投标截止时间（即开标时间，下同）为2026年3月2日9：30。\n", "2026-03-02T09:30"),
    ("投标保证金的到账截止时间：2026年3月1日15时整。\n并于2026年3月2日10时00分前将投标文件上传至交易平台。\n",
     "2026-03-02T10:00"),
    # a window to hand bids in: its end is the deadline
    ("1.投标时间：2021年5月10—12日9:00—17:00（北京时间），逾期不予受理。\n", "2021-05-12T17:00"),
    ("递交投标文件时间：2021年5月10日9:00至2021年5月12日16:30。\n", "2021-05-12T16:30"),
    ("投标时间：2021年5月10日至5月12日16:00。\n", "2021-05-12T16:00"),
    ("投标时间：2021年5月12日9:30。\n", None),  # one moment, not a window: it may be the opening
    ("投标时间：2021年5月10日至5月32日16:00。\n", None),  # no such day
    ("8.1投标截止时间和开标时间为2025年12月1日13时30分（北京时间）。\n", "2025-12-01T13:30"),  # 和开标时间 between
    ("5.2响应文件递交的截止时间(响应截止时间，下同)和评审时间为2026年4月8日 14时00分，请按时上传。\n", "2026-04-08T14:00"),
    # paper bids handed in (送交) before a time; a spaced-out page with a space after 文件
    ("7.1 投标人应于 2026 年3月2日10：00时前将投标文件密封送交到某大厦开标室。\n", "2026-03-02T10:00"),
    ("5.1 响应文件 上传的截止时间（响应截止时间，下同）为 2026 年1 2 月 4 日 9 时 30 分，供应商应在此前上传。\n",
     "2026-12-04T09:30"),
])
def test_bid_deadline_sentences_beat_other_deadlines(text, deadline):
    assert extract_metadata(text).dates.get("deadline") == deadline


def test_a_role_line_over_name_and_address_lines_is_the_buyers_context():
    m = extract_metadata("投标人须知前附表\n序号 名称 主 要 内 容\n1 招 标 人\n名 称：某某商业有限公司\n"
                         "地 址：深圳市罗湖区某某路 88 号\n联系人：王先生\n2 项目地点 上海\n")
    assert m.buyer == "某某商业有限公司" and m.region == "广东省深圳市罗湖区"  # the buyer's address, not the site


def test_buyer_of_a_design_competition_and_number_after_an_agency():
    m = extract_metadata("某中心项目概念性方案征集 征集公告\n1. 征集条件\n某中心项目已由方案征集人某市教育发展有限公司批准实施。\n"
                         "联系方式\n方案征集单位：某区发展和改革局，某市教育发展有限公司\n")
    assert m.buyer == "某市教育发展有限公司" and m.notice_type == "tender"
    m = extract_metadata("受采购人委托，某招标有限公司就 某剧院外墙（幕墙）检测服务（项目编号：AB-2025001XB）进行询比采购。\n")
    assert m.project_number == "AB-2025001XB" and m.project_name == "某剧院外墙(幕墙)检测服务"
    # a unit-of-measure column named 采购单位 is not the buyer, and its neighbour header is no name
    m = extract_metadata("子包 | 采购内容 | 采购单位 | 采购数量 | 最高限价\n一 | 软件 | 套 | 3 | 9000元\n招标人：某某广场开发有限公司\n")
    assert m.buyer == "某某广场开发有限公司"


def test_a_header_row_with_a_requirements_column_and_a_buyer_named_as_contracting_party():
    m = extract_metadata("项目编号 | 项目名称 | 数量 | 最高限价（预算价） | 主要采购需求\n"
                         "AB-2026001G | 某业务管理系统采购 | 1项 | 378800元 | 详见第二章\n")
    assert m.project_number == "AB-2026001G" and m.budget_yuan == 378800.0
    m = extract_metadata("发包控制价（最高限价）：合计90000元/三年；\n八、联系方式\n代理机构：某项目管理有限公司\n"
                         "发包人名称：某某环保技术有限公司\n发包人地址：某市某区某路1号\n")
    assert m.buyer == "某某环保技术有限公司"


def test_notice_type_of_a_renovation_and_of_a_title_naming_only_the_project():
    assert extract_metadata("研发园C区9号楼四层装修改造项目招标公告\n1、招标条件\n").notice_type == "tender"
    m = extract_metadata("2026年度某县园林绿化养护服务采购项目（标段三）\n某公司受某单位的委托，就该项目进行公开招标。"
                         "欢迎符合要求的投标人前来投标。\n")
    assert m.notice_type == "tender"


def test_a_role_label_with_no_value_over_name_lines_and_a_heading_as_value():
    m = extract_metadata("八、联系方式\n九、招标人：\n名 称：某某化工有限公司\n地 址：某市某路1号\n"
                         "十、招标代理：\n名 称：某某招标有限公司\n联系人：张工\n")
    assert m.buyer == "某某化工有限公司" and m.agency == "某某招标有限公司"
    # a 采购人 line whose value is the heading of the block below, then the block's own label
    m = extract_metadata("采购人：采购单位信息\n采购单位：某某粮食收储有限公司\n地 址：某市某路2号\n")
    assert m.buyer == "某某粮食收储有限公司"


def test_number_in_brackets_after_a_commission_without_a_verb():
    m = extract_metadata("某咨询有限公司受某某银行股份有限公司委托，某某银行笔记本采购项目(项目编号：AB123-45/XM_2026CD0001）"
                         "进行国内公开招标。\n")
    assert m.project_number == "AB123-45/XM_2026CD0001"


def test_a_part_priced_per_term_is_not_the_whole():
    # the yearly ceiling's parts, one priced for the whole term but smaller than the year: the year's
    text = "最高限价（人民币）：50万元/年（其中第一部分：6万元/三年；第二部分：48万元/年）。\n"
    assert extract_metadata(text).budget_yuan == 500000.0
