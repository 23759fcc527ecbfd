"""The procurement network: buyers, agencies and winners as organisations, and buyer → winner
awards with amounts and dates, each citing where it was read.

Awards come from two places: analysed award notices (the notice's document and sha256) and
structured award tables brought in by ``analyzer import-awards`` (the file and row). Names are
normalised before they become organisations, because the same company is written with and
without its legal form (有限公司 / 有限责任公司), with a bracketed note (（联合体牵头人）) or with
full-width brackets; a branch (XX有限公司宜昌分公司) stays its own organisation, pointing to its
parent. A unified social credit code, where one is printed, outranks the name.

Notices of one procurement are linked by their normalised project number, else by project
name and buyer (a correction and its tender print the same name but not always the number).
The network is rebuilt from the stored documents and rows each time: it is thousands of rows,
not hundreds of thousands, so deriving it is cheaper than keeping it in step.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_LEGAL = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|公司)$")
_BRACKET_TAIL = re.compile(r"（[^（）]*）$")
# A place at the end (XX有限公司（武汉）) is part of a registered name: a company of that name
# registered elsewhere is another company, so the place stays in the key.
_PLACE_NOTE = re.compile(r"(?!本级|盖章|公章|主办|牵头|成员)[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff]{2,8}(?:省|市|县|区|州|自治区)")
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）", "〔": "（", "〕": "）"})
_BRANCH = re.compile(r"^(.{4,}?(?:公司|集团|银行|医院|中心|大学|学院|研究院|设计院))(.{2,12}?(?:分公司|分院|分行|支行|分中心|办事处))$")
_SPLIT = re.compile(r"[、；;，,/]|\s+和\s+")
_POLICE = re.compile(r"公安|警察|警务|派出所|看守所|拘留所|戒毒所")
_POLICE_COUNTY = re.compile(r"公安县(?!公安)")  # 公安县 is a county of Jingzhou, not the police


def is_police(name: str) -> bool:
    """Whether an organisation's name is a police body (公安局, 派出所 …); 公安县's offices are not."""
    return bool(_POLICE.search(_POLICE_COUNTY.sub("", name or "")))


def norm_name(name: str) -> str:
    """The key an organisation is merged on: width, spaces, brackets and legal form folded away."""
    s = unicodedata.normalize("NFKC", name or "")
    s = re.sub(r"\s+", "", s).translate(_BRACKETS)
    s = s.replace("(", "（").replace(")", "）")
    while (m := _BRACKET_TAIL.search(s)) and m.start() > 0 and not _PLACE_NOTE.fullmatch(m.group(0)[1:-1]):
        s = s[:m.start()]  # （联合体牵头人）, （普通合伙）, （本级）, an alias （三峡气象服务中心）
    s = s.replace("（", "").replace("）", "")
    s = _LEGAL.sub("", s)
    return s


def split_branch(name: str) -> tuple[str, str | None]:
    """(name, parent name) for a branch such as XX有限公司宜昌分公司; (name, None) otherwise."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    m = _BRANCH.match(s)
    return (s, m.group(1)) if m else (s, None)


def split_winners(name: str) -> list[str]:
    """A joint bid (联合体) names several companies; each is a winner."""
    s = re.sub(r"[（(]?联合体(?:牵头人|成员|主办方|成员方)?[）)]?[:：]?", "、", name or "")
    parts = [p.strip() for p in _SPLIT.split(s) if p.strip()]
    ok = [p for p in parts if len(p) >= 4]
    return ok if len(ok) >= 2 and all(len(p) >= 6 for p in ok) else [name.strip()] if name and name.strip() else []


def entity_id(key: str) -> str:
    """A deterministic id for an organisation: its credit code when printed, else its normalised name."""
    return "org-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _id(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()[:24]


