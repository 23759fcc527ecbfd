#!/usr/bin/env python3
"""Labelled passages planted in built documents of every format: what the pipeline loses.

Usage: python bench/bench_built.py [--method rules|auto] [--src CHECKOUT] [--out DIR] [--json FILE]

The held-back and test passages (samples/labelled/holdout.jsonl, test.jsonl: ours, no corpus text)
that target a group are numbered 3.i.k (Chinese) or C.i.k (English), mixed with sampled passages
that target nobody, and written as a text PDF (lines wrapped at a fixed width, pages broken wherever
they fall, so clauses run across pages), the same PDF scanned (200-dpi greyscale JPEG, tilted 0.4°:
OCR), a DOCX and an HTML page (half paragraphs, half a 序号/功能/描述 table). Each file is analysed
through the CLI of ``--src``; each targeting passage counts as found when a group finding of one of
its gold groups quotes a clause that shares most of its character 4-grams. Beside it, the same
passages classified one by one (``analyzer classify``): a passage found alone but not in a document
is lost by ingestion, OCR or segmentation, which is what this bench measures. Non-targeting passages
with a group finding are the false alarms the document adds.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONT = Path(os.environ.get("SAMPLES_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
Item = tuple[str, dict]


def passages(seed: int) -> tuple[list[Item], list[Item]]:
    """(Chinese items, English items): every targeting passage and as many sampled others, numbered."""
    rows = [json.loads(line) for name in ("holdout", "test")
            for line in (ROOT / "samples" / "labelled" / f"{name}.jsonl").open(encoding="utf-8")]
    rnd = random.Random(seed)
    out = []
    for lang, prefix in (("zh", "3."), ("en", "C.")):
        pos = [r for r in rows if r["lang"] == lang and r["groups"]]
        neg = [r for r in rows if r["lang"] == lang and not r["groups"]]
        items = pos + rnd.sample(neg, min(len(neg), len(pos) // 2))
        rnd.shuffle(items)
        out.append([(f"{prefix}{i // 9 + 1}.{i % 9 + 1}", r) for i, r in enumerate(items)])
    return out[0], out[1]


def text_pdf(path: Path, items: list[Item]) -> None:
    """A4, 11-pt lines: Chinese cut every 38 characters, English wrapped at 90; pages break anywhere."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("CJK", str(FONT), subfontIndex=0))
    lines: list[str] = []
    for num, r in items:
        t = f"{num} {r['text']}"
        lines += [t[i:i + 38] for i in range(0, len(t), 38)] if r["lang"] == "zh" else textwrap.wrap(t, 90)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    per_page = 40
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    for n, page in enumerate(pages, 1):
        c.setFont("CJK", 11)
        for j, line in enumerate(page):
            c.drawString(50, A4[1] - 60 - 18 * j, line)
        c.setFont("CJK", 9)
        c.drawString(A4[0] / 2 - 20, 30, f"第 {n} 页 共 {len(pages)} 页")
        c.showPage()
    c.save()


