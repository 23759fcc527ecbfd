"""Explainable rules: taxonomy terms plus the targeting test of docs/taxonomy.md §3.

A group label needs more than a mention. A clause earns one when an identity term is
*operationalised*: used as a filter, trigger, list, model or recognised attribute. Strong
terms (涉疆人员, 三非外国人, Falun Gong) need an operational cue anywhere in the clause or its
heading; weak terms (民族, 记者, 学生) need one right next to them or an identity frame
(民族属性, 按民族筛选, an enumeration of watched person types). Context that refutes —
slogans, addresses, organisation names, service counters, epidemic wording, boilerplate
zones — removes the group. Every finding carries the matched span, a sentence saying why, and
the score and tier of the path that found it (``SCORES``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from analyzer.classify.firstchar import FirstCharIndex
from analyzer.classify.structures import Structure, Structures
from analyzer.classify.terms import overlapping
from analyzer.normalize import Normalized, has_ideograph, normalize
from analyzer.records import Finding
from analyzer.regex_cache import RegexCache
from analyzer.taxonomy import Taxonomy, load

# The vocabulary of the targeting test (cues, refuters, proxy sites, frames) lives in
# taxonomy.yaml's ``context`` section, versioned with the terms; this module holds the logic.
LATIN_WORD = re.compile(r"[A-Za-z]{3}")
# A function the clause declines: 不含车牌识别模块, 人脸识别：否, 人脸识别 不支持, "no plate recognition is
# required". Specification tables list what a device lacks as well as what it has; a declined function is
# no capability of it (a capability or data-source term only: a group named after 不含 is still named). The last
# item of a declined list may carry a modifier before the term (不含…人脸识别及车辆卡口设备) (stop 29).
NEGATED_BEFORE = re.compile(r"(?:不含|不包含|不包括|不涉及|无需|不需|不需要|不要求|不具备|不提供|不配置|不采集|未包含)"
                            r"(?:[\u4e00-\u9fffA-Za-z0-9]{1,10}[、及和与/])*[\u4e00-\u9fffA-Za-z0-9]{0,4}$|"
                            r"(?<![A-Za-z])(?:no|excluding|not including|does not include|do not include|without|does not|do not|doesn't|don't|cannot|"
                            r"can't|never)\s+$", re.I)
NEGATED_AFTER = re.compile(r"^[^。；;|，,\n]{0,8}?(?:\s*[：:|｜]\s*(?:否|不支持|无|不要求)(?![\u4e00-\u9fff])|\s*(?:不支持|不具备)(?![\u4e00-\u9fff])|\s+否(?![\u4e00-\u9fff])|"
                           r"[（(]?本期不要求|\s+(?:is |are )?not (?:required|supported|included|provided)|"
                           r"[^.;。；]{0,40}?\s(?:is|are) (?:excluded|not included|not required|not part of))", re.I)
CUE_WINDOW = 10  # characters around a weak term in which an operational cue must appear
CUE_WINDOW_EN = 30  # the same for an English term: about as many words, in longer words
RECOGNISED_WINDOW = 60  # characters around an ethnicity structure in which a group named is one of its values
# A list of capability terms (人脸、车牌、手机MAC、IMSI): the separators, what ends the list, the longest
# item between two listed terms and the longest gap between a weak term and a strong one listed with it.
LIST_SEPARATOR = re.compile(r"\s*(?:[、/和及与]|以及|(?<![A-Za-z])(?:and|or)(?![A-Za-z]))\s*")
LIST_BREAK = re.compile(r"[。；;：:,，（）()|\n]")
LIST_ITEM_MAX = 8
# Capabilities whose strong term names a thing in place (a checkpoint, a DNA bank, a face gate, a plate reader, an
# iris terminal, a credit score), found without an asking word (see _capability_findings). Tried label by label on
# the read real halves (stop 28): cameras, alerts, profiles, internet, location, travel and voice added more wrong
# findings than right ones; phones gained little (+3 right, +2 wrong) and a definition (手机特征码：一种编码方式) would
# pass; all still need an asking word.
NAMED_IN_PLACE = frozenset({"checkpoint", "dna_biometrics", "face_recognition", "iris_gait_other_biometrics", "social_credit",
                            "vehicle_plate"})
CAPTURE_LABELS = ("face_recognition", "vehicle_plate")  # captures whose camera is their own device
CAPTURE_GAP = 2  # characters between the capture term and the camera word that names its device (人脸抓拍 摄像机)
CAPTURE_BREAK = re.compile(r"[、，,;；/|]")  # a list between a capture term and a camera word: two systems
CAPTURE_VIA_ZH = re.compile(r"(?:模块|系统|终端|设备|一体机|门禁|闸机|机)?(?:采用|配备|配置|内置|搭载|集成)[^。；;，,、]{0,6}")
# A camera that a face comparison or an iris capture is done through, written before it: 通过摄像头进行人脸比对,
# 摄像头比对考生与证件照片的相似度, 摄像头捕捉虹膜图像 (read real exam, KYC and biometric-device pages, stop 30): the
# camera is the comparison's device, not a network.
CAPTURE_THROUGH_ZH = re.compile(r"(?:上的|里的)?(?:进行|完成|实时|自动|对|比对|捕捉|拍摄)[^。；;，,、]{0,6}")
# A capture module that adopts its camera, in English: "the face recognition module adopts dual cameras", "systems
# currently include video cameras" (real police pages in English and real patents, stop 26).
CAPTURE_VIA_EN = re.compile(r"\s+(?:modules?|systems?|terminals?|devices?|units?|gates?)?\s*(?:\w+ly\s+)?"
                            r"(?:adopts?|uses?|employs?|carries|carry|integrates?|includes?|(?:is|are) equipped with)\s+"
                            r"(?:an?\s+|the\s+|its\s+)?(?:[\w-]+\s+){0,2}", re.I)
# English where the camera may come first: "camera(s) to capture / that read(s) licence plates",
# "plate reads from (distributed) camera(s)".
CAPTURE_EN_AFTER = re.compile(r"s?\s+(?:that |which |to |used to |able to |capable of )?(?:(?:captures?|capturing|reads?|reading|recogni[sz](?:es?|ing)|"
                              r"detects?|detecting|snaps?|scans?|scanning)(?:\s+(?:the|all|every|each|passing|vehicle|vehicles'))?\s+)?", re.I)
CAPTURE_EN_BEFORE = re.compile(r"s?\s+(?:reads?|captures?|images?|data|recognition)?\s*(?:from|by|of)\s+(?:the\s+|its\s+|our\s+)?"
                               r"(?:[\w-]+\s+){0,2}", re.I)
# An English plate reader's camera named after the reader: "License Plate Reader Camera Services", "Number Plate
# Recognition (ANPR) system cameras" (read real English procurement documents, stop 28).
CAPTURE_EN_NAMED = re.compile(r"\s+(?:(?:readers?|reading|recognition|recogni[sz]er|capture|systems?|\([A-Z]{2,5}\))\s+){1,3}", re.I)
LIST_GAP_MAX = 24
# English terms are written as words ("plate number", "face-capture"); in SDK and JSON text the same
# words are joined (plate_number, plateNumber, plate-number, geofence for geo-fence). Where a pattern
# separates two words by a space or a hyphen, a space, underscore or hyphen, or nothing, may stand
# there (see _en_flexible).
EN_JOINER = "[ _-]?"
# An English term starts at a word boundary and ends at one or at a camelCase hump: plateNo,
# checkinTime (a lower-case letter followed by a capital). It never starts inside an identifier: a
# generic word at its end (uygurFlag, deviceAlarm) is not the term.
EN_BEFORE = r"(?<![A-Za-z])"
EN_AFTER = r"(?:(?![A-Za-z])|(?<=(?-i:[a-z]))(?=(?-i:[A-Z])))"


def _en_flexible(pattern: str) -> str:
    """An English pattern whose literal spaces and hyphens between words (outside character classes)
    also match an underscore, a hyphen, a space or nothing: "plate number" finds plate_number,
    plateNumber and plate-number; "re-identification" finds reidentification."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # a leading ] or ^] is a literal inside the class
            if pattern[i + 1:i + 2] == "^":
                out.append(pattern[i:i + 2])
                i += 2
                continue
        elif (ch == " " or (ch == "-" and i > 0 and pattern[i - 1].isalpha()
                            and pattern[i - 2:i] != "(?")):
            i += 1
            if pattern[i:i + 1] == "?":  # "face ?match": the joiner is already optional
                out.append(EN_JOINER)
                i += 1
                continue
            # before a generic word ("warn (?:[\w-]+ ){0,3}when") a joiner must be there: with none,
            # "warn" + "ings when" would read "warnings when" as two words
            generic = re.match(r"(?:\(\?:)*(?:\[|\\[wS.]|\.)", pattern[i:])
            out.append("[ _-]" if generic else EN_JOINER)
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class Hit:
    """One taxonomy term matched in a clause's normalised text."""

    label: str
    start: int  # in normalised text
    end: int
    term: str
    strong: bool


