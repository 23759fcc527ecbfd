"""Search over clause text: FTS5 trigram for 3+ characters, LIKE for the short Chinese terms."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from analyzer.search import search, snippet, terms
from analyzer.store import Store

SHORT_TERMS = """第三章 采购需求
一、功能需求
1.系统应支持按民族字段筛选维族人员，并对其入住酒店进行实时预警。
2.系统应对涉恐人员、重点上访人员建立专题库，实现一人一档。
3.食堂采购大米一批，质保期一年。
"""


@pytest.fixture(scope="module")
def short_db(tmp_path_factory):
    """A small TXT tender using the two-character terms that a trigram index cannot find."""
    root = tmp_path_factory.mktemp("search")
    (root / "short_terms.txt").write_text(SHORT_TERMS, encoding="utf-8")
    db = root / "short.db"
    res = run_cli("analyze", str(root / "short_terms.txt"), "--db", str(db), "--workers", "1", "--quiet")
    assert res.exit_code == 0, res.stderr
    return db


def _json(*args: str) -> list[dict]:
    res = run_cli("search", *args, "--format", "json")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


@pytest.mark.parametrize("term", ["维族", "涉恐", "上访"])
def test_two_character_terms_found_with_like_fallback(short_db, term):
    rows = _json(term, "--db", str(short_db))
    assert rows, f"no hit for {term}"
    assert all(f"【{term}】" in r["snippet"] for r in rows)
    assert {"document", "page", "section_path", "clause_number", "snippet"} <= set(rows[0])
    assert rows[0]["document"] == "short_terms.txt"


def test_two_character_term_in_sample_corpus(sample_db):
    rows = _json("涉疆", "--db", str(sample_db))
    assert rows and all("【涉疆】" in r["snippet"] for r in rows)
    assert any(r["document"] == "songjiang_style_tender.pdf" and r["page"] == 8 for r in rows)


def test_longer_chinese_term_uses_fts_and_returns_location(sample_db):
    rows = _json("境外记者", "--db", str(sample_db))
    assert rows
    hit = next(r for r in rows if r["document"] == "songjiang_style_tender.pdf")
    assert "【境外记者】" in hit["snippet"]
    assert hit["page"] >= 1 and hit["section_path"]
    assert len(hit["sha256"]) == 64


def test_all_words_must_match(sample_db):
    both = _json("涉疆 预警", "--db", str(sample_db))
    only = _json("涉疆", "--db", str(sample_db))
    assert both and len(both) <= len(only)
    assert all("【涉疆】" in r["snippet"] and "【预警】" in r["snippet"] and len(r["hits"]) >= 2 for r in both)


def test_english_search_is_case_insensitive(sample_db):
    rows = _json("XINJIANG", "--db", str(sample_db))
    assert any(r["document"] == "english_excerpt.txt" for r in rows)


def test_filters_label_buyer_since(sample_db):
    labelled = _json("预警", "--db", str(sample_db), "--label", "uyghur", "--limit", "0")
    everything = _json("预警", "--db", str(sample_db), "--limit", "0")
    assert labelled and len(labelled) < len(everything)
    assert all("uyghur" in (r["labels"] or "") for r in labelled)
    buyer = _json("预警", "--db", str(sample_db), "--buyer", "云间区公安分局", "--limit", "0")
    assert buyer and all("云间区公安分局" in r["buyer"] for r in buyer)
    assert _json("预警", "--db", str(sample_db), "--since", "2099-01-01") == []
    assert _json("预警", "--db", str(sample_db), "--limit", "2").__len__() == 2


def test_text_formats_mark_hits(sample_db):
    res = run_cli("search", "上访", "--db", str(sample_db))
    assert res.exit_code == 0, res.stderr
    assert "【上访】" in res.stdout and "document" in res.stdout.splitlines()[0]
    res = run_cli("search", "上访", "--db", str(sample_db), "--format", "csv")
    assert res.stdout.startswith("document,page,section_path,clause_number") and "【上访】" in res.stdout


def test_bad_date_and_empty_query_are_one_line_errors(sample_db):
    res = run_cli("search", "预警", "--db", str(sample_db), "--since", "2023-13-01")
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "YYYY-MM-DD" in res.stderr
    res = run_cli("search", "  ", "--db", str(sample_db))
    assert res.exit_code == 1 and "empty search query" in res.stderr


def test_fts_index_follows_reanalysis(tmp_path):
    """Store.write deletes and re-inserts a document's clauses: the triggers must keep FTS in step."""
    f = tmp_path / "t.txt"
    f.write_text(SHORT_TERMS, encoding="utf-8")
    db = tmp_path / "t.db"
    for _ in range(2):
        assert run_cli("analyze", str(f), "--db", str(db), "--quiet", "--force", "--workers", "1").exit_code == 0
    f.write_text(SHORT_TERMS.replace("专题库", "关注人员库"), encoding="utf-8")  # new sha256: a new document
    assert run_cli("analyze", str(f), "--db", str(db), "--quiet", "--workers", "1").exit_code == 0
    store = Store(db)
    store.db.execute("insert into clauses_fts(clauses_fts, rank) values ('integrity-check', 1)")
    n_fts = store.db.execute("select count(*) from clauses_fts where clauses_fts match '\"关注人员库\"'").fetchone()[0]
    n_like = store.db.execute("select count(*) from clauses where norm like '%关注人员库%'").fetchone()[0]
    assert n_fts == n_like == 1
    assert len(list(search(store, "一人一档"))) == 2  # both versions of the file, each once
    store.close()


