"""The procurement network: names normalised into organisations, awards citing their notice or row."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from analyzer.corpus import network
from analyzer.store import Store

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@pytest.mark.parametrize("a,b", [
    ("湖北某某建设工程有限公司", "湖北某某建设工程有限责任公司"),
    ("湖北某某建设工程有限公司（联合体牵头人）", "湖北某某建设工程有限公司"),
    ("某某(宜昌)科技有限公司", "某某（宜昌）科技有限公司"),
    ("某某科技 有限公司", "某某科技有限公司"),
])
def test_names_that_merge(a, b):
    assert network.norm_name(a) == network.norm_name(b)


@pytest.mark.parametrize("a,b", [
    ("宜昌市公安局", "宜昌市公安局西陵区分局"),
    ("湖北某某建设工程有限公司", "湖北某某建设工程有限公司宜昌分公司"),
])
def test_names_that_stay_apart(a, b):
    assert network.norm_name(a) != network.norm_name(b)


def test_branch_points_to_parent():
    assert network.split_branch("湖北某某建设工程有限公司宜昌分公司") == ("湖北某某建设工程有限公司宜昌分公司", "湖北某某建设工程有限公司")
    assert network.split_winners("甲方建设工程有限公司、乙方设计研究院有限公司") == ["甲方建设工程有限公司", "乙方设计研究院有限公司"]


def _table(path: Path) -> Path:
    rows = [
        {"id": "r1", "fields": {"招标人": "某市公安局", "招标机构": "某招标代理有限公司", "标段(包)编号": "ABC-2025-01",
                                "中标人": "某某智能科技有限公司", "中标价(元)": "1200000.00", "公告发布日期": "2025-03-02"}},
        {"id": "r2", "fields": {"招标人": "某市公安局", "招标机构": "某招标代理有限公司", "标段(包)编号": "ABC-2025-02",
                                "中标人": "某某智能科技有限责任公司", "中标价(元)": "300000.00", "公告发布日期": "2025-04-02"}},
        {"id": "r3", "fields": {"招标人": "某市教育局", "中标人": "另一公司有限公司", "中标价(%)": "95", "公告发布日期": "2025-05-01"}},
    ]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


def test_import_awards_builds_cited_edges(tmp_path):
    db = tmp_path / "n.db"
    res = run_cli("import-awards", str(_table(tmp_path / "t.jsonl.gz")), "--db", str(db))
    assert res.exit_code == 0, res.stderr
    res = run_cli("import-awards", str(tmp_path / "t.jsonl.gz"), "--db", str(db))  # re-import replaces
    net = json.loads(run_cli("network", "--db", str(db), "--format", "json").stdout)
    police = next(e for e in net["edges"] if e["buyer"] == "某市公安局")
    assert police["awards"] == 2 and police["amount_yuan"] == 1500000.0  # two spellings, one winner
    assert [s["row_ref"] for s in police["sources"]] == ["t.jsonl.gz#0", "t.jsonl.gz#1"]
    assert police["first"] == "2025-03-02" and police["last"] == "2025-04-02"
    rate = next(e for e in net["edges"] if e["buyer"] == "某市教育局")
    assert rate["sources"][0]["amount_yuan"] is None
    csv_out = run_cli("network", "--db", str(db), "--format", "csv").stdout
    assert csv_out.splitlines()[0] == ",".join(network.EDGE_COLUMNS) and len(csv_out.splitlines()) == 4
    graphml = run_cli("network", "--db", str(db), "--format", "graphml").stdout
    import networkx as nx

    g = nx.read_graphml(__import__("io").StringIO(graphml))
    assert g.number_of_edges() == 2
    assert network.police_vendors(Store(db))[0]["amount_yuan"] == 1500000.0


def test_award_notices_cite_their_document(sample_db, tmp_path):
    Store(sample_db).close()
    db = shutil.copy(sample_db, tmp_path / "s.db")
    net = json.loads(run_cli("network", "--db", str(db), "--format", "json").stdout)
    notice_edges = [s for e in net["edges"] for s in e["sources"] if s["source"] == "notice"]
    assert notice_edges, "the sample award notice gives an edge"
    assert all(len(s["sha256"]) == 64 and s["document"] for s in notice_edges)


@pytest.mark.skipif(not (CORPUS / "awards" / "yichang-index.jsonl.gz").exists(), reason="no shared corpus")
def test_yichang_index_imports_every_row(tmp_path):
    store = Store(tmp_path / "y.db")
    n = network.import_awards(store, CORPUS / "awards" / "yichang-index.jsonl.gz")
    assert n == 1679
    net = network.network(store)
    assert sum(e["awards"] for e in net["edges"]) >= 1679
    assert all(s["row_ref"] for e in net["edges"] for s in e["sources"])