@dataclass(frozen=True)
class Score:
    """What one path of the targeting test gives a finding: its score and its tier (docs/taxonomy.md §3)."""

    score: float
    tier: str  # A explicit targeting, B capability to target or a proxy, C surveillance capability


# Every score the rules give, named by the path that gives it. The scores order the paths by how
# directly the clause aims surveillance at the group; they are not probabilities.
SCORES: dict[str, Score] = {
    # A strong group term (涉疆人员) and an operational cue in a clause marked ★ or ▲, which the
    # tender makes mandatory or important.
    "strong_with_cue_marked": Score(0.9, "A"),
    # A strong group term and an operational cue (预警, 布控, or a capability term such as 人脸识别)
    # in the same clause.
    "strong_with_cue": Score(0.88, "A"),
    # One of three or more strong watched categories listed together: a list of person types even
    # without a verb (docs/taxonomy.md §3).
    "enumeration": Score(0.8, "A"),
    # A weak term (民族) framed as a category of people (民族属性, 按民族), with an operational cue
    # in the clause or in its headings.
    "weak_with_frame": Score(0.8, "A"),
    # A strong group term with no cue of its own, under a heading about surveillance.
    "heading_cue": Score(0.75, "A"),
    # A weak term within CUE_WINDOW characters of an operational cue, in a clause without service wording.
    "weak_near_cue": Score(0.7, "B"),
    # A weak term listed beside a strong watched group, in a clause with a cue.
    "weak_listed": Score(0.7, "B"),
    # A surveillance capability sited at a place that stands for a group (清真寺, 教堂, 信访局).
    "proxy_site": Score(0.7, "B"),
    # An ethnic group named as a value of an ethnicity attribute the clause specifies (an attribute
    # list, an SDK field, a coded field: race 0 = Han, 1 = Uyghur): the system can single the group out.
    "recognised_value": Score(0.75, "B"),
    # A capability or data-source term: what is bought, whoever it is aimed at.
    "capability": Score(0.8, "C"),
    # A weak capability or data-source term (抓拍, 预警), only in a clause about people.
    "weak_capability": Score(0.6, "C"),
    # A structure that specifies the capability without naming it: an attribute list, an SDK value,
    # a coded field or a parameter row that holds an ethnicity (analyzer/classify/structures.py).
    "capability_structure": Score(0.8, "C"),
    # A watched group (重点人员, 在逃人员) in a clause that alerts on matches: the police's list of that
    # group is what the system matches against (data source police_watchlists).
    "watchlist_source": Score(0.7, "C"),
    # The wanted (在逃人员, 网上逃犯) compared or queried in the clause (比对, 查询, 比中): matching people against the
    # police's list, as the real readers label it (alerting_watchlist, with no alert word needed).
    "listed_group_matched": Score(0.7, "C"),
}


class Offer(NamedTuple):
    """The best case found so far for one group label in one clause."""

    score: float
    hit: Hit
    reason: str
    tier: str


def _offer(rule: str, hit: Hit, reason: str) -> Offer:
    return Offer(SCORES[rule].score, hit, reason, SCORES[rule].tier)


def _keep(best: dict[str, Offer], label: str, offer: Offer) -> None:
    """Keep the higher-scoring offer for a label; the first one wins a tie."""
    if label not in best or offer.score > best[label].score:
        best[label] = offer


@dataclass
class Seen:
    """One clause as the targeting test sees it: computed once in `_read`, read by every path."""

    t: str  # the normalised text
    zone: str | None
    marker: str | None
    mandatory: str  # what the clause's marker means, for the reason ("" when unmarked)
    ctx_text: str  # the normalised headings above it
    op_spans: list[tuple[int, int, str]]
    cap_hits: list[Hit]
    heading_ops: bool
    clause_ops: bool  # an operational cue or a strong capability term in the clause
    epidemic: bool
    service: list[str]
    group_hits: list[Hit]
    strong_groups: list[Hit]
    enumeration: bool
    refuted: dict[str, set[str] | None]  # refuter family -> the group labels it refutes (None: all)


@dataclass(frozen=True)
class Signals:
    """What the model path must know of a clause before it trusts the model on it (combine.Auto).

    The model reads a whole clause and has no span to quote, so its findings are held to what
    the clause itself shows: it must name people for a group, and ask for a function for a
    capability; the same refuters as the rules' apply.
    """

    candidate: bool  # worth the model's time: the clause names people (a group term or a person noun)
    names_people: bool  # a group term, or a noun for people other than the contractor's staff
    refuted: dict[str, set[str] | None]  # refuter family -> the group labels it refutes (None: all)
    asks: bool  # asks for a function: obligation verb, cue, specification, surveillance heading, table row
    names_capability: bool = False  # a capability term matched (strong or weak), found or not: the judge reads it


def _mandatory(marker: str | None, legend: dict[str, str] | None) -> str:
    """What a ★/▲ mark adds to the reason: the document's own legend when it has one."""
    if marker and legend and marker in legend:
        return f" (marked {marker}: {legend[marker].split(':')[0]}, per the document's legend)"
    return " (marked ★: mandatory)" if marker == "★" else (" (marked ▲: important)" if marker == "▲" else "")


