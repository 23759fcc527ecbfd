"""Issue 14: metadata that is right on real documents (label/value cells, placeholders, budgets, types).

The synthetic texts below reproduce the shapes found in real notices without copying them; the
real documents themselves are read in the tests at the end, which skip without the corpus.
"""

from __future__ import annotations

import json

import pytest

from analyzer.metadata import extract_metadata, placeholder


def test_label_value_cells_of_an_award_table():
    m = extract_metadata("某某工程中标结果公告\n招标人: | 某某县交通运输局 | 建设地点 | 某某县\n"
                         "招标机构: | 某某工程咨询有限公司 | 标段(包)编号: | AB-2025-01\n"
                         "中标人: | 某某建设有限公司\n中标价(元): | 998000.00 | 履约期限(天): | 30\n")
    assert m.notice_type == "award"
    assert (m.buyer, m.agency, m.winner) == ("某某县交通运输局", "某某工程咨询有限公司", "某某建设有限公司")
    assert m.award_yuan == 998000.0 and m.award_rate is None


def test_an_award_priced_as_a_rate_gives_no_amount_and_keeps_the_rate():
    m = extract_metadata("某某设计中标结果公告\n招标人: | 某某局\n中标人: | 某某设计院有限公司\n中标价(%): | 63\n")
    assert m.award_yuan is None
    assert m.award_rate == "63"


@pytest.mark.parametrize("text, expected", [
    ("招标控制价：480万元", 4_800_000),
    ("本次招标控制价 188.2092 万元。", 1_882_092),
    ("2.4最高限价（人民币）：12万元", 120_000),
    ("采购预算/最高限价 ：人民币178000元（含税）", 178_000),
    ("本项目最高投标限价为：1196000元人民币（含增值税）", 1_196_000),
    ("招标控制价（含9%增值税）：3241175.00元", 3_241_175),
    ("3.项目预算金额: 82.5 万元、项目最高限价(如有): 82.5 万元", 825_000),
    ("8 | 最高限价 | 本项目最高限价为人民币包 1-10787900.00 元", 10_787_900),
    ("序号 | 采购内容 | 服务期限 | 最高限价\n1 | 物资 | 一年 | 70万元", 700_000),
    # a total column whose header names the label and "总金额" (wrapped onto two lines in the page)
    ("序号 | 服务内容 | 服务期限 | 单年最高限价 | 最高限价 总金额\n1 | 顾问服务 | 三年 | 30万元/年 | 90万元", 900_000),
    # a header cell spanning two columns of the rows: the amount counted from the right
    ("序号 | 采购内容 | 数量 | 单价最高限价 | 最高限价\n一 | 工作服 | 春装 | 100套 | 150元/套 | 30000元\n夏装 | 100套 | 150元/套",
     30_000),
    ("2.2招标范围：某某道路工程的施工。本次招标建安工程造价1557938元。", 1_557_938),  # prose, no colon
    ("监理费：约29.3003万元", 293_003),
    ("2.3最高投标限价：Ⅰ标段为100元，Ⅱ标段为200元，Ⅲ标段为300元，Ⅳ标段为400元，Ⅴ标段为500元，Ⅵ标段为600元，Ⅶ标段为700元。",
     2_800),
])
def test_budget_labels_and_units(text, expected):
    assert extract_metadata("某某项目采购公告\n" + text + "\n").budget_yuan == expected


@pytest.mark.parametrize("text", [
    "2.4招标控制价：某价服（2009）84号文件中附件1收费标准的60%（含增值税）。",  # a rate on a fee schedule
    "2.1项目概况：本项目投资估算600万元。\n施工招标控制价：4500000元。\n2.2招标范围：施工全过程的监理。",
    "2.2招标范围：施工全过程的监理。本次招标建安工程造价4500000元。",  # the works' cost, not the fee
    "采购预算：某某污泥处置费（含运输费） 485元/吨。",  # a price per tonne
    "2.2项目总投资：总投约14440万元，工程建安费约7500万元。",  # the investment in the works served
])
def test_no_budget_from_a_rate_or_from_the_works_a_service_serves(text):
    assert extract_metadata("某某道路改造工程（监理）采购公告\n" + text + "\n").budget_yuan is None
    # the same ceiling in a works notice is its budget
    works = extract_metadata("某某道路改造工程施工招标公告\n施工招标控制价：4500000元。\n")
    assert works.budget_yuan == 4_500_000


