#!/usr/bin/env python3
"""The default path (``auto``) against the rules path, side by side in one run: speed, memory, what the cascade skips.

Usage: python bench/bench_default_path.py [--parts pdf,cli_tenders,notices,tenders,recall] [--notices 2000]
       [--repeats 1]

- ``pdf``: a dense 200-page generated tender (bench_pipeline.py's generator at 0.7x type size: ~50 clauses a
  page) and the usual 200-page one: ``pdftotext``, ``analyze --method rules`` (on every core, and pinned to
  one core as pdftotext runs) and ``analyze`` (auto), each a fresh database and 2 workers; ratio to
  pdftotext, clauses embedded, the model's load time, peak memory.
- ``notices``: the Ningbo notices of ``../shared/corpus/notices`` (all 2,000 by default, both halves: speed
  only, no finding is read) through ``pipeline.analyse`` in 2 worker processes with the embedding service,
  rules then auto, each into a fresh database: notices/s, clauses/s, clauses sent to the model, and an
  extrapolation to 100,000 notices here and on N Dask workers.
- ``cli_tenders``: ``analyze`` over the 24 calibration tenders, rules, auto, and auto with a model in each
  worker (``ANALYZER_EMBED_SERVICE=off``, the alternative to one model per machine): time and whole-run memory.
- ``tenders``: the 24 calibration tenders the same way as the notices, then with every clause sent to the model
  (no cascade): the group findings the cascade loses.
- ``recall``: group and capability recall per label on the labelled sets with the cascade and without it
  (every clause to the model: rules.Signals.candidate forced true), and, on the corpus calibration half,
  every group finding the model makes without the cascade that the cascade loses.

Memory is the whole run's peak: the summed PSS (/proc/PID/smaps_rollup) of the process and its
descendants, sampled every 0.1 s, so pages shared by forked workers count once. Results go to
bench/results/default-path-<date>.json; corpus text never leaves the corpus (counts and labels only).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PY = sys.executable
TARGET = 100_000  # notices in the published investigations' corpora


# -- memory: summed PSS of a process tree ----------------------------------------------------------


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    return kids


def tree_pss_kb(root: int) -> int:
    """Summed PSS of ``root`` and its descendants, in kB."""
    kids, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total


@contextlib.contextmanager
def peak_pss(root: int):
    """Sample the tree's PSS while the block runs; yields a dict whose ``mb`` is the peak afterwards."""
    out, stop = {"mb": 0.0}, threading.Event()

    def sample() -> None:
        while not stop.is_set():
            out["mb"] = max(out["mb"], tree_pss_kb(root) / 1024)
            stop.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        yield out
    finally:
        stop.set()
        t.join()


# -- the PDFs ------------------------------------------------------------------------------------


def dense_pdf(pages: int = 200, seed: int = 2024) -> tuple[Path, dict]:
    """bench_pipeline's tender at 0.7x the type size and leading: about twice the clauses a page."""
    import bench_pipeline as bp

    key = bp._cache_key("dense", pages, seed, 0.7)
    path = bp.CACHE / f"tender-dense-{pages}p-{key}.pdf"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text())
    bp.CACHE.mkdir(parents=True, exist_ok=True)
    styles = bp.Layout.STYLES
    bp.Layout.STYLES = {k: (v[0] * 0.7, v[1] * 0.7, v[2] * 0.7, v[3] * 0.7, v[4] * 0.7, v[5])
                        for k, v in styles.items()}
    try:
        meta = bp.build_long_pdf(path, pages, seed)
    finally:
        bp.Layout.STYLES = styles
    meta_path.write_text(json.dumps(meta))
    return path, meta


def _timed(argv: list[str], env: dict | None = None, one_core: bool = False) -> tuple[float, float]:
    """(wall s, peak PSS MB) of a command and its children; ``one_core`` pins them to the first core."""
    pin = None
    if one_core and hasattr(os, "sched_setaffinity"):
        first = min(os.sched_getaffinity(0))

        def pin() -> None:
            os.sched_setaffinity(0, {first})
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=pin)
    with peak_pss(p.pid) as mem:
        _, err = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 1):  # analyze exits 1 when a file needs attention
        raise SystemExit(f"{argv[:4]} failed ({p.returncode}): {err.decode()[-500:]}")
    return wall, mem["mb"]


