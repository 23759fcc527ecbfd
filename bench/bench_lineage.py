"""Clause lineage on real notices: how long clustering takes, and whether planted copies are found.

Analyses the Ningbo notices (rules, so the classifier is not what is timed), then plants edited
copies of the labelled targeting clauses of ``samples/labelled/holdout.jsonl`` into copies of real
notices of the reporting half (odd positions), at run time; nothing planted is written to the
project. Each clause gets an original and five variants (numbers changed, a place name changed,
list items reordered, punctuation changed, traditional characters), each in another host notice.
A variant is found when it lands in the original's family.

    python bench/bench_lineage.py --notices 2000 --workers 2
    python bench/bench_lineage.py --sample 100 > /tmp/families.jsonl   # families to label by hand (never commit)

Results: ``bench/results/lineage-<date>.json`` (counts and timings only, no corpus text).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyzer.ingest.notice import corpus_dir, iter_records, read_notice  # noqa: E402
from analyzer.pipeline import Options, analyse, new_record  # noqa: E402

PLACES = ["乌鲁木齐", "喀什", "和田", "宁波", "宜昌", "松江", "拉萨", "昆明", "成都", "西宁"]


def _analyse(args):
    pos, record = args
    opts = Options(method="rules", ocr_mode="off", isolate=False)
    sha = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    rec = new_record(sha, f"ningbo#{pos}", len(record.get("html") or ""), opts, "html")
    try:
        analyse(read_notice(record), rec, opts)
    except Exception as ex:  # recorded like the pipeline records it
        rec.error = f"{type(ex).__name__}: {ex}"
    return pos, rec


def variants(text: str, rng: random.Random) -> dict[str, str]:
    """Edited copies of one clause, as a copying buyer would edit it."""
    from opencc import OpenCC

    nums = re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), text)
    if nums == text:
        nums = text.rstrip("。") + "，响应时间不超过3秒。"
    place = next((p for p in PLACES if p in text), None)
    named = text.replace(place, rng.choice([p for p in PLACES if p != place])) if place else "宜昌市" + text
    parts = re.split(r"(、)", text)
    items = parts[::2]
    reordered = "、".join(items[::-1]) if len(items) > 2 else "，".join(reversed(re.split("，", text)))
    punct = text.replace("，", ",").replace("。", ".").replace("：", ":").replace("、", " ")
    return {"numbers": nums, "names": named, "order": reordered, "punctuation": punct,
            "traditional": OpenCC("s2t").convert(text)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notices", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", type=Path, default=Path("/tmp/bench-lineage.db"))
    ap.add_argument("--sample", type=int, default=0, help="print this many families (requirement clauses "
                                                          "outside boilerplate zones) as JSON lines to label")
    args = ap.parse_args()
    from analyzer.corpus import lineage
    from analyzer.records import Clause
    from analyzer.store import Store

    corpus = corpus_dir(ROOT)
    if corpus is None:
        sys.exit("no ../shared/corpus")
    if args.db.exists() and args.sample:
        store = Store(args.db)
    else:
        for p in (args.db, Path(f"{args.db}-wal"), Path(f"{args.db}-shm")):
            p.unlink(missing_ok=True)
        store = Store(args.db)
        jobs = [(p, r) for p, r in iter_records(corpus / "notices" / "ningbo.jsonl.gz")][:args.notices]
        t0 = time.perf_counter()
        hosts = []
        with mp.get_context("fork").Pool(args.workers) as pool:
            for pos, rec in pool.imap(_analyse, jobs, chunksize=16):
                store.write(rec, "bench")
                if pos % 2 and rec.clauses:
                    hosts.append(rec)
        analyse_s = time.perf_counter() - t0
        clauses = store.count("clauses")
        # planted: the original and its variants, each in a copy of another reporting-half notice
        rng = random.Random(18)
        labelled = [json.loads(line) for line in (ROOT / "samples/labelled/holdout.jsonl").read_text().splitlines()]
        targets = [x for x in labelled if x.get("groups") and x.get("lang", "zh") == "zh" and len(x["text"]) >= 20]
        plants: list[tuple[str, str, str]] = []  # (target id, variant kind, clause id)
        h = 0
        for t in targets:
            for kind, text in {"original": t["text"], **variants(t["text"], rng)}.items():
                host = hosts[h % len(hosts)]
                h += 1
                sha = hashlib.sha256(f"{host.sha256}:{t['id']}:{kind}".encode()).hexdigest()
                at = rng.randint(0, len(host.clauses))
                cl = [Clause(page=c.page, ordinal=i, text=c.text, zone=c.zone)
                      for i, c in enumerate(host.clauses[:at] + [Clause(page=1, ordinal=0, text=text)]
                                            + host.clauses[at:])]
                rec = new_record(sha, f"planted-{t['id']}-{kind}", 1, Options(method="rules"), "html")
                rec.clauses, rec.status = cl, "ok"
                store.write(rec, "bench")
                plants.append((t["id"], kind, f"{sha[:16]}-c{at:05d}"))
        t0 = time.perf_counter()
        stats = lineage.update(store)
        lineage_s = time.perf_counter() - t0
        found: dict[str, list[int]] = {}
        fam = {p[2]: store.lineage_family_id(p[2]) for p in plants}
        orig = {p[0]: fam[p[2]] for p in plants if p[1] == "original"}
        for tid, kind, cid in plants:
            if kind != "original":
                found.setdefault(kind, []).append(int(fam[cid] is not None and fam[cid] == orig[tid]))
        all_found = [x for v in found.values() for x in v]
        fams = lineage.families(store)
        result = {
            "date": dt.date.today().isoformat(), "notices": len(jobs), "clauses": clauses,
            "clauses_with_plants": store.count("clauses"), "analyse_s": round(analyse_s, 1),
            "lineage_s": round(lineage_s, 1), "lineage": stats, "workers": args.workers,
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "planted_targets": len(targets), "planted_variants": len(all_found),
            "recall": round(sum(all_found) / max(1, len(all_found)), 3),
            "recall_by_kind": {k: round(sum(v) / len(v), 3) for k, v in found.items()},
            "missed": [f"{tid}:{kind}" for tid, kind, cid in plants if kind != "original" and fam[cid] != orig[tid]],
            "families_2plus_docs": len(fams),
            "families_outside_boilerplate": sum(not f["boilerplate"] for f in fams),
        }
        out = ROOT / "bench" / "results" / f"lineage-{result['date']}.json"
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        print(json.dumps(result, ensure_ascii=False, indent=1), file=sys.stderr)
    if args.sample:
        rng = random.Random(7)
        fams = [f for f in lineage.families(store) if not f["boilerplate"]
                and not any(d["document"].startswith("planted-") for d in f["documents"])]
        for f in rng.sample(fams, min(args.sample, len(fams))):
            texts = sorted({d["text"][:120] for d in f["documents"]})
            print(json.dumps({"family": f["family"], "size": f["size"], "texts": texts[:6]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
