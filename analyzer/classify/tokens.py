"""The model path's tokenizer: XLM-R's vocabulary cut to the pieces Chinese and English text can use.

Why: the `tokenizers` library holds XLM-R's 250,002 Unigram pieces in a trie that costs ~280 MB of
resident memory once loaded, a fifth of the default path's whole-run peak (the speed issue asks for
under 1.2 GB with two workers). The ~105,000 pieces written only in the scripts tenders use (ASCII,
Latin-1 signs, Greek letters for Φ and Ω, CJK, full-width forms, CJK and general punctuation, number
forms and symbols) cost ~80 MB.

The cut is exact, not an approximation. Unigram segmentation of a text can only use pieces that are
substrings of it, so for a text that holds no character of any dropped piece the small vocabulary has
every candidate piece, with its own score, and Viterbi picks the same segmentation; the smallest score
(which sets the unknown-character penalty) is kept too, and ids are mapped back to the full
vocabulary's. A text that does hold such a character (é, Cyrillic, Arabic script...) is tokenized by
the full tokenizer, loaded the first time such a text arrives: correct always, small in the usual case.
tests/test_embed_service.py checks the ids against the full tokenizer on every labelled clause and on
texts of other scripts.

Both are read by the `tokenizers` library itself rather than transformers' AutoTokenizer, which
spent ~4-9 s of the model's load on tokenizer.json here (the same ids: tests/test_embed_service.py).

The small files are derived once from tokenizer.json and kept beside it (`tokenizer.small.json`, and
`tokenizer.small.map.json` with the id map, the dropped characters and the source's sha256, so that a
changed tokenizer.json is derived again). A folder that can't be written gets them in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from analyzer.cache import write_text_atomic

SMALL = "tokenizer.small.json"
SMALL_MAP = "tokenizer.small.map.json"
FORMAT = 1
# A piece is kept when every character is in these ranges (after the tokenizer's own NFKC normalizer,
# full-width letters and circled numbers are ASCII already).
KEPT = re.compile(
    "[\x00-\x7f\u00a0-\u00bf\u00d7\u00f7\u0391-\u03c9\u2000-\u206f\u2100-\u22ff\u2460-\u27bf"
    "\u2581\u3000-\u303f\u3400-\u9fff\ue000-\uf8ff\uff00-\uffef]+"
)


class Tokens:
    """Token ids of texts, truncated at ``max_length`` with specials: the small vocabulary when it is exact.

    ``full`` is the whole tokenizer.json (loaded only when needed); ``small`` the cut one with ``ids``
    mapping its ids to the full vocabulary's and ``dropped`` the characters that send a text to ``full``.
    """

    def __init__(self, path: Path, max_length: int) -> None:
        self.path = path
        self.max_length = max_length
        self._full: Any = None
        self.full_texts = 0  # texts that needed the full tokenizer (the benchmark reports it)
        small = _small(path)
        if small is None:
            self.small, self.ids, self.dropped = None, [], frozenset()
            self._full = _load(path / "tokenizer.json", max_length)
            return
        text, meta = small
        import tokenizers

        self.small = tokenizers.Tokenizer.from_str(text)
        self.small.no_padding()
        self.small.enable_truncation(max_length=max_length)
        self.ids = meta["ids"]
        self.dropped = frozenset(meta["dropped"])

    @property
    def full(self) -> Any:
        """The whole tokenizer.json, loaded on first use."""
        if self._full is None:
            self._full = _load(self.path / "tokenizer.json", self.max_length)
        return self._full

    def token_to_id(self, piece: str) -> int | None:
        """The full vocabulary's id of ``piece`` (None when absent)."""
        if self.small is not None:
            small_id = self.small.token_to_id(piece)
            if small_id is not None:
                return self.ids[small_id]
        return self.full.token_to_id(piece)

    def encode(self, texts: list[str]) -> list[list[int]]:
        """Ids of each text (already prefixed), the same as the full tokenizer's."""
        if self.small is None:
            return [e.ids for e in self.full.encode_batch(texts)]
        normalizer = self.small.normalizer
        normalize = normalizer.normalize_str if normalizer is not None else str
        other = [i for i, t in enumerate(texts) if not self.dropped.isdisjoint(normalize(t))]
        out: list[list[int]] = [[] for _ in texts]
        if other:
            self.full_texts += len(other)
            for i, e in zip(other, self.full.encode_batch([texts[i] for i in other]), strict=True):
                out[i] = e.ids
        chosen = set(other)
        mine = [i for i in range(len(texts)) if i not in chosen]
        ids = self.ids
        for i, e in zip(mine, self.small.encode_batch([texts[i] for i in mine]), strict=True):
            out[i] = [ids[j] for j in e.ids]
        return out


