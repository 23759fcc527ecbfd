"""Where a procurement is: a gazetteer of China's divisions and a resolver that reads place names.

Region labels (行政区划：…) are rare; what documents do print is the buyer's name
(上海市公安局宝山分局), its address (辽宁省丹东市振兴区洋河大街30号) and a place of delivery
or service. Each of those names part of a chain (province, prefecture, county), often in short
form (上海, 丹东) and often without the level above (阳西县, 丹东市振兴区). The resolver finds the
names in a list of texts, best source first, anchors on the first source that names a place,
and fills the levels below from the rest, so the answer is the deepest chain the document
supports: 上海市公安局宝山分局 → 上海市宝山区; 国家税务总局阳西县税务局 → 广东省阳江市阳西县.

The gazetteer (``regions.tsv``: 6-digit 行政区划代码 and name) comes from the cpca package's
adcodes table (MIT); a code's first two digits are its province, the first four its prefecture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analyzer.classify.terms import TermScanner

_FILE = Path(__file__).with_name("regions.tsv")
_MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: districts sit right under the province
# Short forms: 新疆维吾尔自治区 → 新疆, 延边朝鲜族自治州 → 延边, 阳江市 → 阳江, 大兴安岭地区 → 大兴安岭.
_SUFFIX = re.compile(r"(?:[\u4e00-\u9fff]{1,6}?族)*(?:特别行政区|自治区|自治州|地区|省|市|盟)$")
# Short county names used only under an already known prefecture or province (宝山分局 → 宝山区);
# these are too common as words to count anywhere.
_COMMON_SHORT = frozenset({"城区", "郊区", "矿区", "新区", "市中", "中区", "东区", "西区", "南区", "北区", "开发", "高新",
                           "城关", "市区", "长安", "白云", "新华", "和平", "解放", "向阳", "红旗", "铁西", "铁东"})


@dataclass(frozen=True)
class Place:
    """One division: its 6-digit code, name and level (1 province, 2 prefecture, 3 county)."""

    code: str
    name: str

    @property
    def level(self) -> int:
        if self.code.endswith("0000"):
            return 1
        if self.code.endswith("00") and self.code[:2] not in _MUNICIPALITIES:
            return 2
        return 3

    @property
    def province(self) -> str:
        return self.code[:2] + "0000"

    @property
    def prefecture(self) -> str | None:
        """The prefecture above a county (None under a municipality or for 省直辖 counties)."""
        if self.level == 1 or self.code[:2] in _MUNICIPALITIES or self.code[2:4] == "90":
            return None
        return self.code[:4] + "00"


@dataclass
class _Gazetteer:
    places: dict[str, Place]
    names: dict[str, list[Place]]  # full and short names of provinces and prefectures, full county names
    shorts: dict[str, list[Place]]  # short county names (宝山), only read under a known parent
    scanner: TermScanner  # the names of two characters or more

    def find(self, text: str) -> list[list[Place]]:
        """Places named in ``text``, left to right, longest name first at each position."""
        out: list[list[Place]] = []
        end = 0
        for m in self.scanner.finditer(text):
            if m.start() >= end:  # a name inside the one just read is part of it
                out.append(self.names[m.group()])
                end = m.start() + len(m.group())
        return out


def _short(name: str) -> str | None:
    s = _SUFFIX.sub("", name)
    return s if len(s) >= 2 and s != name else None


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    places: dict[str, Place] = {}
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")
            places[code] = Place(code, name)
    names: dict[str, list[Place]] = {}
    shorts: dict[str, list[Place]] = {}
    for p in places.values():
        names.setdefault(p.name, []).append(p)
        short = _short(p.name) if p.level < 3 else None
        if short:
            names.setdefault(short, []).append(p)
        elif p.level == 3:
            s = re.sub(r"(?:区|县|市|旗)$", "", p.name)
            if len(s) >= 2 and s not in _COMMON_SHORT and s != p.name:
                shorts.setdefault(s, []).append(p)
    return _Gazetteer(places, names, shorts, TermScanner(name for name in names if len(name) >= 2))


def _pick(cands: list[Place], province: str | None, prefecture: str | None) -> Place | None:
    """The one candidate consistent with what is already known; None when it stays ambiguous."""
    if province:
        cands = [c for c in cands if c.province == province]
    if prefecture:
        cands = [c for c in cands if c.level < 2 or c.prefecture in (None, prefecture) or c.code == prefecture]
    return cands[0] if len({c.code for c in cands}) == 1 else None


def resolve(texts: list[str | None]) -> str | None:
    """The deepest division the texts agree on, as 省市县 names (上海市宝山区), or None.

    ``texts`` are ordered best first (a region label, the buyer's address, the buyer's name,
    places of service, the project name); the first that names an unambiguous place fixes the
    province, and later ones may only add levels below it.
    """
    g = gazetteer()
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    sources = [t for t in texts if t]
    for text in sources:
        for cands in g.find(text):
            p = _pick(cands, province, prefecture)
            if p is None:
                continue
            if province is None:
                province = p.province
            elif p.province != province:
                continue
            if p.level == 2 and prefecture is None:
                prefecture = p.code
            elif p.level == 3 and county is None and (prefecture is None or p.prefecture in (None, prefecture)):
                county, prefecture = p.code, prefecture or p.prefecture
        if county:
            break
    if province is None:
        return None
    if county is None:  # 上海市公安局宝山分局: a district named without its 区, under a known parent
        for text in sources:
            for short, cands in g.shorts.items():
                if short in text:
                    p = _pick(cands, province, prefecture)
                    if p is not None and p.level == 3:
                        county, prefecture = p.code, prefecture or p.prefecture
                        break
            if county:
                break
    parts = [g.places[province].name]
    if prefecture and prefecture in g.places:
        parts.append(g.places[prefecture].name)
    if county:
        parts.append(g.places[county].name)
    return "".join(parts)


def province_by_majority(text: str) -> str | None:
    """The province (by its full name) a document names most, when it names one more than all
    the others together: the fallback for a document that names no buyer or place of service."""
    g = gazetteer()
    counts: dict[str, int] = {}
    for cands in g.find(text):
        provinces = {c.province for c in cands}
        if len(provinces) == 1:
            code = provinces.pop()
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda c: counts[c])
    total = sum(counts.values())
    return g.places[best].name if counts[best] >= 2 and counts[best] * 2 > total else None
