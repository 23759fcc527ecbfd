"""The database's schema, as the migrations that build it, applied in order when a store opens.

Each migration's SQL is written out in full and never edited once shipped: an old database must
end up with exactly the schema a new one gets, so two migrations never share a helper whose edit
would change history. New columns and tables come as new migrations at the end.
"""

from __future__ import annotations

import sys


def _import_sqlite_utils():
    """sqlite-utils, imported with numpy and pandas hidden when nothing has imported them yet.

    sqlite-utils imports both when installed, to give their number types a column type: numpy
    alone was ~0.1 s of every command's start (a third of it on a one-file run), and nothing here
    hands it numpy values (embeddings are bytes; every other write is SQL). Later imports of
    numpy, by the model path, are untouched.
    """
    hidden = [m for m in ("numpy", "pandas") if m not in sys.modules]
    for m in hidden:
        sys.modules[m] = None  # type: ignore[assignment]  # "import numpy" now raises ImportError
    try:
        from sqlite_utils import Database
        from sqlite_utils.migrations import Migrations
    finally:
        for m in hidden:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return Database, Migrations


Database, Migrations = _import_sqlite_utils()

migrations = Migrations("analyzer")


@migrations()
def m001_initial(db: Database) -> None:
    """The four tables of the contract: documents, pages, clauses, findings."""
    db["documents"].create({
        "id": str, "sha256": str, "name": str, "paths": str, "format": str, "size": int,
        "pages": int, "clauses": int, "findings": int, "status": str, "error": str,
        "encoding": str, "title": str, "parent_sha256": str, "analyzer_version": str,
        "taxonomy_version": str, "method": str,
    }, pk="id")
    db["pages"].create({
        "id": str, "document_id": str, "page": int, "method": str, "text": str, "chars": int,
        "width": float, "height": float, "ocr_confidence": float, "needs_ocr": int, "note": str,
    }, pk="id", foreign_keys=[("document_id", "documents", "id")])
    db["clauses"].create({
        "id": str, "document_id": str, "page": int, "ordinal": int, "number": str, "level": int,
        "marker": str, "heading": int, "section_path": str, "kind": str, "table_header": str,
        "text": str, "norm": str, "page_start": int, "page_end": int, "bbox": str, "zone": str,
    }, pk="id", foreign_keys=[("document_id", "documents", "id")])
    db["findings"].create({
        "id": str, "document_id": str, "clause_id": str, "page": int, "kind": str, "label": str,
        "score": float, "method": str, "evidence": str, "evidence_start": int, "evidence_end": int,
        "reason": str, "tier": str, "bbox": str,
    }, pk="id", foreign_keys=[("document_id", "documents", "id"), ("clause_id", "clauses", "id")])
    db["pages"].create_index(["document_id", "page"])
    db["clauses"].create_index(["document_id", "ordinal"])
    db["findings"].create_index(["label"])
    db["findings"].create_index(["document_id"])


@migrations()
def m002_tender_metadata(db: Database) -> None:
    """Tender metadata (docs/taxonomy.md §1): who buys, what, for how much, who won."""
    for col, typ in [("notice_type", str), ("project_number", str), ("project_number_norm", str),
                     ("project_name", str), ("buyer", str), ("buyer_is_police", int), ("buyer_type", str),
                     ("agency", str), ("budget_yuan", float), ("award_yuan", float), ("winner", str),
                     ("winner_credit_code", str), ("region", str), ("dates", str), ("markers", str)]:
        db["documents"].add_column(col, typ)
    db["documents"].create_index(["project_number_norm"])


@migrations()
def m003_embeddings(db: Database) -> None:
    """Clause embeddings keyed by a hash of model + text, so re-runs cost nothing."""
    db["embeddings"].create({"key": str, "vector": bytes, "dim": int}, pk="key")


