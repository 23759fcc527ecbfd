"""Capabilities on real police procurement text: precision and recall per label, clause by clause.

Every other capability set we score was written for us; ``bench/real_capabilities.py`` reads real
documents but only for precision (what we flag), and the shared corpus buys almost no surveillance.
This script scores the clauses of real police procurement pages (tenders, requirement documents,
award notices published by 公安局, 分局, 派出所 and their platforms), read and labelled blind by
helpers who saw only the label definitions (``samples/labelled/capabilities-brief.md``'s ids and
conventions) and never the rules. The pages came from the stored public web pages of the search
tool; the clause text is theirs, so it stays outside the repository, as the corpus does.

The repository keeps the references only: ``samples/labelled/real_pages.jsonl``, one row per clause
with id, url, text_sha256_12 (first 12 hex digits of the clause text's sha256), capabilities,
data_sources and kind. Rows with an odd id are the tuning half (the rules of stop 23 were changed
after reading their errors), rows with an even id the reporting half (scored, never read).

    python bench/real_pages.py --texts /path/real-pages-texts.jsonl [--method rules|auto]

``samples/labelled/real_pages_en.jsonl`` holds the same clauses rendered in English the way reports
quote tenders (two helpers who saw only the clauses, one for each half), with the same labels:

    python bench/real_pages.py --references samples/labelled/real_pages_en.jsonl --texts /path/en-texts.jsonl \
        --out bench/results/real-pages-en-<date>.json

``--texts`` holds the clauses as the helpers copied them ({"id", "text", ...} per line); a row
whose text no longer hashes to its reference is reported and not scored. The aggregate (counts,
no text) goes to ``bench/results/real-pages-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyzer.classify.negatives import text_sha  # noqa: E402
from analyzer.classify.train import odd_id  # noqa: E402
from analyzer.evaluate import evaluate, read_jsonl  # noqa: E402

REFERENCES = ROOT / "samples" / "labelled" / "real_pages.jsonl"


def joined(references: Path, texts: Path) -> tuple[list[dict], list[str]]:
    """The reference rows with their text, and the ids whose text is missing or changed."""
    by_id = {r["id"]: r["text"] for r in read_jsonl(texts)}
    rows, bad = [], []
    for ref in map(json.loads, references.read_text(encoding="utf-8").splitlines()):
        text = by_id.get(ref["id"])
        if text is None or text_sha(text) != ref["text_sha256_12"]:
            bad.append(ref["id"])
            continue
        rows.append({**ref, "text": text})
    return rows, bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=Path, required=True, help="the clauses' text, kept outside the repository")
    ap.add_argument("--references", type=Path, default=REFERENCES)
    ap.add_argument("--method", action="append", choices=("rules", "auto"), help="default: both")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / f"real-pages-{dt.date.today()}.json")
    args = ap.parse_args()
    rows, bad = joined(args.references, args.texts)
    if bad:
        print(f"{len(bad)} references without their text (not scored): {', '.join(bad[:10])}", file=sys.stderr)
    halves = {"tuning (odd ids)": [r for r in rows if odd_id(r)],
              "reporting (even ids)": [r for r in rows if not odd_id(r)], "all": rows}
    result: dict = {"references": str(args.references.relative_to(ROOT)) if args.references.is_relative_to(ROOT)
                    else str(args.references), "clauses": len(rows), "unscored": bad,
                    "pages": len({r["url"] for r in rows}), "methods": {}}
    for method in args.method or ["rules", "auto"]:
        result["methods"][method] = {}
        for name, items in halves.items():
            res = evaluate(items, method)
            per_label = [{k: row[k] for k in ("kind", "label", "precision", "recall", "tp", "fp", "fn")}
                         for row in res["rows"]]
            result["methods"][method][name] = {"clauses": len(items), "overall": res["overall"], "labels": per_label}
            cap, ds = res["overall"].get("capability", {}), res["overall"].get("data_source", {})
            print(f"{method:5s} {name:22s} {len(items):4d} clauses  capabilities P {cap.get('precision')} "
                  f"R {cap.get('recall')}  data sources P {ds.get('precision')} R {ds.get('recall')}")
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
