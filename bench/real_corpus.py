"""False alarms on real documents: analyse ../shared/corpus and count what the classifier flags.

The shared corpus holds real tenders and notices as their buyers published them; none of it
targets groups of people, so every group finding in it is a false alarm (or a real one worth
reading: the script lists each with its document). It reports, per method:

- group findings per 10,000 clauses, tenders and notices counted apart, by tier, label and
  method (model-only findings separately), with the documents they sit in;
- capability and data-source findings per document;
- how long the analysis took.

Split before tuning: the 24 tenders and the notices at even positions are the calibration half
(tune and mine there); notices at odd positions are the reporting half (``--half reporting``).

    python bench/real_corpus.py --method rules --half reporting --notices 1000
    python bench/real_corpus.py --method auto --show          # print each flagged clause (never commit them)

Results go to ``bench/results/real-corpus-<method>-<half>-<date>.json``: counts, labels and
document names only, no text from the corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyzer.ingest.notice import corpus_dir, iter_records, read_notice  # noqa: E402
from analyzer.pipeline import Options, analyse, new_record, process_document  # noqa: E402

TENDER_SUFFIXES = {".pdf", ".docx", ".html"}


SHOW_CHARS = 160  # with show: how much of each flagged clause is kept (another script may raise it before run())
SCORE_MIN = 0.3  # with scores on: the model's group probabilities kept per clause start here

_scores: dict[int, object] = {}  # this worker's model predictions for the document being analysed


def _record_scores(opts) -> None:
    """Keep, in this (forked) worker, the model's prediction for each clause the classifier sends it."""
    from analyzer.classify import combine

    model = getattr(combine.get(opts.method, opts.db_path), "model", None)
    if model is None or getattr(model, "_recording", False):
        return
    predict = model.predictions

    def predictions(clauses):
        out = predict(clauses)
        _scores.update(zip((c.ordinal for c in clauses), out, strict=True))
        return out

    model.predictions, model._recording = predictions, True


def _scored(rec) -> list[dict]:
    """The clauses the model read whose best group probability reached SCORE_MIN and that hold no group
    finding: where the head came close on a document that targets nobody (hard-negative candidates)."""
    grouped = {o for o, f in rec.findings if f.kind == "group"}
    out = []
    for c in rec.clauses:
        p = _scores.get(c.ordinal)
        if p is None or c.ordinal in grouped:
            continue
        groups = {g: round(v, 3) for g, v in p.groups.items() if v >= SCORE_MIN}
        if groups:
            out.append({"ordinal": c.ordinal, "text_sha": hashlib.sha256(c.text.encode()).hexdigest()[:12],
                        "groups": groups, "targets": round(p.targets, 3)})
    return out


def _flagged(rec, show: bool, scores: bool = False) -> dict:
    """What one analysed document contributes: its clause count and its findings (no text unless shown)."""
    by_ord = {c.ordinal: c for c in rec.clauses}
    findings = []
    for o, f in rec.findings:
        item = {"kind": f.kind, "label": f.label, "tier": f.tier, "method": f.method, "ordinal": o,
                "score": round(f.score, 3), "text_sha": hashlib.sha256(by_ord[o].text.encode()).hexdigest()[:12]}
        if show:
            item["text"] = by_ord[o].text[:SHOW_CHARS]
            item["reason"] = f.reason[:160]
            item["evidence"] = f.evidence
        findings.append(item)
    out = {"name": rec.name, "status": str(rec.status), "error": rec.error, "clauses": len(rec.clauses),
           "findings": findings}
    if scores:
        out["scored"] = _scored(rec)
    if rec.embeddings:
        out["_embeddings"] = rec.embeddings  # for the parent to cache (run(cache=...)); never in the results
    return out


def _tender(args: tuple) -> dict:
    path, opts, show, scores = args
    if scores:
        _record_scores(opts)
        _scores.clear()
    data = Path(path).read_bytes()
    rec = process_document(Path(path), str(path), hashlib.sha256(data).hexdigest(), len(data), opts)
    return {"set": "tenders", "sha256": rec.sha256, **_flagged(rec, show, scores)}


def _notice(args: tuple) -> dict:
    pos, record, opts, show, scores = args
    if scores:
        _record_scores(opts)
        _scores.clear()
    doc = read_notice(record)
    sha = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    rec = new_record(sha, f"ningbo#{pos}", len(record.get("html") or ""), opts, "html")
    try:
        analyse(doc, rec, opts)
    except Exception as ex:  # measured like the pipeline measures: a failure is recorded, not fatal
        rec.error = f"{type(ex).__name__}: {ex}"
    return {"set": "notices", "position": pos, "sha256": sha, **_flagged(rec, show, scores)}