@migrations()
def m010_fts(db: Database) -> None:
    """Full-text index over clauses.norm (trigram: Chinese has no spaces to tokenise on).

    External content, so the text is stored once; triggers keep it in step with the
    delete-and-reinsert that Store.write does on re-analysis. Backfilled for existing rows.
    """
    db.execute("create virtual table if not exists clauses_fts using fts5("
               "norm, content='clauses', content_rowid='rowid', tokenize='trigram')")
    db.execute("create trigger if not exists clauses_fts_ai after insert on clauses begin "
               "insert into clauses_fts(rowid, norm) values (new.rowid, new.norm); end")
    db.execute("create trigger if not exists clauses_fts_ad after delete on clauses begin "
               "insert into clauses_fts(clauses_fts, rowid, norm) values ('delete', old.rowid, old.norm); end")
    db.execute("create trigger if not exists clauses_fts_au after update on clauses begin "
               "insert into clauses_fts(clauses_fts, rowid, norm) values ('delete', old.rowid, old.norm); "
               "insert into clauses_fts(rowid, norm) values (new.rowid, new.norm); end")
    db.execute("insert into clauses_fts(clauses_fts) values ('rebuild')")


@migrations()
def m011_evidence_view(db: Database) -> None:
    """One row per finding with its clause and document: what Datasette facets on (label, buyer, region)."""
    db.execute("""create view if not exists evidence as
        select f.id as finding_id, d.name as document, f.page, f.kind, f.label, f.score, f.method, f.tier,
               f.evidence, f.reason, c.number as clause_number, c.marker, c.section_path, c.text,
               d.buyer, d.region, d.buyer_type, d.project_number, d.project_name, d.notice_type, d.budget_yuan,
               d.award_yuan, d.winner,
               case when json_valid(d.dates) then json_extract(d.dates, '$.published') end as published, d.sha256,
               f.bbox, f.clause_id, f.document_id
        from findings f join clauses c on c.id = f.clause_id join documents d on d.id = f.document_id""")


@migrations()
def m012_source(db: Database) -> None:
    """Where a saved web page came from and when it was saved, as the file itself records."""
    db["documents"].add_column("source_url", str)
    db["documents"].add_column("retrieved_at", str)


@migrations()
def m013_budget_lots(db: Database) -> None:
    """Budget per lot of multi-lot notices (JSON); budget_yuan holds their sum."""
    db["documents"].add_column("budget_lots", str)


@migrations()
def m014_award_lots(db: Database) -> None:
    """Award amount per lot of multi-lot result notices (JSON); award_yuan holds their sum."""
    db["documents"].add_column("award_lots", str)


@migrations()
def m015_evidence_view_source(db: Database) -> None:
    """The evidence view also carries where a saved notice came from (source_url, retrieved_at)."""
    db.execute("drop view if exists evidence")
    db.execute("""create view evidence as
        select f.id as finding_id, d.name as document, f.page, f.kind, f.label, f.score, f.method, f.tier,
               f.evidence, f.reason, c.number as clause_number, c.marker, c.section_path, c.text,
               d.buyer, d.region, d.buyer_type, d.project_number, d.project_name, d.notice_type, d.budget_yuan,
               d.award_yuan, d.winner,
               case when json_valid(d.dates) then json_extract(d.dates, '$.published') end as published, d.sha256,
               f.bbox, f.clause_id, f.document_id, d.source_url, d.retrieved_at
        from findings f join clauses c on c.id = f.clause_id join documents d on d.id = f.document_id""")


@migrations()
def m016_evidence_view_published(db: Database) -> None:
    """The evidence view's ``published`` is the one definition (PUBLISHED_SQL) that search and the report use."""
    db.execute("drop view if exists evidence")
    db.execute("""create view evidence as
        select f.id as finding_id, d.name as document, f.page, f.kind, f.label, f.score, f.method, f.tier,
               f.evidence, f.reason, c.number as clause_number, c.marker, c.section_path, c.text,
               d.buyer, d.region, d.buyer_type, d.project_number, d.project_name, d.notice_type, d.budget_yuan,
               d.award_yuan, d.winner,
               case when json_valid(d.dates) then coalesce(json_extract(d.dates, '$.published'),
                    json_extract(d.dates, '$.award'), json_extract(d.dates, '$.deadline'),
                    json_extract(d.dates, '$.opening'), json_extract(d.dates, '$.contract')) end as published,
               d.sha256, f.bbox, f.clause_id, f.document_id, d.source_url, d.retrieved_at
        from findings f join clauses c on c.id = f.clause_id join documents d on d.id = f.document_id""")