def test_migration_backfills_index_for_existing_rows(tmp_path):
    """A database analysed before the FTS migration gets its index built on open."""
    db = tmp_path / "old.db"
    f = tmp_path / "t.txt"
    f.write_text(SHORT_TERMS, encoding="utf-8")
    assert run_cli("analyze", str(f), "--db", str(db), "--quiet", "--workers", "1").exit_code == 0
    store = Store(db)
    for trig in ("clauses_fts_ai", "clauses_fts_ad", "clauses_fts_au"):  # (m022 has dropped the first)
        store.db.execute(f"drop trigger if exists {trig}")
    store.db.execute("drop table clauses_fts")
    store.db.execute("delete from _sqlite_migrations where name = 'm010_fts'")
    store.db.conn.commit()
    store.close()
    store = Store(db)
    assert [r["clause_number"] for r in search(store, "一人一档")] == ["2."]
    store.close()


def test_snippet_and_terms():
    assert snippet("系统应对涉疆人员预警", [(4, 6)]) == "系统应对【涉疆】人员预警"
    assert snippet("x" * 100 + "维族" + "y" * 100, [(100, 102)], context=5) == "…xxxxx【维族】yyyyyyyyyy…"
    assert snippet("a维族b维族c", [(1, 3), (4, 6)]) == "a【维族】b【维族】c"
    assert terms(" 涉疆  ＡＢＣ ") == ["涉疆", "ABC"]  # normalised like clauses.norm (NFKC)


def test_index_holds_each_clause_once_after_reanalysis(tmp_path):
    """The index gets a document's clauses in one statement at write time (no insert trigger):
    a forced re-analysis must leave it matching the clauses exactly, each clause found once."""
    import sqlite3

    f = tmp_path / "t.txt"
    f.write_text(SHORT_TERMS, encoding="utf-8")
    db = tmp_path / "t.db"
    for extra in ([], ["--force"]):
        assert run_cli("analyze", str(f), "--db", str(db), "--quiet", "--workers", "1", *extra).exit_code == 0
    con = sqlite3.connect(db)
    con.execute("insert into clauses_fts(clauses_fts, rank) values ('integrity-check', 1)")  # raises if out of step
    assert con.execute("select count(*) from clauses_fts").fetchone() == con.execute(
        "select count(*) from clauses").fetchone()
    store = Store(db)
    assert [r["clause_number"] for r in search(store, "一人一档")] == ["2."]
    store.close()
