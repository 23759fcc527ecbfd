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


# Issue 18: merging audited on the Yichang award data (samples/labelled/network, bench/network_merges.py).

def test_issue_18_entity_keeps_each_raw_spelling(tmp_path):
    """Names were stored after NFKC, so an entity merged from （湖北） and (湖北) showed one spelling
    and its merge could not be checked against what was printed."""
    store = Store(tmp_path / "n.db")
    rows = [{"id": "a", "fields": {"招标人": "某市公安局", "中标人": "某某建设（湖北）有限公司", "中标价(元)": "10"}},
            {"id": "b", "fields": {"招标人": "某市公安局", "中标人": "某某建设(湖北)有限公司", "中标价(元)": "20"}}]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    network.import_awards(store, path)
    network.build(store)
    winner = next(e for e in store.entities() if "winner" in e["roles"])
    assert json.loads(winner["names"]) == ["某某建设(湖北)有限公司", "某某建设（湖北）有限公司"]


def test_issue_18_place_suffix_stays_in_the_key():
    """A trailing place (XX有限公司（武汉）) is part of a registered name: stripping it like a role
    note merged the company with a same-named one registered elsewhere."""
    assert network.norm_name("长江某某研究院有限公司（武汉）") != network.norm_name("长江某某研究院有限公司")
    assert network.norm_name("某某咨询有限公司(湖北)") != network.norm_name("某某咨询有限公司（宜昌市）")
    assert network.norm_name("某市公安局（本级）") == network.norm_name("某市公安局")
    assert network.norm_name("某某科技有限公司（联合体成员）") == network.norm_name("某某科技有限公司")


def test_issue_18_gongan_county_is_not_police():
    """公安县 is a county of Jingzhou (Hubei): its hospital is not a police buyer; its police bureau is."""
    assert not network.is_police("公安县人民医院")
    assert network.is_police("公安县公安局") and network.is_police("宜昌市公安局伍家岗区分局")


def test_issue_18_notice_and_its_table_row_are_one_award(sample_db, tmp_path):
    """An award read from its notice and imported again from the award table counted twice (and sat
    in two procurements): the row now adds its citation to the notice's award."""
    db = shutil.copy(sample_db, tmp_path / "s.db")
    path = tmp_path / "index.jsonl"
    path.write_text(json.dumps({"id": "x", "fields": {
        "招标人": "上海市云间区公安分局", "中标人": "上海澄元智能科技有限公司", "标段(包)编号": "SHSJ-GA-2023-017",
        "中标价(元)": "2268000.00", "公告发布日期": "2023-03-22"}}, ensure_ascii=False) + "\n", encoding="utf-8")
    store = Store(db)
    network.import_awards(store, path)
    net = network.network(store)
    edge = next(e for e in net["edges"] if e["winner"] == "上海澄元智能科技有限公司")
    assert edge["awards"] == 1 and edge["amount_yuan"] == 2268000.0
    assert edge["sources"][0]["sha256"] and edge["sources"][0]["row_ref"] == "index.jsonl#0"
    top = network.police_vendors(store)[0]
    assert top["winner"] == "上海澄元智能科技有限公司" and top["awards"] == 1
    assert top["flagged"] and {f["document"] for f in top["flagged"]} >= {"songjiang_style_tender.pdf"}


@pytest.mark.skipif(not (CORPUS / "awards" / "yichang-index.jsonl.gz").exists(), reason="no shared corpus")
def test_yichang_labelled_merges_hold(tmp_path):
    """The hand-labelled merging decisions (samples/labelled/network) on a fresh build: precision ≥ 0.95."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import network_merges as bench

    store = bench.build_store(tmp_path / "y.db")
    labels = [json.loads(x) for x in bench.LABELS.read_text(encoding="utf-8").splitlines() if x.strip()]
    res = bench.score(bench.candidates(store), labels)
    assert res["found"] >= 95 and res["precision"] >= 0.95, res["misses"]
