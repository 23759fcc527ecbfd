"""Clause lineage: edited copies of a clause become one family across documents, and a new
document joins an existing family without the corpus being recomputed."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from analyzer.corpus import lineage
from analyzer.records import Clause, Finding
from analyzer.store import DocumentRecord, Store

# Invented clauses in the style of a requirement, never text from the corpus.
TARGET = "系统应支持对新疆籍维吾尔族人员进行实时布控预警，在火车站、汽车站人脸卡口比中后10秒内推送属地派出所。"
VARIANTS = [
    "系统应支持对新疆籍维吾尔族人员进行实时布控预警,在汽车站、火车站人脸卡口比中后5秒内推送属地派出所.",
    "系統應支持對新疆籍維吾爾族人員進行實時布控預警，在火車站、汽車站人臉卡口比中後10秒內推送屬地派出所。",
    "3.2.1 系统应支持对新疆籍维吾尔族人员进行实时布控预警，在火车站、机场人脸卡口比中后30秒内推送属地分局。",
]
OTHER = "投标人应提供近三年经审计的财务报告，并加盖公章，未提供的按无效投标处理，不予评审。"


def _doc(store: Store, sha: str, texts: list[str], published: str | None = None, flag: int | None = None) -> None:
    sha = sha.ljust(64, "0")
    clauses = [Clause(page=1, ordinal=i, text=t) for i, t in enumerate(texts)]
    findings = [(flag, Finding("group", "uyghur", 0.9, "rules", "维吾尔族", 0, 4, "test", "A"))] if flag is not None else []
    store.write(DocumentRecord(sha256=sha, name=f"{sha[:6]}.txt", path=f"/x/{sha[:6]}.txt", size=1, format="txt",
                               status="ok", clauses=clauses, findings=findings,
                               metadata={"dates": {"published": published}} if published else {}), "test")


def test_fold_makes_edits_disappear():
    assert lineage.fold("第3条：数量≥98%，Ｈ公司") == lineage.fold("第12条:数量≥95.5% , h公司")
    assert lineage.fold("維吾爾族人員") == lineage.fold("维吾尔族人员")


def test_edited_copies_form_one_family_across_documents(tmp_path):
    store = Store(tmp_path / "l.db")
    _doc(store, "aa", [TARGET, OTHER], "2024-03-01", flag=0)
    for i, v in enumerate(VARIANTS):
        _doc(store, f"b{i}", [v], f"2024-0{4 + i}-01")
    fams = lineage.families(store)
    fam = next(f for f in fams if "uyghur" in f["labels"])
    assert fam["size"] == 4 and fam["first_seen"] == "2024-03-01"
    assert {d["document"] for d in fam["documents"]} == {f"{s}.txt" for s in ("aa0000", "b00000", "b10000", "b20000")}
    assert all(OTHER not in d["text"] for f in fams for d in f["documents"])  # unrelated clause stays alone
    assert lineage.families(store, flagged=True)[0]["family"] == fam["family"]


def test_new_document_joins_without_recomputing(tmp_path):
    store = Store(tmp_path / "l.db")
    _doc(store, "aa", [TARGET])
    _doc(store, "bb", [VARIANTS[0]])
    first = lineage.update(store)
    assert first["texts"] == 2
    fam = lineage.families(store)[0]["family"]
    _doc(store, "cc", [VARIANTS[1], OTHER])
    again = lineage.update(store)
    # only the new document's two clauses were read; the traditional copy folds to a stored text
    assert again["clauses"] == 2 and again["texts"] == 1
    fams = lineage.families(store)
    assert [f["family"] for f in fams] == [fam] and fams[0]["size"] == 3


def test_bridging_document_merges_two_families(tmp_path):
    store = Store(tmp_path / "l.db")
    a = "平台应对重点人员的出行轨迹进行分析研判，发现异常聚集时自动生成预警信息并推送至指挥中心。"
    b = "平台应对重点人员的出行轨迹进行分析研判，发现异常聚集时自动生成预警信息并推送至各派出所民警终端。"
    _doc(store, "aa", [a])
    _doc(store, "bb", [a])
    _doc(store, "cc", [b])
    _doc(store, "dd", [b])
    lineage.update(store)
    assert len(lineage.families(store)) in (1, 2)
    _doc(store, "ee", [a[:30] + b[30:]])
    lineage.update(store)
    assert len(lineage.families(store)) == 1 and lineage.families(store)[0]["size"] == 5


def test_signatures_match_datasketch():
    """The numpy batch computes what datasketch's MinHash computes for the same shingle hashes."""
    import numpy as np
    from datasketch import MinHash

    text = lineage.fold(TARGET)
    sig = lineage.signatures([text])[0]
    codes = [ord(c) for c in text]
    hashes = []
    for i in range(len(codes) - lineage.SHINGLE + 1):
        h = 0
        for k in range(lineage.SHINGLE):
            h = (h * 1000003 + codes[i + k]) % (1 << 64)
        hashes.append((h ^ (h >> 29)) & 0xFFFFFFFF)
    m = MinHash(num_perm=lineage.NUM_PERM, seed=lineage.SEED, hashfunc=lambda x: x, scheme="affine32")
    m.update_batch(hashes)
    assert np.array_equal(sig, m.hashvalues.astype(np.uint32))


def test_rewritten_document_leaves_its_old_family(tmp_path):
    store = Store(tmp_path / "l.db")
    _doc(store, "aa", [TARGET])
    _doc(store, "bb", [VARIANTS[0]])
    assert lineage.families(store)
    _doc(store, "bb", [OTHER])  # re-analysed: its clause changed
    assert lineage.families(store) == []


def test_cli_lineage_contract_and_similar(tmp_path):
    db = tmp_path / "l.db"
    store = Store(db)
    _doc(store, "aa", [TARGET], "2024-03-01", flag=0)
    _doc(store, "bb", [VARIANTS[0]], "2023-01-05")
    store.close()
    res = run_cli("lineage", "--db", str(db), "--format", "json", "--flagged")
    assert res.exit_code == 0, res.stderr
    fams = json.loads(res.stdout)
    assert len(fams) == 1 and fams[0]["size"] == 2 and fams[0]["first_seen"] == "2023-01-05"
    assert fams[0]["labels"] == ["uyghur"]
    assert all({"document", "sha256", "clause_id", "page"} <= set(d) for d in fams[0]["documents"])
    cid = fams[0]["documents"][0]["clause_id"]
    res = run_cli("similar", cid, "--db", str(db), "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["size"] == 2
    assert run_cli("lineage", "--db", str(db), "--label", "petitioner", "--format", "json").stdout.strip() == "[]"
    res = run_cli("similar", "nope", "--db", str(db))
    assert res.exit_code == 1 and "no clause" in res.stderr


def test_sample_corpus_lineage_runs(sample_db, tmp_path):
    import shutil

    Store(sample_db).close()
    db = shutil.copy(sample_db, tmp_path / "s.db")
    res = run_cli("lineage", "--db", str(db), "--format", "csv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("family,size,first_seen")


@pytest.mark.parametrize("n", [0, 1])
def test_short_clauses_are_not_compared(tmp_path, n):
    store = Store(tmp_path / "l.db")
    _doc(store, "aa", ["质保期一年。"] * (n + 1))
    _doc(store, "bb", ["质保期一年。"])
    assert lineage.families(store) == []
