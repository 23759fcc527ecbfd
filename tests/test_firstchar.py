"""The first-character index must answer exactly as the plain alternation would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analyzer.classify.firstchar import FirstCharIndex, first_chars
from analyzer.classify.rules import EN_AFTER, EN_BEFORE, _en_flexible, default
from analyzer.evaluate import labelled_sets

LABELLED = Path(__file__).resolve().parent.parent / "samples" / "labelled"


def test_first_chars_of_common_shapes():
    assert first_chars("(?:来|在)人员") == {"来", "在"}
    assert first_chars("(?<![0-9])65开头") == {"6"}  # the lookbehind is zero-width
    assert first_chars("x?y") == {"x", "y"}
    assert first_chars("(?i:wi-?fi)探针") == {"w", "W"}
    assert first_chars("[\u4e00-\u9fff]{1,3}人员") is None  # a wide class: no useful set
    assert first_chars("a*") is None  # can match the empty string
    assert first_chars(".foo") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_agrees_with_the_alternation_on_every_labelled_clause(lang):
    rules = default()
    if lang == "zh":
        patterns, flags, before, after = [rx.pattern for _, rx in rules.zh_regex], 0, "", ""
        index = rules.any_zh
    else:
        # as rules builds it: capability terms take joined words and a camelCase end, groups stay plain
        patterns = [p if lab.kind == "group" else _en_flexible(p) for lab in rules.tax.labels.values() for p in lab.en]
        flags, before, after = re.I, EN_BEFORE, EN_AFTER
        index = rules.any_en
    plain = re.compile(before + "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")" + after, flags)
    texts = [json.loads(line)["text"] for f in labelled_sets(LABELLED) for line in f.open(encoding="utf-8")]
    texts += ["身份证号码以65开头的人员", "号码165开头", "Uyghur minority alert", "IMSI采集", "wifi探针"]
    hits = 0
    for t in texts:
        expected = plain.search(t) is not None
        assert index.search(t) == expected, t
        hits += expected
    assert hits > 10  # the check saw matches, not only misses


def test_index_with_unbounded_patterns_falls_back_to_search():
    index = FirstCharIndex(["[\u4e00-\u9fff]{2}人员", "abc"])
    assert index.search("这是重点人员") and index.search("xxabc") and not index.search("人员")


def test_ignorecase_variants_that_re_equates_are_tried():
    """re.IGNORECASE equates ſ with s, the Kelvin sign with k, İ and ı with i: so must the index."""
    patterns = ["stability", "kazakh", "istanbul", "uyghur"]
    index = FirstCharIndex(patterns, re.I)
    plain = re.compile("|".join(patterns), re.I)
    for text in ["ſtability", "\u212aazakh", "İstanbul", "ıstanbul", "UYGHUR", "none here"]:
        assert index.search(text) == (plain.search(text) is not None), text