def scanned_pdf(src: Path, path: Path) -> None:
    """Each page of ``src`` as a 200-dpi greyscale JPEG, tilted 0.4°, in an image-only PDF."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-jpeg", str(src), f"{tmp}/p"], check=True)
        images = [Image.open(p).convert("L").rotate(0.4, fillcolor=255) for p in sorted(Path(tmp).glob("p*.jpg"))]
        images[0].save(path, save_all=True, append_images=images[1:], resolution=200)


def docx_file(path: Path, items: list[Item]) -> None:
    import docx

    d = docx.Document()
    d.add_heading("第三章 采购需求", 1)
    half = len(items) // 2
    for num, r in items[:half]:
        d.add_paragraph(f"{num} {r['text']}")
    table = d.add_table(rows=1, cols=3)
    for cell, word in zip(table.rows[0].cells, ("序号", "功能模块", "功能描述"), strict=True):
        cell.text = word
    for i, (_, r) in enumerate(items[half:], 1):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = str(i), "功能要求", r["text"]
    d.save(str(path))


def html_file(path: Path, items: list[Item]) -> None:
    half = len(items) // 2
    parts = ["<html><head><meta charset='utf-8'><title>采购需求</title></head><body><h1>采购需求</h1>"]
    parts += [f"<p>{num} {html.escape(r['text'])}</p>" for num, r in items[:half]]
    parts.append("<table><tr><th>序号</th><th>技术要求</th></tr>")
    parts += [f"<tr><td>{i}</td><td>{html.escape(r['text'])}</td></tr>" for i, (_, r) in enumerate(items[half:], 1)]
    parts.append("</table></body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def grams(s: str) -> set[str]:
    s = re.sub(r"\s+", "", s)
    return {s[i:i + 4] for i in range(len(s) - 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--method", default="rules", choices=["rules", "auto", "model"])
    ap.add_argument("--src", type=Path, default=ROOT, help="checkout whose analyzer runs (default: this one)")
    ap.add_argument("--out", type=Path, default=None, help="folder for the files and database (default: temp)")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-built-"))
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    zh, en = passages(args.seed)
    plan = {"zh_text.pdf": zh, "zh_scan.pdf": zh, "zh.docx": zh, "zh.html": zh,
            "en_text.pdf": en, "en_scan.pdf": en, "en.docx": en}
    text_pdf(docs / "zh_text.pdf", zh)
    scanned_pdf(docs / "zh_text.pdf", docs / "zh_scan.pdf")
    docx_file(docs / "zh.docx", zh)
    html_file(docs / "zh.html", zh)
    text_pdf(docs / "en_text.pdf", en)
    scanned_pdf(docs / "en_text.pdf", docs / "en_scan.pdf")
    docx_file(docs / "en.docx", en)
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))

    def cli(*a: str, stdin: str | None = None) -> str:
        return subprocess.run([sys.executable, "-m", "analyzer", *a], env=env, cwd=args.src, check=True,
                              input=stdin, capture_output=True, text=True).stdout

    db = out / f"built-{args.method}.db"
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    cli("analyze", str(docs), "--db", str(db), "--method", args.method, "--quiet")
    took = time.perf_counter() - t0
    findings = [f for f in json.loads(cli("findings", "--db", str(db), "--format", "json")) if f["kind"] == "group"]
    rows = {r["id"]: r for items in (zh, en) for _, r in items}
    lines = "\n".join(json.dumps({"id": i, "text": r["text"]}, ensure_ascii=False) for i, r in rows.items())
    alone = {o["id"]: set(o["groups"]) for o in map(json.loads, cli("classify", "-i", "-", "--method", args.method,
                                                                     stdin=lines).splitlines())}
    result: dict = {"method": args.method, "analyze_s": round(took, 1), "formats": {}}
    for name, items in plan.items():
        mine = [f for f in findings if f["document"] == name]
        quoted = [(f["label"], grams(f["text"])) for f in mine]
        found = alone_found = lost = false = 0
        lost_ids = []
        for _, r in items:
            g = grams(r["text"])
            hit = {label for label, q in quoted if g and len(g & q) >= 0.5 * min(len(g), len(q))}
            if not r["groups"]:
                false += bool(hit)
                continue
            ok = bool(hit & set(r["groups"]))
            was = bool(alone[r["id"]] & set(r["groups"]))
            found += ok
            alone_found += was
            if was and not ok:
                lost += 1
                lost_ids.append(r["id"])
        n = sum(1 for _, r in items if r["groups"])
        result["formats"][name] = {"targeting": n, "found": found, "found_alone": alone_found, "lost": lost,
                                   "recall": round(found / n, 3), "recall_alone": round(alone_found / n, 3),
                                   "others": len(items) - n, "others_flagged": false, "lost_ids": lost_ids}
        print(f"{name:12} found {found}/{n} (alone {alone_found}), lost {lost}, "
              f"others flagged {false}/{len(items) - n}  {' '.join(lost_ids)}")
    print(f"analyze {took:.1f} s ({args.method})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
