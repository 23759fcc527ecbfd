#!/usr/bin/env python3
"""Calibrate and time the garbled-text detector (analyzer/garbled.py) on real text.

Usage: python bench/bench_garbled.py [--half even|odd] [--top 10]

Scores (``Garbled.score``, 1 or more means garbled) for:

1. every page text layer of the 24 corpus tenders (PDF pages as pypdfium2 extracts them, before
   any OCR decision; DOCX, HTML as their ingestors read them, whole and in ``passages`` runs);
2. the Ningbo notices at even positions (the calibration half; ``--half odd`` for the report half),
   read by the HTML ingestor;
3. every clause of samples/labelled/*.jsonl (English ones included);
4. the "wrong order" case: each tender page and notice with its ideographs shuffled in place (seeded), as a
   font whose map sends glyphs to common characters in the wrong order would read. These must all score
   1 or more wherever the word test applies.

Prints the score distribution per source, the pages that score highest, every page at or over 1,
and the detector's time per page. Needs ../shared/corpus (exits 2 without it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

from analyzer.garbled import measure, passages  # noqa: E402


def tender_texts() -> list[tuple[str, str]]:
    """(label, text) for every page of the tenders: text layers as read before OCR."""
    import pypdfium2 as pdfium

    from analyzer.ingest import docx, html

    out: list[tuple[str, str]] = []
    for f in sorted((CORPUS / "tenders").iterdir()):
        if f.suffix == ".pdf":
            pdf = pdfium.PdfDocument(str(f))
            for i in range(len(pdf)):
                tp = pdf[i].get_textpage()
                out.append((f"{f.name} p{i + 1}", tp.get_text_range()))
            pdf.close()
        elif f.suffix in (".docx", ".html"):
            doc = (docx if f.suffix == ".docx" else html).read(f)
            out.append((f"{f.name}", doc.pages[0].text))
    return out


def notice_texts(half: str) -> list[tuple[str, str]]:
    from analyzer.ingest import html

    out: list[tuple[str, str]] = []
    with gzip.open(CORPUS / "notices" / "ningbo.jsonl.gz", "rt", encoding="utf-8") as f, \
            tempfile.TemporaryDirectory() as tmp:
        for i, line in enumerate(f):
            if i % 2 != (0 if half == "even" else 1):
                continue
            rec = json.loads(line)
            p = Path(tmp) / "n.html"
            p.write_text(f"<html><head><meta charset='utf-8'></head><body>{rec['html']}</body></html>", encoding="utf-8")
            try:
                out.append((f"ningbo[{i}]", html.read(p).pages[0].text))
            except Exception:  # an empty body: nothing to score
                continue
    return out


def labelled_texts() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    from analyzer.evaluate import labelled_sets

    for f in labelled_sets(ROOT / "samples" / "labelled"):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            out.append((f"{f.name}:{rec['id']} ({rec.get('lang', '?')})", rec["text"]))
    return out


def describe(name: str, items: list[tuple[str, str]], top: int) -> list[tuple[str, float]]:
    t0 = time.perf_counter()
    scored = [(label, measure(text)) for label, text in items]
    dt = time.perf_counter() - t0
    scores = sorted(g.score for _, g in scored)
    judged = [s for s in scores if s > 0]
    q = statistics.quantiles(judged, n=100) if len(judged) > 1 else [0.0] * 99
    print(f"\n## {name}: {len(items)} texts, {len(judged)} long enough to judge; "
          f"{dt * 1000 / max(1, len(items)):.3f} ms each ({sum(len(t) for _, t in items) / max(dt, 1e-9) / 1e6:.1f} M chars/s)")
    print(f"score median {statistics.median(judged) if judged else 0:.3f}, p90 {q[89]:.3f}, p99 {q[98]:.3f}, "
          f"max {max(scores, default=0):.3f}; garbled (>= 1): {sum(s >= 1 for s in scores)}")
    for label, g in sorted(scored, key=lambda x: -x[1].score)[:top]:
        print(f"  {g.score:7.3f}  rare {g.rare:.3f}  common {g.common}  words {g.words}  ideographs {g.ideographs:5d}  {label}")
    return [(label, g.score) for label, g in scored]


def shuffled(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each text with its ideographs permuted among their own positions (punctuation and Latin stay)."""
    import random
    import re

    rng = random.Random(16)
    out: list[tuple[str, str]] = []
    for label, text in items:
        ideo = re.findall("[\u4e00-\u9fff]", text)
        rng.shuffle(ideo)
        parts = re.split("[\u4e00-\u9fff]", text)
        out.append((label + " shuffled", "".join(a + b for a, b in zip(parts, ideo + [""], strict=True))))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["even", "odd"], default="even")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    tenders = tender_texts()
    describe("tenders (PDF pages, DOCX and HTML whole)", tenders, args.top)
    runs = [(label, p) for label, text in tenders if not label.split(" p")[-1].isdigit() for p in passages(text)]
    print(f"  DOCX/HTML garbled passages: {runs or 'none'}")
    notices = notice_texts(args.half)
    describe(f"ningbo notices ({args.half} positions)", notices, args.top)
    describe("labelled clauses (samples/labelled)", labelled_texts(), args.top)
    mixed = [(label, measure(text)) for label, text in shuffled(tenders + notices)]
    judged = [(label, g) for label, g in mixed if g.words is not None]
    missed = [(label, g) for label, g in judged if not g.garbled]
    print(f"\n## shuffled ideographs: {len(judged)} tender pages and notices long enough for the word test; "
          f"caught {len(judged) - len(missed)}, lowest score {min((g.score for _, g in judged), default=0):.3f}")
    for label, g in missed[:args.top]:
        print(f"  missed {g.score:.3f}  common {g.common}  words {g.words}  {label}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
