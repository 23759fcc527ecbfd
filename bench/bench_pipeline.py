#!/usr/bin/env python3
"""Benchmark the analyzer pipeline against pdftotext on the same files, in one run.

Usage: python bench/bench_pipeline.py [--quick] [--corpus-size N] [--repeats 3] [--method rules] [--out FILE]

What it measures (every tool as a subprocess, process start included, fresh database per run):

1. A long Chinese tender PDF (200 pages; 50 with --quick): wall time of ``pdftotext``, of pdfplumber's plain
   ``extract_text()`` over all pages, of pypdfium2's ``get_text_range()`` (what analyzer's ingest uses; for
   reference) and of ``analyzer analyze FILE --db fresh.db --quiet --workers 1 --method rules``; median of
   --repeats runs, as seconds, CPU seconds (whole process tree), pages/s and ratio to pdftotext; clauses/s.
   The method is named because analyze defaults to ``auto`` (rules + transformers) once the model is built;
   the goals are set for the rules path.
2. A 1,000-page PDF (200 with --quick): analyzer's wall time and peak RSS with --workers 1, pdftotext's
   for reference.
3. A corpus of N small documents (default 300; 60 with --quick) made by varying the bytes of the text
   samples in samples/corpus (no scanned PDFs): ``--workers 2`` into a fresh database (files/s, text pages/s,
   clauses/s, peak RSS of the parent and of the largest worker), then again on the unchanged corpus into the
   same database (time and ratio to the first run).
4. OCR speed on samples/corpus/scanned_tender_excerpt.pdf, in seconds per page.

Inputs are generated deterministically (reportlab + WenQuanYi Micro Hei, fixed seeds, invariant mode) and
cached under bench/.cache/ (git-ignored). Prints a Markdown table, the goals, the machine, and a JSON blob
that is also written to bench/results/pipeline-<date>.json (or --out). Peak RSS comes from GNU time
(``/usr/bin/time -f %M``: the largest process of the tree) and, for analyzer runs that need the split, from a
two-line shim equivalent to the ``analyzer`` console script that records getrusage(SELF/CHILDREN) at exit.
Needs only the project's venv (with reportlab, the ``samples`` extra), poppler-utils and the font.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
SAMPLES = ROOT / "samples" / "corpus"
SCANNED = SAMPLES / "scanned_tender_excerpt.pdf"
FONT_PATH = Path(os.environ.get("SAMPLES_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
FONT = "WQYMicroHei"
GEN_VERSION = "3"  # bump when the generated documents change, so the cache is rebuilt
TIME_BIN = "/usr/bin/time"

GOAL_RATIO_PDFTOTEXT = 8.0
GOAL_CORPUS_PAGES_S = 150.0
GOAL_RERUN_RATIO = 0.10
GOAL_PEAK_RSS_MB = 1024.0

# Equivalent of the `analyzer` console script, plus a note of the peak RSS of this process and of its
# largest (reaped) worker. multiprocessing's forked workers leave through os._exit, so only the parent
# runs the atexit hook.
RUSAGE_SHIM = (
    "import atexit, json, os, resource, sys\n"
    "def _bench_rusage():\n"
    "    s = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    c = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    with open(os.environ['BENCH_RUSAGE'], 'w') as f:\n"
    "        json.dump({'self_kb': s, 'children_kb': c}, f)\n"
    "atexit.register(_bench_rusage)\n"
    "sys.argv[0] = 'analyzer'\n"
    "from analyzer.cli import main\n"
    "sys.exit(main())\n"
)
PDFPLUMBER_SNIPPET = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf, open(sys.argv[2], 'w', encoding='utf-8') as out:\n"
    "    for page in pdf.pages:\n"
    "        out.write((page.extract_text() or '') + '\\f')\n"
    "        page.close()\n"
)
PYPDFIUM_SNIPPET = (
    "import sys, pypdfium2 as pdfium\n"
    "pdf = pdfium.PdfDocument(sys.argv[1])\n"
    "with open(sys.argv[2], 'w', encoding='utf-8') as out:\n"
    "    for i in range(len(pdf)):\n"
    "        page = pdf[i]\n"
    "        tp = page.get_textpage()\n"
    "        out.write(tp.get_text_range() + '\\f')\n"
    "        tp.close()\n"
    "        page.close()\n"
    "pdf.close()\n"
)


def die(msg: str) -> None:
    print(f"bench_pipeline: error: {msg}", file=sys.stderr)
    raise SystemExit(2)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def check_prerequisites() -> dict[str, str]:
    """Tools the benchmark needs; a clear message and exit 2 when one is missing."""
    tools = {}
    for name in ("pdftotext", "pdfinfo"):
        path = shutil.which(name)
        if not path:
            die(f"{name} not found: install poppler-utils (Debian/Ubuntu: apt-get install poppler-utils)")
        tools[name] = path
    if not FONT_PATH.is_file():
        die(f"CJK font not found: {FONT_PATH}\n  install WenQuanYi Micro Hei (apt-get install fonts-wqy-microhei) "
            "or point SAMPLES_CJK_FONT at a .ttc/.ttf with Chinese glyphs")
    try:
        import reportlab  # noqa: F401
    except ImportError:
        die("reportlab is missing from this Python: pip install -e '.[samples]' (inside the project's venv)")
    for mod in ("pdfplumber", "pypdfium2", "analyzer"):
        try:
            __import__(mod)
        except ImportError:
            die(f"{mod} is not importable from {sys.executable}: activate the project's venv "
                "(make setup, then . .venv/bin/activate)")
    exe = Path(sys.executable).parent / "analyzer"
    tools["analyzer"] = str(exe) if exe.exists() else (shutil.which("analyzer") or "")
    if not tools["analyzer"]:
        die("the `analyzer` console script is not installed: pip install -e . (inside the project's venv)")
    missing = [p.name for p in (SCANNED,) if not p.exists()] + [
        n for n in ("songjiang_style_tender.pdf", "benign_canteen_tender.pdf") if not (SAMPLES / n).exists()]
    if missing:
        die(f"samples missing from {SAMPLES}: {', '.join(missing)} (python samples/build.py)")
    tools["time"] = TIME_BIN if os.access(TIME_BIN, os.X_OK) else ""
    tools["tesseract"] = shutil.which("tesseract") or ""
    return tools


# ==============================================================================================
# Generated long tender PDFs: a line-level layout engine on a reportlab canvas (fast, exact page
# counts), imitating samples/build.py's documents: running header, 第 N 页 共 M 页 footer, chapters,
# 一、/（一）/1./1.1/（1）/① numbering, ★/▲ markers, ruled parameter tables, a few targeting clauses.
# ==============================================================================================

PAGE_W, PAGE_H = 595.2756, 841.8898
MM = 72 / 25.4
X0, X1 = 25 * MM, PAGE_W - 25 * MM
Y_TOP, Y_BOTTOM = PAGE_H - 24 * MM, 22 * MM
BODY_W = X1 - X0

CN_DIGITS = "一二三四五六七八九"
NO_LINE_START = "。，、；：？！）》”’%"  # kinsoku: these hang at the end of the line instead


def cn(n: int) -> str:
    """1..99 in Chinese numerals (一, 十二, 三十五)."""
    if n < 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" + (CN_DIGITS[ones - 1] if ones else "")


LEGEND = ("标注“★”的条款为实质性条款，投标人必须完全满足，任何一项出现负偏离的，按无效投标处理；"
          "标注“▲”的为重要技术参数，作为技术评审的重要评分依据；未作标注的为一般技术参数。")
SUBSYSTEMS = ["数据汇聚与治理", "重点人员管控", "视频图像综合应用", "情报研判分析", "指挥调度", "警务地理信息",
              "案件侦办辅助", "社会面治安防控", "智慧社区感知", "运维管理", "数据安全防护", "移动警务应用",
              "车辆大数据分析", "网络安全态势感知", "统一身份认证与权限管理", "大屏可视化展示"]
MODULES = ["数据接入", "数据治理", "专题库管理", "检索查询", "统计分析", "预警管理", "布控管理", "轨迹分析",
           "关系图谱", "任务流转", "系统管理", "接口服务", "日志审计", "报表管理", "设备管理", "地图服务"]
FUNCTIONS = ["按时间、地点、事件类型进行组合查询，查询结果支持按多字段排序",
             "数据的批量导入和导出，导出格式包括Excel、CSV和PDF",
             "用户、角色、权限的分级分域管理，权限粒度细化到功能按钮",
             "对全部查询、导出操作记录日志，日志保存不少于{n}天",
             "视频流的实时预览与录像回放，单客户端同时播放不少于{n}路",
             "预警信息的分级推送、签收、反馈与闭环处置",
             "在电子地图上展示警力分布、案事件热力图和轨迹回放",
             "报表的自定义配置与定时生成，支持按日、周、月汇总",
             "与市局警务云平台级联对接，接口遵循公安部相关数据标准",
             "前端设备在线状态的实时监测，设备离线时自动告警",
             "数据清洗、标准化、去重与关联，按公安数据元标准进行字段映射",
             "全文检索，支持模糊匹配、同音字匹配和拼音首字母检索",
             "对接入数据进行增量实时更新，数据延迟不超过{k}分钟",
             "案事件信息的录入、审核、流转和归档，形成完整的业务闭环",
             "人员、车辆、案件、物品之间关系的可视化展示与多层级展开",
             "移动终端的统一接入与远程管理，支持终端丢失后远程擦除",
             "任务的创建、指派、督办与考核，超期任务自动提醒",
             "基于数字证书的身份认证和单点登录",
             "敏感数据传输与存储采用国产密码算法加密",
             "系统运行状态、资源使用率的监控与容量预警"]
PERF = ["单次查询响应时间不超过{k}秒", "并发用户数不少于{n}个", "系统可用性不低于99.9%",
        "日处理数据量不低于{n}万条", "历史数据在线保存不少于{k}个月", "页面平均加载时间不超过{k}秒"]
SUBJECTS = ["系统应支持", "平台应支持", "系统应具备", "软件应能够实现", "应提供", "本模块应支持"]
SUBCLAUSES = ["投标人应提供相关功能截图并加盖公章", "该功能须在演示环节现场演示",
              "提供第三方检测机构出具的检测报告复印件", "相关接口文档须在初验前提交采购人",
              "满足公安部相关技术规范和标准要求", "升级服务期内免费提供版本更新"]
BAIT = ["系统界面支持维文、汉文双语显示，满足多民族地区使用需要。",
        "大屏支持新闻发布会、民族团结进步宣传月等活动的直播信号接入。",
        "人脸识别门禁终端安装于办公楼各出入口，用于内部人员考勤和访客登记。",
        "设备故障时系统自动告警，运维人员应在2小时内到场处理。"]
TARGETING = ["系统应支持对涉疆人员入住旅馆进行实时预警，比中后向属地派出所推送预警信息。",
             "▲支持对吸毒人员、卖淫嫖娼人员等重点人员的活动轨迹进行分析研判。",
             "★当境外记者购买前往新疆的机票或火车票时，系统应自动预警，并与境外人员数据库进行比对。",
             "系统应具备对非正常上访人员进京赴省的动态管控和预警功能。",
             "▲支持行人属性结构化，属性包括性别、年龄段、民族（维吾尔族/非维吾尔族）等。",
             "支持建立法轮功等邪教人员专题库，实现一人一档管理。",
             "系统应对签证过期的外国人进行自动筛查，并推送至出入境管理部门。",
             "支持对藏族僧尼等重点人员出行情况进行布控预警。"]
ITEMS = [("应用服务器", ["国产化处理器，物理核数≥{n}核", "内存≥{m}GB DDR4", "冗余电源、冗余风扇，支持热插拔",
                         "提供三年原厂质保及上门服务"]),
         ("分布式存储", ["可用容量≥{n}TB（RAID后）", "同时支持对象、文件、块三种存储协议",
                         "支持数据重删、压缩、快照与远程复制", "任意两个节点同时故障时业务不中断"]),
         ("视频结构化解析服务器", ["配置GPU推理加速卡≥{k}块", "支持≥{n}路1080P实时视频流结构化解析",
                                   "支持人员、机动车、非机动车目标检测与属性提取",
                                   "支持GB/T 28181、GA/T 1400协议对接"]),
         ("核心交换机", ["交换容量≥{n}Tbps", "业务槽位≥{k}个，主控、电源、风扇冗余",
                         "支持VXLAN、EVPN、M-LAG"]),
         ("下一代防火墙", ["网络层吞吐量≥{k}0Gbps，并发连接数≥{n}万", "支持入侵防御、防病毒、URL过滤",
                           "提供三年特征库升级服务"]),
         ("高清网络摄像机", ["{k}00万像素，{n}倍光学变焦", "红外距离≥{m}米", "支持H.265编码", "防护等级IP66"]),
         ("LCD拼接大屏", ["55英寸LCD液晶拼接单元，物理拼缝≤0.88mm", "{k}×3拼接，配套拼接控制器及支架"]),
         ("数据库管理系统", ["国产关系型数据库，支持主备集群", "单表记录数≥{n}亿条时查询性能满足平台要求",
                             "支持透明加密与细粒度审计"]),
         ("UPS不间断电源", ["额定容量≥{n}kVA，在线双变换", "满载后备时间≥{k}小时", "支持SNMP网管"])]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
BIDDER = ["投标人应具有独立承担民事责任的能力，提供营业执照复印件。",
          "投标人应具有良好的商业信誉和健全的财务会计制度，提供{y}年度财务审计报告。",
          "投标人参加政府采购活动前三年内，在经营活动中没有重大违法记录。",
          "投标报价应包括设备购置、运输、安装调试、软件开发、系统集成、培训及税费等全部费用。",
          "投标人应对采购需求逐条响应，并在技术偏离表中如实填写偏离情况。",
          "投标文件应于投标截止时间前通过电子交易平台加密上传，逾期上传的投标文件不予接收。",
          "评标委员会由采购人代表和评审专家共{k}人组成，其中评审专家不少于成员总数的三分之二。",
          "对小型和微型企业产品的价格给予{k}%的扣除，用扣除后的价格参与评审。",
          "中标供应商应在合同签订后{n}日内完成供货、安装和调试。",
          "供应商应提供不少于{k}人次的现场操作培训，培训费用包含在投标报价中。"]


def _fill(rng: random.Random, s: str) -> str:
    return s.format(n=rng.choice([3, 5, 10, 20, 30, 50, 64, 90, 100, 128, 180, 200, 500]),
                    m=rng.choice([128, 150, 256, 512, 1024]), k=rng.randint(2, 9), y=rng.choice([2021, 2022, 2023]))


class Layout:
    """Places lines and rules on A4 pages; pages are lists of ops drawn later."""

    def __init__(self, widths: Callable[[str, float], float]):
        self.width = widths
        self.pages: list[list[tuple]] = []
        self.table_pages: set[int] = set()
        self.y = 0.0
        self.no_tables = False
        self.new_page()

    @property
    def page_no(self) -> int:
        return len(self.pages)

    def new_page(self) -> None:
        self.pages.append([])
        self.y = Y_TOP

    def room(self) -> float:
        return self.y - Y_BOTTOM

    def need(self, h: float) -> None:
        if self.room() < h and self.pages[-1]:
            self.new_page()

    def wrap(self, text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
        lines, cur, w, limit = [], "", 0.0, width - indent
        for ch in text:
            cw = self.width(ch, size)
            if cur and w + cw > limit and ch not in NO_LINE_START:
                lines.append(cur)
                cur, w, limit = "", 0.0, width
            cur += ch
            w += cw
        if cur:
            lines.append(cur)
        return lines

    STYLES = {  # kind: (size, leading, first-line indent, space before, space after, keep with next)
        "h1": (16, 24, 0, 4, 14, 0), "h2": (12.5, 20, 0, 8, 4, 2), "h3": (11, 18, 0, 4, 2, 2),
        "h4": (10.5, 17.5, 0, 0, 2, 1), "p": (10.5, 17.5, 21, 0, 2, 0), "pl": (10.5, 17.5, 0, 0, 2, 0)}

    def height(self, item: tuple) -> float:
        kind = item[0]
        if kind == "table":
            return sum(self._row_h(r, item[3]) for r in [item[1], *item[2]])
        size, leading, indent, before, after, keep = self.STYLES[kind]
        return before + len(self.wrap(item[1], BODY_W, size, indent)) * leading + after + keep * 17.5

    def add(self, item: tuple) -> None:
        kind = item[0]
        if kind == "table":
            self.table(*item[1:])
            return
        if kind == "h1" and self.pages[-1]:
            self.new_page()
        size, leading, indent, before, after, keep = self.STYLES[kind]
        lines = self.wrap(item[1], BODY_W, size, indent)
        self.need(before + leading * (1 + keep))
        if self.y < Y_TOP:
            self.y -= before
        for i, line in enumerate(lines):
            self.need(leading)
            if kind == "h1":
                x = X0 + (BODY_W - sum(self.width(c, size) for c in line)) / 2
            else:
                x = X0 + (indent if i == 0 else 0)
            self.pages[-1].append(("t", x, self.y - size, size, line))
            self.y -= leading
        self.y -= after

    def _row_h(self, cells: list[str], widths: list[float]) -> float:
        return max(len(self.wrap(c, w - 6, 9)) for c, w in zip(cells, widths, strict=True)) * 13.5 + 6

    def _row(self, cells: list[str], widths: list[float], h: float) -> None:
        ops, top, x = self.pages[-1], self.y, X0
        ops.append(("l", X0, top, X1, top))
        ops.append(("l", X0, top - h, X1, top - h))
        for cell, w in zip(cells, widths, strict=True):
            ops.append(("l", x, top, x, top - h))
            for k, line in enumerate(self.wrap(cell, w - 6, 9)):
                ops.append(("t", x + 3, top - 3 - 9 - k * 13.5 + 1.5, 9, line))
            x += w
        ops.append(("l", X1, top, X1, top - h))
        self.table_pages.add(self.page_no)
        self.y -= h

    def table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        self.y -= 4
        hh = self._row_h(header, widths)
        self.need(hh + self._row_h(rows[0], widths))
        self._row(header, widths, hh)
        for r in rows:
            rh = self._row_h(r, widths)
            if self.room() < rh:
                self.new_page()
                self._row(header, widths, hh)  # header repeated on every page, as tenders do
            self._row(r, widths, rh)
        self.y -= 8


class Tender:
    """Deterministic story of one long tender; seeds and page counts fix every byte."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.no = f"JZS-GA-2024-{seed:04d}"
        self.name = "江洲市公安局社会治安防控大数据平台建设项目"
        self.buyer = "江洲市公安局"
        self.targeting = 0
        self.tables = 0

    def head(self) -> Iterator[tuple]:
        r = self.rng
        yield ("h1", "第一章 招标公告")
        yield ("p", f"项目概况：{self.name}的潜在投标人应在江洲市政府采购网获取招标文件，"
                    "并于2024年04月15日09时30分（北京时间）前递交投标文件。")
        yield ("h2", "一、项目基本情况")
        for t in [f"项目编号：{self.no}", f"项目名称：{self.name}", "采购方式：公开招标",
                  "预算金额：人民币肆仟叁佰万元整（¥43,000,000.00）", f"采购人：{self.buyer}",
                  "采购代理机构：江洲正衡招标代理有限公司",
                  "合同履行期限：自合同签订之日起365日内完成建设并通过初验，质保期三年。"]:
            yield ("pl", t)
        yield ("h2", "二、申请人的资格要求")
        for i, t in enumerate(BIDDER[:3], 1):
            yield ("p", f"{i}.{_fill(r, t)}")
        yield ("h2", "三、提交投标文件截止时间、开标时间和地点")
        yield ("p", "提交投标文件截止时间及开标时间：2024年04月15日09时30分（北京时间）。"
                    "地点：江洲市公共资源交易中心三楼第二开标室。")
        yield ("h1", "第二章 投标人须知")
        for s, title in enumerate(["总则", "招标文件", "投标文件的编制", "开标与评标", "质疑与投诉"], 1):
            yield ("h2", f"{cn(s)}、{title}")
            for i in range(1, r.randint(3, 6)):
                yield ("p", f"{s}.{i} {_fill(r, r.choice(BIDDER))}")

    def clause(self) -> str:
        r = self.rng
        text = f"{r.choice(SUBJECTS)}{_fill(r, r.choice(FUNCTIONS))}，{_fill(r, r.choice(PERF))}。"
        if r.random() < 0.15:
            parts = r.sample(FUNCTIONS, 3)
            text = (f"{r.choice(SUBJECTS)}以下功能：" +
                    "；".join(f"{CIRCLED[i]}{_fill(r, p)}" for i, p in enumerate(parts)) + "。")
        mark = r.random()
        return ("★" if mark < 0.06 else "▲" if mark < 0.16 else "") + text

    def table(self) -> tuple:
        r = self.rng
        rows = []
        for i in range(1, r.randint(3, 8) + 1):
            name, specs = r.choice(ITEMS)
            spec = "；".join(f"{CIRCLED[k]}{_fill(r, s)}" for k, s in enumerate(specs))
            rows.append([str(i), name, spec + "。", str(r.randint(1, 40)), r.choice(["台", "套", "块", "项"])])
        self.tables += 1
        return ("table", ["序号", "参数名称", "技术要求", "数量", "单位"], rows, [28, 80, 265.5, 40, 40])

    def requirements(self, layout: Layout, first_chapter: int) -> Iterator[tuple]:
        """Chapter 3 (and continuations), endless; targeting clauses every 6-14 pages."""
        r = self.rng
        chapter, next_target = first_chapter, 3
        yield ("h1", f"第{cn(chapter)}章 采购需求")
        yield ("p", "说明：" + LEGEND)
        s = 0
        while True:
            s += 1
            if s > 99:
                chapter, s = chapter + 1, 1
                yield ("h1", f"第{cn(chapter)}章 采购需求（续）")
            yield ("h2", f"{cn(s)}、{r.choice(SUBSYSTEMS)}子系统")
            for sub in range(1, r.randint(3, 6) + 1):
                yield ("h3", f"（{cn(sub)}）{r.choice(MODULES)}")
                for m in range(1, r.randint(2, 4) + 1):
                    yield ("h4", f"{m}. {r.choice(MODULES)}功能")
                    c = 0
                    for c in range(1, r.randint(2, 5) + 1):
                        yield ("p", f"{m}.{c} {self.clause()}")
                        if r.random() < 0.2:
                            for k in range(1, r.randint(1, 3) + 1):
                                yield ("p", f"（{k}）{r.choice(SUBCLAUSES)}。")
                    if r.random() < 0.05:
                        c += 1
                        yield ("p", f"{m}.{c} {r.choice(BAIT)}")
                    if layout.page_no >= next_target:
                        c += 1
                        self.targeting += 1
                        next_target = layout.page_no + r.randint(6, 14)
                        yield ("p", f"{m}.{c} {TARGETING[self.targeting % len(TARGETING)]}")
                if r.random() < 0.15 and not layout.no_tables:
                    yield ("pl", f"表{self.tables + 1} 主要设备技术参数")
                    yield self.table()

    def tail(self, first_chapter: int) -> Iterator[tuple]:
        r = random.Random(self.no)  # its own generator: laid out twice (to count its pages), same text
        yield ("h1", f"第{cn(first_chapter)}章 评标方法和评分标准")
        for i in range(1, 9):
            yield ("p", f"{i}.{_fill(r, r.choice(BIDDER))}")
        yield ("h1", f"第{cn(first_chapter + 1)}章 合同主要条款")
        for i, t in enumerate(["合同标的：按招标文件第三章采购需求执行。", "合同金额：以中标金额为准。",
                               "付款方式：初验合格后支付合同金额的60%，终验合格后支付35%，质保期满支付5%。",
                               "质量保证：质保期自终验合格之日起计算，不少于三年。",
                               "知识产权：供应商应保证所提供的软件不侵犯第三方的知识产权。",
                               "保密：供应商对在项目实施中知悉的数据负有保密义务，不得留存、复制或向第三方提供。",
                               "违约责任：供应商逾期交付的，每日按合同金额的千分之五支付违约金。",
                               "争议解决：合同履行中发生争议的，双方协商解决；协商不成的，向采购人所在地人民法院起诉。"],
                              1):
            yield ("p", f"第{cn(i)}条 {t}")
        yield ("h1", f"第{cn(first_chapter + 2)}章 投标文件格式")
        for i, t in enumerate(["投标函", "开标一览表", "分项报价表", "技术偏离表", "商务偏离表",
                               "法定代表人授权书"], 1):
            yield ("h2", f"{cn(i)}、{t}")
            yield ("pl", f"致：{self.buyer}")
            yield ("p", f"我方已仔细研究{self.name}（项目编号：{self.no}）招标文件的全部内容，"
                        "愿意以投标报价承担本项目的全部工作，并保证遵守招标文件的各项规定。")
            yield ("pl", "投标人（盖章）：______________　　日期：____年____月____日")


