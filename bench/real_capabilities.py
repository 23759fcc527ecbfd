"""Capability precision on real documents: are the capability and data-source findings requirements?

``bench/real_corpus.py`` counts what the classifier flags on ``../shared/corpus``; this script asks
whether each capability or data-source finding there is right under the one capability gate
(docs/taxonomy.md §2): the clause asks for the function (支持/具备/实现/应能/须 …) or specifies a
system or device that outputs it, i.e. the buyer buys or maintains that capability. A bare noun,
the contractor's staff lodging, a railway cleaning contract, a bidder list, the procurement
procedure or the bidding platform's anti-collusion IP/MAC check is a false finding.

It analyses one half of the corpus through ``real_corpus.run`` (and so the shared notice loader),
``--half calibration`` (default: the 24 tenders and the notices at even positions) or ``--half
reporting`` (every notice at an odd position, which no rule was tuned on), with ``--method rules``
and ``--method auto`` and collects every capability and data-source finding: document sha256,
clause ordinal, label, method, tier. Findings are keyed by (document, ordinal, label), so a clause
flagged by both methods is read once. When there are more than SAMPLE_MAX distinct findings,
SAMPLE_MAX are drawn with random.Random(SEED); the report says so.

    python bench/real_capabilities.py --show                 # analyse (or read the cache) and print each
                                                             # finding's clause for reading; never commit it
    python bench/real_capabilities.py --template /tmp/t.jsonl  # reference rows to fill in, verdict null
    python bench/real_capabilities.py                        # join with the labels: precision per label
                                                             # and method, the false ones by reference

The analysis is cached (with clause text, for reading) in ``--findings`` outside the repository,
default /tmp/real-capabilities-findings.jsonl (``-reporting`` before the suffix for the reporting
half); ``--rerun`` analyses again. Labels live in ``samples/labelled/real_capabilities.jsonl``
(``real_capabilities_reporting.jsonl`` for the reporting half) as references only:
document_sha256, ordinal, text_sha256_12 (first 12 hex digits of the clause text's sha256; a
mismatch is reported and the row not counted), label, verdict (``requirement`` | ``false``) and
reason, in English, a false one's reason starting with its pattern (``bare noun: …``), which the
report counts. The aggregate (counts and references, no corpus text) goes to
``bench/results/real-capabilities-<date>.json`` (``real-capabilities-reporting-<date>.json`` for
the reporting half).

How the committed labels were drawn and read: every distinct finding of both methods on the
calibration half (no sampling was needed: see the result file's ``sample``), each read in full by
one person (clause text up to SHOW_CHARS characters, with the matched span and the rule's reason),
asking "does the buyer here buy or maintain this function?". The reporting half's labels were read
the same way (every distinct finding, all of them), once, after the refuters were tuned on the
calibration half and without looking at the rules: its precision is the untuned figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import real_corpus  # noqa: E402

from analyzer.ingest.notice import corpus_dir  # noqa: E402

METHODS = ("rules", "auto")
KINDS = ("capability", "data_source")
SAMPLE_MAX = 300
SEED = 12
SHOW_CHARS = 400
HALVES = ("calibration", "reporting")
LABELS = ROOT / "samples" / "labelled" / "real_capabilities.jsonl"
FINDINGS = Path("/tmp/real-capabilities-findings.jsonl")
VERDICTS = ("requirement", "false")


def half_tag(half: str, sep: str = "-") -> str:
    """What a default file name of ``half`` adds to the calibration half's: nothing, or ``sep`` + the half."""
    return "" if half == "calibration" else f"{sep}{half}"


def collect(corpus: Path, workers: int, cache: Path | None, findings: Path, half: str = "calibration") -> list[dict]:
    """Every capability and data-source finding of each method on ``half`` (with text),
    written to ``findings`` after each method (so the rules' can be read while auto runs)."""
    real_corpus.SHOW_CHARS = SHOW_CHARS  # read by the forked workers
    rows = []
    for method in METHODS:
        res = real_corpus.run(corpus, method, half, 10**9, workers, True, cache=cache)
        print(f"{method}: {res['seconds']} s; " + ", ".join(
            f"{k} {s['documents']} documents {s['clauses']} clauses" for k, s in res["sets"].items()), file=sys.stderr)
        for d in res["documents"]:
            for f in d.get("findings", []):
                if f["kind"] not in KINDS:
                    continue
                rows.append({"method": method, "document_sha256": d["sha256"], "document": Path(d["name"]).name,
                             "set": d["set"], "ordinal": f["ordinal"], "kind": f["kind"], "label": f["label"],
                             "tier": f["tier"], "finding_method": f["method"], "score": f["score"],
                             "text_sha256_12": f["text_sha"], "evidence": f.get("evidence", ""),
                             "reason": f.get("reason", ""), "text": f.get("text", "")})
        findings.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return rows


