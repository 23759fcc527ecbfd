"""Run the chosen classifier(s) over a document's clauses and merge their findings.

``rules`` alone, ``model`` alone, or ``auto`` (both, when the model is available). In auto a
label found by both is reported once with method ``both``, the rules' evidence span and the
higher score; a model-only group must clear a stricter bar (AUTO_MIN_GROUP, and the
"targets people" head) because it has no span to quote, only the clause and its nearest
labelled neighbours as the reason.
"""

from __future__ import annotations

import functools
import importlib.util
import os

from analyzer.errors import ModelUnavailable
from analyzer.records import Clause, Finding

METHODS = ("rules", "model", "auto")
AUTO_MIN_GROUP = 0.8  # model-only group findings in auto mode need at least this probability


class RulesOnly:
    method = "rules"

    def __init__(self) -> None:
        from analyzer.classify.rules import default

        self.rules = default()

    def classify_clauses(self, clauses: list[Clause], metadata: dict) -> list[tuple[int, Finding]]:
        out: list[tuple[int, Finding]] = []
        legend = metadata.get("markers") or None
        for c in clauses:
            for f in self.rules.classify(c.text, context=_context(c), zone=c.zone, marker=c.marker, legend=legend):
                out.append((c.ordinal, f))
        return out


def _context(c: Clause) -> list[str]:
    context = list(c.section_path)
    if c.table_header:
        context.append(" ".join(c.table_header))
    return context


def model_available() -> str | None:
    """Why the model path cannot run, or None when it can (cheap: imports nothing heavy)."""
    for mod in ("torch", "transformers"):
        if importlib.util.find_spec(mod) is None:
            return "the model path needs the ml extra: pip install 'analyzer[ml]'"
    from analyzer.classify.model import model_dir

    if not (model_dir() / "build.json").exists():
        return "the model is not built yet: run `analyzer model build`"
    return None


class ModelOnly:
    method = "model"

    def __init__(self, cache=None) -> None:
        why = model_available()
        if why:
            raise ModelUnavailable(why)
        from analyzer.classify.model import ModelClassifier

        self.model = ModelClassifier(quantize=os.environ.get("ANALYZER_INT8", "1") != "0")
        self.cache = cache

    def predictions(self, clauses: list[Clause]):
        return self.model.predict([c.text for c in clauses], cache=self.cache)

    def findings(self, c: Clause, p, min_group: float | None = None) -> list[Finding]:
        """Findings for one clause from one prediction: most specific labels only."""
        out: list[Finding] = []
        if c.zone == "boilerplate":
            return out
        groups = p.groups_over_threshold() if p.targets_over_threshold else []
        if min_group is not None:
            groups = [g for g in groups if p.groups.get(g, 0.0) >= min_group]
        parents = {p.parents.get(g) for g in groups}
        why = "; ".join(f"{i} “{t[:40]}” ({s:.2f})" for i, t, s in p.neighbours[:3])
        for g in groups:
            if g in parents:
                continue  # implied by a more specific label
            out.append(Finding("group", g, round(p.score(g), 3), "model", c.text, 0, len(c.text),
                               f"model p={p.score(g):.2f}, targets p={p.targets:.2f}; nearest labelled "
                               f"examples: {why}", "M"))
        for cap in p.capabilities_over_threshold():
            out.append(Finding("capability", cap, round(p.capabilities[cap], 3), "model", c.text, 0, len(c.text),
                               f"model p={p.capabilities[cap]:.2f}; nearest labelled examples: {why}", "M"))
        return out

    def classify_clauses(self, clauses: list[Clause], metadata: dict) -> list[tuple[int, Finding]]:
        out: list[tuple[int, Finding]] = []
        for c, p in zip(clauses, self.predictions(clauses), strict=True):
            out.extend((c.ordinal, f) for f in self.findings(c, p))
        return out


class Auto:
    method = "auto"

    def __init__(self, cache=None) -> None:
        self.rules = RulesOnly()
        self.model = ModelOnly(cache)

    def classify_clauses(self, clauses: list[Clause], metadata: dict) -> list[tuple[int, Finding]]:
        from analyzer.taxonomy import load

        tax = load()
        by_clause: dict[int, list[Finding]] = {}
        for o, f in self.rules.classify_clauses(clauses, metadata):
            by_clause.setdefault(o, []).append(f)
        out: list[tuple[int, Finding]] = []
        for c, p in zip(clauses, self.model.predictions(clauses), strict=True):
            rules = by_clause.get(c.ordinal, [])
            have = {f.label for f in rules}
            implied = tax.expand(have)
            merged = []
            for f in rules:
                ps = p.score(f.label) if f.kind != "data_source" else 0.0
                agrees = (f.kind == "group" and f.label in p.groups_over_threshold()) or (
                    f.kind == "capability" and f.label in p.capabilities_over_threshold())
                if agrees:
                    f = Finding(f.kind, f.label, round(max(f.score, ps), 3), "both", f.evidence, f.start, f.end,
                                f"{f.reason}; model agrees (p={ps:.2f})", f.tier)
                merged.append(f)
            for f in self.model.findings(c, p, min_group=AUTO_MIN_GROUP):
                if f.label in implied or any(f.label in tax.ancestors(h) for h in have):
                    continue
                if f.kind == "group" and any(g.kind == "group" for g in rules):
                    continue  # the rules already explain this clause's targeting with a quotable span
                merged.append(f)
            out.extend((c.ordinal, f) for f in merged)
        return out


@functools.lru_cache(maxsize=4)
def get(method: str = "rules", db_path: str | None = None):
    """A classifier for ``method``, loaded once per process (workers keep it between documents).

    With ``db_path`` the model reads cached clause embeddings from that database.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if method == "rules":
        return RulesOnly()
    from analyzer.store import EmbeddingCache

    cache = EmbeddingCache(db_path)
    return ModelOnly(cache) if method == "model" else Auto(cache)


def new_embeddings(method: str, db_path: str | None = None) -> dict[str, bytes]:
    """Embeddings computed since the last call, for the writer to cache."""
    if method == "rules":
        return {}
    clf = get(method, db_path)
    model = clf if isinstance(clf, ModelOnly) else clf.model
    return model.cache.take() if model.cache is not None else {}


def default_method() -> str:
    """auto when the model can run here, else rules."""
    return "auto" if model_available() is None else "rules"