def run(corpus: Path, method: str, half: str, notices: int, workers: int, show: bool,
        scores: bool = False, cache: Path | None = None) -> dict:
    """Analyse the tenders and ``notices`` notice records of ``half``; return the counts.

    With ``scores`` (a model method) each document also lists, under "scored", the clauses without a group
    finding where the model's group probability reached SCORE_MIN (references and scores, no text).
    With ``cache`` (a database file) clause embeddings are read from it and the new ones stored there, so a
    second run with another head skips the transformer (vectors don't depend on the head).
    """
    opts = Options(method=method, ocr_mode="auto", isolate=False, db_path=str(cache) if cache else None)
    if cache:
        from analyzer.store import Store

        Store(cache).close()  # the schema, so that workers can read the embeddings table
    tenders = sorted(p for p in (corpus / "tenders").iterdir() if p.suffix.lower() in TENDER_SUFFIXES)
    jobs_t = [(str(p), opts, show, scores) for p in tenders] if half == "calibration" else []
    jobs_n = []
    for pos, record in iter_records(corpus / "notices" / "ningbo.jsonl.gz", half):
        if len(jobs_n) >= notices:
            break
        jobs_n.append((pos, record, opts, show, scores))
    t0 = time.perf_counter()
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        docs = pool.map(_tender, jobs_t, chunksize=1) + pool.map(_notice, jobs_n, chunksize=8)
    seconds = time.perf_counter() - t0
    new = {k: v for d in docs for k, v in d.pop("_embeddings", {}).items()}
    if cache and new:
        from analyzer.store import Store

        store = Store(cache)
        store.db["embeddings"].insert_all(({"key": k, "vector": v, "dim": len(v) // 4} for k, v in new.items()),
                                          pk="key", replace=True)
        store.close()
    return {"method": method, "half": half, "seconds": round(seconds, 1), "workers": workers,
            "sets": {name: summarise([d for d in docs if d["set"] == name]) for name in ("tenders", "notices")},
            "documents": [{k: v for k, v in d.items() if k not in ("findings", "scored") or v} for d in docs
                          if d["findings"] or d["error"] or d.get("scored")]}


def summarise(docs: list[dict]) -> dict:
    """Per-set counts: group findings per 10,000 clauses by tier, label and method; capabilities per document."""
    clauses = sum(d["clauses"] for d in docs)
    groups = [f for d in docs for f in d["findings"] if f["kind"] == "group"]
    caps = [f for d in docs for f in d["findings"] if f["kind"] != "group"]
    per10k = (lambda n: round(10000 * n / clauses, 2)) if clauses else (lambda n: None)
    return {
        "documents": len(docs), "clauses": clauses, "group_findings": len(groups),
        "group_per_10k": per10k(len(groups)),
        "model_only_per_20k": per10k(sum(f["method"] == "model" for f in groups)) and
        round(2 * per10k(sum(f["method"] == "model" for f in groups)), 2),
        "by_tier": dict(Counter(f["tier"] for f in groups).most_common()),
        "by_label": dict(Counter(f["label"] for f in groups).most_common()),
        "by_method": dict(Counter(f["method"] for f in groups).most_common()),
        "documents_with_group_findings": sum(any(f["kind"] == "group" for f in d["findings"]) for d in docs),
        "capability_findings_per_document": round(len(caps) / len(docs), 2) if docs else None,
        "capability_by_label": dict(Counter(f["label"] for f in caps).most_common()),
        "failed": [d["name"] for d in docs if d["error"] and d["status"] != "ok"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=None, help="the shared corpus folder (default: ../shared/corpus)")
    ap.add_argument("--method", default="rules", choices=["rules", "model", "auto"])
    ap.add_argument("--half", default="calibration", choices=["calibration", "reporting"])
    ap.add_argument("--notices", type=int, default=1000, help="at most this many notices of the half")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", action="store_true", help="print each group finding's clause (for reading; never commit)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--cache", type=Path, default=None,
                    help="a database to keep clause embeddings in between runs (head changes keep them valid)")
    a = ap.parse_args()
    corpus = a.corpus or corpus_dir(ROOT)
    if corpus is None or not corpus.is_dir():
        sys.exit("no corpus: pass --corpus DIR (the shared real-document corpus)")
    res = run(corpus, a.method, a.half, a.notices, a.workers, a.show, cache=a.cache)
    for name, s in res["sets"].items():
        print(f"{name}: {s['documents']} documents, {s['clauses']} clauses, {s['group_findings']} group findings "
              f"= {s['group_per_10k']} per 10,000 (model-only {s['by_method'].get('model', 0)}); tiers {s['by_tier']}; "
              f"labels {s['by_label']}; capability findings per document {s['capability_findings_per_document']}",
              file=sys.stderr)
    print(f"{res['seconds']} s with {a.workers} workers", file=sys.stderr)
    if a.show:
        for d in res["documents"]:
            for f in d.get("findings", []):
                if f["kind"] == "group":
                    print(f"{d['name']} #{f['ordinal']} {f['label']} {f['tier']} {f['method']} {f['score']}: "
                          f"{f.get('text', '')} :: {f.get('reason', '')}", file=sys.stderr)
        for d in res["documents"]:
            for f in d.get("findings", []):
                f.pop("text", None)
                f.pop("reason", None)
                f.pop("evidence", None)
    out = a.out or ROOT / "bench" / "results" / f"real-corpus-{a.method}-{a.half}-{dt.date.today()}.json"
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