@pytest.mark.parametrize("value, reason", [
    ("[合同中心-采购单位名称]", "template placeholder"), ("XX市XX局", "blank"), ("（盖单位章）", "signature line"),
    ("/", "blank"), ("详见投标人须知前附表", "reference"), ("1.1.5 项目建设地点", "template numbering"),
    ("项目编号: 包号:", "a label, not a value"), ("以系统生成为准", "to be generated"), ("乙方", "a role, not a name"),
])
def test_placeholders_are_no_values(value, reason):
    assert placeholder(value) == reason
    assert placeholder("上海市某某区公安分局") is None


def test_buyer_from_definitions_not_placeholders_nor_the_agency():
    m = extract_metadata("某某物业管理服务\n公开招标文件\n采购单位：[合同中心-采购单位名称]\n"
                         "2.3 “采购人”系指上海市某某区公安分局。\n2.4 “集中采购机构”系指上海市某某区政府采购中心。\n")
    assert m.buyer == "上海市某某区公安分局" and m.buyer_is_police
    assert m.agency == "上海市某某区政府采购中心"
    assert m.project_name == "某某物业管理服务"


def test_a_name_wrapped_onto_the_next_line_is_whole():
    m = extract_metadata("项目名称：国家某某局某某县分局非执法类辅助及后\n勤服务项目\n项目编号：AB-1\n")
    assert m.project_name == "国家某某局某某县分局非执法类辅助及后勤服务项目"
    assert extract_metadata("项目编号：【CP-2025-S2-032】\n").project_number == "CP-2025-S2-032"


def test_the_agency_number_printed_after_the_platform_blank_is_the_number():
    # The platform fills its own number in later; the agency's, in brackets, is the one printed.
    assert extract_metadata("1、项目编号：以系统生成为准（ABCD-NB【2025】0123）\n").project_number == "ABCD-NB【2025】0123"
    assert extract_metadata("1、项目编号：以系统生成为准\n2、项目名称：某某采购\n").project_number is None
    aside = "1.招标条件\n本招标项目某某中心服务管理项目（项目编号：ABCD-20250001），采购资金来源自筹。\n"
    assert extract_metadata(aside).project_number == "ABCD-20250001"
    bare = "1．招标条件\n本招标项目某某公交站改造工程（重发）（ABCD-202530001E-1），招标人为某某公交有限公司，招标代理人为某某招标有限公司。\n"
    assert extract_metadata(bare).project_number == "ABCD-202530001E-1"  # the bare code before 招标人 only
    assert extract_metadata("本招标项目某某工程（二期）（2025），招标人为某某公司。\n").project_number is None


def test_joint_buyers_listed_across_lines_give_the_first_without_its_comma():
    text = "10. 联系方式\n招标人名称：某某市十号线铁路发展有限公司、\n某某市十二号线铁路发展有限公司\n地址：某某路1号\n"
    assert extract_metadata(text).buyer == "某某市十号线铁路发展有限公司"


@pytest.mark.parametrize("title, body, kind", [
    ("某某公司办公家具采购项目（重发）采购公告", "现对该项目进行公开招标。", "tender"),
    ("某某热电有限公司输煤线路项目(重发)", "现对该项目进行公开招标。凡有意参加投标者，请于…报名。", "tender"),
    ("某某集团瓶坯采购项目（第三次重招）询比采购公告", "采用询比方式。", "rfq"),
    ("某某集团摄录设备采购项目采购公告", "本招标项目：某某设备采购项目。现对该项目进行公开询价。", "rfq"),
    ("某某酒店空气治理项目采购公告", "就本项目进行询比采购，欢迎供应商参加。", "rfq"),
    ("某某小区电梯维保服务项目磋商公告（重发）", "", "consultation_competitive"),
    ("某某学校运动服采购成交公告", "对某某项目进行竞争性磋商采购，现欢迎合格的供应商参加。", "consultation_competitive"),
    ("某某信号系统升级项目单源采购公示", "", "single_source"),
    ("某某项目更正公告", "", "correction"),
    ("某某项目终止公告", "", "failed"),
])
def test_notice_type_from_title_and_body(title, body, kind):
    assert extract_metadata(title + "\n" + body + "\n").notice_type == kind


def test_a_model_text_is_a_template_with_no_values():
    m = extract_metadata("中华人民共和国\n标准设计招标文件\n（2017年版）\n使用说明\n"
                         "招标人：（盖单位章）\n1.1.2 招标代理机构：见投标人须知前附表\n项目名称：1.1.5 项目建设地点\n")
    assert m.notice_type == "template"
    assert (m.buyer, m.agency, m.project_name, m.budget_yuan) == (None, None, None, None)