class RulesClassifier:
    """Term matcher and targeting test over one clause at a time."""

    method = "rules"

    def __init__(self, taxonomy: Taxonomy | None = None):
        self.tax = taxonomy or load()
        ctx = self.tax.context
        self.ctx = ctx
        # Every pattern below is built from the taxonomy; compiling them is most of building the
        # rules, so the compiled code is kept between runs (regex_cache.py).
        regexes = RegexCache("rules")
        rx = regexes.compile

        def words(key: str) -> list[str]:
            return list(ctx.get(key) or [])

        def alternation(key: str) -> str:
            return "|".join(words(key)) or "(?!)"

        def bounded(pats: list[str]) -> str:
            """The patterns as one alternation, an English word starting only at a word's start: "face"
            is no person in "interface", "at cameras" no refuter in "that cameras" (stop 30)."""
            return "|".join(f"(?<![A-Za-z]){p}" if p[:1].isascii() and p[:1].isalpha() else p for p in pats) or "(?!)"

        # Phrases whose alarm word is not about people: environmental, fire and equipment alarms.
        self.non_people_alarms = rx(
            f"(?:{alternation('non_people_alarm_zh')})(?:报警|告警|预警)|"
            f"(?:{alternation('non_people_alarm_en')}) (?:alarms?|alerts?|warnings?)", re.I)
        # Places whose cameras watch a group by proxy: site term (a pattern) -> group.
        self.sites = {term: label for label, terms in (ctx.get("proxy_sites") or {}).items() for term in terms}
        self.site_re = rx("|".join(sorted(self.sites, key=len, reverse=True)) or "(?!)", re.I)
        self.site_caps = set(words("proxy_site_capabilities"))
        self.watchlist_groups = set(words("watchlist_groups"))
        self.listed_groups = set(words("listed_groups"))
        self.destination = rx(f"(?:{alternation('destination_verbs_zh')})$")
        self.place_like = rx(f"(?:{alternation('place_like_endings_zh')})$")
        self.frame_verbs = rx(alternation("frame_verbs_zh"))
        self.name_suffix = rx(f"^(?:{alternation('name_suffixes_zh')})")
        self.slogan_prefixes = tuple(words("slogan_prefixes_zh"))
        self.weak_en = {k: rx(f"(?:{v})", re.I) for k, v in (ctx.get("weak_en") or {}).items()}
        self.foreign_nationality = rx(alternation("foreign_nationality"), re.I)
        self.people_words = rx(bounded(words("people_words")), re.I)
        # The contractor's own staff (工作人员, 保洁人员) are people a clause is about without being
        # anyone a system watches: they do not make a weak capability term a surveillance one.
        self.staff_words = rx(bounded(words("staff_words")), re.I)
        # Families of clauses that name groups for other reasons (equal treatment, integrity pledges,
        # hiring, a newsroom's own work…): family -> (pattern, the group labels it refutes or None for all).
        labels_of = ctx.get("refuter_labels") or {}
        self.refuters: dict[str, tuple[re.Pattern, set[str] | None]] = {}
        for family, pats in {**(ctx.get("refuters") or {}), "policy_boilerplate": words("boilerplate_zh")}.items():
            only = set(labels_of.get(family) or ["all"]) - {"all"}
            self.refuters[family] = (rx("|".join(pats) or "(?!)", re.I), only or None)
        # The capability gate: a capability is a finding only where the clause asks for it
        # (an obligation verb, a specification, a surveillance heading or a targeted group), and a
        # weak capability term only beside a function word (系统, 采集, 比对…) in a clause about people.
        self.obligation = rx(alternation("obligation_zh") + "|(?<![A-Za-z])(?:"
                             + alternation("obligation_en") + ")(?![A-Za-z])", re.I)
        self.spec = rx(alternation("specification"), re.I)
        self.function_words = rx(bounded(words("function_words")), re.I)
        self.people_anchor = rx(alternation("people_anchor"), re.I)
        self.procurement_parties = rx(alternation("procurement_parties"), re.I)
        # Clauses whose context turns a capability's terms into something else (a conference camera,
        # a clinic's one-person health file): label -> pattern; the label gives no finding there.
        self.capability_refuters = {label: rx(bounded(pats), re.I)
                                    for label, pats in (ctx.get("capability_refuters") or {}).items() if pats}
        # Labels whose weak terms are about people only (抓拍 of a face, not of a car): label -> the
        # nouns the clause must hold instead of people_words, which also counts vehicles.
        self.capability_subjects = {label: rx(bounded(pats), re.I)
                                    for label, pats in (ctx.get("capability_subjects") or {}).items() if pats}
        self.structures = Structures(ctx)
        # term -> [(label, strong)]
        self.terms: dict[str, list[tuple[str, bool]]] = {}
        for lab in self.tax.labels.values():
            for t in lab.zh:
                self.terms.setdefault(t, []).append((lab.id, True))
            for t in lab.weak:
                self.terms.setdefault(t, []).append((lab.id, False))
        # labels whose terms are prefixes of a longer term should fire with it
        self.term_re = overlapping(self.terms)
        # For each term, every (label, strong, length) of the terms that are its prefixes, so a
        # longer match (民族属性) still fires the labels of the shorter term (民族).
        self.prefix_labels: dict[str, list[tuple[str, bool, int]]] = {}
        for t in self.terms:
            self.prefix_labels[t] = [(lab, strong, k) for k in range(1, len(t) + 1)
                                     for lab, strong in self.terms.get(t[:k], [])]
        self.zh_regex = [(lab.id, rx(p)) for lab in self.tax.labels.values() for p in lab.zh_regex]
        # Capability and data-source terms are written in SDK and JSON text too (plateNumber,
        # face_match): their patterns take joined words and a camelCase end. Group terms name people in
        # prose and keep plain word boundaries.
        en_source = {
            lab.id: (r"(?<![A-Za-z])(?:" + "|".join(f"(?:{p})" for p in lab.en) + r")(?![A-Za-z])"
                     if lab.kind == "group" else
                     EN_BEFORE + "(?:" + "|".join(f"(?:{_en_flexible(p)})" for p in lab.en) + ")" + EN_AFTER)
            for lab in self.tax.labels.values() if lab.en
        }
        self.en_regex = {k: rx(v, re.I) for k, v in en_source.items()}
        # A first pass over all patterns of each language: most clauses match none, and then
        # the per-label patterns are skipped. Each pattern is tried only where it can start.
        self.any_zh = FirstCharIndex([p.pattern for _, p in self.zh_regex], compile=rx)
        # (the looser boundaries of capability terms admit every group match too: a first pass may only
        # say yes more often than the per-label patterns, never less)
        self.any_en = FirstCharIndex([p if lab.kind == "group" else _en_flexible(p)
                                      for lab in self.tax.labels.values() for p in lab.en], re.I,
                                     before=EN_BEFORE, after=EN_AFTER, compile=rx)
        self.excludes: dict[str, set[str]] = {}
        for lab in self.tax.labels.values():
            for x in lab.exclude:
                self.excludes.setdefault(x, set()).add(lab.id)
        self.exclude_re = overlapping(self.excludes, re.I) if self.excludes else None
        self.op_zh = overlapping({t: True for t in ctx["operational_zh"]})
        self.op_en = rx(r"(?<![A-Za-z])(?:" + "|".join(ctx["operational_en"]) + r")(?![A-Za-z])", re.I)
        self.service_zh = overlapping({t: True for t in ctx["service_zh"]})
        self.service_en = rx(r"(?<![A-Za-z])(?:" + "|".join(ctx["service_en"]) + r")(?![A-Za-z])", re.I)
        self.epidemic_zh = overlapping({t: True for t in ctx["epidemic_zh"]})
        self.epidemic_en = rx(r"(?<![A-Za-z])(?:" + "|".join(ctx["epidemic_en"]) + r")(?![A-Za-z])", re.I)
        nouns = sorted(ctx["person_nouns_zh"] + ctx["attribute_zh"], key=len, reverse=True)
        # 人 alone must not be the start of 人脸/人像/人证 (faces, IDs): those are capabilities.
        self.frame_after = rx(
            "^(?:的[\u4e00-\u9fff]{0,3}?)?(?:" + "|".join(
                re.escape(n) + ("(?![脸像证工体行车])" if n == "人" else "") for n in nouns) + ")")
        regexes.save()
        self._heading_answers: dict[str, bool] = {}
        self._matched: dict[str, tuple[tuple[Hit, ...], tuple[Structure, ...]]] = {}
        self._en_each: dict[str, list[re.Pattern]] = {}  # label -> each English pattern alone (_longest_en)

    # -- matching -----------------------------------------------------------------------------

    def hits(self, n: Normalized) -> list[Hit]:
        """Every taxonomy term in the text: zh terms and their prefixes, zh and en patterns, minus
        those inside an exclusion phrase and group terms inside a longer group term."""
        text = n.text
        out: list[Hit] = []
        for m in self.term_re.finditer(text):
            term = m.group(1)
            for label, strong, length in self.prefix_labels[term]:
                out.append(Hit(label, m.start(), m.start() + length, text[m.start():m.start() + length], strong))
        for label, rx in (self.zh_regex if self.any_zh.search(text) else ()):
            for m in rx.finditer(text):
                out.append(Hit(label, m.start(), m.end(), m.group(0), True))
        if LATIN_WORD.search(text) and self.any_en.search(text):
            for label, rx in self.en_regex.items():
                weak = self.weak_en.get(label)
                for m in rx.finditer(text):
                    a, b = m.span()
                    strong = weak is None or not weak.fullmatch(m.group(0))
                    if not strong and self.tax.kind_of(label) != "group":
                        # the alternation took the first pattern that matched ("alerts"), not the
                        # longest ("alerts the duty officer"): a longer pattern here is the strong term
                        b = max(b, self._longest_en(label, text, a))
                        strong = not weak.fullmatch(text[a:b])
                    out.append(Hit(label, a, b, text[a:b], strong))
        # drop hits that sit inside an exclusion phrase of the same label
        if self.exclude_re is not None and out:
            spans = [(m.start(), m.start() + len(m.group(1)), self._excl(m.group(1)))
                     for m in self.exclude_re.finditer(text)]
            if spans:
                out = [h for h in out if not any(s <= h.start and h.end <= e and h.label in labs
                                                  for s, e, labs in spans)]
        # dedupe (label, start)
        seen: set[tuple[str, int]] = set()
        uniq = []
        # (a strong hit wins over a weak one of the same span: a zh_regex hit beside a weak term)
        for h in sorted(out, key=lambda h: (h.start, -(h.end - h.start), not h.strong)):
            if (h.label, h.start) not in seen:
                seen.add((h.label, h.start))
                uniq.append(h)
        kinds = {h.label: self.tax.kind_of(h.label) for h in uniq}
        declined = [(h.start, h.end) for h in uniq if kinds[h.label] != "group" and _negated(text, h)]
        if declined:  # a declined term takes the terms inside it along (监控 in 不含视频监控)
            uniq = [h for h in uniq if kinds[h.label] == "group"
                    or not any(a <= h.start and h.end <= b for a, b in declined)]
        # A group term inside a longer group term of another label is part of that phrase:
        # 学生 in 留学生, 外籍 in 外籍记者, 关系 in 有境外关系人员.
        groups = [h for h in uniq if kinds[h.label] == "group"]
        return [h for h in uniq if kinds[h.label] != "group" or not any(
            g is not h and g.label != h.label and g.start <= h.start and h.end <= g.end and
            (g.end - g.start) > (h.end - h.start) for g in groups)]

    def capability_refuted(self, label: str, text: str) -> bool:
        """Whether the clause's context takes ``label`` out (YAML ``capability_refuters``: a conference
        camera, a fleet's GPS), for a capability the model proposes: it is refuted where the rules' would be."""
        return self._refutes(label, normalize(text).text)

    def _refutes(self, label: str, t: str) -> bool:
        """Whether ``label``'s capability refuter matches the normalised text ``t``."""
        rx = self.capability_refuters.get(label)
        return rx is not None and bool(rx.search(t))

    def _longest_en(self, label: str, text: str, pos: int) -> int:
        """The end of the longest match of any one of ``label``'s English patterns at ``pos``."""
        pats = self._en_each.get(label)
        if pats is None:
            pats = self._en_each[label] = [re.compile(EN_BEFORE + f"(?:{_en_flexible(p)})" + EN_AFTER, re.I)
                                           for p in self.tax.labels[label].en]
        return max((m.end() for p in pats if (m := p.match(text, pos))), default=pos)

    def _excl(self, phrase: str) -> set[str]:
        if phrase in self.excludes:
            return self.excludes[phrase]
        fold = self.exclude_re.fold if self.exclude_re is not None else str.lower
        low = fold(phrase)
        return set().union(*(v for k, v in self.excludes.items() if fold(k) == low))

    # -- targeting test -----------------------------------------------------------------------

    def classify(self, text: str, *, context: list[str] | None = None, zone: str | None = None,
                 marker: str | None = None, legend: dict[str, str] | None = None,
                 spec_row: bool = False) -> list[Finding]:
        """Findings for one clause. ``context`` is its section path (headings above it); ``legend``
        is the document's marker legend (metadata ``markers``), when it has one; ``spec_row`` says
        the clause is a row of a specification table (it specifies what a device or system does)."""
        n = normalize(text)
        hits, structures = self._matches(n)
        if not hits and not structures:
            return []
        c = self._read(n.text, hits, context, zone, marker, legend)
        return self._findings(n, text, c, spec_row, structures)

    def classify_with_signals(self, text: str, *, context: list[str] | None = None, zone: str | None = None,
                              marker: str | None = None, legend: dict[str, str] | None = None,
                              spec_row: bool = False) -> tuple[list[Finding], Signals]:
        """The findings of ``classify`` and the clause's Signals for the model path, from one reading."""
        n = normalize(text)
        hits, structures = self._matches(n)
        c = self._read(n.text, hits, context, zone, marker, legend)
        findings = self._findings(n, text, c, spec_row, structures) if hits or structures else []
        names_people = bool(c.group_hits) or bool(self.people_anchor.search(self.staff_words.sub("", c.t)))
        return findings, Signals(
            candidate=names_people,  # the model adds groups only, and only where the clause names people
            names_people=names_people,
            refuted={f: only for f, (rx, only) in self.refuters.items() if rx.search(c.t)},
            asks=self._asks(c, spec_row, self._asking_cues(c)),
            names_capability=bool(c.cap_hits),
        )

    def _matches(self, n: Normalized) -> tuple[list[Hit], list[Structure]]:
        """``hits`` and the structures of a normalised text, kept per text: tenders repeat clauses
        (the same delivery or warranty sentence under every item), and both depend on the text alone."""
        got = _remember(self._matched, n.text, lambda: (tuple(self.hits(n)), tuple(self.structures.find(n.text))))
        return list(got[0]), list(got[1])

    def _findings(self, n: Normalized, text: str, c: Seen, spec_row: bool,
                  structures: list[Structure]) -> list[Finding]:
        """Group findings by the targeting test, then capability findings through the gate. A hosting site's
        notice (SITE_NOTICE) speaks for the site: it targets no one and asks for nothing."""
        if SITE_NOTICE.search(c.t):
            return []
        best: dict[str, Offer] = {}
        for h in c.group_hits:
            offer = self._group_offer(c, h)
            if offer is not None:
                _keep(best, h.label, offer)
        self._recognised_values(c, structures, best)
        self._drop_weak_beside_strong(c.t, best)
        self._proxy_sites(c, best)
        self._foreign_women(best)
        self._drop_implied_parents(best)
        findings = []
        for label, o in best.items():
            a, b = n.raw_span(o.hit.start, o.hit.end)
            findings.append(Finding("group", label, o.score, "rules", text[a:b], a, b, o.reason, o.tier))
        capabilities = self._capability_findings(n, text, c, bool(findings), spec_row, structures)
        capabilities += self._listed_group_matched(n, text, c, best, capabilities)
        return findings + capabilities + self._watchlist_source(n, text, best, capabilities)

    def _listed_group_matched(self, n: Normalized, text: str, c: Seen, best: dict[str, Offer],
                              capabilities: list[Finding]) -> list[Finding]:
        """The wanted (MATCHED_LISTS: 在逃人员, 网上逃犯, 通缉) compared or queried in the clause (比对, 比中, 查询…)
        are matched against the police's list of them: an alerting_watchlist capability though no alert word is
        written (read real mobile-police pages and news, stop 28: 查询…逃犯信息, 在逃人员…对接后台比对)."""
        if any(f.label == "alerting_watchlist" for f in capabilities) or not LIST_QUERY.search(c.t) \
                or self._refutes("alerting_watchlist", c.t):
            return []
        listed = [(label, o) for label, o in best.items() if label in MATCHED_LISTS]
        return self._quoting_group(n, text, listed, "capability", "alerting_watchlist", "listed_group_matched",
                                   "compared or queried: matched against the police list of them")

    def _watchlist_source(self, n: Normalized, text: str, best: dict[str, Offer],
                          capabilities: list[Finding]) -> list[Finding]:
        """The police's own list as a data source: a clause that alerts on persons (alerting_watchlist),
        compares (比对, 比中, against) and names a group the police keep lists of (YAML ``watchlist_groups``:
        重点人员, 在逃人员, 吸毒人员, 上访人员…) matches against that list, whether or not it says 库 or
        名单. A group the police list by that very name (YAML ``listed_groups``: key persons, fugitives, drug
        users, terror suspects) needs no comparison word: "when a controlled person buys a ticket, notify
        the officer" reads the key-person list as surely as "compare with the key-person library" (stop 22)."""
        labels = {f.label for f in capabilities}
        if "alerting_watchlist" not in labels or "police_watchlists" in labels:
            return []
        watched = [(label, o) for label, o in best.items() if label in self.watchlist_groups]
        compares = MATCHING.search(n.text) is not None
        if not compares:
            watched = [(label, o) for label, o in watched if label in self.listed_groups]
        why = "matched in a clause that alerts on hits" if compares else "named in a clause that alerts on them"
        return self._quoting_group(n, text, watched, "data_source", "police_watchlists", "watchlist_source",
                                   f"{why}: the police list of them")

    def _quoting_group(self, n: Normalized, text: str, groups: list[tuple[str, Offer]], kind: str, label: str,
                       rule_name: str, why: str) -> list[Finding]:
        """One ``label`` finding whose evidence is the earliest of ``groups`` (a watched group's own words stand
        for the list it is matched against); none when no group qualifies."""
        if not groups:
            return []
        group, o = min(groups, key=lambda x: x[1].hit.start)
        a, b = n.raw_span(o.hit.start, o.hit.end)
        rule = SCORES[rule_name]
        return [Finding(kind, label, rule.score, "rules", text[a:b], a, b,
                        f"'{o.hit.term}' ({self.tax.labels[group].name}) {why} ({self.tax.labels[label].name})",
                        rule.tier)]

    def _recognised_values(self, c: Seen, structures: list[Structure], best: dict[str, Offer]) -> None:
        """An ethnic group named inside an ethnicity-recognition structure (FaceAttribute: race 0 = Han,
        1 = Uyghur) is a group the specified system recognises, even with no cue of its own."""
        specs = [s for s in structures if s.label == "ethnicity_recognition"]
        if not specs or c.zone == "boilerplate" or c.epidemic:
            return
        names = [(m.start(), m.end()) for m in self.structures.word.finditer(c.t)]  # 民族, race: the attribute
        for h in c.group_hits:
            if h.label in best or "ethnic_minority" not in self.tax.ancestors(h.label):
                continue
            if any(a < h.end and h.start < b for a, b in names):
                continue  # the attribute's own name (民族, ethnicity), not one of its values
            spec = next((s for s in specs if s.start - RECOGNISED_WINDOW <= h.start <= s.end + RECOGNISED_WINDOW), None)
            if spec is None or self.refuting_family(c, h.label) or not self._not_name(c.t, h):
                continue
            _keep(best, h.label, _offer("recognised_value", h, f"'{h.term}' is a value of the ethnicity attribute "
                                        f"the clause specifies ({spec.why})"))

    def _read(self, t: str, hits: list[Hit], context: list[str] | None, zone: str | None,
              marker: str | None, legend: dict[str, str] | None) -> Seen:
        """Everything the paths of the test read about one clause, computed once."""
        tax = self.tax
        ctx_text = normalize(" ".join(context or [])).text
        # English patterns only where there is English: most clauses are Chinese and these
        # regexes cost more than all the Chinese matching put together.
        latin = LATIN_WORD.search(t) is not None
        op_spans = self._op_spans(t, latin)
        cap_hits = [h for h in hits if tax.kind_of(h.label) in ("capability", "data_source")]
        ds_spans = {(h.start, h.end) for h in hits if tax.kind_of(h.label) == "data_source" and h.strong}
        group_hits = [h for h in hits if tax.kind_of(h.label) == "group"
                      and (h.strong or (h.start, h.end) not in ds_spans)]
        strong_groups = [h for h in group_hits if h.strong and self._not_name(t, h)]
        return Seen(
            t=t, zone=zone, marker=marker, mandatory=_mandatory(marker, legend), ctx_text=ctx_text,
            op_spans=op_spans, cap_hits=cap_hits, heading_ops=self._heading_ops(ctx_text),
            clause_ops=bool(op_spans) or any(h.strong for h in cap_hits),
            epidemic=bool(self.epidemic_zh.search(t) or (latin and self.epidemic_en.search(t))),
            service=self._service(t, hits, latin), group_hits=group_hits, strong_groups=strong_groups,
            # An enumeration of three or more watched categories is itself a list of person types
            # (docs/taxonomy.md §3), even without a verb: 重点人员包括：涉恐人员、涉稳人员、在逃人员…
            enumeration=len({h.label for h in strong_groups}) >= 3,
            refuted={f: only for f, (rx, only) in self.refuters.items() if group_hits and rx.search(t)},
        )

    def _op_spans(self, t: str, latin: bool) -> list[tuple[int, int, str]]:
        """Operational cues (预警, 布控, alert…) as (start, end, cue), minus fire and equipment alarms."""
        op_spans = [(m.start(), m.start() + len(m.group(1)), m.group(1)) for m in self.op_zh.finditer(t)]
        if latin:
            op_spans += [(m.start(), m.end(), m.group(0)) for m in self.op_en.finditer(t)]
        noise = [(m.start(), m.end()) for m in self.non_people_alarms.finditer(t)]
        if noise:
            op_spans = [o for o in op_spans if not any(a <= o[0] and o[1] <= b for a, b in noise)]
        return op_spans

    def _heading_ops(self, ctx_text: str) -> bool:
        """Whether the headings above the clause are about surveillance (a cue or a capability term).

        Every clause of a section has the same headings, so the answer is kept per heading text."""
        if not ctx_text:
            return False
        return _remember(self._heading_answers, ctx_text, lambda: bool(
            self.op_zh.search(ctx_text) or (LATIN_WORD.search(ctx_text) and self.op_en.search(ctx_text))) or any(
            self.tax.kind_of(h.label) == "capability" for h in self.hits(normalize(ctx_text))))

    def _service(self, t: str, hits: list[Hit], latin: bool) -> list[str]:
        """Service wording (服务大厅, public services…) outside the matched terms."""
        # Service words inside a matched term (training in "education and training centre") don't count.
        inside = [(h.start, h.end) for h in hits]
        service = [m.group(1) for m in self.service_zh.finditer(t)
                   if not any(a <= m.start() < b for a, b in inside)]
        if latin:
            service += [m.group(0) for m in self.service_en.finditer(t)
                        if not any(a <= m.start() < b for a, b in inside)]
        return service

    def _group_offer(self, c: Seen, h: Hit) -> Offer | None:
        """The offer a group hit earns, or None when context refutes it or nothing operationalises it."""
        if c.zone == "boilerplate":
            return None
        if c.epidemic and not c.enumeration:
            return None  # epidemic-control context
        if self.refuting_family(c, h.label):
            return None  # equal treatment, integrity pledge, hiring, a newsroom's own work…
        if not self._not_name(c.t, h):
            return None  # part of a name or slogan
        return self._strong_offer(c, h) if h.strong else self._weak_offer(c, h)

    def _asking_cues(self, c: Seen) -> list[tuple[int, int, str]]:
        """Operational cues that ask for something: a cue inside a capability's name (识别 in
        人脸识别) names the capability, it does not ask for it; a weak term that is itself a cue
        (抓拍, 预警) still counts as one."""
        return [o for o in c.op_spans if not any(h.strong and h.start <= o[0] and o[1] <= h.end for h in c.cap_hits)]

    def _asks(self, c: Seen, spec_row: bool, cues: list[tuple[int, int, str]]) -> bool:
        """Whether the clause asks for a function: an obligation verb, an asking cue (``cues``), a
        specification value or table row, or a heading about surveillance (the capability gate's test).
        A title (项目名称：…监控接入项目, …招标公告, 关于…的批复) names the project and asks for nothing, and
        a sentence in praise of a kind of system (已成为…的重要手段), a standard cited by its number and a
        leading group set up are background."""
        if self._background(c):
            return False
        if not has_ideograph(c.t):
            # English is read as describing what it names: the gate was built for Chinese tenders, where background
            # names systems it does not buy. On English text (state media, trade press, patents, translations) it
            # held back more right findings than wrong ones (stop 26: unread real halves +9 right / +5 wrong, read
            # halves +6 / +3, our untouched passages +16 / +4; the real corpus, in Chinese, unchanged).
            return True
        return bool(spec_row or c.heading_ops or cues or self.obligation.search(c.t) or self.spec.search(c.t))

    @staticmethod
    def _background(c: Seen) -> bool:
        """A title, a sentence in praise of a kind of system, a standard cited by its number, a hosting site's
        notice: background."""
        return bool(TITLE.search(c.t) or PRAISE.search(c.t) or CITATION.search(c.t) or SITE_NOTICE.search(c.t))

    def refuting_family(self, c: Seen | Signals, label: str) -> str | None:
        """The refuter family (YAML ``refuters``) that takes ``label`` out of this clause, if any."""
        family_of = self.tax.ancestors(label)
        for family, only in c.refuted.items():
            if only is None or any(a in only for a in family_of):
                return family
        return None

    def _strong_offer(self, c: Seen, h: Hit) -> Offer | None:
        """A strong term needs an operational cue in the clause, an enumeration, or a heading about
        surveillance; service wording with no cue beside the group refutes it."""
        near = self._near_cue(c.op_spans, h)
        if c.clause_ops:
            if c.service and not near:
                return None
            cue = near[2] if near else (c.op_spans[0][2] if c.op_spans else c.cap_hits[0].term)
            return _offer("strong_with_cue_marked" if c.marker in ("★", "▲") else "strong_with_cue", h,
                          f"names the group ('{h.term}') with an operational cue ('{cue}') in the same clause"
                          + c.mandatory)
        if c.enumeration:
            return _offer("enumeration", h, f"'{h.term}' is one of several watched categories listed together")
        if c.heading_ops:
            return _offer("heading_cue", h, f"names the group ('{h.term}') under a heading about surveillance "
                          f"('{c.ctx_text[:30]}')")
        return None  # service wording, or mentioned without an operational cue

    def _weak_offer(self, c: Seen, h: Hit) -> Offer | None:
        """A weak term needs a frame (民族属性, 按民族) with a cue, a cue right beside it, or a place in a
        list of watched groups; a destination (赴新疆) is not who the people are."""
        if self.destination.search(c.t[max(0, h.start - 4):h.start]):
            return None
        near = self._near_cue(c.op_spans, h)
        frame = self._frame(c.t, h)
        enum = any(abs(s.start - h.end) <= 12 or abs(h.start - s.end) <= 12 for s in c.strong_groups
                   if s.label != h.label) and c.clause_ops
        if frame and (c.clause_ops or c.heading_ops):
            return _offer("weak_with_frame", h, f"'{h.term}' used as a category of people ('{frame}') with an "
                          "operational cue" + c.mandatory)
        if near and not any(c.service):
            return _offer("weak_near_cue", h, f"'{h.term}' next to an operational cue ('{near[2]}')" + c.mandatory)
        if enum:
            return _offer("weak_listed", h, f"'{h.term}' listed beside other watched groups")
        return None  # weak term without a targeting frame

    def _drop_weak_beside_strong(self, t: str, best: dict[str, Offer]) -> None:
        """A weak term beside a clearly targeted group is usually a place or activity (学校, 聚集,
        进京): keep it only when it is itself framed as people or listed with the group."""
        strong_found = [best[k].hit for k in best if best[k].hit.strong]
        for label in list(best):
            h = best[label].hit
            if h.strong or not strong_found or self._frame(t, h):
                continue
            if not any(_listed(t, h, s) for s in strong_found):
                del best[label]

    def _proxy_sites(self, c: Seen, best: dict[str, Offer]) -> None:
        """Proxies: a camera, probe or checkpoint sited at a mosque, church or petition office."""
        site_caps = {h.label for h in c.cap_hits} & self.site_caps
        if not site_caps or c.zone == "boilerplate" or c.epidemic:
            return
        for m in self.site_re.finditer(c.t):
            key = next((k for k in self.sites if re.fullmatch(k, m.group(0), re.I)), None)
            label = self.sites.get(key or "", None)
            if label and label not in best and not any(label in self.tax.ancestors(o) for o in best):
                _keep(best, label, _offer("proxy_site", Hit(label, m.start(), m.end(), m.group(0), False),
                                          f"surveillance sited at '{m.group(0)}' ({', '.join(sorted(site_caps))})"))

    def _foreign_women(self, best: dict[str, Offer]) -> None:
        """外籍女性 / 越南籍妇女 names foreign nationals as well as women."""
        women = best.get("women")
        if women and "foreigner" not in best and self.foreign_nationality.search(women.hit.term):
            _keep(best, "foreigner", Offer(women.score, women.hit, f"'{women.hit.term}' names foreign nationals",
                                           women.tier))

    def _drop_implied_parents(self, best: dict[str, Offer]) -> None:
        """A parent matched inside its child's phrase (reporters in foreign reporters) adds nothing."""
        for label in list(best):
            if any(label != other and label in self.tax.ancestors(other) for other in best):
                del best[label]

    def _capability_findings(self, n: Normalized, text: str, c: Seen, targeted: bool,
                             spec_row: bool, structures: list[Structure]) -> list[Finding]:
        """One finding per capability or data-source label, through one gate (docs/taxonomy.md §3):
        the clause must ask for the function (an obligation verb, an operational cue, a specification
        row or value, a heading about surveillance, or a group it targets); a weak term (档案, 住宿,
        名单) must also sit beside a function word, or share the clause with an operational cue, in a
        clause about people other than the contractor's staff and the procurement's own parties. A
        structure (an attribute list, SDK value, coded field or parameter row that holds an ethnicity;
        a fusion verb over three or more datasets about a person) is itself the specification of a
        system that outputs the attribute or the profile: it passes the gate and gives its capability.
        A capability refuter (YAML ``capability_refuters``: a conference camera, a maintenance
        contract, a clinic's health file) takes its label out of the clause whatever asks for it."""
        if structures and self.refuters["equal_treatment"][0].search(c.t):
            structures = []  # 不得因民族、种族… an equal-treatment list names attributes to ignore them
        cues = self._asking_cues(c)
        asks = bool(targeted or structures or self._asks(c, spec_row, cues))
        # A checkpoint, a DNA or fingerprint bank, a face system named in a Chinese report is a thing in place
        # (NAMED_IN_PLACE): the readers of every real set label it where no verb asks for it (公安检查站成为…防线)
        # (not in the tender's procedure: a bidder's past face-recognition project is no system in place)
        in_place = not asks and not self._background(c) and not self.procurement_parties.search(c.t) and any(
            h.strong and h.label in NAMED_IN_PLACE for h in c.cap_hits)
        if not (asks or in_place):
            return []
        tax = self.tax
        findings: list[Finding] = []
        asked = {h.label for h in c.cap_hits} | {st.label for st in structures}  # only these can be refuted
        refuted = {label for label in asked if self._refutes(label, c.t)}
        seen: set[str] = set(refuted)
        others = self.staff_words.sub("", c.t)
        parties = bool(self.procurement_parties.search(c.t))
        people = bool(c.group_hits) or (bool(self.people_words.search(others)) and not parties)
        policies = [m.span() for m in POLICY_TITLE.finditer(c.t)]

        def usable(h: Hit) -> bool:
            return not self._capture_device(c, h) and not any(a <= h.start and h.end <= b for a, b in policies)

        for h in c.cap_hits:
            if h.label in seen or not usable(h) or not (asks or (h.strong and h.label in NAMED_IN_PLACE)):
                continue  # (a policy document cited by its title, 关于加强公共安全视频监控…的若干意见, buys nothing)
            if not h.strong:
                subject = self.capability_subjects.get(h.label)
                about = people if subject is None else bool(c.group_hits) or (
                    bool(subject.search(others)) and not parties)
                if not (about and (cues or self._function_beside(c.t, h) or self._listed_with_strong(c, h))):
                    continue
                # the label's strong term later in the clause is the better evidence (汇聚公安大数据…建立一人一档
                # quotes 一人一档); which labels are found does not change
                h = next((x for x in c.cap_hits if x.label == h.label and x.strong and usable(x)), h)
            seen.add(h.label)
            kind = tax.kind_of(h.label) or "capability"
            a, b = n.raw_span(h.start, h.end)
            rule = SCORES["capability" if h.strong else "weak_capability"]
            findings.append(Finding(kind, h.label, rule.score, "rules", text[a:b], a, b,
                                    f"{'term' if h.strong else 'weak term'} '{h.term}' ({tax.labels[h.label].name})",
                                    rule.tier))
        ethnicity = "ethnicity_recognition" in seen or any(st.label == "ethnicity_recognition" for st in structures)
        if ethnicity and "ethnicity_recognition" not in refuted and "face_recognition" not in seen \
                and not self._refutes("face_recognition", c.t):
            face = self.structures.face_read(c.t)  # an ethnicity beside a face is read off it: face analysis too
            structures = [*structures, face] if face else structures
        for st in structures:
            if st.label in seen:
                continue
            seen.add(st.label)
            a, b = n.raw_span(st.start, st.end)
            rule = SCORES["capability_structure"]
            findings.append(Finding(tax.kind_of(st.label) or "capability", st.label, rule.score, "rules", text[a:b],
                                    a, b, f"{st.why} ({tax.labels[st.label].name})", rule.tier))
        for st in structures:  # the datasets a joined list names are the data sources it draws on
            for label, start, end in self.structures.sources(c.t, st):
                if label in seen or self._refutes(label, c.t):
                    continue
                seen.add(label)
                a, b = n.raw_span(start, end)
                rule = SCORES["capability_structure"]
                findings.append(Finding("data_source", label, rule.score, "rules", text[a:b], a, b,
                                        f"'{c.t[start:end]}' is one of the datasets the clause joins "
                                        f"({tax.labels[label].name})", rule.tier))
        # A clause that taps flight, train, hotel or internet-café records follows trips and stays: every
        # labelled set gives those sources travel_records too (hotel 325 of 326, trains 181 of 184, flights
        # 148 of 149, internet cafés 155 of 160), while the rules found the source without the function.
        # (a ticket ban that punishes a blacklisted debtor is social credit only: convention 8 of the brief)
        if "travel_records" not in seen and "social_credit" not in seen and not self._refutes("travel_records", c.t):
            # (a weak word for the source, 购票 or 车票, is a trip record only where the clause watches someone:
            # a rule that travellers buy tickets with their ID cards keeps no record of anyone's trips, as the
            # readers of real lodging and ticketing pages label it, stop 30)
            watched = targeted or bool(seen & {"alerting_watchlist", "predictive_policing"})
            trip = next((f for f in findings if f.kind == "data_source" and f.label in TRIP_SOURCES
                         and (watched or not f.reason.startswith("weak term"))), None)
            if trip is not None:
                findings.append(Finding("capability", "travel_records", trip.score, "rules", trip.evidence, trip.start,
                                        trip.end, f"the clause taps {tax.labels[trip.label].name.lower()}, a record of "
                                        f"trips and stays ({tax.labels['travel_records'].name})", trip.tier))
        return findings

    @staticmethod
    def _capture_device(c: Seen, h: Hit) -> bool:
        """Whether a camera word names the device of a face or plate capture written just before it
        (人脸抓拍摄像机, 卡口摄像机, plate-recognition camera): the clause buys face or plate capture, and a
        capture camera is not a surveillance network of its own (the labelling convention every blind set
        and the real police pages follow)."""
        if h.label != "video_surveillance":
            return False
        for o in c.cap_hits:
            iris = o.label == "iris_gait_other_biometrics" and "虹膜" in o.term
            if iris and o.strong and (o.end == h.start or (
                    h.end <= o.start and CAPTURE_THROUGH_ZH.fullmatch(c.t, h.end, o.start))):
                return True  # an iris camera (虹膜摄像头, 摄像头捕捉虹膜图像) images one eye: no network (stop 30)
            if o.label not in CAPTURE_LABELS:
                continue
            if o.strong and o.start < h.start and h.end == o.end:
                return True  # the camera word ends the capture's own name (人脸识别摄像机, 车牌识别摄像机) (stop 29)
            # (not across a list separator: "facial recognition, police drone patrol" lists two systems, stop 26)
            if o.start < h.start and 0 <= h.start - o.end <= CAPTURE_GAP and not CAPTURE_BREAK.search(c.t, o.end, h.start):
                return True
            # a capture module that adopts or carries its camera (人脸识别模块采用双目摄像头) (real police pages, stop 24)
            if o.end <= h.start and (CAPTURE_VIA_ZH.fullmatch(c.t, o.end, h.start) or (
                    h.term.isascii() and CAPTURE_VIA_EN.fullmatch(c.t, o.end, h.start))):
                return True
            if o.label == "face_recognition" and o.strong and h.end <= o.start and not h.term.isascii() \
                    and CAPTURE_THROUGH_ZH.fullmatch(c.t, h.end, o.start):
                return True
            # English puts a plate reader's camera first or names it after what it reads: "cameras that capture
            # licence plates", "plate reads from distributed cameras" (real vendor documents, stop 24); a face
            # "captured by street cameras" leaves the cameras a network, as the English sets label it
            if o.label == "vehicle_plate" and h.term.isascii() and o.term.isascii():
                if h.end <= o.start and CAPTURE_EN_AFTER.fullmatch(c.t, h.end, o.start):
                    return True
                if o.end <= h.start and CAPTURE_EN_BEFORE.fullmatch(c.t, o.end, h.start):
                    return True
                if o.end <= h.start and CAPTURE_EN_NAMED.fullmatch(c.t, o.end, h.start):
                    return True
        return False

    def _listed_with_strong(self, c: Seen, h: Hit) -> bool:
        """Whether a weak term is an item of a list that also holds a strong term of another capability
        (人脸、车牌、手机MAC、IMSI的关联碰撞): the list names what one system collects, so each item is a
        function of it."""
        for s in c.cap_hits:
            if not s.strong or s.label == h.label:
                continue
            gap = c.t[h.end:s.start] if h.end <= s.start else c.t[s.end:h.start]
            if len(gap) > LIST_GAP_MAX or LIST_BREAK.search(gap) or not LIST_SEPARATOR.match(gap):
                continue
            items = LIST_SEPARATOR.split(gap)
            # the gap runs from one separator to another: the two terms are items, not parts of a phrase
            if items[0] == "" and items[-1] == "" and all(len(item) <= LIST_ITEM_MAX for item in items):
                return True
        return False

    def _function_beside(self, t: str, h: Hit) -> bool:
        """A function word (系统, 采集, 比对, database…) within CUE_WINDOW characters of the term."""
        reach = CUE_WINDOW_EN if h.term.isascii() else CUE_WINDOW
        window = t[max(0, h.start - reach):h.start] + " " + t[h.end:h.end + reach]
        return bool(self.function_words.search(window))

    def _not_name(self, t: str, h: Hit) -> bool:
        """False when the term continues into a street, school, organisation or slogan."""
        if h.end < len(t) and self.name_suffix.match(t[h.end:h.end + 4]) and not self.frame_after.match(t[h.end:]):
            return False
        return not any(t.endswith(p, 0, h.start) for p in self.slogan_prefixes)

    def _frame(self, t: str, h: Hit) -> str | None:
        m = self.frame_after.match(t[h.end:h.end + 8])
        if m:
            return h.term + m.group(0)
        before = t[max(0, h.start - 4):h.start]
        if not self.place_like.search(h.term) and self.frame_verbs.search(before):
            return before + h.term
        return None

    @staticmethod
    def _near_cue(op_spans: list[tuple[int, int, str]], h: Hit) -> tuple[int, int, str] | None:
        for s in op_spans:
            if s[1] >= h.start - CUE_WINDOW and s[0] <= h.end + CUE_WINDOW:
                return s
        return None


