"""The capability judge: a second reading, learnt from labelled text, of the capabilities in a clause.

Thirty stops of vocabulary left the rules at about P 0.71 / R 0.63 on real clauses nobody had read: a
capability noun fires where nothing is asked for, and a function worded in a way no term foresaw is
missed. The judge is one logistic layer per capability over two things: the clause's e5 vector (the
same vector the head reads) and which capabilities the rules found in it. It is fitted on the read
halves of the real labelled sets (odd ids; the texts stay outside the repository, see ``train_judge``)
together with our own tuning halves (the head's capability sets): the real readers keep data fusion,
travel and social credit narrower than the issue and our sets do (一人一档 is fusion to the issue), and
a judge fitted on real text alone vetoed 50 right fusion findings in our untouched sets.

In auto (combine.Auto) it does two things in the clauses the model reads:

- it **vetoes** a rules capability whose probability falls under the label's veto bar (the clause
  names the thing but asks for nothing), except in a clause that targets a group;
- it **adds** a capability the rules missed when the probability clears the label's add bar and
  the clause asks for a function (``Signals.asks``: the one capability gate).

Both bars come from out-of-fold predictions on the training clauses: the veto bar is the highest cut
where at least VETO_WRONG of the vetoed findings were wrong, the add bar the lowest cut where at least
ADD_RIGHT of the added labels were right. numpy is imported inside the functions that need it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DEFAULT_JUDGE = Path(__file__).parent / "heads" / "capability_judge"
# The real sets leave out every page on minorities, race and religion (so that the passages the tool is
# scored on outside stay unseen): the judge has no evidence on ethnicity recognition and never moves it.
UNJUDGED = frozenset({"ethnicity_recognition"})
RULE_SCALE = 3.0  # the rules' one-hot columns, scaled to weigh like a few standardised vector dimensions
LAMBDA = 0.01
FOLDS = 5
VETO_WRONG = 0.6  # a veto bar is kept only where at least this share of the vetoed findings were wrong
ADD_RIGHT = 0.6  # an add bar is kept only where at least this share of the added labels were right
MIN_POSITIVES = 8  # fewer real positives: the label gets no add bar
MIN_FOUND = 10  # fewer rules findings of the label in training: no veto bar
MIN_MOVED = 3  # a bar must move at least this many training findings to be measured at all


@dataclass
class Judge:
    """Weights over [standardised e5 vector, RULE_SCALE x rules one-hot], with per-label bars."""

    labels: list[str]
    weights: np.ndarray  # (n_labels, dim + n_labels)
    bias: np.ndarray  # (n_labels,)
    mean: np.ndarray  # (dim,)
    scale: np.ndarray  # (dim,)
    veto: list[float]  # a rules finding under this probability is vetoed (-1: never)
    add: list[float]  # a missed label at or over this probability is added (2: never)
    meta: dict[str, Any] = field(default_factory=dict)

    def features(self, vectors: np.ndarray, found: Sequence[Iterable[str]]) -> np.ndarray:
        """The judge's inputs: standardised vectors, then the rules' capabilities as scaled one-hot columns."""
        import numpy as np

        index = {label: j for j, label in enumerate(self.labels)}
        onehot = np.zeros((len(vectors), len(self.labels)), np.float32)
        for i, labels in enumerate(found):
            for label in labels:
                if label in index:
                    onehot[i, index[label]] = RULE_SCALE
        z = (vectors.astype(np.float32) - self.mean) / self.scale
        return np.hstack([z, onehot]).astype(np.float32)

    def probabilities(self, vectors: np.ndarray, found: Sequence[Iterable[str]]) -> np.ndarray:
        """(n, n_labels) probabilities that each capability is asked for in each clause."""
        import numpy as np

        logits = self.features(vectors, found) @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))

    def verdict(self, vector: np.ndarray, found: set[str]) -> tuple[dict[str, float], dict[str, float]]:
        """(vetoed, added) for one clause: label -> probability, each against its bar."""
        probs = self.probabilities(vector[None, :], [found])[0]
        vetoed, added = {}, {}
        for j, label in enumerate(self.labels):
            p = float(probs[j])
            if label in found and p < self.veto[j]:
                vetoed[label] = p
            elif label not in found and p >= self.add[j]:
                added[label] = p
        return vetoed, added

    def save(self, stem: Path) -> tuple[Path, Path]:
        """Write `<stem>.npz` (arrays) and `<stem>.json` (labels, bars, training record)."""
        import numpy as np

        from analyzer.classify.build import write_json

        stem = Path(stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        npz, js = stem.with_suffix(".npz"), stem.with_suffix(".json")
        np.savez_compressed(npz, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                            mean=self.mean.astype(np.float32), scale=self.scale.astype(np.float32))
        record = dict(self.meta)
        record["labels"] = [{"id": label, "veto": round(v, 4), "add": round(a, 4)}
                            for label, v, a in zip(self.labels, self.veto, self.add, strict=True)]
        write_json(js, record)
        return npz, js

    @classmethod
    def load(cls, stem: Path | str | None = None) -> Judge:
        """The judge shipped in classify/heads (or at ``stem``)."""
        from analyzer.classify.model import read_stem

        record, arrays = read_stem(Path(stem) if stem else DEFAULT_JUDGE, "the capability judge")
        labels = record.pop("labels")
        return cls([x["id"] for x in labels], arrays["weights"], arrays["bias"], arrays["mean"], arrays["scale"],
                   [float(x["veto"]) for x in labels], [float(x["add"]) for x in labels], record)


def pick_bars(y: np.ndarray, oof: np.ndarray, found: np.ndarray) -> tuple[list[float], list[float]]:
    """Per label, the veto and add bars from out-of-fold probabilities (see the module docstring)."""
    import numpy as np

    veto, add = [], []
    for j in range(y.shape[1]):
        has = found[:, j] > 0
        bar = -1.0
        if has.sum() >= MIN_FOUND:
            for t in np.arange(0.01, 0.6, 0.01):
                moved = has & (oof[:, j] < t)
                if moved.sum() < MIN_MOVED:
                    continue
                if 1 - y[moved, j].mean() >= VETO_WRONG:
                    bar = float(round(t, 2))
                else:
                    break
        veto.append(bar)
        bar = 2.0
        if y[:, j].sum() >= MIN_POSITIVES:
            for t in np.arange(0.5, 1.0, 0.01):
                moved = ~has & (oof[:, j] >= t)
                if moved.sum() >= MIN_MOVED and y[moved, j].mean() >= ADD_RIGHT:
                    bar = float(round(t, 2))
                    break
        add.append(bar)
    return veto, add


def fit(vectors: np.ndarray, gold: Sequence[set[str]], found: Sequence[set[str]], labels: list[str],
        seed: int = 0) -> tuple[Judge, dict[str, Any]]:
    """Fit the judge on (vector, gold capabilities, rules' capabilities) rows; bars from out-of-fold."""
    import numpy as np

    from analyzer.classify.train import _sigmoid, fit_logistic

    y = np.array([[label in g for label in labels] for g in gold], np.float32)
    rules = np.array([[label in f for label in labels] for f in found], np.float32)
    mean = vectors.mean(0).astype(np.float32)
    scale = (vectors.std(0) + 1e-6).astype(np.float32)
    shell = Judge(labels, np.zeros(0), np.zeros(0), mean, scale, [], [])
    x = shell.features(vectors, found)
    fold = np.random.default_rng(seed).integers(0, FOLDS, len(x))
    oof = np.zeros_like(y)
    for k in range(FOLDS):
        held = fold == k
        w, b = fit_logistic(x[~held], y[~held], np.ones(int((~held).sum())), LAMBDA)
        oof[held] = _sigmoid(x[held] @ w.T + b)
    w, b = fit_logistic(x, y, np.ones(len(x)), LAMBDA)
    veto, add = pick_bars(y, oof, rules)
    for j, label in enumerate(labels):
        if label in UNJUDGED:
            veto[j], add[j] = -1.0, 2.0
    judged = _apply(rules, oof, veto, add)
    record = {"out_of_fold": {"rules": _micro(y, rules), "judged": _micro(y, judged)}}
    return Judge(labels, w.astype(np.float32), b.astype(np.float32), mean, scale, veto, add), record


def _apply(rules: np.ndarray, probs: np.ndarray, veto: list[float], add: list[float]) -> np.ndarray:
    import numpy as np

    v, a = np.array(veto), np.array(add)
    return np.where(rules > 0, probs >= v, probs >= a).astype(np.float32)


def _micro(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    tp = float((y * p).sum())
    return {"precision": round(tp / max(1.0, float(p.sum())), 4), "recall": round(tp / max(1.0, float(y.sum())), 4),
            "predicted": int(p.sum()), "support": int(y.sum())}


def read_halves(labelled: Path, texts: Path) -> list[dict]:
    """The read (odd-id) clauses of every real set whose texts file is in ``texts``, with their labels.

    A set is ``samples/labelled/real_<name>.jsonl`` (references: id, url, text hash, labels) beside
    ``<texts>/real-<name>-texts.jsonl`` (id, text), kept outside the repository. Sets listed in
    NEVER_READ (and "fresh" sets) are measures only and give nothing; a text whose hash does not match
    its reference is skipped.
    """
    from analyzer.classify.train import odd_id

    rows = []
    for ref in sorted(labelled.glob("real_*.jsonl")):
        name = ref.stem[len("real_"):]
        source = texts / f"real-{name.replace('_', '-')}-texts.jsonl"
        if name in NEVER_READ or "fresh" in name or not source.exists():
            continue
        refs = {r["id"]: r for r in _jsonl(ref) if "id" in r and "capabilities" in r}
        for row in _jsonl(source):
            r = refs.get(row.get("id"))
            if r is None or not odd_id(r):
                continue
            if hashlib.sha256(row["text"].encode("utf-8")).hexdigest()[:12] != r.get("text_sha256_12"):
                continue
            rows.append({"set": name, "id": r["id"], "text": row["text"], "capabilities": r["capabilities"]})
    return rows


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Real sets kept as measures only: never read, never trained on (bench figures in the README). The
# second line came after the judge was fitted: they measure it blind.
NEVER_READ = frozenset({"industrial", "antifraud", "courier", "legal_en", "hktw", "population", "emergency",
                        "intentions", "regulators_en",
                        "award", "singlesource", "sensing", "events", "analysis", "voice", "forensics_en", "travellers"})


def train_judge(labelled: Path, texts: Path, embed: Callable[[list[str]], np.ndarray],
                out_stem: Path | None = None, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Fit the judge on the read halves of the real sets and our tuning halves, and write it (default: the
    package's).

    ``embed`` turns texts into the head's e5 vectors. The rules' capabilities are read with the rules
    as they are now: the judge learns the rules' errors, so it is refitted whenever the taxonomy or
    rules change (tests/test_judge.py checks the taxonomy version it was fitted against).
    """
    from analyzer.classify.api import findings_for_texts
    from analyzer.classify.train import capability_rows
    from analyzer.taxonomy import load

    tax = load()
    rows = read_halves(Path(labelled), Path(texts))
    if not rows:
        raise ValueError(f"no read real clauses under {texts}: the judge is trained on texts kept outside the repo")
    tuning = capability_rows(Path(labelled))
    say = progress or (lambda _m: None)
    say(f"{len(rows)} read real clauses from {len({r['set'] for r in rows})} sets, {len(tuning)} of our tuning halves")
    texts_ = [r["text"] for r in rows] + [r["text"] for r in tuning]
    found = [tax.expand({f.label for f in fs if f.kind == "capability"}) for fs in findings_for_texts(texts_, "rules")]
    gold = [tax.expand(r.get("capabilities") or []) for r in rows + tuning]
    labels = sorted(set().union(*gold, *found))
    vectors = embed(texts_)
    judge, record = fit(vectors, gold, found, labels)
    sets: dict[str, int] = {}
    for r in rows:
        sets[r["set"]] = sets.get(r["set"], 0) + 1
    texts_sha = hashlib.sha256("\n".join(f"{r['id']}\t{r['text']}" for r in rows).encode("utf-8")).hexdigest()
    judge.meta = {
        "format": 1, "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "taxonomy_version": tax.version, "clauses": len(rows), "sets": sets, "texts_sha256": texts_sha,
        "tuning_clauses": len(tuning), "tuning_sets": sorted({r["_set"] for r in tuning}),
        "hyperparameters": {"lambda": LAMBDA, "folds": FOLDS, "rule_scale": RULE_SCALE, "veto_wrong": VETO_WRONG,
                            "add_right": ADD_RIGHT, "min_positives": MIN_POSITIVES, "min_found": MIN_FOUND},
        **record,
    }
    judge.save(out_stem or DEFAULT_JUDGE)
    return judge.meta
