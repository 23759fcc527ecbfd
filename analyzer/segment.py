"""Split a document into clauses by the numbering Chinese tenders use (docs/taxonomy.md §1).

Levels are not fixed: the hierarchy is inferred from the order in which numbering styles
first appear in each document (a stack of styles), because tenders mix 一、/（一）/1./（1）/①
with decimal 1.1.1 in any order. Table rows are clauses of their own, with their header.
Running headers/footers and table-of-contents lines are skipped; headings become the
section path that later stages use as context.

English tenders and translations are numbered A.1 / C.4.6 and written in prose paragraphs whose
sentences end in a full stop, which the Chinese rules do not see: without their own rules a
whole English document ran together and was cut into blind windows. A clause may run onto the
next page (a sentence broken by the page end); it then records the page it ends on and where
each later page begins in its text, so a finding cites the page its evidence is printed on.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from analyzer.normalize import cjk_count
from analyzer.records import Clause, Document, Page, TableRow

CN_NUM = "一二三四五六七八九十百零〇两"
MARKERS = "★▲#*※△●◆☆"

# (style key, pattern). The match must be at the start of a line, after an optional marker.
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"第[{CN_NUM}\d]{{1,4}}\s*(?:章|部分|篇|册|卷)")),
    ("section", re.compile(rf"第[{CN_NUM}\d]{{1,4}}\s*节")),
    ("article", re.compile(rf"第[{CN_NUM}\d]{{1,4}}\s*条(?=\s|[\u4e00-\u9fff])")),
    # 附件1 / 附表二 / Appendix A: a part of its own, kept only when the rest of the line is a title.
    ("appendix", re.compile(
        rf"(?:附件|附表|附录|附图)\s*(?:[{CN_NUM}]{{1,3}}|\d{{1,2}}(?:[-－—.．]\d{{1,2}})?|[A-Z])(?![\d{CN_NUM}])[：:、.．]?"
        r"|(?:Appendix|APPENDIX|Annex|ANNEX|Attachment|ATTACHMENT)\s+(?:[A-Z]|\d{1,2}|[IVX]{1,4})(?![\w])[:：.．\-–—]?")),
    ("cn", re.compile(rf"[{CN_NUM}]{{1,3}}\s*[、，.．](?!\d)")),
    ("pcn", re.compile(rf"[（(]\s*[{CN_NUM}]{{1,3}}\s*[）)]\s*[、.．]?")),
    ("dec", re.compile(r"\d{1,2}(?:[.．]\d{1,2}){1,4}(?![\d.．%])[.．、]?(?!\s*(?:米|倍|版|寸|秒|ms|mm|cm|m\b|G|M|K|T|V|W|元|万|%|英寸|个|台|套|路|天|年|小时|分钟))")),
    ("num", re.compile(r"\d{1,2}\s*[.．、](?![\d.．])(?!\s*(?:米|倍|版|寸|%))")),
    ("pnum", re.compile(r"[（(]\s*\d{1,2}\s*[）)]")),
    ("rnum", re.compile(r"\d{1,2}\s*[）)]")),
    ("circ", re.compile(r"[①-⑳㉑-㉟]")),
    # Lettered decimals: A.1, C.2.3, C.4.6 (annexes, English specifications) and A1. / B2.1.
    ("ldec", re.compile(
        r"[A-Z](?:[.．]\d{1,2}(?:[.．]\d{1,2}){0,3}(?![\d%]|[.．]\d)[.．]?|\d{1,2}(?:[.．]\d{1,2}){0,3}[.．](?!\d))"
        r"(?=\s|[\u4e00-\u9fff]|$)(?!\s*(?:纸|米|倍|版|寸|%))")),
    ("alpha", re.compile(r"[a-zA-Z][.)）](?=\s|[\u4e00-\u9fff])")),
]
_SENT_END = "。；;！？!?：:"
_PAGE_FOOTER = re.compile(
    r"^(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d+\s*页\s*(?:[,，/／]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|"
    r"page\s*\d+(?:\s*of\s*\d+)?|共\s*\d+\s*页\s*第\s*\d+\s*页)$", re.I)
_TOC = re.compile(r"(?:[.．…·•⋯_\-]{4,}|…{2,})\s*\d{1,4}\s*$")
_ZONE = re.compile(
    r"投标人须知|供应商须知|磋商须知|谈判须知|资格要求|资格条件|申请人的资格|政府采购政策|合同通用条款|通用条款|"
    r"投标文件格式|响应文件格式|文件格式|质疑|投诉|声明函")
MAX_CLAUSE = 600  # characters; longer paragraphs are split on sentence ends
# A full stop after these ends no sentence: "No. 5", "e.g. hotels", "Dr. Li".
_ABBREV = {"no", "nos", "nr", "e.g", "i.e", "mr", "mrs", "ms", "dr", "st", "vs", "approx", "fig", "cf", "art", "para",
           "sec", "ref", "incl", "max", "min", "tel", "p", "pp", "vol", "co", "ltd", "inc"}
_EN_STOP = re.compile(r"(?<=[A-Za-z0-9)\]\"'”’])[.!?](?=[\"'”’)\]]?\s)")
_ASCII_LETTER = re.compile("[A-Za-z]")  # what isascii() and isalpha() both accept


@dataclass
class _Open:
    """A clause being gathered line by line, with where each line came from."""

    page: int
    number: str | None = None
    marker: str | None = None
    level: int = 0
    path: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    lines: list[tuple[int, int, int]] = field(default_factory=list)  # (offset in the text, page, page offset)
    size: int = 0  # length of the text so far
    letters: int = 0  # ASCII letters so far
    cjk: int = 0  # CJK ideographs so far: with letters, whether this is English prose
    indent: int = 0  # leading spaces of the last line

    def add(self, line: str, page: int, offset: int, sep: str = "") -> None:
        self.parts.append(sep + line)
        self.lines.append((self.size + len(sep), page, offset))
        self.size += len(sep) + len(line)
        self.letters += len(_ASCII_LETTER.findall(line))
        self.cjk += cjk_count(line)
        self.indent = len(line) - len(line.lstrip())

    @property
    def latin(self) -> bool:
        return self.letters >= 8 and self.letters > 3 * self.cjk

    def locate(self, at: int) -> tuple[int, int]:
        """(page, offset in that page's raw text) of character ``at`` of the joined text."""
        k = bisect.bisect_right(self.lines, at, key=lambda t: t[0]) - 1
        pos, page, offset = self.lines[max(k, 0)]
        return page, offset + at - pos


def numbering(line: str) -> tuple[str | None, str | None, str | None, int]:
    """Return (style, number token, marker, length of the prefix) for the start of a line."""
    s = line
    i = 0
    marker = None
    while i < len(s) and (s[i].isspace() or s[i] in MARKERS):
        if s[i] in MARKERS and marker is None:
            marker = s[i]
        i += 1
    for style, pat in _STYLES:
        m = pat.match(s, i)
        if m:
            token = m.group(0).strip()
            key = style
            if style == "dec":
                key = f"dec{token.rstrip('.．、').count('.') + token.count('．') + 1}"
            elif style == "ldec":
                key = "ldec" + str(len(re.findall(r"\d+", token)))
            j = m.end()
            while j < len(s) and (s[j].isspace() or s[j] in MARKERS):
                if s[j] in MARKERS and marker is None:
                    marker = s[j]
                j += 1
            rest = s[j:].strip()
            if style == "appendix" and rest and (len(rest) > 60 or re.search("[。；;]", rest) or rest[-1] in "，,."):
                continue  # "附件1所列设备应…": a sentence that names an appendix, not its title
            if j >= len(s) and style not in {"chapter", "section", "appendix"}:
                return None, None, marker, 0  # a bare number on its own line: likely a page number
            return key, token, marker, j
    return None, None, marker, i if marker else 0


def _repeated_lines(pages: list[Page]) -> set[str]:
    """Lines printed at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for p in pages:
        lines = [ln.strip() for ln in p.text.split("\n") if ln.strip()]
        edge = set(lines[:2] + lines[-2:])
        counts.update(re.sub(r"\d+", "#", ln) for ln in edge)
    return {ln for ln, c in counts.items() if c >= max(3, len(pages) // 2)}


def _is_heading(body: str) -> bool:
    body = body.strip()
    return 0 < len(body) <= 30 and body[-1] not in "。；;，,"


def _ends_sentence(text: str, latin: bool) -> bool:
    """Whether ``text`` ends a sentence: Chinese (and ASCII ;:!?) ends always, a full stop in English."""
    t = text.rstrip()
    if t[-1:] in _SENT_END:
        return True
    if not latin:
        return False  # a full stop in Chinese text is a decimal point or a list number
    t = t.rstrip("\"'”’)]")
    if t[-1:] != ".":
        return False
    word = t[:-1].rsplit(None, 1)[-1] if t[:-1].split() else ""
    return bool(word) and word.lower().lstrip("(") not in _ABBREV and not (len(word) == 1 and word.isalpha())


def _split_long(text: str, limit: int = MAX_CLAUSE, latin: bool = False) -> list[tuple[int, int]]:
    """Cut an over-long paragraph at sentence ends (or hard, as a last resort)."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind(c) for c in "。；;!?！？")
        if latin:  # English full stops, not those of "No." or "e.g."
            stops = [m.start() for m in _EN_STOP.finditer(window + " ")
                     if _ends_sentence(window[:m.start() + 1], True)]
            cut = max([cut, *stops])
        end = start + (cut + 1 if cut > limit // 4 else limit)
        spans.append((start, end))
        start = end
    spans.append((start, n))
    return spans


def segment(doc: Document) -> list[Clause]:
    """Clauses in reading order, each with page, number, level, marker, section path and offsets."""
    clauses: list[Clause] = []
    stack: list[tuple[str, str]] = []  # (style, heading title)
    repeated = _repeated_lines(doc.pages)
    paragraph_lines = doc.format in {"docx", "html"}
    texts = {p.number: p.text for p in doc.pages}
    cur: _Open | None = None

    def path_titles() -> list[str]:
        return [t for _, t in stack if _is_heading(t)]

    def flush() -> None:
        nonlocal cur
        if cur is None:
            return
        raw = "".join(cur.parts)
        text = raw.strip()
        if text:
            lead = len(raw) - len(raw.lstrip())
            spans = _split_long(text, latin=cur.latin) if len(text) > MAX_CLAUSE else [(0, len(text))]
            for k, (a, b) in enumerate(spans):
                piece = text[a:b].strip()
                if not piece:
                    continue
                a = lead + a + len(text[a:b]) - len(text[a:b].lstrip())  # offsets in the raw join
                b = a + len(piece)
                page, start = cur.locate(a)
                last, end = cur.locate(b - 1)
                breaks = [(at - a, pg) for (at, pg, _), (_, before, _) in zip(cur.lines[1:], cur.lines, strict=False)
                          if a < at < b and pg != before]
                body = piece[len(cur.number or ""):] if k == 0 and cur.number else piece
                clauses.append(Clause(
                    page=page, ordinal=len(clauses), text=piece,
                    number=cur.number if k == 0 else None, level=cur.level,
                    marker=cur.marker if k == 0 else None,
                    heading=k == 0 and cur.number is not None and len(spans) == 1 and _is_heading(body),
                    section_path=list(cur.path),
                    page_start=start,
                    # Offsets only where the page's raw text holds the clause as it stands.
                    page_end=end + 1 if last == page and texts[page][start:end + 1] == piece else None,
                    page_last=last if last != page else None, page_breaks=breaks,
                ))
        cur = None

    def add_row(page: Page, row: TableRow, span: tuple[int, int] | None) -> None:
        number = row.cells[0] if row.cells and row.cells[0].isdigit() else None
        # Cells often hold numbered sub-items with their own marks: the strongest mark wins.
        marker = next((m for m in "★▲" if m in row.text), None) or next((c for c in row.text if c in MARKERS), None)
        clauses.append(Clause(
            page=page.number, ordinal=len(clauses), text=row.text, number=number, level=len(stack),
            marker=marker, section_path=path_titles(), kind="table_row", table_header=row.header,
            page_start=span[0] if span else None, page_end=span[1] if span else None, bbox=row.bbox,
        ))

    for page in doc.pages:
        rows_one_to_one = len(page.rows) == len(page.table_spans)
        rows_done = 0
        span_iter = 0
        pos = 0
        for line in page.text.split("\n"):
            lstart, lend = pos, pos + len(line)
            pos = lend + 1
            stripped = line.strip()
            if not stripped:
                if paragraph_lines or (cur is not None and cur.latin):  # a blank line ends an English paragraph
                    flush()
                continue
            # Lines that are table rows: emit the rows instead of the raw lines.
            if page.table_spans and span_iter < len(page.table_spans) and \
                    page.table_spans[span_iter][0] <= lstart < page.table_spans[span_iter][1] + 1:
                flush()
                if rows_one_to_one:
                    add_row(page, page.rows[span_iter], page.table_spans[span_iter])
                    rows_done = span_iter + 1
                elif rows_done < len(page.rows):
                    for r in page.rows[rows_done:]:
                        add_row(page, r, None)
                    rows_done = len(page.rows)
                span_iter += 1
                continue
            if _PAGE_FOOTER.match(stripped) or _TOC.search(stripped) or re.sub(r"\d+", "#", stripped) in repeated:
                continue
            style, token, marker, plen = numbering(line)
            if style is not None:
                flush()
                if style == "chapter":
                    stack.clear()
                elif style == "appendix":  # a part of the document: only its chapter stays above it
                    while stack and stack[-1][0] != "chapter":
                        stack.pop()
                else:
                    styles = [s for s, _ in stack]
                    if style in styles:
                        del stack[styles.index(style):]
                level = len(stack)
                title = stripped[:40]
                cur = _Open(page.number, token, marker, level, path_titles())
                cur.add(line, page.number, lstart)
                stack.append((style, title))
                continue
            indent = len(line) - len(line.lstrip())
            ends_sentence = cur is not None and (
                _ends_sentence(cur.parts[-1], cur.latin)
                # A short numbered line with no sentence end is a heading: it takes no continuation.
                or (len(cur.parts) == 1 and cur.number is not None and _is_heading(cur.parts[0].strip()))
                # An English paragraph that starts with an indented first line.
                or (cur.latin and cur.number is None and indent >= 2 and indent > cur.indent))
            if cur is not None and not paragraph_lines and not ends_sentence:
                # The sentence goes on, on this page or the next (broken by the page end).
                cur.add(line, page.number, lstart, "\n" if cur.page == page.number or cur.latin else "")
                continue
            flush()
            cur = _Open(page.number, None, marker, len(stack), path_titles())
            cur.add(line, page.number, lstart)
        if rows_done < len(page.rows):
            flush()
            for r in page.rows[rows_done:]:
                add_row(page, r, None)
    flush()
    for c in clauses:
        if any(_ZONE.search(t) for t in c.section_path[:2]):
            c.zone = "boilerplate"
        elif _TOC.search(c.text):
            c.zone = "toc"
    return clauses
