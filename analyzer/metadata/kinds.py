"""Notice type: from the title lines, corrected by what the body declares (采购方式, 竞争性磋商 …)."""

from __future__ import annotations

import re

from analyzer.metadata.scan import _Scanner

# --------------------------------------------------------------------------- notice type

_TYPE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("correction", re.compile(r"(?:更正|变更|澄清|补充|延期|修改(?!造))[^公]{0,6}(?:公告|公示|通知)$")),  # not 装修改造
    ("failed", re.compile(r"(?:废标|流标|终止|失败|中止|取消)[^公]{0,4}(?:公告|公示)$")),
    ("acceptance", re.compile(r"验收[^公]{0,6}(?:公告|公示)$")),
    ("contract", re.compile(r"合同[^公]{0,4}(?:公告|公示)$")),
    ("award", re.compile(r"(?:中标|成交)[^公]{0,10}(?:公告|公示)$|结果(?:公告|公示)$")),
    ("intention", re.compile(r"采购意向")),
    ("consultation", re.compile(r"征求意见|需求公示|意见征集|需求征求")),
    ("prequalification", re.compile(r"资格预审(?:公告|文件)$")),
    ("single_source", re.compile(r"(?:单一来源|单源|单一论证)[^公]{0,8}(?:公示|公告|文件)$")),
    ("consultation_competitive", re.compile(r"磋商(?:公告|文件|邀请函?|邀请书)$")),
    ("negotiation", re.compile(r"谈判(?:公告|文件|邀请函?|邀请书)$")),
    ("rfq", re.compile(r"(?:询价|询比)(?:公告|文件|通知书?|单|采购公告|采购文件|响应文件)$")),
    ("tender", re.compile(r"(?:招标公告|招标文件|投标邀请书?|投标邀请函|招标邀请书?)$")),
    ("tender", re.compile(r"方案征集\s*(?:征集)?公告$")),  # a design competition (意见征集 is consultation, above)
    # A generic procurement notice: the method comes from the body (_body_method), tender by default.
    ("procurement", re.compile(r"采购(?:公告|文件)$")),
]
# How the body declares its method ("采购方式：竞争性磋商", "进行竞争性磋商", "竞争性谈判文件"); the
# body wins over a generic or wrong title, as a person reading the notice decides.
_BODY_METHODS = [
    ("consultation_competitive", re.compile(r"竞争性磋商")),
    ("negotiation", re.compile(r"竞争性谈判")),
    ("rfq", re.compile(r"询比|询价采购|采购方式:询价|(?:公开|进行|组织)询价")),  # "现对该项目进行公开询价"
    ("tender", re.compile(r"公开招标|邀请招标|招标公告")),
]
_INVITATION = re.compile(r"欢迎[^。\n]{0,30}(?:参加|前来投标|投标|报价)|邀请[^。\n]{0,40}参加|获取(?:招标|采购|磋商|谈判|询价)?文件"
                         r"|(?:招标|采购)文件的?(?:获取|领取)|有意参加(?:投标|报价)")
_SHORT_TITLE = re.compile(r"^(?:公开|邀请)?(?:招标|竞争性磋商|磋商|竞争性谈判|谈判|询价|询比|采购)(?:采购)?文件$")
_TEMPLATE_TITLE = re.compile(r"示范文本|范本|标准[^\n]{0,8}(?:招标|采购|设计|施工)?文件|标准文件|(?:招标|采购)文件模板")
_METHOD_TYPES = [("单一来源", "single_source"), ("竞争性磋商", "consultation_competitive"),
                 ("竞争性谈判", "negotiation"), ("询价", "rfq"), ("招标", "tender")]
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十\d]+(?:章|部分|篇|册)\s*(.*)$")


def _title_type(line: str) -> str | None:
    t = re.sub(r"\s+", "", line)
    t = re.sub(r"[.…·]{3,}\d*$", "", t)
    for _ in range(2):
        t = re.sub(r"\([^()]*\)$|【[^】]*】$", "", t)
    if not t or len(t) > 80:
        return None
    for name, pat in _TYPE_PATTERNS:
        if pat.search(t):
            return name
    return None


def _is_template(sc: _Scanner, top: list[int]) -> bool:
    """A model text: its cover names itself 标准…文件 / 示范文本 / 范本 and it explains its own use (使用说明)."""
    cover = "".join(re.sub(r"\s+", "", sc.norm[s:e]) for s, e in (sc.lines[i] for i in top))
    return bool(_TEMPLATE_TITLE.search(cover)) and "使用说明" in re.sub(r"\s+", "", sc.norm[:6000])


def _body_method(text: str) -> str | None:
    """The procurement method the opening of the body declares, by the order of _BODY_METHODS."""
    for name, pat in _BODY_METHODS:
        if pat.search(text):
            return name
    return None


def _resolve_type(title_type: str | None, sc: _Scanner) -> str | None:
    """Title type corrected by the body: a generic 采购公告 takes the body's method; a tender-like
    title over a body declaring 竞争性磋商/谈判 takes the body's; an "award" title over a body that
    still invites suppliers and names no winner is that invitation (a mis-titled page)."""
    head = sc.norm[:4000]
    method = _body_method(head)
    if title_type == "procurement":
        return method or "tender"
    if title_type is None and method and _INVITATION.search(head):
        return method  # a title naming only the project, over a body that invites bids by a method
    if title_type in ("tender", "rfq") and method in ("consultation_competitive", "negotiation"):
        return method
    if title_type == "award" and _INVITATION.search(head) and method \
            and not any(f == "winner" for p in sc.pairs for f, _ in p.fields):
        return method
    return title_type


def _notice_type(sc: _Scanner, top: list[int]) -> tuple[str | None, int | None]:
    """Type from the title lines, then the chapter structure of a 招标文件; also the title line index."""
    for li in top:
        s, e = sc.lines[li]
        line = sc.norm[s:e]
        if ":" in line and not line.strip().startswith(("标题", "公告标题")):
            continue
        if re.search(r"[>»›]|当前位置|首页", line):
            continue  # breadcrumbs name a listing, not this notice
        line = re.split(r"\s+[-_|–—]\s+", line)[0]  # "Title - 上海市政府采购网": drop the site name
        if len(line.strip()) < 8 and not _SHORT_TITLE.match(re.sub(r"\s+", "", line)):
            continue  # a bare menu item such as 中标公告 names a listing, not this notice
        kind = _title_type(line.split(":", 1)[-1])
        if kind is None and li + 1 < len(sc.lines):  # "…公开招标公" / "告": a title wrapped by OCR or layout
            tail = sc.norm[slice(*sc.lines[li + 1])].strip()
            kind = _title_type(line.split(":", 1)[-1] + tail) if 0 < len(tail) <= 4 else None
        if kind:
            return kind, li
    chapters = " ".join(m.group(1) for s, e in sc.lines if (m := _CHAPTER.match(sc.norm[s:e])))
    if "磋商须知" in chapters:
        return "consultation_competitive", None
    if "谈判须知" in chapters:
        return "negotiation", None
    if "询价须知" in chapters:
        return "rfq", None
    parts = ("投标人须知", "评标办法|评审办法|评分", "采购需求|技术要求|用户需求|项目需求", "合同", "投标文件格式")
    if sum(1 for p in parts if re.search(p, chapters)) >= 2:
        return "tender", None
    if any(f == "winner" and t == 0 for p in sc.pairs for f, t in p.fields):
        return "award", None
    return None, None
