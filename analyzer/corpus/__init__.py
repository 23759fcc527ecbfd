"""Questions across the corpus rather than about one document: where a clause came from
(``lineage``), who sells to whom (``network``). Both read what ``analyze`` stored and keep
their results in the same database, citing documents and clauses like a finding does."""
