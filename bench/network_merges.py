"""Entity merging on real award data: how often the network's organisations hold one organisation.

Builds the procurement network from ``../shared/corpus/awards``: the 1,679 structured awards of
``yichang-index.jsonl.gz`` (``import-awards``) and the 230 award pages of ``yichang.jsonl.gz``
analysed as notices (rules). Three kinds of decision join names, and each is labelled by hand in
``samples/labelled/network/merges.jsonl`` (see the README beside it):

- ``merge``: an organisation whose entity holds two or more distinct raw spellings;
- ``branch``: a branch (…分公司) pointed at its parent;
- ``joint``: a joint bid's winner string split into its member companies.

Labels are joined to the rebuilt network by (kind, set of raw names); precision is the share
labelled ``same`` (for a split: every part is one whole company). Names that stayed apart but
read almost alike after normalisation are listed as possible missed merges.

    python bench/network_merges.py                 # score the labels, list misses and near misses
    python bench/network_merges.py --draw FILE     # the seeded sample to label, unlabelled

Results: ``bench/results/network-merges-<date>.json`` (counts only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "samples" / "labelled" / "network" / "merges.jsonl"
SEED, SIZE = 18, 100


def build_store(db: Path):
    """A fresh database holding the Yichang award index and the analysed award pages, network built."""
    from analyzer.corpus import network
    from analyzer.ingest.notice import corpus_dir, iter_records, read_notice
    from analyzer.pipeline import Options, analyse, new_record
    from analyzer.store import Store

    corpus = corpus_dir(ROOT)
    if corpus is None or not (corpus / "awards" / "yichang-index.jsonl.gz").exists():
        return None
    store = Store(db)
    network.import_awards(store, corpus / "awards" / "yichang-index.jsonl.gz")
    opts = Options(method="rules", ocr_mode="off", isolate=False)
    for pos, r in iter_records(corpus / "awards" / "yichang.jsonl.gz"):
        sha = hashlib.sha256(json.dumps(r, sort_keys=True).encode()).hexdigest()
        rec = new_record(sha, f"yichang#{pos}", len(r.get("html") or ""), opts, "html")
        store.write(analyse(read_notice(r), rec, opts), "bench")
    network.build(store)
    return store


def candidates(store) -> list[dict]:
    """Every merging decision the build made: merges, branch links and joint-bid splits."""
    from analyzer.corpus import network

    ents = {e["id"]: e for e in store.entities()}
    out = []
    for e in ents.values():
        names = json.loads(e["names"])
        if len(names) >= 2:
            out.append({"kind": "merge", "names": sorted(names), "key": e["norm"]})
        if e["parent_id"] and (p := ents.get(e["parent_id"])):
            out.append({"kind": "branch", "names": sorted({e["name"], p["name"]}), "key": p["norm"]})
    raw = {r["winner"] for r in store.award_rows() if r["winner"]}
    raw |= {d["winner"] for d in store.network_documents() if d["winner"]}
    for w in sorted(raw):
        parts = network.split_winners(w)
        if len(parts) >= 2:
            out.append({"kind": "joint", "names": [w, *parts], "key": " | ".join(network.norm_name(p) for p in parts)})
    return out


def draw(cands: list[dict], size: int = SIZE, seed: int = SEED) -> list[dict]:
    """Every merge when there are fewer than ``size``, then every branch link, then joint splits at random."""
    rng = random.Random(seed)
    merges = [c for c in cands if c["kind"] == "merge"]
    if len(merges) >= size:
        return rng.sample(merges, size)
    out = merges + [c for c in cands if c["kind"] == "branch"]
    joints = [c for c in cands if c["kind"] == "joint"]
    return out + rng.sample(joints, min(len(joints), max(0, size - len(out))))


def ident(c: dict) -> tuple:
    return c["kind"], frozenset(c["names"])


def score(cands: list[dict], labels: list[dict]) -> dict:
    """Precision of the labelled decisions the current build still makes; labelled misses listed."""
    current = {ident(c) for c in cands}
    found = [lab for lab in labels if ident(lab) in current]
    same = [lab for lab in found if lab["verdict"] == "same"]
    return {"labelled": len(labels), "found": len(found), "same": len(same),
            "precision": round(len(same) / len(found), 3) if found else None,
            "misses": [lab for lab in found if lab["verdict"] != "same"],
            "gone": [lab for lab in labels if ident(lab) not in current],
            "by_kind": {k: sum(1 for lab in found if lab["kind"] == k) for k in ("merge", "branch", "joint")}}


def near_misses(store, ratio: float = 0.9) -> list[tuple[float, str, str]]:
    """Normalised names that stayed apart though they read almost alike (possible missed merges)."""
    norms = sorted({e["norm"] for e in store.entities()})
    out = []
    for i, a in enumerate(norms):
        for b in norms[i + 1:]:
            if abs(len(a) - len(b)) > 3 or (a[:2] != b[:2] and a[-2:] != b[-2:]):
                continue
            r = difflib.SequenceMatcher(None, a, b).ratio()
            if r >= ratio:
                out.append((round(r, 3), a, b))
    return sorted(out, reverse=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draw", type=Path, help="write the sample to label (verdict empty) to this file")
    ap.add_argument("--labels", type=Path, default=LABELS)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(Path(tmp) / "network.db")
        if store is None:
            print("no ../shared/corpus/awards: nothing to measure", file=sys.stderr)
            return
        cands = candidates(store)
        kinds = {k: sum(1 for c in cands if c["kind"] == k) for k in ("merge", "branch", "joint")}
        print(f"decisions in the build: {kinds}", file=sys.stderr)
        if args.draw:
            args.draw.write_text("".join(json.dumps({**c, "verdict": None, "note": ""}, ensure_ascii=False) + "\n"
                                         for c in draw(cands)), encoding="utf-8")
            return
        labels = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
        res = score(cands, labels)
        near = near_misses(store)
        entities = sum(1 for _ in store.entities())
        store.close()
    print(f"precision {res['precision']} ({res['same']} same of {res['found']} labelled decisions still made; "
          f"{res['by_kind']}; {len(res['gone'])} labels no longer match a decision)")
    for m in res["misses"]:
        print(f"  MISS {m['kind']}: {' / '.join(m['names'])} — {m['note']}")
    for g in res["gone"]:
        print(f"  gone {g['kind']} ({g['verdict']}): {' / '.join(g['names'])}")
    print(f"near misses (normalised names ≥ 0.9 alike, kept apart): {len(near)}")
    for r, a, b in near:
        print(f"  {r}  {a}  |  {b}")
    out = ROOT / "bench" / "results" / f"network-merges-{dt.date.today()}.json"
    out.write_text(json.dumps({"entities": entities, "decisions": kinds,
                               **{k: v for k, v in res.items() if k not in ("misses", "gone")},
                               "misses": len(res["misses"]), "gone": len(res["gone"]), "near_misses": len(near)},
                              indent=1) + "\n")


if __name__ == "__main__":
    main()
