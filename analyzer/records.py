"""Plain dataclasses passed between the stages of the flow (ingest → segment → classify → store).

They carry no behaviour beyond small conveniences, so every stage can be tested alone and
results can cross process boundaries (worker processes pickle them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# Archive members are shown as "bundle.zip!/member.pdf" (the jar-URL convention): a plain
# "!" may appear in real file names, "!/" cannot end a file name.
MEMBER_SEP = "!/"



class Status(StrEnum):
    """What happened to a file: ``documents.status``. Every value the code writes is here."""

    OK = "ok"  # read in full
    PARTIAL = "partial"  # an archive some of whose members failed (each member has its own row)
    NEEDS_OCR = "needs_ocr"  # read, but some pages have no usable text and OCR was not possible
    FAILED = "failed"  # could not be read: a damaged file or a library crash, with the error
    UNSUPPORTED = "unsupported"  # a format analyzer does not read (.doc, .rar, a FIFO …)
    ENCRYPTED = "encrypted"  # password-protected
    EMPTY = "empty"  # no bytes, or no text at all
    TOO_LARGE = "too_large"  # past a size, memory or archive-depth limit
    UNREADABLE = "unreadable"  # the operating system refused to read it (permissions, broken link)
    UNSAFE_PATH = "unsafe_path"  # an archive member whose name points outside the archive
    TIMEOUT = "timeout"  # took longer than the per-file time limit; its worker was killed
    CRASHED = "crashed"  # its worker process died (a native crash, or killed for memory)


# Finished: an unchanged file with one of these is skipped on a re-run; any other status is a
# failure, listed by ``documents --status failed`` and re-tried on the next run.
DONE_STATUSES = frozenset({Status.OK, Status.NEEDS_OCR, Status.PARTIAL})
# Read in full: the report lists every other status under "needs attention".
CLEAN_STATUSES = frozenset({Status.OK, Status.PARTIAL})


class Kind(StrEnum):
    """What a finding names (``findings.kind``)."""

    GROUP = "group"  # a group of people targeted (taxonomy section "groups")
    CAPABILITY = "capability"  # a surveillance function (face recognition, watchlist …)
    DATA_SOURCE = "data_source"  # a dataset the clause taps (flight bookings, hotel registers …)


class Method(StrEnum):
    """Which classifier produced a finding, or which one ``analyze --method`` runs."""

    RULES = "rules"  # taxonomy terms plus the targeting test: an evidence span to quote
    MODEL = "model"  # the transformer and its trained head: the whole clause is the evidence
    BOTH = "both"  # found by the rules and confirmed by the model (findings only)
    AUTO = "auto"  # rules and model together (an analysis method, never a finding's)


ANALYSIS_METHODS = (Method.RULES, Method.MODEL, Method.AUTO)
FINDING_METHODS = (Method.RULES, Method.MODEL, Method.BOTH)


class Tier(StrEnum):
    """How strong a finding's evidence is (``findings.tier``), from the pattern that produced it.

    The tier says which test a clause passed, not how high its score is: scores rank findings
    within a tier (classify/rules.py ``SCORES`` gives each rule's score and tier).
    """

    A = "A"  # explicit targeting: a group named with an operational cue, a targeting frame, an
    #          enumeration of watched categories, or under a surveillance heading
    B = "B"  # weaker group cue: a weak term next to a cue or listed beside watched groups, or
    #          surveillance sited at a proxy place (a mosque, church, petition office)
    C = "C"  # capability or data source only: what is bought, no group named by the rules
    M = "M"  # model only: the model's reading of the whole clause, with no span to quote


BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left (pdfplumber)


@dataclass
class Word:
    """A located piece of page text: raw-text offsets plus its box (OCR words, PDF lines)."""

    start: int
    end: int
    bbox: BBox


@dataclass
class TableRow:
    """One row of a table found on a page, kept whole as a clause-like unit (docs/taxonomy.md §1)."""

    cells: list[str]
    header: list[str]
    bbox: BBox | None = None

    @property
    def text(self) -> str:
        """The row as one line, cells joined by ' | ' (how a table row reads as a clause)."""
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
    page_start: int | None = None  # offsets of the clause in the raw text of its first page; page_end
    page_end: int | None = None  # only when that text holds the whole clause as it stands
    bbox: BBox | None = None
    zone: str | None = None  # boilerplate zone name when the clause sits in one (docs/taxonomy.md §3)
    page_last: int | None = None  # the page the clause ends on, when it runs past the page it starts on
    page_breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) where a later page begins
    norm: str | None = None  # normalize.norm_text(text), kept by the stage that computed it (the rules do)

    def page_at(self, offset: int | None) -> int:
        """The page that prints character ``offset`` of the text: a finding cites its evidence's page."""
        page = self.page
        for at, p in self.page_breaks:
            if offset is not None and offset >= at:
                page = p
        return page


@dataclass
class Finding:
    """One label on one clause, with the evidence a journalist can quote."""

    kind: str  # a Kind
    label: str
    score: float
    method: str  # a Method: rules | model | both
    evidence: str  # the matched span, raw text
    start: int | None  # offsets of the evidence in the clause's raw text
    end: int | None
    reason: str
    tier: str | None = None  # a Tier