def key(row: dict) -> tuple[str, int, str]:
    return row["document_sha256"], int(row["ordinal"]), row["label"]


def sample(rows: list[dict]) -> tuple[list[tuple], bool]:
    """The distinct findings to read: all of them, or SAMPLE_MAX drawn with SEED when there are more."""
    keys = sorted({key(r) for r in rows})
    if len(keys) <= SAMPLE_MAX:
        return keys, False
    return sorted(random.Random(SEED).sample(keys, SAMPLE_MAX)), True


def read_labels(path: Path) -> dict[tuple, dict]:
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[key(row)] = row
    return out


def show(rows: list[dict], keys: list[tuple]) -> None:
    """Print each sampled finding's clause (for reading only; this output is never committed)."""
    by_key = defaultdict(list)
    for r in rows:
        by_key[key(r)].append(r)
    for i, k in enumerate(keys):
        rs = by_key[k]
        r = rs[0]
        methods = ",".join(f"{x['method']}({x['finding_method']},{x['tier']},{x['score']})" for x in rs)
        print(f"[{i}] {r['document']} {k[0][:12]} #{k[1]} {r['kind']}:{k[2]} {methods}\n"
              f"    span: {r['evidence']!r}  why: {r['reason']}\n    {r['text']}\n")


def template(rows: list[dict], keys: list[tuple], out: Path) -> None:
    first = {}
    for r in rows:
        first.setdefault(key(r), r)
    with out.open("w", encoding="utf-8") as f:
        for k in keys:
            r = first[k]
            f.write(json.dumps({"document_sha256": k[0], "ordinal": k[1], "text_sha256_12": r["text_sha256_12"],
                                "label": k[2], "verdict": None, "reason": ""}, ensure_ascii=False) + "\n")


def pattern(reason: str) -> str:
    return reason.split(":", 1)[0].strip() if ":" in reason else reason.strip()


def precision(rows: list[dict], keys: list[tuple], labels: dict[tuple, dict]) -> dict:
    """Per method and label: findings, read, requirement, false, precision; the false ones by reference."""
    sampled = set(keys)
    mismatched = sorted({key(r) for r in rows if key(r) in labels
                         and labels[key(r)]["text_sha256_12"] != r["text_sha256_12"]})
    out = {}
    for method in METHODS:
        mine = [r for r in rows if r["method"] == method]
        per: dict[str, Counter] = defaultdict(Counter)
        false_refs, patterns = [], Counter()
        for r in mine:
            c = per[r["label"]]
            c["findings"] += 1
            k = key(r)
            if k not in sampled:
                continue
            c["sampled"] += 1
            lab = labels.get(k)
            if lab is None or k in mismatched or lab.get("verdict") not in VERDICTS:
                c["unread"] += 1
                continue
            c[lab["verdict"]] += 1
            if lab["verdict"] == "false":
                patterns[pattern(lab.get("reason", ""))] += 1
                false_refs.append({"document_sha256": k[0], "ordinal": k[1], "label": k[2], "kind": r["kind"],
                                   "tier": r["tier"], "finding_method": r["finding_method"],
                                   "pattern": pattern(lab.get("reason", ""))})
        table = {}
        for label in sorted(per, key=lambda x: (-per[x]["findings"], x)):
            c = per[label]
            read = c["requirement"] + c["false"]
            table[label] = {"findings": c["findings"], "sampled": c["sampled"], "read": read,
                            "requirement": c["requirement"], "false": c["false"], "unread": c["unread"],
                            "precision": round(c["requirement"] / read, 3) if read else None}
        tot = Counter()
        for c in per.values():
            tot.update(c)
        read = tot["requirement"] + tot["false"]
        by_fm = Counter()
        by_fm_ok = Counter()
        for r in mine:
            lab = labels.get(key(r))
            if key(r) in sampled and lab and lab.get("verdict") in VERDICTS and key(r) not in mismatched:
                by_fm[r["finding_method"]] += 1
                by_fm_ok[r["finding_method"]] += lab["verdict"] == "requirement"
        out[method] = {
            "labels": table,
            "micro": {"findings": tot["findings"], "read": read, "requirement": tot["requirement"],
                      "false": tot["false"], "unread": tot["unread"],
                      "precision": round(tot["requirement"] / read, 3) if read else None},
            "by_finding_method": {m: {"read": n, "requirement": by_fm_ok[m],
                                      "precision": round(by_fm_ok[m] / n, 3)} for m, n in sorted(by_fm.items())},
            "false_patterns": dict(patterns.most_common()),
            "false": sorted(false_refs, key=lambda x: (x["label"], x["document_sha256"], x["ordinal"])),
        }
    return {"mismatched": [list(k) for k in mismatched], "methods": out}


