"""The classifier registry and the default path, `auto`, with a stand-in model (llm's MockModel).

The stand-in answers fixed probabilities per clause text, so these tests need neither torch nor
the built model: they pin how auto merges the rules with whatever the model says.
"""

from __future__ import annotations

import importlib.util

import pytest

from analyzer.classify import combine
from analyzer.classify.build import ML_EXTRA_MESSAGE
from analyzer.classify.combine import AUTO_MIN_CAPABILITY, AUTO_MIN_GROUP, Auto, DocContext, ModelOnly
from analyzer.classify.model import ModelPrediction
from analyzer.errors import ModelUnavailable
from analyzer.records import Clause

TARGETED = "平台须对涉恐人员开展实时布控。"  # rules: terrorism_related (strong, cue) + alerting_watchlist + police_watchlists
UNMARKED = "系统应对特定人群的出行轨迹进行分析。"  # rules: no group
PARENTS = {"uyghur": "ethnic_minority"}
NEIGHBOURS = [("dev-1", "一句写给测试的近邻条款", 0.91), ("dev-2", "另一句", 0.88)]


def prediction(groups: dict[str, float] | None = None, capabilities: dict[str, float] | None = None,
               targets: float = 0.9) -> ModelPrediction:
    """A head's answer with every threshold at 0.5 (the default)."""
    return ModelPrediction(groups=groups or {}, capabilities=capabilities or {}, targets=targets,
                           parents=PARENTS, neighbours=NEIGHBOURS)


class StandInModel:
    """Fixed predictions by clause text; anything else gets nothing over threshold."""

    def __init__(self, answers: dict[str, ModelPrediction]) -> None:
        self.answers = answers
        self.seen: list[list[str]] = []

    def predict(self, texts: list[str], cache=None) -> list[ModelPrediction]:
        self.seen.append(texts)
        return [self.answers.get(t, prediction(targets=0.0)) for t in texts]


def clause(text: str, ordinal: int = 0, zone: str | None = None) -> Clause:
    return Clause(page=1, ordinal=ordinal, text=text, zone=zone)


def run(clf, *clauses: Clause) -> dict[tuple[int, str], object]:
    out = clf.classify_clauses(list(clauses), DocContext())
    keyed = {(o, f.label): f for o, f in out}
    assert len(keyed) == len(out), "one finding per clause and label"
    return keyed


def test_rules_alone_give_spans_and_tiers() -> None:
    found = run(combine.get("rules"), clause(TARGETED))
    assert set(found) == {(0, "terrorism_related"), (0, "alerting_watchlist"), (0, "police_watchlists")}
    group = found[0, "terrorism_related"]
    assert (group.method, group.tier, group.evidence) == ("rules", "A", "涉恐人员")


def test_model_alone_reports_the_most_specific_group_with_its_neighbours() -> None:
    model = StandInModel({UNMARKED: prediction({"uyghur": 0.9}, {"video_surveillance": 0.7})})
    found = run(ModelOnly(model=model), clause(UNMARKED))
    assert set(found) == {(0, "uyghur"), (0, "video_surveillance")}  # ethnic_minority is implied
    f = found[0, "uyghur"]
    assert (f.method, f.tier, f.score, f.evidence, f.start, f.end) == ("model", "M", 0.9, UNMARKED, 0, len(UNMARKED))
    assert f.reason.startswith("model p=0.90, targets p=0.90; nearest labelled examples: dev-1 “一句写给测试的近邻条款” (0.91)")


def test_model_alone_needs_the_targets_head_for_groups_and_skips_boilerplate() -> None:
    model = StandInModel({UNMARKED: prediction({"uyghur": 0.9}, {"video_surveillance": 0.7}, targets=0.3)})
    assert set(run(ModelOnly(model=model), clause(UNMARKED))) == {(0, "video_surveillance")}
    model = StandInModel({UNMARKED: prediction({"uyghur": 0.9}, {"video_surveillance": 0.7})})
    assert run(ModelOnly(model=model), clause(UNMARKED, zone="boilerplate")) == {}


