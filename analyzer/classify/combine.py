"""Run the chosen classifier(s) over a document's clauses and merge their findings.

``rules`` alone, ``model`` alone, or ``auto`` (both, when the model is available), each a
classifier registered by name in ``CLASSIFIERS``. In auto a label found by both is reported
once with method ``both``, the rules' evidence span and the higher score; a model-only group
must clear a stricter bar (AUTO_MIN_GROUP, and the "targets people" head) because it has no
span to quote, only the clause and its nearest labelled neighbours as the reason.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from analyzer.errors import ModelUnavailable
from analyzer.normalize import normalize
from analyzer.records import Clause, Finding

if TYPE_CHECKING:
    from analyzer.classify.embed import EmbeddingCache
    from analyzer.classify.judge import Judge
    from analyzer.classify.model import ModelPrediction
    from analyzer.classify.rules import Signals

AUTO_MIN_GROUP = 0.8  # model-only group findings in auto mode need at least this probability
# A model-only capability in auto needs this probability (or its label's own threshold, if higher), and a
# clause where the rules found a group or a capability: the clause asks for a function, and the model names
# one the rules' vocabulary missed (stop 20: on the untouched halves of eleven blind sets, the frozen set, test
# and holdout, 2,055 passages, capabilities rules P 0.853 / R 0.812, auto 0.854 / 0.829).
AUTO_MIN_CAPABILITY = 0.98
# Clauses each forked reader of the rules path should get at least (RulesOnly.classify_clauses):
# fewer, and forking and sending the findings back cost more than the clauses take (~0.1 ms each).
MIN_CLAUSES_PER_PART = 1000


@dataclass(frozen=True)
class DocContext:
    """What a classifier may know about the document its clauses come from.

    Only what a classifier reads: the document's own marker legend (★ -> "substantive…"), so
    that a finding on a marked clause says what the mark means in that document.
    """

    markers: dict[str, str] | None = None

    @classmethod
    def from_metadata(cls, metadata: dict | None) -> DocContext:
        """The context from a document's metadata (pipeline records); an empty legend is none."""
        return cls(markers=(metadata or {}).get("markers") or None)


class Classifier(Protocol):
    """A named way to turn a document's clauses into findings, keyed by clause ordinal."""

    method: str

    def classify_clauses(self, clauses: list[Clause], context: DocContext) -> list[tuple[int, Finding]]:
        """(clause ordinal, finding) pairs for the clauses, in clause order."""
        ...


@dataclass
class Pending:
    """A document's classification waiting for the model: what the rules found, the clauses the
    model must read (ordinals, in document order) and their signals for auto's bar. Made in a
    worker, finished in the run's parent by classify/batch.py, so that the model reads the
    candidate clauses of many documents in one batch."""

    found: list[tuple[int, Finding]]
    chosen: list[int]
    signals: dict[int, Signals]
    boxed: list[int] = field(default_factory=list)  # chosen clauses boxed in case the model flags them

    def chosen_clauses(self, clauses: list[Clause]) -> list[Clause]:
        """The clauses the model must read, in ``chosen`` order, out of the document's ``clauses``."""
        by_ordinal = {c.ordinal: c for c in clauses}
        return [by_ordinal[o] for o in self.chosen]


class Predictor(Protocol):
    """What ModelOnly needs of the model: one prediction per text (ModelClassifier, or a stand-in)."""

    def predict(self, texts: list[str], cache: EmbeddingCache | None = None) -> list[ModelPrediction]:
        """One prediction per text, in input order."""
        ...


