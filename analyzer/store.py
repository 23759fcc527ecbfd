"""The one module that talks to SQLite (with migrations.py, its schema): migrations on open, upserts, queries.

Ids are deterministic (the file's sha256, then page and clause numbers), so re-running on
the same files upserts instead of duplicating. Each document is written in one transaction:
a crash leaves either the old version of a document or the new one, never half of either.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.migrations import Database, migrations
from analyzer.records import DONE_STATUSES, Clause, Finding, Page, Status

# When a document was published, as one definition for the view, search and the report: the
# publication date it prints, else (for pages that print none) the award, bid deadline, opening
# or contract date, in that order. ``published()`` is the same rule for a dates dict.
PUBLISHED_DATES = ("published", "award", "deadline", "opening", "contract")
PUBLISHED_SQL = ("(case when json_valid(d.dates) then coalesce("
                 + ", ".join(f"json_extract(d.dates, '$.{k}')" for k in PUBLISHED_DATES) + ") end)")


def published(dates: dict | None) -> str | None:
    """The document's date by the rule of PUBLISHED_SQL, from its ``dates`` dict."""
    return next((dates[k] for k in PUBLISHED_DATES if dates and dates.get(k)), None)


def clause_id(sha256: str, ordinal: int) -> str:
    """A clause's deterministic id: the document's first 16 hex digits and the clause ordinal."""
    return f"{sha256[:16]}-c{ordinal:05d}"


def finding_id(cid: str, kind: str, label: str) -> str:
    """A finding's deterministic id from its clause, kind and label, so re-runs upsert."""
    return hashlib.sha256(json.dumps([cid, kind, label], separators=(",", ":")).encode()).hexdigest()[:24]


@dataclass
class DocumentRecord:
    """Everything one document contributes to the database, written in one transaction."""

    sha256: str
    name: str
    path: str
    size: int
    format: str | None
    status: str
    error: str | None = None
    encoding: str | None = None
    title: str | None = None
    parent_sha256: str | None = None
    pages: list[Page] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    findings: list[tuple[int, Finding]] = field(default_factory=list)  # (clause ordinal, finding)
    metadata: dict[str, Any] = field(default_factory=dict)
    method: str | None = None
    taxonomy_version: str | None = None
    embeddings: dict[str, bytes] = field(default_factory=dict)  # new clause embeddings to cache
    extraction_version: str | None = None  # pipeline.extraction_version() of the run that wrote it
    pending: Any = None  # combine.Pending while the model's reading waits for its batch; never stored


def display_name(paths: list[str]) -> str:
    """One stable name for a file stored under several paths: a plain file beats an archive
    member, then the lexically first path wins, whatever order the workers finished in."""
    from analyzer.records import MEMBER_SEP

    best = min(paths, key=lambda p: (MEMBER_SEP in p, p))
    return Path(best.split(MEMBER_SEP)[-1]).name


def _json(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


class EmbeddingCache:
    """Clause embeddings keyed by hash (model + settings + text), read from the database.

    Workers only read (WAL lets them while the writer writes); new vectors are kept in
    ``pending`` and travel back with the document record, so SQLite still has one writer.
    """

    RECENT = 50_000  # vectors this process keeps from earlier documents of the run (~75 MB)

    def __init__(self, path: str | Path | None):
        import sqlite3

        self.pending: dict[str, bytes] = {}
        # Vectors computed here for earlier documents: the writer may not have stored them yet (or
        # there is no database), and a template clause met again must not be embedded again.
        self.recent: dict[str, bytes] = {}
        self.con = None
        if path is not None and Path(path).exists():
            try:
                self.con = sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True, timeout=30)
            except sqlite3.Error:
                self.con = None

    def get_many(self, keys: list[str]) -> dict:
        """Cached vectors for the keys that have one (missing keys are simply absent)."""
        import numpy as np

        out = {k: np.frombuffer(self.recent[k], dtype=np.float32) for k in keys if k in self.recent}
        keys = [k for k in keys if k not in out]
        if self.con is not None and keys:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                try:
                    rows = self.con.execute(f"select key, vector from embeddings where key in "
                                            f"({','.join('?' * len(chunk))})", chunk).fetchall()
                except Exception:  # an old database without the table, a locked file: just embed
                    rows = []
                out.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        return out

    def put_many(self, items: dict) -> None:
        """Remember new vectors for the writer to store with the document."""
        import numpy as np

        new = {k: np.asarray(v, dtype=np.float32).tobytes() for k, v in items.items()}
        self.pending.update(new)
        self.recent.update(new)
        while len(self.recent) > self.RECENT:
            del self.recent[next(iter(self.recent))]

    def take(self) -> dict[str, bytes]:
        """The vectors computed since the last call, handed over once."""
        out, self.pending = self.pending, {}
        return out