def print_report(res: dict) -> None:
    for method, m in res["methods"].items():
        print(f"\n== {method}: {m['micro']['findings']} findings, {m['micro']['read']} read, "
              f"precision {m['micro']['precision']} ({m['micro']['unread']} unread)")
        print(f"{'label':28} {'findings':>8} {'read':>5} {'req':>5} {'false':>5} {'precision':>9}")
        for label, c in m["labels"].items():
            p = "—" if c["precision"] is None else f"{c['precision']:.2f}"
            print(f"{label:28} {c['findings']:>8} {c['read']:>5} {c['requirement']:>5} {c['false']:>5} {p:>9}")
        print(f"by finding method: {m['by_finding_method']}")
        print(f"false patterns: {m['false_patterns']}")
        for f in m["false"]:
            print(f"  false {f['label']:24} {f['document_sha256'][:12]}#{f['ordinal']} ({f['finding_method']}, "
                  f"tier {f['tier']}): {f['pattern']}")
    if res["mismatched"]:
        print(f"\ntext hash mismatch (not counted): {res['mismatched']}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=None, help="the shared corpus folder (default: ../shared/corpus)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--half", default="calibration", choices=HALVES,
                    help="calibration: tenders and even notices (the rules were tuned there); reporting: odd notices")
    ap.add_argument("--findings", type=Path, default=None,
                    help="cache of the analysis, with clause text: keep it outside the repository "
                         "(default /tmp/real-capabilities-findings[-reporting].jsonl)")
    ap.add_argument("--rerun", action="store_true", help="analyse again even when the cache exists")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache database for the auto run")
    ap.add_argument("--labels", type=Path, default=None,
                    help="default samples/labelled/real_capabilities[_reporting].jsonl")
    ap.add_argument("--show", action="store_true", help="print each sampled finding's clause (never commit it)")
    ap.add_argument("--template", type=Path, default=None, help="write reference rows to label (verdict null)")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    a.findings = a.findings or FINDINGS.with_stem(FINDINGS.stem + half_tag(a.half))
    a.labels = a.labels or LABELS.with_stem(LABELS.stem + half_tag(a.half, "_"))
    if a.rerun or not a.findings.exists():
        corpus = a.corpus or corpus_dir(ROOT)
        if corpus is None or not corpus.is_dir():
            sys.exit("no corpus: pass --corpus DIR (the shared real-document corpus)")
        rows = collect(corpus, a.workers, a.cache, a.findings, a.half)
    else:
        rows = [json.loads(line) for line in a.findings.read_text(encoding="utf-8").splitlines() if line.strip()]
    keys, sampled = sample(rows)
    distinct = len({key(r) for r in rows})
    per_method = ", ".join(f"{m} {sum(r['method'] == m for r in rows)}" for m in METHODS)
    print(f"{len(rows)} findings ({per_method}), "
          f"{distinct} distinct; reading {len(keys)}" + (f" drawn with seed {SEED}" if sampled else " (all)"),
          file=sys.stderr)
    if a.show:
        show(rows, keys)
    if a.template:
        template(rows, keys, a.template)
    if a.show or a.template:
        return
    labels = read_labels(a.labels)
    if not labels:
        sys.exit(f"no labels in {a.labels}: read the findings with --show first")
    res = precision(rows, keys, labels)
    print_report(res)
    out = a.out or ROOT / "bench" / "results" / f"real-capabilities{half_tag(a.half)}-{dt.date.today()}.json"
    agg = {"half": a.half, "methods": list(METHODS), "kinds": list(KINDS),
           "sample": {"distinct_findings": distinct, "read": len(keys), "sampled": sampled,
                      "seed": SEED if sampled else None, "max": SAMPLE_MAX},
           "labels_file": str(a.labels.relative_to(ROOT)) if a.labels.is_relative_to(ROOT) else str(a.labels),
           **res}
    out.write_text(json.dumps(agg, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
