"""Assembling one document's record: each field's pick among the scanned pairs, prose fallbacks,
lots, dates, the marker legend, evidence and null reasons."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from analyzer.metadata.fields import TenderMetadata
from analyzer.metadata.kinds import _is_template, _notice_type, _resolve_type
from analyzer.metadata.parsers import (
    _CJK,
    _CN_DATE_DIGIT,
    _CREDIT,
    _HAS_CJK,
    _NAME_BAD,
    _NUMBER_OK,
    _cn_small_int,
    _fold,
    _name,
    _org,
    _region,
    _tidy,
    classify_buyer,
    normalize_project_number,
    parse_amount,
    parse_chinese_date,
    placeholder,
)
from analyzer.metadata.regions import province_by_majority
from analyzer.metadata.regions import resolve as resolve_region
from analyzer.metadata.scan import _DATE_EXCLUDE, _LEADING_NUMBERING, _Pair, _Scanner

# --------------------------------------------------------------------------- assembling the record

_AWARD_TYPES = {"award", "single_source", "contract", "acceptance", None}
# "投标文件递交的截止时间（投标截止时间，下同）为2025年12月22日10时00分" (prose, no label/colon pair)
# (the aside may hold brackets of its own: "（提交(上传)截止时间，下同）")
_DEADLINE_SENTENCE = re.compile(r"(?:投标|响应|应答)?(?:\([^()]{0,6}\))?文件\s*(?:的)?(?:递交|提交|上传)?(?:的)?截止(?:时间|日期)"
                                r"(?:\((?:[^()]|\([^()]{0,6}\)){0,24}\))?(?:[和及](?:开标|评审)时间)?\s*(?:为|是|:)\s*:?\s*([^,，;；。]{8,30})")
# "报价截止时间为…", "递交投标文件的截止时间即开标时间为…", "…上传至平台（网址），截止时间为…"
_DEADLINE_SUBMIT = re.compile(r"(?:(?:投标|响应|报价|应答)截止(?:时间|日期)(?:\([^()]{0,20}\))?(?:[和及](?:开标|评审)时间)?|(?:递交|提交|上传)(?:投标|响应|报价)文件的?截止(?:时间|日期)"
                              r"(?:即开标时间)?|(?:文件[^。\n]{0,10}?(?:上传|递交|提交)|(?:上传|递交|提交)[^。\n]{0,10}?文件)[^。\n]{0,80}?"
                              r"截止(?:时间|日期))\s*(?:为|是|:)\s*:?\s*"
                              r"([^,，;；。]{8,30})")
# "投标时间：2019年7月9—11日8:30—16:00（北京时间），逾期不受理": a window to hand bids in; its end is the deadline.
_BID_WINDOW = re.compile(r"(?:投标|递交投标文件|投标文件递交|提交投标文件|响应文件递交|递交响应文件)(?:的)?(?:接收)?时间\s*(?:为|:)\s*:?\s*"
                         r"([^。；;\n]{8,60})")
_DAY_RANGE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日?\s*[—–\-~至到]+\s*(\d{1,2})\s*日"
                        r"(?:[^\d]{0,12}?\d{1,2}\s*[:时点]\s*\d{0,2}\s*分?\s*[—–\-~至到]+\s*(\d{1,2})\s*[:时点]\s*(\d{0,2}))?")
_RANGE_SEP = re.compile(r"[—–~至到]|(?<=\d)\s*-\s*(?=\d{4})")


def _window_end(value: str) -> str | None:
    """The end of a date window ("7月9—11日8:30—16:00", "…9日8:30至2019年7月11日16:00"), or None.

    The end is written out whole (its year and day borrowed from the start where it omits them) and
    read by parse_chinese_date, which checks the date and the time as for any other date."""
    if m := _DAY_RANGE.search(value):
        time = f" {m.group(4)}:{m.group(5) or '00'}" if m.group(4) else ""
        return parse_chinese_date(f"{m.group(1)}年{m.group(2)}月{m.group(3)}日{time}")
    parts = [p for p in _RANGE_SEP.split(value) if p.strip()]
    start = parse_chinese_date(parts[0]) if len(parts) >= 2 else None
    if not start or len(start) < 10:
        return None
    last = parts[-1]
    if re.match(r"\s*\d{1,2}\s*月", last):
        last = f"{start[:4]}年{last}"  # "至3月5日": the start's year
    elif re.match(r"\s*\d{1,2}\s*[:时点]", last):
        last = f"{start[:10]} {last}"  # "-11:30": the start's day
    end = parse_chinese_date(last)
    return end if end and len(end) >= 10 else None


_DEADLINE_PROSE = re.compile(r"(?:并于|于)\s*([^,，。;；]{8,40}?)\s*(?:\(北京时间\))?\s*(?:之)?前\s*(?:\(北京时间\)\s*[,，]?\s*)?(?:将[^,，。;；]{0,12}?)?"
                             r"(?:递交|提交|上传|送交|送达)")
# "6.3 开标时间为2025年12月3日14时30分": the opening in prose, where no "开标时间：" label gives it.
_OPENING_PROSE = re.compile(r"开标(?:时间|日期)\s*(?:为|是|定于)\s*([^,，。;；]{8,40}?)\s*(?:\(北京时间\))?\s*(?:[,，。;；]|$)"
                            r"|将于\s*([^,，。;；在]{8,40}?)\s*(?:\(北京时间\))?\s*在[^,，。;；]{0,60}?开标", re.M)  # 本次招标将于DATE在X开标
_BUDGET_PROSE = re.compile(
    r"(?:预算金额|采购预算|项目预算|总预算|预算价|工程量清单预算|采购总金额|最高投标限价|投标最高限价|最高限价|招标控制价|采购控制价|控制价|限价|"
    r"预估价|预估金额|预估总金额|预估总价|本次招标建安工程造价)"
    r"(?:总价|总额|金额)?\s*(?:\(\s*((?:人民币)?\s*\d[\d,.]*\s*(?:亿元|万元|元|万))\s*\)|"  # 总预算（100万元）
    r"(?:\((?![^()]*单价)[^()]{0,16}\))?\s*(?:为|是|约)?\s*:?\s*"
    r"((?:人民币)?\s*[¥]?\s*\d[\d,.]*\s*(?:亿元|万元|元|万)(?!\s*/)))"
)


# "2、最高限价：⏎（1）维保费：人民币24.3万元/年（含税）；⏎（2）配件费：…下浮率": a ceiling label with
# nothing after it, its items enumerated below; the items that are amounts make the budget.
_ITEMISED = re.compile(r"(?:预算金额|采购预算|项目预算|最高投标限价|最高限价|招标控制价|采购控制价|控制价|采购限价)\s*:?\s*\n"
                       r"((?:[ \t]*(?:\(\d{1,2}\)|[①-⑩]|\d{1,2}[、.](?!\d))[^\n]*\n?){1,6})")
_ITEM = re.compile(r"^[ \t]*(?:\(\d{1,2}\)|[①-⑩]|\d{1,2}[、.])\s*[^:\n]{0,12}:\s*([^\n]*)$", re.M)


def _amount(text: str, unit: str | None = None) -> float | None:
    """The amount a budget value states: the total over a unit price or a year where both are printed,
    None for a unit price alone."""
    total = _TOTAL_AFTER_UNIT_PRICE.search(text) or _LONGER_PERIOD.search(text)
    if total:  # "20万元/处，合计140万元", "40万元/年，80万元/两年": the total, not the unit price
        text = total.group(1)
    elif re.search(r"/\s*年", text) and (term := _TERM_TOTAL.search(text)) \
            and (parse_amount(term.group(1)) or 0) > (parse_amount(text, unit) or 0):
        text = term.group(1)  # a yearly figure beside the whole term's (larger, not a part): the term's
    elif _PER_UNIT.match(text):
        return None  # a unit price only (per tonne, per person and month …)
    v = parse_amount(text, unit)
    return v if v is not None and v > 0 else None


def _itemised_budget(norm: str) -> tuple[float, int] | None:
    """The sum of the amounts enumerated under an empty ceiling label, and where it was read."""
    m = _ITEMISED.search(norm)
    if not m:
        return None
    values = []
    for item in _ITEM.finditer(m.group(1)):
        v = item.group(1)
        if _FEE_RATE.search(v) or _PER_UNIT.match(v) or not _CURRENCY.search(v):
            continue  # a rate, a price per unit, or a reference to another chapter: not an amount
        if (amount := _amount(re.split(r"[;；。]", v)[0])) is not None:
            values.append(amount)
    return (round(sum(values), 2), m.start()) if values else None


_TOTAL_AFTER_UNIT_PRICE = re.compile(r"\d\s*(?:亿元|万元|元|万)\s*/[^,，;；。()]{1,4}\s*[,，;；(]\s*"
                                     r"(?:[一二两三四五六七八九十\d]{1,2}年)?\s*(?:合计|总计|共计)\s*(?:为|:)?\s*"
                                     r"((?:人民币)?\s*\d[\d,.]*\s*(?:亿元|万元|元|万))")
_LOT_NO = r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3}|I{1,3}|IV|VI{0,3}|IX|[Ⅰ-Ⅻ])"  # 3, 三, III, Ⅲ
_INLINE_LOT = re.compile(rf"(?:(?:第)?{_LOT_NO}\s*(?:标段|包|标项|子包)\s*[:：]?|"
                         rf"(?:标段|标项|子包|包)\s*{_LOT_NO}\s*(?:[:：]|(?=人民币)))\s*"
                         r"(?:为)?\s*((?:人民币)?\s*\d[\d,.]*\s*(?:亿元|万元|元|万))")
_LONGER_PERIOD = re.compile(r"\d\s*(?:亿元|万元|元|万)\s*/\s*年\s*(?:\([^()]{0,8}\))?\s*[,，;；]\s*"
                            r"((?:人民币)?\s*\d[\d,.]*\s*(?:亿元|万元|元|万))\s*/?\s*[两二三四五六七八九十\d]{1,2}年")

# "283018.86元/年（不含税价）；300000元/年（含税价）；900000元/三年（含税价）": the term's total.
_TERM_TOTAL = re.compile(r"((?:人民币)?\s*\d[\d,.]*\s*(?:亿元|万元|元|万))\s*/\s*(?:[两二三四五六七八九十]|[2-9]|\d{2})\s*年")
# "53.6元/吨", "1700元/吨", "4000元/人/月": a price per unit of goods or work, not an amount.
_PER_UNIT = re.compile(r"^[^\d]{0,30}?\d[\d,.]*\s*(?:亿元|万元|元|万)\s*/\s*"
                       r"(?:吨|箱|件|个|台|套|人|次|间|亩|平方米|平米|㎡|m2|米|公里|小时|天|日|辆|只|瓶|桶|袋|张|份|公斤|千克|kg|"
                       r"度|立方米|立方|方|m3|车|床|餐|株|棵|盒|组|户|位|课时|学时|工日|台班)")

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


_NUMBERING_VALUE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){1,3}\s*(?![万亿元])[\u4e00-\u9fff]")  # "3.2 投标报价": the next clause
_DEFINITION = re.compile(r"[\"“”'‘’\s]*(采购人|招标人|集中采购机构|采购代理机构|代理机构|招标代理机构)[\"“”'‘’\s]*(?:系指|是指)\s*"
                         r"([^。;；,，\n]{2,60})")
# "项目已由方案征集人X批准实施" / "已由招标人X批准": the role word says whose name follows.
_APPROVED_BY = re.compile(r"由\s*(采购人|招标人|方案征集人)\s*([^。;；,，\n]{2,40}?)\s*(?:批准|立项)")
# "项目招标人为智运、市域、建分": the buyer named in prose, often by a short name the same sentence
# group defined ("…智慧运营分公司（以下简称“智运”）"); the first of several is taken.
_BUYER_IS = re.compile(r"(招标人|采购人)\s*(?:为|是)\s*([^。;；,，、\n]{2,60})")
# "项目业主为A、B、C，招标资金来自…" (the works template's opening): the owners, read after any
# 招标人 sentence, the first of several taken.
_OWNER_IS = re.compile(r"(项目业主)\s*(?:为|是)\s*([^。;；,，、\n]{2,60})")
# "招标人：A有限公司、B有限公司": joint buyers on one label; the first is the buyer, as for prose.
# A 、 inside brackets lists one body's other names (宁波市工人文化宫（…学院、…中心）) and stays.
_JOINT = re.compile(r"^((?:[^()、]|\([^()]*\)){4,60}?(?:有限公司|有限责任公司|股份公司|集团|局|中心|委员会|大学|学院|医院))、.{4,}$")


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


# The verb (就/对) is sometimes left out: "受X委托，NAME（项目编号：NUM）进行公开招标".
_COMMISSION = re.compile(r"受\s*([^,，。;；:]{2,40}?)\s*(?:的)?委托\s*[,，]?\s*(?:(?:[^,，。;；:()]{2,30}?)?(?:就|对|为其所需的|为)\s*)?"
                         r"((?:[^,，。;；:()]|\([^()]{1,20}\)){2,80}?)\s*\(\s*(?:项目编号|招标编号|采购编号|编号)\s*:\s*([^()]{3,60}?)\s*\)")


def _column_lots(sc: _Scanner, money: Callable[[_Pair], float | None]) -> dict[str, float]:
    """Each lot's budget from a lot table's amount column (scan.lot_rows); {} under two lots."""
    lots: dict[str, float] = {}
    for p in sc.pairs:
        if p.lot and p.lot not in lots and any(f == "budget" for f, _ in p.fields) and (v := money(p)) is not None:
            lots[p.lot] = v
    return lots if len(lots) >= 2 else {}


_PROJECT_NUMBER_ASIDE = re.compile(r"(?:本招标项目|本项目|本次招标项目|本采购项目)[^。;；\n]{2,120}?\(\s*(?:项目编号|招标编号|采购编号)\s*:\s*([^()]{3,60}?)\s*\)")
# The template's opening sentence with the number bare in brackets: "本招标项目NAME（重发）（NBITC-…-1），
# 招标人为…". Only a code of Latin letters and digits right before the buyer's words counts.
_PROJECT_NUMBER_BARE = re.compile(r"(?:本招标项目|本次招标项目)[^。;；\n]{2,120}?\(\s*((?=[^()]*\d)[A-Za-z0-9][A-Za-z0-9\-_/.]{4,40})"
                                  r"\s*\)\s*,?\s*(?:招标人|采购人)")
_FEE_RATE = re.compile(r"[%‰]|收费标准|计费标准|取费标准|费率|下浮率?|折扣|系数")  # 自主定价系数为0.9: a coefficient
_CURRENCY = re.compile(r"\d\s*(?:亿元|万元|元|圆)|[¥￥]")
_SERVICE_TITLE = re.compile(r"监理|设计|勘察|咨询|检测|审计|造价")


def _other_contract(norm: str, start: int, title: str) -> bool:
    """A prose ceiling of the works ("施工招标控制价：…") in a supervision, design or consultancy
    notice: the price of the contract this one serves, not of this one."""
    works = norm[max(0, start - 2):start] in ("施工", "工程") or norm.startswith("本次招标建安工程造价", start)
    return works and bool(_SERVICE_TITLE.search(title))


# 项目编号：以系统生成为准（ZJCT-NB【2025】2482）: the platform assigns its number later, and the
# agency prints its own in brackets; that one is the project's number, the words before it a blank.
_GENERATED_NUMBER = re.compile(r"\s*(?:以系统生成为准|系统自动生成)\s*\(([^()]*\d[^()]*)\)")


def _numbers_in_prose(norm: str, commission: re.Match[str] | None) -> Iterator[tuple[str, int]]:
    """Numbers a notice's prose gives in an aside, with their offsets, in the order they are trusted:
    the commission sentence's, then the opening sentence's ("本招标项目NAME（项目编号：NUM），采购资金…")."""
    if commission:
        yield commission.group(3), commission.start(3)
    for aside in (_PROJECT_NUMBER_ASIDE, _PROJECT_NUMBER_BARE):
        if m := aside.search(norm[:3000]):
            yield m.group(1), m.start(1)


def _prose_number(value: str) -> str | None:
    v = value.strip()
    if placeholder(v) or not _NUMBER_OK.search(v) or not re.search(r"\d", v) or len(_HAS_CJK.findall(v)) * 2 > len(v):
        return None
    return v


def _fuller(name: str, others: list[str]) -> str:
    """The whole name where the picked one is cut: a cover blank left only "市场监督管理局", or a
    line break cut "…管理处(北"; another label of the same document prints it whole."""
    if name.count("(") > name.count(")"):
        head = name[:name.rfind("(")]
        for o in others:
            if o.startswith(head) and len(o) > len(name) and o.count("(") == o.count(")"):
                return o
    for o in others:
        if len(o) > len(name) and o.endswith(name) and not o[0].isdigit():
            return o
    return name


def _where(sc: _Scanner, label: str | None, meta: TenderMetadata, title_line: int | None) -> str | None:
    """The region as 省市县 names: from a region label, the buyer's address, the buyer's name, the
    places of service or delivery and the project's name, in that order (metadata/regions.py).

    A label whose value the gazetteer cannot read (a code, a name it lacks) is kept as printed.
    """
    def values(field: str) -> list[str]:
        return [sc.norm[p.start:p.end] for p in sorted(sc.pairs, key=lambda p: p.start)
                if any(f == field for f, _ in p.fields)][:3]

    title = sc.norm[slice(*sc.lines[title_line])] if title_line is not None else None
    found = resolve_region([label, *values("buyer_address"), meta.buyer, *values("place"), meta.project_name, title])
    return found or label or province_by_majority(sc.norm)


def _definitions(norm: str) -> dict:
    """Buyer and agency from the 须知 definitions ("“采购人”系指上海市…局。") or an approval sentence
    ("已由招标人X批准"); weak: must end like an org."""
    out: dict = {}  # field -> value, and field + "@" -> where it was read
    for m in (*_DEFINITION.finditer(norm), *_APPROVED_BY.finditer(norm), *_BUYER_IS.finditer(norm),
              *_OWNER_IS.finditer(norm)):
        field_name = "buyer" if m.group(1) in ("采购人", "招标人", "方案征集人", "项目业主") else "agency"
        if field_name in out:
            continue
        value = _org(_short_name(norm, m.group(2).strip("\"“” ")), True)
        if value and not re.search(r"投标人须知|前附表|所述|组织本次|本次招标", value):
            out[field_name] = value
            out[field_name + "@"] = m.start(2)
    return out


def _short_name(norm: str, value: str) -> str:
    """The full name a short one stands for ("X（以下简称“智运”）" defines 智运), else ``value``."""
    if len(value) > 8:
        return value
    m = re.search(r"([^,，、。;；:()\[\]\n]{4,60}?)\s*\(\s*以下简称\s*[\"“”']?" + re.escape(value) + r"[\"“”']?\s*\)", norm)
    return re.split(r"已由|系由|是由|均由|项目由", m.group(1))[-1].strip() if m else value


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
        if m := _GENERATED_NUMBER.match(norm, s, e):  # the agency's own number, bracketed after the platform's blank
            s, e = m.span(1)
        v = norm[s:e]
        cut = re.search(rf"\s*\([^()]*[{_CJK}][^()]*\)|[;；,，。]|\s{{2,}}|\s+[{_CJK}]", v)
        if cut:
            e = s + cut.start()
        s, e = sc.strip_span(s, e)
        while e - s > 2 and norm[s] in "[【<(" and norm[e - 1] in "]】>)":
            s, e = s + 1, e - 1  # 【CP-2025-032】: the brackets are typography, not the number
        v = norm[s:e]
        if (placeholder(norm[p.start:p.end]) and not m) or placeholder(v):
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

    commission = _COMMISSION.search(norm)  # "受X委托，对NAME（项目编号：NUM）进行…" (notice prose)
    if meta.project_number is None:
        for raw, at in _numbers_in_prose(norm, commission):
            if n := _prose_number(raw):
                meta.project_number = n
                meta.project_number_norm = normalize_project_number(n)
                cite("project_number", at, "prose")
                break

    meta.project_name, name_pair = _pick(sc, "project_name", lambda p: _name(norm[p.start:p.end]))
    if meta.project_name and name_pair is not None:
        meta.project_name = _wrapped(sc, name_pair, meta.project_name)
    cite_pair("project_name", name_pair)
    if meta.project_name is None and commission and (n := _name(commission.group(2))):
        meta.project_name = n  # the body's sentence before the title: a page's title can be stale
        cite("project_name", commission.start(2), "prose")
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
        if v is not None and (m := _JOINT.match(v)):
            v = m.group(1)
        return None if v is not None and v == meta.agency else v  # never the agency

    meta.buyer, buyer_pair = _pick(sc, "buyer", buyer)
    if meta.buyer is not None:
        meta.buyer = _fuller(meta.buyer, [v for p in sc.pairs if any(f == "buyer" for f, _ in p.fields)
                                          if (v := buyer(p)) is not None])
    if defined.get("buyer") and (buyer_pair is None or min(t for f, t in buyer_pair.fields if f == "buyer") > 0):
        meta.buyer = defined["buyer"]  # the 须知 definition beats 甲方/业主/使用单位
        cite("buyer", defined["buyer@"], "definition")
    else:
        cite_pair("buyer", buyer_pair)
    meta.buyer_is_police, meta.buyer_type = classify_buyer(meta.buyer)

    def money(p: _Pair) -> float | None:
        text = norm[p.start:p.end]
        if p.unit in ("%", "单价") or placeholder(text) or _NUMBERING_VALUE.match(text):
            return None
        if _FEE_RATE.search(text) and not _CURRENCY.search(text):
            return None  # "浙价服（2009）84号文件…收费标准的60%": a rate on a fee schedule, no amount
        # "预算金额：子包一：29万元；子包二：12万元。最高限价：子包一：…": one series, the first sentence's
        head = text.split("。")[0]
        inline = [parse_amount(m.group(1)) for m in _INLINE_LOT.finditer(head)]
        if len(inline) < 2:
            inline = [parse_amount(m.group(1)) for m in _INLINE_LOT.finditer(text)]
        if len(inline) >= 2 and all(inline):  # "I标段2686923元；II标段2387896元", "标段1：…元，标段2：…元"
            return round(sum(v for v in inline if v), 2)
        # "最高限价为人民币包 1-10787900.00 元": the lot number is no part of the amount
        text = re.sub(r"(?:合同包|采购包|包件|标段|标包|包)\s*\d{1,2}\s*[-—–:]\s*(?=\d)", "", text)
        return _amount(text, p.unit)

    meta.budget_yuan, budget_pair = _pick(sc, "budget", money)
    cite_pair("budget_yuan", budget_pair)
    if meta.budget_yuan is None:
        title = sc.norm[slice(*sc.lines[title_line])] if title_line is not None else sc.norm[:200]
        m = next((m for m in _BUDGET_PROSE.finditer(norm) if not _other_contract(norm, m.start(), title)), None)
        if m:
            meta.budget_yuan = parse_amount(m.group(1) or m.group(2))
            cite("budget_yuan", m.start(), "prose")
    if meta.budget_yuan is None and (itemised := _itemised_budget(norm)):
        meta.budget_yuan = itemised[0]
        cite("budget_yuan", itemised[1], "prose")
    meta.budget_lots = lot_budgets(norm) or _column_lots(sc, money)
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
    meta.region = _where(sc, region, meta, title_line)

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


_LOT = re.compile(r"(?:合同包|采购包|包件|分包|标段|标包|包组|标项|包)\s*(?:号\s*)?([0-9]{1,3}|[一二三四五六七八九十]{1,3})"
                  r"(?!\s*[0-9一二三四五六七八九十])|第\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:包|标段|分包)")
_LOT_BUDGET = re.compile(r"(?:预算金额|采购预算|项目预算|预算|最高限价|控制价)\s*(\([^()]{0,6}(?:万元|元)\)|\([^()]{0,6}\))?\s*[:：]?\s*"
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
            unit = b.group(1)[1:-1] if b.group(1) and "元" in b.group(1) else None
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
    weak = False
    for key, name in (("published", "published"), ("deadline", "deadline"), ("opening", "opening"),
                      ("award", "award_date"), ("contract", "contract")):
        value, pair = _pick(sc, name, lambda p: parse_chinese_date(sc.norm[p.start:p.end]))
        if value:
            out[key] = value
            if key == "deadline" and pair is not None:
                weak = min(t for f, t in pair.fields if f == "deadline") > 0
    if "deadline" not in out or weak:  # a sentence naming the bid beats a bare "提交截止时间："
        for m in sorted((*_DEADLINE_PROSE.finditer(sc.norm), *_DEADLINE_SENTENCE.finditer(sc.norm),
                         *_DEADLINE_SUBMIT.finditer(sc.norm)), key=lambda m: m.start()):
            if any(x in sc.norm[max(0, m.start() - 12):m.start(1)] for x in _DATE_EXCLUDE):
                continue  # 澄清招标文件的截止时间, 保证金到账截止时间: not the bid's
            value = parse_chinese_date(m.group(1))
            if value:
                out["deadline"] = value
                break
    if "deadline" not in out and (m := _BID_WINDOW.search(sc.norm)) and (end := _window_end(m.group(1))):
        out["deadline"] = end  # only a window: a single 投标时间 may be the opening
    if "opening" not in out and (m := _OPENING_PROSE.search(sc.norm)) \
            and (value := parse_chinese_date(m.group(1) or m.group(2))):
        out["opening"] = value
    if "deadline" not in out and "opening" in out:
        # Bids close when they are opened (招标投标法 art. 34): a notice that prints only the opening
        # time (开标时间为…) under its submission heading has given the deadline.
        out["deadline"] = out["opening"]
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
