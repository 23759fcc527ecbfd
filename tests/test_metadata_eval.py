"""`analyzer eval --metadata` / `--awards`: field accuracy against labels, failures listed."""

from __future__ import annotations

import gzip
import json

from conftest import run_cli

from analyzer.evaluate_metadata import evaluate_metadata, fold

NOTICE = ("<html><head><title>某某学院运动服采购项目招标公告</title></head><body>"
          "<p>项目编号：AB-2025-001</p><p>采购人：某某学院</p><p>预算金额：48万元</p></body></html>")


def test_fold_compares_labels_and_values_alike():
    assert fold("（某 某）") == fold("(某某)")
    assert fold("2025-11-10 12:00") == fold("2025-11-10T12:00")


def test_eval_metadata_scores_fields_and_lists_failures(tmp_path):
    (tmp_path / "n.html").write_text(NOTICE, encoding="utf-8")
    labels = [{"file": "n.html", "notice_type": "tender", "project_number": "AB-2025-001", "buyer": "某某学院",
               "budget_yuan": 480000.0, "agency": "别的代理", "alternatives": {"agency": [None]}},
              {"file": "n.html", "buyer": "另一个学院"}]
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in labels), encoding="utf-8")
    res = run_cli("eval", "--metadata", str(path), "--format", "json", "--errors")
    assert res.exit_code == 0, res.output
    rows = {r["field"]: r for r in json.loads(res.stdout)["rows"]}
    assert rows["budget_yuan"]["accuracy"] == 1.0  # 48万元 is 480,000 yuan
    assert rows["agency"]["accuracy"] == 1.0  # an alternative of null: nothing reported is right
    assert rows["buyer"]["right"] == 1 and rows["buyer"]["n"] == 2
    assert "gold='另一个学院'" in res.stderr


def test_eval_awards_reads_the_crawler_fields(tmp_path):
    page = ("<table><tr><td>招标人:</td><td>某某局</td></tr><tr><td>中标人:</td><td>某某公司</td></tr>"
            "<tr><td>中标价(元):</td><td>998000.00</td></tr></table>")
    rec = {"id": "a", "title": "某某工程中标结果公告", "published": "2025-06-20", "html": page,
           "fields": {"招标人": "某某局", "招标机构": None, "中标人": "某某公司", "中标价(元)": "998000.00"}}
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    from analyzer.evaluate_metadata import award_labels

    labels = list(award_labels(path, "calibration"))
    assert labels[0]["award_yuan"] == 998000.0
    rows = {r["field"]: r for r in evaluate_metadata(labels)["rows"]}
    assert rows["notice_type"]["accuracy"] == 1.0
