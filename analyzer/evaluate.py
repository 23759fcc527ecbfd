"""Precision, recall and F1 per label on a labelled set (parents implied on both sides)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from analyzer.errors import AnalyzerError


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """Clauses from a JSON-lines file (or ``-`` for stdin): one object with a "text" field a line.

    The one reader for labelled sets (eval, train) and for clauses to classify; a bad line
    raises AnalyzerError naming the file and line, which the CLI prints as one line.
    """
    fh = sys.stdin if str(path) == "-" else open(path, encoding="utf-8")
    try:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as ex:
                raise AnalyzerError(f"{path}: line {n} is not JSON ({ex.msg})") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise AnalyzerError(f"{path}: line {n} needs an object with a \"text\" field")
            yield obj
    finally:
        if fh is not sys.stdin:
            fh.close()


def labelled_sets(folder: Path) -> list[Path]:
    """The clause sets among a folder's JSONL files: those whose rows carry a text.

    samples/labelled also keeps references to real clauses (real_negatives.jsonl and the like:
    document sha256, ordinal and a text hash, never the text, which stays in the corpus); they are
    resolved by training and their scripts, and every reader of clause text skips them here.
    """
    out = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        if first and isinstance(json.loads(first).get("text"), str):
            out.append(path)
    return out


def evaluate(items: list[dict], method: str = "rules") -> dict:
    """Precision, recall and F1 per label and overall for ``method`` on labelled items."""
    from analyzer.classify.api import findings_for_texts
    from analyzer.taxonomy import load

    tax = load()
    preds = findings_for_texts([str(i["text"]) for i in items], method)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    errors = []
    any_tp = any_fp = any_fn = 0
    # Data sources are scored apart, and only on sets that label them (capabilities.jsonl does); a set
    # that labels no groups (capabilities-en.jsonl) is not scored on groups.
    groups = any("groups" in i for i in items)
    scored = ([("group", "groups")] if groups else []) + [("capability", "capabilities")]
    if any("data_sources" in i for i in items):
        scored.append(("data_source", "data_sources"))
    for item, fs in zip(items, preds, strict=True):
        for kind, key in scored:
            gold = tax.expand(item.get(key) or [])
            pred = tax.expand({f.label for f in fs if f.kind == kind})
            for lab in gold | pred:
                kinds[lab] = kind
            for lab in gold & pred:
                tp[lab] += 1
            for lab in pred - gold:
                fp[lab] += 1
            for lab in gold - pred:
                fn[lab] += 1
            if kind == "group":
                if gold != pred:
                    errors.append({"id": item.get("id"), "gold": sorted(gold), "pred": sorted(pred),
                                   "text": item["text"]})
                g, p = bool(gold), bool(pred)
                any_tp += g and p
                any_fp += p and not g
                any_fn += g and not p

    def prf(t: int, f_p: int, f_n: int) -> tuple[float, float, float]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return round(p, 3), round(r, 3), round(2 * p * r / (p + r), 3) if p + r else 0.0

    rows = []
    for lab in sorted(kinds, key=lambda k: (kinds[k], k)):
        p, r, f1 = prf(tp[lab], fp[lab], fn[lab])
        rows.append({"kind": kinds[lab], "label": lab, "precision": p, "recall": r, "f1": f1,
                     "support": tp[lab] + fn[lab], "tp": tp[lab], "fp": fp[lab], "fn": fn[lab]})
    overall = {}
    for kind, _ in scored:
        labs = [k for k in kinds if kinds[k] == kind]
        t, f_p, f_n = (sum(c[k] for k in labs) for c in (tp, fp, fn))
        p, r, f1 = prf(t, f_p, f_n)
        overall[kind] = {"precision": p, "recall": r, "f1": f1, "support": t + f_n}
        rows.append({"kind": kind, "label": "ALL (micro)", "precision": p, "recall": r, "f1": f1,
                     "support": t + f_n, "tp": t, "fp": f_p, "fn": f_n})
    if groups:
        p, r, f1 = prf(any_tp, any_fp, any_fn)
        overall["targets_any_group"] = {"precision": p, "recall": r, "f1": f1}
        rows.append({"kind": "group", "label": "ANY GROUP (clause)", "precision": p, "recall": r, "f1": f1,
                     "support": any_tp + any_fn, "tp": any_tp, "fp": any_fp, "fn": any_fn})
    return {"method": method, "items": len(items), "overall": overall, "rows": rows, "errors": errors}