VARIANTS = {"rules": {}, "auto": {}, "auto_model_per_worker": {"ANALYZER_EMBED_SERVICE": "off"},
            # the rules path on one core, as pdftotext runs: a lone file otherwise reads its pages,
            # classifies and reads its metadata on every core (workers.spread)
            "rules_one_core": {}}


def bench_pdf(path: Path, work: Path, repeats: int, workers: int, variants: tuple = ("rules", "rules_one_core", "auto")) -> dict:
    """pdftotext (for a file), then ``analyze`` per variant, ``repeats`` times each, interleaved; medians."""
    runs: dict[str, list[dict]] = {"pdftotext": [], **{v: [] for v in variants}}
    for r in range(repeats):
        if path.is_file():
            wall, _ = _timed(["pdftotext", "-enc", "UTF-8", str(path), str(work / "out.txt")])
            runs["pdftotext"].append({"s": wall})
        for variant in variants:
            method = "rules" if variant.startswith("rules") else "auto"
            db = work / f"{path.stem}-{variant}-{r}.db"  # fresh: nothing cached from another run
            stats_file = work / f"{path.stem}-{variant}-{r}.stats.json"
            env = dict(os.environ, ANALYZER_SERVICE_STATS=str(stats_file), PYTHONPATH=str(ROOT), **VARIANTS[variant])
            wall, mb = _timed([PY, "-m", "analyzer", "analyze", str(path), "--db", str(db), "--quiet",
                               "--workers", str(workers), "--method", method], env,
                              one_core=variant == "rules_one_core")
            import sqlite3

            with sqlite3.connect(db) as con:
                clauses = con.execute("select count(*) from clauses").fetchone()[0]
                embedded = con.execute("select count(*) from embeddings").fetchone()[0]
            st = json.loads(stats_file.read_text()) if stats_file.exists() else {}
            runs[variant].append({"s": wall, "peak_pss_mb": round(mb), "clauses": clauses, "embedded": embedded,
                                  "sent_to_model": st.get("texts", 0), "load_s": round(st.get("load_s", 0.0), 2)})
    base = statistics.median(x["s"] for x in runs["pdftotext"]) if runs["pdftotext"] else None
    out = {"file": path.name, "pdftotext_s": base and round(base, 3)}
    for variant in variants:
        rs = runs[variant]
        s = statistics.median(x["s"] for x in rs)
        mid = sorted(rs, key=lambda x: x["s"])[len(rs) // 2]
        out[variant] = {**mid, "s": round(s, 2), "ratio": base and round(s / base, 1),
                        "runs_s": [round(x["s"], 2) for x in rs]}
    return out


# -- documents through pipeline.analyse in worker processes -------------------------------------

_SENT = [0]  # clauses the cascade sent to the model in this worker


def _count_sent() -> None:
    from analyzer.classify import combine

    orig = combine.Auto.prepare

    def prepare(self, clauses, context):  # the cascade's choice, whether read here or in the parent's batch
        pending = orig(self, clauses, context)
        _SENT[0] += len(pending.chosen)
        return pending

    combine.Auto.prepare = prepare


def _notice_task(args: tuple):
    from analyzer.ingest.notice import read_notice
    from analyzer.pipeline import analyse, new_record

    pos, record, opts = args
    before = _SENT[0]
    sha = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    rec = new_record(sha, f"ningbo#{pos}", len(record.get("html") or ""), opts, "html")
    try:
        analyse(read_notice(record), rec, opts)
    except Exception as ex:  # recorded, as the pipeline records it
        rec.error = f"{type(ex).__name__}: {ex}"
    return rec, _SENT[0] - before


def _tender_task(args: tuple):
    from analyzer.pipeline import process_document

    path, opts = args
    before = _SENT[0]
    data = Path(path).read_bytes()
    rec = process_document(Path(path), str(path), hashlib.sha256(data).hexdigest(), len(data), opts)
    return rec, _SENT[0] - before


def run_set(name: str, jobs: list[tuple], method: str, work: Path, workers: int, tag: str = "") -> dict:
    """Analyse jobs with ``method`` in a worker pool (the service for the model), writing a fresh database."""
    from analyzer import __version__
    from analyzer.classify import service
    from analyzer.classify.batch import Batcher
    from analyzer.pipeline import Options, extraction_version
    from analyzer.store import Store
    from analyzer.workers import run_pool

    db = work / f"{name}-{method}{tag}.db"  # fresh: no vector cached by another variant
    store = Store(db)
    opts = Options(method=method, db_path=str(db), defer_model=method == "auto" and not os.environ.get(service.ENV))
    fn = _notice_task if name == "notices" else _tender_task
    stats_file = work / f"{name}-{method}{tag}.stats.json"
    os.environ["ANALYZER_SERVICE_STATS"] = str(stats_file)
    clauses = sent = docs = findings = 0
    groups: list[tuple] = []
    t0 = time.perf_counter()
    with peak_pss(os.getpid()) as mem, service.running(method != "rules"):
        batcher = Batcher(str(db))  # as pipeline.analyze: the model's new work batched across notices

        def written(records) -> None:
            nonlocal docs, clauses, findings, groups
            for rec in records:
                rec.extraction_version = extraction_version()
                store.write(rec, __version__)
                docs += 1
                clauses += len(rec.clauses or [])
                findings += len(rec.findings or [])
                groups += [(rec.name, o, f.label, f.method) for o, f in rec.findings or [] if f.kind == "group"]

        for _task, status, value in run_pool(fn, ((*j[:-1], opts) for j in jobs), workers=workers, timeout_s=600):
            if status != "ok":
                continue
            rec, n = value
            sent += n
            written(batcher.add([rec]))
        written(batcher.close())
    seconds = time.perf_counter() - t0
    st = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    embedded = store.db.execute("select count(*) from embeddings").fetchone()[0]
    store.close()
    return {"documents": docs, "seconds": round(seconds, 2), "docs_s": round(docs / seconds, 1),
            "clauses": clauses, "clauses_s": round(clauses / seconds), "sent_to_model": sent,
            "skipped_share": round(1 - sent / clauses, 3) if clauses and method != "rules" else None,
            "distinct_asked": st.get("texts", 0), "embedded": embedded, "load_s": round(st.get("load_s", 0.0), 2),
            "peak_pss_mb": round(mem["mb"]), "findings": findings, "group_findings": len(groups),
            "groups": sorted(groups)}


def bench_docs(name: str, jobs: list[tuple], work: Path, workers: int) -> dict:
    out = {m: run_set(name, jobs, m, work, workers) for m in ("rules", "auto")}
    out["auto_over_rules"] = round(out["auto"]["seconds"] / out["rules"]["seconds"], 2)
    if name == "tenders":  # what the cascade costs on real documents: every clause to the model
        with no_cascade():
            full = run_set(name, jobs, "auto", work, workers, "-full")
        kept = set(out["auto"]["groups"])
        out["auto_no_cascade"] = {k: v for k, v in full.items() if k != "groups"}
        out["auto_no_cascade"]["group_findings_lost_by_cascade"] = [list(g) for g in full["groups"] if g not in kept]
    if name == "notices":  # the alternative to one model per machine: one per worker, as before
        os.environ["ANALYZER_EMBED_SERVICE"] = "off"
        try:
            out["auto_model_per_worker"] = {k: v for k, v in run_set(name, jobs, "auto", work, workers, "-pw").items()
                                            if k != "groups"}
        finally:
            os.environ.pop("ANALYZER_EMBED_SERVICE", None)
        rate = out["auto"]["docs_s"]
        out["extrapolated_100k"] = {"here_hours": round(TARGET / rate / 3600, 2),
                                    "dask_N_workers_hours": f"{TARGET / rate / 3600:.2f} / N (one such machine a worker)"}
    for m in ("rules", "auto"):
        out[m]["groups"] = [list(g) for g in out[m]["groups"]]
    return out


# -- what the cascade costs: recall with and without it ----------------------------------------


@contextlib.contextmanager
def no_cascade():
    """Every clause reaches the model: rules.Signals.candidate forced true."""
    from analyzer.classify import combine

    orig = combine.RulesOnly.classify_with_signals

    def every_clause(self, clauses, context):
        found, signals = orig(self, clauses, context)
        return found, {o: dataclasses.replace(s, candidate=True) for o, s in signals.items()}

    combine.RulesOnly.classify_with_signals = every_clause
    try:
        yield
    finally:
        combine.RulesOnly.classify_with_signals = orig


def bench_recall() -> dict:
    from analyzer.evaluate import evaluate, read_jsonl

    out = {}
    for name in ("dev", "test", "holdout", "capabilities"):
        path = ROOT / "samples" / "labelled" / f"{name}.jsonl"
        if not path.exists():
            continue
        items = list(read_jsonl(path))
        with_c = evaluate(items, "auto")
        with no_cascade():
            without = evaluate(items, "auto")
        rows = {}
        for a in with_c["rows"]:
            b = next((r for r in without["rows"] if (r["kind"], r["label"]) == (a["kind"], a["label"])), None)
            if b and (a["recall"], a["precision"]) != (b["recall"], b["precision"]) or a["label"].startswith("ALL"):
                rows[f"{a['kind']}:{a['label']}"] = {"recall": [a["recall"], b and b["recall"]],
                                                     "precision": [a["precision"], b and b["precision"]],
                                                     "support": a["support"]}
        out[name] = {"items": len(items), "changed_or_total [with, without]": rows}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", default="pdf,notices,tenders,recall")
    ap.add_argument("--notices", type=int, default=2000, help="notices to run (both halves, in file order)")
    ap.add_argument("--repeats", type=int, default=1, help="runs per PDF and method")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    parts = set(a.parts.split(","))
    from analyzer.ingest.notice import corpus_dir, iter_records

    _count_sent()  # before any worker forks
    corpus = corpus_dir(ROOT)
    res: dict = {"date": str(dt.date.today()), "cpus": os.cpu_count(), "load_before": os.getloadavg(),
                 "workers": a.workers}
    work = Path(tempfile.mkdtemp(prefix="bench-default-"))
    try:
        if "pdf" in parts:
            import bench_pipeline as bp

            for label, (path, meta) in (("dense", dense_pdf()), ("long", bp.long_pdf(200))):
                res[f"pdf_{label}"] = {**bench_pdf(path, work, a.repeats, a.workers), "meta": meta}
                print(json.dumps({k: v for k, v in res[f"pdf_{label}"].items() if k != "meta"}), file=sys.stderr)
        if "cli_tenders" in parts and corpus:  # the CLI over the 24 tenders: the whole run's memory
            res["cli_tenders"] = bench_pdf(corpus / "tenders", work, a.repeats, a.workers,
                                           ("rules", "auto", "auto_model_per_worker"))
            print(json.dumps(res["cli_tenders"]), file=sys.stderr)
        if "notices" in parts and corpus:
            jobs = [(pos, rec, None) for pos, rec in iter_records(corpus / "notices" / "ningbo.jsonl.gz")][:a.notices]
            res["notices"] = bench_docs("notices", jobs, work, a.workers)
            print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "groups"} if isinstance(v, dict) else v
                              for k, v in res["notices"].items()}), file=sys.stderr)
        if "tenders" in parts and corpus:
            tenders = sorted(p for p in (corpus / "tenders").iterdir() if p.suffix.lower() in {".pdf", ".docx", ".html"})
            res["tenders"] = bench_docs("tenders", [(str(p), None) for p in tenders], work, a.workers)
            print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "groups"} if isinstance(v, dict) else v
                              for k, v in res["tenders"].items()}), file=sys.stderr)
        if "recall" in parts:
            res["recall"] = bench_recall()
            print(json.dumps(res["recall"], ensure_ascii=False), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["load_after"] = os.getloadavg()
    out = a.out or ROOT / "bench" / "results" / f"default-path-{dt.date.today()}.json"
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
