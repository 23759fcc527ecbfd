"""Real negatives: references (never text) resolved from the corpus into training, and left out without it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from analyzer.classify import negatives as neg

TENDER = """<html><body>
<p>第一章 采购需求</p>
<p>一、本项目为食堂大米采购，质保期一年。</p>
<p>二、供应商应配合采购人对就餐人员进行登记。</p>
<p>三、服务人员应统一着装。</p>
</body></html>"""
NOTICES = [
    {"title": "某局物业服务项目公告", "published": "2024-01-02",
     "html": "<p>一、项目名称：物业服务</p><p>二、本公告在政府采购网和新闻媒体上发布。</p>"},
    {"title": "某局餐饮服务项目公告", "published": "2024-01-03",
     "html": "<p>一、项目名称：餐饮服务</p><p>二、为就餐人员提供午餐。</p>"},
]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "tenders").mkdir(parents=True)
    (root / "notices").mkdir()
    (root / "tenders" / "canteen.html").write_text(TENDER, encoding="utf-8")
    with gzip.open(root / "notices" / "ningbo.jsonl.gz", "wt", encoding="utf-8") as f:
        for r in NOTICES:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return root


def _clauses(corpus: Path):
    import hashlib

    from analyzer import ingest
    from analyzer.ingest.notice import read_notice
    from analyzer.segment import segment

    p = corpus / "tenders" / "canteen.html"
    tender = (hashlib.sha256(p.read_bytes()).hexdigest(), segment(ingest.read(p, "html", ocr_mode="off")))
    notice = (neg.notice_sha(NOTICES[1]), segment(read_notice(NOTICES[1])))
    return tender, notice


def _ref(sha: str, clause, label, **kw) -> dict:
    return {"document_sha256": sha, "ordinal": clause.ordinal, "text_sha256_12": neg.text_sha(clause.text),
            "label": label, **kw}


def _write(path: Path, refs: list[dict]) -> Path:
    neg.write_references(path, refs)
    return path


def test_references_resolve_by_hash_and_ordinal_and_a_changed_text_is_skipped(corpus, tmp_path):
    (t_sha, t_clauses), (n_sha, n_clauses) = _clauses(corpus)
    staff = next(c for c in t_clauses if "就餐人员" in c.text)
    lunch = next(c for c in n_clauses if "午餐" in c.text)
    other = next(c for c in t_clauses if "着装" in c.text)
    refs = [
        _ref(t_sha, staff, "none", set="tenders", document="canteen.html"),
        _ref(n_sha, lunch, "none", set="notices", position=1),
        {**_ref(t_sha, other, "none"), "text_sha256_12": "0" * 12},  # the text changed since it was read
        _ref(t_sha, t_clauses[0], None),  # not read yet
        _ref(n_sha, n_clauses[0], "uyghur"),  # read, and it does target a group: not a negative
    ]
    path = _write(tmp_path / neg.NEGATIVES_FILE, refs)
    assert "就餐人员" not in path.read_text(encoding="utf-8")  # references only, never the text
    warnings: list[str] = []
    res = neg.resolve(path, corpus, warn=warnings.append)
    assert sorted(r["text"] for r in res.rows) == sorted([staff.text, lunch.text])
    assert all(r["groups"] == [] for r in res.rows)
    assert res.unread == 1 and res.positives == 1 and len(res.mismatched) == 1
    assert len(warnings) == 1 and "skipped" in warnings[0] and "differs" in warnings[0]
    assert "2 of 5" in res.summary() and "1 skipped" in res.summary()


def test_without_the_corpus_the_references_are_left_out_and_it_says_so(corpus, tmp_path):
    (t_sha, t_clauses), _ = _clauses(corpus)
    path = _write(tmp_path / neg.NEGATIVES_FILE, [_ref(t_sha, t_clauses[1], "none")])
    res = neg.resolve(path, None)
    assert res.rows == [] and res.missing_corpus
    assert "absent" in res.summary() and "left out" in res.summary()
    assert neg.resolve(path, tmp_path / "nowhere").missing_corpus


def test_mining_again_keeps_the_labels_already_given() -> None:
    old = [{"document_sha256": "a" * 64, "ordinal": 3, "text_sha256_12": "b" * 12, "label": "none"}]
    new = [{**old[0], "label": None, "score": 0.9},
           {"document_sha256": "c" * 64, "ordinal": 1, "text_sha256_12": "d" * 12, "score": 0.5}]
    merged = neg.merge_references(old, new)
    assert [r["label"] for r in merged] == ["none", None]


def test_a_zero_weight_in_a_column_is_the_same_as_leaving_the_clause_out() -> None:
    np = pytest.importorskip("numpy")
    from analyzer.classify import train as t

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 6)).astype(np.float32)
    y = (x[:, :2] > 0).astype(np.float32)
    w1, b1 = t.fit_logistic(x[:30], y[:30], np.ones(30), 1e-2)
    weights = np.ones((40, 2))
    weights[30:, 1] = 0.0  # the last 10 clauses count for column 0 only
    w2, b2 = t.fit_logistic(x, y, weights, 1e-2)
    assert np.allclose(w1[1], w2[1], atol=1e-3) and abs(b1[1] - b2[1]) < 1e-3
    assert not np.allclose(w1[0], w2[0], atol=1e-3)


def test_training_uses_real_negatives_when_the_corpus_is_there_and_says_when_it_is_not(corpus, tmp_path):
    pytest.importorskip("torch")
    from test_model import synthetic_rows, write_jsonl, write_tiny_model

    from analyzer.classify import embed
    from analyzer.classify import train as t

    embedder = embed.Embedder(write_tiny_model(tmp_path / "tiny"), batch_size=4, device="cpu", threads=1)
    (t_sha, t_clauses), (n_sha, n_clauses) = _clauses(corpus)
    data = tmp_path / "data"
    data.mkdir()
    dev = write_jsonl(data / "dev.jsonl", synthetic_rows("dev", 30))
    test = write_jsonl(data / "test.jsonl", synthetic_rows("test", 12))
    _write(data / neg.NEGATIVES_FILE, [_ref(t_sha, c, "none") for c in t_clauses[1:]]
           + [_ref(n_sha, c, "none") for c in n_clauses])
    lines: list[str] = []
    with_corpus = t.train(dev, test, tmp_path / "a", embedder, corpus=corpus, folds=3, repeats=1,
                          progress=lines.append)
    t.train(dev, test, tmp_path / "b", embedder, corpus=corpus, folds=3, repeats=1)
    record = with_corpus["training_data"]["real_negatives"]
    assert record["references"] == record["rows"] == len(t_clauses) - 1 + len(n_clauses)
    assert any(line.startswith("real negatives:") and "resolved" in line for line in lines)
    assert _same_weights(tmp_path / "a", tmp_path / "b")  # deterministic
    assert with_corpus["hyperparameters"]["real_negative_weight"] == t.NEGATIVE_WEIGHT

    lines.clear()
    without = t.train(dev, test, tmp_path / "c", embedder, corpus=tmp_path / "no-corpus", folds=3, repeats=1,
                      progress=lines.append)
    assert without["training_data"]["real_negatives"]["corpus"].startswith("absent")
    assert without["training_data"]["real_negatives"]["rows"] == 0
    assert any("absent" in line and "left out" in line for line in lines)


def _same_weights(a: Path, b: Path) -> bool:
    import numpy as np

    x, y = np.load(a / "e5_head.npz"), np.load(b / "e5_head.npz")
    return all(np.array_equal(x[k], y[k]) for k in x.files if k != "meta")