class _Entities:
    """Organisations met while building: merged by credit code, else by normalised name."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}
        self.by_norm: dict[str, str] = {}
        self.by_code: dict[str, str] = {}

    def get(self, name: str | None, role: str, credit_code: str | None = None) -> str | None:
        if not name or not name.strip():
            return None
        full, parent = split_branch(name)
        norm = norm_name(full)
        if not norm:
            return None
        code = credit_code if credit_code and CREDIT_CODE.fullmatch(credit_code) else None
        eid = self.by_code.get(code) if code else None
        eid = eid or self.by_norm.get(norm) or entity_id(norm)
        raw = re.sub(r"\s+", " ", name.strip())  # the spelling as printed: what a merge is audited on
        row = self.rows.setdefault(eid, {"id": eid, "name": raw, "norm": norm, "credit_code": None,
                                         "parent_id": None, "names": [], "roles": [],
                                         "is_police": int(is_police(full))})
        self.by_norm.setdefault(norm, eid)
        if code and not row["credit_code"]:
            row["credit_code"] = code
            self.by_code[code] = eid
        if raw not in row["names"]:
            row["names"].append(raw)
        if role not in row["roles"]:
            row["roles"].append(role)
        if parent and not row["parent_id"]:
            row["parent_id"] = self.get(parent, "parent")
        return eid

    def out(self) -> Iterator[dict]:
        for r in self.rows.values():
            yield {**r, "names": json.dumps(sorted(r["names"]), ensure_ascii=False),
                   "roles": json.dumps(sorted(r["roles"]))}


def build(store) -> dict:
    """Rebuild organisations, awards and procurement links from stored documents and award rows."""
    ents = _Entities()
    awards: list[dict] = []
    links: dict[str, tuple[str, str]] = {}
    docs = list(store.network_documents())
    by_number: dict[str, str] = {}
    numbers = {d["project_number_norm"] for d in docs if d["project_number_norm"]}
    for d in docs:  # procurements: project number first, else name + buyer, else the document alone
        num = d["project_number_norm"]
        if num:  # a lot's notice (…-202501-01) joins the tender that prints the project's number (…-202501)
            key = proj if (proj := _lot_project(num)) in numbers else num
            pid = by_number.setdefault(key, "proc-" + _id("n", key)[:16])
            by_number.setdefault(num, pid)
            links[d["id"]] = (pid, "project_number")
    by_name: dict[tuple, str] = {}
    for d in docs:
        key = (norm_name(d["project_name"] or ""), norm_name(d["buyer"] or ""))
        if d["id"] in links:
            if all(key):
                by_name.setdefault(key, links[d["id"]][0])
            continue
    for d in docs:
        if d["id"] in links:
            continue
        key = (norm_name(d["project_name"] or ""), norm_name(d["buyer"] or ""))
        if all(key):
            pid = by_name.setdefault(key, "proc-" + _id("p", *key)[:16])
            links[d["id"]] = (pid, "name_buyer")
        else:
            links[d["id"]] = ("proc-" + d["id"][:16], "self")
    for d in docs:
        buyer = ents.get(d["buyer"], "buyer")
        agency = ents.get(d["agency"], "agency")
        if not d["winner"]:
            continue
        dates = json.loads(d["dates"]) if d["dates"] else {}
        winners = split_winners(d["winner"])
        for w in winners:
            wid = ents.get(w, "winner", d["winner_credit_code"] if len(winners) == 1 else None)
            awards.append({
                "id": _id("notice", d["id"], w), "source": "notice", "document_id": d["id"], "sha256": d["sha256"],
                "row_ref": None, "buyer_id": buyer, "agency_id": agency, "winner_id": wid,
                "amount_yuan": d["award_yuan"] if len(winners) == 1 else None, "rate": d["award_rate"],
                "date": dates.get("award") or dates.get("published"), "lot": None,
                "project_number": d["project_number"], "procurement_id": links[d["id"]][0]})
    # A table row for an award already read from its notice is the same award: it adds its
    # citation (and an amount the notice lacked) to that award instead of counting twice.
    by_award = {(a["procurement_id"], a["winner_id"]): a for a in awards}
    for r in store.award_rows():
        buyer = ents.get(r["buyer"], "buyer")
        agency = ents.get(r["agency"], "agency")
        winners = split_winners(r["winner"])
        lot = _norm_number(r["lot_number"])
        pid = (by_number.get(lot) or by_number.get(_lot_project(lot))
               or "proc-" + _id("n", _lot_project(lot) or r["id"])[:16])
        for w in winners:
            wid = ents.get(w, "winner")
            amount = r["amount_yuan"] if len(winners) == 1 else None
            if (seen := by_award.get((pid, wid))) and seen["source"] == "notice":
                seen["row_ref"] = seen["row_ref"] or f"{r['source']}#{r['row']}"
                if seen["amount_yuan"] is None:
                    seen["amount_yuan"] = amount
                continue
            awards.append({
                "id": _id("row", r["id"], w), "source": "table", "document_id": None, "sha256": None,
                "row_ref": f"{r['source']}#{r['row']}", "buyer_id": buyer, "agency_id": agency,
                "winner_id": wid, "amount_yuan": amount,
                "rate": None if r["amount_yuan"] is not None else r["amount_text"], "date": r["date"],
                "lot": r["lot_number"], "project_number": r["lot_number"], "procurement_id": pid})
    store.network_write(list(ents.out()), awards,
                        [{"document_id": k, "procurement_id": p, "link": how} for k, (p, how) in links.items()])
    return {"entities": len(ents.rows), "awards": len(awards), "procurements": len({p for p, _ in links.values()})}


def _norm_number(num: str | None) -> str | None:
    """A project or lot number as documents' ``project_number_norm`` holds it (NFKC, upper case, no spaces)."""
    if not num:
        return None
    from analyzer.metadata.parsers import normalize_project_number

    return normalize_project_number(num) or None


