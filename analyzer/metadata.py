"""Document-level metadata: the fields that link a tender, its notices and its award into one procurement.

Primer 4.4 links notices on the 项目编号, and failing that on the project name (notice-type
suffix stripped), the buyer, the dates and the amounts; primer 1.8 lists the label variants.
Everything here is pure text processing: no I/O, standard library only, so it can run on the
text of any ingested format and be tested on hand-written notices.

How it reads a document. The text is NFKC-folded first (full-width digits, colons and brackets
become ASCII) while keeping a map back to the raw text, because only the project number is
returned exactly as found. Then every line yields *label/value pairs* in four shapes:

* ``label：value`` (several per line, or nested as in ``采购人 | 名称：X 地址：Y``);
* table cells, ``label | value | label | value`` or tab-separated;
* a header row of labels with the values in the next row (award tables);
* a label alone on a line with its value on the next line (tables flattened by PDF extraction).

A label only counts when it *is* the whole key in front of the separator, so sentences such as
"采购人有权…" never become a buyer. Each field takes the first pair, in document order and by
label tier, whose value passes that field's check (an organisation name, a parseable amount or
date, a number with digits in it). Under the 2020 template the buyer and agency sit under
"1.采购人信息 / 名称：…"; a small context tracker maps that bare "名称" to the right field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar

__all__ = [
    "NOTICE_TYPES",
    "TenderMetadata",
    "classify_buyer",
    "document_metadata",
    "extract_metadata",
    "normalize_project_number",
    "parse_amount",
    "parse_chinese_date",
]

#: notice_type values, after the 13 MOF 2020 templates (primer 1.2) plus the tender itself.
NOTICE_TYPES: dict[str, str] = {
    "intention": "采购意向公开: planned purchase, budget and month, posted 30+ days ahead",
    "consultation": "采购需求公示 / 征求意见: requirements published for comment",
    "prequalification": "资格预审公告: bidder pre-qualification",
    "tender": "招标公告 / 招标文件 / 投标邀请: open or invited tender, notice or the document",
    "negotiation": "竞争性谈判公告 / 谈判文件",
    "consultation_competitive": "竞争性磋商公告 / 磋商文件 (MOF 财库〔2014〕214号)",
    "rfq": "询价公告 / 询价文件: request for quotation",
    "single_source": "单一来源采购公示: names the supplier before award",
    "correction": "更正 / 变更 / 澄清公告: amends an earlier notice",
    "award": "中标 / 成交 / 结果公告, 中标候选人公示: winner and price",
    "failed": "废标 / 流标 / 终止公告: no award, usually re-tendered",
    "contract": "合同公告: signed contract, parties and amount",
    "acceptance": "验收结果公告: delivered scope",
    "template": "标准文件 / 示范文本 / 范本: a model text with blanks, no procurement of its own",
}


@dataclass
class TenderMetadata:
    """One document's metadata; every field is optional because notices carry different subsets.

    Names (project, buyer, agency, winner, region) are NFKC-folded and whitespace-tidied so the
    same buyer written with full- or half-width brackets compares equal across notices. Only
    ``project_number`` keeps the raw form, since that is what people search for; the linking
    key is ``project_number_norm``.
    """

    notice_type: str | None = None
    project_number: str | None = None
    project_number_norm: str | None = None
    project_name: str | None = None
    buyer: str | None = None
    buyer_is_police: bool = False
    buyer_type: str | None = None
    agency: str | None = None
    budget_yuan: float | None = None
    # What budget_yuan is, as printed: total | per_year | lots_summed | unit_price (see BUDGET_BASES)
    budget_basis: str | None = None
    award_yuan: float | None = None
    winner: str | None = None
    winner_credit_code: str | None = None
    region: str | None = None
    dates: dict[str, str] = field(default_factory=dict)
    # The document's own legend for requirement markers: "★" -> "substantive requirement: 为实质性条款…"
    markers: dict[str, str] = field(default_factory=dict)
    # Budget per lot (合同包/采购包/标段), yuan, when the notice gives two or more; budget_yuan is their sum
    # unless the notice states a different total.
    budget_lots: dict[str, float] = field(default_factory=dict)
    award_lots: dict[str, float] = field(default_factory=dict)  # the same for award amounts
    # An award priced as a rate (中标价(%): a discount or fee rate on a schedule) has no amount;
    # the rate is kept as printed.
    award_rate: str | None = None
    # Where each field was read: {field: {"offset", "snippet", "how", "confidence"}} (offset into the
    # text given; document_metadata adds the page). "how" is label | table | definition | prose | title.
    evidence: dict[str, dict] = field(default_factory=dict)
    # Why a field is null although the document has a slot for it ("template placeholder: [采购单位名称]").
    null_reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain dict for JSON export and the store."""
        return asdict(self)


# --------------------------------------------------------------------------- text folding

_CJK = "\u4e00-\u9fff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_FOLD_EXTRA = {"\u2502": "|", "\u2503": "|", "\u3000": " ", "\xa0": " "}


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC per character, with ``offs[i]`` = raw index of folded character ``i`` (plus a sentinel).

    Per-character folding keeps the offset map exact, which lets ``project_number`` be sliced
    from the raw text even though all matching runs on the folded text.
    """
    n = len(text)
    table = {c: _FOLD_EXTRA.get(c) or unicodedata.normalize("NFKC", c) for c in set(text) if c >= "\x80"}
    table = {c: f for c, f in table.items() if f != c}
    if "\r" not in text and all(len(f) == 1 for f in table.values()):
        # Usual case (full-width digits and punctuation fold 1:1): offsets are the identity.
        return text.translate(str.maketrans(table)), list(range(n + 1))
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                continue
            ch = "\n"
        if ch < "\x80":
            out.append(ch)
            offs.append(i)
            continue
        for f in table.get(ch, ch):
            out.append(f)
            offs.append(i)
    offs.append(n)
    return "".join(out), offs


def _nfkc(s: str) -> str:
    return _fold(s)[0]


def _tidy(s: str) -> str:
    """Collapse whitespace and drop it between CJK characters ("上 海 市" on spaced-out covers)."""
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(f"(?<=[{_CJK}]) (?=[{_CJK}])", "", s)


# --------------------------------------------------------------------------- amounts

_CN_DIGITS = {
    "零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "叁": 3, "參": 3, "三": 3,
    "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6, "柒": 7, "七": 7, "捌": 8, "八": 8,
    "玖": 9, "九": 9,
}
_CN_SMALL = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN_AMOUNT = re.compile("[" + "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG) + "元圆角分整正]+")
_UNIT_MULT = {"亿元": 10**8, "亿": 10**8, "万元": 10**4, "万": 10**4, "元": 1, "圆": 1}
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_AFTER_UNIT = re.compile(r"\s*\(?\s*(?:人民币)?\s*(亿元|亿|万元|万|元|圆)")
_NOT_MONEY_AFTER = re.compile(r"\s*(?:[%‰折包号年月日个项次天人台套份家条年期]|标段|\.(?!\d)|、)")
_MASKED = re.compile(r"\*{2,}|\d\*|\*[\d.]|×{2,}")
_UNIT_NOTE = re.compile(r"单位\s*:?\s*(亿元|万元|元)")


def _unit_multiplier(unit: str | None) -> int:
    if not unit:
        return 1
    for name, mult in _UNIT_MULT.items():
        if name in unit:
            return mult
    return 1


def _parse_capital(run: str) -> Decimal | None:
    """Value of a Chinese-numeral amount such as 贰佰玖拾伍万伍仟玖佰元整 (in yuan, before any hint)."""
    total = Decimal(0)
    section = 0
    number = 0
    for ch in run:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (number or 1) * _CN_SMALL[ch]
            number = 0
        elif ch in _CN_BIG:
            section += number
            if _CN_BIG[ch] == 10**8:
                total = (total + section) * 10**8
            else:
                total += section * _CN_BIG[ch]
            section = number = 0
        elif ch in "元圆":
            total += section + number
            section = number = 0
        elif ch == "角":
            total += Decimal(number) / 10
            number = 0
        elif ch == "分":
            total += Decimal(number) / 100
            number = 0
    return total + section + number


def parse_amount(s: str | None, unit_hint: str | None = None) -> float | None:
    """Parse a money amount into yuan, or None when there is no amount or it is masked.

    Arabic figures win over capital numerals because notices usually give both and the
    figures are less error-prone ("人民币叁佰壹拾伍万元整（¥3,150,000.00）"). The unit comes from
    the text after the figure, else ``unit_hint`` (from a header such as 预算金额（万元）),
    else a "单位：万元" note. Aggregators mask digits ("******.61元"): a guess would pollute
    the award ≤ budget check used for linking, so masked values return None.

    >>> parse_amount("226.8万元"), parse_amount("315.00", "万元"), parse_amount("叁佰壹拾伍万元整")
    (2268000.0, 3150000.0, 3150000.0)
    """
    if not s:
        return None
    t = _nfkc(s)
    if _MASKED.search(t):
        return None
    note = _UNIT_NOTE.search(t)
    for m in _NUMBER.finditer(t):
        after = t[m.end():]
        if _NOT_MONEY_AFTER.match(after) or t[: m.start()].rstrip().endswith("第"):
            continue
        try:
            value = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        except InvalidOperation:  # pragma: no cover - the regex only lets digits through
            continue
        unit = _AFTER_UNIT.match(after)
        if unit:
            mult = _UNIT_MULT[unit.group(1)]
        elif unit_hint:
            mult = _unit_multiplier(unit_hint)
        else:
            mult = _UNIT_MULT[note.group(1)] if note else 1
        return float(value * mult)
    for m in _CN_AMOUNT.finditer(t):
        run = m.group(0)
        has_unit = re.search("[元圆角分]", run) or re.search("[万萬亿億]", run)
        if not has_unit or not re.search("[" + "".join(_CN_DIGITS) + "]", run):
            continue
        value = _parse_capital(run)
        if value is None:
            continue
        if not re.search("[元圆万萬亿億角分]", run) and unit_hint:
            value *= _unit_multiplier(unit_hint)
        return float(value)
    return None


# --------------------------------------------------------------------------- dates

_CN_ZERO = "〇零Oo○О0"
_CN_DATE_DIGIT = _CN_ZERO + "一二三四五六七八九"
_ISO_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})(?!\d)\s*(?:日|号)?"
)
_TIME = re.compile(
    r"\s*(?:\(?(?:星期|周)[一二三四五六日天]\)?)?\s*(?:\(?北京时间\)?)?\s*(上午|下午|晚上|中午)?\s*"
    r"(\d{1,2})\s*(?::|时|点)\s*(?:(\d{1,2})(?!\d)\s*分?)?"
)
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_CN_DATE = re.compile(
    f"([{_CN_DATE_DIGIT}]{{4}})\\s*年\\s*([一二三四五六七八九十]{{1,3}}|\\d{{1,2}})\\s*月"
    f"(?:\\s*([一二三四五六七八九十]{{1,3}}|\\d{{1,2}})\\s*[日号])?"
)


def _cn_small_int(s: str) -> int:
    """一..三十一 (and plain digits) as an int; 十 alone is 10, 二十三 is 23."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS.get(s, 0)


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(year: int, month: int, day: int | None = None) -> bool:
    """Plausible procurement date; rejects 2023-02-30 so a typo does not become a wrong deadline."""
    if not (1990 <= year <= 2099 and 1 <= month <= 12):
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else 28 if month == 2 else _MONTH_DAYS[month - 1]
    return day is None or 1 <= day <= days


