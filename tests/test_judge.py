"""The capability judge (classify/judge.py): how it is fitted, what its bars do in auto, and the shipped one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("torch")  # fit_logistic

from analyzer.classify import combine  # noqa: E402
from analyzer.classify.combine import Auto, DocContext  # noqa: E402
from analyzer.classify.judge import DEFAULT_JUDGE, UNJUDGED, Judge, fit, read_halves  # noqa: E402
from analyzer.classify.model import ModelPrediction  # noqa: E402
from analyzer.records import Clause  # noqa: E402
from analyzer.taxonomy import load  # noqa: E402

LABELS = ["face_recognition", "video_surveillance"]


def toy_rows(n: int = 600, seed: int = 1) -> tuple[np.ndarray, list[set[str]], list[set[str]]]:
    """Vectors whose first dimension decides video_surveillance; the 'rules' find it whenever the second is
    positive, so half their findings are wrong and half the true labels are missed."""
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, 8)).astype(np.float32)
    gold = [{"video_surveillance"} if x[0] > 0 else set() for x in v]
    found = [{"video_surveillance"} if x[1] > 0 else set() for x in v]
    for i in range(0, n, 7):  # a rare second label, always found right
        gold[i] = gold[i] | {"face_recognition"}
        found[i] = found[i] | {"face_recognition"}
    return v, gold, found


def test_fit_learns_where_the_rules_are_wrong_and_keeps_its_bars_in_the_file(tmp_path: Path) -> None:
    v, gold, found = toy_rows()
    judge, record = fit(v, gold, found, LABELS)
    j = LABELS.index("video_surveillance")
    assert 0 < judge.veto[j] < 0.6 and 0.5 <= judge.add[j] < 1.0
    assert record["out_of_fold"]["judged"]["precision"] > record["out_of_fold"]["rules"]["precision"] + 0.2
    assert record["out_of_fold"]["judged"]["recall"] > record["out_of_fold"]["rules"]["recall"] + 0.2
    wrong = np.array([-3, 2, 0, 0, 0, 0, 0, 0], np.float32)  # rules fire, the label is absent
    missed = np.array([3, -2, 0, 0, 0, 0, 0, 0], np.float32)  # rules silent, the label is there
    assert judge.verdict(wrong, {"video_surveillance"}) == ({"video_surveillance": pytest.approx(
        judge.probabilities(wrong[None], [{"video_surveillance"}])[0, j])}, {})
    vetoed, added = judge.verdict(missed, set())
    assert not vetoed and set(added) == {"video_surveillance"}
    judge.save(tmp_path / "j")
    again = Judge.load(tmp_path / "j")
    assert again.labels == judge.labels and again.veto == judge.veto and again.add == judge.add
    assert np.allclose(again.probabilities(v[:20], found[:20]), judge.probabilities(v[:20], found[:20]), atol=1e-5)


def test_an_unjudged_label_is_never_moved() -> None:
    v, gold, found = toy_rows()
    gold = [g | ({"ethnicity_recognition"} if x[0] > 0 else set()) for g, x in zip(gold, v, strict=True)]
    found = [f | ({"ethnicity_recognition"} if x[1] > 0 else set()) for f, x in zip(found, v, strict=True)]
    judge, _ = fit(v, gold, found, ["ethnicity_recognition", *LABELS])
    assert "ethnicity_recognition" in UNJUDGED
    assert (judge.veto[0], judge.add[0]) == (-1.0, 2.0)
    assert judge.veto[2] > 0  # the same pattern on video is judged


class VectorModel:
    """A stand-in model: every clause gets no head label, and the vector its text maps to."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors
        self.seen: list[str] = []

    def predict(self, texts: list[str], cache=None) -> list[ModelPrediction]:
        self.seen.extend(texts)
        return [ModelPrediction(groups={}, capabilities={}, targets=0.0,
                                vector=self.vectors.get(t, np.zeros(8, np.float32))) for t in texts]


def toy_judge() -> Judge:
    v, gold, found = toy_rows()
    return fit(v, gold, found, LABELS)[0]


VETO = np.array([-3, 2, 0, 0, 0, 0, 0, 0], np.float32)
ADD = np.array([3, -2, 0, 0, 0, 0, 0, 0], np.float32)
NAMED = "本项目视频监控系统的维护费用已列入年度预算。"  # rules: video_surveillance (a system in place)
ASKING = "系统应支持声纹数据的统一管理。"  # asks; the rules find voiceprint, not video
UNREAD = "系统应支持对重点区域进行全天候实时查看。"  # asks, but names no capability term and no people: never read


def auto_with(judge: Judge, vectors: dict[str, np.ndarray]) -> Auto:
    a = Auto(model=VectorModel(vectors), floors={})
    a.judge = judge
    return a


def caps(a: Auto, *clauses: Clause) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for o, f in a.classify_clauses(list(clauses), DocContext()):
        if f.kind == "capability":
            out.setdefault(o, set()).add(f.label)
    return out


