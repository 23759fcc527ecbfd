"""The scanner: label/value pairs from folded text (label：value, table cells, header rows, a label
alone on its line); which words are labels comes from vocabulary.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analyzer.metadata.parsers import _CJK, _HAS_CJK, _cn_small_int
from analyzer.metadata.vocabulary import (
    ADDRESS_KEYS,
    CONTEXT_KEYS,
    CONTEXTS,
    DATE_EXCLUDE,
    HEADER_WORDS,
    LABEL_TIERS,
)

# --------------------------------------------------------------------------- labels

_LABEL_TIERS = LABEL_TIERS


def _invert(tiers: dict[str, tuple[tuple[str, ...], ...]]) -> dict[str, list[tuple[str, int]]]:
    """label -> [(field, tier)]; a label may feed two fields."""
    out: dict[str, list[tuple[str, int]]] = {}
    for name, groups in tiers.items():
        for tier, labels in enumerate(groups):
            for label in labels:
                out.setdefault(label, []).append((name, tier))
    return out


_LABELS = _invert(_LABEL_TIERS)

_CONTEXT = CONTEXTS
_CONTEXT_KEYS = CONTEXT_KEYS
_HEADER_WORDS = HEADER_WORDS
_DATE_EXCLUDE = DATE_EXCLUDE
_LEADING_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+[章节条部分篇]\s*)?"
    r"(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)[、.]?|\(?\d{1,2}\)[、.]?|"
    r"\d{1,2}(?:\.\d{1,2})*(?:[、.](?!\d)|(?![\d年]))|[★▲*#※△●◆■□•·>\-]\s*)+"  # "3年预估价": a period, not numbering
)
_PAREN = re.compile(r"\(([^()]*)\)")
_BARE_YUAN = re.compile(r"\d{4,}(?:\.\d{1,2})?")
_FIGURE = re.compile(r"\d(?!\d?年)")  # a figure in a cell; "3年预估价" names a period, a header still
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
        elif "单价" in m.group(1) and "总价" not in m.group(1):
            unit = "单价"  # 最高限价（全费用综合单价）: a price per unit, never the amount
    inner = [m.group(1) for m in _PAREN.finditer(key)]
    key = _PAREN.sub("", key)
    key = re.sub(r"^原公告的?", "", key) if key.startswith("原公告") else key
    key = key.replace("/成交", "").removesuffix("为").removesuffix("约")  # "三年预算总额约为"
    if key not in _LABELS:
        key = _known_part(key)
    if key not in _LABELS:
        # "服务费估算（最高限价）", "保险费用（年保费最高限价）": the bracket says what the figure is.
        key = next((b for i in inner for b in _BUDGET_LABELS if i.endswith(b)), key)
    return key, unit


_BUDGET_LABELS = sorted((k for k, fs in _LABELS.items() if any(f == "budget" and t == 0 for f, t in fs)),
                        key=len, reverse=True)
_LOT_HEADER = re.compile(r"^(?:标段|标段号|包号|包组|包组号|标项|标项号|分包|分包号|子包|合同包|采购包|包件|标包|标段编号|品目|品目号)$")
# An amount that ends its cell, goes on after punctuation, or is priced per year ("40万元/年").
_COLUMN_AMOUNT = re.compile(r"\d\s*(?:亿元|万元|元|万)\s*(?:人民币)?\s*(?:\(|$|[,，;；。]|/\s*(?:[一二两三四五六七八九十\d]{0,2}年|年度))")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5}


_COLUMN_ENDS = ("需求", "要求", "内容", "范围", "期限", "数量")


def _header_word(key: str) -> bool:
    """A column header beside labels: a listed word, or a short one ending like a column ("主要采购需求")."""
    return key in _HEADER_WORDS or len(key) <= 8 and key.endswith(_COLUMN_ENDS)


def _amount_cols(keys: list[tuple[str, str | None]]) -> list[int]:
    """The header's budget and award columns (the only columns read under a header of free words)."""
    return [i for i, (k, _) in enumerate(keys) if any(f in ("budget", "award") for f, _ in _fields(k))]