def _lot_project(lot: str | None) -> str | None:
    """The project part of a lot number (YCA010028-202501-01 → YCA010028-202501), for linking lots."""
    if not lot:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", lot)).upper()
    return re.sub(r"-\d{1,3}$", "", s)


def import_awards(store, path: Path) -> int:
    """Import a structured award table (JSONL, gzipped or not: ``{"id", "fields": {招标人, 中标人, …}}``
    or the same keys at the top level); each row is cited as ``FILE#ROW``. Re-importing replaces."""
    from analyzer.ingest.notice import iter_records
    from analyzer.metadata.parsers import parse_amount

    rows = []
    for pos, rec in iter_records(Path(path)):
        f = rec.get("fields") if isinstance(rec.get("fields"), dict) else rec
        price = f.get("中标价(元)") or f.get("中标金额") or f.get("amount")
        amount = None
        if price not in (None, ""):
            try:
                amount = float(str(price).replace(",", ""))
            except ValueError:
                amount = parse_amount(str(price))
        rate = f.get("中标价(%)")
        rows.append({
            "id": _id(Path(path).name, pos), "source": Path(path).name, "row": pos,
            "record_id": str(rec.get("id") or ""), "buyer": f.get("招标人") or f.get("采购人") or f.get("buyer"),
            "agency": f.get("招标机构") or f.get("代理机构") or f.get("agency"),
            "winner": f.get("中标人") or f.get("成交供应商") or f.get("winner"), "amount_yuan": amount,
            "amount_text": str(price if price not in (None, "") else (f"{rate}%" if rate else "")) or None,
            "date": f.get("公告发布日期") or rec.get("published") or f.get("date"),
            "lot_number": f.get("标段(包)编号"), "lot_name": f.get("标段(包)名称"),
            "region": rec.get("region") or f.get("建设地点"),
        })
    store.award_rows_write(Path(path).name, rows)
    return len(rows)


def network(store) -> dict:
    """Nodes (organisations) and edges (buyer → winner, summed per pair, each award citing its source)."""
    build(store)
    nodes = list(store.entities())
    edges: dict[tuple, dict] = {}
    for a in store.awards():
        if not a["buyer_id"] or not a["winner_id"]:
            continue
        e = edges.setdefault((a["buyer_id"], a["winner_id"]), {
            "buyer_id": a["buyer_id"], "winner_id": a["winner_id"], "buyer": a["buyer"], "winner": a["winner"],
            "awards": 0, "amount_yuan": 0.0, "first": None, "last": None, "sources": []})
        e["awards"] += 1
        e["amount_yuan"] += a["amount_yuan"] or 0.0
        if a["date"]:
            e["first"] = min(filter(None, [e["first"], a["date"]]))
            e["last"] = max(filter(None, [e["last"], a["date"]]))
        e["sources"].append({k: a[k] for k in ("source", "document", "sha256", "row_ref", "amount_yuan", "date",
                                               "lot", "project_number")})
    out = sorted(edges.values(), key=lambda e: (-e["amount_yuan"], e["buyer"] or "", e["winner"] or ""))
    for e in out:
        e["amount_yuan"] = round(e["amount_yuan"], 2)
    return {"nodes": nodes, "edges": out}