def _arabic_date(t: str) -> tuple[int, str] | None:
    for m in _ISO_DATE.finditer(t):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not _valid(y, mo, d):
            continue
        out = f"{y:04d}-{mo:02d}-{d:02d}"
        tm = _TIME.match(t, m.end())
        if tm:
            hour, minute = int(tm.group(2)), int(tm.group(3) or 0)
            if tm.group(1) in ("下午", "晚上") and hour < 12:
                hour += 12
            if hour <= 23 and minute <= 59:
                out += f"T{hour:02d}:{minute:02d}"
        return m.start(), out
    for m in _YEAR_MONTH.finditer(t):
        y, mo = int(m.group(1)), int(m.group(2))
        if _valid(y, mo):
            return m.start(), f"{y:04d}-{mo:02d}"
    return None


def _chinese_date(t: str) -> tuple[int, str] | None:
    for m in _CN_DATE.finditer(t):
        year_s = m.group(1)
        if not re.search("[一二三四五六七八九〇零○]", year_s):
            continue  # all-Arabic years belong to _arabic_date
        y = int("".join("0" if c in _CN_ZERO else str(_CN_DIGITS.get(c, c)) for c in year_s))
        mo = _cn_small_int(m.group(2))
        d = _cn_small_int(m.group(3)) if m.group(3) else None
        if not _valid(y, mo, d):
            continue
        return m.start(), f"{y:04d}-{mo:02d}" + (f"-{d:02d}" if d else "")
    return None


def parse_chinese_date(s: str | None) -> str | None:
    """First date in ``s`` as ISO 'YYYY-MM-DD', 'YYYY-MM-DDTHH:MM' or, for a bare month, 'YYYY-MM'.

    Accepts 2023年03月15日 09时30分, 2023-03-15 09:30, 2023/3/15, and Chinese-numeral cover
    dates (二〇二三年二月, 二O二二年七月十日), where a Latin O or a circle often stands in
    for 〇 (primer 1.3).
    """
    if not s:
        return None
    t = _nfkc(s)
    found = [hit for hit in (_arabic_date(t), _chinese_date(t)) if hit]
    return min(found)[1] if found else None


# --------------------------------------------------------------------------- project numbers and names


def normalize_project_number(s: str) -> str:
    """Half-width, upper case, no whitespace: the key that links notices (primer 4.4).

    Agencies write the year bracket as 〔〕, 【】 or [] and dashes in several widths, so those
    are folded too; otherwise the same project files under two keys.
    """
    t = _nfkc(s).upper()
    t = re.sub(r"\s+", "", t)
    return t.translate(str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "—": "-", "–": "-"}))


_NOTICE_SUFFIX = re.compile(
    r"(?:的)?(?:"
    r"公开招标公告|邀请招标公告|招标公告|招标文件|竞争性磋商公告|竞争性磋商文件|磋商公告|磋商文件|"
    r"竞争性谈判公告|竞争性谈判文件|谈判公告|询价公告|询价文件|询价通知书?|单一来源采购公示|单一来源公示|"
    r"单一来源采购文件|资格预审公告|中标\(成交\)结果公告|中标结果公告|成交结果公告|中标公告|成交公告|"
    r"中标候选人公示|中标结果公示|结果公告|更正公告|变更公告|澄清公告|补充公告|废标公告|流标公告|终止公告|"
    r"采购失败公告|合同公告|验收结果公告|验收公告|采购意向公开|采购意向公告|采购意向|采购需求公示|"
    r"征求意见公告|公告|公示"
    r")$"
)


def _strip_notice_suffix(name: str) -> str:
    """Project name without 关于…的 and the notice-type suffix, so a tender and its award match."""
    name = re.sub(r"^关于", "", name.strip())
    for _ in range(3):
        name = re.sub(r"\s*\((?:第?[一二三四五六七八九十\d]+次|二次|重新招标|重招|[^()]{0,4}编号[^()]*)\)$", "", name)
        stripped = _NOTICE_SUFFIX.sub("", name).strip()
        if stripped == name:
            break
        name = stripped
    return name


# --------------------------------------------------------------------------- buyer classification

_DETENTION = ("看守所", "拘留所", "戒毒所", "强制隔离戒毒", "戒毒管理", "监狱", "監獄", "收容教育所", "收容所")
_POLICE = (
    "公安", "派出所", "警察", "警务", "交警", "巡警", "特警", "刑警", "国保", "国内安全保卫", "网安",
    "网络安全保卫", "刑侦", "刑事侦查", "技侦", "技术侦察", "反恐", "禁毒", "出入境管理", "公安检查站",
    "情报中心", "警察学院", "边境管理",
)
_PARTY_SECURITY = ("政法委", "政法委员会", "综治", "綜治", "社会治安综合治理", "维稳", "維穩",
                   "维护稳定", "610办", "防范和处理邪教")
_PARTY_OTHER = ("信访", "信訪", "网信办", "网络安全和信息化委员会", "宣传部", "民族宗教事务", "民宗委",
                "民族和宗教", "统战部")
_JUSTICE = ("司法局", "司法厅", "社区矫正")


def classify_buyer(name: str | None) -> tuple[bool, str | None]:
    """``(buyer_is_police, buyer_type)`` for a buyer name (primer 4.1).

    ``buyer_type`` is public_security, party_governance, detention or other (None for no
    name). ``buyer_is_police`` means the security apparatus: police units, places of detention
    and the party organs that direct them (政法委, 综治, 维稳, 610). Petition, propaganda and
    cyberspace offices are party_governance but not police. 公安县 is a county in Hubei, not a
    police unit, so it is removed before matching.
    """
    if not name or not name.strip():
        return False, None
    n = re.sub(r"\s+", "", _nfkc(name)).replace("公安县", "")
    if any(k in n for k in _DETENTION):
        return True, "detention"
    if any(k in n for k in _POLICE):
        return True, "public_security"
    if any(k in n for k in _PARTY_SECURITY):
        return True, "party_governance"
    if any(k in n for k in _PARTY_OTHER):
        return False, "party_governance"
    if any(k in n for k in _JUSTICE):
        return False, "detention"
    return False, "other"


_REGION_SEG = re.compile(
    r"(?:(?!公安[局厅分处]|公司)[^局所厅部委办队站处院校司会心团\s]){1,10}?"
    r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|省|市|州|盟|区|县|旗)"
)
_NOT_REGION_END = ("社区", "小区", "校区", "景区", "园区", "营区", "库区", "辖区", "片区")


def _region_from_name(name: str) -> str | None:
    """Administrative prefix of an organisation name: 上海市云间区公安分局 → 上海市云间区."""
    pos = 0
    while pos < len(name):
        m = _REGION_SEG.match(name, pos)
        if not m or m.group(0).endswith(_NOT_REGION_END) or m.end() >= len(name):
            break
        pos = m.end()
    return name[:pos] or None


# --------------------------------------------------------------------------- labels

