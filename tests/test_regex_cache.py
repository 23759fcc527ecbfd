"""Compiled patterns replayed from the cache must be the patterns re.compile gives, and any
damage to the cache must only cost time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analyzer import regex_cache
from analyzer.classify.rules import RulesClassifier
from analyzer.evaluate import labelled_sets
from analyzer.regex_cache import RegexCache

LABELLED = Path(__file__).resolve().parent.parent / "samples" / "labelled"

PATTERNS = [
    ("(?<![A-Za-z])(?:uyghur|uighur)s?(?![A-Za-z])", re.I),
    ("(?P<group>维吾尔|哈萨克)族?(?P<role>人员|群众)", 0),
    ("^(?:的[\u4e00-\u9fff]{0,3}?)?(?:人员|人(?![脸像证]))", 0),
    (r"(?<=(?-i:[a-z]))(?=(?-i:[A-Z]))plate", re.I),
    ("x" * 3 + "|" + "|".join(f"term{i}" for i in range(300)), re.I),
]
TEXTS = ["Uyghur travellers", "uighurs", "维吾尔族人员", "哈萨克群众", "的重点人员", "人脸", "licencePlate",
         "xxx", "TERM299 and term7", "nothing", "ſ and \u212a"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYZER_CACHE", str(tmp_path))
    return tmp_path


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for t in TEXTS:
        ma, mb = a.search(t), b.search(t)
        assert (ma and (ma.span(), ma.groups())) == (mb and (mb.span(), mb.groups())), (a.pattern[:40], t)


def test_first_and_replayed_compiles_equal_re_compile(cache_dir, monkeypatch):
    first = RegexCache("t")
    for p, f in PATTERNS:
        _same(first.compile(p, f), re.compile(p, f))
    first.save()
    assert list((cache_dir / "derived").glob("regex-t-*.marshal"))

    # the second run must not generate code again: it replays the file
    def no_generation(*_a):
        raise AssertionError("generated again instead of read from the cache")

    monkeypatch.setattr(regex_cache, "_generate", no_generation)
    again = RegexCache("t")
    for p, f in PATTERNS:
        _same(again.compile(p, f), re.compile(p, f))


def test_a_damaged_or_foreign_cache_only_costs_time(cache_dir):
    c = RegexCache("t")
    for p, f in PATTERNS:
        c.compile(p, f)
    c.save()
    path = next((cache_dir / "derived").glob("regex-t-*.marshal"))
    path.write_bytes(b"\x00garbage")
    for p, f in PATTERNS:
        _same(RegexCache("t").compile(p, f), re.compile(p, f))
    # code the engine refuses (an entry tampered with) is generated again, not trusted
    import marshal

    c = RegexCache("t")
    c.compile("abc")
    c.save()
    entries = marshal.loads(path.read_bytes())
    flags, (pattern, fl, code, groups, gi, ig) = entries[0]
    path.write_bytes(marshal.dumps([(flags, (pattern, fl, [999999] * len(code), groups, gi, ig))]))
    _same(RegexCache("t").compile("abc"), re.compile("abc"))


def test_an_invalid_pattern_raises_as_re_does(cache_dir):
    with pytest.raises(re.error):
        RegexCache("t").compile("(unclosed")


def test_save_keeps_only_what_the_run_used(cache_dir):
    c = RegexCache("t")
    c.compile("old pattern")
    c.save()
    c = RegexCache("t")
    c.compile("new pattern")
    c.save()
    import marshal

    path = next((cache_dir / "derived").glob("regex-t-*.marshal"))
    assert [e[1][0] for e in marshal.loads(path.read_bytes())] == ["new pattern"]


def test_rules_built_from_the_cache_classify_as_freshly_compiled_ones(cache_dir):
    """The whole rules classifier twice, cold (compiled) and warm (replayed): the same findings."""
    cold = RulesClassifier()
    warm = RulesClassifier()
    texts = [json.loads(line)["text"] for f in labelled_sets(LABELLED) for line in f.open(encoding="utf-8")]
    found = 0
    for t in texts:
        a = [(f.label, f.start, f.end, f.reason) for f in cold.classify(t)]
        assert a == [(f.label, f.start, f.end, f.reason) for f in warm.classify(t)], t
        found += bool(a)
    assert found > 100
