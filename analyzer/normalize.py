"""Normalisation for matching, with a map back to the raw text for quoting.

Raw text is what we quote; matching runs on a normalised copy (NFKC, Kangxi and CJK radical
forms folded to unified ideographs, traditional characters folded to simplified ones one for
one, whitespace collapsed, spaces between CJK characters dropped because PDF extraction inserts
them). Every normalised character remembers the raw offset it came from, so a match in the
normalised text becomes a quotable raw span.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# CJK Radicals Supplement forms that NFKC leaves alone but PDFs emit in place of ideographs.
_RADICALS = {
    "⺁": "厂", "⺇": "几", "⺌": "小", "⺎": "兀", "⺏": "尣", "⺐": "尢", "⺑": "𡯂", "⺒": "巳",
    "⺓": "幺", "⺔": "彑", "⺖": "忄", "⺗": "心", "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺝": "月",
    "⺞": "歺", "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫",
    "⺦": "丬", "⺧": "牛", "⺨": "犭", "⺩": "王", "⺪": "疋", "⺫": "目", "⺬": "示", "⺭": "礻",
    "⺮": "竹", "⺯": "糸", "⺰": "纟", "⺱": "罓", "⺲": "罒", "⺳": "网", "⺴": "网", "⺵": "网",
    "⺶": "羊", "⺷": "羊", "⺸": "羊", "⺹": "耂", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼",
    "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "西", "⻄": "西", "⻅": "见",
    "⻆": "角", "⻇": "角", "⻈": "讠", "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻍": "辶",
    "⻎": "辶", "⻏": "阝", "⻐": "金", "⻑": "長", "⻒": "镸", "⻓": "长", "⻔": "门", "⻕": "阝",
    "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞", "⻝": "食",
    "⻞": "食", "⻟": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
    "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "齐", "⻬": "齐", "⻭": "齿",
    "⻮": "齿", "⻯": "龙", "⻰": "龙", "⻱": "龟", "⻲": "亀", "⻳": "龟",
}
# Zero-width and other invisible characters that break substring matches.
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
# 〇 and a Latin O between Chinese numerals both mean zero in dates; leave that to metadata.

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
CID_RE = re.compile(r"\(cid:\d+\)")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


@dataclass(frozen=True)
class Normalized:
    """A normalised string plus, for each of its characters, the raw offset it came from."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(raw)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the raw text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        # Each normalised character comes from exactly one raw character, so the span ends
        # just past the raw character that produced the last normalised one.
        return self.offsets[start], self.offsets[end - 1] + 1