class RulesOnly:
    """The explainable rules (classify/rules.py), clause by clause."""

    method = "rules"
    cache = None  # no embeddings to hand back to the writer

    def __init__(self) -> None:
        from analyzer.classify.rules import default

        self.rules = default()

    def classify_with_signals(self, clauses: list[Clause], context: DocContext) -> tuple[
            list[tuple[int, Finding]], dict[int, Signals]]:
        """The rules' findings and, from the same reading of each clause, what the model path's
        gate needs of it (rules.Signals), keyed by clause ordinal."""
        out: list[tuple[int, Finding]] = []
        signals: dict[int, Signals] = {}
        for c, how in self._reading(clauses, context):
            found, signals[c.ordinal] = self.rules.classify_with_signals(c.text, **how)
            out.extend((c.ordinal, f) for f in found)
        return out, signals

    def classify_clauses(self, clauses: list[Clause], context: DocContext) -> list[tuple[int, Finding]]:
        """Rules findings for every clause, its headings and table header as context.

        A long document is cut into consecutive runs of clauses, one per core this process may
        use (workers.cores(); each clause is read on its own, so the runs give the same findings
        in the same order as one pass). The normalised texts come back with the findings."""
        from analyzer import workers

        parts = max(1, min(workers.cores(), len(clauses) // MIN_CLAUSES_PER_PART))
        if parts == 1:
            return self._classify(clauses, context)
        size = -(-len(clauses) // parts)
        runs = [clauses[k:k + size] for k in range(0, len(clauses), size)]

        def run(part: list[Clause]) -> tuple[list[tuple[int, Finding]], list[str | None]]:
            return self._classify(part, context), [c.norm for c in part]

        out: list[tuple[int, Finding]] = []
        for part, (found, norms) in zip(runs, workers.spread(run, runs), strict=True):
            for c, norm in zip(part, norms, strict=True):
                c.norm = norm
            out.extend(found)
        return out

    def _classify(self, clauses: list[Clause], context: DocContext) -> list[tuple[int, Finding]]:
        return [(c.ordinal, f) for c, how in self._reading(clauses, context)
                for f in self.rules.classify(c.text, **how)]

    @staticmethod
    def _reading(clauses: list[Clause], context: DocContext) -> Iterator[tuple[Clause, dict]]:
        """Each clause with what the rules read beside its text (headings and table header, zone,
        marker and the document's legend, whether it is a specification row). The rules normalise the
        text first thing (a cached call): it is kept on the clause for the store, which would
        otherwise normalise every clause again in the parent process."""
        for c in clauses:
            c.norm = normalize(c.text).text
            yield c, {"context": _context(c), "zone": c.zone, "marker": c.marker, "legend": context.markers,
                      "spec_row": c.kind == "table_row"}


def _context(c: Clause) -> list[str]:
    context = list(c.section_path)
    if c.table_header:
        context.append(" ".join(c.table_header))
    return context


def model_available() -> str | None:
    """Why the model path cannot run, or None when it can (cheap: imports nothing heavy)."""
    from analyzer.classify.build import ML_EXTRA_MESSAGE, model_dir

    for mod in ("torch", "transformers"):
        if importlib.util.find_spec(mod) is None:
            return ML_EXTRA_MESSAGE
    if not (model_dir() / "build.json").exists():
        return "the model is not built yet: run `analyzer model build`"
    return None


class ModelOnly:
    """The trained head's labels for each clause, with its nearest labelled examples as the reason.

    ``model`` stands in for the real ModelClassifier (tests pass a fixed predictor); without one
    the real model is loaded, and ModelUnavailable says why when it cannot be.
    """

    method = "model"

    def __init__(self, cache: EmbeddingCache | None = None, model: Predictor | None = None) -> None:
        if model is None:
            why = model_available()
            if why:
                raise ModelUnavailable(why)
            from analyzer.classify.model import ModelClassifier

            # fp32, as the head was trained. Dynamic int8 scales activations per batch, so a clause's
            # score moved with the clauses batched beside it (0.21 alone, 0.13 among 64): a finding
            # must not depend on its neighbours. ANALYZER_INT8=1 still opts in (CPU only).
            model = ModelClassifier(quantize=os.environ.get("ANALYZER_INT8") == "1" and not _cuda())
        self.model = model
        self.cache = cache

    def predictions(self, clauses: list[Clause]) -> list[ModelPrediction]:
        """One prediction per clause, in clause order."""
        return self.predict_texts([c.text for c in clauses])

    def predict_texts(self, texts: list[str]) -> list[ModelPrediction]:
        """One prediction per text (several documents' clauses at once: classify/batch.py)."""
        return self.model.predict(texts, cache=self.cache)

    def cached_predictions(self, clauses: list[Clause]) -> list[ModelPrediction] | None:
        """The predictions when every clause's vector is cached (nothing loaded or asked), else None."""
        read = getattr(self.model, "predict_cached", None)
        if read is None or self.cache is None:
            return self.predictions(clauses)  # a stand-in predictor: nothing to wait for
        return read([c.text for c in clauses], self.cache)

    def findings(self, c: Clause, p: ModelPrediction, min_group: float | None = None) -> list[Finding]:
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

    def classify_clauses(self, clauses: list[Clause], context: DocContext) -> list[tuple[int, Finding]]:
        """Model findings for every clause; the document context is not used."""
        out: list[tuple[int, Finding]] = []
        for c, p in zip(clauses, self.predictions(clauses), strict=True):
            out.extend((c.ordinal, f) for f in self.findings(c, p))
        return out


def _cuda() -> bool:
    """Whether torch can run on an NVIDIA GPU here, without importing it (workers decide before loading it):
    a driver, a visible device, and a torch build with CUDA (a CPU wheel keeps int8 on the CPU)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    if not (os.path.exists("/proc/driver/nvidia/version") or os.path.exists("/dev/nvidia0")):
        return False
    spec = importlib.util.find_spec("torch")
    return bool(spec and spec.origin and os.path.exists(os.path.join(os.path.dirname(spec.origin), "lib",
                                                                      "libtorch_cuda.so")))


class Auto:
    """Rules and model together: agreement becomes ``both``, the model adds what the rules missed.

    The model reads only the clauses that can carry a finding (a cascade, docs/taxonomy.md §3):
    those the rules flagged for a group, and those outside boilerplate zones that name people (a
    group term or a noun for people: rules.Signals.names_people). Equipment parameters, procedure and
    contract terms, most of a tender, never reach it. What the model adds on its own must show in
    the clause itself: a group needs the clause to name people, no refuter of the rules may apply,
    and its probability must clear the label's floor, calibrated on real documents that target
    nobody (heads/auto_floors.json). It adds a capability of its own only beside the rules' findings
    in a clause it reads (see ``shown``), so a clause that names nobody and that the rules did not flag
    could only feed the review list.
    """

    method = "auto"

    def __init__(self, cache: EmbeddingCache | None = None, model: Predictor | None = None,
                 floors: dict[str, float] | None = None) -> None:
        self.rules = RulesOnly()
        self.model = ModelOnly(cache, model)
        self.cache = cache
        self.floors = auto_floors() if floors is None else floors
        self.judge = capability_judge()

    def floor(self, label: str) -> float:
        """The probability a model-only group must reach: AUTO_MIN_GROUP, or the label's calibrated floor."""
        return max(AUTO_MIN_GROUP, self.floors.get(label, 0.0))

    def classify_clauses(self, clauses: list[Clause], context: DocContext) -> list[tuple[int, Finding]]:
        """The rules' findings (marked ``both`` where the model agrees), then model-only ones that
        pass the clause's own signals and the label's floor and are not implied by a rules label."""
        return self._classify(clauses, context, None)

    def below_bar(self, clauses: list[Clause], context: DocContext) -> list[tuple[int, Finding, str]]:
        """The model's group suggestions that are no finding, each with why (for a person to review).

        A suggestion is a group over the head's own threshold, on a clause the rules give no group,
        not implied by a finding, that fails auto's bar: below AUTO_MIN_GROUP or the label's floor, no
        people anchor in the clause, or a refuter. These never become findings: they are not stored and
        never reach findings, counts, the matrix or exports (`analyzer review` prints them apart).
        """
        review: list[tuple[int, Finding, str]] = []
        self._classify(clauses, context, review)
        return review

    def _classify(self, clauses: list[Clause], context: DocContext,
                  review: list[tuple[int, Finding, str]] | None) -> list[tuple[int, Finding]]:
        pending = self.prepare(clauses, context)
        predictions = self.model.predictions(pending.chosen_clauses(clauses))
        return self.finish(clauses, pending, predictions, review)

    def classify_or_defer(self, clauses: list[Clause], context: DocContext) -> list[tuple[int, Finding]] | Pending:
        """The findings now when the model has nothing new to read (no clause chosen, or every chosen
        clause's vector cached); else what the rules found, for the model's reading to be finished
        in a batch across documents (classify/batch.py)."""
        pending = self.prepare(clauses, context)
        if not pending.chosen:
            return self.finish(clauses, pending, [])
        cached = self.model.cached_predictions(pending.chosen_clauses(clauses))
        return pending if cached is None else self.finish(clauses, pending, cached)

    def prepare(self, clauses: list[Clause], context: DocContext) -> Pending:
        """The rules' reading, and the clauses the model must read (the cascade)."""
        found, signals = self.rules.classify_with_signals(clauses, context)
        # The model reads a clause the rules flag for a group, and one outside boilerplate that names
        # people. A clause flagged only for capabilities that names nobody is not read: the model adds
        # groups only where people are named, and reading those clauses cost more than all the rules as
        # the capability vocabulary grew (the dense tender: 1,319 clauses read instead of ~700). Reading
        # them for the model's own capabilities (stop 20, the first refit head) found 5 more right and 2 more
        # wrong in 1,455 untouched labelled passages: not worth that time.
        grouped = {o for o, f in found if f.kind == "group"}
        # With the capability judge, a clause where the rules found a capability is read too: the judge
        # vetoes a capability named where nothing is asked for and adds one the vocabulary missed.
        capable = {o for o, f in found if f.kind == "capability"} if self.judge is not None else set()
        if self.judge is not None:  # and one that names a capability term the gate or a refuter set aside
            capable |= {o for o, s in signals.items() if s.asks and s.names_capability}
        chosen = [c.ordinal for c in clauses if c.ordinal in grouped
                  or (c.zone != "boilerplate" and (signals[c.ordinal].candidate or c.ordinal in capable))]
        return Pending(found, chosen, {o: signals[o] for o in chosen})

    def finish(self, clauses: list[Clause], pending: Pending, predictions: list[ModelPrediction],
               review: list[tuple[int, Finding, str]] | None = None) -> list[tuple[int, Finding]]:
        """Merge the rules' findings with the model's predictions for the chosen clauses (in
        ``pending.chosen`` order): agreement, and what the model may add on its own."""
        from analyzer.taxonomy import load

        tax = load()
        by_clause: dict[int, list[Finding]] = {}
        for o, f in pending.found:
            by_clause.setdefault(o, []).append(f)
        predicted = dict(zip(pending.chosen, predictions, strict=True))
        signals = pending.signals
        out: list[tuple[int, Finding]] = []
        for c in clauses:
            rules = by_clause.get(c.ordinal, [])
            p = predicted.get(c.ordinal)
            if p is None:
                out.extend((c.ordinal, f) for f in rules)
                continue
            vetoed, added = self.judged(c, p, rules, signals[c.ordinal])
            if vetoed and review is not None:
                review.extend((c.ordinal, f, f"vetoed by the capability judge: p={vetoed[f.label]:.2f}")
                              for f in rules if f.kind == "capability" and f.label in vetoed)
            rules = [f for f in rules if not (f.kind == "capability" and f.label in vetoed)]
            have = {f.label for f in rules}
            implied = tax.expand(have)
            merged = [_agreed(f, p) for f in rules]
            anchored = any(f.kind in ("group", "capability") for f in rules)
            for f in self.model.findings(c, p, min_group=AUTO_MIN_GROUP):
                if f.label in implied or any(f.label in tax.ancestors(h) for h in have):
                    continue
                if f.kind == "group" and any(g.kind == "group" for g in rules):
                    continue  # the rules already explain this clause's targeting with a quotable span
                if not self.shown(f, signals[c.ordinal], anchored, c.text):
                    continue
                if f.kind == "capability":
                    if f.label in vetoed:
                        continue
                    f = _anchored(f, rules)
                merged.append(f)
            present = tax.expand(f.label for f in merged)
            merged.extend(_judged(c, label, q, rules) for label, q in added.items() if label not in present)
            out.extend((c.ordinal, f) for f in merged)
            if review is not None:
                kept = implied | tax.expand(f.label for f in merged)
                grouped = any(g.kind == "group" for g in rules)
                for f in self.model.findings(c, p):
                    if f.label in kept or (f.kind == "group" and (grouped or not signals[c.ordinal].candidate)):
                        continue  # (a clause read only for the judge, naming nobody, suggests no group)
                    why = self.why_not(f, signals[c.ordinal], anchored, c.text)
                    review.append((c.ordinal, f, why or "below the bar"))
        return out

    def judged(self, c: Clause, p: ModelPrediction, rules: list[Finding],
               sig: Signals) -> tuple[dict[str, float], dict[str, float]]:
        """The capability judge's (vetoed, added) for one clause; nothing without the judge or the vector.

        A veto needs a clause where the rules found no group (the judge's real sets leave out texts aimed
        at groups by design). An addition needs the clause to ask for a function (``Signals.asks``, the
        one capability gate), a zone other than boilerplate, and no capability refuter on the label.
        """
        if self.judge is None or p.vector is None:
            return {}, {}
        from analyzer.taxonomy import load

        found = load().expand(f.label for f in rules if f.kind == "capability")
        vetoed, added = self.judge.verdict(p.vector, found)
        if any(f.kind == "group" for f in rules):
            vetoed = {}  # the real sets it learnt from leave out texts that target groups: no veto there
        if c.zone == "boilerplate" or not sig.asks:
            added = {}
        added = {k: q for k, q in added.items() if not self.rules.rules.capability_refuted(k, c.text)}
        return vetoed, added

    def shown(self, f: Finding, sig: Signals, anchored: bool = False, text: str = "") -> bool:
        """Whether the clause itself bears out a model-only finding (see the class docstring).

        Capabilities: only beside the rules' own findings (``anchored``: a group or a capability in the
        clause), at AUTO_MIN_CAPABILITY, and not where the rules' capability refuters take the label out.
        Unanchored, the model's own capability labels on real documents were requirements 1 time in 52
        (bench/real_capabilities.py, stop 14); those go to the review list.
        """
        return self.why_not(f, sig, anchored, text) is None

    def why_not(self, f: Finding, sig: Signals, anchored: bool = False, text: str = "") -> str | None:
        """Why a model-only finding is no finding on this clause, or None when it is one."""
        if f.kind == "capability":
            if not anchored:
                return MODEL_CAPABILITY
            if f.score < AUTO_MIN_CAPABILITY:
                return f"below the bar: p={f.score:.2f} < {AUTO_MIN_CAPABILITY:.2f} (auto's minimum for a model-only capability)"
            if self.rules.rules.capability_refuted(f.label, text):
                return "refuted: the clause's context takes this capability out (capability_refuters)"
            return None
        bar = self.floor(f.label)
        if f.score < bar:
            which = "the label's floor, calibrated on real documents" if bar > AUTO_MIN_GROUP else \
                "auto's minimum for a model-only group"
            return f"below the bar: p={f.score:.2f} < {bar:.2f} ({which})"
        if not sig.names_people:  # (the cascade already reads no such clause without a rules group: kept as the rule)
            return "no people anchor: the clause names no group and no people"
        family = self.rules.rules.refuting_family(sig, f.label)
        if family is not None:
            return f"refuted: {family}"
        return None


MODEL_CAPABILITY = ("a model-only capability in a clause where the rules found nothing: on real documents 1 of 52 "
                    "were requirements (bench/real_capabilities.py), so the model adds capabilities only beside "
                    "the rules' findings")


def _anchored(f: Finding, rules: list[Finding]) -> Finding:
    """A model-only capability, its reason naming the rules' findings it stands beside."""
    beside = ", ".join(sorted({r.label for r in rules if r.kind in ("group", "capability")}))
    return Finding(f.kind, f.label, f.score, f.method, f.evidence, f.start, f.end,
                   f"{f.reason}; in a clause where the rules found {beside}", f.tier)


def _judged(c: Clause, label: str, q: float, rules: list[Finding]) -> Finding:
    """A capability the judge adds: the whole clause is its evidence, the reason says what it read."""
    beside = ", ".join(sorted({r.label for r in rules if r.kind == "capability"})) or "no capability"
    return Finding("capability", label, round(q, 3), "model", c.text, 0, len(c.text),
                   f"capability judge p={q:.2f} (fitted on read real clauses; the rules found {beside} here)", "M")


@functools.lru_cache(maxsize=1)
def capability_judge() -> Judge | None:
    """The shipped capability judge (classify/judge.py), or None without one or with ANALYZER_JUDGE=off."""
    from analyzer.classify.judge import DEFAULT_JUDGE, Judge

    if os.environ.get("ANALYZER_JUDGE") == "off" or not DEFAULT_JUDGE.with_suffix(".npz").exists():
        return None
    return Judge.load()


FLOORS_FILE = "auto_floors.json"


@functools.lru_cache(maxsize=1)
def auto_floors() -> dict[str, float]:
    """Per-label floors for model-only groups in auto (classify/heads/auto_floors.json), or none.

    Written by bench/calibrate_auto.py from the model's scores on the calibration half of real
    documents that target nobody: each floor sits just above the highest score a label reached there.
    """
    import json
    from pathlib import Path

    path = Path(__file__).parent / "heads" / FLOORS_FILE
    if os.environ.get("ANALYZER_AUTO_FLOORS") == "off" or not path.exists():  # off: to calibrate them
        return {}
    return {k: float(v) for k, v in json.loads(path.read_text(encoding="utf-8")).get("floors", {}).items()}


def _agreed(f: Finding, p: ModelPrediction) -> Finding:
    """A rules finding, as ``both`` with the higher score when the model's head agrees with it."""
    ps = p.score(f.label) if f.kind != "data_source" else 0.0
    agrees = (f.kind == "group" and f.label in p.groups_over_threshold()) or (
        f.kind == "capability" and f.label in p.capabilities_over_threshold())
    if not agrees:
        return f
    return Finding(f.kind, f.label, round(max(f.score, ps), 3), "both", f.evidence, f.start, f.end,
                   f"{f.reason}; model agrees (p={ps:.2f})", f.tier)


def _embedding_cache(db_path: str | None) -> EmbeddingCache:
    from analyzer.store import EmbeddingCache

    return EmbeddingCache(db_path)


# name -> factory(db_path): what --method accepts. The model classifiers read cached clause
# embeddings from the database at db_path; a stand-in registers here the same way.
CLASSIFIERS: dict[str, Callable[[str | None], Classifier]] = {
    "rules": lambda db_path: RulesOnly(),
    "model": lambda db_path: ModelOnly(_embedding_cache(db_path)),
    "auto": lambda db_path: Auto(_embedding_cache(db_path)),
}
METHODS = tuple(CLASSIFIERS)


@functools.lru_cache(maxsize=4)
def get(method: str = "rules", db_path: str | None = None) -> Classifier:
    """A classifier for ``method``, loaded once per process (workers keep it between documents).

    With ``db_path`` the model reads cached clause embeddings from that database.
    """
    if method not in CLASSIFIERS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(CLASSIFIERS)}")
    return CLASSIFIERS[method](db_path)


def classify(clauses: list[Clause], method: str, metadata: dict | None = None,
             db_path: str | None = None, defer: bool = False) -> list[tuple[int, Finding]] | Pending:
    """(clause ordinal, finding) pairs for one document's clauses, by the ``method`` classifier.

    With ``defer`` (auto only), a document whose candidate clauses need the model comes back as
    Pending, for classify/batch.py to finish in the parent with other documents' clauses."""
    classifier = get(method, db_path)
    context = DocContext.from_metadata(metadata)
    if defer and isinstance(classifier, Auto):
        return classifier.classify_or_defer(clauses, context)
    return classifier.classify_clauses(clauses, context)


def new_embeddings(method: str, db_path: str | None = None) -> dict[str, bytes]:
    """Embeddings computed since the last call, for the writer to cache."""
    cache = getattr(get(method, db_path), "cache", None)
    return cache.take() if cache is not None else {}


def default_method() -> str:
    """auto when the model can run here, else rules."""
    return "auto" if model_available() is None else "rules"