def _char_width() -> tuple[Callable[[str, float], float], dict]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))
    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    cache: dict[str, float] = {}

    def width(ch: str, size: float) -> float:
        w = cache.get(ch)
        if w is None:
            w = cache[ch] = pdfmetrics.stringWidth(ch, FONT, 1000) / 1000
        return w * size

    return width, cmap


def build_long_pdf(path: Path, pages: int, seed: int) -> dict:
    """A tender of exactly ``pages`` pages; returns what it contains."""
    from reportlab import rl_config
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    t0 = time.perf_counter()
    width, cmap = _char_width()
    tender = Tender(seed)
    scratch = Layout(width)
    for item in tender.tail(9):
        scratch.add(item)
    tail_pages = scratch.page_no
    layout = Layout(width)
    for item in tender.head():
        layout.add(item)
    limit = pages - tail_pages
    if layout.page_no + 3 > limit:
        die(f"{pages} pages is too few for a generated tender (at least {layout.page_no + 3 + tail_pages})")
    chapter = 3
    for item in tender.requirements(layout, chapter):
        layout.no_tables = layout.page_no >= limit - 2
        if item[0] == "h1":
            chapter += 1
        if layout.page_no >= limit and (item[0] == "h1" or layout.height(item) > layout.room()):
            break
        layout.add(item)
    for item in tender.tail(chapter + 1):
        layout.add(item)
    assert layout.page_no == pages, (layout.page_no, pages)

    header_left, header_right = tender.name, f"招标文件　项目编号：{tender.no}"
    chars = {ch for page in layout.pages for op in page if op[0] == "t" for ch in op[4]}
    chars |= set(header_left + header_right + "第页共0123456789 ")
    missing = sorted(ch for ch in chars if ch.strip() and ord(ch) not in cmap)
    if missing:
        die(f"font {FONT_PATH.name} lacks glyphs for {missing!r}")
    tmp = path.with_suffix(".tmp")
    c = canvas.Canvas(str(tmp), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(f"{tender.name}招标文件")
    c.setAuthor("bench/bench_pipeline.py (invented document)")
    c.setCreator("bench/bench_pipeline.py")
    for n, ops in enumerate(layout.pages, 1):
        c.setLineWidth(0.6)
        c.setFont(FONT, 9)
        c.drawString(X0, PAGE_H - 15 * MM, header_left)
        c.drawRightString(X1, PAGE_H - 15 * MM, header_right)
        c.line(X0, PAGE_H - 17 * MM, X1, PAGE_H - 17 * MM)
        c.drawCentredString(PAGE_W / 2, 12 * MM, f"第 {n} 页 共 {pages} 页")
        size = 9.0
        for op in ops:
            if op[0] == "t":
                if op[3] != size:
                    size = op[3]
                    c.setFont(FONT, size)
                c.drawString(op[1], op[2], op[4])
            else:
                c.line(op[1], op[2], op[3], op[4])
        c.showPage()
    c.save()
    tmp.replace(path)
    return {"pages": pages, "pages_with_tables": len(layout.table_pages), "tables": tender.tables,
            "targeting_clauses": tender.targeting, "bytes": path.stat().st_size,
            "generated_s": round(time.perf_counter() - t0, 2)}


def _cache_key(*parts) -> str:
    import reportlab

    font = FONT_PATH.stat().st_size
    return hashlib.sha256(json.dumps([GEN_VERSION, reportlab.Version, font, *parts]).encode()).hexdigest()[:10]


def long_pdf(pages: int, seed: int = 2024) -> tuple[Path, dict]:
    key = _cache_key("long", pages, seed)
    path = CACHE / f"tender-{pages}p-{key}.pdf"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text())
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"generating a {pages}-page tender PDF -> {path.relative_to(ROOT)}")
    meta = build_long_pdf(path, pages, seed)
    meta_path.write_text(json.dumps(meta))
    log(f"  {meta['pages']} pages, {meta['bytes'] / 1e6:.1f} MB in {meta['generated_s']} s")
    return path, meta


