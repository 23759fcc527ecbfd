"""How often notice records get a notice type and a budget, beside what a plain reading finds.

Usage: python bench/metadata_coverage.py [FILE.jsonl.gz] [--half calibration|reporting] [--n 300] [--misses]

For each record: does the title name a notice type (招标/采购/谈判/磋商/询价/更正/终止/结果/中标…
公告), and did the extractor give one; does a plain regular expression find a budget sentence
(预算, 控制价, 最高限价, 限价 followed by an amount), and did the extractor give a budget. A
script, not a test: it prints, and it reads the shared corpus (``../shared/corpus``) by default.
The plain expression is a yardstick, not a label: read the misses before trusting either side.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TITLE_TYPE = re.compile(r"(?:招标|采购|谈判|磋商|询价|比选|更正|变更|澄清|终止|废标|流标|结果|中标|成交|候选人|"
                        r"意向|需求|竞价|遴选|单一来源)[^公]{0,6}(?:公告|公示)(?:\(.*\))?\s*$")
BUDGET = re.compile(r"(?:预算|控制价|最高限价|限价|最高投标限价)[^。；;\n]{0,30}?[:：为]?\s*(?:人民币)?\s*"
                    r"(\d[\d,.]*)\s*(亿元|万元|元)")


def main() -> None:
    from analyzer.ingest.notice import corpus_dir, iter_records, read_notice
    from analyzer.metadata import document_metadata, parse_amount

    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?")
    ap.add_argument("--half", default="calibration")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--misses", action="store_true", help="list the records where the two disagree")
    a = ap.parse_args()
    path = Path(a.file) if a.file else (corpus_dir() or Path("missing")) / "notices" / "ningbo.jsonl.gz"
    n = titled = typed = sentence = budget = agree = 0
    for pos, rec in iter_records(path, a.half):
        if n >= a.n:
            break
        n += 1
        doc = read_notice(rec)
        md = document_metadata(doc)
        title = rec.get("title") or ""
        if TITLE_TYPE.search(title):
            titled += 1
            typed += md["notice_type"] is not None
            if md["notice_type"] is None and a.misses:
                print(f"no type  #{pos} {title}")
        m = BUDGET.search("".join(doc.pages[0].text.split()))
        if m:
            sentence += 1
            plain = parse_amount(m.group(1) + m.group(2))
            got = md["budget_yuan"]
            budget += got is not None
            agree += got is not None and plain is not None and abs(got - plain) < 0.5
            if a.misses and (got is None or plain is None or abs(got - plain) >= 0.5):
                print(f"budget   #{pos} plain={plain} got={got} :: {m.group(0)[:50]}")
    print(f"{path.name} {a.half}: {n} records")
    print(f"  title names a type: {titled}; extractor gives a type there: {typed}")
    print(f"  plain budget sentence: {sentence}; extractor gives a budget there: {budget}; same amount: {agree}")


if __name__ == "__main__":
    main()
