"""The database schema a blank file gets from the migrations (llm's test_migrate habit).

Outside tools (Datasette, the README's SQL, users' notebooks) read these tables directly, so a
migration that renames or drops a column, or changes the evidence view, must show up here.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from analyzer import migrations as store_module
from analyzer.store import PUBLISHED_SQL, Store, migrations, published

ALL = [m.name for m in migrations.pending(Database(memory=True))]  # every migration, in order

SCHEMA = {
    "documents": ["id", "sha256", "name", "paths", "format", "size", "pages", "clauses", "findings", "status",
                  "error", "encoding", "title", "parent_sha256", "analyzer_version", "taxonomy_version", "method",
                  "notice_type", "project_number", "project_number_norm", "project_name", "buyer", "buyer_is_police",
                  "buyer_type", "agency", "budget_yuan", "award_yuan", "winner", "winner_credit_code", "region",
                  "dates", "markers", "source_url", "retrieved_at", "budget_lots", "award_lots", "budget_basis",
                  "award_rate", "metadata_evidence", "extraction_version"],
    "pages": ["id", "document_id", "page", "method", "text", "chars", "width", "height", "ocr_confidence",
              "needs_ocr", "note"],
    "clauses": ["id", "document_id", "page", "ordinal", "number", "level", "marker", "heading", "section_path",
                "kind", "table_header", "text", "norm", "page_start", "page_end", "bbox", "zone", "page_last"],
    "findings": ["id", "document_id", "clause_id", "page", "kind", "label", "score", "method", "evidence",
                 "evidence_start", "evidence_end", "reason", "tier", "bbox", "capabilities"],
    "embeddings": ["key", "vector", "dim"],
}
EVIDENCE_VIEW = ["finding_id", "document", "page", "kind", "label", "score", "method", "tier", "evidence", "reason",
                 "clause_number", "marker", "section_path", "text", "buyer", "region", "buyer_type", "project_number",
                 "project_name", "notice_type", "budget_yuan", "award_yuan", "winner", "published", "sha256", "bbox",
                 "clause_id", "document_id", "source_url", "retrieved_at"]


def test_a_blank_database_gets_the_documented_schema(tmp_path):
    store = Store(tmp_path / "blank.db")
    for table, columns in SCHEMA.items():
        assert [c.name for c in store.db[table].columns] == columns, table
    assert [c.name for c in store.db["evidence"].columns] == EVIDENCE_VIEW
    assert "clauses_fts" in store.db.table_names()
    applied = [r["name"] for r in store.db.query("select name from _sqlite_migrations order by rowid")]
    assert applied == ALL
    store.close()


def test_reopening_applies_nothing_twice(tmp_path):
    Store(tmp_path / "a.db").close()
    store = Store(tmp_path / "a.db")
    names = [r["name"] for r in store.db.query("select name from _sqlite_migrations")]
    assert len(names) == len(set(names)) == len(ALL)
    store.close()


def test_an_old_database_migrates_to_the_same_schema_as_a_new_one(tmp_path):
    """A database made by the first migrations only catches up on open, view included."""
    old = Database(str(tmp_path / "old.db"))
    early = Migrations("analyzer")  # the same set as it stood at m011
    for name in ALL[:ALL.index("m011_evidence_view") + 1]:
        early(name=name)(getattr(store_module, name))
    early.apply(old)
    assert "award_lots" not in old["documents"].columns_dict
    old.close()
    store = Store(tmp_path / "old.db")
    for table, columns in SCHEMA.items():
        assert sorted(c.name for c in store.db[table].columns) == sorted(columns), table
    assert [c.name for c in store.db["evidence"].columns] == EVIDENCE_VIEW
    store.close()


def test_published_is_one_rule_in_sql_and_python():
    """The view, search and the report date a document the same way."""
    con = sqlite3.connect(":memory:")
    cases = [
        {"published": "2024-03-01", "deadline": "2024-03-20"},
        {"deadline": "2024-03-20", "award": "2024-04-02"},
        {"opening": "2024-05-01", "contract": "2024-06-01"},
        {},
    ]
    import json

    for dates in cases:
        got = con.execute(f"select {PUBLISHED_SQL} from (select ? as dates) d", [json.dumps(dates)]).fetchone()[0]
        assert got == published(dates), dates
    assert published({"deadline": "2024-03-20", "award": "2024-04-02"}) == "2024-04-02"


def test_the_pair_is_backfilled_for_findings_stored_before_it(tmp_path):
    """m020: group findings written before the capabilities column get the systems of their clause."""
    old = Database(str(tmp_path / "old.db"))
    early = Migrations("analyzer")
    for name in ALL[:ALL.index("m020_finding_capabilities")]:
        early(name=name)(getattr(store_module, name))
    early.apply(old)
    rows = [("g", "group", "uyghur"), ("c", "capability", "face_recognition"), ("d", "data_source", "telecom"),
            ("g2", "group", "journalist")]
    for fid, kind, label in rows:
        old["findings"].insert({"id": fid, "document_id": "x", "clause_id": "c1" if fid != "g2" else "c2",
                                "kind": kind, "label": label})
    old.close()
    store = Store(tmp_path / "old.db")
    got = {r["id"]: r["capabilities"] for r in store.db.query("select id, capabilities from findings")}
    assert got == {"g": '["face_recognition","telecom"]', "c": None, "d": None, "g2": "[]"}
    store.close()