def _empty_tail(row: list, header: list, line: str) -> bool:
    """A row shorter than its header only because its last cells are empty ("一 | … | 194万元 | … | "):
    cells() drops empty trailing cells."""
    return len(row) < len(header) and line.rstrip().endswith("|")


def _lot_id(cell: str) -> str | None:
    """The lot a row's first cell names ("1", "01", "一", "第二标段", "Ⅱ标段"), as a number string."""
    m = re.fullmatch(r"\s*(?:第)?\s*(?:标段|标项|分包|子包|包)?\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3}|I{1,3}|IV|V|[ⅠⅡⅢⅣⅤ])\s*"
                     r"(?:标段|包|标项|分包|子包|号)?\s*", cell)
    if not m:
        return None
    raw = m.group(1)
    if raw.isdigit():
        return str(int(raw))
    if raw in _ROMAN:
        return str(_ROMAN[raw])
    n = _cn_small_int(raw)
    return str(n) if n else None


_RATE_UNIT = re.compile(r"^\s*%\s*$|报价承诺|费率|折扣|下浮|优惠率")
_FILLER = re.compile(r"^(?:本次|本项目|本工程|项目|本|总价|总|年度|采购|招标|工程|服务|货物|合同|此次|[一二两三四五六七八九十\d]{1,2}年)+$")


_TOTAL_SUFFIXES = ("总金额", "总价", "总额", "合计", "总计")


def _known_part(key: str) -> str:
    """A label inside a longer key: "本次招标控制价" → 招标控制价, "采购预算/最高限价" → 采购预算.

    Only a known label after filler words (本次, 本项目, 总价, 年度 …) or one side of a slash
    counts, so a sentence ending in a label word never becomes a key.
    """
    for part in key.split("/") if "/" in key else ():
        if part in _LABELS:
            return part
    for suffix in _TOTAL_SUFFIXES:  # "最高限价总金额", "预算金额合计": the label's total
        if key.endswith(suffix) and key[: -len(suffix)] in _LABELS:
            return key[: -len(suffix)]
    for i in range(1, min(len(key) - 1, 8)):
        if key[i:] in _LABELS and _FILLER.match(key[:i]):
            return key[i:]
    return key


_BID_WORDS = ("投标", "响应", "报价", "应答", "递交", "文件", "开标", "磋商", "谈判")