def load(path: Path, max_length: int) -> Tokens | None:
    """Tokens for a model folder with a tokenizer.json (None without one, or without `tokenizers`)."""
    try:
        import tokenizers  # noqa: F401
    except ImportError:
        return None
    if not (path / "tokenizer.json").is_file():
        return None
    return Tokens(path, max_length)


def prepare(path: Path) -> bool:
    """Derive and save the small files for a model folder now (`analyzer model build` calls it)."""
    return _small(path) is not None


def _load(file: Path, max_length: int) -> Any:
    import tokenizers

    tok = tokenizers.Tokenizer.from_file(str(file))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


def _small(path: Path) -> tuple[str, dict] | None:
    """(small tokenizer JSON, its map) for a Unigram tokenizer.json, derived when missing or stale."""
    source = path / "tokenizer.json"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    try:
        meta = json.loads((path / SMALL_MAP).read_text(encoding="utf-8"))
        if meta.get("format") == FORMAT and meta.get("source_sha256") == digest:
            return (path / SMALL).read_text(encoding="utf-8"), meta
    except (OSError, ValueError):
        pass
    derived = derive(json.loads(source.read_text(encoding="utf-8")))
    if derived is None:
        return None
    text, meta = derived
    meta["source_sha256"] = digest
    try:
        write_text_atomic(path / SMALL, text)
        write_text_atomic(path / SMALL_MAP, json.dumps(meta, ensure_ascii=False))
    except OSError:
        pass  # a read-only model folder: derived again next time, in memory
    return text, meta


def derive(spec: dict) -> tuple[str, dict] | None:
    """Cut a tokenizer.json's Unigram vocabulary to KEPT pieces; None for any other kind of model."""
    model = spec.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        return None
    vocab = model["vocab"]
    special = {int(model.get("unk_id") or 0)} | {int(a["id"]) for a in spec.get("added_tokens", [])}
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])  # sets the unknown-character penalty
    keep = [i for i, (piece, _) in enumerate(vocab) if i in special or i == lowest or KEPT.fullmatch(piece)]
    kept = set(keep)
    # a dropped piece holds at least one character outside KEPT; a text without those can't use it
    dropped = sorted({ch for i, (piece, _) in enumerate(vocab) if i not in kept for ch in piece
                      if not KEPT.fullmatch(ch)})
    new_id = {old: new for new, old in enumerate(keep)}
    small = dict(spec)
    small["model"] = dict(model, vocab=[vocab[i] for i in keep], unk_id=new_id[int(model.get("unk_id") or 0)])
    small["added_tokens"] = [dict(a, id=new_id[int(a["id"])]) for a in spec.get("added_tokens", [])]
    if any(new_id.get(i) != i for i in _special_ids(spec.get("post_processor"))):
        return None  # the post-processor writes ids the cut moved: use the full tokenizer
    return json.dumps(small, ensure_ascii=False), {"format": FORMAT, "ids": keep, "dropped": "".join(dropped)}


def _special_ids(processor: dict | None) -> set[int]:
    """Ids a post-processor writes itself: the cut must leave them where they were."""
    ids: set[int] = set()
    for token in ((processor or {}).get("special_tokens") or {}).values():
        ids.update(int(i) for i in token.get("ids", []))
    return ids

