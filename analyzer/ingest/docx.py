"""DOCX: paragraphs and table rows in document order (python-docx, which parses with
entity resolution off, so external entities in a hostile file are not fetched).

Word's automatic numbering is rendered back into the text: a heading numbered by its list
style reads "第二章 技术要求" or "2.3 …" on screen but has no number in the XML, and without
it clauses lose the numbers a finding is cited by and the segmenter loses the hierarchy.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from analyzer.errors import IngestError
from analyzer.records import Document, Page, TableRow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ZH_DIGITS = "零一二三四五六七八九"
_ZH_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _zh(n: int, digits: str = _ZH_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    """Chinese counting numerals, 1 to 999 (larger values fall back to Arabic digits)."""
    if not 0 < n < 1000:
        return str(n)
    h, t, u = n // 100, n // 10 % 10, n % 10
    out = (digits[h] + hundred) if h else ""
    if t:
        out += ("" if t == 1 and not h else digits[t]) + ten
    elif h and u:
        out += digits[0]
    return out + (digits[u] if u else "")


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word numbering format (ST_NumberFormat); unknown formats give digits."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "japaneseCounting",
               "ideographDigital"):
        return _zh(n)
    if fmt == "chineseLegalSimplified":
        return _zh(n, _ZH_LEGAL, "拾", "佰")
    if fmt in ("ideographTraditional", "ideographZodiac") and 0 < n <= 10:
        return _STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n) if fmt == "lowerLetter" else _letters(n).upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).lower() if fmt == "lowerRoman" else _roman(n)
    return str(n)


def _int(el, attr: str = "val", default: int = 0) -> int:
    try:
        return int(el.get(W + attr)) if el is not None else default
    except (TypeError, ValueError):
        return default


class Numbering:
    """The labels of Word's automatic numbering, paragraph by paragraph in document order.

    Reads numbering.xml (w:num -> w:abstractNum levels: start, numFmt, lvlText, suff) and the
    numPr of each paragraph or of its style chain; keeps one counter per list (numId) and
    level, and resets deeper levels when a level moves on, as Word does by default.
    """

    def __init__(self, document: Any):
        self.levels: dict[str, dict[int, tuple[int, str, str, str]]] = {}  # abstract id -> ilvl -> level
        self.legal: set[tuple[str, int]] = set()  # levels with w:isLgl: every number in them is decimal
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstract id, start overrides)
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = {}  # styleId -> (numId, ilvl, basedOn)
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError, ValueError):
            root = None
        if root is not None:
            for ab in root.iter(W + "abstractNum"):
                lv: dict[int, tuple[int, str, str, str]] = {}
                for el in ab.iter(W + "lvl"):
                    ilvl = _int(el, "ilvl")
                    fmt, text, suff = el.find(W + "numFmt"), el.find(W + "lvlText"), el.find(W + "suff")
                    lv[ilvl] = (_int(el.find(W + "start"), default=1),
                                fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                                text.get(W + "val", "") if text is not None else "",
                                suff.get(W + "val", "tab") if suff is not None else "tab")
                    if el.find(W + "isLgl") is not None:
                        self.legal.add((ab.get(W + "abstractNumId", ""), ilvl))
                self.levels[ab.get(W + "abstractNumId", "")] = lv
            for num in root.iter(W + "num"):
                ref = num.find(W + "abstractNumId")
                starts = {_int(o, "ilvl"): _int(o.find(W + "startOverride"), default=1)
                          for o in num.iter(W + "lvlOverride") if o.find(W + "startOverride") is not None}
                self.nums[num.get(W + "numId", "")] = (ref.get(W + "val", "") if ref is not None else "", starts)
        try:
            for st in document.styles.element.iter(W + "style"):
                num_pr = st.find(f"{W}pPr/{W}numPr")
                based = st.find(W + "basedOn")
                num_id = num_pr.find(W + "numId") if num_pr is not None else None
                ilvl = num_pr.find(W + "ilvl") if num_pr is not None else None
                self.styles[st.get(W + "styleId", "")] = (
                    num_id.get(W + "val") if num_id is not None else None,
                    _int(ilvl) if ilvl is not None else None,
                    based.get(W + "val") if based is not None else None)
        except (AttributeError, KeyError, ValueError):
            pass

    def _style_num(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            num_id, ilvl, based = self.styles[style_id]
            if num_id is not None:
                return num_id, ilvl
            style_id = based
        return None, None

    def label(self, p_element: Any) -> tuple[str, str]:
        """(label, separator) for one paragraph (w:p), advancing the counters; ("", "") when unnumbered."""
        ppr = p_element.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = ilvl = None
        if num_pr is not None:
            nid, lvl = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
            num_id = nid.get(W + "val") if nid is not None else None
            ilvl = _int(lvl) if lvl is not None else None
        if num_id is None and ppr is not None:
            style = ppr.find(W + "pStyle")
            num_id, style_ilvl = self._style_num(style.get(W + "val") if style is not None else None)
            ilvl = style_ilvl if ilvl is None else ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", ""
        ilvl = min(max(ilvl or 0, 0), 8)
        abstract, starts = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return "", ""
        counters = self.counters.setdefault(num_id, [None] * 9)
        start = starts.get(ilvl, levels[ilvl][0])
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        _, fmt, text, suff = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return "", ""
        legal = (abstract, ilvl) in self.legal  # "1.1" under "第一章": Word's legal numbering

        def value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if not 0 <= k <= ilvl:
                return ""
            n = counters[k] if counters[k] is not None else starts.get(k, levels.get(k, (1,))[0])
            return str(n) if legal else format_number(n, levels.get(k, (1, "decimal"))[1])

        return re.sub(r"%([1-9])", value, text), ("" if suff == "nothing" else " ")


# Containers whose text Word shows but python-docx's paragraph and body iterators skip:
# content controls (w:sdt, common in government templates), tracked insertions, smart tags,
# custom XML and simple fields (w:fldSimple: its runs are the displayed result, the instruction
# is an attribute). Deleted and moved-away text is skipped, as Word hides it, and so are field
# instructions (w:instrText, w:delInstrText): "PAGEREF _Toc123 \\h" is markup, not text.
_SKIP = {W + t for t in ("del", "moveFrom", "pPr", "rPr", "instrText", "delInstrText", "delText", "drawing", "pict",
                         "object")}
_SKIP.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent")  # text boxes, twice
_CONTAINERS = {W + t for t in ("sdt", "sdtContent", "customXml")}


def paragraph_text(p_element: Any) -> str:
    """The text of one w:p as Word displays it (python-docx's Paragraph.text misses the
    containers above: a clause typed into a content control would vanish).

    A complex field runs begin, instruction, separate, result, end (w:fldChar); only its result
    is shown. Text between begin and separate belongs to the instruction (a nested field's
    result inside ``IF { MERGEFIELD x } = …`` included) and is skipped. Fields are tracked
    within the paragraph: one that began in an earlier paragraph shows as its result.
    """
    out: list[str] = []
    fields: list[bool] = []  # per open field: True once past its separator (showing the result)

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue  # comments and processing instructions have no string tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    fields.append(False)
                elif kind == "separate" and fields:
                    fields[-1] = True
                elif kind == "end" and fields:
                    fields.pop()
                continue
            if not all(fields):
                if tag not in (W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
                    walk(child)
                continue  # inside an instruction: nothing shows
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(p_element)
    return "".join(out)


def blocks(parent: Any):
    """Paragraphs and tables (("p" | "tbl", element)) in document order, through content controls."""
    for child in parent:
        tag = child.tag
        if tag == W + "p":
            yield "p", child
        elif tag == W + "tbl":
            yield "tbl", child
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from blocks(content)
        elif tag in _CONTAINERS:
            yield from blocks(child)


def _cell(tc: Any) -> str:
    parts = [paragraph_text(el) if kind == "p" else " ".join(paragraph_text(p) for p in el.iter(W + "p"))
             for kind, el in blocks(tc)]  # a table nested in the cell: its paragraphs, each once
    return " ".join(" ".join(parts).split())


def read(path: Path) -> Document:
    """A DOCX file's paragraphs and table rows in order, as one page."""
    try:
        import docx
        from docx.table import Table

        d = docx.Document(str(path))
        numbering = Numbering(d)
    except (zipfile.BadZipFile, KeyError, ValueError) as ex:
        raise IngestError(f"{path.name}: not a readable DOCX ({ex})") from ex
    except Exception as ex:  # lxml syntax errors and friends: a broken file, not a crash
        raise IngestError(f"{path.name}: could not parse DOCX ({type(ex).__name__}: {ex})") from ex
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    rows: list[TableRow] = []
    pos = 0

    def add(line: str, is_row: bool) -> None:
        nonlocal pos
        if is_row:
            spans.append((pos, pos + len(line)))
        lines.append(line)
        pos += len(line) + 1

    for kind, el in blocks(d.element.body):
        if kind == "p":
            label, sep = numbering.label(el)  # advances the counters even for an empty paragraph
            text = paragraph_text(el).strip()
            if text:
                add(f"{label}{sep}{text}" if label else text, False)
            continue
        header: list[str] = []
        for tr in Table(el, d._body).rows:
            cells: list[str] = []
            for c in tr.cells:  # merged cells repeat; keep each once
                t = _cell(c._tc)
                if not cells or cells[-1] != t:
                    cells.append(t)
            if not any(cells):
                continue
            # The first row is kept as a row of its own: in key/value tables ("投标截止时间 |
            # 2025年…") it is content, not a header, and a one-row table is nothing else.
            row = TableRow(cells, header)
            if not header:
                header = cells
            rows.append(row)
            add(row.text, True)
    title = d.core_properties.title or None
    return Document("docx", [Page(1, "\n".join(lines), "docx", rows=rows, table_spans=spans)], title=title)
