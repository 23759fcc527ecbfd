"""Plain dataclasses passed between the stages of the flow (ingest → segment → classify → store).

They carry no behaviour beyond small conveniences, so every stage can be tested alone and
results can cross process boundaries (worker processes pickle them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Archive members are shown as "bundle.zip!/member.pdf" (the jar-URL convention): a plain
# "!" may appear in real file names, "!/" cannot end a file name.
MEMBER_SEP = "!/"

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left (pdfplumber)


@dataclass
class Word:
    """A located piece of page text: raw-text offsets plus its box (OCR words, PDF lines)."""

    start: int
    end: int
    bbox: BBox


@dataclass
class TableRow:
    """One row of a table found on a page, kept whole as a clause-like unit (primer 1.7)."""

    cells: list[str]
    header: list[str]
    bbox: BBox | None = None

    @property
    def text(self) -> str:
        return " | ".join(c for c in self.cells)


@dataclass
class Page:
    """One page (or, for formats without pages, the whole document as page 1)."""

    number: int  # 1-based
    text: str  # raw extracted text, kept for quoting
    method: str  # text | ocr | docx | html | txt | none
    width: float | None = None
    height: float | None = None
    ocr_confidence: float | None = None
    needs_ocr: bool = False
    note: str | None = None  # why a page was OCRed or could not be read
    words: list[Word] = field(default_factory=list)  # located spans, when the format gives them
    rows: list[TableRow] = field(default_factory=list)
    table_spans: list[tuple[int, int]] = field(default_factory=list)  # raw lines already given as rows


@dataclass
class Document:
    """What an ingestor returns: the pages of one file, plus format-level facts."""

    format: str
    pages: list[Page]
    title: str | None = None
    encoding: str | None = None
    status: str = "ok"
    error: str | None = None
    source_url: str | None = None  # where a saved web page came from, when the file says so
    retrieved_at: str | None = None  # when it was saved (ISO 8601), when the file says so
    published: str | None = None  # publication date a platform gives beside the page (notice records)


@dataclass
class Clause:
    """A requirement-sized unit of text: a numbered item, a paragraph sentence group or a table row."""

    page: int
    ordinal: int  # position within the document, 0-based
    text: str  # raw text, for quoting
    number: str | None = None  # the numbering token as written, e.g. "（二）" or "3.2.1"
    level: int = 0
    marker: str | None = None  # ★ ▲ # * ※ when the clause carries one
    heading: bool = False
    section_path: list[str] = field(default_factory=list)
    kind: str = "text"  # text | table_row
    table_header: list[str] = field(default_factory=list)
    page_start: int | None = None  # offsets of the clause in the page's raw text, when contiguous
    page_end: int | None = None
    bbox: BBox | None = None
    zone: str | None = None  # boilerplate zone name when the clause sits in one (primer 3.2)


@dataclass
class Finding:
    """One label on one clause, with the evidence a journalist can quote."""

    kind: str  # group | capability | data_source
    label: str
    score: float
    method: str  # rules | model | both
    evidence: str  # the matched span, raw text
    start: int | None  # offsets of the evidence in the clause's raw text
    end: int | None
    reason: str
    tier: str | None = None  # A | B | C (primer 3.3)

    def to_dict(self) -> dict:
        return asdict(self)