def _date_fields(key: str) -> list[tuple[str, int]]:
    """Date labels vary too much to list (投标(响应)文件递交截止时间 …), so match by parts."""
    if len(key) > 24 or key.startswith(("同", "详见", "见")) or any(x in key for x in _DATE_EXCLUDE):
        return []
    out = []
    if "截止" in key and ("时间" in key or "日期" in key or key.endswith("截止")):
        # A bare "提交截止时间" may be a bond's (保证金) deadline; one naming the bid comes first.
        out.append(("deadline", 0 if any(x in key for x in _BID_WORDS) else 1))
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
    lot: str | None = None  # the lot a column's row belongs to ("标段 | … | 最高限价" over one row per lot)


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
        elif not fields and key in ADDRESS_KEYS and (ctx == "buyer" or self.after_buyer(line)):
            fields = (("buyer_address", 0),)
        if fields:
            s, e = self.strip_span(s, e)
            self.pairs.append(_Pair(key, s, e, unit, line, weak, fields))

    def after_buyer(self, line: int) -> bool:
        """"采 购 人：X" over "地 址：Y": an address on the buyer's line or the next is the buyer's."""
        last = self.pairs[-1] if self.pairs else None
        return last is not None and line - last.line <= 1 and any(f == "buyer" for f, _ in last.fields)

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
        role = next((f for f, _ in _fields(key) if f in ("buyer", "agency", "winner")), None)
        if self.norm[vs:ve].strip():
            self.add(key, unit, vs, ve, line, False, ctx)
        elif role and not m and self.names_follow(line):
            return role  # "九、招标人：" over "名 称：X" and "地 址：Y": the lines below are its
        elif _fields(key) or key in _CONTEXT_KEYS:
            self.next_line_value(key, unit, line, ctx)
        if m:  # "招标人：X 地址：Y": the rest of the line is still about the buyer
            self.segment(m.end(), e, line, "buyer" if any(f == "buyer" for f, _ in _fields(key)) else ctx)
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
            cells = self.cells(s, e)
            if len(cells) >= 2 and any(self.known(a, b) for a, b in cells):
                return False  # "招标控制价：" over "标项号 | 招标内容 | 最高限价": the table below is the value
            self.add(key, unit, s, e, j, True, ctx)
            self.consumed.add(j)
            return True
        return False

    # -- table rows
    def header_row(self, line: int, cells: list[tuple[int, int]]) -> bool:
        """Header of labels with values in the next row (award tables); reads the first data row."""
        keys = [_clean_key(self.text(a, b)) for a, b in cells]
        if any(":" in _PAREN.sub("", self.text(a, b)) for a, b in cells):  # "（人民币：元）" is a unit
            return False
        n_labels = sum(1 for k, _ in keys if _fields(k))
        if n_labels < 2 or any(not _fields(k) and not _header_word(k) for k, _ in keys):
            return self.amount_column(line, cells, keys)
        for j in range(line + 1, min(line + 3, len(self.lines))):
            s, e = self.lines[j]
            if not self.norm[s:e].strip() or self.repeats(line, j):
                continue
            row = self.cells(s, e)
            if len(row) == len(cells) or _empty_tail(row, cells, self.norm[s:e]):
                lot = _lot_id(self.text(*row[0])) if _LOT_HEADER.match(keys[0][0]) else None
                for (key, unit), (a, b) in zip(keys, row, strict=False):  # the last cells may be empty
                    self.add(key, unit, a, b, j, False, None)
                    if lot and self.pairs and self.pairs[-1].start == a:
                        self.pairs[-1].lot = lot
                self.consumed.add(j)
                if lot:  # one row per lot: each lot's amount too
                    cols = _amount_cols(keys)
                    self.lot_rows(j, len(cells), cols, keys)
            break
        return True

    def amount_column(self, line: int, cells: list[tuple[int, int]], keys: list[tuple[str, str | None]]) -> bool:
        """"序号 | 采购内容 | 服务期限 | 最高限价" over "1 | … | … | 70万元": the amount column's first value.

        Only budget and award columns are read this way (an amount checks itself); a row of
        prose cells under a header of free words would make any other field a guess.
        """
        cols = _amount_cols(keys)
        if len(cells) < 3 or not cols or any(_FIGURE.search(_PAREN.sub("", self.text(a, b))) for a, b in cells):
            return False  # a row holding figures is a data row ("1.3 | 预算金额(万元) | 315.00"), not a header
        words = {k for k, _ in keys}
        if words & {"单位", "计量单位"} and not any(re.search("数量|个数|工程量", k) for k in words) \
                and not any("总" in keys[i][0] for i in cols):
            return False  # "名称 | 单位 | 控制价（元）" over "住宅 | 套 | 360": a price per unit, no amount
        for j in range(line + 1, min(line + 3, len(self.lines))):
            s, e = self.lines[j]
            if not self.norm[s:e].strip() or self.repeats(line, j):
                continue
            row = self.cells(s, e)
            if len(row) > len(cells):
                # A header cell spans two columns of the rows ("采购内容" over 环卫工作服 | 春秋装): the
                # amount columns counted from the right (column_row still wants each to read as an amount).
                shift = len(row) - len(cells)
                self.column_row(j, row, [i + shift for i in cols], [("", None)] * shift + keys)
                return False
            if _empty_tail(row, cells, self.norm[s:e]) and max(cols) < len(row):
                self.column_row(j, row, cols, keys)  # the last cells left empty ("… | 194万元 | … | ")
                return False
            if len(row) != len(cells):
                return False
            self.column_row(j, row, cols, keys)
            if _LOT_HEADER.match(keys[0][0]) and self.pairs and self.pairs[-1].lot:
                self.lot_rows(j, len(cells), cols, keys)
            return False  # the header's own cells still go through cell_row
        return False

    def repeats(self, line: int, j: int) -> bool:
        """Line ``j`` repeats header ``line`` (saved pages print a table's header line, then its first row)."""
        return self.norm[slice(*self.lines[j])].strip() == self.norm[slice(*self.lines[line])].strip()

    def column_row(self, j: int, row: list[tuple[int, int]], cols: list[int],
                   keys: list[tuple[str, str | None]]) -> None:
        lot = _lot_id(self.text(*row[0]))
        for i in cols:
            a, b = row[i]
            unit = keys[i][1]
            # a bare figure of four digits or more under a budget header with no unit is in yuan
            # ("采购预算/最高限价" over "79617"), as amounts in these tables are when no unit is printed
            if unit or _COLUMN_AMOUNT.search(self.text(a, b)) or _BARE_YUAN.fullmatch(self.text(a, b).strip()):
                self.add(keys[i][0], unit, a, b, j, False, None)
                self.pairs[-1].column = True
                self.pairs[-1].lot = lot

    def lot_rows(self, line: int, width: int, cols: list[int], keys: list[tuple[str, str | None]]) -> None:
        """The rows after the first of a lot table ("1 | 就业服务平台 | 60.41万元", "2 | … | 14.96万元"):
        each lot's amount, so a notice that prints no total is not reported at its first lot's figure."""
        for j in range(line + 1, min(line + 40, len(self.lines))):
            s, e = self.lines[j]
            if not self.norm[s:e].strip():
                continue
            row = self.cells(s, e)
            lot = _lot_id(self.text(*row[0])) if len(row) >= 2 else None
            if 2 <= len(row) < width and lot is None:
                continue  # a lot's second item under merged cells ("Windows 11 Pro | 套 | 160")
            if lot is not None and 2 <= len(row) < width and cols == [width - 1]:
                # a merged middle cell (one 交货期 for all lots): the amount is still the last cell
                self.column_row(j, row, [len(row) - 1], [*keys[: len(row) - 1], keys[-1]])
                continue
            if lot is not None and 2 <= len(row) < width and len(cols) == 1:
                # merged cells before or after the amount ("二 | 慈城镇服务片区 | 4968500" under five
                # columns): the row's one cell that reads as an amount is the lot's
                unit = keys[cols[0]][1]
                hits = [i for i in range(1, len(row)) if _COLUMN_AMOUNT.search(self.text(*row[i]))
                        or unit and re.fullmatch(r"\d[\d,]*(?:\.\d+)?", self.text(*row[i]))]
                if len(hits) == 1:
                    self.column_row(j, row, hits, [*keys[: hits[0]], keys[cols[0]], *keys[hits[0] + 1:]])
                continue
            if len(row) != width or lot is None:
                return
            self.column_row(j, row, cols, keys)

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
            if ":" in cell and (":" in _PAREN.sub("", cell) or not _fields(_clean_key(cell)[0])):
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
            role = next((f for f, _ in _fields(key) if f in ("buyer", "agency", "winner")), None)
            if role and self.names_follow(li):
                ctx = role  # "1 招 标 人" over "名 称：X" and "地 址：Y" (a 前附表 row): the lines below are its
                continue
            if _fields(key) and len(key) <= 20:
                self.next_line_value(key, unit, li, ctx)
                continue
            self.space_pair(s, e, li, ctx)

    def names_follow(self, line: int) -> bool:
        """Whether the next non-empty line is a bare "名称：…" (a context key and its value)."""
        for j in range(line + 1, min(line + 3, len(self.lines))):
            s, e = self.lines[j]
            if not self.norm[s:e].strip():
                continue
            i = self.norm.find(":", s, e)
            return i > 0 and _clean_key(self.norm[s:i])[0] in _CONTEXT_KEYS
        return False

    def space_pair(self, s: int, e: int, line: int, ctx: str | None) -> None:
        """"预算金额（万元） 315.00": PDF tables often come out separated by spaces only."""
        tokens = list(re.finditer(r"\S+", self.norm[s:e]))
        for k in range(1, min(4, len(tokens))):
            key, unit = _clean_key("".join(t.group(0) for t in tokens[:k]))
            if _fields(key):
                self.add(key, unit, s + tokens[k].start(), e, line, True, ctx)
                return
