"""Value parsers and checks: text folding, amounts (元/万元/亿元, 大写), dates, project numbers,
buyer kinds, and whether a value is a real name or a blank, a placeholder or template wording."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from analyzer.metadata.vocabulary import BUYER_TYPES, CONTEXTS, GENERIC_NAMES, HEADER_WORDS, LABEL_TIERS

# --------------------------------------------------------------------------- text folding

_CJK = "\u4e00-\u9fff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_FOLD_EXTRA = {"\u2502": "|", "\u2503": "|", "\u3000": " ", "\xa0": " "}


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC per character (normalize.fold_char: also Kangxi/CJK radicals to ideographs, zero-width marks
    dropped), with ``offs[i]`` = raw index of folded character ``i`` (plus a sentinel).

    Per-character folding keeps the offset map exact, which lets ``project_number`` be sliced
    from the raw text even though all matching runs on the folded text.
    """
    from analyzer.normalize import fold_char  # the one character folding, shared with the rules

    n = len(text)
    table = {c: _FOLD_EXTRA.get(c) or fold_char(c) for c in set(text) if c >= "\x80"}
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
# What follows a figure that is no amount: a rate, a count, a date, or the year of a document
# citation ("浙价服(2009)84号").
_NOT_MONEY_AFTER = re.compile(r"\s*(?:[%‰折包号年月日个项次天人台套份家条年期]|标段|\.(?!\d)|、|[)〕\]】]\s*第?\s*\d+\s*号)")
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
    for 〇 (docs/taxonomy.md §1).
    """
    if not s:
        return None
    t = _nfkc(s)
    t = re.sub(r"(?<!\d)(\d)\s+(\d)(?=\s*[月日号])", r"\1\2", t)  # "2025 年1 1 月": a spaced-out page split the month
    found = [hit for hit in (_arabic_date(t), _chinese_date(t)) if hit]
    return min(found)[1] if found else None


# --------------------------------------------------------------------------- project numbers and names


def normalize_project_number(s: str) -> str:
    """Half-width, upper case, no whitespace: the key that links notices (docs/taxonomy.md §1).

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

_DETENTION = BUYER_TYPES["detention"]
_POLICE = BUYER_TYPES["police"]
_PARTY_SECURITY = BUYER_TYPES["party_security"]
_PARTY_OTHER = BUYER_TYPES["party_other"]
_JUSTICE = BUYER_TYPES["justice"]


def classify_buyer(name: str | None) -> tuple[bool, str | None]:
    """``(buyer_is_police, buyer_type)`` for a buyer name (docs/taxonomy.md §1).

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
    ("template numbering", re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\s*(?![万亿元])[\u4e00-\u9fff]{2,12}\s*:?$")),
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
    v = _tidy(v).strip(" :-、")  # "招标人名称：A、⏎B": joint buyers listed across lines, the first taken
    v = re.sub(r"\((?:[^()]*(?:联合体|牵头|成员|主体|盖章|签章)[^()]*)\)$", "", v).strip()
    v = re.sub(r"\((?:地址|电话|联系|住所|邮编)[^()]*\)$", "", v).strip()  # 采购人：X（地址：…）
    if not (2 <= len(v) <= 60) or len(_HAS_CJK.findall(v)) < 2 or v in _LABEL_WORDS or v in HEADER_WORDS \
            or v in CONTEXTS or _COLUMN_WORD.fullmatch(v):
        return None  # a column header read as the next label's value ("采购单位 | 采购数量"), or a heading ("采购单位信息")
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


_GENERIC_NAMES = GENERIC_NAMES
_COLUMN_WORD = re.compile(r"[\u4e00-\u9fff]{0,4}(?:数量|内容|名称|编号|金额|价格|单价|期限|规格|型号|备注|交货期)")
_LABEL_WORDS = frozenset(label for tiers in LABEL_TIERS.values() for tier in tiers for label in tier)


def _name(value: str) -> str | None:
    """Project name with the notice suffix stripped; None for blanks, templates and bare "政府采购"."""
    if placeholder(value):
        return None
    v = _strip_notice_suffix(_tidy(value))
    if v in _LABEL_WORDS or v in HEADER_WORDS or re.fullmatch(r"[\u4e00-\u9fff]{2,4}(?:内容|名称|编号|概况)", v):
        return None  # a column header or the next label, not a name
    if v in _GENERIC_NAMES or not (2 <= len(v) <= 150) or _NAME_BAD.search(v) or v.startswith(("详见", "见")):
        return None
    return v
