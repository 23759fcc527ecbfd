"""Issue 18 in the report: "seen in N other documents" on cards whose clause has a lineage family,
and the section "Vendors police buyers paid most", both from databases the real pipeline built."""

from __future__ import annotations

import re
import shutil

from conftest import CORPUS, run_cli

from analyzer.store import Store

# Invented clauses in the style of a requirement, never text from the corpus.
SHARED = "系统应支持对新疆籍维吾尔族人员进行实时布控预警，在火车站、汽车站人脸卡口比中后10秒内推送属地派出所。"
ALONE = "平台应对吸毒人员建立动态管控档案，每日比对其住宿、出行轨迹并自动预警推送至禁毒部门。"
FILLER = "投标人应提供近三年经审计的财务报告，并加盖公章，未提供的按无效投标处理，不予评审。"


def _report(db, out) -> str:
    res = run_cli("report", "--db", str(db), "--out", str(out))
    assert res.exit_code == 0, res.stderr
    return (out / "index.html").read_text(encoding="utf-8")


def _card(html: str, n: int) -> str:
    start = html.index(f'<article class="card" id="E{n}">')
    return re.sub(r"</?mark[^>]*>", "", html[start:html.index("</article>", start)])  # highlights split the text


def test_seen_in_other_documents_only_after_lineage(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"一、技术要求\n1. {SHARED}\n2. {ALONE}\n", encoding="utf-8")
    (corpus / "b.txt").write_text(f"一、资格要求\n1. {FILLER}\n二、技术要求\n1. {SHARED}\n", encoding="utf-8")
    db = tmp_path / "l.db"
    assert run_cli("analyze", str(corpus), "--db", str(db), "--quiet").exit_code == 0
    assert "Seen in" not in _report(db, tmp_path / "r0")  # lineage never run: no line, not "seen in 0"
    assert run_cli("lineage", "--db", str(db), "--format", "json").exit_code == 0
    html = _report(db, tmp_path / "r1")
    cards = {n: _card(html, n) for n in range(1, html.count('<article class="card"') + 1)}
    shared = [c for c in cards.values() if "布控预警" in c]
    alone = [c for c in cards.values() if "动态管控档案" in c]
    assert len(shared) == 2 and len(alone) == 1
    for c in shared:
        assert c.count("Seen in 1 other document:") == 1
        assert re.search(r'href="#doc-[0-9a-f]{12}">[ab]\.txt</a>', c)  # the other file's section
        cid = re.search(r"analyzer similar ([0-9a-f]+-c\d+)", c).group(1)
        assert cid in c  # the command names this card's own clause
    assert "Seen in" not in alone[0]  # a family of one document prints nothing


def test_police_vendor_section_counts_awards_and_tender_findings(sample_db, tmp_path):
    db = shutil.copy(sample_db, tmp_path / "s.db")
    html = _report(db, tmp_path / "r")
    assert 'id="police-vendors"' in html and "Vendors police buyers paid most" in html
    rows = re.findall(r'<tr class="police-vendor">(.*?)</tr>', html, re.S)
    assert len(rows) == 1
    row = rows[0]
    assert "上海澄元智能科技有限公司" in row and "上海市云间区公安分局" in row
    assert re.search(r'<td class="num">1</td>', row) and "¥2,268,000" in row and "2023-03-22" in row
    store = Store(db)
    award = next(d for d in store.documents() if d["name"] == "award_notice.html")
    assert f'title="{award["sha256"]}"' in row
    procurement = {d["id"] for d in store.documents() if d["project_number_norm"] == award["project_number_norm"]}
    flagged = {f["clause_id"] for f in store.finding_rows() if f["kind"] == "group" and f["document_id"] in procurement}
    assert len(re.findall(r'<a href="#E\d+">E\d+</a>', row)) == len(flagged) > 0


def test_no_network_or_lineage_no_section(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(CORPUS / "benign_canteen_tender.pdf", corpus)
    db = tmp_path / "b.db"
    assert run_cli("analyze", str(corpus), "--db", str(db), "--quiet").exit_code == 0
    assert run_cli("lineage", "--db", str(db), "--format", "json").exit_code == 0
    html = _report(db, tmp_path / "r")
    assert "police-vendors" not in html and "Vendors police buyers" not in html and "Seen in" not in html
    md = run_cli("report", "--db", str(db), "--out", str(tmp_path / "m"), "--format", "md")
    assert md.exit_code == 0 and "Vendors police buyers" not in (tmp_path / "m" / "report.md").read_text()