# --------------------------------------------------------------------------- the real documents


def _corpus():
    from analyzer.ingest.notice import corpus_dir

    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("the shared corpus (../shared/corpus) is not beside this checkout")
    return corpus


def _tender(name_part: str) -> tuple[dict, dict]:
    from analyzer import ingest
    from analyzer.metadata import document_metadata

    corpus = _corpus() / "tenders"
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if name_part in label["file"]:
            return label, document_metadata(ingest.read(corpus / label["file"], ocr_mode="off"))
    pytest.skip(f"no tender named like {name_part}")


def test_the_police_tender_is_right_on_every_field():
    from analyzer.evaluate_metadata import FIELDS, _same, _value

    label, md = _tender("公安局宝山分局")
    for field in FIELDS:
        if field in label:
            assert _same(field, label[field], _value(md, field)), (field, label[field], _value(md, field))
    assert md["buyer_is_police"] is True


@pytest.mark.parametrize("name_part", ["发改委标准设计招标文件", "广州建设工程_工程类"])
def test_no_placeholder_is_reported_from_the_template_texts(name_part):
    _, md = _tender(name_part)
    assert md["notice_type"] == "template"
    for key in ("project_number", "project_name", "buyer", "agency", "winner", "budget_yuan", "award_yuan"):
        assert md[key] is None, (key, md[key])


def test_unchanged_files_are_read_again_when_the_extraction_changed(tmp_path):
    """Issue 14: the skip key was __version__, never bumped; an upgrade kept the old metadata."""
    import sqlite3

    from conftest import run_cli

    page = tmp_path / "notice.html"
    page.write_text("<html><body><p>采购人：某某市第一中学</p><p>最高限价：480万元</p></body></html>", encoding="utf-8")
    db = tmp_path / "a.db"
    assert run_cli("analyze", str(page), "--db", str(db)).exit_code == 0
    again = run_cli("analyze", str(page), "--db", str(db))
    assert "re-read" not in again.stdout  # same extraction: skipped
    with sqlite3.connect(db) as conn:
        row = conn.execute("select extraction_version, budget_yuan, budget_basis, metadata_evidence from documents").fetchone()
        assert row[0] and row[1] == 4_800_000 and row[2] == "total"
        assert json.loads(row[3])["fields"]["budget_yuan"]["page"] == 1
        conn.execute("update documents set extraction_version = 'older', budget_yuan = 480")
    upgraded = run_cli("analyze", str(page), "--db", str(db))
    assert upgraded.exit_code == 0 and "re-read" in upgraded.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("select budget_yuan from documents").fetchone()[0] == 4_800_000


def test_a_deadline_sentence_whose_aside_holds_brackets():
    text = ("投标保证金的到账截止时间：2025年11月17日15时整。\n"
            "11.1响应文件递交的截止时间（提交(上传)截止时间，下同）为2025年11月19日9时30分，逾期不予受理。\n")
    assert extract_metadata("某某处置项目采购磋商公告\n" + text).dates["deadline"] == "2025-11-19T09:30"


def test_a_notice_that_prints_only_the_opening_has_given_the_deadline():
    # Bids close when they are opened: "开标时间为…" under the submission heading is the deadline too,
    # and a bond's 到账截止时间 the day before is not.
    text = ("投标保证金的到账截止时间：2025年12月2日15时（北京时间）。\n"
            "6.投标文件的递交截止时间、开标时间\n6.1 投标文件递交地点为某某平台开标室。\n"
            "6.3 开标时间为2025年12月3日14时30分，地点同上。\n")
    dates = extract_metadata("某某燃气软管采购项目招标公告\n" + text).dates
    assert dates["opening"] == dates["deadline"] == "2025-12-03T14:30"
    labelled = "投标截止时间：2025年12月3日9时30分\n开标时间为2025年12月3日14时30分。\n"
    assert extract_metadata(labelled).dates["deadline"] == "2025-12-03T09:30"  # a printed deadline wins


def test_a_buyer_named_in_prose_by_the_short_name_its_sentence_defined():
    text = ("1. 招标条件\n某某运营板块造价咨询服务项目已由某某市轨道交通集团有限公司智慧运营分公司（以下简称“智运”）、"
            "某某市市域铁路投资发展有限公司（以下简称“市域”）立项审批，项目招标人为智运、市域，资金自筹。\n")
    assert extract_metadata(text).buyer == "某某市轨道交通集团有限公司智慧运营分公司"
    joint = "1.招标条件\n本招标项目某某快速路一期工程，招标人为某某建设有限公司、某某市政工程建设集团股份有限公司，招标代理人为某某公司。\n"
    assert extract_metadata(joint).buyer == "某某建设有限公司"