# field -> tiers of labels, best first. Keys are compared after _clean_key: spaces, numbering,
# "原公告的" and every parenthetical ("中标（成交）金额（元）" -> 中标金额, unit 元) removed.
_LABEL_TIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "project_number": (
        ("项目编号", "采购项目编号", "采购编号", "招标编号", "招标项目编号", "磋商编号", "谈判编号", "询价编号",
         "招标文件编号", "采购文件编号", "项目号", "采购项目编码", "项目编码", "交易编号"),
        ("采购计划编号", "政府采购计划备案号", "计划编号", "计划备案号", "文件编号"),
        ("包号", "包组编号", "标段编号", "标项编号"),
    ),
    "project_name": (
        ("项目名称", "采购项目名称", "招标项目名称", "工程名称", "项目名"),
        ("标项名称", "包名称", "标段名称", "包组名称", "采购包名称"),
    ),
    "buyer": (
        ("采购人", "采购单位", "采购人名称", "采购单位名称", "招标人", "招标人名称", "招标单位", "采购方",
         "采购机关"),
        ("建设单位", "业主单位", "需求单位", "使用单位", "业主"),
        ("甲方", "买方", "甲方名称"),
    ),
    "agency": (
        ("采购代理机构", "代理机构", "招标代理机构", "采购代理机构名称", "代理机构名称", "招标代理机构名称",
         "招标代理", "采购代理", "集中采购机构", "集中采购机构名称", "采购代理单位", "招标代理单位",
         "招标机构", "招标机构名称", "招标代理人", "代理单位", "招标代理单位名称", "集采机构"),
    ),
    "winner": (
        ("中标供应商", "中标人", "中标单位", "成交供应商", "成交人", "成交单位", "中标供应商名称",
         "成交供应商名称", "中标人名称", "中标单位名称", "第一中标候选人", "拟定供应商", "拟定供应商名称",
         "拟定的唯一供应商名称", "拟定的供应商名称"),
        ("供应商名称", "供应商"),
        ("乙方", "卖方", "乙方名称"),
    ),
    "budget": (
        ("预算金额", "采购预算", "项目预算", "采购预算金额", "项目预算金额", "预算", "采购资金预算",
         "预算资金", "最高限价", "最高投标限价", "控制价", "招标控制价", "拦标价", "上限价", "最高限额",
         "采购预算价", "预算价", "项目总预算", "预算总额"),
        ("总投资", "项目总投资", "投资额"),
    ),
    "award": (
        ("中标金额", "成交金额", "中标价", "成交价", "中标价格", "成交价格", "中标总价", "成交总价",
         "中标总金额", "成交总金额", "中标报价", "成交报价"),
        ("合同金额", "合同总价", "合同价", "合同总金额", "签约金额", "合同价款"),
        ("投标报价", "最终报价", "报价"),
    ),
    "credit_code": (("统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码"),),
    "region": (
        ("行政区划", "行政区域", "所属地区", "地区", "项目所在地", "所属区域", "所在地区", "区域",
         "项目所在地区", "所属行政区划"),
    ),
    "published": (
        ("公告日期", "发布日期", "发布时间", "公告时间", "公示日期", "公示时间", "公告发布时间", "公告发布日期",
         "信息发布时间", "发布日", "更正日期", "发文日期"),
        ("日期",),
    ),
    "award_date": (("中标日期", "定标日期", "成交日期", "确定中标日期", "中标时间", "定标时间", "成交时间"),),
}


def _invert(tiers: dict[str, tuple[tuple[str, ...], ...]]) -> dict[str, list[tuple[str, int]]]:
    """label -> [(field, tier)]; a label may feed two fields."""
    out: dict[str, list[tuple[str, int]]] = {}
    for name, groups in tiers.items():
        for tier, labels in enumerate(groups):
            for label in labels:
                out.setdefault(label, []).append((name, tier))
    return out


_LABELS = _invert(_LABEL_TIERS)

# Section headings that say whose "名称：…" follows (2020 template, section 七).
_CONTEXT = {
    "采购人信息": "buyer", "采购单位信息": "buyer", "招标人信息": "buyer", "采购人联系方式": "buyer",
    "采购代理机构信息": "agency", "代理机构信息": "agency", "招标代理机构信息": "agency",
    "集中采购机构信息": "agency", "采购代理机构联系方式": "agency",
    "中标信息": "winner", "成交信息": "winner", "中标人信息": "winner", "拟定的唯一供应商名称、地址": "winner",
    "拟定供应商信息": "winner", "拟定的唯一供应商": "winner", "供应商信息": "winner",
    "项目联系方式": None, "主要标的信息": None, "评审专家名单": None,
}
_CONTEXT_KEYS = {"名称", "单位名称", "机构名称"}
_HEADER_WORDS = {
    "序号", "地址", "供应商地址", "中标供应商地址", "成交供应商地址", "中标人地址", "品牌", "规格型号", "数量", "单价", "单位", "备注", "是否中小企业", "中小企业",
    "服务期限", "联系人", "联系电话", "合同履行期限", "采购方式", "名称", "采购需求", "分包", "标段", "排名",
    "评审得分", "得分", "标项", "包组", "币种", "采购品目", "品目", "交货期", "项目概况",
}
_DATE_EXCLUDE = ("获取", "质疑", "答疑", "澄清", "报名", "保证金", "异议", "提问", "疑问", "购买", "下载", "领取",
                 "发售", "售", "踏勘", "现场", "公示期", "期限", "原")
_LEADING_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+[章节条部分篇]\s*)?"
    r"(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)[、.]?|\(?\d{1,2}\)[、.]?|"
    r"\d{1,2}(?:\.\d{1,2})*[、.]?(?!\d)|[★▲*#※△●◆■□•·>\-]\s*)+"
)
_PAREN = re.compile(r"\(([^()]*)\)")
_L1_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+[、.]")
_KEY_BAD = re.compile(r"[，。；;,!！?？《》“”\"'=]")
_NEXT_LABEL = re.compile(
    rf"(?:\s+|[;；,，。])\s*(?![万亿元])(?=[{_CJK}(][^\s:;；,，。()\d]{{0,16}}(?:\([^()]{{0,6}}\))?[^\s:;；,，。()\d]{{0,6}}:)"
)
_LEADING_LABEL = re.compile(rf"\s*[{_CJK}][^\s:;；,，。]{{0,20}}:")


@lru_cache(maxsize=8192)
def _clean_key(raw: str) -> tuple[str, str | None]:
    """Canonical label and any unit it carries: "七、预算金额（万元）" → ("预算金额", "万元")."""
    key = re.sub(r"\s+", "", raw).rstrip(":")
    key = _LEADING_NUMBERING.sub("", key)
    unit = None
    for m in _PAREN.finditer(key):
        if "元" in m.group(1) or "亿" in m.group(1):
            unit = m.group(1)
        elif _RATE_UNIT.search(m.group(1)) and "税" not in m.group(1):
            unit = "%"  # 中标价(%): a rate (a discount on a schedule), never an amount
    key = _PAREN.sub("", key)
    key = re.sub(r"^原公告的?", "", key) if key.startswith("原公告") else key
    key = key.replace("/成交", "").removesuffix("为")
    if key not in _LABELS:
        key = _known_part(key)
    return key, unit


_RATE_UNIT = re.compile(r"^\s*%\s*$|报价承诺|费率|折扣|下浮|优惠率")
_FILLER = re.compile(r"^(?:本次|本项目|本工程|项目|本|总价|总|年度|采购|招标|工程|服务|货物|合同|此次)+$")


def _known_part(key: str) -> str:
    """A label inside a longer key: "本次招标控制价" → 招标控制价, "采购预算/最高限价" → 采购预算.

    Only a known label after filler words (本次, 本项目, 总价, 年度 …) or one side of a slash
    counts, so a sentence ending in a label word never becomes a key.
    """
    for part in key.split("/") if "/" in key else ():
        if part in _LABELS:
            return part
    for i in range(1, min(len(key) - 1, 8)):
        if key[i:] in _LABELS and _FILLER.match(key[:i]):
            return key[i:]
    return key


def _date_fields(key: str) -> list[tuple[str, int]]:
    """Date labels vary too much to list (投标(响应)文件递交截止时间 …), so match by parts."""
    if len(key) > 24 or key.startswith(("同", "详见", "见")) or any(x in key for x in _DATE_EXCLUDE):
        return []
    out = []
    if "截止" in key and ("时间" in key or "日期" in key or key.endswith("截止")):
        out.append(("deadline", 0))
    if "开标" in key or "开启" in key or (("磋商" in key or "谈判" in key) and "截止" not in key
                                         and ("时间" in key or "日期" in key)):
        out.append(("opening", 0))
    if any(x in key for x in ("签订", "签署", "签约")) and ("日期" in key or "时间" in key):
        out.append(("contract", 0))
    return out


@lru_cache(maxsize=8192)
def _fields(key: str) -> tuple[tuple[str, int], ...]:
    """(field, tier) pairs a cleaned label feeds; empty for anything that is not a label."""
    return tuple(_LABELS.get(key, [])) + tuple(_date_fields(key))


def _is_key(key: str) -> bool:
    # No digits: "2023年6月10日 下午2:30" has a colon but is a value, not a label.
    return 0 < len(key) <= 24 and bool(_HAS_CJK.search(key)) and not _KEY_BAD.search(key) \
        and not any(c.isdigit() for c in key)