def edge_rows(net: dict) -> Iterator[dict]:
    """One CSV row per award (an edge's citations flattened)."""
    for e in net["edges"]:
        for s in e["sources"]:
            yield {"buyer": e["buyer"], "winner": e["winner"], "amount_yuan": s["amount_yuan"], "date": s["date"],
                   "source": s["source"], "document": s["document"], "sha256": s["sha256"], "row_ref": s["row_ref"],
                   "lot": s["lot"], "project_number": s["project_number"], "buyer_id": e["buyer_id"],
                   "winner_id": e["winner_id"]}


EDGE_COLUMNS = ["buyer", "winner", "amount_yuan", "date", "source", "document", "sha256", "row_ref", "lot",
                "project_number", "buyer_id", "winner_id"]


def write_graphml(net: dict, out) -> None:
    """GraphML (networkx): organisations as nodes, buyer → winner edges with totals and first/last dates."""
    import networkx as nx

    g = nx.DiGraph()
    for n in net["nodes"]:
        g.add_node(n["id"], name=n["name"], norm=n["norm"], credit_code=n["credit_code"] or "",
                   roles=n["roles"], is_police=int(n["is_police"] or 0))
    for e in net["edges"]:
        g.add_edge(e["buyer_id"], e["winner_id"], awards=e["awards"], amount_yuan=e["amount_yuan"],
                   first=e["first"] or "", last=e["last"] or "",
                   sources=json.dumps([s["sha256"] or s["row_ref"] for s in e["sources"]]))
    import io

    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8")
    out.write(buf.getvalue().decode("utf-8"))


def police_vendors(store, limit: int = 20) -> list[dict]:
    """The vendors police buyers paid most (the report's section), richest first.

    Each winner of an award from a police buyer (``is_police``) carries the number of awards, the
    summed amount (awards priced as a rate, and joint bids whose price is not split among members,
    count but add nothing: ``unpriced``), first and last dates, every award's citation (notice
    sha256 and/or import ``FILE#ROW``) and the clauses flagged in the documents of those
    procurements (the tender that asked, where it was analysed and linked by project number/name).
    """
    build(store)
    police = {e["id"] for e in store.entities() if e["is_police"] and "buyer" in json.loads(e["roles"] or "[]")}
    if not police:
        return []
    rows: dict[str, dict] = {}
    for a in store.awards():
        if a["buyer_id"] not in police or not a["winner_id"]:
            continue
        r = rows.setdefault(a["winner_id"], {"winner_id": a["winner_id"], "winner": a["winner"], "awards": 0,
                                             "amount_yuan": 0.0, "unpriced": 0, "first": None, "last": None,
                                             "buyers": set(), "procurements": set(), "citations": []})
        r["awards"] += 1
        r["amount_yuan"] += a["amount_yuan"] or 0.0
        r["unpriced"] += a["amount_yuan"] is None
        if a["date"]:
            r["first"] = min(filter(None, [r["first"], a["date"]]))
            r["last"] = max(filter(None, [r["last"], a["date"]]))
        r["buyers"].add(a["buyer"])
        r["procurements"].add(a["procurement_id"])
        r["citations"].append({k: a[k] for k in ("source", "document", "sha256", "row_ref", "amount_yuan", "date",
                                                 "project_number")})
    top = sorted(rows.values(), key=lambda r: (-r["amount_yuan"], -r["awards"], r["winner"] or ""))[:limit]
    flagged: dict[str, list[dict]] = defaultdict(list)
    for f in store.procurement_flagged_clauses(sorted({p for r in top for p in r["procurements"]})):
        flagged[f["procurement_id"]].append(f)
    for r in top:
        r["amount_yuan"] = round(r["amount_yuan"], 2)
        r["buyers"] = sorted(filter(None, r["buyers"]))
        seen: dict[str, dict] = {}
        for pid in sorted(r.pop("procurements")):
            for f in flagged.get(pid, []):
                seen.setdefault(f["clause_id"], {**f, "labels": sorted((f["labels"] or "").split(","))})
        r["flagged"] = list(seen.values())
    return top
