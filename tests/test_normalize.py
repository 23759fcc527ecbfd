"""Normalisation keeps a map back to the raw text, whatever the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.normalize import _normalize, cjk_count, garbage_ratio, normalize


def test_folds_fullwidth_radicals_and_cjk_spaces():
    n = normalize("系 统 应 支 持 ⺠族 识别\u3000ＡＢＣ１２３  test")
    assert n.text == "系统应支持民族识别 ABC123 test"


def test_compatibility_ideographs_and_kangxi_radicals():
    assert normalize("\u2f08\u2f2f").text == "人工"  # Kangxi radicals ⼈⼯
    assert normalize("\uf9dc").text == "隆"  # CJK compatibility ideograph
    assert normalize("\uf900").text == "岂"  # compatibility 豈 → 豈 → simplified 岂


def test_traditional_characters_fold_to_simplified_one_for_one():
    raw = "對維吾爾族人員進行 識別"
    n = normalize(raw)
    assert n.text == "对维吾尔族人员进行识别"
    i = n.text.index("维吾尔族")
    a, b = n.raw_span(i, i + 4)
    assert raw[a:b] == "維吾爾族"  # the quote stays as published
    assert normalize(raw).text == _normalize(raw).text  # the slow path folds the same way
    assert normalize("关于采购项目").text == "关于采购项目"  # simplified text is left as it is


def test_raw_span_of_a_match_quotes_the_raw_text():
    raw = "对 涉 疆 人 员\n进行预警"
    n = normalize(raw)
    i = n.text.index("涉疆人员")
    a, b = n.raw_span(i, i + 4)
    assert raw[a:b] == "涉 疆 人 员"


def test_garbage_detection():
    assert garbage_ratio("(cid:12)(cid:13)(cid:14)") > 0.9
    assert garbage_ratio("正常的中文文本") == 0
    assert cjk_count("abc中文") == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_offsets_always_map_back(raw):
    n = normalize(raw)
    assert len(n.offsets) == len(n.text) + 1
    for i in range(len(n.text)):
        a, b = n.raw_span(i, i + 1)
        assert 0 <= a < b <= len(raw)
    if n.text:
        a, b = n.raw_span(0, len(n.text))
        assert not raw[a].isspace() and not raw[b - 1].isspace()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("中文新疆，。：；（）①⑩㈠㎡ﬁ⺠⻋\u200b\u3000\xa0\u00a8\u2002\ufeff\u3351 \t\nＡ１ab")) | st.characters(),
               max_size=60))
def test_fast_path_equals_the_character_by_character_fold(raw):
    """The translate-table path must give exactly what folding each character gives."""
    from analyzer.normalize import _normalize, _normalize_fast

    assert _normalize_fast(raw) == _normalize(raw)


def test_pinyin_readings_after_ideographs_are_dropped_for_matching():
    """Document-sharing sites print a reading after converted characters (建設(shè)); matching skips it,
    quoting maps back to the raw text with the readings in place; other brackets stay."""
    raw = "累計(jì)建設(shè)監(jiān)控點(diǎn)位，GPRS(General) 第(a)项(cid:3)"
    n = normalize(raw)
    assert n.text == "累计建设监控点位,GPRS(General) 第(a)项(cid:3)"
    a, b = n.raw_span(n.text.index("监控"), n.text.index("监控") + 2)
    assert raw[a:b] == "監(jiān)控"
    assert len(n.offsets) == len(n.text) + 1
