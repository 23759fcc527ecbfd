"""The trained head over e5 embeddings: clause texts in, per-label probabilities and nearest examples out.

`Head` is the linear head `analyzer train` writes (classify/heads/e5_head.{npz,json}); `ModelClassifier`
puts it over an `Embedder` (classify/embed.py) built from the model `analyzer model build` rebuilds
(classify/build.py). numpy, torch and transformers belong to the `ml` extra and are imported inside the
functions that need them, so importing this module (and `analyzer --help`) stays cheap.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.classify.build import ML_EXTRA_MESSAGE, model_dir, write_json
from analyzer.classify.embed import Embedder, EmbeddingCache, embedding_key, model_id
from analyzer.errors import ModelUnavailable

if TYPE_CHECKING:
    import numpy as np

    from analyzer.classify import service

DEFAULT_HEAD = Path(__file__).parent / "heads" / "e5_head"


@dataclass(frozen=True)
class ModelPrediction:
    """Head probabilities for one clause, the thresholds they are judged by, and the nearest examples.

    `neighbours` are (id, text, cosine) of the closest labelled training clauses: the human-readable
    reason for a model-only finding, since a probability alone explains nothing to a reader.
    """

    groups: dict[str, float]
    capabilities: dict[str, float]
    targets: float
    group_thresholds: dict[str, float] = field(default_factory=dict, repr=False)
    capability_thresholds: dict[str, float] = field(default_factory=dict, repr=False)
    targets_threshold: float = 0.5
    parents: dict[str, str] = field(default_factory=dict, repr=False)
    neighbours: list[tuple[str, str, float]] = field(default_factory=list)
    vector: Any = field(default=None, repr=False, compare=False)  # the clause's e5 vector (the judge reads it)

    @property
    def targets_over_threshold(self) -> bool:
        """Whether the clause is judged to aim surveillance at people."""
        return self.targets >= self.targets_threshold

    def groups_over_threshold(self) -> list[str]:
        """Group ids at or over their threshold, best first; a child brings its parent (uyghur -> ethnic_minority)."""
        hits = _over(self.groups, self.group_thresholds)
        for label in list(hits):
            parent = self.parents.get(label)
            while parent and parent not in hits:
                hits.append(parent)
                parent = self.parents.get(parent)
        return hits

    def capabilities_over_threshold(self) -> list[str]:
        """Capability ids at or over their threshold, best first."""
        return _over(self.capabilities, self.capability_thresholds)

    def labels_over_threshold(self) -> dict[str, list[str]]:
        """{"groups": [...], "capabilities": [...]} over threshold, the shape `analyzer classify` prints."""
        return {"groups": self.groups_over_threshold(), "capabilities": self.capabilities_over_threshold()}

    def score(self, label: str) -> float:
        """Probability for a group or capability id; an implied parent takes its best child's score."""
        own = self.groups.get(label, self.capabilities.get(label, 0.0))
        children = [s for child, s in self.groups.items() if self.parents.get(child) == label]
        return max([own, *children])


