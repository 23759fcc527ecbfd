"""OCDS 1.1 export: one release package of everything analysed, for procurement researchers'
usual tools (ocdskit, Kingfisher, the Data Review Tool).

A procurement is one ``ocid`` (its normalised project number, else project name + buyer, else the
document: the links of the network build); each analysed notice is one release of it, tagged by
its notice type, with the buyer and agency as parties, the tender's budget and dates, the awards
and suppliers of award notices, and the document itself with its sha256. Imported award table
rows become award releases citing their row. What the analysis found (targeting findings with
their clause, page and evidence) travels in the ``targeting`` extension, documented in
``analyzer/ocds_extension/`` (extension.json + release-schema.json) and written beside the package.

The OCID prefix ``ocds-anlyzr`` is not a registered publisher prefix: data analysed by a third
party is not the buyer's own publication, and says so in ``publisher``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

OCID_PREFIX = "ocds-anlyzr-"
EXTENSION_DIR = Path(__file__).parent / "ocds_extension"
# notice_type (analyzer/metadata/kinds.py) -> the OCDS release tag
TAGS = {"award": "award", "correction": "tenderAmendment", "failed": "tenderCancellation",
        "contract": "contract", "intention": "planning", "acceptance": "implementation"}
DOCUMENT_TYPES = {"award": "awardNotice", "contract": "contractNotice", "correction": "tenderNotice",
                  "intention": "procurementPlan"}
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2}))?")


def ocds_date(value: str | None) -> str | None:
    """A stored date (YYYY-MM-DD[THH:MM], China time) as an OCDS date-time with offset."""
    m = _DATE.match(value or "")
    if not m:
        return None
    y, mo, d, hh, mm = m.groups()
    return f"{y}-{mo}-{d or '01'}T{hh or '00'}:{mm or '00'}:00+08:00"


def _party(eid: str, name: str, role: str, parties: dict, code: str | None = None) -> dict:
    p = parties.setdefault(eid, {"id": eid, "name": name, "roles": []})
    if code and "identifier" not in p:
        p["identifier"] = {"scheme": "CN-USCC", "id": code, "legalName": name}
    if role not in p["roles"]:
        p["roles"].append(role)
    return {"id": eid, "name": p["name"]}


def _value(amount: float | None) -> dict | None:
    return {"amount": round(float(amount), 2), "currency": "CNY"} if amount is not None else None


def releases(store) -> list[dict]:
    """Every document and imported award row as OCDS releases (network links built first)."""
    from analyzer.corpus import network
    from analyzer.store import published

    network.build(store)
    links = store.procurement_links()
    ents = {e["id"]: e for e in store.entities()}
    by_doc: dict[str, list[dict]] = {}
    table_awards = []
    for a in store.awards():
        if a["document_id"]:
            by_doc.setdefault(a["document_id"], []).append(a)
        else:
            table_awards.append(a)
    findings: dict[str, list[dict]] = {}
    for f in store.findings():
        findings.setdefault(f["sha256"], []).append(f)
    out = []
    for d in store.network_documents():
        dates = json.loads(d["dates"]) if d["dates"] else {}
        parties: dict[str, dict] = {}
        pid = links.get(d["id"], "proc-" + d["id"][:16])
        rel: dict = {"ocid": OCID_PREFIX + pid.removeprefix("proc-"), "id": d["sha256"],
                     "date": ocds_date(published(dates)) or ocds_date(_today()),
                     "tag": [TAGS.get(d["notice_type"] or "", "tender")], "initiationType": "tender",
                     "language": "zh"}
        if d["buyer"]:
            rel["buyer"] = _party(network.entity_id(network.norm_name(network.split_branch(d["buyer"])[0])),
                                  d["buyer"], "buyer", parties)
        tender: dict = {"id": d["project_number"] or pid}
        if d["project_name"]:
            tender["title"] = d["project_name"]
        full = store.known(d["id"]) or {}
        if (v := _value(full.get("budget_yuan"))) is not None:
            tender["value"] = v
        if d["agency"]:
            ag = network.entity_id(network.norm_name(network.split_branch(d["agency"])[0]))
            tender["procuringEntity"] = _party(ag, d["agency"], "procuringEntity", parties)
        if deadline := ocds_date(dates.get("deadline")):
            tender["tenderPeriod"] = {"endDate": deadline}
        tender["documents"] = [{"id": d["sha256"], "documentType": DOCUMENT_TYPES.get(d["notice_type"] or "",
                                                                                     "tenderNotice"),
                                "title": d["name"], "language": "zh",
                                **({"datePublished": ocds_date(dates["published"])} if dates.get("published") else {}),
                                **({"url": full["source_url"]} if _is_url(full.get("source_url")) else {}),
                                "sha256": d["sha256"]}]
        rel["tender"] = tender
        awards = []
        for a in by_doc.get(d["id"], []):
            w = ents.get(a["winner_id"])
            if not w:
                continue
            aw = {"id": a["id"], "status": "active",
                  "suppliers": [_party(w["id"], w["name"], "supplier", parties, w["credit_code"])]}
            if (v := _value(a["amount_yuan"])) is not None:
                aw["value"] = v
            if ad := ocds_date(a["date"]):
                aw["date"] = ad
            awards.append(aw)
        if awards:
            rel["awards"] = awards
        if fs := findings.get(d["sha256"]):
            rel["targeting"] = [{"kind": f["kind"], "label": f["label"], "score": f["score"], "tier": f["tier"],
                                 "method": f["method"], "page": f["page"], "clauseId": f["clause_id"],
                                 "text": f["text"], "evidence": f["evidence"], "reason": f["reason"],
                                 "gloss": f["gloss"], "documentId": d["sha256"]} for f in fs]
        rel["parties"] = list(parties.values())
        out.append(rel)
    for a in table_awards:
        parties = {}
        w = ents.get(a["winner_id"])
        rel = {"ocid": OCID_PREFIX + a["procurement_id"].removeprefix("proc-"), "id": a["id"],
               "date": ocds_date(a["date"]) or ocds_date(_today()), "tag": ["award"], "initiationType": "tender",
               "language": "zh", "tender": {"id": a["lot"] or a["procurement_id"]}}
        if a["buyer_id"] and a["buyer"]:
            rel["buyer"] = _party(a["buyer_id"], a["buyer"], "buyer", parties)
        if a["agency_id"] and a["agency"]:
            rel["tender"]["procuringEntity"] = _party(a["agency_id"], a["agency"], "procuringEntity", parties)
        aw = {"id": a["id"], "status": "active", "description": f"Imported award table row {a['row_ref']}"}
        if w:
            aw["suppliers"] = [_party(w["id"], w["name"], "supplier", parties, w["credit_code"])]
        if (v := _value(a["amount_yuan"])) is not None:
            aw["value"] = v
        if ad := ocds_date(a["date"]):
            aw["date"] = ad
        rel["awards"] = [aw]
        rel["parties"] = list(parties.values())
        out.append(rel)
    return out


def _is_url(s: str | None) -> bool:
    return bool(s) and bool(re.match(r"^https?://[^\s]+$", s))


def _today() -> str:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M")


def write_package(store, out_dir: Path) -> list[Path]:
    """Write ``release-package.json`` and the targeting extension into ``out_dir``."""
    from analyzer import __version__

    out_dir.mkdir(parents=True, exist_ok=True)
    rels = releases(store)
    body = json.dumps(rels, ensure_ascii=False, sort_keys=True).encode()
    package = {
        "uri": "urn:analyzer:package:" + hashlib.sha256(body).hexdigest()[:32],
        "version": "1.1", "publishedDate": ocds_date(_today()),
        "publisher": {"name": f"analyzer {__version__} (third-party analysis of published notices)"},
        "releases": rels,
    }
    path = out_dir / "release-package.json"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
    written = [path]
    ext = out_dir / "ocds_extension"
    ext.mkdir(exist_ok=True)
    for name in ("extension.json", "release-schema.json"):
        (ext / name).write_text((EXTENSION_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(ext / name)
    return written