# --------------------------------------------------------------------------- value checks

_ORG_END = re.compile(
    r"(?:局|厅|所|处|院|校|学|委|会|办|中心|部|室|站|队|司|团|府|馆|社|行|署|组|厂|场|台|店|园|狱|道|村|镇|乡|科|"
    r"军|区|伙|地|县|市|省|营|庭|宫|館|處|廳|辦|隊)$"
)
_ORG_BAD_START = re.compile(r"^(?:是指|系指|指|即|有权|应|须|必须|可|将|不|是|按|根据|对|在|与|和|为|的|已|提供|负责|承担|如|若)")
_ORG_DEFINITION = re.compile(r"^(?:是指|系指|指|即)")
_COMPANY_END = re.compile(r"(?:有限公司|有限责任公司|股份公司|集团|局|大学|学院|医院|中心|委员会)$")
_NAME_BAD = re.compile(r"_{2,}|盖章|签字|签章|填写|详见|见附件|以下简称|\.{3}|…")
_ORG_BAD = re.compile(_NAME_BAD.pattern + "|/|:")
_NUMBER_OK = re.compile(r"[0-9A-Za-z]")
_CREDIT = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


_PLACEHOLDERS: list[tuple[str, re.Pattern[str]]] = [
    ("signature line", re.compile(r"^\(?\s*(?:盖单位章|盖章|签字|签章|公章|单位公章|盖单位公章)")),
    ("to be generated", re.compile(r"以系统生成为准|系统自动生成|^(?:待定|另行通知)$")),
    ("template placeholder", re.compile(r"^[\[【<{(][^\]】>})]{0,30}(?:名称|单位|填写|日期|编号|金额|地址|项目)[^\]】>})]{0,10}[\]】>})]")),
    ("blank", re.compile(r"^[\sXx×＊*○_/—\-－.…]*$|[Xx×]{2,}|_{2,}|\*{2,}")),
    ("reference", re.compile(r"^(?:详见|见|参见|同)[^\d]{0,30}|^(?:按|以)[^\d]{0,12}(?:为准|确定)")),
    ("template numbering", re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\s*[\u4e00-\u9fff]{2,12}\s*:?$")),
    ("a label, not a value", re.compile(r"^(?:[\u4e00-\u9fff()/]{2,12}:\s*)+$")),
    ("a role, not a name", re.compile(r"^(?:甲方|乙方|采购人|招标人|投标人|供应商|中标人|成交人|采购单位|招标单位|"
                                      r"招标代理机构|采购代理机构|代理机构|集中采购机构|招标代理)$")),
]


def placeholder(value: str | None) -> str | None:
    """Why ``value`` is a blank or a template placeholder rather than a value, or None when it is one.

    Templates and model texts print ``[采购单位名称]``, ``XX``, ``（盖单位章）``, ``/``, ``详见…``
    or the next clause's numbering where a value belongs; each of those is reported as no value
    (with this reason), never as the buyer, name or number.
    """
    if value is None:
        return None
    v = _tidy(unicodedata.normalize("NFKC", value)).strip(" ;,.。")
    if not v:
        return "blank"
    for reason, pat in _PLACEHOLDERS:
        if pat.search(v):
            return reason
    return None


def _org(value: str, weak: bool) -> str | None:
    """A plausible organisation name, or None for boilerplate, blanks and sentences."""
    if placeholder(value):
        return None
    v = re.split(r"[，,。；;]|\(以下|\(简称|\(盖章|\(签章|\s{2,}", value, maxsplit=1)[0]
    v = _tidy(v).strip(" :-")
    v = re.sub(r"\((?:[^()]*(?:联合体|牵头|成员|主体|盖章|签章)[^()]*)\)$", "", v).strip()
    v = re.sub(r"\((?:地址|电话|联系|住所|邮编)[^()]*\)$", "", v).strip()  # 采购人：X（地址：…）
    if not (2 <= len(v) <= 60) or len(_HAS_CJK.findall(v)) < 2:
        return None
    if _ORG_BAD.search(v) or _ORG_BAD_START.match(v) and (_ORG_DEFINITION.match(v) or not _COMPANY_END.search(v)):
        return None  # "可…" starts sentences ("可以…") but also 可克达拉…有限公司
    if weak and not _ORG_END.search(re.sub(r"\([^()]*\)$", "", v)):
        return None
    return v


def _region(value: str) -> str | None:
    """A place name or a 6-digit 行政区划代码, not an address line or a sentence."""
    v = _tidy(re.split(r"[，,。；;]", value, maxsplit=1)[0])
    if not (2 <= len(v) <= 40) or _ORG_BAD.search(v):
        return None
    if re.search(r"\d", v) and not re.fullmatch(r".*?\d{6}.*", v):
        return None
    return v


_GENERIC_NAMES = {"政府采购", "采购", "招标", "项目", "政府采购合同", "采购合同", "合同", "中标", "成交", "公开招标"}


def _name(value: str) -> str | None:
    """Project name with the notice suffix stripped; None for blanks, templates and bare "政府采购"."""
    if placeholder(value):
        return None
    v = _strip_notice_suffix(_tidy(value))
    if v in _LABELS or v in _HEADER_WORDS or re.fullmatch(r"[\u4e00-\u9fff]{2,4}(?:内容|名称|编号|概况)", v):
        return None  # a column header or the next label, not a name
    if v in _GENERIC_NAMES or not (2 <= len(v) <= 150) or _NAME_BAD.search(v) or v.startswith(("详见", "见")):
        return None
    return v


# --------------------------------------------------------------------------- pair extraction


@dataclass
class _Pair:
    key: str
    start: int  # value span in the folded text
    end: int
    unit: str | None
    line: int
    weak: bool
    fields: tuple[tuple[str, int], ...]
    column: bool = False  # read from an amount column under a header row


class _Scanner:
    """Turns the folded text into label/value pairs; one instance per document."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.lines: list[tuple[int, int]] = []
        pos = 0
        for line in norm.split("\n"):
            self.lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        self.pairs: list[_Pair] = []
        self.consumed: set[int] = set()

    # -- helpers
    def text(self, s: int, e: int) -> str:
        return self.norm[s:e]

    def strip_span(self, s: int, e: int) -> tuple[int, int]:
        while s < e and self.norm[s].isspace():
            s += 1
        while e > s and self.norm[e - 1].isspace():
            e -= 1
        return s, e

    def cells(self, s: int, e: int) -> list[tuple[int, int]]:
        out, pos = [], s
        for m in re.finditer(r"\t+|\s*\|\s*", self.norm[s:e]):
            out.append((pos, s + m.start()))
            pos = s + m.end()
        out.append((pos, e))
        return [self.strip_span(a, b) for a, b in out if self.norm[a:b].strip()]

    def add(self, key: str, unit: str | None, s: int, e: int, line: int, weak: bool, ctx: str | None) -> None:
        fields = _fields(key)
        if not fields and ctx and key in _CONTEXT_KEYS:
            fields = ((ctx, 0),)
        if fields:
            s, e = self.strip_span(s, e)
            self.pairs.append(_Pair(key, s, e, unit, line, weak, fields))

    def first_key(self, s: int, e: int) -> tuple[str, str | None, int] | None:
        """Key before the first colon of a segment, if it looks like a label."""
        i = self.norm.find(":", s, e)
        if i < 0:
            return None
        key, unit = _clean_key(self.norm[s:i])
        if not _fields(key) and key not in _CONTEXT and key not in _CONTEXT_KEYS:
            # "某某项目 项目编号：X": the label is the last chunk before the colon.
            tail_key, tail_unit = _clean_key(re.split(r"[\s;；,，。]+", self.norm[s:i].rstrip())[-1])
            if _fields(tail_key):
                return tail_key, tail_unit, i
        return (key, unit, i) if _is_key(key) else None

    def known(self, s: int, e: int) -> str | None:
        key = _clean_key(self.norm[s:e])[0]
        return key if (_fields(key) or key in _CONTEXT) else None

    # -- segment "key: value key: value"
    def segment(self, s: int, e: int, line: int, ctx: str | None) -> str | None:
        """Parse pairs from a segment; returns the context a bare heading-with-colon sets."""
        hit = self.first_key(s, e)
        if not hit:
            return ctx
        key, unit, colon = hit
        vs = colon + 1
        if key in _CONTEXT and not self.norm[vs:e].strip():
            return _CONTEXT[key]
        if _LEADING_LABEL.match(self.norm, vs, e):
            # "采购人：名称：X 地址：Y" or "中标金额：最终报价：315万元": keep the whole value
            # for amounts, and read the inner pairs with the outer label as context.
            self.add(key, unit, vs, e, line, False, ctx)
            inner = _CONTEXT.get(key) or next((f for f, _ in _fields(key) if f in ("buyer", "agency", "winner")),
                                              ctx)
            self.segment(vs, e, line, inner)
            return ctx
        m = _NEXT_LABEL.search(self.norm, vs, e)
        ve = m.start() if m else e
        if self.norm[vs:ve].strip():
            self.add(key, unit, vs, ve, line, False, ctx)
        elif _fields(key) or key in _CONTEXT_KEYS:
            self.next_line_value(key, unit, line, ctx)
        if m:
            self.segment(m.end(), e, line, ctx)
        # "(招标编号：X)" inside a value: the inner pair is a candidate too.
        for pm in _PAREN.finditer(self.norm, vs, ve):
            if self.first_key(pm.start(1), pm.end(1)):
                self.segment(pm.start(1), pm.end(1), line, ctx)
        return ctx

    def next_line_value(self, key: str, unit: str | None, line: int, ctx: str | None) -> bool:
        """Value of a label that sits alone on its line (tables flattened by PDF extraction)."""
        for j in range(line + 1, min(line + 4, len(self.lines))):
            s, e = self.lines[j]
            if not self.norm[s:e].strip():
                continue
            if self.first_key(s, e) or self.known(s, e) or _L1_HEADING.match(self.norm, s, e):
                return False
            self.add(key, unit, s, e, j, True, ctx)
            self.consumed.add(j)
            return True
        return False

    # -- table rows
    def header_row(self, line: int, cells: list[tuple[int, int]]) -> bool:
        """Header of labels with values in the next row (award tables); reads the first data row."""
        keys = [_clean_key(self.text(a, b)) for a, b in cells]
        if any(":" in self.text(a, b) for a, b in cells):
            return False
        n_labels = sum(1 for k, _ in keys if _fields(k))
        if n_labels < 2 or any(not _fields(k) and k not in _HEADER_WORDS for k, _ in keys):
            return self.amount_column(line, cells, keys)
        for j in range(line + 1, min(line + 3, len(self.lines))):
            s, e = self.lines[j]
            if not self.norm[s:e].strip():
                continue
            row = self.cells(s, e)
            if len(row) == len(cells):
                for (key, unit), (a, b) in zip(keys, row, strict=True):
                    self.add(key, unit, a, b, j, False, None)
                self.consumed.add(j)
            break
        return True

    def amount_column(self, line: int, cells: list[tuple[int, int]], keys: list[tuple[str, str | None]]) -> bool:
        """"序号 | 采购内容 | 服务期限 | 最高限价" over "1 | … | … | 70万元": the amount column's first value.

        Only budget and award columns are read this way (an amount checks itself); a row of
        prose cells under a header of free words would make any other field a guess.
        """
        cols = [i for i, (k, _) in enumerate(keys) if any(f in ("budget", "award") for f, _ in _fields(k))]
        if len(cells) < 3 or not cols or any(re.search(r"\d", _PAREN.sub("", self.text(a, b))) for a, b in cells):
            return False  # a row holding figures is a data row ("1.3 | 预算金额(万元) | 315.00"), not a header
        for j in range(line + 1, min(line + 3, len(self.lines))):
            s, e = self.lines[j]
            if not self.norm[s:e].strip():
                continue
            row = self.cells(s, e)
            if len(row) != len(cells):
                return False
            for i in cols:
                a, b = row[i]
                unit = keys[i][1]
                if unit or re.search(r"\d\s*(?:亿元|万元|元|万)\s*(?:\(|$)", self.text(a, b)):
                    self.add(keys[i][0], unit, a, b, j, False, None)
                    self.pairs[-1].column = True
            return False  # the header's own cells still go through cell_row
        return False

    def cell_row(self, line: int, cells: list[tuple[int, int]], ctx: str | None) -> str | None:
        """"条款号 | 采购人 | 名称：X": a label cell takes the next cell as its value."""
        i = 0
        while i < len(cells):
            a, b = cells[i]
            cell = self.text(a, b)
            if cell.endswith(":") and i + 1 < len(cells) and ":" not in cell[:-1]:
                # "招标人: | X | 中标价(元): | 998000.00": the label cell's value is the next cell.
                key, unit = _clean_key(cell)
                na, nb = cells[i + 1]
                if (_fields(key) or (ctx and key in _CONTEXT_KEYS)) and not self.known(na, nb) \
                        and not self.text(na, nb).endswith(":"):
                    self.add(key, unit, na, nb, line, False, ctx)
                    i += 2
                    continue
            if ":" in cell:
                ctx = self.segment(a, b, line, ctx)
                i += 1
                continue
            key, unit = _clean_key(self.text(a, b))
            if key in _CONTEXT and i + 1 == len(cells):
                ctx = _CONTEXT[key]
            if (_fields(key) or key in _CONTEXT or (ctx and key in _CONTEXT_KEYS)) and i + 1 < len(cells):
                na, nb = cells[i + 1]
                if self.known(na, nb):
                    i += 1
                    continue
                if _LEADING_LABEL.match(self.norm, na, nb):
                    self.add(key, unit, na, nb, line, False, ctx)
                    inner = _CONTEXT.get(key) or next(
                        (f for f, _ in _fields(key) if f in ("buyer", "agency", "winner")), ctx)
                    self.segment(na, nb, line, inner)
                else:
                    self.add(key, unit, na, nb, line, False, ctx)
                i += 2
                continue
            i += 1
        return ctx

    # -- whole document
    def scan(self) -> None:
        ctx: str | None = None
        for li, (ls, le) in enumerate(self.lines):
            if li in self.consumed or not self.norm[ls:le].strip():
                continue
            s, e = self.strip_span(ls, le)
            if e - s > 80 and not re.search(r"[:|\t]", self.norm[s:e]):
                continue  # prose: no label/value pair starts a line this long
            if _L1_HEADING.match(self.norm, s, e):
                ctx = None
            cells = self.cells(s, e)
            if len(cells) >= 2:
                if not self.header_row(li, cells):
                    ctx = self.cell_row(li, cells, ctx)
                continue
            head = _clean_key(self.text(s, e))[0]
            if head in _CONTEXT:
                ctx = _CONTEXT[head]
                continue
            if self.first_key(s, e):
                ctx = self.segment(s, e, li, ctx)
                continue
            key, unit = _clean_key(self.text(s, e))
            if _fields(key) and len(key) <= 20:
                self.next_line_value(key, unit, li, ctx)
                continue
            self.space_pair(s, e, li, ctx)

    def space_pair(self, s: int, e: int, line: int, ctx: str | None) -> None:
        """"预算金额（万元） 315.00": PDF tables often come out separated by spaces only."""
        tokens = list(re.finditer(r"\S+", self.norm[s:e]))
        for k in range(1, min(4, len(tokens))):
            key, unit = _clean_key("".join(t.group(0) for t in tokens[:k]))
            if _fields(key):
                self.add(key, unit, s + tokens[k].start(), e, line, True, ctx)
                return


# --------------------------------------------------------------------------- notice type

_TYPE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("correction", re.compile(r"(?:更正|变更|澄清|补充|延期|修改)[^公]{0,6}(?:公告|公示|通知)$")),
    ("failed", re.compile(r"(?:废标|流标|终止|失败|中止|取消)[^公]{0,4}(?:公告|公示)$")),
    ("acceptance", re.compile(r"验收[^公]{0,6}(?:公告|公示)$")),
    ("contract", re.compile(r"合同[^公]{0,4}(?:公告|公示)$")),
    ("award", re.compile(r"(?:中标|成交)[^公]{0,10}(?:公告|公示)$|结果(?:公告|公示)$")),
    ("intention", re.compile(r"采购意向")),
    ("consultation", re.compile(r"征求意见|需求公示|意见征集|需求征求")),
    ("prequalification", re.compile(r"资格预审(?:公告|文件)$")),
    ("single_source", re.compile(r"(?:单一来源|单源)[^公]{0,8}(?:公示|公告|文件)$")),
    ("consultation_competitive", re.compile(r"磋商(?:公告|文件|邀请函?|邀请书)$")),
    ("negotiation", re.compile(r"谈判(?:公告|文件|邀请函?|邀请书)$")),
    ("rfq", re.compile(r"(?:询价|询比)(?:公告|文件|通知书?|单|采购公告|采购文件|响应文件)$")),
    ("tender", re.compile(r"(?:招标公告|招标文件|投标邀请书?|投标邀请函|招标邀请书?)$")),
    # A generic procurement notice: the method comes from the body (_body_method), tender by default.
    ("procurement", re.compile(r"采购(?:公告|文件)$")),
]
# How the body declares its method ("采购方式：竞争性磋商", "进行竞争性磋商", "竞争性谈判文件"); the
# body wins over a generic or wrong title, as a person reading the notice decides.
_BODY_METHODS = [
    ("consultation_competitive", re.compile(r"竞争性磋商")),
    ("negotiation", re.compile(r"竞争性谈判")),
    ("rfq", re.compile(r"询比|询价采购|采购方式:询价")),
    ("tender", re.compile(r"公开招标|邀请招标|招标公告")),
]
_INVITATION = re.compile(r"欢迎[^。\n]{0,30}参加|邀请[^。\n]{0,40}参加|获取(?:招标|采购|磋商|谈判|询价)?文件")
_SHORT_TITLE = re.compile(r"^(?:公开|邀请)?(?:招标|竞争性磋商|磋商|竞争性谈判|谈判|询价|询比|采购)(?:采购)?文件$")
_TEMPLATE_TITLE = re.compile(r"示范文本|范本|标准[^\n]{0,8}(?:招标|采购|设计|施工)?文件|标准文件|(?:招标|采购)文件模板")
_METHOD_TYPES = [("单一来源", "single_source"), ("竞争性磋商", "consultation_competitive"),
                 ("竞争性谈判", "negotiation"), ("询价", "rfq"), ("招标", "tender")]
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十\d]+(?:章|部分|篇|册)\s*(.*)$")


def _title_type(line: str) -> str | None:
    t = re.sub(r"\s+", "", line)
    t = re.sub(r"[.…·]{3,}\d*$", "", t)
    for _ in range(2):
        t = re.sub(r"\([^()]*\)$|【[^】]*】$", "", t)
    if not t or len(t) > 80:
        return None
    for name, pat in _TYPE_PATTERNS:
        if pat.search(t):
            return name
    return None


def _is_template(sc: _Scanner, top: list[int]) -> bool:
    """A model text: its cover names itself 标准…文件 / 示范文本 / 范本 and it explains its own use (使用说明)."""
    cover = "".join(re.sub(r"\s+", "", sc.norm[s:e]) for s, e in (sc.lines[i] for i in top))
    return bool(_TEMPLATE_TITLE.search(cover)) and "使用说明" in re.sub(r"\s+", "", sc.norm[:6000])


def _body_method(text: str) -> str | None:
    """The procurement method the opening of the body declares, by the order of _BODY_METHODS."""
    for name, pat in _BODY_METHODS:
        if pat.search(text):
            return name
    return None


def _resolve_type(title_type: str | None, sc: _Scanner) -> str | None:
    """Title type corrected by the body: a generic 采购公告 takes the body's method; a tender-like
    title over a body declaring 竞争性磋商/谈判 takes the body's; an "award" title over a body that
    still invites suppliers and names no winner is that invitation (a mis-titled page)."""
    head = sc.norm[:4000]
    method = _body_method(head)
    if title_type == "procurement":
        return method or "tender"
    if title_type in ("tender", "rfq") and method in ("consultation_competitive", "negotiation"):
        return method
    if title_type == "award" and _INVITATION.search(head) and method \
            and not any(f == "winner" for p in sc.pairs for f, _ in p.fields):
        return method
    return title_type


def _notice_type(sc: _Scanner, top: list[int]) -> tuple[str | None, int | None]:
    """Type from the title lines, then the chapter structure of a 招标文件; also the title line index."""
    for li in top:
        s, e = sc.lines[li]
        line = sc.norm[s:e]
        if ":" in line and not line.strip().startswith(("标题", "公告标题")):
            continue
        if re.search(r"[>»›]|当前位置|首页", line):
            continue  # breadcrumbs name a listing, not this notice
        line = re.split(r"\s+[-_|–—]\s+", line)[0]  # "Title - 上海市政府采购网": drop the site name
        if len(line.strip()) < 8 and not _SHORT_TITLE.match(re.sub(r"\s+", "", line)):
            continue  # a bare menu item such as 中标公告 names a listing, not this notice
        kind = _title_type(line.split(":", 1)[-1])
        if kind:
            return kind, li
    chapters = " ".join(m.group(1) for s, e in sc.lines if (m := _CHAPTER.match(sc.norm[s:e])))
    if "磋商须知" in chapters:
        return "consultation_competitive", None
    if "谈判须知" in chapters:
        return "negotiation", None
    if "询价须知" in chapters:
        return "rfq", None
    parts = ("投标人须知", "评标办法|评审办法|评分", "采购需求|技术要求|用户需求|项目需求", "合同", "投标文件格式")
    if sum(1 for p in parts if re.search(p, chapters)) >= 2:
        return "tender", None
    if any(f == "winner" and t == 0 for p in sc.pairs for f, t in p.fields):
        return "award", None
    return None, None


# --------------------------------------------------------------------------- assembling the record

_AWARD_TYPES = {"award", "single_source", "contract", "acceptance", None}
# "投标文件递交的截止时间（投标截止时间，下同）为2025年12月22日10时00分" (prose, no label/colon pair)
_DEADLINE_SENTENCE = re.compile(r"(?:投标|响应|应答)?(?:\([^()]{0,6}\))?文件(?:的)?(?:递交|提交|上传)?(?:的)?截止(?:时间|日期)"
                                r"(?:\([^()]{0,20}\))?(?:和开标时间|及开标时间)?\s*(?:为|是|:)\s*:?\s*([^,，;；。]{8,30})")
_DEADLINE_PROSE = re.compile(r"(?:并于|于)\s*([^,，。;；]{8,40}?)\s*(?:\(北京时间\))?\s*(?:之)?前(?:递交|提交|上传)")
_BUDGET_PROSE = re.compile(
    r"(?:预算金额|采购预算|项目预算|总预算|预算价|最高投标限价|投标最高限价|最高限价|招标控制价|采购控制价|控制价|限价)"
    r"(?:总价|总额|金额)?\s*(?:\([^()]{0,16}\))?\s*(?:为|是|约)?\s*:?\s*"
    r"((?:人民币)?\s*[¥]?\s*\d[\d,.]*\s*(?:亿元|万元|元|万)(?!\s*/))"
)


_T = TypeVar("_T")


def _pick(sc: _Scanner, name: str, check: Callable[[_Pair], _T | None]) -> tuple[_T | None, _Pair | None]:
    """First value for field ``name`` by (label tier, position) that ``check`` accepts."""
    cands = sorted(
        ((tier, p.start, p) for p in sc.pairs for f, tier in p.fields if f == name), key=lambda c: (c[0], c[1])
    )
    for _, _, p in cands:
        value = check(p)
        if value is not None:
            return value, p
    return None, None


_NUMBERING_VALUE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){1,3}\s*[\u4e00-\u9fff]")  # "3.2 投标报价": the next clause
_DEFINITION = re.compile(r"[\"“”'‘’\s]*(采购人|招标人|集中采购机构|采购代理机构|代理机构|招标代理机构)[\"“”'‘’\s]*(?:系指|是指)\s*"
                         r"([^。;；,，\n]{2,60})")


_NAME_END = re.compile(r"(?:项目|采购|服务|工程|施工|设计|监理|设备|系统|平台|货物|[)）])$")


def _wrapped(sc: _Scanner, p: _Pair, name: str) -> str:
    """A project name cut at a line break ("…辅助及后" / "勤服务项目") joined with its tail.

    The next line counts only when the name does not already end like a name (or leaves a
    bracket open) and the line is short, label-free and ends like one.
    """
    if sc.norm[p.end:sc.lines[p.line][1]].strip() or p.line + 1 >= len(sc.lines):
        return name
    if _NAME_END.search(name) and name.count("(") <= name.count(")"):
        return name
    s, e = sc.lines[p.line + 1]
    tail = _tidy(sc.norm[s:e])
    if not tail or len(tail) > 40 or ":" in tail or "|" in tail or _LEADING_NUMBERING.match(tail) \
            or not _NAME_END.search(tail):
        return name
    joined = _name(name + tail)
    return joined or name


def _definitions(norm: str) -> dict:
    """Buyer and agency from the 须知 definitions: "“采购人”系指上海市…局。" (weak: must end like an org)."""
    out: dict = {}  # field -> value, and field + "@" -> where it was read
    for m in _DEFINITION.finditer(norm):
        field_name = "buyer" if m.group(1) in ("采购人", "招标人") else "agency"
        if field_name in out:
            continue
        value = _org(m.group(2).strip("\"“” "), True)
        if value and not re.search(r"投标人须知|前附表|所述|组织本次|本次招标", value):
            out[field_name] = value
            out[field_name + "@"] = m.start(2)
    return out


def extract_metadata(text: str) -> TenderMetadata:
    """Metadata of one document (a notice page, a tender, a contract) from its extracted text.

    Works on cover pages and the 投标人须知前附表, 2020-template notices (tender, award,
    correction), award tables and contracts. See the module docstring for how labels are read.
    """
    meta = TenderMetadata()
    if not text or not text.strip():
        return meta
    # "1.采购人信息 名称：X 地址：Y" on one line (HTML notices): put the pair under its heading.
    text = re.sub(r"(信息)[ \t]+(?=名\s*称\s*[：:])", "\\1\n", text)
    norm, offs = _fold(text)
    sc = _Scanner(norm)
    sc.scan()
    top = [i for i, (s, e) in enumerate(sc.lines) if norm[s:e].strip()][:15]
    meta.notice_type, title_line = _notice_type(sc, top)
    meta.notice_type = _resolve_type(meta.notice_type, sc)

    def cite(name: str, start: int | None, how: str, pair: _Pair | None = None) -> None:
        if start is None:
            return
        raw = offs[min(start, len(offs) - 1)]
        ls, le = text.rfind("\n", 0, raw) + 1, text.find("\n", raw)
        snippet = _tidy(text[ls: le if le >= 0 else len(text)])[:160]
        conf = _CONFIDENCE[how]
        if pair is not None and (pair.weak or min((t for _, t in pair.fields), default=0) > 0):
            conf = _CONFIDENCE["weak"]
        meta.evidence[name] = {"offset": raw, "snippet": snippet, "how": how, "confidence": conf}

    def cite_pair(name: str, pair: _Pair | None) -> None:
        if pair is not None:
            cite(name, pair.start, "table" if pair.column else "label", pair)

    def number(p: _Pair) -> tuple[int, int] | None:
        s, e = p.start, p.end
        v = norm[s:e]
        cut = re.search(rf"\s*\([^()]*[{_CJK}][^()]*\)|[;；,，。]|\s{{2,}}|\s+[{_CJK}]", v)
        if cut:
            e = s + cut.start()
        s, e = sc.strip_span(s, e)
        while e - s > 2 and norm[s] in "[【<(" and norm[e - 1] in "]】>)":
            s, e = s + 1, e - 1  # 【CP-2025-032】: the brackets are typography, not the number
        v = norm[s:e]
        if placeholder(norm[p.start:p.end]) or placeholder(v):
            return None
        if not (3 <= len(v) <= 60) or not _NUMBER_OK.search(v) or not re.search(r"\d", v):
            return None
        if len(_HAS_CJK.findall(v)) * 2 > len(v) or _NAME_BAD.search(v):
            return None
        return s, e

    span, number_pair = _pick(sc, "project_number", number)
    cite_pair("project_number", number_pair)
    if span:
        meta.project_number = text[offs[span[0]]: offs[span[1]]].strip()
        meta.project_number_norm = normalize_project_number(meta.project_number)

    meta.project_name, name_pair = _pick(sc, "project_name", lambda p: _name(norm[p.start:p.end]))
    if meta.project_name and name_pair is not None:
        meta.project_name = _wrapped(sc, name_pair, meta.project_name)
    cite_pair("project_name", name_pair)
    if meta.project_name is None and title_line is not None:
        meta.project_name = _title_name(sc, title_line)
        if meta.project_name:
            cite("project_name", sc.lines[title_line][0], "title")

    def org(p: _Pair) -> str | None:
        return _org(norm[p.start:p.end], p.weak)

    defined = _definitions(norm)
    meta.agency, agency_pair = _pick(sc, "agency", org)
    cite_pair("agency", agency_pair)
    if meta.agency is None and defined.get("agency"):
        meta.agency = defined["agency"]
        cite("agency", defined["agency@"], "definition")

    def buyer(p: _Pair) -> str | None:
        v = org(p)
        return None if v is not None and v == meta.agency else v  # never the agency

    meta.buyer, buyer_pair = _pick(sc, "buyer", buyer)
    if defined.get("buyer") and (buyer_pair is None or min(t for f, t in buyer_pair.fields if f == "buyer") > 0):
        meta.buyer = defined["buyer"]  # the 须知 definition beats 甲方/业主/使用单位
        cite("buyer", defined["buyer@"], "definition")
    else:
        cite_pair("buyer", buyer_pair)
    meta.buyer_is_police, meta.buyer_type = classify_buyer(meta.buyer)

    def money(p: _Pair) -> float | None:
        text = norm[p.start:p.end]
        if p.unit == "%" or placeholder(text) or _NUMBERING_VALUE.match(text):
            return None
        # "最高限价为人民币包 1-10787900.00 元": the lot number is no part of the amount
        text = re.sub(r"(?:合同包|采购包|包件|标段|标包|包)\s*\d{1,2}\s*[-—–:]\s*(?=\d)", "", text)
        v = parse_amount(text, p.unit)
        return v if v is not None and v > 0 else None

    meta.budget_yuan, budget_pair = _pick(sc, "budget", money)
    cite_pair("budget_yuan", budget_pair)
    if meta.budget_yuan is None and (m := _BUDGET_PROSE.search(norm)):
        meta.budget_yuan = parse_amount(m.group(1))
        cite("budget_yuan", m.start(), "prose")
    meta.budget_lots = lot_budgets(norm)
    meta.budget_yuan = _sum_lots(meta.budget_yuan, meta.budget_lots)  # not one lot's budget as the whole

    if meta.notice_type in _AWARD_TYPES:
        meta.award_yuan, award_pair = _pick(sc, "award", money)
        cite_pair("award_yuan", award_pair)
        meta.award_lots = lot_awards(norm)
        meta.award_yuan = _sum_lots(meta.award_yuan, meta.award_lots)
        if meta.award_yuan is None:
            meta.award_rate, rate_pair = _pick(sc, "award", lambda p: _tidy(norm[p.start:p.end])[:40] or None
                                               if p.unit == "%" else None)
            cite_pair("award_rate", rate_pair)
        meta.winner, winner_pair = _pick(sc, "winner", org)
        cite_pair("winner", winner_pair)
        meta.winner_credit_code = _credit_code(sc, winner_pair)
        winners = list(dict.fromkeys(lot_winners(norm).values()))
        if len(winners) >= 2:  # lots won by different suppliers: name them all, in lot order
            meta.winner = "；".join(winners)

    region, region_pair = _pick(sc, "region", lambda p: _region(norm[p.start:p.end]))
    cite_pair("region", region_pair)
    meta.region = region or (_region_from_name(meta.buyer) if meta.buyer else None)

    meta.dates = _dates(sc, top)
    if meta.project_number is None and _is_template(sc, top):
        # A model text (标准/示范文本/范本) with blanks: whatever filled a slot is the template's own
        # wording, so nothing of it is reported as this procurement's facts.
        meta.notice_type = "template"
        meta.project_name = meta.buyer = meta.agency = meta.winner = meta.region = None
        meta.budget_yuan = meta.award_yuan = None
        meta.buyer_is_police, meta.buyer_type = False, None
        meta.budget_lots, meta.award_lots, meta.dates = {}, {}, {}
        meta.evidence = {}
        meta.null_reasons = {f: "template: a model text with blanks" for f in _REASON_FIELDS.values()}
    else:
        for field_name, slot in _REASON_FIELDS.items():
            if slot == "winner" and meta.notice_type not in _AWARD_TYPES:
                continue
            if getattr(meta, slot) is None and (why := _why_none(sc, field_name)):
                meta.null_reasons[slot] = why
    meta.budget_basis = _budget_basis(meta, norm) if meta.budget_yuan is not None else None
    meta.markers = marker_legend(norm)
    return meta


_CONFIDENCE = {"label": 0.95, "table": 0.85, "definition": 0.85, "prose": 0.75, "weak": 0.7, "title": 0.6}
_REASON_FIELDS = {"project_number": "project_number", "project_name": "project_name", "buyer": "buyer",
                  "agency": "agency", "budget": "budget_yuan", "winner": "winner"}


def _why_none(sc: _Scanner, name: str) -> str | None:
    """The placeholder a field's slot held, when the document has a slot but no value for it."""
    for p in sc.pairs:
        if any(f == name for f, _ in p.fields):
            value = sc.norm[p.start:p.end]
            if why := placeholder(value):
                return f"{why}: {_tidy(value)[:40]}"
    return None


def _budget_basis(meta: TenderMetadata, norm: str) -> str:
    """What budget_yuan is: lots_summed, per_year, unit_price or total (the default), from its evidence."""
    if len(meta.budget_lots) >= 2 and meta.budget_yuan == sum(meta.budget_lots.values()):
        return "lots_summed"
    snippet = meta.evidence.get("budget_yuan", {}).get("snippet", "")
    if re.search(r"(?:万?元)\s*/\s*年|每年|年度预算|/年(?!.*(?:共计|总计|合计))", snippet) \
            and not re.search(r"共计|总计|合计", snippet):
        return "per_year"
    if re.search(r"单价", snippet) and not re.search(r"总价", snippet):
        return "unit_price"
    return "total"


def document_metadata(doc) -> dict:
    """Metadata of an ingested Document as the store keeps it (a dict).

    The title goes in front of the text (notice records and web pages print it outside the
    body, and it names the notice type and project); a platform's publication date fills
    ``dates.published`` when the text gives none.
    """
    text = "\n".join(p.text for p in doc.pages[:60])
    head = doc.title + "\n" if doc.title else ""
    md = extract_metadata(head + text).to_dict()
    starts, pos = [], len(head)
    for p in doc.pages[:60]:
        starts.append((pos, p.number))
        pos += len(p.text) + 1
    for ev in md["evidence"].values():
        # The page a field was read on (None: the title the platform printed around the body).
        ev["page"] = next((n for s, n in reversed(starts) if ev["offset"] >= s), None)
        ev["offset"] = ev["offset"] - len(head) if ev["page"] is not None else None
        if ev["page"] is not None:
            ev["offset"] -= next(s for s, n in starts if n == ev["page"]) - len(head)
    published = getattr(doc, "published", None)
    if published and not md["dates"].get("published"):
        md["dates"]["published"] = parse_chinese_date(published) or published
    md["source_url"], md["retrieved_at"] = doc.source_url, doc.retrieved_at
    return md


_LOT = re.compile(r"(?:合同包|采购包|包件|分包|标段|标包|包组|包)\s*(?:号\s*)?([0-9]{1,3}|[一二三四五六七八九十]{1,3})"
                  r"(?!\s*[0-9一二三四五六七八九十])|第\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:包|标段|分包)")
_LOT_BUDGET = re.compile(r"(?:预算金额|采购预算|项目预算|预算|最高限价|控制价)\s*(\((?:万元|元)\))?\s*[:：]?\s*"
                         r"((?:人民币)?\s*[¥￥]?\s*\d[\d,.]*\s*(?:亿元|万元|元)?)")
_LOT_AWARD = re.compile(r"(?:中标|成交)(?:\(成交\))?(?:金额|价格|总价|价|报价)\s*(\((?:万元|元)\))?\s*[:：]?\s*"
                        r"((?:人民币)?\s*[¥￥]?\s*\d[\d,.]*\s*(?:亿元|万元|元)?)")
_TOTAL = re.compile(r"合计|总计|共计|总预算|总金额|总额")
_LOT_WINNER = re.compile(r"(?:中标|成交)(?:\(成交\))?(?:供应商|人|单位)(?:名称)?\s*[:：]\s*([^\n]{2,80})")


def _lot_lines(text: str):
    """(lot number, line) for every line inside a lot: a line belongs to the lot named on it or
    on the nearest line above ("1", "2", …; 第一包 gives "1")."""
    current: str | None = None
    for line in text.split("\n"):
        if m := _LOT.search(line):
            raw = m.group(1) or m.group(2)
            current = raw if raw.isdigit() else str(_cn_small_int(raw))
        if current is not None:
            yield current, line


def _per_lot(text: str, amount: re.Pattern) -> dict[str, float]:
    """The first amount matching ``amount`` in each lot, keyed by lot number.

    Lines with 合计/总计 are totals, not lots. Fewer than two lots gives {}: a single lot is the whole.
    """
    lots: dict[str, float] = {}
    for lot, line in _lot_lines(text):
        if lot in lots or _TOTAL.search(line):
            continue
        if b := amount.search(line):
            unit = b.group(1)[1:-1] if b.group(1) else None
            if value := parse_amount(b.group(2), unit):
                lots[lot] = value
    return lots if len(lots) >= 2 else {}


def lot_winners(text: str) -> dict[str, str]:
    """The winner named in each lot of a multi-lot result notice ({} for fewer than two lots)."""
    lots: dict[str, str] = {}
    for lot, line in _lot_lines(text):
        if lot not in lots and (w := _LOT_WINNER.search(line)) and (name := _org(w.group(1), weak=False)):
            lots[lot] = name
    return lots if len(lots) >= 2 else {}


def lot_budgets(text: str) -> dict[str, float]:
    """Budget of each lot of a multi-lot notice. The 2020 notice templates give one 预算金额 per
    合同包, sometimes with no total; reading only the first would under-report what the police
    are spending."""
    return _per_lot(text, _LOT_BUDGET)


def lot_awards(text: str) -> dict[str, float]:
    """Award amount of each lot of a multi-lot result notice (each lot may have its own winner)."""
    return _per_lot(text, _LOT_AWARD)


def _sum_lots(whole: float | None, lots: dict[str, float]) -> float | None:
    """The sum of the lots when ``whole`` is missing or is just one lot's figure; else ``whole``."""
    if len(lots) >= 2 and (whole is None or any(abs(whole - v) < 0.5 for v in lots.values())):
        return round(sum(lots.values()), 2)
    return whole


# A marker defined in the text: 标注“★”的条款为实质性条款… / 带“▲”号的为重要技术参数… / ★表示…
# The marker must be introduced (标注, 带…) or quoted, or followed by 表示/代表: a bare "▲系统应…"
# at the start of a requirement is a marked clause, not a definition.
_MARK = r"([★▲#*※△●◆☆])"
_OPEN, _CLOSE = r"[\"“'‘「『(（]", r"[\"”'’」』)）]"
_AFTER = (r"\s*(?:号|标记|符号|标识)?\s*(?:的|者)?\s*(?:条款|参数|指标|内容|项目?|要求|技术参数|部分|技术指标)?\s*"
          r"(?:为|是|表示|系(?!统)|属于|均为|即为|代表)\s*((?:(?![，,、]?\s*[\"“'‘「『(（]?[★▲※△●◆☆])[^。；;]){2,60})")
_LEGEND = re.compile(
    rf"(?:(?:标注|标有|带有?|注明|标记为?|打有?)\s*{_OPEN}?\s*{_MARK}\s*{_CLOSE}?|{_OPEN}\s*{_MARK}\s*{_CLOSE}){_AFTER}"
    rf"|{_MARK}\s*(?:号|标记|符号)?\s*(?:表示|代表)\s*((?:(?![，,、]?\s*[\"“'‘「『(（]?[★▲※△●◆☆])[^。；;]){{2,60}})")
_SUBSTANTIVE = re.compile(r"实质性|必须|须完全满足|不得(?:有)?负偏离|不允许(?:有)?负偏离|无效投标|投标无效|废标|否决|强制|刚性")
_IMPORTANT = re.compile(r"重要|关键|主要|评分|加分|扣分|打分")


def marker_legend(text: str) -> dict[str, str]:
    """What this document says its requirement markers mean, as "kind: the legend's words".

    Tenders mostly use ★ for substantive requirements (a bid that deviates is rejected) and
    ▲ for important scored parameters, but not all: some use ▲ or # for the substantive ones.
    A finding that calls a clause "mandatory" must rest on the document's own legend, so the
    first definition of each marker wins; kinds are "substantive requirement", "important
    parameter" or "marked" when the wording fits neither.
    """
    out: dict[str, str] = {}
    for m in _LEGEND.finditer(text):
        mark = m.group(1) or m.group(2) or m.group(4)
        words = _tidy(m.group(3) or m.group(5) or "")
        if mark in out or mark in "#*" and not re.match(r"(?:实质|重要|关键|必须|主要|评分|加分)", words):
            continue  # '#' and '*' also appear in other roles: only a clear definition counts
        kind = ("substantive requirement" if _SUBSTANTIVE.search(words) else
                "important parameter" if _IMPORTANT.search(words) else "marked")
        out[mark] = f"{kind}: {words}"
    return out


def _title_name(sc: _Scanner, li: int) -> str | None:
    """Project name from the title line, or from the line above a bare "招标文件" cover title."""
    s, e = sc.lines[li]
    name = _name(re.sub(r"^\s*(?:公告)?标题\s*:", "", sc.norm[s:e]))
    if name and len(re.sub(r"\s", "", name)) >= 4:
        return name
    for j in range(li - 1, max(li - 4, -1), -1):
        ps, pe = sc.lines[j]
        prev = _tidy(sc.norm[ps:pe])
        if prev and ":" not in prev and re.search("项目|工程|采购|系统|平台|建设|服务|设备", prev):
            return _name(prev)
    return None


def _credit_code(sc: _Scanner, winner: _Pair | None) -> str | None:
    """The winner's 统一社会信用代码: the labelled code nearest after the winner, else one on its line."""
    codes = []
    for p in sc.pairs:
        if any(f == "credit_code" for f, _ in p.fields):
            m = _CREDIT.search(re.sub(r"\s+", "", sc.norm[p.start:p.end]).upper())
            if m:
                codes.append((p.start, m.group(0)))
    if winner is not None:
        after = [c for c in codes if c[0] >= winner.start - 200]
        if after:
            return min(after, key=lambda c: abs(c[0] - winner.start))[1]
        ls = sc.lines[winner.line][0]
        le = sc.lines[min(winner.line + 3, len(sc.lines) - 1)][1]
        m = _CREDIT.search(sc.norm, ls, le)
        if m:
            return m.group(0)
    return codes[0][1] if codes and winner is not None else None


def _dates(sc: _Scanner, top: list[int]) -> dict[str, str]:
    """published / deadline / opening / award / contract, each the first labelled date that parses."""
    out: dict[str, str] = {}
    for key, name in (("published", "published"), ("deadline", "deadline"), ("opening", "opening"),
                      ("award", "award_date"), ("contract", "contract")):
        value, _ = _pick(sc, name, lambda p: parse_chinese_date(sc.norm[p.start:p.end]))
        if value:
            out[key] = value
    if "deadline" not in out:
        for m in (*_DEADLINE_PROSE.finditer(sc.norm), *_DEADLINE_SENTENCE.finditer(sc.norm)):
            value = parse_chinese_date(m.group(1))
            if value:
                out["deadline"] = value
                break
    if "opening" not in out and "deadline" in out:
        # "开标时间：同投标截止时间" is the usual wording; the opening is the deadline.
        for p in sc.pairs:
            if any(f == "opening" for f, _ in p.fields) and "截止" in sc.norm[p.start:p.end]:
                out["opening"] = out["deadline"]
                break
    if "published" not in out:
        out_pub = _standalone_date(sc, top) or _standalone_date(sc, _last_lines(sc, 8))
        if out_pub:
            out["published"] = out_pub
    return out


def _last_lines(sc: _Scanner, n: int) -> list[int]:
    return [i for i, (s, e) in enumerate(sc.lines) if sc.norm[s:e].strip()][-n:]


def _standalone_date(sc: _Scanner, lines: list[int]) -> str | None:
    """A line that is only a date: the cover-page date of a tender, or the signature date of a notice."""
    for li in lines:
        if li in sc.consumed:
            continue
        s, e = sc.lines[li]
        t = re.sub(r"\s+", "", sc.norm[s:e])
        t = re.sub(r"^(?:日期|发布日期):?", "", t)
        if 6 <= len(t) <= 16 and "时" not in t and ":" not in t and "点" not in t:
            d = parse_chinese_date(t)
            if d and re.fullmatch(r"[\d年月日号/.\-" + _CN_DATE_DIGIT + "十]+", t):
                return d
    return None
