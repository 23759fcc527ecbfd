"""Derived data in the user's cache is an optimisation: bad or missing entries are rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import cache
from analyzer.taxonomy import PATH, load


@pytest.fixture()
def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ANALYZER_CACHE", str(tmp_path / "cache"))
    load.cache_clear()
    yield tmp_path / "cache"
    load.cache_clear()


def test_taxonomy_is_cached_and_a_corrupt_entry_is_rebuilt(own_cache: Path) -> None:
    first = load()
    entries = list((own_cache / "derived").glob("taxonomy-*.json"))
    assert len(entries) == 1
    load.cache_clear()
    assert load().labels == first.labels  # read back from the cache
    entries[0].write_text("{not json", encoding="utf-8")
    load.cache_clear()
    assert load().labels == first.labels  # rebuilt from the YAML
    assert entries[0].read_text(encoding="utf-8").startswith("{")


def test_an_edited_taxonomy_gets_its_own_entry(own_cache: Path, tmp_path: Path) -> None:
    load()
    edited = tmp_path / "taxonomy.yaml"
    edited.write_text(PATH.read_text(encoding="utf-8").replace("version:", "version: 9999.1 #", 1), encoding="utf-8")
    assert load(edited).version == "9999.1"
    assert len(list((own_cache / "derived").glob("taxonomy-*.json"))) == 2


def test_a_bad_pattern_in_an_edited_taxonomy_is_still_caught(own_cache: Path, tmp_path: Path) -> None:
    import re

    text = PATH.read_text(encoding="utf-8")
    edited = tmp_path / "taxonomy.yaml"
    edited.write_text(text.replace("zh_regex: [", "zh_regex: ['(unclosed', ", 1), encoding="utf-8")
    assert "zh_regex: ['(unclosed'" in edited.read_text(encoding="utf-8")
    with pytest.raises(re.error):
        load(edited)
    assert not [p for p in (own_cache / "derived").glob("taxonomy-*.json")
                if "(unclosed" in p.read_text(encoding="utf-8")]


def test_an_unwritable_cache_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ANALYZER_CACHE", str(blocker / "cache"))  # cannot be created, even by root
    load.cache_clear()
    assert load().labels
    assert cache.read_json("taxonomy", "anything") is None
    load.cache_clear()


def test_write_is_atomic_and_keys_differ(own_cache: Path) -> None:
    assert cache.key("a", "b") != cache.key("ab")
    cache.write_json("x", "k", {"a": [1, 2]})
    assert cache.read_json("x", "k") == {"a": [1, 2]}
    cache.write_json("x", "k2", {1, 2})  # not JSON: no entry, no error
    assert cache.read_json("x", "k2") is None
    assert not list((own_cache / "derived").glob(".*.tmp"))
