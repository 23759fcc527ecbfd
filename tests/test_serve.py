"""`analyzer serve`: Datasette metadata and canned queries checked against a real database, no server."""

from __future__ import annotations

import asyncio
import re
import sqlite3

import pytest
from conftest import run_cli

from analyzer import serve


@pytest.fixture(scope="module")
def analyzer_db(sample_db, tmp_path_factory):
    """A copy of the sample database named analyzer.db, so Datasette serves it at /analyzer."""
    dst = tmp_path_factory.mktemp("serve") / "analyzer.db"
    src = sqlite3.connect(sample_db)
    out = sqlite3.connect(dst)
    src.backup(out)  # not a file copy: the sample database is in WAL mode
    src.close()
    out.close()
    return dst


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"pragma table_info([{table}])")}


def test_metadata_names_real_tables_columns_and_facets(analyzer_db):
    md = serve.metadata(analyzer_db)
    assert md["title"] and md["source"] and md["license"]
    db = md["databases"]["analyzer"]
    conn = sqlite3.connect(analyzer_db)
    names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    for table, spec in db["tables"].items():
        assert table in names, f"metadata describes a missing table {table}"
        cols = _columns(conn, table)
        for col in spec.get("columns", {}):
            assert col in cols, f"{table}.{col} is described but does not exist"
        for facet in spec.get("facets", []):
            assert facet in cols, f"facet {table}.{facet} does not exist"
        for key in ("sort", "sort_desc"):
            if key in spec:
                assert spec[key] in cols
    assert {"label", "buyer", "region"} <= set(db["tables"]["evidence"]["facets"])
    conn.close()


def test_every_canned_query_runs(analyzer_db):
    queries = serve.canned_queries(analyzer_db)
    assert "ethnic_targeting" in queries and len(queries) >= 5
    conn = sqlite3.connect(analyzer_db)
    for name, q in queries.items():
        assert "{descendants:" not in q["sql"], name
        params = {p: "涉疆" for p in re.findall(r":(\w+)", q["sql"])}
        conn.execute(q["sql"], params).fetchall()  # raises on invalid SQL
    conn.close()


def test_ethnic_query_finds_the_uyghur_clauses(analyzer_db):
    sql = serve.canned_queries(analyzer_db)["ethnic_targeting"]["sql"]
    assert "'uyghur'" in sql and "'ethnic_minority'" in sql
    conn = sqlite3.connect(analyzer_db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(sql).fetchall()
    n = conn.execute("select count(*) from findings where kind = 'group' and label in ('uyghur', 'ethnic_minority', "
                     "'tibetan', 'kazakh_turkic_other')").fetchone()[0]
    assert len(rows) >= n
    if rows:
        assert {"document", "page", "text", "buyer", "budget_yuan", "sha256"} <= set(rows[0].keys())
    conn.close()


def test_serve_without_datasette_says_how_to_install(analyzer_db, monkeypatch):
    monkeypatch.setattr(serve, "available", lambda: False)
    res = run_cli("serve", "--db", str(analyzer_db))
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "pip install 'analyzer[serve]'" in res.stderr
    assert res.stdout == ""


def test_datasette_serves_findings_in_process(analyzer_db):
    pytest.importorskip("datasette")

    async def fetch():
        ds = serve.make_datasette(analyzer_db)
        await ds.invoke_startup()
        findings = await ds.client.get("/analyzer/findings.json?_shape=array&_size=5")
        canned = await ds.client.get("/analyzer/ethnic_targeting.json?_shape=array")
        search = await ds.client.get("/analyzer/search_clauses.json?_shape=array&q=%E6%B6%89%E7%96%86")
        facets = await ds.client.get("/analyzer/evidence.json?_size=0")
        return findings, canned, search, facets

    findings, canned, search, facets = asyncio.run(fetch())
    assert findings.status_code == 200 and findings.json() and "label" in findings.json()[0]
    assert canned.status_code == 200
    assert search.status_code == 200 and search.json() and all("涉疆" in r["text"] for r in search.json())
    assert facets.status_code == 200
    assert {"label", "buyer", "region"} <= set(facets.json().get("facet_results", {}))


def test_network_canned_queries_run_on_a_built_network(analyzer_db, tmp_path):
    """Issue 18: the buyer → winner and police-vendor queries read the network tables `analyzer network` fills."""
    db = tmp_path / "analyzer.db"
    src, out = sqlite3.connect(analyzer_db), sqlite3.connect(db)
    src.backup(out)
    src.close()
    out.close()
    assert run_cli("network", "--db", str(db), "--format", "json").exit_code == 0
    queries = serve.canned_queries(db)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    edges = [dict(r) for r in conn.execute(queries["buyer_winner_edges"]["sql"])]
    police = [dict(r) for r in conn.execute(queries["police_vendors"]["sql"])]
    conn.close()
    edge = next(e for e in edges if e["winner"] == "上海澄元智能科技有限公司")
    assert edge["buyer"] == "上海市云间区公安分局" and edge["buyer_is_police"] == 1 and edge["awards"] == 1
    assert edge["amount_yuan"] == 2268000.0 and len(edge["cited_from"]) == 64  # the award notice's sha256
    assert police[0]["winner"] == "上海澄元智能科技有限公司" and police[0]["amount_yuan"] == 2268000.0