def _negated(t: str, h: Hit) -> bool:
    """Whether the clause declines the function ``h`` names (NEGATED_BEFORE, NEGATED_AFTER)."""
    return bool(NEGATED_BEFORE.search(t[max(0, h.start - 20):h.start]) or NEGATED_AFTER.match(t[h.end:h.end + 60]))


def _listed(t: str, a: Hit, b: Hit) -> bool:
    """Whether two hits are neighbours in an enumeration (记者、上访人员 / journalists and petitioners)."""
    gap = t[a.end:b.start] if a.end <= b.start else t[b.end:a.start]
    return bool(gap) and len(gap) <= 6 and re.fullmatch(r"\s*(?:[、，,/和及与或]|and|or|以及)\s*", gap) is not None


# A clause that is only a title: a "project name:" label, or one line (no sentence stop) ending in what a
# title ends in (…项目, …工程, …招标公告, 关于…的批复). Real police pages and real notices put such lines
# before the requirements; the capability in them is named, not asked for (stop 23).
TITLE = re.compile(r"^\s*(?:[\d一二三四五六七八九十.]+\s*[、.．]?\s*)?(?:项目(?:概况|概述|基本情况)\s*)?(?:采购)?项目名称\s*[:：]"
                   r"[^。；;!！?？]{0,80}[。.]?\s*$|"
                   r"^[^。；;!！?？:：]{4,80}(?:项目|工程|招标公告|采购公告|中标公告|成交公告|公告|批复|通知)\s*[)）]?\s*$|"
                   # "项目内容：…建设项目。(详见用户需求书)" names the project too (real police pages, stop 25)
                   r"^\s*(?:[\d.]+\s*)?项目内容\s*[:：][^。；;]{2,80}(?:项目|工程)\s*[。.]?\s*(?:[(（][^()（）]{0,40}[)）][。.]?)?\s*$|"
                   # "本项目为…建设工程。" after a heading names the project (real police pages, stop 24)
                   r"^[^。；;]{0,30}?本(?:项目|工程)(?:为|是)[^。；;，,]{2,60}(?:项目|工程)[。.]?\s*$|"
                   # the same titles as English reports render them (Tender Announcement for the … Project), with a
                   # section number and heading before "Project name" (real police pages in English, stop 24)
                   r"^\s*(?:[\d.]+\s*)?(?:Project (?:overview|summary)\s*)?(?:Project name\s*:|(?:Tender|Procurement|Bid(?:ding)?|Award|"
                   r"Winning[- ]Bid)\s+(?:Announcement|Notice)\b)[^.;!?]{0,200}\.?\s*$|"
                   r"^[^.;!?:]{4,200}\b(?:Project|Announcement|Approval)\s*$|"
                   r"^\s*(?:Official )?(?:Reply|Approval) (?:of|from|by) the [^.;!?:]{4,300}\b(?:Project|Design|Plan)\s*$", re.I)
