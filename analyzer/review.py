"""For review: the model's group suggestions that did not clear auto's bar, listed apart from findings.

A finding is a finding everywhere (design.md): ``findings``, exports, counts and the report's matrix
hold only what passed the bar. What the model suggested below it can still be worth a reader's
minute, so ``analyzer review`` recomputes it on demand from the database (the stored clauses and the
cached clause embeddings; the transformer loads only for clauses whose vector is not cached) and
prints it, each with why it is not a finding: below the label's floor or auto's minimum, no people
anchor in the clause, or a refuter. Nothing is written to the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby
from typing import TYPE_CHECKING

from analyzer.records import Clause

if TYPE_CHECKING:
    from analyzer.store import Store

STATUS = "for review: not a finding"
COLUMNS = ["document", "sha256", "page", "clause_number", "kind", "label", "score", "method", "status", "why",
           "text", "clause_id"]
TABLE_COLUMNS = ["document", "page", "label", "score", "why", "text"]


def _clause(row: dict) -> Clause:
    return Clause(page=row["page"], ordinal=row["ordinal"], text=row["text"], number=row.get("number"),
                  level=row.get("level") or 0, marker=row.get("marker"), heading=bool(row.get("heading")),
                  section_path=json.loads(row["section_path"]) if row.get("section_path") else [],
                  kind=row.get("kind") or "text",
                  table_header=json.loads(row["table_header"]) if row.get("table_header") else [],
                  zone=row.get("zone"))


def suggestions(store: Store, db_path: str, document: str | None = None) -> Iterator[dict]:
    """Below-bar model group suggestions per clause, in document and reading order (needs the model)."""
    from analyzer.classify.combine import Auto, DocContext, _embedding_cache
    from analyzer.store import clause_id

    auto = Auto(_embedding_cache(db_path))
    docs = {d["sha256"]: d for d in store.documents()}
    for sha, rows in groupby(store.clause_rows(), key=lambda r: r["sha256"]):
        doc = docs.get(sha, {})
        if document and document not in (doc.get("name"), doc.get("path"), sha):
            continue
        clauses = [_clause(r) for r in rows]
        markers = json.loads(doc["markers"]) if isinstance(doc.get("markers"), str) else doc.get("markers")
        by_ord = {c.ordinal: c for c in clauses}
        for o, f, why in auto.below_bar(clauses, DocContext(markers=markers or None)):
            c = by_ord[o]
            yield {"document": doc.get("name"), "sha256": sha, "page": c.page, "clause_number": c.number,
                   "kind": f.kind, "label": f.label, "score": f.score, "method": f.method, "status": STATUS,
                   "why": why, "text": c.text, "clause_id": clause_id(sha, o)}