@functools.lru_cache(maxsize=1)
def t2s() -> dict[int, str]:
    """Traditional → simplified, character by character (OpenCC's TSCharacters table).

    One character for one, so offsets stay put. The rules' vocabulary is written in simplified
    characters; a clause from Taiwan, Hong Kong or a traditional-script PDF is folded before it is
    matched, and the taxonomy's patterns are folded the same way when they are loaded, so a
    simplified term finds its traditional spelling without a second list. On the 2,000 real
    notices (simplified text) only 於 and 乾 change, 18 times in 4.8 million characters.
    """
    from importlib.resources import files

    table: dict[int, str] = {}
    text = (files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1 and parts[0] != parts[1]:
            table[ord(parts[0])] = parts[1]
    return table


def simplified(s: str) -> str:
    """``s`` with traditional characters folded to simplified ones (for patterns and terms)."""
    return s.translate(t2s())


def fold_char(ch: str) -> str:
    """Fold one raw character to its form for metadata parsing (may be empty or several characters).

    The classifier's matching form (``match_char``) also folds traditional characters; metadata
    parsing keeps them (its financial numerals list 參 and 叁, not 参).
    """
    if ch in _DROP:
        return ""
    if ch in _RADICALS:
        return _RADICALS[ch]
    if ch.isascii():
        return ch
    return unicodedata.normalize("NFKC", ch)


def match_char(ch: str) -> str:
    """Fold one raw character to its matching form: ``fold_char``, then traditional → simplified."""
    folded = fold_char(ch)
    return t2s().get(ord(folded), folded) if len(folded) == 1 else folded


_TOKEN = re.compile(r"\S+")


class _FoldTable(dict):
    """A ``str.translate`` table from each character to its matching form, filled on first sight.

    Characters that do not fold to exactly one character (zero-width marks, ligatures, ㈠ → (一))
    or that fold to whitespace are "irregular": text holding one takes the slow path, because
    its offsets shift. Everything else (full-width punctuation, compatibility ideographs,
    radicals) folds one to one, so offsets stay put and one C-level translate does the work.
    """

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set(_DROP)
        self._irregular_re: re.Pattern | None = None

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = match_char(ch)
        if len(folded) != 1 or (folded.isspace() and not ch.isspace()):
            self.irregular.add(ch)
            self._irregular_re = None
        self[code] = folded
        return folded

    def irregular_re(self) -> re.Pattern:
        if self._irregular_re is None:
            self._irregular_re = re.compile("[" + "".join(map(re.escape, sorted(self.irregular))) + "]")
        return self._irregular_re


_FOLD = _FoldTable()


# A pinyin reading in brackets after an ideograph (建設(shè), 監(jiān)控): document-sharing sites annotate
# characters this way when they convert a tender to traditional script, which splits every term in two.
# Only a bracket holding a tone-marked vowel is a reading; (a), (cid:3) and (GPRS) are kept.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_TONED_RE = re.compile(f"[{_TONED}]")
_PINYIN = re.compile(f"(?<=[\u4e00-\u9fff])\\([a-z{_TONED}ü]*[{_TONED}][a-z{_TONED}ü]*\\)")


def _drop_pinyin(n: Normalized) -> Normalized:
    """``n`` without the bracketed pinyin readings after its ideographs (offsets kept for the rest)."""
    spans = [m.span() for m in _PINYIN.finditer(n.text)]
    if not spans:
        return n
    keep = [True] * len(n.text)
    for a, b in spans:
        keep[a:b] = [False] * (b - a)
    text = "".join(ch for ch, k in zip(n.text, keep, strict=True) if k)
    offs = [o for o, k in zip(n.offsets[:-1], keep, strict=True) if k] + [n.offsets[-1]]
    return Normalized(text, tuple(offs))


@functools.lru_cache(maxsize=4096)
def normalize(raw: str) -> Normalized:
    """Normalise text for matching and keep the offset map back to ``raw`` (see _normalize), then
    drop the bracketed pinyin readings after ideographs (_drop_pinyin)."""
    n = _normalize_fast(raw)
    return _drop_pinyin(n) if _TONED_RE.search(n.text) else n


def _normalize_fast(raw: str) -> Normalized:
    """The same result as ``_normalize`` (a test holds them equal), about 5x faster on the common case."""
    folded = raw.translate(_FOLD)  # first, so any new irregular character is known below
    if len(folded) != len(raw) or _FOLD.irregular_re().search(raw):
        return _normalize(raw)
    # One-to-one folding: only whitespace changes, token by token; offsets index ``raw`` directly.
    out: list[str] = []
    offs: list[int] = []
    prev_end = -1
    for m in _TOKEN.finditer(folded):
        tok, start = m.group(0), m.start()
        if out and not (_is_cjk(out[-1][-1]) and _is_cjk(tok[0])):
            out.append(" ")
            offs.append(prev_end)
        out.append(tok)
        offs.extend(range(start, start + len(tok)))
        prev_end = m.end()
    offs.append(len(raw))
    return Normalized("".join(out), tuple(offs))


def _normalize(raw: str) -> Normalized:
    """Normalise text for matching and keep the offset map back to ``raw``.

    Whitespace runs become one space; a space between two CJK characters is removed,
    because PDF text layers often separate every ideograph.
    """
    out: list[str] = []
    offs: list[int] = []
    pending_space = -1  # raw offset of a whitespace run not yet emitted
    for i, ch in enumerate(raw):
        if ch.isspace():
            if pending_space < 0:
                pending_space = i
            continue
        folded = match_char(ch)
        if not folded:
            continue
        if pending_space >= 0:
            if out and not (_is_cjk(out[-1]) and _is_cjk(folded[0])):
                out.append(" ")
                offs.append(pending_space)
            pending_space = -1
        for f in folded:
            if f.isspace():
                continue
            out.append(f)
            offs.append(i)
    offs.append(len(raw))
    return Normalized("".join(out), tuple(offs))


def norm_text(raw: str) -> str:
    """Just the normalised string, for storage and search."""
    return normalize(raw).text


def garbage_ratio(text: str) -> float:
    """Share of a page's characters that are (cid:N) glyph codes or U+FFFD replacement marks."""
    if not text:
        return 0.0
    bad = sum(len(m.group(0)) for m in CID_RE.finditer(text)) + text.count("\ufffd")
    return bad / max(1, len(text.strip()))


_IDEOGRAPH = re.compile("[\u3400-\u9fff]")


def cjk_count(text: str) -> int:
    """Number of CJK ideographs, a cheap measure of whether a Chinese page has a real text layer."""
    return len(_IDEOGRAPH.findall(text))


def has_ideograph(text: str) -> bool:
    """Whether ``text`` holds any CJK ideograph: a clause without one is English (or other Latin-script) text."""
    return _IDEOGRAPH.search(text) is not None
