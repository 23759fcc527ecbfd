"""Structures that ask for a capability without naming it (docs/taxonomy.md §3).

Camera specifications and SDK documentation rarely write 民族识别: they list what the device
outputs. An attribute list whose values include an ethnicity (性别、年龄、眼镜、民族), an SDK
constant (NATION_UYGUR), a coded yes/no field (是否维族), a parameter row (民族识别准确率≥90%)
or a device that sorts passers-by into Uyghur and Han is an ethnicity-recognition capability.
A list of personal-record fields (姓名、性别、民族、出生日期) is a register, not analytics, and
gives nothing. This module only finds the structures; the capability gate in rules.py decides,
so a structure counts as the specification of a system that outputs the attribute.

The same holds for per-person profiles: a platform that 整合户籍、住宿、出行、通讯等数据 builds a
dossier whether or not it says 一人一档, so a fusion verb followed by three or more datasets about a
person is data fusion.

The vocabulary lives in taxonomy.yaml ``context.structures``; this module holds the logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.classify.firstchar import FirstCharIndex

SENTENCE = re.compile(r"[。；;！!？?\n]|\.(?:\s|$)")
# An attribute list may be a C struct or a JSON object whose fields end in ';' (int age; int race;):
# for lists only the Chinese semicolon and full stops end the sentence.
LIST_SENTENCE = re.compile(r"[。；！!？?\n]|\.(?:\s|$)")
SOURCES_WINDOW = 40  # characters after a fusion verb in which its list of personal datasets sits (Chinese)
SOURCES_WINDOW_EN = 100  # the same after an English verb, whose words are longer
MIN_SOURCES = 3  # datasets about a person that one fusion verb must join to build a per-person record
WINDOW_ZH = 16  # characters between an ethnicity word and the function that uses it, in Chinese
WINDOW_EN = 48  # the same in English, where words are longer
LIST_WINDOW = 60  # characters around an ethnicity value in which the other attributes of its list sit
LIST_WINDOW_EN = 100  # the same in English
# Items of a short list before or after a mention: up to ten words of at most ten characters, each
# followed (before) or preceded (after) by a list separator.
LIST_BEFORE = re.compile(r"(?:[^、，,/／|：:。；;\s]{1,10}\s*[、，,/／|]\s*){1,10}$")
# A value followed by a number of people is a row of a statistical table (汉族 286,433；维吾尔族 …),
# a count published, not a field a system fills.
COUNT_AFTER = re.compile(r"[^\d、，,/|；;。]{0,4}?\s*[:：]?\s*\d[\d,，]{2,}")
# A Chinese field name is written as one: followed by a separator, a code or its values' bracket (人种 | …,
# 民族：0 汉族 …); "辖区有汉族、回族等12个民族" describes a population, and so does a share or a count of a group.
FIELD_AFTER = re.compile(r"\s*(?:[|:：=（(\[{]|\s\d)")
# A yes/no flag named by its question (是否为黄种人, 是否维族): the system answers it for each person it sees
# (real SDK documentation, stop 27).
FLAG_BEFORE = re.compile(r"是否(?:为|是|属于)?\s*$")
FLAG_WINDOW = 6  # characters before a value in which its flag's question (是否为) sits


def _flagged(t: str, start: int) -> bool:
    """Whether the value at ``start`` is named as a yes/no flag (是否为…)."""
    return FLAG_BEFORE.search(t, max(0, start - FLAG_WINDOW), start) is not None
DEMOGRAPHY = re.compile(r"等\s*[\d一二三四五六七八九十]+\s*个(?:少数)?民族|多民族|聚居|世居|人口|占[比总]?|%|％")
LIST_AFTER = re.compile(r"(?:\s*[、，,/／|]\s*[^、，,/／|：:。；;\s]{1,10}){1,10}")


@dataclass(frozen=True)
class Structure:
    """One structure in a clause's normalised text that asks for a capability."""

    label: str
    kind: str  # attribute_list | value_list | coded_field | parameter_row | sdk_value | ethnicity_function | source_list | face_attribute
    start: int
    end: int
    why: str  # what the structure is, for the finding's reason


