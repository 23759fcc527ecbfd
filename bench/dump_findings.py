"""Every finding the classifiers produce, one canonical JSON line each, for before/after diffs.

A refactor of the classifiers must change no finding. This runs the classifier over every
clause of ``samples/labelled/*.jsonl`` with each method (rules, model, auto), then ``analyze
--method auto`` over ``samples/corpus`` and over the 24 tenders of the shared corpus (skipped
when absent) into a temporary database, and writes one sorted JSON line per finding:

    python bench/dump_findings.py --out /tmp/before.ndjson
    ... change the code ...
    python bench/dump_findings.py --out /tmp/after.ndjson && cmp /tmp/before.ndjson /tmp/after.ndjson

Each database is fresh: the int8 encoder quantizes activations per batch, so a vector read from
an embedding cache can differ in the last digits from one embedded with other clauses, and a
dump must not depend on what an earlier run left behind. ``--methods`` and ``--skip-analyze``
narrow the run (the model methods need the ml extra and the built model).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "samples" / "labelled"
SAMPLES = ROOT / "samples" / "corpus"
TENDERS = ROOT.parent / "shared" / "corpus" / "tenders"
METHODS = ("rules", "model", "auto")


def _line(source: str, where: str, f: dict) -> str:
    row = {"source": source, "where": where, **f, "score": round(float(f["score"]), 3)}
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def labelled_lines(methods: list[str]) -> list[str]:
    """Findings of each method on every labelled clause, keyed by file, clause id and method."""
    from analyzer.classify.api import findings_for_texts
    from analyzer.evaluate import labelled_sets, read_jsonl

    out = []
    for path in labelled_sets(LABELLED):
        rows = list(read_jsonl(path))
        for method in methods:
            started = time.perf_counter()
            for row, fs in zip(rows, findings_for_texts([str(r["text"]) for r in rows], method), strict=True):
                for f in fs:
                    out.append(_line(f"labelled/{path.name}:{method}", str(row["id"]), {
                        "kind": f.kind, "label": f.label, "score": f.score, "method": f.method, "tier": f.tier,
                        "evidence": f.evidence, "start": f.start, "end": f.end, "reason": f.reason}))
            print(f"{path.name} {method}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


def analyzed_lines(name: str, paths: list[Path], method: str) -> list[str]:
    """Findings of `analyze --method M` over paths, keyed by document sha256 and clause ordinal."""
    with tempfile.TemporaryDirectory(prefix="dump-findings-") as tmp:
        db = Path(tmp) / "dump.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "analyzer", "analyze", *map(str, paths), "--db", str(db),
                               "--method", method, "--quiet"], env=env, capture_output=True, text=True,
                              check=False)
        if proc.returncode not in (0, 3):
            raise SystemExit(f"analyze {name} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        print(f"analyze {name} {method}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        con = sqlite3.connect(db)
        rows = con.execute(
            "select d.sha256, c.ordinal, f.kind, f.label, f.score, f.method, f.tier, f.evidence, "
            "f.evidence_start, f.evidence_end, f.reason from findings f join clauses c on c.id = f.clause_id "
            "join documents d on d.id = f.document_id").fetchall()
        con.close()
    keys = ("kind", "label", "score", "method", "tier", "evidence", "start", "end", "reason")
    return [_line(f"analyze/{name}:{method}", f"{sha}#{ordinal}", dict(zip(keys, rest, strict=True)))
            for sha, ordinal, *rest in rows]


def main(argv: list[str] | None = None) -> None:
    """Write the sorted dump to --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated, for the labelled sets")
    parser.add_argument("--analyze-method", default="auto")
    parser.add_argument("--skip-analyze", action="store_true")
    parser.add_argument("--tenders", type=Path, default=TENDERS, help="folder of real tenders (skipped if absent)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    lines = labelled_lines([m for m in args.methods.split(",") if m])
    if not args.skip_analyze:
        lines += analyzed_lines("samples", [SAMPLES], args.analyze_method)
        tenders = sorted(p for p in args.tenders.glob("*") if p.is_file() and p.name != "labels.jsonl") \
            if args.tenders.is_dir() else []
        if tenders:
            lines += analyzed_lines("tenders", tenders, args.analyze_method)
        else:
            print(f"no tenders at {args.tenders}: skipped", file=sys.stderr)
    lines.sort()
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{len(lines)} findings -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