class Store:
    """An analyzer database: opening it applies any pending migrations (fresh or old alike)."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False):
        self.path = path
        self.db = Database(memory=True) if memory or path is None else Database(str(path))
        if not memory and path is not None:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        # One transaction for all pending migrations and the migrations table itself: a process
        # killed while opening a new database leaves either no schema or all of it.
        with self.db.atomic():
            migrations.apply(self.db)

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    # -- writes -------------------------------------------------------------------------------

    def known(self, sha256: str) -> dict | None:
        """The stored document row for a sha256, or None."""
        rows = list(self.db.query("select * from documents where id = ?", [sha256]))
        return rows[0] if rows else None

    def add_path(self, sha256: str, path: str) -> None:
        """Remember another path for a document already stored (identical files are stored once)."""
        row = self.known(sha256)
        if row is None:
            return
        paths = json.loads(row["paths"] or "[]")
        if path not in paths:
            paths.append(path)
            with self.db.atomic():
                self.db["documents"].update(sha256, {"paths": _json(paths), "name": display_name(paths)})

    def write(self, rec: DocumentRecord, analyzer_version: str) -> None:
        """Replace everything stored for this document with ``rec``, atomically."""
        from analyzer.normalize import norm_text

        if rec.pending is not None:  # its findings are the rules' alone until classify/batch.py finishes it
            raise ValueError(f"{rec.name}: the model's reading of this document has not finished")

        section_json: dict[tuple, str | None] = {}  # clauses of a section share their path

        def path_json(path) -> str | None:
            key = tuple(path)
            if key not in section_json:
                section_json[key] = _json(list(path))
            return section_json[key]

        old = self.known(rec.sha256)
        paths = json.loads(old["paths"]) if old and old["paths"] else []
        if rec.path not in paths:
            paths.append(rec.path)
        doc = {
            "id": rec.sha256, "sha256": rec.sha256, "name": display_name(paths), "paths": _json(paths),
            "format": rec.format, "size": rec.size, "pages": len(rec.pages), "clauses": len(rec.clauses),
            "findings": len(rec.findings), "status": rec.status, "error": rec.error,
            "encoding": rec.encoding, "title": rec.title, "parent_sha256": rec.parent_sha256,
            "analyzer_version": analyzer_version, "taxonomy_version": rec.taxonomy_version,
            "method": rec.method, "extraction_version": rec.extraction_version,
        }
        md = dict(rec.metadata)
        if "evidence" in md or "null_reasons" in md:
            md["metadata_evidence"] = _json({"fields": md.pop("evidence", {}), "null_reasons": md.pop("null_reasons", {})})
        for k in ("dates", "markers", "budget_lots", "award_lots"):
            if k in md:
                md[k] = _json(md[k])
        doc.update({k: v for k, v in md.items() if k in self._doc_columns()})
        with self.db.atomic():
            for table in ("findings", "lineage_clauses", "clauses", "pages"):  # re-read clauses re-join lineage
                self.db.execute(f"delete from {table} where document_id = ?", [rec.sha256])
            cols = list(doc)
            self.db.conn.execute(
                f"insert into documents ({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' * len(cols))}) "
                f"on conflict(id) do update set {', '.join(f'[{c}] = excluded.[{c}]' for c in cols if c != 'id')}",
                [doc[c] for c in cols])  # an upsert: metadata columns this record lacks keep their values
            self._insert("pages", ({
                "id": f"{rec.sha256[:16]}-p{p.number:05d}", "document_id": rec.sha256, "page": p.number,
                "method": p.method, "text": p.text, "chars": len(p.text), "width": p.width,
                "height": p.height, "ocr_confidence": p.ocr_confidence, "needs_ocr": int(p.needs_ocr),
                "note": p.note,
            } for p in rec.pages))
            self._insert("clauses", ({
                "id": clause_id(rec.sha256, c.ordinal), "document_id": rec.sha256, "page": c.page,
                "ordinal": c.ordinal, "number": c.number, "level": c.level, "marker": c.marker,
                "heading": int(c.heading), "section_path": path_json(c.section_path), "kind": c.kind,
                "table_header": _json(c.table_header) if c.table_header else None, "text": c.text,
                "norm": c.norm if c.norm is not None else norm_text(c.text), "page_start": c.page_start, "page_end": c.page_end,
                "bbox": _json(list(c.bbox)) if c.bbox else None, "zone": c.zone, "page_last": c.page_last,
            } for c in rec.clauses))
            # the search index, in one statement (migration m022 says why there is no insert trigger)
            self.db.execute("insert into clauses_fts(rowid, norm) select rowid, norm from clauses "
                            "where document_id = ?", [rec.sha256])
            if rec.embeddings:
                self.db["embeddings"].insert_all(({"key": k, "vector": v, "dim": len(v) // 4}
                                                  for k, v in rec.embeddings.items()), pk="key", replace=True)
            by_ord = {c.ordinal: c for c in rec.clauses}
            systems: dict[int, set[str]] = {}  # clause ordinal -> capability and data-source ids
            for o, f in rec.findings:
                if f.kind != "group":
                    systems.setdefault(o, set()).add(f.label)
            # A finding cites the page its evidence is printed on (a clause may run onto the next
            # page); the clause's box lies on its first page, so it goes only with that page.
            self._insert("findings", ({
                "id": finding_id(clause_id(rec.sha256, o), f.kind, f.label), "document_id": rec.sha256,
                "clause_id": clause_id(rec.sha256, o), "page": (page := by_ord[o].page_at(f.start)), "kind": f.kind,
                "label": f.label, "score": round(f.score, 3), "method": f.method, "evidence": f.evidence,
                "evidence_start": f.start, "evidence_end": f.end, "reason": f.reason, "tier": f.tier,
                "bbox": _json(list(by_ord[o].bbox)) if by_ord[o].bbox and page == by_ord[o].page else None,
                "capabilities": _json(sorted(systems.get(o, ()))) if f.kind == "group" else None,
            } for o, f in rec.findings), replace=True)

    def _insert(self, table: str, rows: Iterator[dict], replace: bool = False) -> None:
        """Multi-row INSERTs (up to 200 rows a statement) for rows whose values are already SQLite types.

        sqlite-utils' ``insert_all`` inspects every value of every row (JSON-encoding dicts,
        checking columns); for the thousands of clauses of a long tender that cost more than
        SQLite's own work, and our rows are built right above with known columns. One statement
        per row (executemany) was slower still: the per-statement cost dominates.
        """
        first = next(rows, None)
        if first is None:
            return
        cols = list(first)
        head = f"insert {'or replace ' if replace else ''}into [{table}] ({', '.join(f'[{c}]' for c in cols)}) values "
        one = "(" + ", ".join("?" * len(cols)) + ")"
        per = max(1, min(200, 999 // len(cols)))  # many rows a statement: SQLite's per-statement cost dominates
        it = itertools.chain([first], rows)
        while batch := list(itertools.islice(it, per)):
            self.db.conn.execute(head + ", ".join([one] * len(batch)), [r[c] for r in batch for c in cols])

    def _doc_columns(self) -> set[str]:
        if not hasattr(self, "_cols"):
            self._cols = {c.name for c in self.db["documents"].columns}
        return self._cols

    # -- reads --------------------------------------------------------------------------------

    def documents(self, status: str | None = None, attention: bool = False) -> Iterator[dict]:
        """Documents in name order, optionally of one status (``"failed"``: every status that is not
        done); ``attention`` keeps those a reader should look at: any status but ok, or a page with a
        note (OCRed, not read, garbled text flagged)."""
        where, params = ("where status = ?", [status]) if status else ("where 1=1", [])
        if status == "failed":
            done = sorted(DONE_STATUSES)
            where, params = f"where status not in ({', '.join('?' * len(done))})", done
        if attention:
            where += (" and (status != ? or exists (select 1 from pages p where p.document_id = documents.id"
                      " and p.note is not null))")
            params = [*params, Status.OK]
        yield from self.db.query(f"select * from documents {where} order by name, id", params)

    def clause_rows(self) -> Iterator[dict]:
        """Every clause with its document's name and sha256, in reading order (the clauses export)."""
        yield from self.db.query("select c.*, d.name as document, d.sha256 from clauses c "
                                 "join documents d on d.id = c.document_id order by d.name, c.ordinal")

    def finding_rows(self) -> list[dict]:
        """Every finding with the clause fields an evidence card shows, in document and reading order."""
        return list(self.db.query("""
            select f.id, f.document_id, f.clause_id, f.kind, f.label, f.score, f.method, f.evidence,
                   f.evidence_start, f.evidence_end, f.reason, f.tier,
                   c.page, c.number, c.marker, c.section_path, c.text, c.ordinal, c.bbox
            from findings f join clauses c on c.id = f.clause_id
            order by f.document_id, c.ordinal"""))

    def page_methods(self) -> dict[tuple[str, int], dict]:
        """How each page was read (method, OCR confidence, note), keyed by (document id, page)."""
        return {(p["document_id"], p["page"]): p for p in self.db.query(
            "select document_id, page, method, ocr_confidence, needs_ocr, note from pages")}

    def ocr_page_runs(self) -> Iterator[dict]:
        """Pages read by OCR or left unread, grouped per document, method and note (the report's attention list)."""
        yield from self.db.query("""
            select document_id, method, needs_ocr, note, count(*) as n, min(page) as first, max(page) as last,
                   round(avg(ocr_confidence), 2) as conf
            from pages where needs_ocr = 1 or method = 'ocr' or note is not null
            group by document_id, method, needs_ocr, note order by document_id, first""")

    def count(self, table: str) -> int:
        """Rows in one of the tables (documents, pages, clauses, findings)."""
        if table not in ("documents", "pages", "clauses", "findings"):
            raise ValueError(f"unknown table {table!r}")
        return self.db.execute(f"select count(*) from {table}").fetchone()[0]

    def search_clauses(self, fts_query: str | None, like_terms: list[str], labels: list[str] | None = None,
                       buyer_like: str | None = None, since: str | None = None) -> Iterator[dict]:
        """Candidate clauses for search: an FTS5 match and/or LIKE patterns (escaped with \\), with filters.

        Best FTS rank first, else document order. Rows carry raw ``text`` and ``norm`` so the
        caller can re-check each hit and cut a quotable snippet.
        """
        where: list[str] = []
        params: list[Any] = []
        if fts_query:
            source = "clauses_fts join clauses c on c.rowid = clauses_fts.rowid"
            where.append("clauses_fts match ?")
            params.append(fts_query)
            order = "clauses_fts.rank, d.name, c.ordinal"
        else:
            source, order = "clauses c", "d.name, c.ordinal"
        for t in like_terms:
            where.append("c.norm like ? escape '\\'")
            params.append(t)
        if labels:
            where.append(f"exists (select 1 from findings f where f.clause_id = c.id and f.label in "
                         f"({','.join('?' * len(labels))}))")
            params.extend(labels)
        if buyer_like:
            where.append("d.buyer like ? escape '\\'")
            params.append(buyer_like)
        if since:
            where.append(f"{PUBLISHED_SQL} >= ?")
            params.append(since)
        sql = f"""
            select c.id as clause_id, c.text, c.norm, c.page, c.number as clause_number, c.marker, c.section_path,
                   d.name as document, d.sha256, d.buyer, {PUBLISHED_SQL} as published,
                   (select group_concat(distinct f.label) from findings f where f.clause_id = c.id) as labels
            from {source} join documents d on d.id = c.document_id
            where {' and '.join(where) or '1=1'}
            order by {order}"""
        yield from self.db.query(sql, params)

    def findings(self, label: str | None = None, document: str | None = None,
                 kind: str | None = None) -> Iterator[dict]:
        """Findings joined with their clause and document: the fields of the CLI contract."""
        from analyzer.taxonomy import load

        tax = load()
        clauses_sql = ["1=1"]
        params: list[Any] = []
        if label:
            labels = tax.descendants(label)
            clauses_sql.append(f"f.label in ({','.join('?' * len(labels))})")
            params.extend(labels)
        if document:
            clauses_sql.append("(d.name = ? or d.sha256 = ? or d.paths like ?)")
            params.extend([document, document, f"%{document}%"])
        if kind:
            clauses_sql.append("f.kind = ?")
            params.append(kind)
        sql = f"""
            select d.name as document, d.sha256, f.page, f.kind, f.label, f.score, f.method,
                   c.text, f.evidence, f.evidence_start, f.evidence_end, f.bbox, f.reason, f.tier,
                   c.number as clause_number, c.marker, c.section_path, c.id as clause_id,
                   d.buyer, d.project_number, f.capabilities
            from findings f join clauses c on c.id = f.clause_id join documents d on d.id = f.document_id
            where {' and '.join(clauses_sql)}
            order by d.name, c.ordinal, f.kind, f.label"""
        for r in self.db.query(sql, params):
            r["bbox"] = json.loads(r["bbox"]) if r["bbox"] else None
            r["section_path"] = json.loads(r["section_path"]) if r["section_path"] else []
            r["gloss"] = tax.gloss(r["label"])
            r["capabilities"] = json.loads(r["capabilities"]) if r["capabilities"] else None
            yield r

    def summary(self) -> dict[str, Any]:
        """Counts for the analyze summary: documents, pages, clauses, flagged clauses, by status and group."""
        q = self.db.execute
        out: dict[str, Any] = {
            "documents": q("select count(*) from documents where format != 'zip' or format is null").fetchone()[0],
            "pages": q("select count(*) from pages").fetchone()[0],
            "clauses": q("select count(*) from clauses").fetchone()[0],
            "flagged_clauses": q("select count(distinct clause_id) from findings where kind = 'group'").fetchone()[0],
            "by_status": dict(q("select status, count(*) from documents group by status").fetchall()),
            "by_group": dict(q("select label, count(distinct clause_id) from findings where kind = 'group' "
                               "group by label order by 2 desc, 1").fetchall()),
        }
        return out

    # -- clause lineage (analyzer/corpus/lineage.py) -----------------------------------------------

    def lineage_pending(self) -> list[tuple[str, str, str]]:
        """(clause id, document id, normalised text) of clauses not yet placed in a family."""
        return self.db.execute("select c.id, c.document_id, c.norm from clauses c left join lineage_clauses l "
                               "on l.clause_id = c.id where l.clause_id is null order by c.id").fetchall()

    def lineage_texts_info(self, keys) -> dict[str, tuple[bytes, str]]:
        """Stored text keys among ``keys``: key -> (signature bytes, family id)."""
        out: dict[str, tuple[bytes, str]] = {}
        keys = list(keys)
        for i in range(0, len(keys), 900):
            chunk = keys[i:i + 900]
            out.update({k: (sig, fam) for k, sig, fam in self.db.execute(
                f"select key, sig, family from lineage_texts where key in ({','.join('?' * len(chunk))})", chunk)})
        return out

    def lineage_band_matches(self, bands: list[int]) -> dict[int, list[str]]:
        """Stored texts sharing any of these LSH band keys: band -> text keys."""
        out: dict[int, list[str]] = {}
        if not bands or not self.db.execute("select 1 from lineage_bands limit 1").fetchone():
            return out
        for i in range(0, len(bands), 900):
            chunk = bands[i:i + 900]
            for band, key in self.db.execute(f"select band, text_key from lineage_bands where band in "
                                             f"({','.join('?' * len(chunk))})", chunk):
                out.setdefault(band, []).append(key)
        return out

    def lineage_write(self, texts: list[tuple], bands: list[tuple], clauses: list[tuple],
                      remap: dict[str, str]) -> None:
        """New texts (key, signature, family), their bands, clauses (id, document, text key) and
        family merges (old id -> surviving id), in one transaction."""
        with self.db.atomic():
            for old, new in remap.items():
                self.db.execute("update lineage_texts set family = ? where family = ?", [new, old])
            self._insert("lineage_texts", ({"key": k, "sig": s, "family": f} for k, s, f in texts), replace=True)
            self._insert("lineage_bands", ({"band": b, "text_key": k} for b, k in bands))
            self._insert("lineage_clauses", ({"clause_id": c, "document_id": d, "text_key": k}
                                             for c, d, k in clauses), replace=True)

    _LINEAGE_ROW = f"""
        select t.family, lc.clause_id, c.page, c.zone, c.text, d.name as document, d.sha256, d.buyer, d.region,
               {PUBLISHED_SQL} as published,
               (select group_concat(distinct f.label) from findings f where f.clause_id = lc.clause_id) as labels
        from lineage_texts t join lineage_clauses lc on lc.text_key = t.key
             join clauses c on c.id = lc.clause_id join documents d on d.id = lc.document_id"""

    def lineage_family_rows(self, min_docs: int, flagged_only: bool = False,
                            labels: list[str] | None = None) -> Iterator[tuple[str, list[dict]]]:
        """(family id, member rows) of families whose clauses sit in at least ``min_docs`` documents;
        ``flagged_only`` keeps families holding a group finding, ``labels`` those with one of these labels."""
        having, params = ["count(distinct lc.document_id) >= ?"], [max(1, min_docs)]
        if flagged_only:
            having.append("sum(exists (select 1 from findings f where f.clause_id = lc.clause_id "
                          "and f.kind = 'group')) > 0")
        if labels:
            having.append(f"sum(exists (select 1 from findings f where f.clause_id = lc.clause_id and f.label in "
                          f"({','.join('?' * len(labels))}))) > 0")
            params += labels
        sql = f"""
            with fam as (select t.family from lineage_texts t join lineage_clauses lc on lc.text_key = t.key
                         group by t.family having {' and '.join(having)})
            {self._LINEAGE_ROW} where t.family in (select family from fam) order by t.family"""
        for fam, rows in itertools.groupby(self.db.query(sql, params), key=lambda r: r["family"]):
            yield fam, list(rows)

    def lineage_family_id(self, clause_id: str) -> str | None:
        """The lineage family a clause belongs to, or None."""
        row = self.db.execute("select t.family from lineage_clauses lc join lineage_texts t on t.key = lc.text_key "
                              "where lc.clause_id = ?", [clause_id]).fetchone()
        return row[0] if row else None

    def lineage_family_members(self, family: str) -> list[dict]:
        """The clauses of one lineage family."""
        return list(self.db.query(f"{self._LINEAGE_ROW} where t.family = ?", [family]))

    def lineage_other_documents(self, clause_ids: list[str]) -> dict[str, list[dict]]:
        """Clause id -> the other documents its lineage family reaches (name, sha256, one clause id
        there each); clauses not yet placed in a family, or alone in theirs, are absent."""
        out: dict[str, list[dict]] = {}
        ids = list(clause_ids)
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            for r in self.db.query(f"""
                select lc.clause_id, d.name as document, d.sha256, min(o.clause_id) as other_clause
                from lineage_clauses lc join lineage_texts t on t.key = lc.text_key
                     join lineage_texts t2 on t2.family = t.family
                     join lineage_clauses o on o.text_key = t2.key and o.document_id != lc.document_id
                     join documents d on d.id = o.document_id
                where lc.clause_id in ({','.join('?' * len(chunk))})
                group by lc.clause_id, o.document_id order by lc.clause_id, d.name""", chunk):
                out.setdefault(r.pop("clause_id"), []).append(r)
        return out

    def clause_exists(self, clause_id: str) -> bool:
        """Whether a clause id is stored."""
        return self.db.execute("select 1 from clauses where id = ?", [clause_id]).fetchone() is not None

    # -- procurement network (analyzer/corpus/network.py) -----------------------------------------

    def network_documents(self) -> list[dict]:
        """The metadata the network is built from, one row per analysed document."""
        return list(self.db.query("""
            select id, sha256, name, notice_type, project_number, project_number_norm, project_name, buyer, agency,
                   winner, winner_credit_code, award_yuan, award_rate, award_lots, dates
            from documents where status in ('ok', 'partial') order by id"""))

    def award_rows_write(self, source: str, rows: list[dict]) -> None:
        """Replace the imported award rows of one source file."""
        with self.db.atomic():
            self.db.execute("delete from award_rows where source = ?", [source])
            self._insert("award_rows", iter(rows), replace=True)

    def award_rows(self) -> Iterator[dict]:
        """Imported award-table rows (for the network)."""
        yield from self.db.query("select * from award_rows order by source, row")

    def network_write(self, entities: list[dict], awards: list[dict], links: list[dict]) -> None:
        """Replace organisations, awards and procurement links with a fresh build, in one transaction."""
        with self.db.atomic():
            for table in ("awards", "entities", "procurement_documents"):
                self.db.execute(f"delete from {table}")
            self._insert("entities", iter(entities))
            self._insert("awards", iter(awards), replace=True)  # a winner named twice in one row is one award
            self._insert("procurement_documents", iter(links))

    def entities(self) -> Iterator[dict]:
        """Organisations of the procurement network (buyers, agencies, winners)."""
        yield from self.db.query("select * from entities order by name, id")

    def awards(self) -> Iterator[dict]:
        """Awards with buyer, agency and winner names and the notice they were read from."""
        yield from self.db.query("""
            select a.*, b.name as buyer, g.name as agency, w.name as winner, d.name as document
            from awards a left join entities b on b.id = a.buyer_id left join entities g on g.id = a.agency_id
                 left join entities w on w.id = a.winner_id left join documents d on d.id = a.document_id
            order by a.date, a.id""")

    def procurement_flagged_clauses(self, procurement_ids: list[str]) -> list[dict]:
        """Clauses with a group finding in the documents of these procurements (as last built), one
        row per clause with its labels, for naming what a vendor's buyers asked for."""
        ids = list(procurement_ids)
        out: list[dict] = []
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            out += self.db.query(f"""
                select pd.procurement_id, f.clause_id, d.name as document, d.sha256, d.notice_type,
                       min(f.page) as page, group_concat(distinct f.label) as labels
                from procurement_documents pd join findings f on f.document_id = pd.document_id and f.kind = 'group'
                     join documents d on d.id = pd.document_id
                where pd.procurement_id in ({','.join('?' * len(chunk))})
                group by pd.procurement_id, f.clause_id order by d.name, f.clause_id""", chunk)
        return out

    def procurement_links(self) -> dict[str, str]:
        """Document id -> procurement id (as of the last network build)."""
        return dict(self.db.execute("select document_id, procurement_id from procurement_documents").fetchall())