class Structures:
    """Finder of the structures of ``context.structures``, compiled once per taxonomy."""

    def __init__(self, ctx: dict):
        s = ctx.get("structures") or {}

        def alt(key: str) -> str:
            return "|".join(s.get(key) or []) or "(?!)"

        def bounded(key: str) -> re.Pattern:
            return re.compile(f"(?<![A-Za-z])(?:{alt(key)})(?![A-Za-z])", re.I)

        self.word = bounded("ethnicity_words")
        self.value = bounded("ethnicity_values")
        self.visual = bounded("visual_attributes")
        self.record = bounded("record_fields")
        self.function = bounded("ethnicity_functions")
        self.device = bounded("device_words")
        self.coded = bounded("coded_fields")
        self.sdk = re.compile(f"(?<![A-Za-z])(?:{alt('sdk_values')})(?![a-z])")  # case matters: NATION_UYGUR
        # A parameter row: the rate beside the attribute, or in a later cell of the attribute's row
        # (民族 | 汉族、维吾尔族 | 识别准确率≥95%).
        self.rate = re.compile(f"(?:{alt('ethnicity_words')})[^。；;|]{{0,8}}(?:准确率|识别率|正确率)|"
                               f"(?:{alt('ethnicity_words')})\\s*\\|[^。；;]{{0,30}}?(?:准确率|识别率|正确率)|"
                               f"(?<![A-Za-z])(?:{alt('ethnicity_words')})(?![A-Za-z])[^.;|]{{0,24}}"
                               r"(?:accuracy|recognition rate)|(?:accuracy|recognition rate)[^.;|]{0,24}"
                               f"(?<![A-Za-z])(?:{alt('ethnicity_words')})(?![A-Za-z])", re.I)
        # A recognised group needs a verb of recognition, not any cue: a watchlist of Uyghurs is alerting.
        self.recognise = re.compile(r"识别|判断|判别|区分|甄别|检测|分辨|标注|标记|打标|分类|返回|统计|人数|单独|排查|"
                                    r"(?<![A-Za-z])(?:recogni[sz]\w*|identif(?:y|ies|ied|ication)|detect\w*|determin\w*|"
                                    r"tell\w*|distinguish\w*|label\w*|classif\w*|sort\w* [\w-]+(?: [\w-]+)? into|"
                                    r"(?:report|indicat|output|flag|see|say|know)\w* whether|look(?:s|ing)? (?:like )?|appear(?:s|ing)? (?:to be )?|"
                                    r"belong(?:s|ing)? to|(?:proportion|percentage|share) of|of whom|separat\w*|(?:show|tell|know|see|display)\w* who (?:is|are)|quer(?:y|ies|ied)|filter\w*|count(?:s|ed|ing)?|tall(?:y|ies|ied|ying)|pick\w* out|of which|tag(?:s|ged|ging)?)(?![A-Za-z])", re.I)
        names = [re.escape(x) for x in ctx.get("name_suffixes_zh") or []]
        self.name_after = re.compile(f"^(?:{'|'.join(names) or '(?!)'})")
        self.slogans = tuple(ctx.get("slogan_prefixes_zh") or [])
        # The first test of every clause, and most clauses name no ethnicity: each pattern is tried
        # only where it can start (an alternation of them all is tried at every character).
        self.any = FirstCharIndex([*(s.get("ethnicity_words") or []), *(s.get("ethnicity_values") or []),
                                   *(s.get("coded_fields") or []), *(s.get("race_values_zh") or [])], re.I)
        self.face = bounded("face_words")
        # The values a race or ethnicity field takes, listed after its name (race: yellow / white / black;
        # 人种 0 黄种人 1 白种人; ethnic_group: 0 = Han, 1 = Minority): the field classifies whom it sees.
        self.enum_value = re.compile(f"(?<![A-Za-z])(?:{alt('ethnicity_values')}|{alt('race_values')})(?![A-Za-z])", re.I)
        self.race_value = re.compile(alt("race_values_zh"))
        # A yes/no code right after an ethnicity word or value (少数民族 | 0：否 1：是; minority | bool).
        self.code = re.compile(f"^\\s*[|:：=（(]?\\s*(?:{alt('yes_no_codes')})", re.I)
        self.register = bounded("register_words")
        # An ethnicity word set equal (or unequal) to a value is a condition a system tests (民族为维吾尔族的人员…);
        # a colon is not, since 民族：汉族 is how a record displays the field.
        self.condition = re.compile(f"\\s*(?:为|是|=|＝|等于|属于|!=|≠|不为|不是)\\s*[\"'“]?(?:{alt('ethnicity_values')})(?![A-Za-z])", re.I)
        self.fusion = bounded("fusion_verbs")
        self.source = bounded("personal_sources")
        self.source_labels = {label: re.compile(f"(?<![A-Za-z])(?:{'|'.join(pats)})(?![A-Za-z])", re.I)
                              for label, pats in (ctx.get("source_labels") or {}).items()}

    def find(self, t: str) -> list[Structure]:
        """Every structure in the normalised text ``t`` (at most one per kind)."""
        out: list[Structure] = self._source_list(t)
        if not (self.any.search(t) or self.sdk.search(t)):
            return out

        def add(kind: str, m: re.Match | tuple[int, int, str], why: str) -> None:
            if not any(o.kind == kind for o in out):
                a, b, text = (m.start(), m.end(), m.group(0)) if isinstance(m, re.Match) else m
                out.append(Structure("ethnicity_recognition", kind, a, b, why.format(text)))

        for m in self.sdk.finditer(t):
            add("sdk_value", m, "an SDK value that carries ethnicity ('{}')")
        for m in self.coded.finditer(t):
            add("coded_field", m, "a coded yes/no field on ethnicity ('{}')")
        for m in self.rate.finditer(t):
            add("parameter_row", m, "an accuracy parameter for an ethnicity attribute ('{}')")
        mentions = [(m, True) for m in self.word.finditer(t)] + [(m, False) for m in self.value.finditer(t)]
        for kind, span, why in self._values(t, mentions):
            add(kind, span, why)
        for m, is_word in sorted(mentions, key=lambda x: x[0].start()):
            if not self._not_name(t, m):
                continue
            a, b = self._sentence(t, m.start())
            sentence = t[a:b]
            la, lb = self._sentence(t, m.start(), LIST_SENTENCE)
            reach = LIST_WINDOW_EN if m.group(0).isascii() else LIST_WINDOW
            lo, hi = max(la, m.start() - reach), min(lb, m.end() + reach)
            around = t[lo:m.start()] + " " + t[m.end():hi]
            visual = {v.group(0).lower() for v in self.visual.finditer(around)}
            if len(visual) >= 2 and not self.record.search(around):
                add("attribute_list", m, "an attribute list that includes an ethnicity ('{}')")
                continue
            window = WINDOW_EN if m.group(0).isascii() else WINDOW_ZH
            s0, e0 = self._list_span(t, m.start(), m.end(), a, b)
            near = t[max(a, s0 - window):m.start()] + " " + t[m.end():min(b, e0 + window)]
            verb = (self.function if is_word else self.recognise).search(near)
            if is_word and not verb:
                verb = self.condition.match(t, m.end())  # 民族为维吾尔族 / race != asian: a condition on it
            if verb and self.device.search(sentence):
                add("ethnicity_function", m, f"'{{}}' beside '{verb.group(0)}' in a clause about a device or system")
        return out

    def _values(self, t: str, mentions: list[tuple[re.Match, bool]]) -> list[tuple[str, tuple[int, int, str], str]]:
        """Fields that classify people by what values they take, in a row that is no register's:
        an ethnicity word followed in its row by two or more ethnicity or race values (race: Asian /
        White / Black), two race names of their own (黄种人、白种人), or an ethnicity word or value
        coded yes/no (少数民族 | 0：否 1：是). A form that a person fills in (下拉选择, 申请表, 姓名…)
        stores the field rather than reading it off anyone; a Chinese word counts as a field only when
        written as one (FIELD_AFTER), and a population described (DEMOGRAPHY: 等12个民族, shares) or
        counted (COUNT_AFTER) is nobody's attribute."""
        out = []
        for m, is_word in mentions:
            a, b = self._sentence(t, m.start(), LIST_SENTENCE)
            if self.register.search(t, a, b) or self.record.search(t, a, b) or not self._not_name(t, m):
                continue
            if self.code.match(t[m.end():m.end() + 12]) or (not is_word and _flagged(t, m.start())):
                out.append(("coded_field", (m.start(), m.end(), m.group(0)), "a coded yes/no field on ethnicity ('{}')"))
            if is_word and (m.group(0).isascii() or FIELD_AFTER.match(t, m.end())):
                row = t[m.end():min(b, m.end() + LIST_WINDOW_EN)]
                if DEMOGRAPHY.search(row):
                    continue
                found = list(self.enum_value.finditer(row))
                values = {v.group(0).lower() for v in found}
                counted = sum(1 for v in found if COUNT_AFTER.match(row, v.end()))
                if len(values) >= 2 and counted < 2:
                    out.append(("value_list", (m.start(), m.end(), m.group(0)),
                                f"a field '{{}}' that takes the values {', '.join(sorted(values))}"))
        races = list(self.race_value.finditer(t))
        flagged = [r for r in races if _flagged(t, r.start())]
        if flagged and not self.register.search(t, *self._sentence(t, flagged[0].start(), LIST_SENTENCE)):
            out.append(("coded_field", (flagged[0].start(), flagged[0].end(), flagged[0].group(0)),
                        "a coded yes/no field on ethnicity ('{}')"))
        if len({r.group(0) for r in races}) >= 2:
            a, b = self._sentence(t, races[0].start(), LIST_SENTENCE)
            if not self.register.search(t, a, b):
                out.append(("value_list", (races[0].start(), races[-1].end(), t[races[0].start():races[-1].end()]),
                            "a list of races ('{}')"))
        return out

    def face_read(self, t: str) -> Structure | None:
        """The face an ethnicity is read off, where the clause names one: face analysis too, since the
        face is detected to be classified (rules.py asks this where it found ethnicity recognition)."""
        face = self.face.search(t)
        if face is None:
            return None
        return Structure("face_recognition", "face_attribute", face.start(), face.end(),
                         f"ethnicity read off a face ('{face.group(0)}')")

    @staticmethod
    def _list_span(t: str, start: int, end: int, a: int, b: int) -> tuple[int, int]:
        """The bounds of the list the mention at ``start:end`` is an item of (按性别、年龄段、民族统计;
        统计维度：性别 / 年龄段 / 民族), so that a function word before or after the whole list is beside
        each item; the mention's own bounds where it stands alone."""
        before = LIST_BEFORE.search(t, max(a, start - LIST_WINDOW), start)
        after = LIST_AFTER.match(t, end, min(b, end + LIST_WINDOW))
        return (before.start() if before else start), (after.end() if after else end)

    def _sentence(self, t: str, pos: int, ends: re.Pattern = SENTENCE) -> tuple[int, int]:
        """The bounds of the sentence (or table row) around ``pos``."""
        a = max((m.end() for m in ends.finditer(t, 0, pos)), default=0)
        m = ends.search(t, pos)
        return a, (m.start() if m else len(t))

    def _source_list(self, t: str) -> list[Structure]:
        """A fusion verb followed, within its sentence, by three or more distinct datasets about a
        person (整合户籍、车辆、住宿、通讯、出行数据): a per-person profile built from many sources."""
        for v in self.fusion.finditer(t):
            _, b = self._sentence(t, v.start())
            window = SOURCES_WINDOW_EN if v.group(0).isascii() else SOURCES_WINDOW
            span = t[v.end():min(b, v.end() + window)]
            found = self._datasets(span)
            if len(found) >= MIN_SOURCES:
                return [Structure("data_fusion_profiles", "source_list", v.start(), v.end() + len(span),
                                  f"'{v.group(0)}' joins {len(found)} datasets about a person ({'、'.join(sorted(found))})")]
        return []

    def sources(self, t: str, st: Structure) -> list[tuple[str, int, int]]:
        """The data sources a joined list names (YAML ``source_labels``): (label, start, end) of the first
        dataset of each, within the structure's span of ``t``. A profile built from 户籍、车辆、住宿 draws
        on the population and vehicle registries and on hotel registration, as the list itself says."""
        if st.kind != "source_list":
            return []
        out = []
        for label, rx in self.source_labels.items():
            m = rx.search(t, st.start, st.end)
            if m:
                out.append((label, m.start(), m.end()))
        return out

    def _datasets(self, span: str) -> set[str]:
        """The distinct datasets named in ``span``; English source words with only a space or hyphen
        between them name one dataset (railway ticketing data), not two."""
        found: list[str] = []
        end = -1
        for m in self.source.finditer(span):
            word = m.group(0).lower().rstrip("s")
            if found and m.start() - end == 1 and span[end] in " -" and word.isascii() and found[-1].isascii():
                found[-1] += " " + word
            else:
                found.append(word)
            end = m.end()
        return set(found)

    def _not_name(self, t: str, m: re.Match) -> bool:
        """False for 民族 in 民族中学, 民族团结, 中华民族: a name or slogan, not an attribute."""
        if self.name_after.match(t[m.end():m.end() + 4]):
            return False
        return not any(t.endswith(p, 0, m.start()) for p in self.slogans)