def read_stem(stem: Path, what: str, hint: str = "") -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON record and the arrays of a `<stem>.json` / `<stem>.npz` pair (the head, the judge);
    ModelUnavailable, naming ``what``, when numpy is missing or either file cannot be read."""
    try:
        import numpy as np
    except ImportError as ex:
        raise ModelUnavailable(ML_EXTRA_MESSAGE) from ex
    try:
        record = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(stem.with_suffix(".npz"), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as ex:
        raise ModelUnavailable(f"cannot read {what} {stem}.npz/.json ({ex}){hint}") from ex
    return record, arrays


def _over(scores: Mapping[str, float], thresholds: Mapping[str, float]) -> list[str]:
    hits = [label for label, p in scores.items() if p >= thresholds.get(label, 0.5)]
    return sorted(hits, key=lambda label: -scores[label])


@dataclass
class Head:
    """A trained linear head over e5 embeddings plus the labelled examples used as neighbours.

    Stored as two files next to each other: `<stem>.npz` (float arrays, examples) and `<stem>.json`
    (labels, thresholds, training record). Logits are x @ weights.T + bias on unit-length embeddings.
    """

    kinds: list[str]  # "groups" | "capabilities" | "targets", one per row of weights
    labels: list[str]
    weights: np.ndarray  # (n_labels, dim) float32
    bias: np.ndarray  # (n_labels,) float32
    thresholds: list[float]
    example_vectors: np.ndarray  # (n_examples, dim) float16
    example_ids: list[str]
    example_texts: list[str]
    parents: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, stem: Path) -> tuple[Path, Path]:
        """Write `<stem>.npz` and `<stem>.json`; returns both paths."""
        import numpy as np

        stem = Path(stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        npz, js = stem.with_suffix(".npz"), stem.with_suffix(".json")
        np.savez_compressed(
            npz,
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            example_vectors=self.example_vectors.astype(np.float16),
            example_ids=np.array(self.example_ids, dtype=str),
            example_texts=np.array(self.example_texts, dtype=str),
        )
        record = dict(self.meta)
        record["labels"] = [
            {"kind": k, "id": label, "threshold": round(float(t), 6)}
            for k, label, t in zip(self.kinds, self.labels, self.thresholds, strict=True)
        ]
        record["parents"] = self.parents
        write_json(js, record)
        return npz, js

    @classmethod
    def load(cls, stem: Path | str | None = None) -> Head:
        """Read a head saved by `save` (default: the one shipped in analyzer/classify/heads)."""
        stem = Path(stem) if stem else DEFAULT_HEAD
        stem = stem.with_suffix("") if stem.suffix in (".npz", ".json") else stem
        record, arrays = read_stem(stem, "the classifier head", "; run: analyzer train")
        labels = record.pop("labels")
        parents = record.pop("parents", {})
        return cls(
            kinds=[x["kind"] for x in labels],
            labels=[x["id"] for x in labels],
            weights=arrays["weights"],
            bias=arrays["bias"],
            thresholds=[float(x["threshold"]) for x in labels],
            example_vectors=arrays["example_vectors"],
            example_ids=[str(x) for x in arrays["example_ids"]],
            example_texts=[str(x) for x in arrays["example_texts"]],
            parents=parents,
            meta=record,
        )

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, n_labels) sigmoid probabilities for (n, dim) embeddings."""
        import numpy as np

        logits = vectors.astype(np.float32) @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))

    def predict_vectors(self, vectors: np.ndarray, neighbours: int = 3) -> list[ModelPrediction]:
        """Predictions for precomputed embeddings (so tests and training can skip the encoder)."""
        import numpy as np

        if vectors.shape[1:] != self.weights.shape[1:]:
            raise ModelUnavailable(
                f"the head expects {self.weights.shape[1]}-dim embeddings, got {vectors.shape[1:]}; retrain it"
            )
        probs = self.probabilities(vectors)
        near: list[list[tuple[str, str, float]]] = [[] for _ in range(len(vectors))]
        if neighbours and len(self.example_ids):
            sims = vectors.astype(np.float32) @ self.example_vectors.astype(np.float32).T
            k = min(neighbours, sims.shape[1])
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for row, idx in enumerate(top):
                idx = idx[np.argsort(-sims[row, idx])]
                near[row] = [(self.example_ids[j], self.example_texts[j], float(sims[row, j])) for j in idx]
        thresholds = {kind: {} for kind in ("groups", "capabilities")}
        targets_threshold = 0.5
        for kind, label, t in zip(self.kinds, self.labels, self.thresholds, strict=True):
            if kind == "targets":
                targets_threshold = t
            else:
                thresholds[kind][label] = t
        results = []
        for row, p in enumerate(probs):
            scores: dict[str, dict[str, float]] = {"groups": {}, "capabilities": {}}
            targets = 0.0
            for kind, label, value in zip(self.kinds, self.labels, p, strict=True):
                if kind == "targets":
                    targets = float(value)
                else:
                    scores[kind][label] = float(value)
            results.append(
                ModelPrediction(
                    groups=scores["groups"],
                    capabilities=scores["capabilities"],
                    targets=targets,
                    group_thresholds=thresholds["groups"],
                    capability_thresholds=thresholds["capabilities"],
                    targets_threshold=targets_threshold,
                    parents=self.parents,
                    neighbours=near[row],
                    vector=vectors[row],
                )
            )
        return results


class ModelClassifier:
    """The trained head over an Embedder: clause texts in, ModelPrediction out.

    The embedder is built from the head's own record (max_length) unless one is passed, so that
    predictions see clauses cut the way the training clauses were. It is built on first need:
    when every clause's vector is already in the cache (a re-run after a taxonomy change, or
    with --force), the model's ~5 s of loading and ~1 GB of memory are never spent.
    """

    def __init__(
        self,
        head_path: Path | str | None = None,
        embedder: Embedder | service.RemoteEmbedder | None = None,
        *,
        model_path: Path | str | None = None,
        quantize: bool = False,
    ) -> None:
        self.head = Head.load(head_path)
        self.max_length = int(self.head.meta.get("max_length", 128))
        if embedder is not None:
            self.model_path, self.quantize = embedder.path, embedder.quantize
        else:
            self.model_path, self.quantize = Path(model_path) if model_path else model_dir(), quantize
            if not (self.model_path / "config.json").is_file():
                raise ModelUnavailable(f"no model at {self.model_path}; build it first with: analyzer model build")
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        """The Embedder, loaded on first use (a cache miss); the run's embedding service when one runs."""
        if self._embedder is None:
            import os

            from analyzer.classify import service

            if (address := os.environ.get(service.ENV)) and address != "off":
                self._embedder = service.RemoteEmbedder(address, self.model_path, quantize=self.quantize,
                                                        max_length=self.max_length)
            else:
                self._embedder = Embedder(self.model_path, quantize=self.quantize, max_length=self.max_length)
        return self._embedder

    def _all_cached(self, texts: list[str], cache: EmbeddingCache) -> np.ndarray | None:
        """Every text's vector from the cache, or None when one is missing (then the model loads)."""
        import numpy as np

        precision = "int8" if self.quantize else "fp32"  # what Embedder reports for these settings
        mid = model_id(self.model_path)
        keys = [embedding_key(mid, self.max_length, precision, t) for t in texts]
        hits = cache.get_many(list(dict.fromkeys(keys)))
        if len(hits) < len(set(keys)):
            return None
        return np.stack([hits[k] for k in keys]).astype(np.float32, copy=False)

    def predict_cached(self, texts: list[str], cache: EmbeddingCache) -> list[ModelPrediction] | None:
        """The predictions when every text's vector is in ``cache``, else None (nothing loaded or asked)."""
        if not texts:
            return []
        vectors = self._all_cached(texts, cache)
        return None if vectors is None else self.head.predict_vectors(vectors)

    def predict(
        self, texts: list[str], cache: EmbeddingCache | None = None, *, neighbours: int = 3
    ) -> list[ModelPrediction]:
        """One prediction per text, in input order."""
        if not texts:
            return []
        vectors = self._all_cached(texts, cache) if cache is not None and self._embedder is None else None
        if vectors is None:
            vectors = self.embedder.embed(texts, cache=cache)
        return self.head.predict_vectors(vectors, neighbours=neighbours)

