"""Classify free text (the `classify` command and the evaluation): rules, model or both."""

from __future__ import annotations

from analyzer.records import Finding


def findings_for_texts(texts: list[str], method: str = "rules") -> list[list[Finding]]:
    """The findings of each text, the texts read as the clauses of one document without headings."""
    from analyzer.classify import combine
    from analyzer.records import Clause

    clauses = [Clause(page=1, ordinal=i, text=t) for i, t in enumerate(texts)]
    out: list[list[Finding]] = [[] for _ in texts]
    for ordinal, f in combine.classify(clauses, method):
        out[ordinal].append(f)
    return out


def classify_texts(texts: list[str], method: str = "rules") -> list[dict]:
    """One result per text, in the contract's shape: groups, capabilities, score, evidence."""
    results = []
    for fs in findings_for_texts(texts, method):
        groups = sorted({f.label for f in fs if f.kind == "group"})
        results.append({
            "groups": groups,
            "capabilities": sorted({f.label for f in fs if f.kind == "capability"}),
            "data_sources": sorted({f.label for f in fs if f.kind == "data_source"}),
            "score": round(max((f.score for f in fs if f.kind == "group"), default=0.0), 3),
            "method": sorted({f.method for f in fs}) and "+".join(sorted({f.method for f in fs})) or method,
            "evidence": [{"kind": f.kind, "label": f.label, "text": f.evidence, "start": f.start, "end": f.end,
                          "score": round(f.score, 3), "method": f.method, "reason": f.reason} for f in fs],
        })
    return results