def test_auto_label_found_by_both_keeps_the_rules_span_and_the_higher_score() -> None:
    model = StandInModel({TARGETED: prediction({"terrorism_related": 0.95}, {"alerting_watchlist": 0.6})})
    rules = run(combine.get("rules"), clause(TARGETED))
    found = run(Auto(model=model), clause(TARGETED))
    assert set(found) == set(rules)
    group, rule_group = found[0, "terrorism_related"], rules[0, "terrorism_related"]
    assert group.method == "both" and group.score == 0.95  # the model's, higher than the rules' 0.88
    assert (group.evidence, group.start, group.end, group.tier) == (
        rule_group.evidence, rule_group.start, rule_group.end, rule_group.tier)
    assert group.reason == rule_group.reason + "; model agrees (p=0.95)"
    cap = found[0, "alerting_watchlist"]
    assert cap.method == "both" and cap.score == rules[0, "alerting_watchlist"].score  # the rules' 0.8 > 0.6


def test_auto_rules_finding_stays_rules_when_the_model_disagrees() -> None:
    found = run(Auto(model=StandInModel({})), clause(TARGETED))
    assert {f.method for f in found.values()} == {"rules"}


@pytest.mark.parametrize("p,targets,kept", [
    (AUTO_MIN_GROUP + 0.05, 0.9, True),
    (AUTO_MIN_GROUP - 0.05, 0.9, False),  # over the head's threshold, under auto's bar
    (0.95, 0.3, False),  # the targets-people head says no
])
def test_auto_model_only_group_needs_min_group_and_the_targets_head(p: float, targets: float, kept: bool) -> None:
    model = StandInModel({UNMARKED: prediction({"uyghur": p}, targets=targets)})
    found = run(Auto(model=model), clause(UNMARKED))
    assert ((0, "uyghur") in found) is kept
    if kept:
        assert found[0, "uyghur"].method == "model"


def test_auto_adds_no_model_group_where_the_rules_found_one() -> None:
    model = StandInModel({TARGETED: prediction({"terrorism_related": 0.95, "foreigner": 0.95})})
    found = run(Auto(model=model), clause(TARGETED))
    assert (0, "foreigner") not in found and found[0, "terrorism_related"].method == "both"


def test_auto_skips_model_labels_the_rules_imply() -> None:
    text = "监控点位对维吾尔人员实时布控。"  # rules: uyghur
    model = StandInModel({text: prediction({"ethnic_minority": 0.95})})
    found = run(Auto(model=model), clause(text))
    assert (0, "uyghur") in found and (0, "ethnic_minority") not in found


def test_auto_in_a_boilerplate_zone_gives_no_group_from_either() -> None:
    model = StandInModel({TARGETED: prediction({"terrorism_related": 0.95}, {"alerting_watchlist": 0.9})})
    found = run(Auto(model=model), clause(TARGETED, zone="boilerplate"))
    assert [f.kind for f in found.values()] == ["capability"]  # the rules still name the capability
    # flagged only for a capability, in boilerplate: the model does not read it (it could only agree)
    assert found[0, "alerting_watchlist"].method == "rules" and not any(model.seen)


def test_auto_asks_the_model_once_per_document() -> None:
    model = StandInModel({})
    run(Auto(model=model), clause(TARGETED, 0), clause(UNMARKED, 1))
    assert model.seen == [[TARGETED, UNMARKED]]


def test_model_unavailable_without_the_ml_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    assert combine.model_available() == ML_EXTRA_MESSAGE
    assert combine.default_method() == "rules"
    for make in (ModelOnly, Auto, combine.CLASSIFIERS["auto"]):
        with pytest.raises(ModelUnavailable, match=r"pip install 'analyzer\[ml\]'"):
            make(None)


def test_model_unavailable_before_the_model_is_built(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object())  # "installed"
    monkeypatch.setenv("ANALYZER_CACHE", str(tmp_path))
    with pytest.raises(ModelUnavailable, match="analyzer model build"):
        ModelOnly()


def test_unknown_method_names_the_registered_ones() -> None:
    with pytest.raises(ValueError, match="use one of rules, model, auto"):
        combine.get("nearest")


