"""Calibrate the floors model-only group findings must clear in auto, on real documents.

The shared corpus's calibration half (the 24 tenders and the notices at even positions) targets
nobody, so every model-only group finding auto makes there is a false alarm. This runs auto with
the floors off, takes each label's highest model-only score, and writes a floor just above it to
``analyzer/classify/heads/auto_floors.json`` (with what it was measured on). It also writes the
clauses behind those scores as references, never text, to
``samples/labelled/real_negatives.jsonl`` (document sha256, clause ordinal, sha256 of the clause
text), for training to resolve from the corpus.

    python bench/calibrate_auto.py --notices 1000

Report on the other half afterwards: ``python bench/real_corpus.py --method auto --half reporting``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MARGIN = 0.01  # a floor sits this far above the highest score a label reached on real negatives


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--notices", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dry-run", action="store_true", help="print the floors, write nothing")
    a = ap.parse_args()
    os.environ["ANALYZER_AUTO_FLOORS"] = "off"  # measure what auto does without them (workers inherit it)
    from real_corpus import run

    from analyzer.classify.combine import AUTO_MIN_GROUP, FLOORS_FILE
    from analyzer.ingest.notice import corpus_dir

    corpus = a.corpus or corpus_dir(ROOT)
    if corpus is None:
        sys.exit("no corpus: pass --corpus DIR (the shared real-document corpus)")
    res = run(corpus, "auto", "calibration", a.notices, a.workers, show=False)
    best: dict[str, float] = defaultdict(float)
    refs = []
    for d in res["documents"]:
        for f in d.get("findings", []):
            if f["kind"] == "group" and f["method"] == "model":
                best[f["label"]] = max(best[f["label"]], f["score"])
                refs.append({"document_sha256": d["sha256"], "ordinal": f["ordinal"], "text_sha256_12": f["text_sha"],
                             "set": d["set"], "model_label": f["label"], "score": f["score"], "groups": []})
    floors = {k: round(min(0.995, v + MARGIN), 3) for k, v in sorted(best.items()) if v + MARGIN > AUTO_MIN_GROUP}
    sets = res["sets"]
    record = {
        "floors": floors,
        "measured_on": {"half": "calibration", "tenders": sets["tenders"]["documents"],
                        "notices": sets["notices"]["documents"],
                        "clauses": sets["tenders"]["clauses"] + sets["notices"]["clauses"],
                        "model_only_findings_without_floors": len(refs), "date": str(dt.date.today()),
                        "auto_min_group": AUTO_MIN_GROUP, "margin": MARGIN},
    }
    print(json.dumps(record, indent=1), file=sys.stderr)
    if a.dry_run:
        return
    (ROOT / "analyzer" / "classify" / "heads" / FLOORS_FILE).write_text(json.dumps(record, indent=1) + "\n")
    with open(ROOT / "samples" / "labelled" / "real_negatives.jsonl", "w", encoding="utf-8") as f:
        for r in sorted(refs, key=lambda r: (r["document_sha256"], r["ordinal"])):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(floors)} floors, {len(refs)} real negatives referenced", file=sys.stderr)


if __name__ == "__main__":
    main()