# no asking word anywhere after (应用 and 需求 are in standards' titles)
ASKS_NOTHING = r"(?![\s\S]*(?:应(?!用|急)|须|需(?!求)|支持|具备|提供|实现|采用|符合|满足|遵循|参照))"
# One sentence in praise of a kind of system (…已成为…的重要手段…发挥着不可替代的作用): the
# boilerplate real tenders open their background with; it asks for nothing (stop 25, real police pages).
# A demand anywhere in a praising clause makes it a requirement after all (praise itself 提供s and 实现s).
PRAISE_DEMANDS = r"(?![\s\S]*(?:应(?!用|急)|须|需要|支持|shall|must|should|(?:is|are) required))"
PRAISE = re.compile(r"^" + PRAISE_DEMANDS + r"[^。；;!！?？]*(?:(?:已经?成为了?|日益成为)[^。；;]{0,40}(?:重要手段|重要组成部分|重要支撑|重要保障|重要途径|重要措施)"
                    r"|发挥着?[^。；;]{0,30}(?:不可替代|不可或缺)[^。；;]{0,6}作用"
                    # …是社会治安综合治理的基础工程，也是…民心工程 (real news and buyers' notices, stop 26)
                    r"|是[^。；;]{0,30}的(?:基础工程|民心工程|重要举措|重要抓手)"
                    # …是新形势下维护…的重要手段，…具有重要意义 (read real regulations, stop 27)
                    r"|是[^。；;]{0,40}的重要(?:手段|保障|支撑|途径)[^。；;]*具有重要(?:意义|作用))[^。；;!！?？]*[。.]?\s*$|"
                    r"^" + PRAISE_DEMANDS + r"[^.;!?]*(?:ha(?:s|ve) become (?:an? |the )?(?:important|indispensable|key|essential) (?:means|component|part|tool)"
                    r"|plays? an? (?:irreplaceable|indispensable|crucial|vital|key|important|significant|pivotal) role"
                    # a technology's merits and spread, a field's trends (read real English translations, stop 27)
                    r"|ha(?:s|ve) (?:incomparable|unique|obvious|significant) advantages"
                    r"|(?:application|use) of [^.;!?]{2,60} is (?:everywhere|ubiquitous|widespread)"
                    r"|(?:are|is) the (?:main )?development trends? of"
                    # a technology said to be in wide use, as patents and papers open (real patent texts, stop 26)
                    r"|(?:is|are) (?:commonly|widely|increasingly) (?:used|employed|applied|deployed|adopted)"
                    r"|(?:is|are) used in a wide (?:variety|range) of"
                    # how papers open: a field's importance and popularity, a method in wide use, the prior art's
                    # shortcoming (read real English papers, stop 27)
                    r"|ha(?:s|ve) been (?:commonly|widely|increasingly|extensively) (?:used|employed|applied|deployed|adopted|studied)"
                    r"|(?:is|are) of (?:great|vital|important|practical|significant|crucial) (?:significance|importance|value)"
                    r"|attracts? (?:a lot of|much|wide|widespread|increasing|growing) (?:attention|researchers|interest)"
                    r"|ha(?:s|ve) (?:great|broad|huge|wide) (?:potential|prospects)"
                    r"|^(?:However, )?(?:the )?(?:traditional|conventional|existing|current|previous)\b[^.;!?]{0,80}"
                    r"\b(?:relies|rely|depends?|suffers?|cannot|can no longer|fails?|lacks?)\b)[^.;!?]*\.?\s*$|"
                    r"^" + PRAISE_DEMANDS + r"[^。；;!！?？]*(?:(?:已经?|现已|目前已|正)?(?:被)?广泛(?:地)?(?:应用|运用|使用)(?:于|在)"
                    # a technology defined, or said to have spread to every trade (人脸识别技术是一种生物识别技术,
                    # 已逐渐应用到各行各业中, 应用越来越广泛) (read real retail and traffic pages, stop 29)
                    r"|技术是一种[^。；;!！?？]{0,40}技术"
                    r"|(?:逐渐|早已|已经?|日益|越来越|不断)[^。；;!！?？]{0,12}(?:应用|扩展|渗透|普及)(?:到|于|在|至)?[^。；;!！?？]{0,12}"
                    r"(?:各行各业|方方面面|各个领域|多个领域|众多领域|商业领域|日常生活)"
                    r"|应用(?:越来越|日益|愈发|日趋)(?:广泛|普及)|应用场景随处可见"
                    # one technology weighed against others, a technology's history told (与虹膜识别…相比，人脸识别具有…优点;
                    # 远高于人脸识别; 自20世纪60年代诞生以来; 最初…后来…如今) (read real biometrics and exam pages, stop 30)
                    r"|与[^。；;!！?？]{2,60}相比[^。；;!！?？]{0,40}(?:具有|更|优势|优点|远)|(?:相比|相较于?|比起)[^。；;!！?？]{2,40}(?:具有|更|优势|远)"
                    r"|远(?:高|低|优)于[^。；;!！?？]{0,12}(?:识别|指纹|人脸|面部|虹膜)"
                    r"|自[^。；;!！?？]{0,16}(?:诞生|问世|出现)以来|(?:最初|早期)[^。；;!！?？]{0,40}(?:后来|再到|演进到|如今))"
                    r"[^。；;!！?？]*[。.]?\s*$", re.I)
