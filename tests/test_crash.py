"""Crash safety: SIGKILL at any moment, then a re-run, gives exactly what a clean run gives.

Each document is written in one transaction (WAL mode), so a kill leaves every document either
whole or absent; a re-run skips the whole ones and finishes the rest. Opening an older
database applies the pending migrations and keeps its rows.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from test_hostile import good, pdf_bytes, zip_bytes

TABLES = ("documents", "pages", "clauses", "findings")
FILLER = ["二、技术要求", "（一）平台应支持统一身份认证与权限管理。", "3. 服务器不少于2台，内存不低于256GB。",
          "4. 平台应支持对重点上访人员购票信息进行实时预警推送。", "5. 质保期三年，提供7×24小时运维服务。"]


def make_corpus(d: Path, n_txt: int = 28, n_pdf: int = 10) -> list[str]:
    """About forty small tenders (text, PDF and one ZIP); returns every path analyze will see."""
    d.mkdir(parents=True)
    rnd = random.Random(7)
    paths = []
    for i in range(n_txt):
        lines = ["第三章 采购需求", "一、功能需求", good(f"txt {i}")] + rnd.sample(FILLER, 3) * (1 + i % 4)
        (d / f"tender_{i:02d}.txt").write_text("\n".join(lines), encoding="utf-8")
        paths.append(str(d / f"tender_{i:02d}.txt"))
    for i in range(n_pdf):
        pages = [["第三章 采购需求", good(f"pdf {i}")], rnd.sample(FILLER, 3)]
        (d / f"招标文件 {i:02d}.pdf").write_bytes(pdf_bytes(pages))
        paths.append(str(d / f"招标文件 {i:02d}.pdf"))
    members = {f"附件{k}.txt": "\n".join([good(f"zip member {k}"), *FILLER]).encode() for k in range(3)}
    (d / "bundle.zip").write_bytes(zip_bytes(members))
    paths += [str(d / "bundle.zip")] + [f"{d / 'bundle.zip'}!/{m}" for m in members]
    return paths


def command(d: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "analyzer", "analyze", str(d), "--db", str(db), "--workers", "1", "--quiet",
            "--ocr", "off", "--method", "rules"]


def snapshot(db: Path) -> dict:
    """What a run leaves behind, independent of when or in how many runs it was written."""
    con = sqlite3.connect(db)
    out = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    out["docs"] = sorted(con.execute("select id, status, pages, clauses, findings from documents").fetchall())
    out["findings_by_label"] = sorted(con.execute("select document_id, label, count(*) from findings "
                                                  "group by 1, 2").fetchall())
    con.close()
    return out


def check_consistent(db: Path, paths: list[str] | None = None) -> None:
    """No half-written documents, no orphans, no duplicates, an intact file and search index."""
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    if not con.execute("select count(*) from sqlite_master").fetchone()[0]:
        return  # killed before the schema was created: an empty file, set to WAL when reopened
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    for table in ("pages", "clauses", "findings"):
        orphans = con.execute(f"select count(*) from {table} where document_id not in "
                              "(select id from documents)").fetchone()[0]
        assert orphans == 0, f"{orphans} {table} rows without their document"
        # documents.pages / .clauses / .findings hold the counts written with the document
        half = con.execute(f"select d.id from documents d where d.{table} != "
                           f"(select count(*) from {table} t where t.document_id = d.id)").fetchall()
        assert not half, f"documents whose {table} are half written: {half}"
    assert not con.execute("select count(*) from findings where clause_id not in (select id from clauses)"
                           ).fetchone()[0]
    con.execute("insert into clauses_fts(clauses_fts) values ('integrity-check')")  # raises if out of step
    if paths is not None:
        seen: dict[str, int] = {}
        for (raw,) in con.execute("select paths from documents"):
            for p in json.loads(raw):
                seen[p] = seen.get(p, 0) + 1
        assert {p: n for p, n in seen.items() if n != 1} == {}, "a path is stored twice"
        assert sorted(seen) == sorted(paths), "a file has no documents row"
    con.close()


def _stored(db: Path) -> int:
    """Documents stored so far, read beside the running writer (WAL lets readers in)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return con.execute("select count(*) from documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:  # not created yet, or its schema is still being written
        return 0


def _reap(proc: subprocess.Popen) -> None:
    """Kill what is left of a killed run (its orphaned worker), which we started."""
    proc.wait()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_sigkill_at_any_moment_then_rerun_equals_a_clean_run(tmp_path):
    d = tmp_path / "in"
    paths = make_corpus(d)
    clean_db = tmp_path / "clean.db"
    t = time.monotonic()
    res = subprocess.run(command(d, clean_db), cwd=ROOT, capture_output=True, text=True, timeout=120)
    clean_s = time.monotonic() - t
    assert res.returncode == 0, res.stderr
    clean = snapshot(clean_db)
    check_consistent(clean_db, paths)
    assert clean["documents"] == len(paths) and clean["findings"] > len(paths)

    db = tmp_path / "crash.db"
    rnd = random.Random(1234)
    progress = []  # (killed, documents stored when the kill landed)
    mid_run = 0  # kills that landed with some but not all documents stored
    phase = 0  # 0: at schema creation, 1: during start-up, 2+: between documents
    for _ in range(20):  # bounded: a machine fast enough to finish first just starts over
        proc = subprocess.Popen(command(d, db), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        if phase == 0:  # as the database file appears: while the schema is being created
            deadline = time.monotonic() + 30
            while proc.poll() is None and not db.exists() and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rnd.uniform(0, 0.01))
        elif phase == 1:  # during start-up and the first documents
            time.sleep(rnd.uniform(0.2, min(2.0, clean_s)))
        else:  # a few documents further on, at a random instant between two of them
            start = _stored(db)
            target = start + rnd.randint(1, max(1, (len(paths) - start) // 2))
            deadline = time.monotonic() + 60
            while proc.poll() is None and _stored(db) < target and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rnd.uniform(0, 0.08))
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        _reap(proc)
        if db.exists():
            check_consistent(db)
        stored = _stored(db)
        progress.append((killed, stored))
        mid_run += killed and 0 < stored < len(paths)
        phase += 1
        if mid_run >= 3:
            break
        if not killed:  # the run finished before a kill landed: start again from nothing
            for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                f.unlink(missing_ok=True)
            phase = 2
    assert mid_run >= 3, f"could not land three kills mid-run in 20 tries: {progress}"

    res = subprocess.run(command(d, db), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    check_consistent(db, paths)
    assert snapshot(db) == clean


def _zip_corpus(d: Path) -> Path:
    d.mkdir()
    with zipfile.ZipFile(d / "bundle.zip", "w") as zf:
        for k in range(3):
            zf.writestr(f"附件{k}.txt", good(f"member {k}"))
    (d / "plain.txt").write_text(good("plain"), encoding="utf-8")
    return d


def _analyze(d: Path, store, **kw):
    from analyzer.pipeline import Options, analyze

    return analyze([d], store, workers=1, options=Options(isolate=False, **kw))


def test_a_write_cut_off_inside_its_transaction_leaves_nothing(tmp_path, monkeypatch):
    """The process dies while a document's clauses are being inserted: no trace of it remains,
    an older version of it stays whole, and the next run writes it in full."""
    import analyzer.store
    from analyzer.store import Store

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("\n".join([good("a"), *FILLER]), encoding="utf-8")
    (d / "b.txt").write_text("\n".join([good("b"), *FILLER]), encoding="utf-8")
    db = tmp_path / "t.db"
    real = analyzer.store.clause_id  # called for each clause row inside the write's transaction
    calls = {"n": 0}

    def dying(sha, ordinal):
        calls["n"] += 1
        if calls["n"] == 3:  # the third clause of the first document
            raise KeyboardInterrupt
        return real(sha, ordinal)

    monkeypatch.setattr(analyzer.store, "clause_id", dying)
    store = Store(db)
    with pytest.raises(KeyboardInterrupt):
        _analyze(d, store)
    store.close()
    check_consistent(db)
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from documents").fetchone()[0] == 0
    assert con.execute("select count(*) from pages").fetchone()[0] == 0
    monkeypatch.setattr(analyzer.store, "clause_id", real)
    store = Store(db)
    _analyze(d, store)
    store.close()
    before = snapshot(db)
    assert before["documents"] == 2 and before["findings"] >= 2
    # a forced re-analysis that dies half-way keeps the stored version whole
    calls["n"] = 0
    monkeypatch.setattr(analyzer.store, "clause_id", dying)
    store = Store(db)
    with pytest.raises(KeyboardInterrupt):
        _analyze(d, store, force=True)
    store.close()
    check_consistent(db)
    assert snapshot(db) == before


def test_archive_cut_off_between_its_record_and_its_members_is_finished_on_rerun(tmp_path):
    """pipeline.analyze writes an archive's own record (status ok) before its members. Today a
    re-run re-reads every archive (its record has no taxonomy_version, so it never looks
    unchanged); if archives are ever skipped when unchanged, members cut off by a crash must
    not be lost with them."""
    from analyzer.store import Store

    class DiesOnFirstMember(Store):
        def write(self, rec, analyzer_version):
            if rec.parent_sha256:
                raise KeyboardInterrupt  # SIGKILL, as far as the database can tell
            super().write(rec, analyzer_version)

    d = _zip_corpus(tmp_path / "in")
    db = tmp_path / "z.db"
    store = DiesOnFirstMember(db)
    with pytest.raises(KeyboardInterrupt):
        _analyze(d, store)
    store.close()
    store = Store(db)
    _analyze(d, store)
    store.close()
    con = sqlite3.connect(db)
    names = {r[0] for r in con.execute("select name from documents where parent_sha256 is not null")}
    assert names == {"附件0.txt", "附件1.txt", "附件2.txt"}


def test_opening_an_older_database_upgrades_it(tmp_path):
    from sqlite_utils import Database

    from analyzer.store import Store, migrations

    names = [m.name for m in migrations.pending(Database(memory=True))]
    assert names[0] == "m001_initial" and len(names) >= 2
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before=names[1])
    assert [m.name for m in migrations.applied(old)] == ["m001_initial"]
    old["documents"].insert({"id": "d" * 64, "sha256": "d" * 64, "name": "旧文件.txt", "paths": '["旧文件.txt"]',
                             "format": "txt", "size": 10, "pages": 0, "clauses": 1, "findings": 0, "status": "ok"})
    old["clauses"].insert({"id": "c1", "document_id": "d" * 64, "page": 1, "ordinal": 0,
                           "text": "系统应支持重点人员布控", "norm": "系统应支持重点人员布控"})
    assert "buyer" not in old["documents"].columns_dict
    old.close()

    store = Store(path)
    cols = store.db["documents"].columns_dict
    assert {"buyer", "notice_type", "project_number", "budget_yuan", "region"} <= set(cols)
    assert [m.name for m in migrations.applied(store.db)] == names
    assert not migrations.pending(store.db)
    row = store.known("d" * 64)
    assert row["name"] == "旧文件.txt" and row["status"] == "ok" and row["buyer"] is None
    # the search index was backfilled and the evidence view is there
    hits = store.db.execute("select rowid from clauses_fts where clauses_fts match '重点人员'").fetchall()
    assert len(hits) == 1
    assert "evidence" in store.db.view_names()
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    store.close()
    Store(path).close()  # opening an up-to-date database changes nothing
    from conftest import run_cli

    res = run_cli("documents", "--db", str(path), "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["name"] == "旧文件.txt"
