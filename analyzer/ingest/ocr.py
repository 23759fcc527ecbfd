"""OCR of page images with tesseract (chi_sim+eng), returning text with word boxes and confidence.

We call the tesseract binary directly (TSV output) instead of a Python wrapper: one less
dependency, and the TSV gives word boxes and confidences in one pass.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from analyzer.errors import IngestError
from analyzer.records import Word

LANGS = "chi_sim+eng"
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


def ocr_image(png: bytes, dpi: int = DPI) -> OcrResult:
    """Run tesseract on one PNG image and rebuild lines of text with word boxes.

    Tesseract splits Chinese into one "word" per character; we join them without spaces and
    put a space only between two Latin words, so the text reads as it was printed.
    """
    try:
        proc = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGS, "--psm", "6", "tsv"],
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