# Data sources that are records of trips and stays: a clause that taps one follows travel (travel_records). An
# internet café's log-ons are a trace only where a clause follows someone through them, which its vocabulary
# says; the registration rule alone is no trip (stop 25: on real official texts 4 false, none right).
TRIP_SOURCES = ("civil_aviation", "railway_tickets", "hotel_registration")
# The title of a policy document a clause cites as background (关于加强…视频监控建设联网应用工作的若干意见):
# the capability it names is the policy's subject, not something the clause asks for (real vendor texts, stop 24).
# A deputy's proposal answered (关于…建设的建议收悉) is cited the same way (stop 25, official replies).
# (or any plan, rule or programme cited by its title in book-title marks: 《…视频监控建设联网应用工作方案》, read real
# video-network pages, stop 30)
POLICY_TITLE = re.compile(r"关于[^。；;，,、《》]{2,60}?的(?:若干|指导|实施)?(?:意见|通知|决定|办法|规定|批复|建议|提案|议案)|"
                          r"(?<=《)[^《》]{2,60}?(?:方案|意见|通知|决定|办法|规定|条例|规划|细则|纲要)(?=》)")
# A standard cited by its number (GA/T 1400.3—2017 …; GB/T 28181 … GB 50348 …), a standard's
# publication line or its drafters, and a leading group set up with its leader: they name a system or an
# organisation, and ask for nothing (stop 25, real standards and official plans).
STANDARD_CODE = r"(?<![A-Za-z])(?:GB|GA|DB\d{0,2}|JGJ|YD|SJ|GY)\s*/?\s*[TZ]?\s*\d{2,5}(?:\.\d+)*(?:\s*[-—–]\s*(?:19|20)\d{2})?"
CITATION = re.compile(r"^" + ASKS_NOTHING + r"\s*[-–—•·]?\s*(?:标准(?:名称|编号)\s*[:：]\s*)?" + STANDARD_CODE + r"[^。；;!！?？]*$|"
                      r"^" + ASKS_NOTHING + r"\s*标准(?:名称|编号)\s*[:：][^。；;!！?？]*$|"
                      r"^" + ASKS_NOTHING + r"(?:\s*[-–—•·]?\s*" + STANDARD_CODE + r"[^。；;]{2,80}?){2,}[。.]?\s*$|"
                      r"^\s*(?:本(?:标准|文件|部分)的?)?(?:主要)?(?:起草单位|起草人|归口单位|提出单位)\s*[:：]|"
                      r"^\s*(?:[\d一二三四五六七八九十]+\s*[、.．]\s*)?(?:成立|组建|调整)[^。；;]{0,40}领导小组[^。；;]*[。；;]?\s*$|"
                      r"^" + ASKS_NOTHING + r"[\s\S]*(?:任|为)(?:副)?组长|"
                      # a patent's priority claim and its definitions ("As used herein, … refers to") (stop 26)
                      r"^[^.;]*\b(?i:claims? (?:the )?(?:priority|benefit) (?:to|of|from))\b|(?i:incorporated herein by reference)|"
                      r"^\s*(?i:As used herein)\b|"
                      # a paper's keyword line names its topics (read real English papers, stop 27)
                      r"^\s*(?:(?i:Key\s?words|Index terms)\s*[:：—-]|关键词\s*[:：])|"
                      # a policy's preamble (为贯彻…，现就加强…工作提出以下意见) introduces, it asks for nothing (read real regulations, stop 27)
                      r"现就[^。；;]{2,80}(?:提出(?:以下|如下)(?:意见|要求)|通知如下)[:：]?\s*$")
