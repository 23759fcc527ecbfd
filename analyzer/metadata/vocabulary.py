"""The label vocabulary (vocabulary.yaml, data a domain person edits) as the constants the code reads."""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).with_name("vocabulary.yaml")


def _load() -> dict:
    import yaml

    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


_DATA = _load()
VERSION: str = str(_DATA["version"])
#: field -> tiers of labels, best first
LABEL_TIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    name: tuple(tuple(tier) for tier in tiers) for name, tiers in _DATA["labels"].items()}
#: section heading -> the field its bare "名称：" feeds (None ends a context)
CONTEXTS: dict[str, str | None] = dict(_DATA["contexts"])
CONTEXT_KEYS: frozenset[str] = frozenset(_DATA["context_keys"])
#: bare address keys ("地址：") that, under the buyer, give the buyer's address
ADDRESS_KEYS: frozenset[str] = frozenset(_DATA["address_keys"])
HEADER_WORDS: frozenset[str] = frozenset(_DATA["header_words"])
DATE_EXCLUDE: tuple[str, ...] = tuple(_DATA["date_exclude"])
GENERIC_NAMES: frozenset[str] = frozenset(_DATA["generic_names"])
BUYER_TYPES: dict[str, tuple[str, ...]] = {kind: tuple(words) for kind, words in _DATA["buyer_types"].items()}