# ==============================================================================================
# Throughput corpus: the text samples (no scanned PDF), each copy's bytes varied so sha256s differ.
# ==============================================================================================

CORPUS_SOURCES = ["songjiang_style_tender.pdf", "benign_canteen_tender.pdf", "tech_requirements.docx",
                  "notice_gbk.html", "award_notice.html", "english_excerpt.txt", "petition_notice_gb18030.txt",
                  "bundle.zip"]
ENCODINGS = {"notice_gbk.html": "gbk", "award_notice.html": "utf-8", "english_excerpt.txt": "utf-8",
             "petition_notice_gb18030.txt": "gb18030"}


def _vary_docx(data: bytes, tag: str) -> bytes:
    """Add one paragraph to word/document.xml; keep each member's ZipInfo (fixed dates: deterministic)."""
    import io

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                xml = body.decode("utf-8")
                para = f"<w:p><w:r><w:t>附注：批次编号 {tag}</w:t></w:r></w:p>"
                i = xml.rfind("<w:sectPr")
                xml = xml[:i] + para + xml[i:] if i >= 0 else xml.replace("</w:body>", para + "</w:body>")
                body = xml.encode("utf-8")
            dst.writestr(info, body)
    return out.getvalue()


def _vary_zip(data: bytes, tag: str) -> bytes:
    import io

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith(".docx"):
                body = _vary_docx(body, tag)
            elif info.filename.endswith(".txt"):
                body += f"\r\n批次编号 {tag}\r\n".encode("utf-16-le")
            dst.writestr(info, body)
    return out.getvalue()