def test_a_registered_stand_in_gets_the_documents_marker_legend(monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.pipeline import classify_clauses

    seen: list[DocContext] = []

    class Recorder:
        method = "stand-in"

        def classify_clauses(self, clauses, context):
            seen.append(context)
            return []

    monkeypatch.setitem(combine.CLASSIFIERS, "stand-in", lambda db_path: Recorder())
    try:
        assert classify_clauses([clause(TARGETED)], "stand-in", {"markers": {"★": "实质性条款"}, "buyer": "x"}) == []
        assert classify_clauses([clause(TARGETED)], "stand-in", {"markers": {}}) == []
    finally:
        combine.get.cache_clear()
    assert seen == [DocContext(markers={"★": "实质性条款"}), DocContext(markers=None)]


def test_rules_read_the_legend_from_the_context() -> None:
    c = Clause(page=1, ordinal=0, text=TARGETED, marker="★")
    [(_, group), *_] = combine.get("rules").classify_clauses([c], DocContext(markers={"★": "实质性条款"}))
    assert group.reason.endswith("(marked ★: 实质性条款, per the document's legend)")


# -- what auto lets the model add on its own (the clause must bear it out) ----------------------

NO_PEOPLE = "价格表中的金额均应以人民币填写并保留两位小数，报价须含税。"  # names nobody
EQUAL_TREATMENT = "服务过程中不得因民族、宗教信仰歧视任何人员，并对投诉进行核查。"  # equal-treatment clause
EQUIPMENT = "机柜尺寸600×1100毫米，承重800公斤。"  # nothing a finding could rest on


def test_auto_model_only_group_needs_a_clause_that_names_people() -> None:
    model = StandInModel({NO_PEOPLE: prediction({"falun_gong_cult": 0.95}),
                          UNMARKED: prediction({"uyghur": 0.95})})
    found = run(Auto(model=model, floors={}), clause(NO_PEOPLE, 0), clause(UNMARKED, 1))
    assert (0, "falun_gong_cult") not in found
    assert found[1, "uyghur"].method == "model"


def test_auto_model_only_group_is_refuted_like_a_rules_one() -> None:
    model = StandInModel({EQUAL_TREATMENT: prediction({"ethnic_minority": 0.95})})
    assert not [k for k in run(Auto(model=model, floors={}), clause(EQUAL_TREATMENT)) if k[1] == "ethnic_minority"]


def test_auto_model_only_group_must_clear_its_calibrated_floor() -> None:
    model = StandInModel({UNMARKED: prediction({"uyghur": 0.9})})
    assert (0, "uyghur") in run(Auto(model=model, floors={"uyghur": 0.85}), clause(UNMARKED))
    assert (0, "uyghur") not in run(Auto(model=model, floors={"uyghur": 0.93}), clause(UNMARKED))


def test_auto_model_only_capability_is_for_review_never_a_finding() -> None:
    """On real documents 1 model-only capability in 52 was a requirement: the rules' gate decides."""
    asks = "供应商应对派驻人员的工作情况实时分析。"  # names people and asks; the rules find no capability
    model = StandInModel({asks: prediction(capabilities={"predictive_policing": 0.95}),
                          UNMARKED: prediction(capabilities={"location_tracking": 0.9})})
    auto = Auto(model=model, floors={})
    clauses = [clause(asks, 0), clause(UNMARKED, 1)]
    found = run(auto, *clauses)
    assert (0, "predictive_policing") not in found
    assert found[1, "location_tracking"].method == "both"  # the rules found it; the model agrees
    review = {(o, f.label): why for o, f, why in auto.below_bar(clauses, DocContext())}
    assert review[0, "predictive_policing"].startswith("a model-only capability")
    assert (1, "location_tracking") not in review


def test_auto_adds_a_model_capability_beside_the_rules_findings() -> None:
    """Stop 20: beside a rules group or capability, the model names a capability the vocabulary missed,
    at AUTO_MIN_CAPABILITY; below it, or where a capability refuter applies, it goes to review."""
    refuted = "平台须对涉恐人员开展实时布控，并接入视频会议系统。"  # 视频会议: video_surveillance is refuted here
    model = StandInModel({TARGETED: prediction(capabilities={"face_recognition": AUTO_MIN_CAPABILITY + 0.01,
                                                             "voiceprint": AUTO_MIN_CAPABILITY - 0.03}),
                          refuted: prediction(capabilities={"video_surveillance": 0.999})})
    auto = Auto(model=model, floors={})
    clauses = [clause(TARGETED, 0), clause(refuted, 1)]
    found = run(auto, *clauses)
    face = found[0, "face_recognition"]
    assert (face.kind, face.method, face.tier, face.evidence) == ("capability", "model", "M", TARGETED)
    assert face.reason.endswith("in a clause where the rules found alerting_watchlist, terrorism_related")
    assert (0, "voiceprint") not in found and (1, "video_surveillance") not in found
    review = {(o, f.label): why for o, f, why in auto.below_bar(clauses, DocContext())}
    assert review[0, "voiceprint"].startswith("below the bar")
    assert review[1, "video_surveillance"].startswith("refuted")
    assert (0, "face_recognition") not in review


def test_auto_sends_only_clauses_that_can_carry_a_finding_to_the_model() -> None:
    """The cascade: equipment parameters and boilerplate never reach the model."""
    people = "供应商应对派驻的人员统一管理。"  # names people, flags nothing
    model = StandInModel({})
    run(Auto(model=model, floors={}), clause(EQUIPMENT, 0), clause(TARGETED, 1), clause(people, 2, zone="boilerplate"),
        clause(people, 3))
    assert model.seen == [[TARGETED, people]]


def test_below_bar_suggestions_say_why_and_never_become_findings() -> None:
    """For review: what the model suggested under auto's bar, apart from the findings, each with a reason."""
    alarm = "系统应支持对异常情况实时预警。"  # asks for a function, names no people
    model = StandInModel({UNMARKED: prediction({"uyghur": 0.9, "petitioner": 0.7}),
                          alarm: prediction({"falun_gong_cult": 0.95}),
                          EQUAL_TREATMENT: prediction({"ethnic_minority": 0.95}),
                          TARGETED: prediction({"terrorism_related": 0.95, "foreigner": 0.6})})
    auto = Auto(model=model, floors={"uyghur": 0.93})
    clauses = [clause(UNMARKED, 0), clause(alarm, 1), clause(EQUAL_TREATMENT, 2), clause(TARGETED, 3)]
    found = run(auto, *clauses)
    review = {(o, f.label): why for o, f, why in auto.below_bar(clauses, DocContext())}
    assert not set(review) & set(found)
    assert review[0, "uyghur"].startswith("below the bar: p=0.90 < 0.93 (the label's floor")
    assert review[0, "petitioner"].startswith("below the bar: p=0.70 < 0.80 (auto's minimum")
    assert not [k for k in review if k[0] == 1]  # flagged only for a capability, naming nobody: no group
    # (read only for the capability judge when one ships: it asks and names a capability term)
    assert (alarm in [t for batch in model.seen for t in batch]) == (auto.judge is not None)
    assert review[2, "ethnic_minority"].startswith("refuted: ")
    assert not [k for k in review if k[0] == 3]  # the rules explain that clause's targeting already
    kept = Auto(model=model, floors={})
    assert (0, "uyghur") in run(kept, *clauses)
    assert (0, "uyghur") not in {(o, f.label) for o, f, _ in kept.below_bar(clauses, DocContext())}


def test_review_lists_below_bar_suggestions_from_the_database_and_leaves_findings_alone(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import run_cli

    from analyzer import review
    from analyzer.store import Store

    doc = tmp_path / "t.txt"
    doc.write_text(f"一、{UNMARKED}\n二、{TARGETED}\n", encoding="utf-8")
    db = tmp_path / "a.db"
    assert run_cli("analyze", str(doc), "--db", str(db), "--quiet").exit_code == 0
    before = run_cli("findings", "--db", str(db), "--format", "json").stdout
    class ByContent(StandInModel):  # clause texts keep their numbering ("一、…")
        def predict(self, texts, cache=None):
            return [prediction({"uyghur": 0.7}) if UNMARKED in t else prediction(targets=0.0) for t in texts]

    monkeypatch.setattr(combine, "Auto", lambda cache=None: Auto(model=ByContent({}), floors={}))
    store = Store(db)
    rows = list(review.suggestions(store, str(db)))
    store.close()
    assert [(r["label"], r["status"], r["document"]) for r in rows] == [("uyghur", review.STATUS, "t.txt")]
    assert rows[0]["why"].startswith("below the bar") and rows[0]["text"].endswith(UNMARKED)
    assert run_cli("findings", "--db", str(db), "--format", "json").stdout == before