# A document-sharing or patent-listing site's own notice around the text it hosts (…由会员分享,可在线阅读; 原创力文档…
# 不意味着购买了该文档的版权; 专利汇可以提供…专利检索; 龙图腾网…获悉; a news site's "follow us on Twitter" footer): the site
# speaks, nothing is asked for (read real halves, stop 28: 6 wrong, none right).
SITE_NOTICE = re.compile(r"由会员分享|可在线阅读|为本站会员|仅提供信息存储空间|原创力文档|下载文档前|专利汇可以提供|"
                         r"专利检索[,，、]\s*专利查询|获悉[:：]\s*该发明|"
                         r"(?i:follow \S+ on (?:twitter|facebook|weibo|wechat)\b[^.]{0,40}join the conversation)")
# The lists a comparison is taken to run against: the wanted. Key persons, drug users and terror suspects compared
# are as often their voiceprints, DNA or files joined (ours: 10 wrong, 1 right), not a match against the list.
MATCHED_LISTS = frozenset({"fugitive"})
# A comparison or a query of a listed group: what makes the clause match people against the police's list of them
# (not 核查/核实: checking one person's papers finds a fugitive without querying the list for him).
# (a system that shows or recognises someone as wanted has matched them too: 系统显示该驾驶员为在逃人员, stop 29)
LIST_QUERY = re.compile(r"比对|比中|碰撞|命中|匹配|查询|系统(?:显示|识别|提示|报警|预警)|"
                        r"(?<![A-Za-z])(?:match\w*|checked against|run against)(?![A-Za-z])", re.I)
# A comparison: what makes a watched group's list the thing a clause matches against (比中在逃人员).
MATCHING = re.compile(r"比对|比中|碰撞|命中|匹配|(?<![A-Za-z])(?:match\w*|against|hits?|cross-check\w*)(?![A-Za-z])", re.I)


T = TypeVar("T")
MEMO_MAX = 4096  # entries a per-text memo keeps before it starts again: a corpus has endless texts


def _remember(memo: dict[str, T], key: str, make: Callable[[], T]) -> T:
    """``memo[key]``, made once by ``make()``; the memo is emptied when full, so memory stays bounded."""
    if key in memo:
        return memo[key]
    if len(memo) >= MEMO_MAX:
        memo.clear()
    memo[key] = value = make()
    return value


@functools.lru_cache(maxsize=2)
def default() -> RulesClassifier:
    """The rules over the packaged taxonomy, built once per process (workers inherit it)."""
    return RulesClassifier()
