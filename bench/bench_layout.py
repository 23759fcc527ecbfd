#!/usr/bin/env python3
"""Recall and cited pages on a built English PDF numbered like an annex (C.1.1 … C.8.9).

Usage: python bench/bench_layout.py [--src CHECKOUT] [--out DIR]

Builds a seven-page PDF (reportlab) of invented passages: filler requirements numbered C.i.k,
a prose note, then one targeting requirement C.i.9; every other targeting requirement starts on
the last line of a page and runs onto the next. Analyses it with the rules through the CLI of
``--src`` (default: this checkout; give another checkout to compare) and prints, per targeting
requirement, whether a group finding quotes it and whether each finding cites the page its
evidence is printed on. No text from ../shared/corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTH, PER_PAGE = 95, 23  # characters a line, lines a page

PASSAGES = [
    "The system shall alert police when Uyghur residents check into hotels in the district.",
    "The platform shall compare the flight bookings of foreign journalists against the watch list and alert "
    "the duty officer at once.",
    "The system shall flag petitioners who buy train tickets to Beijing and notify the stability task force in "
    "real time.",
    "The system shall alert the narcotics unit when drug users check into hotels or log on at internet cafes.",
    "The platform shall recognise the ethnicity of every face captured at the railway station and raise an alert "
    "on Uyghurs.",
    "Cameras at the mosque entrance shall capture the faces of worshippers and compare them with the key person "
    "database.",
    "The system shall track the movements of Tibetan monks leaving the county and report them to the public "
    "security bureau.",
    "The platform shall keep a register of Falun Gong practitioners and alert the local police station when "
    "they travel.",
]
FILLER = [
    "The contractor shall maintain the equipment listed in this section and report faults within four hours "
    "of detection.",
    "Spare parts shall be kept in the district warehouse for the whole term of the contract.",
    "All software shall be delivered with documentation in Chinese and training for the operators of the "
    "command centre.",
    "Network links shall be redundant and the storage shall keep video for ninety days.",
]


def build(path: Path) -> tuple[list[str], list[int]]:
    """Write the PDF; return its lines and the line each targeting requirement starts on."""
    from reportlab.pdfgen import canvas

    lines: list[str] = []
    starts: list[int] = []
    for i, passage in enumerate(PASSAGES):
        for k in range(3 + i % 4):
            lines += textwrap.wrap(f"C.{i + 1}.{k + 1} " + FILLER[(i + k) % 4], WIDTH)
        lines += textwrap.wrap("The bidder shall note the following. " + FILLER[i % 4], WIDTH)
        if i % 2:  # start on the last line of a page, end on the next
            while len(lines) % PER_PAGE != PER_PAGE - 1:
                lines.append("This item is reserved.")
        starts.append(len(lines))
        lines += textwrap.wrap(f"C.{i + 1}.9 " + passage, WIDTH)
    pages = [lines[i:i + PER_PAGE] for i in range(0, len(lines), PER_PAGE)]
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for n, page in enumerate(pages, 1):
        c.setFont("Helvetica", 10)
        for j, line in enumerate(page):
            c.drawString(50, 790 - 19 * j, line)
        c.drawString(280, 30, f"Page {n} of {len(pages)}")
        c.showPage()
    c.save()
    return lines, starts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=ROOT, help="checkout whose analyzer runs (default: this one)")
    ap.add_argument("--out", type=Path, default=None, help="folder for the PDF and database (default: a temp dir)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-layout-"))
    out.mkdir(parents=True, exist_ok=True)
    pdf, db = out / "annex_c.pdf", out / "layout.db"
    db.unlink(missing_ok=True)
    _, starts = build(pdf)
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))

    def cli(*a: str) -> str:
        return subprocess.run([sys.executable, "-m", "analyzer", *a], env=env, cwd=args.src, check=True,
                              capture_output=True, text=True).stdout

    cli("analyze", str(pdf), "--db", str(db), "--method", "rules", "--workers", "1", "--quiet")
    findings = json.loads(cli("findings", "--db", str(db), "--format", "json"))
    found = right = across = 0
    for passage, start in zip(PASSAGES, starts, strict=True):
        wrapped = textwrap.wrap("C.x.9 " + passage, WIDTH)
        printed = sorted({(start + j) // PER_PAGE + 1 for j in range(len(wrapped))})
        across += len(printed) > 1
        hits = [f for f in findings if f["kind"] == "group" and f["evidence"]
                and " ".join(f["evidence"].split()) in passage and passage[:40] in " ".join(f["text"].split())]
        if not hits:
            print(f"missed      printed on {printed}: {passage[:60]}")
            continue
        found += 1
        ok = True
        for f in hits:
            first = f["evidence"].split()[0]
            line = next(j for j, w in enumerate(wrapped) if first in w)
            ok &= f["page"] == (start + line) // PER_PAGE + 1
        right += ok
        print(f"{'right' if ok else 'WRONG'} page cited {[f['page'] for f in hits]}, printed on {printed}: "
              f"{passage[:50]}")
    print(f"recall {found}/{len(PASSAGES)} = {found / len(PASSAGES):.2f}; evidence page right {right}/{found}; "
          f"requirements across a page end {across}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
