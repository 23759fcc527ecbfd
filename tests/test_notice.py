"""Notice records (a crawler's JSON: title, published, html) read as Documents, and the two halves."""

from __future__ import annotations

import gzip
import json

import pytest

from analyzer.ingest.notice import corpus_dir, iter_records, read_notice
from analyzer.metadata import document_metadata

RECORD = {
    "id": "n1",
    "url": "https://example.org/detail?id=n1",
    "title": "某某学校食堂设备采购项目招标公告",
    "published": "2025-12-11",
    "html": "<p>招标人：某某市第一中学</p><table><tr><td>项目编号</td><td>NB-2025-001</td></tr>"
            "<tr><td>预算金额</td><td>48万元</td></tr></table>",
}


def test_read_notice_takes_title_and_date_from_the_record():
    doc = read_notice(RECORD)
    assert doc.title == RECORD["title"]
    assert doc.published == "2025-12-11"
    assert doc.source_url == RECORD["url"]
    assert "某某市第一中学" in doc.pages[0].text
    md = document_metadata(doc)
    assert md["dates"]["published"] == "2025-12-11"
    assert md["notice_type"] == "tender"
    assert md["project_number"] == "NB-2025-001"


def test_iter_records_halves(tmp_path):
    path = tmp_path / "n.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(5):
            f.write(json.dumps({"id": i}) + "\n")
    assert [p for p, _ in iter_records(path)] == [0, 1, 2, 3, 4]
    assert [r["id"] for _, r in iter_records(path, "calibration")] == [0, 2, 4]
    assert [p for p, _ in iter_records(path, "reporting")] == [1, 3]
    with pytest.raises(ValueError):
        list(iter_records(path, "odd"))


def test_real_notices_read():
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("the shared corpus (../shared/corpus) is not beside this checkout")
    for pos, rec in iter_records(corpus / "notices" / "ningbo.jsonl.gz", "calibration"):
        doc = read_notice(rec)
        assert doc.title and doc.published and doc.pages[0].text.strip()
        if pos >= 20:
            break