def test_auto_drops_a_vetoed_rules_capability_and_lists_it_for_review() -> None:
    rules = caps(combine.get("rules"), Clause(page=1, ordinal=0, text=NAMED))
    assert rules == {0: {"video_surveillance"}}
    a = auto_with(toy_judge(), {NAMED: VETO})
    assert caps(a, Clause(page=1, ordinal=0, text=NAMED)) == {}
    review = a.below_bar([Clause(page=1, ordinal=0, text=NAMED)], DocContext())
    assert [(o, f.label, why.split(":")[0]) for o, f, why in review] == [
        (0, "video_surveillance", "vetoed by the capability judge")]
    assert caps(auto_with(toy_judge(), {NAMED: ADD}), Clause(page=1, ordinal=0, text=NAMED)) == {
        0: {"video_surveillance"}}


def test_auto_adds_the_judges_capability_only_where_the_clause_asks_outside_boilerplate() -> None:
    assert caps(combine.get("rules"), Clause(page=1, ordinal=0, text=ASKING)) == {0: {"voiceprint"}}
    a = auto_with(toy_judge(), {ASKING: ADD})
    found = a.classify_clauses([Clause(page=1, ordinal=0, text=ASKING)], DocContext())
    got = {f.label: f for _, f in found if f.kind == "capability"}
    assert {label: f.method for label, f in got.items()} == {"voiceprint": "rules", "video_surveillance": "model"}
    assert got["video_surveillance"].reason.startswith("capability judge p=")
    assert got["video_surveillance"].evidence == ASKING  # no span: the whole clause is what it read
    assert "video_surveillance" not in caps(a, Clause(page=1, ordinal=0, text=ASKING, zone="boilerplate")).get(0, set())
    assert caps(auto_with(toy_judge(), {UNREAD: ADD}), Clause(page=1, ordinal=0, text=UNREAD)) == {}


def test_the_judge_reads_a_clause_that_asks_and_names_a_capability_term_even_when_the_rules_drop_it() -> None:
    weak = "平台应支持档案的统一管理。"  # a weak term (档案) beside no person: the rules give nothing
    assert caps(combine.get("rules"), Clause(page=1, ordinal=0, text=weak)) == {}
    a = auto_with(toy_judge(), {weak: ADD})
    clauses = [Clause(page=1, ordinal=0, text=weak), Clause(page=1, ordinal=1, text=UNREAD),
               Clause(page=1, ordinal=2, text=weak, zone="boilerplate")]
    assert caps(a, *clauses) == {0: {"video_surveillance"}}
    assert a.model.model.seen == [weak]
    a.judge = None  # without a judge the cascade is as before: neither clause is read
    a.model.model.seen.clear()
    assert caps(a, *clauses) == {} and a.model.model.seen == []


def test_auto_vetoes_nothing_in_a_clause_that_targets_a_group() -> None:
    text = "平台须对涉恐人员开展实时视频监控。"
    before = caps(combine.get("rules"), Clause(page=1, ordinal=0, text=text))
    assert "video_surveillance" in before[0]
    assert caps(auto_with(toy_judge(), {text: VETO}), Clause(page=1, ordinal=0, text=text))[0] >= before[0]


def test_read_halves_takes_odd_ids_with_matching_hashes_and_skips_measure_only_sets(tmp_path: Path) -> None:
    labelled, texts = tmp_path / "labelled", tmp_path / "texts"
    labelled.mkdir()
    texts.mkdir()

    def write(name: str, rows: list[tuple[str, str, str]]) -> None:
        refs = [{"id": i, "url": "http://x", "text_sha256_12": hashlib.sha256(h.encode()).hexdigest()[:12],
                 "capabilities": ["video_surveillance"], "data_sources": []} for i, _, h in rows]
        (labelled / f"real_{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in refs), encoding="utf-8")
        (texts / f"real-{name.replace('_', '-')}-texts.jsonl").write_text(
            "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t, _ in rows), encoding="utf-8")

    write("some_set", [("s-001", "甲", "甲"), ("s-002", "乙", "乙"), ("s-003", "丙", "changed"), ("s-005", "丁", "丁")])
    write("antifraud", [("a-001", "戊", "戊")])
    got = read_halves(labelled, texts)
    assert [(r["set"], r["id"], r["text"]) for r in got] == [("some_set", "s-001", "甲"), ("some_set", "s-005", "丁")]


def test_the_shipped_judge_was_fitted_on_real_text_and_beats_the_rules_out_of_fold() -> None:
    judge = Judge.load()
    tax = load()
    assert judge.labels and all(tax.kind_of(label) == "capability" for label in judge.labels)
    assert judge.meta["clauses"] >= 6000 and len(judge.meta["sets"]) >= 80 and judge.meta["tuning_clauses"] >= 4000
    oof = judge.meta["out_of_fold"]
    f1 = {k: 2 * v["precision"] * v["recall"] / (v["precision"] + v["recall"]) for k, v in oof.items()}
    assert f1["judged"] > f1["rules"]
    for label in UNJUDGED & set(judge.labels):
        j = judge.labels.index(label)
        assert (judge.veto[j], judge.add[j]) == (-1.0, 2.0)
    assert judge.weights.shape == (len(judge.labels), judge.mean.shape[0] + len(judge.labels))
    assert DEFAULT_JUDGE.with_suffix(".json").exists()