def test_joint_buyers_on_one_label_or_named_owners_give_the_first():
    one_label = "9、联系方式\n招标人：某某软件科技有限公司、某某工程集团有限公司\n联系人：王工\n"
    assert extract_metadata(one_label).buyer == "某某软件科技有限公司"
    # a 、 inside brackets lists the same body's other names: kept whole
    aliases = "采购人：某某市工人文化宫（某某市劳模工匠学院、某某市工会干部培训中心）\n"
    assert extract_metadata(aliases).buyer == "某某市工人文化宫(某某市劳模工匠学院、某某市工会干部培训中心)"
    owners = ("本招标项目某某政策性保险（2026年度）已由某某管理中心备案登记，项目业主为某某公共交通集团有限公司、"
              "某某巴士服务有限公司，招标资金来自财政。\n九、招标人：\n招标人、联系人、联系电话：\n某某公共交通集团有限公司、宋老师\n")
    assert extract_metadata("某某保险招标公告\n" + owners).buyer == "某某公共交通集团有限公司"
    both = "本招标项目某某道路工程，项目业主为某某建设有限公司，招标人为某某开发有限公司。\n"
    assert extract_metadata(both).buyer == "某某开发有限公司"  # the 招标人 sentence wins over the owner


def test_a_header_naming_a_period_still_heads_the_amount_column():
    text = ("1、项目概况：\n序号 | 招标内容 | 招标需求 | 服务期限 | 3年预估价\n"
            "1 | 档案整理服务 | 详见招标文件 | 总期限3年，合同一年一签 | 总价人民币 | 18.79万元\n")
    assert extract_metadata("某某档案整理项目采购公告\n" + text).budget_yuan == 187_900


@pytest.mark.parametrize("text, expected", [
    # a ceiling label over enumerated items: the items that are amounts (a yearly fee over two years: the total)
    ("2、最高限价：\n（1）维保费：人民币180600.00元/年（含税）,361200元两年（含税）；\n"
     "（2）配件费：本项目设配件费全费用单价最高限价，供应商报统一下浮率（%）。\n3、服务期限：二年。", 361_200),
    ("序号 | 采购范围 | 服务期限 | 采购限价\n1 | 篷房搭建服务 | 五天 | 175320元（含增值税，税率6%）\n", 175_320),
    # a bare figure under a budget header with no unit is in yuan
    ("序号 | 服务内容 | 服务期限 | 采购预算/最高限价\n1 | 变压器运维监测服务 | 一年 | 79617\n", 79_617),
    # the row's last cells left empty
    ("序号 | 项目名称 | 招标内容 | 采购预算（最高限价） | 服务期要求 | 备注\n"
     "一 | 某某秩序管理服务项目 | 详见第五章 | 贰年总计194万元（97元/年） | 一招贰年 | \n", 1_940_000),
    # a pricing coefficient is no amount: the estimate beside it is the budget
    ("4、项目概算：460000元/三年；最高限价:自主定价系数为0.9，超出最高限价的将作无效标处理。", 460_000),
    # a price per unit in a table with a 单位 column and no quantity: no amount
    ("1.3 预算/采购控制价：\n序号 | 名称 | 单位 | 控制价（元） | 备注\n1 | 住宅（按揭） | 套 | 360 | 不含工本费\n", None),
    ("序号 | 服务内容 | 台班个数 | 单位 | 台班单价限价（元） | 总价最高限价（元）\n1 | 潜水作业 | 100 | 台班 | 5000 | 500000\n",
     500_000),
])
def test_budget_from_items_columns_and_rows(text, expected):
    assert extract_metadata("某某服务项目采购公告\n" + text + "\n").budget_yuan == expected


def test_deadline_and_opening_in_prose_with_an_aside():
    text = ("6、投标文件的递交\n（1）投标人应于2025年11月25日9:30前（北京时间），将投标文件密封递交至指定地点。\n"
            "（2）本次招标将于2025年11月25日9:30时在某某平台开标室开标。\n")
    dates = extract_metadata("某某外包服务项目招标公告\n" + text).dates
    assert dates["deadline"] == dates["opening"] == "2025-11-25T09:30"
    only_opening = "本次招标将于2025年11月25日14:30在某某平台开标室开标。\n"
    assert extract_metadata("某某项目招标公告\n" + only_opening).dates["deadline"] == "2025-11-25T14:30"