@migrations()
def m017_metadata_evidence(db: Database) -> None:
    """What the budget is (budget_basis), an award priced as a rate (award_rate), where each
    metadata field was read and why a field is null (metadata_evidence, JSON), and the extraction
    version the document was analysed under (re-read when the code, taxonomy or model head changes)."""
    db["documents"].add_column("budget_basis", str)
    db["documents"].add_column("award_rate", str)
    db["documents"].add_column("metadata_evidence", str)
    db["documents"].add_column("extraction_version", str)


@migrations()
def m018_lineage(db: Database) -> None:
    """Clause lineage (analyzer/corpus/lineage.py): one MinHash signature per distinct folded text,
    its LSH band keys (how a new clause finds its family without recomputing the corpus), and each
    clause's text (null when too short to compare). A family is the texts sharing ``family``."""
    db["lineage_texts"].create({"key": str, "sig": bytes, "family": str}, pk="key")
    db["lineage_bands"].create({"band": int, "text_key": str})
    db["lineage_clauses"].create({"clause_id": str, "document_id": str, "text_key": str}, pk="clause_id")
    db["lineage_texts"].create_index(["family"])
    db["lineage_bands"].create_index(["band"])
    db["lineage_clauses"].create_index(["text_key"])
    db["lineage_clauses"].create_index(["document_id"])


@migrations()
def m019_network(db: Database) -> None:
    """The procurement network (analyzer/corpus/network.py): award rows imported from structured
    tables (cited by file and row), organisations with normalised names, buyer → winner awards
    citing a notice (sha256) or a table row, and the procurement each document belongs to."""
    db["award_rows"].create({
        "id": str, "source": str, "row": int, "record_id": str, "buyer": str, "agency": str, "winner": str,
        "amount_yuan": float, "amount_text": str, "date": str, "lot_number": str, "lot_name": str, "region": str,
    }, pk="id")
    db["entities"].create({"id": str, "name": str, "norm": str, "credit_code": str, "parent_id": str,
                           "names": str, "roles": str, "is_police": int}, pk="id")
    db["awards"].create({
        "id": str, "source": str, "document_id": str, "sha256": str, "row_ref": str, "buyer_id": str,
        "agency_id": str, "winner_id": str, "amount_yuan": float, "rate": str, "date": str, "lot": str,
        "project_number": str, "procurement_id": str,
    }, pk="id")
    db["procurement_documents"].create({"document_id": str, "procurement_id": str, "link": str},
                                       pk="document_id")
    db["awards"].create_index(["buyer_id"])
    db["awards"].create_index(["winner_id"])
    db["procurement_documents"].create_index(["procurement_id"])


@migrations()
def m020_finding_capabilities(db: Database) -> None:
    """The pair (which group, which system): each group finding lists, as JSON, the capability and
    data-source ids found in the same clause; null on capability and data-source findings."""
    db["findings"].add_column("capabilities", str)
    db.execute("""update findings set capabilities = (
        select json_group_array(label) from (select distinct f2.label from findings f2
            where f2.clause_id = findings.clause_id and f2.kind != 'group' order by f2.label))
        where kind = 'group'""")


@migrations()
def m021_clause_last_page(db: Database) -> None:
    """The page a clause ends on when a sentence runs past the page end (null when it does not)."""
    db["clauses"].add_column("page_last", int)


@migrations()
def m022_clause_search_index_per_document(db: Database) -> None:
    """The search index gets a document's clauses in one statement after they are inserted
    (store.write), not from a trigger fired per row: on a 200-page tender the trigger cost
    ~0.15 s of a 0.35 s write, the statement ~0.04 s. Deletes and updates keep their triggers."""
    db.execute("drop trigger if exists clauses_fts_ai")
