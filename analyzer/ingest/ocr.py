"""OCR of page images with tesseract, returning text with word boxes and confidence.

A page is read with the Chinese model alone first, and again with Chinese and English when it
comes out mostly Latin. Measured on built pages (bench/bench_built.py): with chi_sim+eng for
every page, tesseract read whole Chinese lines as English nonsense ("涉教人员、涉毒人员" became
"PHAR, PBAR,") and lost 9 of 148 targeting passages; chi_sim alone lost 5 (3 with the repairs
below) and took 4.0 s a page instead of 5.8, but on English pages it misread clause numbers (C.1.4) and doubled letters, so
English pages keep chi_sim+eng.

We call the tesseract binary directly (TSV output) instead of a Python wrapper: one less
dependency, and the TSV gives word boxes and confidences in one pass.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from analyzer.errors import IngestError
from analyzer.records import Word

LANGS = "chi_sim"  # first pass, every page
LATIN_LANGS = "chi_sim+eng"  # second pass, pages that came out mostly Latin
DPI = 300
TIMEOUT_S = 120
# Tesseract runs single-threaded; pages are spread over cores by process instead (pdf.read).
# Measured on this project's 2-core machine, one 300-dpi Chinese page: 1 thread 2.9-3.1 s,
# 2 threads 2.8-2.9 s with active waiting (1.4x the CPU) and 15-17 s with the passive waiting
# analyzer sets for torch (analyzer/__init__.py); no limit at all, 16-19 s.
THREADS = "1"


@dataclass
class OcrResult:
    """One page's OCR text, its located words and the mean confidence."""
    text: str
    words: list[Word]  # boxes in PDF points (converted from pixels at ``dpi``)
    confidence: float | None  # mean word confidence, 0-100


@functools.lru_cache(maxsize=1)
def available() -> str | None:
    """Why OCR cannot run, or None when tesseract with Chinese is installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
    return _check(exe)


@functools.lru_cache(maxsize=8)
def _check(exe: str) -> str | None:
    """Ask tesseract for its languages once per executable: every PDF needs the answer, and a
    subprocess each time cost ~10 ms, most of the time a short text PDF takes."""
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as ex:
        return f"tesseract does not run: {ex}"
    if "chi_sim" not in langs.split():
        return "tesseract has no Chinese model (apt-get install tesseract-ocr-chi-sim)"
    return None


def _is_ascii_word(s: str) -> bool:
    return bool(s) and s.isascii()


# Same-length repairs of what the Chinese model misreads in this domain's words, so offsets and
# word boxes stay as they are: 人员 read as 入员 (录入员 and 输入员 are clerks, 出入员工 and
# 加入员工 are words), 阈值 as 阅值, 秒 after a figure as 秘.
_REPAIRS = [
    (re.compile(r"(?<![录输])入员(?!工)"), "人员"),
    (re.compile(r"阅值"), "阈值"),
    (re.compile(r"(?<=\d)秘"), "秒"),
]


def repair(text: str) -> str:
    """OCR text with the known misreadings of _REPAIRS undone (same length)."""
    for pat, good in _REPAIRS:
        text = pat.sub(good, text)
    return text


def _latin(text: str) -> bool:
    """More Latin letters than Chinese characters: an English page."""
    return sum(c.isascii() and c.isalpha() for c in text) > sum("\u4e00" <= c <= "\u9fff" for c in text)


def ocr_image(png: bytes, dpi: int = DPI) -> OcrResult:
    """Run tesseract on one PNG image and rebuild lines of text with word boxes.

    Chinese model first; a page that comes out mostly Latin is read again with Chinese and
    English (see the module docstring for why).
    """
    res = _tesseract(png, dpi, LANGS)
    if _latin(res.text):
        res = _tesseract(png, dpi, LATIN_LANGS)
    return OcrResult(repair(res.text), res.words, res.confidence)


def _tesseract(png: bytes, dpi: int, langs: str) -> OcrResult:
    """One tesseract pass. Tesseract splits Chinese into one "word" per character; we join them
    without spaces and put a space only between two Latin words, so the text reads as printed."""
    try:
        proc = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", langs, "--psm", "6", "tsv"],
            input=png, capture_output=True, timeout=TIMEOUT_S, env={**os.environ, "OMP_THREAD_LIMIT": THREADS},
        )
    except FileNotFoundError as ex:
        raise IngestError("OCR needed but tesseract is not installed") from ex
    except subprocess.TimeoutExpired as ex:
        raise IngestError(f"OCR timed out after {TIMEOUT_S}s") from ex
    if proc.returncode != 0:
        raise IngestError(f"tesseract failed: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    scale = 72.0 / dpi
    rows = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    parts: list[str] = []
    words: list[Word] = []
    confs: list[float] = []
    last_line: tuple[str, str, str] | None = None
    prev_word = ""
    pos = 0
    for r in rows:
        if r.get("level") != "5":
            continue
        w = (r.get("text") or "").strip()
        if not w:
            continue
        line_key = (r["block_num"], r["par_num"], r["line_num"])
        if last_line is not None and line_key != last_line:
            parts.append("\n")
            pos += 1
            prev_word = ""
        elif prev_word and _is_ascii_word(prev_word[-1]) and _is_ascii_word(w[0]):
            parts.append(" ")
            pos += 1
        last_line = line_key
        left, top = float(r["left"]), float(r["top"])
        width, height = float(r["width"]), float(r["height"])
        words.append(Word(pos, pos + len(w), (left * scale, top * scale, (left + width) * scale,
                                              (top + height) * scale)))
        parts.append(w)
        pos += len(w)
        prev_word = w
        try:
            c = float(r["conf"])
            if c >= 0:
                confs.append(c)
        except (TypeError, ValueError):
            pass
    return OcrResult("".join(parts), words, round(sum(confs) / len(confs), 1) if confs else None)