def vary(name: str, data: bytes, i: int) -> bytes:
    tag = f"BENCH-{i:05d}"
    suffix = Path(name).suffix
    if suffix == ".pdf":  # bytes after %%EOF: every reader ignores them, the sha256 changes
        return data + f"%{tag}\n".encode()
    if suffix == ".docx":
        return _vary_docx(data, tag)
    if suffix == ".zip":
        return _vary_zip(data, tag)
    line = f"批次编号 {tag}"
    if suffix == ".html":
        return data.replace(b"</body>", f"<p>{line}</p>\n</body>".encode(ENCODINGS[name]), 1)
    return data + f"\n{line}\n".encode(ENCODINGS[name])


def corpus(n: int) -> tuple[Path, dict]:
    """N files cycling through the text samples; cached, with a hidden manifest (analyzer skips dotfiles)."""
    blobs = {name: (SAMPLES / name).read_bytes() for name in CORPUS_SOURCES}
    key = _cache_key("corpus", n, {k: hashlib.sha256(v).hexdigest() for k, v in blobs.items()})
    folder = CACHE / f"corpus-{n}-{key}"
    manifest = folder / ".manifest.json"
    if manifest.exists():
        return folder, json.loads(manifest.read_text())
    log(f"building a {n}-file corpus -> {folder.relative_to(ROOT)}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    counts: dict[str, int] = {}
    for i in range(n):
        name = CORPUS_SOURCES[i % len(CORPUS_SOURCES)]
        (folder / f"{i:05d}_{name}").write_bytes(vary(name, blobs[name], i))
        counts[name] = counts.get(name, 0) + 1
    pdf_pages = sum(counts.get(nm, 0) * _pdf_pages(SAMPLES / nm) for nm in CORPUS_SOURCES if nm.endswith(".pdf"))
    meta = {"files": n, "by_source": counts, "pdf_text_pages": pdf_pages,
            "bytes": sum(p.stat().st_size for p in folder.iterdir())}
    manifest.write_text(json.dumps(meta))
    return folder, meta


def _pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


# ==============================================================================================
# Running and measuring
# ==============================================================================================


class Runner:
    def __init__(self, tools: dict[str, str], work: Path, method: str = "rules"):
        self.tools, self.work, self.method = tools, work, method
        self.n = 0

    def run(self, argv: list[str], *, env: dict | None = None) -> dict:
        """Wall time (process start included) and the tree's peak RSS (GNU time) of one command."""
        self.n += 1
        rss_file = self.work / f"rss-{self.n}.txt"
        cmd = [self.tools["time"], "-f", "%M", "-o", str(rss_file), *argv] if self.tools["time"] else argv
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU seconds of the whole (reaped) tree: unlike wall time, hardly moved by other load on the machine.
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        res: dict = {"wall_s": wall, "cpu_s": cpu, "rc": p.returncode}
        if p.returncode != 0:
            res["stderr"] = p.stderr.decode("utf-8", "replace")[-2000:]
        if rss_file.exists():
            lines = [ln for ln in rss_file.read_text().splitlines() if ln.strip().isdigit()]
            if lines:
                res["tree_peak_rss_mb"] = int(lines[-1]) / 1024
        return res

    def fresh_db(self, tag: str) -> Path:
        self.n += 1
        db = self.work / f"{tag}-{self.n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return db

    def analyzer(self, paths: list[Path], db: Path, workers: int, *, shim: bool = False,
                 extra: tuple[str, ...] = ()) -> dict:
        # The method is always named: analyze's default is `auto` (rules + model) wherever the model is built.
        args = ["analyze", *map(str, paths), "--db", str(db), "--quiet", "--workers", str(workers),
                "--method", self.method, *extra]
        if not shim:
            return {**self.run([self.tools["analyzer"], *args]), "db": str(db)}
        note = db.with_suffix(".rusage.json")
        env = dict(os.environ, BENCH_RUSAGE=str(note))
        res = {**self.run([sys.executable, "-c", RUSAGE_SHIM, *args], env=env), "db": str(db)}
        if note.exists():
            ru = json.loads(note.read_text())
            res["parent_peak_rss_mb"] = ru["self_kb"] / 1024
            res["max_child_peak_rss_mb"] = ru["children_kb"] / 1024
        return res


def db_counts(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": q("select count(*) from documents where format is null or format != 'zip'"),
            "pages": q("select count(*) from pages"),
            "pdf_text_pages": q("select count(*) from pages p join documents d on d.id = p.document_id "
                                "where d.format = 'pdf' and p.method = 'text'"),
            "non_ocr_pages": q("select count(*) from pages where method != 'ocr'"),
            "ocr_pages": q("select count(*) from pages where method = 'ocr'"),
            "clauses": q("select count(*) from clauses"),
            "findings": q("select count(*) from findings"),
            "flagged_clauses": q("select count(distinct clause_id) from findings where kind = 'group'"),
            "not_ok": q("select count(*) from documents where status not in ('ok', 'partial')"),
        }
    finally:
        con.close()


def summarize(runs: list[dict]) -> dict:
    """The run with the median wall time, with median wall and CPU seconds and every run's wall time."""
    walls = [r["wall_s"] for r in runs]
    out = dict(runs[walls.index(sorted(walls)[len(walls) // 2])])
    out.update(wall_s=statistics.median(walls), cpu_s=statistics.median(r["cpu_s"] for r in runs),
               runs_s=[round(w, 3) for w in walls])
    return out


def median_runs(fn: Callable[[], dict], repeats: int) -> dict:
    return summarize([fn() for _ in range(repeats)])


def warm(*paths: Path) -> None:
    """Read inputs once so every tool sees the same (warm) page cache."""
    for p in paths:
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
        for f in files:
            with open(f, "rb") as fh:
                while fh.read(1 << 20):
                    pass


def machine(tools: dict[str, str]) -> dict:
    import pdfplumber
    import pypdfium2.version as pv

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        m = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        mem = round(int(m.group(1)) / 1024 ** 2, 1) if m else None
    except OSError:
        pass
    poppler = subprocess.run([tools["pdftotext"], "-v"], capture_output=True, text=True)
    tess = subprocess.run([tools["tesseract"], "--version"], capture_output=True, text=True) \
        if tools["tesseract"] else None
    try:
        import pdfminer

        pdfminer_v = pdfminer.__version__
    except (ImportError, AttributeError):
        pdfminer_v = None
    import reportlab

    import analyzer

    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "usable_cores": affinity, "ram_gb": mem,
        "os": platform.platform(), "python": platform.python_version(),
        "pypdfium2": str(pv.PYPDFIUM_INFO), "pdfium": str(pv.PDFIUM_INFO), "pdfplumber": pdfplumber.__version__,
        "pdfminer.six": pdfminer_v,
        "poppler": ((poppler.stderr or poppler.stdout).splitlines() or ["?"])[0].replace("pdftotext version ", ""),
        "tesseract": (tess.stdout or tess.stderr).splitlines()[0] if tess else None,
        "reportlab": reportlab.Version, "analyzer": analyzer.__version__,
    }


# ==============================================================================================
# The benchmark
# ==============================================================================================


def bench(args: argparse.Namespace, tools: dict[str, str], work: Path) -> dict:
    r = Runner(tools, work, args.method)
    out: dict = {"inputs": {}, "results": {}}
    small_pages, big_pages = (50, 200) if args.quick else (200, 1000)
    small, small_meta = long_pdf(small_pages)
    big, big_meta = long_pdf(big_pages)
    folder, corpus_meta = corpus(args.corpus_size)
    out["inputs"] = {"small_pdf": {"path": str(small.relative_to(ROOT)), **small_meta},
                     "big_pdf": {"path": str(big.relative_to(ROOT)), **big_meta},
                     "corpus": {"path": str(folder.relative_to(ROOT)), **corpus_meta}}
    warm(small, big, folder, SCANNED)
    res = out["results"]

    # 1. The small PDF: every tool, interleaved round by round, median of the repeats.
    log(f"{small_pages}-page PDF: pdftotext, pypdfium2, pdfplumber, analyzer x{args.repeats}")
    txt = work / "out.txt"
    tools_small: dict[str, Callable[[], dict]] = {
        "pdftotext": lambda: r.run([tools["pdftotext"], str(small), str(txt)]),
        "pypdfium2": lambda: r.run([sys.executable, "-c", PYPDFIUM_SNIPPET, str(small), str(txt)]),
        "pdfplumber": lambda: r.run([sys.executable, "-c", PDFPLUMBER_SNIPPET, str(small), str(txt)]),
        "analyzer": lambda: r.analyzer([small], r.fresh_db("small"), 1),
    }
    runs: dict[str, list[dict]] = {k: [] for k in tools_small}
    for _ in range(args.repeats):
        for name, fn in tools_small.items():
            runs[name].append(fn())
    last_db = Path(runs["analyzer"][-1]["db"])
    small_res = {name: {**summarize(rs), "pages": small_pages} for name, rs in runs.items()}
    base = small_res["pdftotext"]
    for v in small_res.values():
        v["pages_per_s"] = small_pages / v["wall_s"]
        v["ratio_to_pdftotext"] = v["wall_s"] / base["wall_s"]
        v["cpu_ratio_to_pdftotext"] = v["cpu_s"] / max(base["cpu_s"], 1e-3)
    if last_db.exists():
        counts = db_counts(last_db)
        small_res["analyzer"].update(counts)
        small_res["analyzer"]["clauses_per_s"] = counts["clauses"] / small_res["analyzer"]["wall_s"]
    res["small_pdf"] = small_res

    # 2. The big PDF: peak RSS and wall time, one run each.
    log(f"{big_pages}-page PDF: pdftotext, analyzer --workers 1")
    big_res = {"pdftotext": r.run([tools["pdftotext"], str(big), str(txt)])}
    db = r.fresh_db("big")
    big_res["analyzer"] = r.analyzer([big], db, 1, shim=True)
    if db.exists():
        big_res["analyzer"].update(db_counts(db))
        big_res["analyzer"]["clauses_per_s"] = big_res["analyzer"]["clauses"] / big_res["analyzer"]["wall_s"]
    for v in big_res.values():
        v["pages"] = big_pages
        v["pages_per_s"] = big_pages / v["wall_s"]
        v["ratio_to_pdftotext"] = v["wall_s"] / big_res["pdftotext"]["wall_s"]
        v["cpu_ratio_to_pdftotext"] = v["cpu_s"] / max(big_res["pdftotext"]["cpu_s"], 1e-3)
    res["big_pdf"] = big_res

    # 3. Corpus throughput, then the unchanged re-run into the same database.
    log(f"corpus of {args.corpus_size} files: analyzer --workers 2, then the re-run")
    db = r.fresh_db("corpus")
    first = r.analyzer([folder], db, 2, shim=True)
    counts = db_counts(db) if db.exists() else {}
    first.update(counts)
    w = first["wall_s"]
    first.update(files=args.corpus_size, files_per_s=args.corpus_size / w,
                 pdf_text_pages_per_s=counts.get("pdf_text_pages", 0) / w,
                 non_ocr_pages_per_s=counts.get("non_ocr_pages", 0) / w, clauses_per_s=counts.get("clauses", 0) / w)
    second = r.analyzer([folder], db, 2, shim=True)
    after = db_counts(db) if db.exists() else {}
    second.update(ratio_to_first=second["wall_s"] / w, db_unchanged=after == counts)
    res["corpus"] = {"first": first, "rerun": second}

    # 4. OCR: the scanned sample with OCR on and off; the difference per page is the OCR cost.
    scan_pages = _pdf_pages(SCANNED)
    if tools["tesseract"]:
        log(f"OCR: {SCANNED.name} ({scan_pages} pages) x{args.repeats}")
        on = median_runs(lambda: r.analyzer([SCANNED], r.fresh_db("ocr"), 1), args.repeats)
        off = median_runs(lambda: r.analyzer([SCANNED], r.fresh_db("noocr"), 1, extra=("--ocr", "off")),
                          args.repeats)
        res["ocr"] = {"file": SCANNED.name, "pages": scan_pages, "with_ocr": on, "ocr_off": off,
                      "end_to_end_s_per_page": on["wall_s"] / scan_pages,
                      "ocr_s_per_page": (on["wall_s"] - off["wall_s"]) / scan_pages}
    else:
        res["ocr"] = {"file": SCANNED.name, "pages": scan_pages, "skipped": "tesseract not installed"}
    out["goals"] = goals(res, args.method)
    return out


def goals(res: dict, method: str) -> list[dict]:
    a, c, b = res["small_pdf"]["analyzer"], res["corpus"], res["big_pdf"]["analyzer"]
    ratio = a["ratio_to_pdftotext"]
    pages_s = c["first"]["pdf_text_pages_per_s"]
    rerun = c["rerun"]["ratio_to_first"]
    cpu_pages_s = c["first"].get("pdf_text_pages", 0) / max(c["first"]["cpu_s"] / 2, 1e-3)
    parts = [b.get("parent_peak_rss_mb"), b.get("max_child_peak_rss_mb")]
    rss_sum = sum(parts) if None not in parts else None  # both alive at once: an upper bound on the tree
    rss = rss_sum if rss_sum is not None else b.get("tree_peak_rss_mb")
    pages = res["small_pdf"]["pdftotext"]["pages"]
    return [
        {"goal": f"{pages}-page PDF, fresh DB, {method}: analyzer ≤ {GOAL_RATIO_PDFTOTEXT:g}× pdftotext",
         "measured": f"{ratio:.1f}× wall ({a['cpu_ratio_to_pdftotext']:.1f}× in CPU seconds)",
         "met": ratio <= GOAL_RATIO_PDFTOTEXT},
        {"goal": f"corpus, 2 workers: ≥ {GOAL_CORPUS_PAGES_S:g} text pages/s",
         "measured": f"{pages_s:.0f} PDF text pages/s ({c['first']['non_ocr_pages_per_s']:.0f} counting each "
                     f"HTML/TXT/DOCX as a page; ≈ {cpu_pages_s:.0f} PDF pages/s from CPU seconds, were 2 cores "
                     "free)", "met": pages_s >= GOAL_CORPUS_PAGES_S},
        {"goal": f"unchanged re-run < {GOAL_RERUN_RATIO:.0%} of the first",
         "measured": f"{rerun:.1%}", "met": rerun < GOAL_RERUN_RATIO},
        {"goal": f"{b['pages']}-page PDF: peak RSS < {GOAL_PEAK_RSS_MB:g} MB",
         "measured": f"{rss:.0f} MB (parent + largest worker)" if rss_sum is not None else
                     (f"{rss:.0f} MB" if rss is not None else "not measured"),
         "met": rss is not None and rss < GOAL_PEAK_RSS_MB},
    ]


# ==============================================================================================
# Output
# ==============================================================================================


def _mb(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f} MB"


def markdown(out: dict, repeats: int) -> str:
    res = out["results"]
    s, b, c, o = res["small_pdf"], res["big_pdf"], res["corpus"], res["ocr"]
    n_small, n_big = s["pdftotext"]["pages"], b["pdftotext"]["pages"]
    rows = []

    def row(inp: str, cmd: str, v: dict | None, pages_s: str, ratio: str, note: str) -> None:
        wall = f"{v['wall_s']:.2f}" if v else ""
        cpu = f"{v['cpu_s']:.2f}" if v else ""
        if v and v.get("rc"):
            note += f"; exit code {v['rc']}"
        rows.append((inp, cmd, wall, cpu, pages_s, ratio, note))

    def ratios(v: dict) -> str:
        return f"{v['ratio_to_pdftotext']:.1f}× ({v['cpu_ratio_to_pdftotext']:.1f}×)"

    labels = {"pdftotext": "pdftotext FILE out.txt", "pypdfium2": "pypdfium2 get_text_range (reference)",
              "pdfplumber": "pdfplumber extract_text, all pages",
              "analyzer": f"analyzer analyze --workers 1 --method {out['args']['method']}"}
    for k, label in labels.items():
        v = s[k]
        note = f"runs {', '.join(f'{x:.2f}' for x in v['runs_s'])}; peak RSS {_mb(v.get('tree_peak_rss_mb'))}"
        if k == "analyzer" and "clauses" in v:
            note = (f"{v['clauses']} clauses ({v['clauses_per_s']:.0f}/s), {v['flagged_clauses']} flagged; "
                    + note)
        row(f"{n_small}-page PDF", label, v, f"{v['pages_per_s']:.0f}", ratios(v), note)
    v = b["pdftotext"]
    row(f"{n_big}-page PDF", labels["pdftotext"], v, f"{v['pages_per_s']:.0f}", ratios(v),
        f"peak RSS {_mb(v.get('tree_peak_rss_mb'))}")
    v = b["analyzer"]
    row(f"{n_big}-page PDF", labels["analyzer"], v, f"{v['pages_per_s']:.0f}", ratios(v),
        f"{v.get('clauses', '?')} clauses ({v.get('clauses_per_s', 0):.0f}/s); peak RSS parent "
        f"{_mb(v.get('parent_peak_rss_mb'))}, worker {_mb(v.get('max_child_peak_rss_mb'))}, "
        f"tree max {_mb(v.get('tree_peak_rss_mb'))}")
    f1, f2 = c["first"], c["rerun"]
    row(f"corpus, {f1['files']} files", "analyzer analyze DIR --workers 2 (fresh DB)", f1,
        f"{f1['pdf_text_pages_per_s']:.0f}", "",
        f"{f1['files_per_s']:.1f} files/s; {f1.get('pdf_text_pages', 0)} PDF text pages, "
        f"{f1.get('non_ocr_pages', 0)} pages in all ({f1['non_ocr_pages_per_s']:.0f}/s); "
        f"{f1.get('clauses', 0)} clauses ({f1['clauses_per_s']:.0f}/s); peak RSS parent "
        f"{_mb(f1.get('parent_peak_rss_mb'))}, largest worker {_mb(f1.get('max_child_peak_rss_mb'))}")
    row(f"corpus, {f1['files']} files", "same, unchanged, same DB (re-run)", f2, "", "",
        f"{f2['ratio_to_first']:.1%} of the first run; database unchanged: {f2['db_unchanged']}")
    if "skipped" in o:
        row(o["file"], "analyzer analyze (OCR)", None, "", "", o["skipped"])
    else:
        row(f"{o['file']} ({o['pages']} scanned pages)", "analyzer analyze --workers 1, OCR auto", o["with_ocr"],
            f"{o['pages'] / o['with_ocr']['wall_s']:.2f}", "",
            f"OCR {o['ocr_s_per_page']:.2f} s/page ({o['end_to_end_s_per_page']:.2f} s/page end to end; "
            f"--ocr off {o['ocr_off']['wall_s']:.2f} s)")
    head = ("input", "command", f"wall s (median of {repeats})", "CPU s", "pages/s",
            "× pdftotext wall (CPU)", "notes")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", "| goal | measured | met |", "|---|---|---|"]
    lines += [f"| {g['goal']} | {g['measured']} | {'yes' if g['met'] else '**no**'} |" for g in out["goals"]]
    m = out["machine"]
    lines += ["", f"Machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {m['ram_gb']} GB RAM; "
                  f"{m['os']}; Python {m['python']}; pypdfium2 {m['pypdfium2']} (pdfium {m['pdfium']}); "
                  f"pdfplumber {m['pdfplumber']} (pdfminer.six {m['pdfminer.six']}); poppler {m['poppler']}; "
                  f"{m['tesseract'] or 'no tesseract'}; analyzer {m['analyzer']}. Load average (1 min) "
                  f"{out['load_before']} before, {out['load_after']} after: wall times rise with other load, "
                  "CPU seconds (whole process tree) much less."]
    return "\n".join(lines)


def _round(x):
    if isinstance(x, float):
        return round(x, 4)
    if isinstance(x, dict):
        return {k: _round(v) for k, v in x.items() if k != "db"}  # scratch paths mean nothing later
    if isinstance(x, list):
        return [_round(v) for v in x]
    return x


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 50/200-page PDFs, 60 files, 1 repeat")
    ap.add_argument("--corpus-size", type=int, default=None, help="files in the throughput corpus (300; 60 quick)")
    ap.add_argument("--repeats", type=int, default=None, help="runs per tool on the small PDF (3; 1 quick)")
    ap.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/pipeline-<date>.json)")
    ap.add_argument("--method", choices=["rules", "model", "auto"], default="rules",
                    help="analyzer's classifier (default rules: the path the goals are set for)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases (path printed)")
    args = ap.parse_args(argv)
    args.corpus_size = args.corpus_size or (60 if args.quick else 300)
    args.repeats = args.repeats or (1 if args.quick else 3)
    if args.corpus_size < 1 or args.repeats < 1:
        die("--corpus-size and --repeats must be at least 1")
    tools = check_prerequisites()
    if not tools["time"]:
        log("GNU time not found at /usr/bin/time: tree peak RSS not measured (parent/worker split still is)")
    started = _dt.datetime.now()
    load_before = round(os.getloadavg()[0], 2)
    work = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    try:
        out = bench(args, tools, work)
    finally:
        if args.keep:
            log(f"scratch kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    out = {"benchmark": "pipeline", "date": started.isoformat(timespec="seconds"),
           "args": {"quick": args.quick, "corpus_size": args.corpus_size, "repeats": args.repeats,
                    "method": args.method},
           "machine": machine(tools), "load_before": load_before, "load_after": round(os.getloadavg()[0], 2),
           **out,
           "elapsed_s": (_dt.datetime.now() - started).total_seconds()}
    out = _round(out)
    print(markdown(out, args.repeats))
    blob = json.dumps(out, ensure_ascii=False, indent=2)
    print("\n```json\n" + blob + "\n```")
    path = args.out or RESULTS / f"pipeline-{started:%Y-%m-%d}{'-quick' if args.quick else ''}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(blob + "\n", encoding="utf-8")
    log(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
