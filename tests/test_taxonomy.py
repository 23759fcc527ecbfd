"""The taxonomy loader: context lists that extend another list ("@name") are joined on load."""

from __future__ import annotations

import pytest

from analyzer.taxonomy import _joined, load


def test_a_list_extends_another_by_name_in_order_without_duplicates() -> None:
    ctx = {"base": ["人员", "person"], "more": ["@base", "车辆", "person"],
           "subjects": {"alerts": ["@more", "声纹"], "faces": ["面部"]}}
    out = _joined(ctx)
    assert out["more"] == ["人员", "person", "车辆"]
    assert out["subjects"]["alerts"] == ["人员", "person", "车辆", "声纹"]
    assert out["subjects"]["faces"] == ["面部"]


def test_an_at_sign_inside_a_pattern_stays_a_pattern() -> None:
    assert _joined({"mail": ["@qq\\.com", "@163\\.com"]})["mail"] == ["@qq\\.com", "@163\\.com"]


@pytest.mark.parametrize("ctx", [{"a": ["@missing"]}, {"a": ["@a"]}, {"a": ["@b"], "b": ["@a"]},
                                 {"a": {"x": ["@nothing_here"]}}])
def test_an_unknown_or_circular_name_is_an_error(ctx: dict) -> None:
    with pytest.raises(ValueError, match="names no context list"):
        _joined(ctx)


def test_the_shipped_subject_lists_hold_every_word_of_the_list_they_extend() -> None:
    ctx = load().context
    people, persons = set(ctx["people_words"]), set(ctx["person_words"])
    assert persons < people and "车辆" in people - persons
    subjects = ctx["capability_subjects"]
    assert people <= set(subjects["video_surveillance"]) and "公安" in subjects["video_surveillance"]
    assert people <= set(subjects["alerting_watchlist"])
    # faces and whereabouts are a person's: the vehicle words stay out of their subjects
    for label in ("face_recognition", "location_tracking"):
        assert persons <= set(subjects[label]) and "车辆" not in subjects[label]
    assert not any(w.startswith("@") and w[1:].isidentifier() for ws in subjects.values() for w in ws)
