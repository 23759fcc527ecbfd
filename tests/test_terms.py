"""The term scanner finds the longest listed term at every position, overlaps kept, as a plain
scan of every position would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.classify.terms import TermScanner

ALPHABET = "维吾尔族民族人员重点Ab-_ c"


def naive(terms: set[str], text: str, fold) -> list[tuple[int, str]]:
    folded, keys = fold(text), {fold(t) for t in terms if t}
    out = []
    for i in range(len(text)):
        best = max((len(k) for k in keys if folded.startswith(k, i)), default=0)
        if best:
            out.append((i, text[i:i + best]))
    return out


def test_longest_term_at_each_position_with_overlaps():
    s = TermScanner(["维吾尔", "维吾尔族", "民族", "族", "少数民族"])
    assert [(m.start(), m.group(1)) for m in s.finditer("维吾尔族少数民族")] == [
        (0, "维吾尔族"), (3, "族"), (4, "少数民族"), (6, "民族"), (7, "族")]
    assert s.search("没有") is None and s.search("一个民族").start() == 2


def test_ignore_case_folds_ascii_case_and_joiners_and_returns_the_text_as_written():
    s = TermScanner(["flood early warning", "Uyghur"], ignore_case=True)
    got = [(m.start(), m.group(1)) for m in s.finditer("a Flood_Early-Warning for UYGHUR people")]
    assert got == [(2, "Flood_Early-Warning"), (26, "UYGHUR")]
    assert s.fold("A-b_C") == "a b c" and s.fold("维吾尔") == "维吾尔"


def test_an_empty_scanner_finds_nothing():
    assert list(TermScanner([]).finditer("任何文本")) == []


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(ALPHABET, min_size=1, max_size=4), max_size=12), st.text(ALPHABET, max_size=40),
       st.booleans())
def test_scanner_equals_a_scan_of_every_position(terms, text, ignore_case):
    s = TermScanner(terms, ignore_case=ignore_case)
    assert [(m.start(), m.group(1)) for m in s.finditer(text)] == naive(terms, text, s.fold)
