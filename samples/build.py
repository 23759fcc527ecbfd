#!/usr/bin/env python3
"""Build the sample corpus in samples/corpus/.

All documents are invented. They imitate the layout and wording of Chinese
public-security procurement documents (see shared/domain/primer.md) so that the
analyzer can be tested end to end: text PDF, image-only PDF, DOCX, GBK and
UTF-8 HTML, GB18030 and UTF-8 text, and a ZIP bundle.

    python samples/build.py            # (re)build samples/corpus/
    python samples/build.py --verify   # also check expected.json against the files
                                       # (needs pypdfium2; tesseract/pdftoppm optional)

The output is byte-for-byte reproducible for a given set of library versions
(reportlab invariant mode, fixed document metadata, fixed ZIP timestamps).
Needs: reportlab, python-docx, pillow, and the WenQuanYi Micro Hei font
(Debian/Ubuntu package fonts-wqy-microhei), or a font named by $SAMPLES_CJK_FONT.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import html
import io
import json
import os
import random
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT_PATH = Path(os.environ.get("SAMPLES_CJK_FONT", DEFAULT_FONT))
FONT = "WQYMicroHei"
ZIP_TIME = (2023, 2, 20, 9, 30, 0)

# Shared facts (repeated in several files on purpose).
SJ_NO = "SHSJ-GA-2023-017"
SJ_BUYER = "上海市云间区公安分局"
SJ_NAME = "上海市云间区公安分局公共安全大数据智能应用平台建设项目"
SJ_AGENCY = "上海瀚衡招标代理有限公司"
SJ_BUDGET_CN = "人民币叁佰壹拾伍万元整（¥3,150,000.00）"
SJ_WINNER = "上海澄元智能科技有限公司"
JZ_NO = "JZS-GA-2021-0316"
JZ_NAME = "江洲市公安局智慧警务综合应用平台（二期）"


def die(msg: str) -> None:
    print(f"samples/build.py: error: {msg}", file=sys.stderr)
    raise SystemExit(2)


def check_font() -> None:
    if not FONT_PATH.is_file():
        die(
            f"CJK font not found: {FONT_PATH}\n"
            "  Install WenQuanYi Micro Hei (Debian/Ubuntu: apt-get install fonts-wqy-microhei)\n"
            "  or point SAMPLES_CJK_FONT at a .ttc/.ttf with Chinese glyphs."
        )


# --------------------------------------------------------------------------------------
# reportlab text PDFs
# --------------------------------------------------------------------------------------

_RL: dict = {}


def _rl():
    """Import reportlab lazily, register the font once, return the module namespace."""
    if _RL:
        return _RL
    try:
        from reportlab import rl_config
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas as rl_canvas
        from reportlab.platypus import (
            BaseDocTemplate,
            CondPageBreak,
            Frame,
            PageBreak,
            PageTemplate,
            Paragraph,
            Spacer,
            Table,
            TableStyle,
        )
        from reportlab.platypus.tableofcontents import TableOfContents
    except ImportError:
        die("reportlab is required (pip install reportlab)")
    rl_config.invariant = 1
    font = TTFont(FONT, str(FONT_PATH), subfontIndex=0)
    pdfmetrics.registerFont(font)
    _RL.update(
        colors=colors,
        TA_CENTER=TA_CENTER,
        A4=A4,
        ParagraphStyle=ParagraphStyle,
        mm=mm,
        rl_canvas=rl_canvas,
        BaseDocTemplate=BaseDocTemplate,
        CondPageBreak=CondPageBreak,
        Frame=Frame,
        PageBreak=PageBreak,
        PageTemplate=PageTemplate,
        Paragraph=Paragraph,
        Spacer=Spacer,
        Table=Table,
        TableStyle=TableStyle,
        TableOfContents=TableOfContents,
        cmap=font.face.charToGlyph,
    )
    return _RL


_BLANK: dict[str, bool] = {}


def _is_blank_glyph(ch: str) -> bool:
    """True when the font maps the character to an empty outline (WQY's ℃ is one)."""
    if ch not in _BLANK:
        from PIL import Image, ImageDraw, ImageFont

        font = ImageFont.truetype(str(FONT_PATH), 40, index=0)
        im = Image.new("L", (80, 80), 0)
        ImageDraw.Draw(im).text((10, 10), ch, font=font, fill=255)
        _BLANK[ch] = im.getbbox() is None
    return _BLANK[ch]


def _check_glyphs(text: str) -> None:
    cmap = _rl()["cmap"]
    chars = {ch for ch in text if ch.strip()}
    missing = sorted(ch for ch in chars if ord(ch) not in cmap or (ord(ch) > 127 and _is_blank_glyph(ch)))
    if missing:
        die(f"font {FONT_PATH.name} lacks (or has blank) glyphs for {missing!r}")


def _styles() -> dict:
    r = _rl()
    PS, mm = r["ParagraphStyle"], r["mm"]
    base = PS(
        "body", fontName=FONT, fontSize=10.5, leading=17.5, wordWrap="CJK", firstLineIndent=21, spaceAfter=2
    )
    return {
        "body": base,
        "plain": PS("plain", parent=base, firstLineIndent=0),
        "h4": PS("h4", parent=base, firstLineIndent=0, keepWithNext=1),
        "h1": PS(
            "h1",
            parent=base,
            fontSize=16,
            leading=24,
            alignment=r["TA_CENTER"],
            firstLineIndent=0,
            spaceBefore=4,
            spaceAfter=14,
        ),
        "h2": PS(
            "h2",
            parent=base,
            fontSize=12.5,
            leading=20,
            firstLineIndent=0,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": PS(
            "h3",
            parent=base,
            fontSize=11,
            leading=18,
            firstLineIndent=0,
            spaceBefore=4,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "cell": PS("cell", parent=base, fontSize=9, leading=13.5, firstLineIndent=0, spaceAfter=0),
        "cellc": PS(
            "cellc",
            parent=base,
            fontSize=9,
            leading=13.5,
            firstLineIndent=0,
            spaceAfter=0,
            alignment=r["TA_CENTER"],
        ),
        "cover1": PS(
            "cover1", parent=base, fontSize=20, leading=34, alignment=r["TA_CENTER"], firstLineIndent=0
        ),
        "cover2": PS(
            "cover2", parent=base, fontSize=28, leading=44, alignment=r["TA_CENTER"], firstLineIndent=0
        ),
        "cover3": PS("cover3", parent=base, fontSize=13, leading=24, firstLineIndent=0, leftIndent=30 * mm),
        "coverdate": PS(
            "coverdate", parent=base, fontSize=14, leading=24, alignment=r["TA_CENTER"], firstLineIndent=0
        ),
        "toc0": PS(
            "toc0", parent=base, fontSize=11, leading=16, firstLineIndent=0, spaceBefore=3, spaceAfter=0
        ),
        "toc1": PS(
            "toc1", parent=base, fontSize=10, leading=14, firstLineIndent=0, leftIndent=21, spaceAfter=0
        ),
    }


def _para(text: str, style, toc_level: int | None = None, allow_markup: bool = False):
    _check_glyphs(text)
    body = text if allow_markup else escape(text)
    p = _rl()["Paragraph"](body, style)
    p._toc_level = toc_level
    return p


def _make_canvas(header_left: str, header_right: str, skip_first: bool):
    r = _rl()
    _check_glyphs(header_left + header_right)
    mm, A4 = r["mm"], r["A4"]
    W, H = A4

    class NumberedCanvas(r["rl_canvas"].Canvas):
        """Defers pages so the footer can say 第 N 页 共 M 页."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._deferred = []

        def showPage(self):
            self._deferred.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._deferred)
            for state in self._deferred:
                self.__dict__.update(state)
                if not (skip_first and self._pageNumber == 1):
                    self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total):
            self.saveState()
            self.setFont(FONT, 8.5)
            self.setFillGray(0.25)
            self.drawString(25 * mm, H - 15 * mm, header_left)
            self.drawRightString(W - 25 * mm, H - 15 * mm, header_right)
            self.setStrokeGray(0.4)
            self.setLineWidth(0.6)
            self.line(25 * mm, H - 16.8 * mm, W - 25 * mm, H - 16.8 * mm)
            self.setFont(FONT, 9)
            self.drawCentredString(W / 2, 12 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def _doc_class():
    r = _rl()

    class Doc(r["BaseDocTemplate"]):
        """Records where every paragraph and table row lands, for expected.json."""

        def __init__(self, filename, **kw):
            super().__init__(filename, **kw)
            frame = r["Frame"](
                self.leftMargin,
                self.bottomMargin,
                self.width,
                self.height,
                id="body",
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            self.addPageTemplates([r["PageTemplate"](id="main", frames=[frame])])
            self.placed: list[tuple[int, str]] = []

        def beforeDocument(self):
            self.placed = []

        def afterFlowable(self, flowable):
            page = self.page
            if isinstance(flowable, r["Paragraph"]):
                text = flowable.getPlainText()
                self.placed.append((page, text))
                level = getattr(flowable, "_toc_level", None)
                if level is not None:
                    self.notify("TOCEntry", (level, text, page))
            elif isinstance(flowable, r["Table"]):
                for row in flowable._cellvalues:
                    cells = []
                    for cell in row:
                        parts = cell if isinstance(cell, (list, tuple)) else [cell]
                        cells.append(
                            "".join(
                                x.getPlainText() if isinstance(x, r["Paragraph"]) else str(x) for x in parts
                            )
                        )
                    self.placed.append((page, " | ".join(cells)))

    return Doc


def _ruled_table(header, rows, widths_mm, st, repeat=True, center_cols=()):
    """A grid table of Paragraph cells; header row repeated on every page."""
    r = _rl()
    mm = r["mm"]
    data = [[_para(h, st["cellc"]) for h in header]]
    for row in rows:
        data.append(
            [
                _para_br(c, st["cell"])
                if "<br/>" in c
                else _para(c, st["cellc"] if i in center_cols else st["cell"])
                for i, c in enumerate(row)
            ]
        )
    t = r["Table"](data, colWidths=[w * mm for w in widths_mm], repeatRows=1 if repeat else 0, splitByRow=1)
    t.setStyle(
        r["TableStyle"](
            [
                ("GRID", (0, 0), (-1, -1), 0.6, r["colors"].black),
                ("BACKGROUND", (0, 0), (-1, 0), r["colors"].Color(0.88, 0.88, 0.88)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def _para_br(text, style):
    parts = text.split("<br/>")
    for part in parts:
        _check_glyphs(part)
    return _rl()["Paragraph"]("<br/>".join(escape(p) for p in parts), style)


def _render_story(items, st, toc=None):
    """Turn ("kind", ...) tuples into flowables."""
    r = _rl()
    out = []
    first_h1 = True
    for item in items:
        kind = item[0]
        if kind == "h1":
            if not first_h1:
                out.append(r["PageBreak"]())
            first_h1 = False
            out.append(_para(item[1], st["h1"], toc_level=0 if toc else None))
        elif kind == "h2":
            out.append(r["CondPageBreak"](60))
            in_toc = toc and (len(item) < 3 or item[2])
            out.append(_para(item[1], st["h2"], toc_level=1 if in_toc else None))
        elif kind == "h3":
            out.append(_para(item[1], st["h3"]))
        elif kind == "p":
            out.append(_para(item[1], st["body"]))
        elif kind == "pl":
            out.append(_para(item[1], st["plain"]))
        elif kind == "h4":
            out.append(_para(item[1], st["h4"]))
        elif kind == "table":
            _, header, rows, widths, center = item
            out.append(r["Spacer"](1, 4))
            out.append(_ruled_table(header, rows, widths, st, center_cols=center))
            out.append(r["Spacer"](1, 6))
        elif kind == "space":
            out.append(r["Spacer"](1, item[1]))
        elif kind == "pagebreak":
            out.append(r["PageBreak"]())
        else:
            raise ValueError(kind)
    return out


def build_text_pdf(
    path: Path,
    story,
    *,
    title,
    author,
    subject,
    header_left,
    header_right,
    skip_first_header=False,
    multi=False,
):
    r = _rl()
    mm = r["mm"]
    Doc = _doc_class()
    doc = Doc(
        str(path),
        pagesize=r["A4"],
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=24 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="samples/build.py",
        producer="ReportLab",
        keywords="analyzer sample corpus; invented document",
        invariant=1,
    )
    canvasmaker = _make_canvas(header_left, header_right, skip_first_header)
    if multi:
        doc.multiBuild(story, canvasmaker=canvasmaker)
    else:
        doc.build(story, canvasmaker=canvasmaker)
    return doc


# --------------------------------------------------------------------------------------
# 1. songjiang_style_tender.pdf
# --------------------------------------------------------------------------------------

LEGEND = (
    "标注“★”的条款为实质性条款，投标人必须完全满足，任何一项出现负偏离的，按无效投标处理；"
    "标注“▲”的为重要技术参数，作为技术评审的重要评分依据；未作标注的为一般技术参数。"
)

PARAM_ROWS = [
    [
        "1",
        "应用服务器",
        "①国产化处理器，单台物理核数≥64核，主频≥2.6GHz；<br/>②内存≥512GB DDR4，最大可扩展至2TB；"
        "<br/>③系统盘2块480GB SSD，数据盘4块3.84TB NVMe SSD；<br/>④4个10GE光口（含多模模块）、2个GE电口；"
        "<br/>⑤冗余电源、冗余风扇，支持热插拔；<br/>⑥提供三年原厂质保及上门服务。",
        "8",
        "台",
    ],
    [
        "2",
        "数据库服务器",
        "①国产化处理器，单台物理核数≥96核；<br/>②内存≥1TB DDR4；<br/>③数据盘8块3.84TB NVMe SSD，"
        "支持RAID 0/1/5/10；<br/>④4个25GE光口；<br/>⑤支持双机热备部署，单机故障时业务自动切换。",
        "4",
        "台",
    ],
    [
        "3",
        "分布式存储",
        "①可用容量≥1.2PB（RAID后）；<br/>②同时支持对象、文件、块三种存储协议；<br/>③单集群节点数≥12个；"
        "<br/>④支持数据重删、压缩、快照与远程复制；<br/>⑤任意两个节点同时故障时业务不中断；"
        "<br/>⑥支持硬盘健康状态监测，硬盘故障时自动告警。",
        "1",
        "套",
    ],
    [
        "4",
        "视频结构化解析服务器",
        "①配置GPU推理加速卡≥4块，整机INT8算力≥1000TOPS；<br/>②支持≥128路1080P实时视频流结构化解析；"
        "<br/>③支持人员、机动车、非机动车目标检测与属性提取；<br/>④人脸抓拍后提取特征值，算法版本支持在线升级；"
        "<br/>⑤▲支持行人属性结构化，属性包括性别、年龄段、上衣颜色、是否戴口罩、民族（维吾尔族/非维吾尔族）等，"
        "民族属性识别准确率≥90%；<br/>⑥支持GB/T 28181、GA/T 1400协议对接。",
        "6",
        "台",
    ],
    [
        "5",
        "人像比对分析软件",
        "①▲支持≥5000万人像底库，1:N检索响应时间≤1秒；<br/>②支持以图搜图、以脸搜脸及人员轨迹还原；"
        "<br/>③支持静态库与动态抓拍比对，比对阈值可配置；<br/>④支持建立涉疆人员、吸毒人员等重点人员布控库，"
        "布控对象出现时10秒内产生告警；<br/>⑤软件授权不限制客户端数量。",
        "1",
        "套",
    ],
    [
        "6",
        "核心交换机",
        "①交换容量≥400Tbps，包转发率≥150000Mpps；<br/>②业务槽位≥8个，主控、电源、风扇冗余；"
        "<br/>③配置48口万兆光接口板2块、24口40G接口板1块；<br/>④支持VXLAN、EVPN、M-LAG。",
        "2",
        "台",
    ],
    [
        "7",
        "下一代防火墙",
        "①网络层吞吐量≥40Gbps，并发连接数≥1000万；<br/>②支持入侵防御、防病毒、URL过滤；"
        "<br/>③提供三年特征库升级服务；<br/>④通过公安部计算机信息系统安全产品质量监督检验中心检测。",
        "2",
        "台",
    ],
    [
        "8",
        "人脸识别门禁终端",
        "①7英寸触摸屏，双目活体检测；<br/>②人脸库容量≥5万张，识别时间≤0.3秒；"
        "<br/>③支持刷脸、刷卡、密码多种开门方式；<br/>④支持读取二代身份证、外国人永久居留身份证、"
        "港澳台居民居住证，用于访客登记；<br/>⑤安装于分局办公楼各出入口及电梯厅。",
        "24",
        "台",
    ],
    [
        "9",
        "4G布控球",
        "①400万像素，23倍光学变焦，红外距离≥150米；<br/>②内置4G/5G通信模块及北斗定位模块；"
        "<br/>③电池续航≥8小时，用于大型活动临时布点及重点部位临时监控；<br/>④防护等级IP66。",
        "6",
        "台",
    ],
    [
        "10",
        "LCD拼接大屏",
        "①55英寸LCD液晶拼接单元，物理拼缝≤0.88mm；<br/>②4×3拼接，配套拼接控制器及支架；"
        "<br/>③支持会商研判画面及新闻发布会直播信号接入。",
        "12",
        "块",
    ],
    [
        "11",
        "UPS不间断电源",
        "①额定容量≥120kVA，在线双变换；<br/>②满载后备时间≥2小时，配置铅酸蓄电池组；"
        "<br/>③支持SNMP网管，市电中断时发送告警短信。",
        "1",
        "套",
    ],
    [
        "12",
        "服务器机柜",
        "①42U标准机柜，600mm×1200mm；<br/>②配置智能PDU，支持单路电流监测；<br/>③含理线架、盲板及接地。",
        "10",
        "台",
    ],
    [
        "13",
        "国产操作系统",
        "①服务器版，适配所投国产化处理器；<br/>②提供三年原厂升级服务；<br/>③支持安全加固与可信启动。",
        "20",
        "套",
    ],
    [
        "14",
        "数据库管理系统",
        "①国产关系型数据库，支持主备集群；<br/>②单表记录数≥100亿条时查询性能满足平台要求；"
        "<br/>③支持透明加密与细粒度审计。",
        "2",
        "套",
    ],
]


def tender_story():
    S = []
    a = S.append
    # ---- 第一章
    a(("h1", "第一章 招标公告"))
    a(
        (
            "p",
            f"项目概况：{SJ_NAME}的潜在投标人应在上海市政府采购网获取招标文件，"
            "并于2023年03月15日09时30分（北京时间）前递交投标文件。",
        )
    )
    a(("h2", "一、项目基本情况", False))
    for t in [
        f"项目编号：{SJ_NO}",
        f"项目名称：{SJ_NAME}",
        "采购方式：公开招标",
        f"预算金额：{SJ_BUDGET_CN}",
        f"最高限价：{SJ_BUDGET_CN}",
        "采购需求：建设公共安全大数据智能应用平台一套，包括数据汇聚与治理、重点人员管控、视频图像综合应用、"
        "分局办公楼人脸识别门禁等子系统及配套硬件，具体详见招标文件第三章。",
        "合同履行期限：自合同签订之日起180日内完成建设并通过初验，质保期三年。",
        "本项目不接受联合体投标。",
    ]:
        a(("pl", t))
    a(("h2", "二、申请人的资格要求", False))
    a(("p", "1.满足《中华人民共和国政府采购法》第二十二条规定。"))
    a(
        (
            "p",
            "2.落实政府采购政策需满足的资格要求：本项目非专门面向中小企业采购。监狱企业视同小型、微型企业，"
            "残疾人福利性单位视同小型、微型企业，享受预留份额、评审中价格扣除等政府采购促进中小企业发展的政策。",
        )
    )
    a(
        (
            "p",
            "3.本项目的特定资格要求：（1）投标人未被列入“信用中国”网站（www.creditchina.gov.cn）"
            "失信被执行人、重大税收违法失信主体名单，未被列入中国政府采购网政府采购严重违法失信行为记录名单；"
            "（2）单位负责人为同一人或者存在直接控股、管理关系的不同投标人，不得参加同一合同项下的政府采购活动。",
        )
    )
    a(("h2", "三、获取招标文件", False))
    a(
        (
            "p",
            "时间：2023年02月21日至2023年02月28日，每天上午9:00至11:30，下午13:30至16:30"
            "（北京时间，法定节假日除外）。地点：上海市政府采购网。方式：网上获取。售价：￥0（元）。",
        )
    )
    a(("h2", "四、提交投标文件截止时间、开标时间和地点", False))
    a(
        (
            "p",
            "提交投标文件截止时间及开标时间：2023年03月15日09时30分（北京时间）。"
            "地点：上海市云间区云锦路260号三楼第二开标室。",
        )
    )
    a(("h2", "五、公告期限", False))
    a(("p", "自本公告发布之日起5个工作日。"))
    a(("h2", "六、其他补充事宜", False))
    a(("p", "1.本项目采用电子招投标方式，投标人应使用数字证书（CA）在投标截止时间前完成投标文件的加密上传。"))
    a(("p", "2.投标人应自行承担参加本次招标活动的全部费用。"))
    a(("h2", "七、对本次招标提出询问，请按以下方式联系", False))
    a(("pl", f"1.采购人信息　名称：{SJ_BUYER}　地址：上海市云间区云锦路100号　联系方式：021-57700000"))
    a(
        (
            "pl",
            f"2.采购代理机构信息　名称：{SJ_AGENCY}　地址：上海市云间区云锦路500号8楼　联系方式：021-57700100",
        )
    )
    a(("pl", "3.项目联系方式　项目联系人：王工　电话：021-57700100"))

    # ---- 第二章
    a(("h1", "第二章 投标人须知"))
    a(("h2", "投标人须知前附表"))
    a(
        (
            "table",
            ["条款号", "条款名称", "编列内容"],
            [
                ["1.1", "项目名称", SJ_NAME],
                ["1.2", "项目编号", SJ_NO],
                ["1.3", "采购人", f"{SJ_BUYER}，地址：上海市云间区云锦路100号"],
                ["1.4", "采购代理机构", f"{SJ_AGENCY}，地址：上海市云间区云锦路500号8楼"],
                ["1.5", "预算金额及最高限价", f"{SJ_BUDGET_CN}，投标报价超过最高限价的，其投标无效"],
                ["1.6", "资金来源", "财政性资金，已落实"],
                ["1.7", "投标保证金", "本项目不收取投标保证金"],
                ["1.8", "投标有效期", "自投标截止之日起90日"],
                ["1.9", "投标截止时间", "2023年03月15日09时30分（北京时间）"],
                ["1.10", "开标时间及地点", "同投标截止时间；上海市云间区云锦路260号三楼第二开标室"],
                ["1.11", "评标方法", "综合评分法"],
                ["1.12", "核心产品", "视频结构化解析服务器"],
                ["1.13", "履约保证金", "合同金额的5%，以银行保函或保险保函形式提交"],
                ["1.14", "是否接受进口产品", "否"],
                [
                    "1.15",
                    "信用记录查询",
                    "采购代理机构于投标截止后通过“信用中国”网站、中国政府采购网查询投标人信用记录，"
                    "被列入失信被执行人名单的，拒绝其参与本项目",
                ],
            ],
            [16, 36, 108],
            (0,),
        )
    )
    a(("h2", "一、总则"))
    a(("p", "1.适用范围：本招标文件仅适用于本次招标所述的货物及服务的采购。"))
    a(
        (
            "p",
            "2.定义：2.1“采购人”系指上海市云间区公安分局；2.2“采购代理机构”系指上海瀚衡招标代理有限公司；"
            "2.3“投标人”系指响应招标、参加投标竞争的法人、其他组织或者自然人。",
        )
    )
    a(
        (
            "p",
            "3.合格的投标人：3.1具有独立承担民事责任的能力；3.2具有良好的商业信誉和健全的财务会计制度；"
            "3.3具有履行合同所必需的设备和专业技术能力；3.4有依法缴纳税收和社会保障资金的良好记录；"
            "3.5参加政府采购活动前三年内，在经营活动中没有重大违法记录。",
        )
    )
    a(("p", "4.投标费用：无论投标结果如何，投标人均应自行承担所有与投标有关的全部费用。"))
    a(("h2", "二、招标文件"))
    a(
        (
            "p",
            "5.招标文件的澄清与修改：采购人或采购代理机构可以对已发出的招标文件进行必要的澄清或者修改，"
            "澄清或者修改的内容可能影响投标文件编制的，应当在投标截止时间至少15日前发布更正公告。",
        )
    )
    a(("p", "6.投标人对招标文件有疑问的，应在获取招标文件截止之日前以书面形式提出。"))
    a(("h2", "三、投标文件的编制"))
    a(
        (
            "p",
            "7.投标文件应包括资格证明文件、投标函、开标一览表、分项报价表、技术偏离表、商务偏离表、"
            "法定代表人授权书及技术方案等内容。",
        )
    )
    a(
        (
            "p",
            "8.投标报价应包括设备购置、运输、安装调试、软件开发、系统集成、培训、质保期内运维服务及税费等全部费用。",
        )
    )
    a(("p", "9.投标人应对第三章采购需求逐条响应，并在技术偏离表中如实填写偏离情况。"))
    a(("h2", "四、政府采购政策"))
    a(
        (
            "p",
            "10.中小企业扶持：对小型和微型企业产品的价格给予10%的扣除，用扣除后的价格参与评审。"
            "监狱企业视同小型、微型企业，须提供由省级以上监狱管理局、戒毒管理局出具的属于监狱企业的证明文件。",
        )
    )
    a(("p", "11.残疾人福利性单位视同小型、微型企业，享受同等扶持政策。"))
    a(("p", "12.节能环保：投标产品属于节能产品、环境标志产品品目清单范围的，依据认证证书给予优先采购。"))
    a(("h2", "五、开标与评标"))
    a(("p", "13.开标由采购代理机构主持，采购人代表、监督人员参加。投标人不足3家的，不得开标。"))
    a(("p", "14.评标委员会由采购人代表和评审专家共5人组成，其中评审专家不少于成员总数的三分之二。"))
    a(("h2", "六、质疑与投诉"))
    a(
        (
            "p",
            "15.投标人认为招标文件、采购过程和中标结果使自己的权益受到损害的，可以在知道或者应知其权益受到损害之日起"
            "七个工作日内，以书面形式向采购人、采购代理机构提出质疑。",
        )
    )

    # ---- 第三章
    a(("h1", "第三章 采购需求"))
    a(("p", "说明：" + LEGEND))
    a(("h2", "一、项目概况"))
    a(("h3", "（一）项目背景"))
    a(
        (
            "p",
            "为深入推进社会治安防控体系建设，提升分局数据汇聚、研判预警和指挥处置能力，"
            "采购人拟建设公共安全大数据智能应用平台，整合分局现有业务数据与视频资源，实现数据驱动的智慧警务。",
        )
    )
    a(("h3", "（二）建设目标"))
    a(("p", "1.建成统一的数据汇聚与治理体系，日接入数据量不低于3000万条。"))
    a(("p", "2.建成重点人员管控、视频图像综合应用等业务子系统，实现预警信息分级推送、闭环处置。"))
    a(("p", "3.完成分局办公楼人脸识别门禁改造及重点部位视频监控补点。"))
    a(("h3", "（三）建设范围"))
    a(("p", "本项目建设内容包括软件平台开发部署、硬件设备采购安装、系统集成、数据迁移、培训及三年运维服务。"))
    a(("h2", "二、总体技术要求"))
    a(("h3", "（一）总体架构"))
    a(("p", "1.平台采用微服务架构，部署于公安信息网，支持容器化部署和弹性扩容。"))
    a(("p", "2.平台应遵循公安部相关数据标准和接口规范，与市局警务云平台实现级联对接。"))
    a(("p", "3.★平台软硬件须满足国产化适配要求，服务器、操作系统、数据库均须为国产化产品。"))
    a(("h3", "（二）安全要求"))
    a(("p", "1.系统应满足网络安全等级保护第三级要求，并于终验前通过等级保护测评。"))
    a(("p", "2.系统应支持基于数字证书的身份认证，所有查询、导出操作须记录日志，日志保存不少于180天。"))
    a(("p", "3.敏感数据传输与存储应采用国产密码算法加密。"))
    a(("h2", "三、功能需求"))
    a(("h3", "（一）数据汇聚与治理子系统"))
    a(("h4", "1. 数据接入"))
    a(
        (
            "p",
            "1.1 系统应支持接入常住人口、暂住人口、旅馆业住宿登记、网吧上网、铁路实名制购票、"
            "民航旅客订座及离港、外国人临住登记、出入境证件等数据资源，接入方式包括库表同步、接口调用和文件导入。",
        )
    )
    a(("p", "1.2 系统应支持接入视频图像信息综合应用平台的人脸抓拍、车辆过车结构化数据。"))
    a(("p", "1.3 ▲系统应支持对接入数据进行增量实时更新，数据延迟不超过5分钟。"))
    a(("h4", "2. 数据治理"))
    a(("p", "2.1 系统应提供数据清洗、标准化、去重、关联等治理工具，支持按照公安数据元标准进行字段映射。"))
    a(
        (
            "p",
            "2.2 人口基础信息包括姓名、性别、民族、出生日期、公民身份号码、户籍地址、现住地址等字段，"
            "系统应对字段缺失、格式错误进行校验。",
        )
    )
    a(("p", "2.3 系统应支持数据血缘管理，并按月自动生成数据质量评估报告。"))
    a(("h3", "（二）重点人员管控子系统"))
    a(("h4", "1. 人员专题库"))
    a(
        (
            "p",
            "1.1 系统应支持建立重点人员专题库，支持人员信息的新增、修改、删除、批量导入和导出，"
            "每名人员形成一人一档。",
        )
    )
    a(("p", "1.2 系统应支持为人员设置多个标签，标签类别由采购人自定义。"))
    a(("h4", "2. 预警模块"))
    a(("h4", "2.1 来区涉疆人员预警"))
    a(
        (
            "p",
            "（1）系统应支持对涉疆人员（含维吾尔族人员）来区情况进行实时预警：当上述人员在辖区旅馆办理入住登记，"
            "或持实名制车票到达辖区火车站时，系统自动比中并向属地派出所推送预警信息。",
        )
    )
    a(
        (
            "p",
            "（2）预警信息应包含人员身份信息、旅馆名称及房间号、车次及到站时间，"
            "派出所签收后须在2小时内反馈核查情况。",
        )
    )
    a(("h4", "2.2 境外记者赴疆预警"))
    a(
        (
            "p",
            "★（1）系统应支持将民航旅客订座信息、铁路实名制购票信息中目的地为新疆的旅客数据与境外人员库进行比对碰撞，"
            "发现境外记者预订赴疆航班或火车票时，即时生成预警并推送至分局情报指挥中心。",
        )
    )
    a(
        (
            "p",
            "（2）系统应支持导入驻华外国记者名单，与旅馆业住宿登记信息进行关联，生成境外记者在本区的住宿轨迹。",
        )
    )
    a(("h4", "2.3 涉毒、涉黄人员预警"))
    a(
        (
            "p",
            "（1）系统应支持对吸毒人员、卖淫嫖娼人员在辖区旅馆入住、网吧上网、同住同行等行为进行比中预警，"
            "预警信息分别推送至禁毒、治安部门。",
        )
    )
    a(("p", "（2）系统应支持按预警次数、同住人员数量等条件对预警记录进行排序和统计。"))
    a(("h4", "2.4 三非外国人预警"))
    a(
        (
            "p",
            "（1）系统应支持对三非外国人进行自动发现：比对外国人临住登记信息与出入境证件签证有效期，"
            "对签证过期仍在辖区住宿的外籍人员生成预警，并推送至出入境管理部门。",
        )
    )
    a(("h4", "2.5 进京上访预警"))
    a(
        (
            "p",
            "（1）系统应具备进京上访预警功能，对重点上访人员购买进京火车票、机票或乘坐长途客车离沪的行为"
            "进行实时预警，并推送至分局维稳专班。",
        )
    )
    a(("p", "（2）全国“两会”等重要时间节点期间，系统应支持提高上述预警的推送频次。"))
    a(("h4", "3. 预警处置"))
    a(("p", "3.1 系统应支持预警信息的签收、指令下发、反馈、归档全流程闭环管理，超时未签收的自动提醒。"))
    a(("p", "3.2 系统应支持通过警务通移动终端接收和反馈预警信息。"))
    a(("h3", "（三）视频图像综合应用子系统"))
    a(("h4", "1. 视频资源接入"))
    a(("p", "1.1 系统应支持接入辖区内一、二、三类视频监控点位不少于6000路，支持GB/T 28181协议。"))
    a(("p", "1.2 系统应支持视频资源目录管理和在线率统计，点位离线时自动告警。"))
    a(("h4", "2. 视频智能分析"))
    a(("p", "2.1 系统应支持人脸抓拍、人体结构化、车辆结构化分析，人脸抓拍率不低于95%。"))
    a(("p", "2.2 系统应支持以图搜图、轨迹还原功能，检索结果按相似度排序。"))
    a(
        (
            "p",
            "2.3 ▲系统应支持对抓拍人脸进行民族属性识别，识别结果至少包括维吾尔族、汉族两类，"
            "识别准确率不低于90%，并支持以民族属性作为检索和布控条件。",
        )
    )
    a(("h4", "3. 重点部位监控"))
    a(
        (
            "p",
            "3.1 系统应对分局办公区枪弹库、档案室、中心机房等重点部位实施24小时视频监控，录像保存不少于90天。",
        )
    )
    a(("p", "3.2 重点部位出入口发生非授权闯入时，系统应联动声光报警并自动弹出现场画面。"))
    a(("h3", "（四）分局办公楼人脸识别门禁子系统"))
    a(("p", "1.分局办公楼主要出入口及电梯厅部署人脸识别门禁终端，支持民警刷脸通行和考勤统计。"))
    a(("p", "2.系统应支持访客预约登记，访客经身份证件核验后通行，访客记录保存不少于180天。"))
    a(("p", "3.门禁系统应与消防系统联动，发生火警时自动释放全部门锁。"))
    a(("h3", "（五）运维监测与可视化"))
    a(("p", "1.系统应提供大屏可视化展示，支持会商研判及新闻发布会直播信号接入。"))
    a(("p", "2.系统应对服务器、存储、网络设备运行状态进行集中监测，设备故障时自动告警并生成维修工单。"))
    a(("p", "3.系统应支持接入气象预警信息，为大型活动安保勤务部署提供参考。"))
    a(("h2", "四、硬件设备技术参数"))
    a(("p", "本项目硬件及基础软件清单与技术参数如下表所示，表中数量为最低配置要求。"))
    a(("table", ["序号", "名称", "技术参数", "数量", "单位"], PARAM_ROWS, [11, 27, 96, 13, 13], (0, 3, 4)))
    a(("h2", "五、运维服务要求"))
    a(("p", "（一）投标人应提供自项目终验合格之日起三年的免费运维服务，质保期内安排不少于2名工程师驻场。"))
    a(("p", "（二）提供7×24小时技术支持，接到故障报修后30分钟内响应，4小时内到达现场，8小时内排除故障。"))
    a(("p", "（三）每季度提交一次巡检报告，内容包括设备运行状态、系统性能、安全漏洞及整改建议。"))
    a(("p", "（四）定期对数据库进行维护和优化，及时进行操作系统及应用软件补丁升级。"))
    a(("h2", "六、商务要求"))
    a(("p", "（一）交付期限：合同签订后180日内完成全部建设内容并通过初验，试运行3个月后组织终验。"))
    a(("p", "（二）质保期：★所有硬件设备提供不少于三年原厂质保，自终验合格之日起计算。"))
    a(("p", "（三）付款方式：合同签订后支付合同金额的30%；初验合格后支付60%；终验合格满一年后支付剩余10%。"))
    a(("p", "（四）验收：按照国家、行业标准及本招标文件要求组织验收，验收费用由中标人承担。"))
    a(("p", "（五）保密：中标人须与采购人签订保密协议，项目人员不得泄露、复制或带离任何公安业务数据。"))
    a(("h2", "七、培训要求"))
    a(("p", "中标人应为采购人提供不少于5天的系统管理员培训和不少于3天的业务用户培训，培训教材由中标人提供。"))

    # ---- 第四章
    a(("h1", "第四章 评标办法"))
    a(("h2", "一、评标方法"))
    a(
        (
            "p",
            "本项目采用综合评分法。评标委员会对通过资格审查和符合性审查的投标文件进行商务、技术评审和综合评分，"
            "按评审后得分由高到低顺序推荐中标候选人。",
        )
    )
    a(("h2", "二、资格审查"))
    a(
        (
            "p",
            "采购人或采购代理机构依据法律法规和招标文件的规定，对投标人的资格进行审查，包括营业执照、"
            "财务状况报告、依法缴纳税收和社会保障资金的证明、信用记录查询结果等。",
        )
    )
    a(("h2", "三、符合性审查"))
    a(
        (
            "p",
            "投标文件对招标文件第三章中标注“★”的实质性条款存在任何负偏离的，按无效投标处理；"
            "一般技术参数负偏离超过10项的，按无效投标处理。",
        )
    )
    a(("h2", "四、评分标准"))
    a(
        (
            "table",
            ["评审因素", "分值", "评分标准"],
            [
                [
                    "价格",
                    "10",
                    "满足招标文件要求且投标价格最低的投标报价为评标基准价，其价格分为满分；"
                    "其他投标人的价格分=（评标基准价/投标报价）×10。",
                ],
                [
                    "重要技术参数",
                    "16",
                    "招标文件第三章中标注“▲”的重要技术参数共4项，每完全满足一项得4分，"
                    "须提供功能截图或具有CMA资质的第三方检测报告，未提供的不得分。",
                ],
                ["一般技术参数", "14", "全部满足得14分，每负偏离一项扣1分，扣完为止。"],
                [
                    "项目实施方案",
                    "20",
                    "根据实施方案的完整性、可行性、进度计划合理性综合评分，优得16-20分，"
                    "良得10-15分，一般得5-9分，差得0-4分。",
                ],
                [
                    "系统演示",
                    "15",
                    "现场演示数据汇聚、预警处置闭环、视频智能分析等功能，每项演示流畅完整得5分。",
                ],
                ["运维服务方案", "10", "根据运维服务方案、应急响应措施及驻场人员配置情况综合评分。"],
                ["质保及售后", "5", "在招标要求基础上每延长一年原厂质保得2.5分，最多得5分。"],
                ["类似项目业绩", "5", "近三年承担过公安行业大数据平台项目的，每个得1分，最多得5分。"],
                [
                    "企业资质",
                    "5",
                    "具有信息系统集成及服务资质、ISO 27001信息安全管理体系认证的，每项得2.5分。",
                ],
            ],
            [32, 16, 112],
            (1,),
        )
    )

    # ---- 第五章
    a(("h1", "第五章 合同条款"))
    a(("h2", "一、通用条款"))
    for t in [
        "第一条 定义：本合同中“甲方”系指采购人，“乙方”系指中标人，“合同价款”系指根据本合同规定乙方"
        "在完全履行合同义务后甲方应支付给乙方的价格。",
        "第二条 合同标的：乙方按照招标文件及投标文件的要求完成平台建设、设备供货、安装调试、培训及运维服务。",
        "第三条 合同价款：合同价款为固定总价，包括完成本合同全部内容所需的一切费用，合同履行期间不作调整。",
        "第四条 交付与验收：乙方应按约定期限完成交付，甲方在收到验收申请后15个工作日内组织验收。",
        "第五条 质量保证：乙方保证所供货物是全新的、未使用过的，完全符合合同约定的质量、规格和性能要求。",
        "第六条 知识产权：乙方应保证甲方在使用合同货物或其任何部分时不受第三方提出侵犯专利权、"
        "商标权或著作权的起诉。",
        "第七条 保密：乙方对履行合同过程中接触的甲方数据及资料负有保密义务，该义务不因合同终止而解除。",
        "第八条 违约责任：乙方逾期交付的，每逾期一日按合同价款的千分之五支付违约金；逾期超过30日的，"
        "甲方有权解除合同。",
        "第九条 不可抗力：因不可抗力不能履行合同的，根据不可抗力的影响，部分或者全部免除责任。",
        "第十条 争议解决：因履行本合同发生的争议，双方应协商解决；协商不成的，向甲方所在地人民法院提起诉讼。",
    ]:
        a(("p", t))
    a(("h2", "二、专用条款"))
    for t in [
        "1.合同金额以中标通知书载明的中标金额为准。",
        "2.付款方式按招标文件第三章商务要求执行，每次付款前乙方应开具合法有效的等额发票。",
        "3.本合同一式六份，甲方四份，乙方二份，自双方签字盖章之日起生效。",
    ]:
        a(("p", t))
    a(("space", 24))
    a(("pl", f"甲方（盖章）：{SJ_BUYER}　　　　乙方（盖章）："))
    a(("pl", "法定代表人或授权代表：　　　　　　　　法定代表人或授权代表："))
    a(("pl", "签订日期：　　年　　月　　日　　　　　签订日期：　　年　　月　　日"))

    # ---- 第六章
    a(("h1", "第六章 投标文件格式"))
    a(("h2", "一、投标函", False))
    a(("pl", f"致：{SJ_AGENCY}"))
    a(
        (
            "p",
            f"根据贵方{SJ_NAME}（项目编号：{SJ_NO}）招标文件，签字代表（姓名、职务）经正式授权并代表投标人"
            "（投标人名称、地址）提交投标文件正本一份、副本四份及电子文档一份。据此函，签字代表宣布同意如下：",
        )
    )
    a(("p", "1.投标总报价为人民币（大写）＿＿＿＿＿＿元整（¥＿＿＿＿＿＿）。"))
    a(
        (
            "p",
            "2.投标人已详细审查全部招标文件，包括修改文件（如有）以及全部参考资料和有关附件，"
            "完全理解并同意放弃对这方面有不明及误解的权利。",
        )
    )
    a(("p", "3.本投标自投标截止之日起90日内有效。"))
    a(("p", "4.投标人同意提供按照贵方可能要求的与其投标有关的一切数据或资料。"))
    a(
        (
            "pl",
            "投标人（盖章）：　　　　　　法定代表人或授权代表（签字）：　　　　　　日期：　　年　　月　　日",
        )
    )
    a(("h2", "二、开标一览表", False))
    a(
        (
            "table",
            ["项目名称", "投标总价（元）", "交付期", "质保期", "备注"],
            [
                [SJ_NAME, "", "", "", ""],
            ],
            [56, 30, 26, 26, 22],
            (),
        )
    )
    a(("h2", "三、技术偏离表", False))
    a(
        (
            "p",
            "投标人应对照招标文件第三章逐条填写，标注“★”的条款必须逐条响应并如实填写偏离情况；"
            "未填写的视为无偏离。",
        )
    )
    a(
        (
            "table",
            ["序号", "招标要求", "投标响应", "偏离（正/负/无）", "说明"],
            [
                ["1", "", "", "", ""],
                ["2", "", "", "", ""],
                ["3", "", "", "", ""],
                ["…", "", "", "", ""],
            ],
            [12, 52, 52, 22, 22],
            (0,),
        )
    )
    a(("h2", "四、中小企业声明函（货物）", False))
    a(
        (
            "p",
            "本公司（联合体）郑重声明，根据《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）的规定，"
            "本公司（联合体）参加上海市云间区公安分局的公共安全大数据智能应用平台建设项目采购活动，"
            "提供的货物全部由符合政策要求的中小企业制造。相关企业的具体情况如下：",
        )
    )
    a(
        (
            "p",
            "1.（标的名称），属于（采购文件中明确的所属行业）；制造商为（企业名称），从业人员＿＿人，"
            "营业收入为＿＿万元，资产总额为＿＿万元，属于（中型企业、小型企业、微型企业）。",
        )
    )
    a(
        (
            "p",
            "以上企业，不属于大企业的分支机构，不存在控股股东为大企业的情形，也不存在与大企业的负责人为同一人的情形。"
            "本企业对上述声明内容的真实性负责。如有虚假，将依法承担相应责任。",
        )
    )
    a(("h2", "五、监狱企业证明文件", False))
    a(
        (
            "p",
            "投标人为监狱企业的，应提供由省级以上监狱管理局、戒毒管理局（含新疆生产建设兵团）出具的属于监狱企业的证明文件。"
            "监狱企业视同小型、微型企业。",
        )
    )
    return S


def build_tender(path: Path):
    r = _rl()
    st = _styles()
    mm = r["mm"]
    flow = [
        r["Spacer"](1, 38 * mm),
        _para(SJ_BUYER, st["cover1"]),
        _para("公共安全大数据智能应用平台建设项目", st["cover1"]),
        r["Spacer"](1, 22 * mm),
        _para("招 标 文 件", st["cover2"]),
        r["Spacer"](1, 28 * mm),
        _para(f"项目编号：{SJ_NO}", st["cover3"]),
        _para(f"采 购 人：{SJ_BUYER}", st["cover3"]),
        _para(f"采购代理机构：{SJ_AGENCY}", st["cover3"]),
        r["Spacer"](1, 40 * mm),
        _para("二〇二三年二月", st["coverdate"]),
        r["PageBreak"](),
        _para("目　录", st["h1"]),
    ]
    toc_style = r["TableStyle"](
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
    )
    toc = r["TableOfContents"](
        levelStyles=[st["toc0"], st["toc1"]], dotsMinLevel=0, rightColumnWidth=40, tableStyle=toc_style
    )
    flow.append(toc)
    flow.append(r["PageBreak"]())
    body = _render_story(tender_story(), st, toc=True)
    # _render_story inserts a PageBreak before every chapter except the first; the first
    # chapter follows the TOC page break above.
    flow.extend(body)
    doc = build_text_pdf(
        path,
        flow,
        title=f"{SJ_NAME}招标文件",
        author=SJ_AGENCY,
        subject=f"项目编号：{SJ_NO}",
        header_left=f"{SJ_NAME}　招标文件",
        header_right=f"项目编号：{SJ_NO}",
        skip_first_header=True,
        multi=True,
    )
    return doc


# --------------------------------------------------------------------------------------
# 6. benign_canteen_tender.pdf
# --------------------------------------------------------------------------------------

CT_NO = "JZMZ-2023-CG006"
CT_BUYER = "江洲市民族中学"
CT_NAME = "江洲市民族中学学生食堂食材配送及设备采购项目"


def canteen_story():
    S = []
    a = S.append
    a(("h1", f"{CT_NAME}竞争性磋商文件（节选）"))
    a(("pl", f"项目编号：{CT_NO}"))
    a(("pl", f"采购人：{CT_BUYER}（地址：江洲市民族路18号）"))
    a(("pl", "采购代理机构：江洲市政府采购中心"))
    a(("pl", "预算金额：人民币捌拾陆万元整（¥860,000.00）"))
    a(("h2", "一、项目概况"))
    a(
        (
            "p",
            "江洲市民族中学现有在校学生2100余人，学生食堂共三层，设普通餐窗口12个、清真餐窗口2个。"
            "为保障师生用餐安全，提高食堂管理水平，学校拟通过竞争性磋商方式采购食材配送服务及部分厨房设备。",
        )
    )
    a(
        (
            "p",
            "学校秉持“中华民族一家亲”的办学理念，多年来获评市级民族团结进步示范单位，"
            "食堂管理应尊重各民族师生的饮食习惯。",
        )
    )
    a(("h2", "二、供应商资格要求"))
    a(("p", "1.具有独立承担民事责任的能力，具有食品经营许可证。"))
    a(
        (
            "p",
            "2.未被列入“信用中国”网站（www.creditchina.gov.cn）失信被执行人、重大税收违法失信主体名单，"
            "未被列入中国政府采购网政府采购严重违法失信行为记录名单。",
        )
    )
    a(("p", "3.本项目专门面向中小企业采购。监狱企业视同小型、微型企业，残疾人福利性单位视同小型、微型企业。"))
    a(("h2", "三、采购需求"))
    a(("h3", "（一）食材配送服务"))
    a(
        (
            "p",
            "1.供应商应每日早6:30前将当日所需蔬菜、肉类、禽蛋、粮油配送至学校食堂，"
            "配送车辆须具备冷藏功能，冷藏温度保持在0°C至4°C。",
        )
    )
    a(("p", "2.清真餐所用食材须单独采购、单独运输、单独储存，配送车辆及周转箱不得与其他食材混用。"))
    a(("p", "3.遇气象预警或道路管制等特殊情况，供应商应提前启动应急配送预案，确保不断供。"))
    a(("p", "4.对家庭经济困难学生及留守儿童的营养餐补助，按学校提供的名单每月结算。"))
    a(("h3", "（二）厨房设备及食堂信息化"))
    a(
        (
            "p",
            "1.食堂就餐采用人脸识别消费机，学生刷脸或刷校园卡就餐，消费数据与学校智慧校园平台对接，"
            "家长可通过手机查询子女就餐记录。",
        )
    )
    a(("p", "2.食堂后厨出入口设置人脸识别门禁，仅限持健康证的从业人员进入，系统自动记录出入时间。"))
    a(("p", "3.后厨安装“明厨亮灶”高清摄像机，画面接入学校安防监控中心及市场监管部门平台。"))
    a(
        (
            "table",
            ["序号", "名称", "技术参数", "数量", "单位"],
            [
                [
                    "1",
                    "人脸识别消费机",
                    "①8英寸触摸屏，支持人脸、IC卡、二维码三种支付方式；<br/>②人脸识别时间≤0.5秒，支持活体检测；"
                    "<br/>③支持离线消费，网络恢复后自动上传数据。",
                    "16",
                    "台",
                ],
                [
                    "2",
                    "四门冷藏柜",
                    "①有效容积≥900L；<br/>②冷藏温度0°C至10°C可调；<br/>③不锈钢内胆，数显温控。",
                    "6",
                    "台",
                ],
                [
                    "3",
                    "高温消毒柜",
                    "①容积≥1000L；<br/>②消毒温度≥120°C；<br/>③具备故障自检及超温报警功能。",
                    "4",
                    "台",
                ],
                [
                    "4",
                    "清真窗口专用餐具",
                    "①304不锈钢餐盘、汤碗、勺；<br/>②单独标识“清真”字样，独立存放。",
                    "800",
                    "套",
                ],
                [
                    "5",
                    "多功能厅音响设备",
                    "①用于学校新闻发布会、升旗仪式及校园小记者站活动；<br/>②含调音台、无线麦克风4支、音箱2对。",
                    "1",
                    "套",
                ],
                [
                    "6",
                    "明厨亮灶摄像机",
                    "①400万像素，支持H.265编码；<br/>②防油污、防水雾外壳；<br/>③支持手机APP远程查看。",
                    "8",
                    "台",
                ],
            ],
            [11, 30, 93, 13, 13],
            (0, 3, 4),
        )
    )
    a(("h3", "（三）食材品类及质量标准"))
    a(
        (
            "p",
            "食材年度预估用量如下表，实际用量以学校每日订单为准，单价在合同期内按月参照江洲市农产品批发市场均价调整。",
        )
    )
    a(
        (
            "table",
            ["序号", "品类", "质量标准", "预估年用量", "单位"],
            [
                [
                    "1",
                    "新鲜蔬菜",
                    "当日采摘或当日到货，无腐烂、无虫蛀，农药残留快检合格，每批次附快检记录。",
                    "96000",
                    "千克",
                ],
                [
                    "2",
                    "猪肉",
                    "须为定点屠宰企业产品，附动物检疫合格证明及肉品品质检验合格证，不得供应冷冻超过3个月的肉品。",
                    "18000",
                    "千克",
                ],
                [
                    "3",
                    "牛羊肉（清真）",
                    "供清真餐窗口使用，须由具有清真食品经营资质的企业供应，附检疫证明，单独包装运输。",
                    "6500",
                    "千克",
                ],
                ["4", "禽蛋", "鲜蛋，蛋壳清洁无破损，附产地证明。", "22000", "千克"],
                ["5", "大米", "一级粳米，当年新米，符合GB/T 1354要求，25千克原厂包装。", "60000", "千克"],
                [
                    "6",
                    "食用油",
                    "一级压榨花生油或大豆油，非散装，保质期内剩余时间不少于三分之二。",
                    "9000",
                    "升",
                ],
                ["7", "豆制品", "当日生产，冷藏运输，附生产企业检验报告。", "12000", "千克"],
                ["8", "牛奶", "学生饮用奶，250毫升利乐包装，冷藏保存。", "150000", "盒"],
                ["9", "时令水果", "成熟度适中，无磕碰腐烂，每周供应不少于三个品种。", "30000", "千克"],
                ["10", "调味品", "知名品牌产品，标签标识齐全，不得含有非食用添加物。", "1", "批"],
            ],
            [11, 27, 92, 17, 13],
            (0, 3, 4),
        )
    )
    a(("h3", "（四）服务要求"))
    a(("p", "1.供应商应建立食材溯源台账，每批次食材附检验检疫证明，学校有权随时抽检。"))
    a(("p", "2.设备质保期不少于两年，质保期内提供免费上门维修及定期维护保养，接报后4小时内到场。"))
    a(("p", "3.供应商应对食堂从业人员开展食品安全及设备操作培训，每学期不少于2次。"))
    a(("h2", "四、商务要求"))
    a(("p", "1.合同期限：一年，自2023年05月01日至2024年04月30日，期满考核合格的可续签一次。"))
    a(
        (
            "p",
            "2.结算方式：食材货款按月结算，供应商于次月5日前提交对账单，学校审核无误后15个工作日内支付；"
            "设备款在安装验收合格后一次性支付。",
        )
    )
    a(("p", "3.履约保证金：合同金额的3%，合同期满无违约情形的全额无息退还。"))
    a(
        (
            "p",
            "4.考核：学校每月对配送及时率、食材合格率、师生满意度进行考核，连续两个月考核不合格的，学校有权解除合同。",
        )
    )
    a(("p", "5.食品安全责任：因供应商所供食材原因造成师生食物中毒等食品安全事故的，由供应商承担全部责任。"))
    a(("h2", "五、评审办法"))
    a(
        (
            "p",
            "本项目采用综合评分法，价格分30分，服务方案40分，设备技术参数20分，企业信誉10分。"
            "供应商获得的市级以上民族团结进步表彰可作为企业信誉评分依据。",
        )
    )
    a(("h2", "六、其他事项"))
    a(
        (
            "p",
            "1.磋商响应文件递交截止时间：2023年04月10日09时30分，地点：江洲市民族路18号学校行政楼三楼会议室。",
        )
    )
    a(("p", "2.联系人：刘老师，联系电话：0000-86120000。"))
    return S


def build_canteen(path: Path):
    st = _styles()
    flow = _render_story(canteen_story(), st)
    return build_text_pdf(
        path,
        flow,
        title=f"{CT_NAME}竞争性磋商文件",
        author=CT_BUYER,
        subject=f"项目编号：{CT_NO}",
        header_left=f"{CT_NAME}",
        header_right=f"项目编号：{CT_NO}",
    )


# --------------------------------------------------------------------------------------
# 2. scanned_tender_excerpt.pdf (image only)
# --------------------------------------------------------------------------------------

SCAN_DPI = 200
SCAN_NO = "YZX-GA-2022-08"
SCAN_PAGES = [
    [
        ("small", f"永泽县公安局社会治安防控视频监控扩容项目　　　项目编号：{SCAN_NO}"),
        ("rule", ""),
        ("title", "第三章 采购需求"),
        ("text", "一、项目概况"),
        (
            "text",
            "本项目为永泽县公安局社会治安防控体系视频监控扩容工程，在县城主要道路、"
            "学校周边、农贸市场等区域新建高清视频监控点位120个，并对县局视频专网平台进行扩容。",
        ),
        ("text", "二、技术要求"),
        ("text", "1.前端设备"),
        ("text", "1.1 高清网络球机：400万像素，不低于30倍光学变焦，支持H.265编码。"),
        ("text", "1.2 人脸抓拍摄像机：支持人脸检测与抓拍，抓拍率不低于95%。"),
        ("text", "1.3 前端设备防护等级不低于IP66，工作温度-30°C至60°C。"),
        ("text", "1.4 立杆、基础、防雷接地及线缆敷设由中标人负责。"),
        ("footer", "第 7 页"),
    ],
    [
        ("small", f"永泽县公安局社会治安防控视频监控扩容项目　　　项目编号：{SCAN_NO}"),
        ("rule", ""),
        ("text", "2.平台功能"),
        ("text", "2.1 平台应支持新增点位的接入与统一管理，支持GB/T 28181协议。"),
        ("text", "2.2 平台应支持人脸抓拍图片的存储与检索，存储周期不少于90天。"),
        ("text", "2.3 系统应支持对重点人员中的涉疆人员进行布控，发现其入住辖区旅馆时实时推送预警。"),
        ("text", "2.4 设备离线或故障时，平台应自动告警并记录。"),
        ("text", "三、商务要求"),
        ("text", "1.质保期：三年，自验收合格之日起计算。"),
        ("text", "2.交付期：合同签订后60日内完成安装调试。"),
        ("sign", "永泽县公安局"),
        ("sign", "二〇二二年五月"),
        ("footer", "第 8 页"),
    ],
]


def _wrap_cjk(draw, text, font, width):
    lines, cur = [], ""
    for ch in text:
        if draw.textlength(cur + ch, font=font) > width and cur:
            # keep closing punctuation off the start of a line (禁则)
            if ch in "，。；：、）”":
                cur += ch
                lines.append(cur)
                cur = ""
                continue
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def _scan_page(blocks, page_index):
    from PIL import Image, ImageDraw, ImageFont

    W, H = round(8.27 * SCAN_DPI), round(11.69 * SCAN_DPI)  # A4 at 200 dpi
    img = Image.new("L", (W, H), 247)
    d = ImageDraw.Draw(img)
    body = ImageFont.truetype(str(FONT_PATH), 36, index=0)
    small = ImageFont.truetype(str(FONT_PATH), 26, index=0)
    title = ImageFont.truetype(str(FONT_PATH), 50, index=0)
    left, right = 170, W - 170
    y = 150
    for kind, text in blocks:
        if kind == "small":
            d.text((left, y), text, font=small, fill=60)
            y += 40
        elif kind == "rule":
            d.line((left, y, right, y), fill=80, width=2)
            y += 60
        elif kind == "title":
            tw = d.textlength(text, font=title)
            d.text(((W - tw) / 2, y), text, font=title, fill=20)
            y += 110
        elif kind == "text":
            indent = (
                72 if not text[:2].rstrip("、.").isdigit() and not text.startswith(("一", "二", "三")) else 0
            )
            lines = _wrap_cjk(d, text, body, right - left - indent)
            for i, line in enumerate(lines):
                d.text((left + (indent if i == 0 else 0), y), line, font=body, fill=25)
                y += 64
            y += 14
        elif kind == "sign":
            y += 40
            tw = d.textlength(text, font=body)
            d.text((right - tw - 40, y), text, font=body, fill=25)
            if text.endswith("公安局"):
                # a pale grey round seal next to the signature, clear of the body text
                cx, cy, rad = right - tw / 2 - 40, y + 18, 120
                d.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), outline=175, width=7)
                d.text((cx - 22, cy - 30), "★", font=title, fill=175)
        elif kind == "footer":
            tw = d.textlength(text, font=small)
            d.text(((W - tw) / 2, H - 140), text, font=small, fill=60)
    # scanner speckle: sparse dark dots from a seeded RNG (deterministic)
    rng = random.Random(20220508 + page_index)
    px = img.load()
    for _ in range(1500):
        x, yy = rng.randrange(W), rng.randrange(H)
        px[x, yy] = rng.randrange(60, 160)
    # a very slight skew, as from a sheet fed a little crooked
    img = img.rotate(0.35 if page_index == 0 else -0.3, resample=Image.BICUBIC, fillcolor=247)
    return img


def build_scan(path: Path):
    for blocks in SCAN_PAGES:
        for _, text in blocks:
            _check_glyphs(text)
    pages = [_scan_page(b, i) for i, b in enumerate(SCAN_PAGES)]
    fixed = time.strptime("2022-05-20 10:15:00", "%Y-%m-%d %H:%M:%S")
    buf = io.BytesIO()
    pages[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=SCAN_DPI,
        quality=72,
        title="scan",
        author=None,
        creator="Scanner",
        producer="Scanner",
        creationDate=fixed,
        modDate=fixed,
    )
    path.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------------------
# 3. tech_requirements.docx
# --------------------------------------------------------------------------------------

DOCX_ROWS = [
    ("1", "系统登录与权限管理", "支持数字证书登录，支持按部门、岗位分级授权，完整记录用户操作日志。"),
    (
        "2",
        "邪教人员管控",
        "支持建立法轮功等邪教人员专题库，库内人员进入辖区、办理住宿或参与聚集时自动预警，"
        "预警信息推送至国保部门。",
    ),
    ("3", "人员综合查询", "支持按民族、户籍地筛选人员，并可对筛选结果进行统计分析和导出。"),
    ("4", "警情地图展示", "支持在电子地图上展示警力分布和警情热力图，支持按时间段回放。"),
    ("5", "设备运维管理", "支持前端设备在线率统计，设备离线时发送故障告警。"),
    ("6", "数据备份恢复", "支持全量和增量备份，支持一键恢复，备份数据保留不少于30天。"),
]


def _docx_bytes() -> bytes:
    try:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Pt
    except ImportError:
        die("python-docx is required (pip install python-docx)")

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for sname in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        s = doc.styles[sname]
        s.font.name = "黑体"
        s.element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")

    cp = doc.core_properties
    fixed = _dt.datetime(2021, 3, 16, 9, 0, 0)
    cp.author = "江洲市公安局科技信息化处"
    cp.last_modified_by = "江洲市公安局科技信息化处"
    cp.title = f"{JZ_NAME}技术要求"
    cp.subject = f"项目编号：{JZ_NO}"
    cp.created = fixed
    cp.modified = fixed
    cp.last_printed = fixed
    cp.revision = 3

    t = doc.add_heading(JZ_NAME, level=0)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading("技术要求", level=1)
    doc.add_paragraph(f"项目编号：{JZ_NO}")
    doc.add_heading("一、项目概况", level=2)
    doc.add_paragraph(
        "本项目在一期平台基础上扩展人员管理、综合查询、地图展示等功能，"
        "提升全局情报研判和警务指挥能力。本项目为软件开发类项目，不含前端设备采购。"
    )
    doc.add_heading("二、建设内容", level=2)
    doc.add_heading("（一）软件功能", level=3)
    doc.add_paragraph("1. 软件功能模块及要求详见下表，投标人应逐项响应。")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    hdr = table.rows[0].cells
    for cell, text in zip(hdr, ("序号", "功能模块", "功能描述"), strict=True):
        cell.text = text
    for row in DOCX_ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.add_paragraph("2. 所有功能须基于一期平台统一用户体系开发，不得另建账号体系。")
    doc.add_heading("（二）系统性能", level=3)
    doc.add_paragraph("1. 系统支持不少于500个并发用户，普通查询响应时间不超过3秒。")
    doc.add_paragraph("2. 系统全年可用性不低于99.9%。")
    doc.add_heading("（三）其他要求", level=3)
    doc.add_paragraph("1. 便民服务窗口自助终端界面支持维文、汉文双语显示。")
    doc.add_paragraph("2. 门户首页设置“民族团结进步创建”宣传专栏，内容由采购人提供。")
    doc.add_paragraph("3. 中标人负责系统三年运维，定期维护并按季度提交运维报告。")
    doc.add_heading("三、商务要求", level=2)
    doc.add_paragraph("1. 质保期：三年，自终验合格之日起计算。")
    doc.add_paragraph("2. 交付期：合同签订后90日内完成开发部署。")
    buf = io.BytesIO()
    doc.save(buf)
    return _normalize_zip(buf.getvalue())


def _zipinfo(name: str) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.create_system = 3
    zi.external_attr = 0o644 << 16
    return zi


def _normalize_zip(data: bytes) -> bytes:
    """Re-pack a ZIP with fixed timestamps and attributes, keeping member order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for info in src.infolist():
            z.writestr(_zipinfo(info.filename), src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------------------
# 4./5. HTML notices
# --------------------------------------------------------------------------------------

NOTICE_HTML = """<!DOCTYPE html>
<html>
<head>
<meta charset="gbk">
<title>{name}公开招标公告 - 上海市政府采购网</title>
<link rel="stylesheet" href="/static/css/main.css">
<script type="text/javascript">
var _hmt = _hmt || [];
(function() {{ var hm = document.createElement("script"); hm.src = "/static/js/stat.js?v=20230220";
  var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); }})();
function changeFont(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
</script>
</head>
<body>
<div class="top-bar"><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/register">注册</a> | <a href="/en/">English</a></div>
<div class="nav">
<ul><li><a href="/">首页</a></li><li><a href="/zcfg/">政策法规</a></li><li class="on"><a href="/cggg/">采购公告</a></li>
<li><a href="/zbgg/">中标公告</a></li><li><a href="/bszn/">办事指南</a></li><li><a href="/xzzx/">下载中心</a></li></ul>
</div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/cggg/">采购公告</a> &gt; 公开招标公告</div>
<div class="main">
<div class="article">
<h1 class="title">{name}公开招标公告</h1>
<div class="info">发布时间：2023-02-20 17:05　　来源：{agency}　　浏览次数：<span id="hits">1286</span>
　字号：<a href="javascript:changeFont(16)">大</a> <a href="javascript:changeFont(14)">中</a> <a href="javascript:changeFont(12)">小</a></div>
<div id="zoom" class="content">
<p><strong>项目概况</strong></p>
<p>{name}招标项目的潜在投标人应在上海市政府采购网获取招标文件，并于2023年03月15日 09点30分（北京时间）前递交投标文件。</p>
<h3>一、项目基本情况</h3>
<p>项目编号：{no}</p>
<p>项目名称：{name}</p>
<p>采购方式：公开招标</p>
<p>预算金额（万元）：315.00</p>
<p>最高限价（万元）：315.00</p>
<p>采购需求：</p>
<table border="1" cellspacing="0" cellpadding="4" class="bid-table">
<tr><th>包号</th><th>标项名称</th><th>数量</th><th>预算金额（万元）</th><th>最高限价（万元）</th><th>简要规格描述</th></tr>
<tr><td>1</td><td>公共安全大数据智能应用平台</td><td>1（项）</td><td>315.00</td><td>315.00</td><td>数据汇聚与治理、重点人员管控、视频图像综合应用、办公楼人脸识别门禁等子系统及配套硬件，详见招标文件</td></tr>
</table>
<p>合同履行期限：自合同签订之日起180日</p>
<p>本项目（否）接受联合体投标。</p>
<h3>二、申请人的资格要求：</h3>
<p>1.满足《中华人民共和国政府采购法》第二十二条规定；</p>
<p>2.落实政府采购政策需满足的资格要求：监狱企业视同小型、微型企业；残疾人福利性单位视同小型、微型企业；</p>
<p>3.本项目的特定资格要求：未被列入“信用中国”网站失信被执行人、重大税收违法失信主体名单。</p>
<h3>三、获取招标文件</h3>
<p>时间：2023年02月21日至2023年02月28日，每天上午09:00至11:30，下午13:30至16:30。（北京时间，法定节假日除外）</p>
<p>地点：上海市政府采购网</p>
<p>方式：网上获取</p>
<p>售价：￥0（元）</p>
<h3>四、提交投标文件截止时间、开标时间和地点</h3>
<p>2023年03月15日 09点30分（北京时间）</p>
<p>地点：上海市云间区云锦路260号三楼第二开标室</p>
<h3>五、公告期限</h3>
<p>自本公告发布之日起5个工作日。</p>
<h3>六、其他补充事宜</h3>
<p>本项目采用电子招投标方式，投标人须提前办理数字证书（CA）。</p>
<h3>七、对本次招标提出询问，请按以下方式联系。</h3>
<p>1.采购人信息</p>
<p>名 称：{buyer}</p>
<p>地 址：上海市云间区云锦路100号</p>
<p>联系方式：021-57700000</p>
<p>2.采购代理机构信息</p>
<p>名 称：{agency}</p>
<p>地 址：上海市云间区云锦路500号8楼</p>
<p>联系方式：021-57700100</p>
<p>3.项目联系方式</p>
<p>项目联系人：王工</p>
<p>电 话：021-57700100</p>
</div>
<div class="attach">附件：<a href="/download/{no}/zbwj.pdf">{no}招标文件.pdf</a></div>
</div>
<div class="side">
<h4>相关公告</h4>
<ul>
<li><a href="/cggg/20230217/1.html">云间区民族路小学课桌椅采购项目询价公告</a></li>
<li><a href="/cggg/20230216/2.html">关于开展民族团结进步宣传月活动的通知</a></li>
<li><a href="/cggg/20230215/3.html">云间区卫生健康委员会办公设备采购项目中标公告</a></li>
</ul>
</div>
</div>
<div class="footer">主办单位：上海市政府采购网　技术支持：某某信息技术有限公司　沪ICP备00000000号<br>
<script type="text/javascript">document.write("<span>访问量统计</span>");</script></div>
</body>
</html>
"""

AWARD_ITEMS = [
    ("应用服务器", "澄元", "CY-S6400", "8台", "96,000.00"),
    ("数据库服务器", "澄元", "CY-S9600", "4台", "138,000.00"),
    ("分布式存储", "云栖", "YQ-DS1200", "1套", "395,000.00"),
    ("视频结构化解析服务器", "澄元", "CY-VA128", "6台", "112,000.00"),
    ("人像比对分析软件", "澄元", "CY-FaceSearch V3.0", "1套", "186,000.00"),
    ("人脸识别门禁终端", "锐识", "RS-FG07", "24台", "3,200.00"),
    ("公共安全大数据智能应用平台软件", "澄元", "CY-BigData V5.2", "1套", "412,200.00"),
]

AWARD_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{name}中标（成交）结果公告</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<nav class="breadcrumb"><a href="/">首页</a> › <a href="/zbgg/">结果公告</a> › 中标（成交）结果公告</nav>
<article>
<h1>{name}中标（成交）结果公告</h1>
<p class="meta">发布日期：2023-03-23　来源：{agency}</p>
<h2>一、项目编号：{no}</h2>
<h2>二、项目名称：{name}</h2>
<h2>三、中标（成交）信息</h2>
<table border="1">
<tr><th>序号</th><th>中标（成交）金额</th><th>中标供应商名称</th><th>中标供应商地址</th></tr>
<tr><td>1</td><td>人民币贰佰贰拾陆万捌仟元整（226.8 万元）</td><td>{winner}</td><td>上海市云间区松云路1288号3幢</td></tr>
</table>
<p>统一社会信用代码：91310117MA1H000000</p>
<h2>四、主要标的信息</h2>
<table border="1" class="items">
<tr><th>名称</th><th>品牌</th><th>规格型号</th><th>数量</th><th>单价（元）</th></tr>
{rows}
</table>
<h2>五、评审专家（单一来源采购人员）名单：</h2>
<p>陈立新、周敏、郭海涛、沈佳（采购人代表）、吴志平</p>
<h2>六、代理服务收费标准及金额：</h2>
<p>代理服务费由中标人支付，收费标准参照原国家计委计价格〔2002〕1980号文件，金额：人民币贰万肆仟玖佰元整（¥24,900.00）。</p>
<h2>七、公告期限</h2>
<p>自本公告发布之日起1个工作日。</p>
<h2>八、其他补充事宜</h2>
<p>评标日期：2023年03月15日；定标日期：2023年03月22日。各有关当事人对中标结果有异议的，可以在中标公告发布之日起七个工作日内，以书面形式向采购代理机构提出质疑。</p>
<h2>九、凡对本次公告内容提出询问，请按以下方式联系。</h2>
<p>1.采购人信息　名称：{buyer}　地址：上海市云间区云锦路100号　联系方式：021-57700000</p>
<p>2.采购代理机构信息　名称：{agency}　地址：上海市云间区云锦路500号8楼　联系方式：021-57700100</p>
<p>3.项目联系方式　项目联系人：王工　电话：021-57700100</p>
<h2>十、附件</h2>
<ul><li><a href="/download/{no}/zbwj.pdf">招标文件.pdf</a></li><li><a href="/download/{no}/zbtzs.pdf">中标通知书.pdf</a></li></ul>
</article>
<footer>Copyright © 2023 版权所有　沪ICP备00000000号</footer>
</body>
</html>
"""


def build_notice(path: Path):
    text = NOTICE_HTML.format(name=SJ_NAME, no=SJ_NO, buyer=SJ_BUYER, agency=SJ_AGENCY)
    path.write_bytes(text.encode("gbk"))  # strict: every character must exist in GBK


def build_award(path: Path):
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in AWARD_ITEMS
    )
    text = AWARD_HTML.format(
        name=SJ_NAME, no=SJ_NO, buyer=SJ_BUYER, agency=SJ_AGENCY, winner=SJ_WINNER, rows=rows
    )
    path.write_bytes(text.encode("utf-8"))


# --------------------------------------------------------------------------------------
# 7./8./9. plain text and the bundle
# --------------------------------------------------------------------------------------

ENGLISH = f"""Shanghai Yunjian District Public Security Sub-bureau
Public Security Big Data Intelligent Application Platform Construction Project
Project No.: {SJ_NO}
Unofficial English translation of excerpts from Chapter 3 (Procurement Requirements)

Items marked ★ are substantive requirements: any negative deviation makes the bid invalid.
Items marked ▲ are important technical parameters and are weighted in scoring.

3.2 Key Person Management Subsystem: Alert Modules

3.2.1 Alert on Xinjiang-related persons arriving in the district. The system shall issue a
real-time alert to the local police station when a Xinjiang-related person (including Uyghurs)
registers at a hotel in the district or arrives at a district railway station on a
real-name ticket.

3.2.2 ★ Alert on foreign journalists travelling to Xinjiang. The system shall compare civil
aviation booking records and real-name railway ticket records whose destination is Xinjiang
against the overseas personnel database, and shall generate an alert immediately when a
foreign journalist books a flight or train to Xinjiang.

3.2.3 Alert on drug users and persons involved in prostitution. The system shall alert the
narcotics and public order units when drug users or persons involved in prostitution check
into hotels or log on at internet cafes in the district.

3.2.4 Alert on petitioners travelling to Beijing. The system shall alert the sub-bureau's
stability task force in real time when a key petitioner buys a train or air ticket to Beijing.

3.3 Video Image Application Subsystem

3.3.1 ▲ The system shall recognise the ethnicity attribute of captured faces, distinguishing
at least Uyghur and Han, with an accuracy of no less than 90%, and shall allow ethnicity to be
used as a search and watchlist condition.

3.3.2 Recorded video from key parts of the office compound (armoury, archive room, data centre)
shall be kept for no less than 90 days.

3.4 Conference and Display

3.4.1 The press conference room shall be equipped with two 4K PTZ cameras, a digital
microphone system and a live-streaming encoder for press briefings.

3.4.2 Face recognition access control terminals shall be installed at the office building
entrances for staff access and attendance.

3.5 Warranty and Maintenance

3.5.1 All hardware shall carry a manufacturer's warranty of no less than three years from
final acceptance.

3.5.2 The supplier shall provide 7x24 maintenance support with a four-hour on-site response.
"""

PETITION_NO = "QSX-GA-2021-015"
PETITION = f"""青石县公安局重点人员动态管控系统采购需求公示

项目编号：{PETITION_NO}
采购人：青石县公安局
预算金额：人民币肆拾捌万元整（¥480,000.00）
公示期限：2021年06月08日至2021年06月15日

一、项目概述
为提升重点人员动态管控能力，青石县公安局拟采购重点人员动态管控系统一套，现将采购需求予以公示，征求潜在供应商意见。

二、主要功能需求
1.系统应支持对非正常上访人员进行动态管控，发现其购买进京车票、在京住宿时实时预警，并推送至属地派出所和乡镇。
2.系统应支持管控对象信息的录入、修改、查询和统计，支持按乡镇生成工作台账。
3.系统应与县信访局信访事项网上办理系统对接，实现信访件流转状态查询。
4.系统应支持移动端签收预警指令，签收后30分钟内反馈。

三、商务要求
1.交付期：合同签订后45日内完成部署。
2.质保期：两年。

四、意见反馈
对本采购需求有异议的，请于公示期内以书面形式反馈至青石县公安局装备财务室。
联系人：王䶮　联系电话：0000-7120000
"""

ATTACH2 = f"""{JZ_NAME}
附件2：补充说明
项目编号：{JZ_NO}

一、关于关注人员库
1. 系统应支持在关注人员库中对境外记者进行单独标注，对其在本市的住宿、出行信息进行关联分析，发现异常时自动预警。
2. 关注人员库的数据由采购人提供，中标人负责数据导入和格式转换。

二、关于接口
1. 系统须通过一期平台数据交换接口获取数据，不得直接访问源数据库。
2. 接口调用须记录日志，日志保存不少于180天。

三、本说明与技术要求具有同等效力。
"""


def build_bundle(path: Path, docx_bytes: bytes):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        # Non-ASCII names: zipfile sets general-purpose flag bit 11 (UTF-8) automatically.
        z.writestr(_zipinfo("附件1_技术要求.docx"), docx_bytes)
        z.writestr(
            _zipinfo("附件2_说明.txt"), b"\xff\xfe" + ATTACH2.replace("\n", "\r\n").encode("utf-16-le")
        )
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------------------
# expected.json
# --------------------------------------------------------------------------------------

# (contains, groups, marker) for the big tender; pages are taken from the layout.
TENDER_EXPECTED = [
    ("涉疆人员（含维吾尔族人员）", ["uyghur"], None),
    ("发现境外记者预订赴疆航班", ["foreign_journalist"], "★"),
    ("导入驻华外国记者名单", ["foreign_journalist"], None),
    ("吸毒人员、卖淫嫖娼人员", ["drug_user", "sex_worker"], None),
    ("签证过期仍在辖区住宿", ["illegal_immigrant"], None),
    ("具备进京上访预警功能", ["petitioner"], None),
    ("民族属性识别，识别结果", ["ethnic_minority", "uyghur"], "▲"),
    ("民族（维吾尔族/非维吾尔族）", ["ethnic_minority", "uyghur"], "▲"),
    ("建立涉疆人员、吸毒人员等", ["uyghur", "drug_user"], None),
]
TENDER_BAIT = [
    "含新疆生产建设兵团",
    "信用中国",
    "失信被执行人",
    "监狱企业视同小型、微型企业",
    "人脸识别门禁终端",
    "重点部位",
    "外国人永久居留身份证",
    "4G布控球",
    "新闻发布会",
    "气象预警信息",
    "设备故障时自动告警",
    "运维服务",
]
CANTEEN_BAIT = [
    "中华民族一家亲",
    "民族团结进步示范单位",
    "江洲市民族路18号",
    "清真餐窗口",
    "人脸识别消费机",
    "人脸识别门禁",
    "新闻发布会",
    "小记者",
    "气象预警",
    "留守儿童",
    "信用中国",
    "失信被执行人",
    "监狱企业视同小型、微型企业",
    "冷藏温度",
]


def _find_pages(placed, needle, exact=False):
    return sorted({p for p, text in placed if (needle == text if exact else needle in text)})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_expected(tender_doc, canteen_doc, files: dict[str, Path]):
    clauses = []
    for needle, groups, marker in TENDER_EXPECTED:
        pages = _find_pages(tender_doc.placed, needle)
        if len(pages) != 1:
            die(f"expected clause {needle!r} found on pages {pages} of the tender layout")
        c = {"page": pages[0], "contains": needle, "groups": groups}
        if marker:
            c["marker"] = marker
        clauses.append(c)
    bait_pages = {b: _find_pages(tender_doc.placed, b) for b in TENDER_BAIT}
    for b, pages in bait_pages.items():
        if not pages:
            die(f"bait {b!r} not in the tender layout")
    for b in CANTEEN_BAIT:
        if not _find_pages(canteen_doc.placed, b):
            die(f"bait {b!r} not in the canteen layout")
    table_pages = _find_pages(tender_doc.placed, "序号 | 名称 | 技术参数 | 数量 | 单位")
    toc_page = 2

    def meta(name):
        p = files[name]
        return {"bytes": p.stat().st_size, "sha256": sha256(p)}

    exp = {
        "version": 1,
        "generated_by": "samples/build.py",
        "notes": [
            "page is the 1-based physical page; null for formats without pages (docx, html, txt).",
            "contains is an exact substring of the clause as it appears in the file's raw text "
            "(for the scanned PDF: in tesseract chi_sim+eng output at 300 dpi).",
            "groups are taxonomy ids from shared/domain/primer.md section 2; parents are implied "
            "(foreign_journalist -> journalist, uyghur -> ethnic_minority) but listed when the clause "
            "names the parent attribute itself.",
            "bait: substrings present in the file that must not, on their own, produce a group finding.",
            "All organisations, people, phone numbers and codes are invented.",
        ],
        "files": {
            "songjiang_style_tender.pdf": {
                "format": "pdf",
                "text_layer": True,
                "pages": tender_doc.page,
                "project_number": SJ_NO,
                "notice_type": "tender_document",
                "notice_type_zh": "招标文件",
                "metadata": {
                    "project_name": SJ_NAME,
                    "buyer": SJ_BUYER,
                    "agency": SJ_AGENCY,
                    "budget_yuan": 3150000,
                    "budget_raw": SJ_BUDGET_CN,
                    "date_raw": "二〇二三年二月",
                    "procurement_method": "公开招标",
                    "bid_deadline": "2023-03-15T09:30",
                },
                "structure": {
                    "toc_page": toc_page,
                    "chapter_pages": {
                        # the last exact match: the first ones are the table of contents
                        t: _find_pages(tender_doc.placed, t, exact=True)[-1]
                        for t in (
                            "第一章 招标公告",
                            "第二章 投标人须知",
                            "第三章 采购需求",
                            "第四章 评标办法",
                            "第五章 合同条款",
                            "第六章 投标文件格式",
                        )
                    },
                    "marker_legend": LEGEND,
                    "param_table_header": ["序号", "名称", "技术参数", "数量", "单位"],
                    "param_table_pages": table_pages,
                    "running_header": f"项目编号：{SJ_NO}",
                    "running_footer_pattern": "第 N 页 共 M 页 (not on the cover page)",
                },
                "expected": clauses,
                "bait": TENDER_BAIT,
                **meta("songjiang_style_tender.pdf"),
            },
            "scanned_tender_excerpt.pdf": {
                "format": "pdf",
                "text_layer": False,
                "needs_ocr": True,
                "pages": len(SCAN_PAGES),
                "printed_page_numbers": [7, 8],
                "project_number": SCAN_NO,
                "notice_type": "tender_document",
                "notice_type_zh": "招标文件（节选，扫描件）",
                "metadata": {"buyer": "永泽县公安局", "date_raw": "二〇二二年五月"},
                "expected": [
                    {"page": 2, "contains": "涉疆人员", "groups": ["uyghur"], "ocr_also_contains": ["预警"]}
                ],
                "bait": [],
                **meta("scanned_tender_excerpt.pdf"),
            },
            "tech_requirements.docx": {
                "format": "docx",
                "pages": None,
                "project_number": JZ_NO,
                "notice_type": "tender_document",
                "notice_type_zh": "技术要求",
                "metadata": {"project_name": JZ_NAME},
                "table_header": ["序号", "功能模块", "功能描述"],
                "expected": [
                    {"page": None, "contains": "法轮功等邪教人员专题库", "groups": ["falun_gong_cult"]},
                    {"page": None, "contains": "按民族、户籍地筛选人员", "groups": ["ethnic_minority"]},
                ],
                "bait": ["维文、汉文双语显示", "民族团结进步创建", "故障告警", "运维"],
                **meta("tech_requirements.docx"),
            },
            "notice_gbk.html": {
                "format": "html",
                "encoding": "gbk",
                "pages": None,
                "project_number": SJ_NO,
                "notice_type": "tender_notice",
                "notice_type_zh": "公开招标公告",
                "metadata": {
                    "project_name": SJ_NAME,
                    "buyer": SJ_BUYER,
                    "agency": SJ_AGENCY,
                    "budget_yuan": 3150000,
                    "budget_raw": "预算金额（万元）：315.00",
                    "published": "2023-02-20",
                    "bid_deadline": "2023-03-15T09:30",
                },
                "expected": [],
                "bait": ["民族团结进步宣传月", "民族路小学", "信用中国", "监狱企业视同小型、微型企业"],
                "ignore": ["script contents", "navigation", "相关公告 sidebar", "footer"],
                **meta("notice_gbk.html"),
            },
            "award_notice.html": {
                "format": "html",
                "encoding": "utf-8",
                "pages": None,
                "project_number": SJ_NO,
                "notice_type": "award_notice",
                "notice_type_zh": "中标（成交）结果公告",
                "metadata": {
                    "project_name": SJ_NAME,
                    "buyer": SJ_BUYER,
                    "agency": SJ_AGENCY,
                    "winner": SJ_WINNER,
                    "winner_address": "上海市云间区松云路1288号3幢",
                    "winner_credit_code": "91310117MA1H000000",
                    "award_amount_yuan": 2268000,
                    "award_amount_raw": "人民币贰佰贰拾陆万捌仟元整（226.8 万元）",
                    "published": "2023-03-23",
                    "award_date": "2023-03-22",
                    "items": [
                        dict(zip(("名称", "品牌", "规格型号", "数量", "单价"), r, strict=True))
                        for r in AWARD_ITEMS
                    ],
                    "experts": ["陈立新", "周敏", "郭海涛", "沈佳", "吴志平"],
                },
                "expected": [],
                "bait": [],
                **meta("award_notice.html"),
            },
            "benign_canteen_tender.pdf": {
                "format": "pdf",
                "text_layer": True,
                "pages": canteen_doc.page,
                "project_number": CT_NO,
                "notice_type": "tender_document",
                "notice_type_zh": "竞争性磋商文件",
                "metadata": {"project_name": CT_NAME, "buyer": CT_BUYER, "budget_yuan": 860000},
                "expected": [],
                "bait": CANTEEN_BAIT,
                **meta("benign_canteen_tender.pdf"),
            },
            "english_excerpt.txt": {
                "format": "txt",
                "encoding": "utf-8",
                "language": "en",
                "pages": None,
                "project_number": SJ_NO,
                "notice_type": "tender_document",
                "notice_type_zh": "招标文件（英文译文节选）",
                "expected": [
                    {"page": None, "contains": "(including Uyghurs)", "groups": ["uyghur"]},
                    {
                        "page": None,
                        "contains": "foreign journalist books a flight",
                        "groups": ["foreign_journalist"],
                        "marker": "★",
                    },
                    {
                        "page": None,
                        "contains": "persons involved in prostitution check",
                        "groups": ["drug_user", "sex_worker"],
                    },
                    {"page": None, "contains": "a key petitioner buys a train", "groups": ["petitioner"]},
                    {
                        "page": None,
                        "contains": "ethnicity attribute of captured faces",
                        "groups": ["ethnic_minority", "uyghur"],
                        "marker": "▲",
                    },
                ],
                "bait": [
                    "press conference room",
                    "Face recognition access control",
                    "manufacturer's warranty",
                    "key parts of the office compound",
                ],
                **meta("english_excerpt.txt"),
            },
            "petition_notice_gb18030.txt": {
                "format": "txt",
                "encoding": "gb18030",
                "pages": None,
                "project_number": PETITION_NO,
                "notice_type": "requirements_notice",
                "notice_type_zh": "采购需求公示",
                "metadata": {"buyer": "青石县公安局", "budget_yuan": 480000},
                "encoding_note": "contains 䶮 (U+4DAE), a four-byte GB18030 character that GBK cannot decode",
                "expected": [
                    {"page": None, "contains": "对非正常上访人员进行动态管控", "groups": ["petitioner"]},
                ],
                "bait": ["信访事项网上办理"],
                **meta("petition_notice_gb18030.txt"),
            },
            "bundle.zip": {
                "format": "zip",
                "pages": None,
                "members": {
                    "附件1_技术要求.docx": {
                        "format": "docx",
                        "same_bytes_as": "tech_requirements.docx",
                        "project_number": JZ_NO,
                        "expected": [
                            {
                                "page": None,
                                "contains": "法轮功等邪教人员专题库",
                                "groups": ["falun_gong_cult"],
                            },
                            {
                                "page": None,
                                "contains": "按民族、户籍地筛选人员",
                                "groups": ["ethnic_minority"],
                            },
                        ],
                    },
                    "附件2_说明.txt": {
                        "format": "txt",
                        "encoding": "utf-16 (little-endian, with BOM)",
                        "project_number": JZ_NO,
                        "expected": [
                            {
                                "page": None,
                                "contains": "对境外记者进行单独标注",
                                "groups": ["foreign_journalist"],
                            },
                        ],
                        "bait": [],
                    },
                },
                **meta("bundle.zip"),
            },
        },
    }
    data = json.dumps(exp, ensure_ascii=False, indent=2) + "\n"
    (HERE / "expected.json").write_text(data, encoding="utf-8")
    return exp


# --------------------------------------------------------------------------------------
# verification (optional; uses pypdfium2, python-docx, and tesseract/pdftoppm if present)
# --------------------------------------------------------------------------------------


def verify(exp) -> int:
    import shutil
    import subprocess
    import tempfile

    import pypdfium2 as pdfium

    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    def pdf_pages(path):
        pdf = pdfium.PdfDocument(str(path))
        try:
            return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        finally:
            pdf.close()

    def docx_text(data: bytes):
        from docx import Document

        d = Document(io.BytesIO(data))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts.append(" | ".join(c.text for c in row.cells))
        return "\n".join(parts)

    for name, spec in exp["files"].items():
        path = CORPUS / name
        check(sha256(path) == spec["sha256"], f"{name}: sha256 matches")
        fmt = spec["format"]
        if fmt == "pdf" and spec.get("text_layer"):
            pages = pdf_pages(path)
            check(len(pages) == spec["pages"], f"{name}: {len(pages)} pages")
            joined = "".join(pages)
            check("(cid:" not in joined and "\ufffd" not in joined, f"{name}: no (cid:)/U+FFFD")
            for c in spec["expected"]:
                check(c["contains"] in pages[c["page"] - 1], f"{name}: p{c['page']} has {c['contains']!r}")
            for b in spec["bait"]:
                check(b in joined, f"{name}: bait {b!r} present")
        elif fmt == "pdf":
            pages = pdf_pages(path)
            check(len(pages) == spec["pages"], f"{name}: {len(pages)} pages")
            check(all(not p.strip() for p in pages), f"{name}: no text layer")
            if shutil.which("pdftoppm") and shutil.which("tesseract"):
                with tempfile.TemporaryDirectory() as tmp:
                    for c in spec["expected"]:
                        subprocess.run(
                            [
                                "pdftoppm",
                                "-r",
                                "300",
                                "-png",
                                "-f",
                                str(c["page"]),
                                "-l",
                                str(c["page"]),
                                str(path),
                                f"{tmp}/p",
                            ],
                            check=True,
                        )
                        png = sorted(Path(tmp).glob("p*.png"))[0]
                        ocr = subprocess.run(
                            ["tesseract", str(png), "-", "-l", "chi_sim+eng"],
                            capture_output=True,
                            text=True,
                            check=True,
                        ).stdout
                        ocr_flat = "".join(ocr.split())
                        for needle in [c["contains"], *c.get("ocr_also_contains", [])]:
                            check(needle in ocr_flat, f"{name}: OCR p{c['page']} has {needle!r}")
            else:
                print(f"skip {name}: OCR check needs pdftoppm and tesseract")
        elif fmt == "docx":
            text = docx_text(path.read_bytes())
            for c in spec["expected"]:
                check(c["contains"] in text, f"{name}: has {c['contains']!r}")
            for b in spec["bait"]:
                check(b in text, f"{name}: bait {b!r} present")
        elif fmt in ("html", "txt"):
            raw = path.read_bytes()
            text = raw.decode(spec["encoding"])
            check(spec["project_number"] in text, f"{name}: project number")
            for c in spec["expected"]:
                check(c["contains"] in text, f"{name}: has {c['contains']!r}")
            for b in spec["bait"]:
                check(b in text, f"{name}: bait {b!r} present")
            if spec["encoding"] == "gb18030":
                try:
                    raw.decode("gbk")
                    check(False, f"{name}: not decodable as GBK")
                except UnicodeDecodeError:
                    check(True, f"{name}: not decodable as GBK (needs GB18030)")
        elif fmt == "zip":
            with zipfile.ZipFile(path) as z:
                infos = {i.filename: i for i in z.infolist()}
                check(set(infos) == set(spec["members"]), f"{name}: members {sorted(infos)}")
                for mname, m in spec["members"].items():
                    check(bool(infos[mname].flag_bits & 0x800), f"{name}: {mname} has UTF-8 name flag")
                    data = z.read(mname)
                    if m["format"] == "docx":
                        check(
                            data == (CORPUS / m["same_bytes_as"]).read_bytes(),
                            f"{name}: {mname} identical to {m['same_bytes_as']}",
                        )
                        text = docx_text(data)
                    else:
                        check(data.startswith(b"\xff\xfe"), f"{name}: {mname} starts with UTF-16LE BOM")
                        text = data.decode("utf-16")
                    for c in m["expected"]:
                        check(c["contains"] in text, f"{name}: {mname} has {c['contains']!r}")
    print(f"{failures} failure(s)")
    return 1 if failures else 0


# --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verify", action="store_true", help="check the built files against expected.json")
    args = ap.parse_args(argv)
    check_font()
    CORPUS.mkdir(parents=True, exist_ok=True)
    files = {
        "songjiang_style_tender.pdf": CORPUS / "songjiang_style_tender.pdf",
        "scanned_tender_excerpt.pdf": CORPUS / "scanned_tender_excerpt.pdf",
        "tech_requirements.docx": CORPUS / "tech_requirements.docx",
        "notice_gbk.html": CORPUS / "notice_gbk.html",
        "award_notice.html": CORPUS / "award_notice.html",
        "benign_canteen_tender.pdf": CORPUS / "benign_canteen_tender.pdf",
        "english_excerpt.txt": CORPUS / "english_excerpt.txt",
        "petition_notice_gb18030.txt": CORPUS / "petition_notice_gb18030.txt",
        "bundle.zip": CORPUS / "bundle.zip",
    }
    tender = build_tender(files["songjiang_style_tender.pdf"])
    build_scan(files["scanned_tender_excerpt.pdf"])
    docx_bytes = _docx_bytes()
    files["tech_requirements.docx"].write_bytes(docx_bytes)
    build_notice(files["notice_gbk.html"])
    build_award(files["award_notice.html"])
    canteen = build_canteen(files["benign_canteen_tender.pdf"])
    files["english_excerpt.txt"].write_bytes(ENGLISH.encode("utf-8"))
    files["petition_notice_gb18030.txt"].write_bytes(PETITION.encode("gb18030"))
    build_bundle(files["bundle.zip"], docx_bytes)
    exp = write_expected(tender, canteen, files)
    for name, p in files.items():
        extra = exp["files"][name].get("pages")
        print(f"{p.stat().st_size:>9}  {name}" + (f"  ({extra} pages)" if extra else ""))
    if args.verify:
        return verify(exp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
