"""The CLI contract, end to end on the real sample corpus."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import CORPUS, EXPECTED, ROOT, run_cli

from analyzer.normalize import norm_text

REQUIRED = ["document", "sha256", "page", "kind", "label", "score", "method", "text", "evidence", "bbox"]


def test_help_is_fast_and_imports_nothing_heavy():
    code = ("import sys, time; t=time.perf_counter(); import analyzer.cli; "
            "heavy=[m for m in ('torch','transformers','pdfplumber','pypdfium2','sqlite_utils','bs4','docx') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "analyzer", "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "analyze" in res.stdout
    assert time.perf_counter() - t < 2.0  # well under a second on a quiet machine; CI is noisy


def test_every_command_has_help():
    """Top-level commands and those of sub-apps (`model build`, `model info`) alike."""
    from analyzer.cli import app

    commands = [(cmd.name or cmd.callback.__name__, cmd) for cmd in app.registered_commands]
    for group in app.registered_groups:
        commands += [(f"{group.name} {cmd.name}", cmd) for cmd in group.typer_instance.registered_commands]
    assert {"model build", "model info"} <= {name for name, _ in commands}
    for name, cmd in commands:
        assert (cmd.callback.__doc__ or "").strip(), name


def test_findings_json_has_contract_fields(sample_findings):
    assert sample_findings
    for r in sample_findings:
        assert not [k for k in REQUIRED if k not in r]
        assert r["kind"] in {"group", "capability", "data_source"}
        assert 0 <= r["score"] <= 1
        assert r["page"] is None or (isinstance(r["page"], int) and r["page"] >= 1)
        # evidence offsets point into the quoted clause
        assert r["text"][r["evidence_start"]:r["evidence_end"]] == r["evidence"]


def _groups_on(findings, name):
    return [r for r in findings if r["document"] == name and r["kind"] == "group"]


def test_expected_targeting_clauses_are_found_on_their_pages(sample_findings):
    from analyzer.taxonomy import load

    tax = load()
    for name, spec in EXPECTED["files"].items():
        for exp in spec.get("expected", []):
            doc = name
            if name == "bundle.zip":
                continue  # members are documents of their own; checked below
            hits = [r for r in _groups_on(sample_findings, doc)
                    if norm_text(exp["contains"]) in norm_text(r["text"])]
            assert hits, f"{doc}: no group finding for {exp['contains']!r}"
            found = tax.expand({r["label"] for r in hits})
            assert set(exp["groups"]) <= found, (doc, exp, found)
            if exp.get("page"):
                assert {r["page"] for r in hits} == {exp["page"]}, (doc, exp)
            if exp.get("marker"):
                assert any(r["marker"] == exp["marker"] for r in hits), (doc, exp)


def test_zip_members_are_documents_with_findings(sample_db, sample_findings):
    docs = json.loads(run_cli("documents", "--db", str(sample_db), "--format", "json").stdout)
    members = [d for d in docs if "bundle.zip!" in d["paths"]]
    assert any(d["name"] == "附件2_说明.txt" and d["parent_sha256"] for d in members)
    # the DOCX member is byte-identical to tech_requirements.docx: stored once, with both paths
    docx = [d for d in members if "附件1_技术要求.docx" in d["paths"]]
    assert len(docx) == 1 and "tech_requirements.docx" in docx[0]["paths"]
    assert any(r["label"] == "foreign_journalist" for r in _groups_on(sample_findings, "附件2_说明.txt"))


def test_bait_never_produces_group_findings(sample_findings):
    for name, spec in EXPECTED["files"].items():
        groups = _groups_on(sample_findings, name)
        for bait in spec.get("bait", []):
            bad = [r for r in groups if norm_text(bait) in norm_text(r["evidence"])]
            assert not bad, (name, bait, [(r["label"], r["text"][:60]) for r in bad])
    assert not _groups_on(sample_findings, "benign_canteen_tender.pdf")
    assert not _groups_on(sample_findings, "notice_gbk.html") or all(
        r["label"] == "key_person" for r in _groups_on(sample_findings, "notice_gbk.html"))


def test_pdf_findings_have_boxes_on_the_page(sample_db, sample_findings):
    con = sqlite3.connect(sample_db)
    sizes = {(d, p): (w, h) for d, p, w, h in con.execute(
        "select d.name, p.page, p.width, p.height from pages p join documents d on d.id = p.document_id")}
    pdf_rows = [r for r in sample_findings if r["document"].endswith(".pdf")]
    assert pdf_rows and all(r["bbox"] for r in pdf_rows)
    for r in pdf_rows:
        x0, top, x1, bottom = r["bbox"]
        w, h = sizes[(r["document"], r["page"])]
        assert 0 <= x0 < x1 <= w + 1 and 0 <= top < bottom <= h + 1


def test_scanned_pdf_is_ocred_and_flagged(sample_db, sample_findings):
    con = sqlite3.connect(sample_db)
    methods = con.execute("select p.method, p.ocr_confidence from pages p join documents d on d.id = p.document_id "
                          "where d.name = 'scanned_tender_excerpt.pdf'").fetchall()
    assert [m for m, _ in methods] == ["ocr", "ocr"] and all(c > 60 for _, c in methods)
    hits = _groups_on(sample_findings, "scanned_tender_excerpt.pdf")
    assert any(r["label"] == "uyghur" and r["page"] == 2 for r in hits)


def test_documents_have_metadata(sample_db):
    docs = {d["name"]: d for d in json.loads(run_cli("documents", "--db", str(sample_db), "--format", "json").stdout)}
    tender = docs["songjiang_style_tender.pdf"]
    assert tender["status"] == "ok" and tender["pages"] == EXPECTED["files"]["songjiang_style_tender.pdf"]["pages"]
    assert tender["project_number"] == "SHSJ-GA-2023-017"
    assert tender["buyer_is_police"] in (1, True)
    assert tender["budget_yuan"] == 3150000
    award = docs["award_notice.html"]
    assert award["notice_type"] == "award" and award["award_yuan"] == 2268000
    assert award["project_number"] == tender["project_number"]  # links the award to its tender
    legend = tender["markers"] if isinstance(tender["markers"], dict) else json.loads(tender["markers"])
    assert legend["★"].startswith("substantive requirement: 实质性条款") and legend["▲"].startswith("important")


def test_marked_findings_cite_the_documents_own_legend(sample_findings):
    marked = [r for r in _groups_on(sample_findings, "songjiang_style_tender.pdf") if "(marked" in r["reason"]]
    assert marked and all("per the document's legend" in r["reason"] for r in marked)
    assert any("★: substantive requirement" in r["reason"] for r in marked)


def test_rerun_is_idempotent(tmp_path, corpus_copy):
    db = tmp_path / "a.db"
    first = run_cli("analyze", str(corpus_copy), "--db", str(db), "--workers", "1", "--quiet", "--ocr", "off")
    assert first.exit_code == 0, first.stderr
    con = sqlite3.connect(db)
    counts = [con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "pages", "clauses",
                                                                            "findings")]
    second = run_cli("analyze", str(corpus_copy), "--db", str(db), "--workers", "1")
    assert second.exit_code == 0
    assert "unchanged, skipped" in second.stdout
    assert [con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("documents", "pages", "clauses", "findings")] == counts
    # the same file under a second name is stored once, with both paths
    (corpus_copy / "copy.txt").write_bytes((corpus_copy / "english_excerpt.txt").read_bytes())
    run_cli("analyze", str(corpus_copy), "--db", str(db), "--quiet")
    assert con.execute("select count(*) from documents").fetchone()[0] == counts[0]
    paths = json.loads(con.execute("select paths from documents where paths like '%english_excerpt.txt%'")
                       .fetchone()[0])
    assert sorted(p.rsplit("/", 1)[-1] for p in paths) == ["copy.txt", "english_excerpt.txt"]
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_bad_files_are_recorded_and_the_batch_goes_on(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.pdf").write_bytes(b"")
    (d / "truncated.pdf").write_bytes((CORPUS / "songjiang_style_tender.pdf").read_bytes()[:3000])
    (d / "random.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (d / "notadocx.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    (d / "legacy.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    (d / "good.txt").write_text("1. 系统应对涉疆人员入住旅馆进行实时预警。", encoding="utf-8")
    db = tmp_path / "b.db"
    res = run_cli("analyze", str(d), "--db", str(db), "--quiet")
    assert res.exit_code == 3
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 5 and "Traceback" not in res.stderr
    docs = {r["name"]: r for r in json.loads(run_cli("documents", "--db", str(db), "--format", "json").stdout)}
    assert docs["empty.pdf"]["status"] == "empty"
    assert docs["legacy.doc"]["status"] == "unsupported" and "convert" in docs["legacy.doc"]["error"]
    assert docs["truncated.pdf"]["status"] == "failed" and docs["truncated.pdf"]["error"]
    assert docs["good.txt"]["status"] == "ok" and docs["good.txt"]["findings"] >= 1
    failed = json.loads(run_cli("documents", "--db", str(db), "--format", "json", "--status", "failed").stdout)
    assert {r["name"] for r in failed} == {"empty.pdf", "truncated.pdf", "random.pdf", "notadocx.docx", "legacy.doc"}


def test_user_errors_are_one_line(tmp_path):
    res = run_cli("findings", "--db", str(tmp_path / "missing.db"))
    assert res.exit_code == 1 and res.stderr.startswith("Error: no database") and len(res.stderr.splitlines()) == 1
    res = run_cli("analyze", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db"))
    assert res.exit_code == 1 and "no such file" in res.stderr
    res = run_cli("classify", "--input", "-", input="not json\n")
    assert res.exit_code == 1 and "line 1 is not JSON" in res.stderr


def test_classify_contract_chinese_and_english():
    lines = [{"id": "a", "text": "系统应对新疆籍人员进行实时布控预警。"}, {"id": "b", "text": "食堂采购大米一批，质保期一年。"},
             {"id": 3, "text": "The platform shall flag foreign reporters who book trains to Xinjiang."}]
    res = run_cli("classify", "--input", "-", input="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    out = [json.loads(ln) for ln in res.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", 3]
    assert out[0]["groups"] == ["uyghur"] and "alerting_watchlist" in out[0]["capabilities"]
    assert out[1]["groups"] == [] and out[1]["score"] == 0
    assert out[2]["groups"] == ["foreign_journalist"]
    assert out[0]["evidence"][0]["text"] in lines[0]["text"]


def test_findings_filters_and_formats(sample_db):
    res = run_cli("findings", "--db", str(sample_db), "--format", "ndjson", "--label", "ethnic_minority")
    rows = [json.loads(ln) for ln in res.stdout.splitlines()]
    assert rows and {r["label"] for r in rows} <= {"ethnic_minority", "uyghur", "tibetan", "kazakh_turkic_other"}
    assert "uyghur" in {r["label"] for r in rows}  # children are included
    res = run_cli("findings", "--db", str(sample_db), "--format", "csv", "--document", "english_excerpt.txt")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and set(REQUIRED) <= set(rows[0]) and {r["document"] for r in rows} == {"english_excerpt.txt"}
    table = run_cli("findings", "--db", str(sample_db), "--format", "table", "--kind", "group").stdout
    assert "uyghur" in table


def test_eval_reports_per_label_figures():
    res = run_cli("eval", "--input", str(ROOT / "samples" / "labelled" / "dev.jsonl"), "--format", "json")
    rep = json.loads(res.stdout)
    labels = {r["label"] for r in rep["rows"]}
    assert {"uyghur", "petitioner", "ALL (micro)"} <= labels
    assert rep["overall"]["group"]["precision"] > 0.8 and rep["overall"]["group"]["recall"] > 0.8


def test_eval_scores_no_groups_on_a_set_that_labels_none(tmp_path):
    # capabilities-en.jsonl labels capabilities only: a group found there is not a false group finding
    f = tmp_path / "caps.jsonl"
    f.write_text('{"id": "a", "text": "The platform shall flag Uyghurs in the hotel check-in records.", '
                 '"capabilities": ["alerting_watchlist"]}\n', encoding="utf-8")
    rep = json.loads(run_cli("eval", "--input", str(f), "--format", "json").stdout)
    assert "group" not in rep["overall"] and not any(r["kind"] == "group" for r in rep["rows"])
    assert rep["overall"]["capability"]["recall"] > 0


def test_code_and_data_files_in_folders_are_ignored_not_analysed(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "build.py").write_text("# 系统应对涉疆人员预警\n", encoding="utf-8")
    (d / "labels.jsonl").write_text('{"text": "系统应对涉疆人员预警"}\n', encoding="utf-8")
    (d / "notice.txt").write_text("系统应对涉疆人员进行实时预警。", encoding="utf-8")
    res = run_cli("analyze", str(d), "--db", str(tmp_path / "i.db"))
    assert res.exit_code == 0
    assert "ignored" in res.stdout and "  2" in res.stdout.split("ignored")[1].splitlines()[0]
    docs = json.loads(run_cli("documents", "--db", str(tmp_path / "i.db"), "--format", "json").stdout)
    assert [r["name"] for r in docs] == ["notice.txt"]
    # named explicitly, a .jsonl file is read
    res = run_cli("analyze", str(d / "labels.jsonl"), "--db", str(tmp_path / "i.db"), "--quiet")
    assert res.exit_code == 0


def test_saved_page_source_reaches_documents_and_report(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "notice.html").write_text(
        "<!-- saved from url=(0046)http://www.ccgp.gov.cn/cggg/dfgg/t20240220.htm -->\n<html><head>"
        "<meta charset='utf-8'><title>公开招标公告</title></head><body><p>项目编号：GA-2024-01</p>"
        "<p>1. 系统应对涉疆人员进行实时布控预警。</p></body></html>", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert run_cli("analyze", str(d), "--db", db, "--quiet").exit_code == 0
    doc = json.loads(run_cli("documents", "--db", db, "--format", "json").stdout)[0]
    assert doc["source_url"] == "http://www.ccgp.gov.cn/cggg/dfgg/t20240220.htm" and doc["retrieved_at"] is None
    assert run_cli("report", "--db", db, "--out", str(tmp_path / "r"), "--format", "md").exit_code == 0
    report = next((tmp_path / "r").glob("*.md")).read_text(encoding="utf-8")
    assert "http://www.ccgp.gov.cn/cggg/dfgg/t20240220.htm" in report


def test_unknown_executor_is_refused_before_the_database_is_created(tmp_path):
    db = tmp_path / "new.db"
    res = run_cli("analyze", str(CORPUS / "english_excerpt.txt"), "--db", str(db), "--executor", "foo")
    assert res.exit_code == 1 and "unknown executor 'foo'" in res.stderr
    assert not db.exists()


@pytest.mark.parametrize("args, says", [
    (["--kind", "bogus"], "--kind 'bogus'"),
    (["--label", "nosuch"], "--label 'nosuch' is not a taxonomy id"),
    (["--label", "uyghurs"], "did you mean uyghur?"),
])
def test_findings_filters_that_cannot_match_are_errors_not_empty_output(sample_db, args, says):
    res = run_cli("findings", "--db", str(sample_db), *args)
    assert res.exit_code == 1 and says in res.stderr and res.stdout == ""


def test_documents_status_filter_must_be_a_status(sample_db):
    res = run_cli("documents", "--db", str(sample_db), "--status", "okay")
    assert res.exit_code == 1 and "--status 'okay'" in res.stderr


@pytest.mark.parametrize("rc, ok", [(0, True), (3, True), (1, False), (2, False)])
def test_make_demo_fails_when_analyze_reports_an_error(rc, ok):
    """`make demo` accepts 0 (all read) and 3 (some samples failed, as designed), never 1 or 2."""
    import re
    import subprocess

    line = next(x for x in (ROOT / "Makefile").read_text().splitlines() if "analyzer analyze samples/corpus" in x)
    check = re.sub(r"^\s*\$\(BIN\)/analyzer analyze [^;]*;", "", line).split("#")[0].replace("$$", "$")
    res = subprocess.run(["sh", "-c", f"(exit {rc}); {check}"])
    assert (res.returncode == 0) is ok, check
