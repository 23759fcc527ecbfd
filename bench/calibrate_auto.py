"""Calibrate the floors model-only group findings must clear in auto, on real documents.

The shared corpus's calibration half (the 24 tenders and the notices at even positions) targets
nobody, so every model-only group finding auto makes there is a false alarm. This runs auto with
the floors off, takes each label's highest model-only score, and writes a floor just above it to
``analyzer/classify/heads/auto_floors.json`` (with what it was measured on). It also adds the
clauses behind those scores as references, never text, to
``samples/labelled/real_negatives.jsonl`` (document sha256, clause ordinal, first 12 hex digits of
the sha256 of the clause text), for training to resolve from the corpus (classify/negatives.py).
With ``--top N`` it adds, per group label, the N clauses that scored highest for it without
becoming a finding (hard-negative candidates). New references come unread (``"label": null``):
read each (``--show-unread`` prints them, never commit the text) and set ``"label": "none"`` when
the clause targets nobody, or the group id when it really does. Labels already given are kept.

    python bench/calibrate_auto.py --notices 1000 --top 10 --cache /tmp/cal.db
    python bench/calibrate_auto.py --show-unread

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
    ap.add_argument("--top", type=int, default=0,
                    help="also reference, per group label, the N highest-scoring clauses that are not findings")
    ap.add_argument("--min-score", type=float, default=None,
                    help="with --top: a clause's group probability must reach this to be mined (default 0.3)")
    ap.add_argument("--cache", type=Path, default=None, help="a database keeping clause embeddings between runs")
    ap.add_argument("--show-unread", action="store_true",
                    help="print the text of every unread reference (to read and label; never commit it), then stop")
    a = ap.parse_args()
    os.environ["ANALYZER_AUTO_FLOORS"] = "off"  # measure what auto does without them (workers inherit it)
    from real_corpus import run

    from analyzer.classify.combine import AUTO_MIN_GROUP, FLOORS_FILE
    from analyzer.classify.negatives import merge_references, read_references, write_references
    from analyzer.ingest.notice import corpus_dir

    corpus = a.corpus or corpus_dir(ROOT)
    if corpus is None:
        sys.exit("no corpus: pass --corpus DIR (the shared real-document corpus)")
    refs_path = ROOT / "samples" / "labelled" / "real_negatives.jsonl"
    if a.show_unread:
        show_unread(refs_path, corpus)
        return
    if a.min_score is not None:
        import real_corpus

        real_corpus.SCORE_MIN = a.min_score  # forked workers inherit it
    res = run(corpus, "auto", "calibration", a.notices, a.workers, show=False, scores=a.top > 0, cache=a.cache)
    best: dict[str, float] = defaultdict(float)
    refs = []
    for d in res["documents"]:
        where = {"set": d["set"], **({"position": d["position"]} if "position" in d else {"document": d["name"]})}
        for f in d.get("findings", []):
            if f["kind"] == "group" and f["method"] == "model":
                best[f["label"]] = max(best[f["label"]], f["score"])
                refs.append({"document_sha256": d["sha256"], "ordinal": f["ordinal"], "text_sha256_12": f["text_sha"],
                             **where, "model_label": f["label"], "score": f["score"], "mined": "model-only finding",
                             "label": None})
    model_only = len(refs)
    refs += top_non_findings(res["documents"], a.top)
    floors = {k: round(min(0.995, v + MARGIN), 3) for k, v in sorted(best.items()) if v + MARGIN > AUTO_MIN_GROUP}
    sets = res["sets"]
    record = {
        "floors": floors,
        "measured_on": {"half": "calibration", "tenders": sets["tenders"]["documents"],
                        "notices": sets["notices"]["documents"],
                        "clauses": sets["tenders"]["clauses"] + sets["notices"]["clauses"],
                        "model_only_findings_without_floors": model_only, "date": str(dt.date.today()),
                        "auto_min_group": AUTO_MIN_GROUP, "margin": MARGIN},
    }
    print(json.dumps(record, indent=1), file=sys.stderr)
    if a.dry_run:
        return
    (ROOT / "analyzer" / "classify" / "heads" / FLOORS_FILE).write_text(json.dumps(record, indent=1) + "\n")
    old = read_references(refs_path) if refs_path.exists() else []
    merged = merge_references(old, refs)
    write_references(refs_path, merged)
    print(f"{len(floors)} floors; {len(refs)} clauses mined, {len(merged) - len(old)} new references "
          f"({sum(r.get('label') is None for r in merged)} unread) in {refs_path.name}", file=sys.stderr)


def top_non_findings(documents: list[dict], n: int) -> list[dict]:
    """Per group label, the n clauses scoring highest for it among those that are no group finding."""
    if n <= 0:
        return []
    by_label: dict[str, list[tuple[float, dict, dict]]] = defaultdict(list)
    for d in documents:
        for c in d.get("scored", []):
            for label, p in c["groups"].items():
                by_label[label].append((p, d, c))
    out: dict[tuple[str, int], dict] = {}
    for label in sorted(by_label):
        ranked = sorted(by_label[label], key=lambda t: (-t[0], t[1]["sha256"], t[2]["ordinal"]))[:n]
        for _p, d, c in ranked:
            key = (d["sha256"], c["ordinal"])
            best = max(c["groups"], key=lambda g: (c["groups"][g], g))
            where = {"set": d["set"], **({"position": d["position"]} if "position" in d else {"document": d["name"]})}
            out.setdefault(key, {"document_sha256": d["sha256"], "ordinal": c["ordinal"],
                                 "text_sha256_12": c["text_sha"], **where, "model_label": best,
                                 "score": c["groups"][best], "targets": c["targets"],
                                 "mined": f"top {n} non-finding", "label": None})
    return list(out.values())


def show_unread(path: Path, corpus: Path) -> None:
    """Print each unread reference's clause (stderr) with its number, model label and score, to read."""
    from analyzer.classify.negatives import ref_id, resolve

    res = resolve(path, corpus, warn=lambda m: print(m, file=sys.stderr), labels=(None,))
    for i, r in enumerate(res.rows):
        ref = r["ref"]
        print(f"[{i}] {ref_id(ref)} {ref.get('model_label')} {ref.get('score')}: {r['text'][:300]!r}", file=sys.stderr)
    print(res.summary(), file=sys.stderr)


if __name__ == "__main__":
    main()
