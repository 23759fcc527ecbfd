"""OCDS export: every release valid, and a round trip keeps buyer, values, dates and suppliers.

No PyPI package ships the OCDS 1.1 release-package schema inside its wheel (checked: ocdskit,
ocdsmerge, libcoveocds, ocdsextensionregistry, spoonbill, ocdsnightingale, followthemoney-ocds:
they fetch it from standard.open-contracting.org at run time, which an offline test cannot). So
OCDS_CONSTRAINTS below writes out, from the 1.1 release and release-package schemas, the
constraints the standard puts on every field the export emits (required fields, types, closed
codelists, date-time and currency formats), and the test validates against those.
"""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
from conftest import run_cli

from analyzer.store import Store

DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$"
ORG_REF = {"type": "object", "properties": {"id": {"type": ["string", "integer"]}, "name": {"type": ["string", "null"]}}}
VALUE = {"type": "object", "properties": {"amount": {"type": ["number", "null"]},
                                          "currency": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$"}}}
DOCUMENT_TYPES = ["plannedProcurementNotice", "tenderNotice", "awardNotice", "contractNotice", "completionCertificate",
                  "procurementPlan", "biddingDocuments", "technicalSpecifications", "evaluationCriteria",
                  "evaluationReports", "contractDraft", "contractSigned", "contractArrangements", "contractSchedule",
                  "physicalProgressReport", "financialProgressReport", "finalAudit", "hearingNotice",
                  "marketStudies", "eligibilityCriteria", "clarifications", "shortlistedFirms",
                  "environmentalImpact", "assetAndLiabilityAssessment", "riskProvisions", "winningBid",
                  "complaints", "contractAnnexe", "contractGuarantees", "subContract", "needsAssessment",
                  "feasibilityStudy", "projectPlan", "billOfQuantity", "bidders", "conflictOfInterest",
                  "debarments", "illustration", "submissionDocuments", "contractSummary", "cancellationDetails"]
OCDS_CONSTRAINTS = {
    "type": "object", "required": ["uri", "publishedDate", "publisher", "releases", "version"],
    "properties": {
        "uri": {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*:"},
        "version": {"type": "string", "pattern": r"^(\d+\.)(\d+)$"},
        "publishedDate": {"type": "string", "pattern": DATE_TIME},
        "publisher": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "releases": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["ocid", "id", "date", "tag", "initiationType"],
            "properties": {
                "ocid": {"type": "string", "minLength": 1}, "id": {"type": "string", "minLength": 1},
                "date": {"type": "string", "pattern": DATE_TIME},
                "tag": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": [
                    "planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation",
                    "award", "awardUpdate", "awardCancellation", "contract", "contractUpdate", "contractAmendment",
                    "implementation", "implementationUpdate", "contractTermination", "compiled"]}},
                "initiationType": {"type": "string", "enum": ["tender"]},
                "language": {"type": ["string", "null"]},
                "buyer": ORG_REF,
                "parties": {"type": "array", "uniqueItems": True, "items": {
                    "type": "object", "properties": {
                        "id": {"type": "string"}, "name": {"type": ["string", "null"]},
                        "identifier": {"type": "object", "properties": {"scheme": {"type": ["string", "null"]},
                                                                        "id": {"type": ["string", "integer", "null"]},
                                                                        "legalName": {"type": ["string", "null"]}}},
                        "roles": {"type": ["array", "null"], "items": {"type": "string", "enum": [
                            "buyer", "procuringEntity", "supplier", "tenderer", "funder", "enquirer", "payer",
                            "payee", "reviewBody", "interestedParty"]}}}}},
                "tender": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": ["string", "integer"]}, "title": {"type": ["string", "null"]},
                    "value": VALUE, "procuringEntity": ORG_REF,
                    "tenderPeriod": {"type": "object", "properties": {
                        "startDate": {"type": ["string", "null"], "pattern": DATE_TIME},
                        "endDate": {"type": ["string", "null"], "pattern": DATE_TIME}}},
                    "documents": {"type": "array", "items": {
                        "type": "object", "required": ["id"], "properties": {
                            "id": {"type": ["string", "integer"]},
                            "documentType": {"type": ["string", "null"], "enum": DOCUMENT_TYPES},
                            "title": {"type": ["string", "null"]},
                            "url": {"type": ["string", "null"], "pattern": "^https?://"},
                            "datePublished": {"type": ["string", "null"], "pattern": DATE_TIME},
                            "language": {"type": ["string", "null"]}}}}}},
                "awards": {"type": "array", "items": {
                    "type": "object", "required": ["id"], "properties": {
                        "id": {"type": ["string", "integer"]}, "description": {"type": ["string", "null"]},
                        "status": {"type": ["string", "null"], "enum": ["pending", "active", "cancelled",
                                                                        "unsuccessful"]},
                        "date": {"type": ["string", "null"], "pattern": DATE_TIME}, "value": VALUE,
                        "suppliers": {"type": ["array", "null"], "items": ORG_REF}}}},
            }}},
    },
}


def _validate(package: dict) -> None:
    import jsonschema

    from analyzer.ocds import EXTENSION_DIR

    jsonschema.Draft4Validator(OCDS_CONSTRAINTS).validate(package)
    ext = json.loads((EXTENSION_DIR / "release-schema.json").read_text(encoding="utf-8"))
    finding = {**ext["definitions"]["TargetingFinding"], "definitions": ext["definitions"]}
    for rel in package["releases"]:
        for f in rel.get("targeting", []):
            jsonschema.Draft4Validator(finding).validate(f)
        for d in rel.get("tender", {}).get("documents", []):
            jsonschema.Draft4Validator(ext["definitions"]["Document"]).validate(d)
    ids = [(r["ocid"], r["id"]) for r in package["releases"]]
    assert len(ids) == len(set(ids)), "release ids are unique within an ocid"


@pytest.fixture(scope="module")
def package(sample_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ocds")
    Store(sample_db).close()
    db = shutil.copy(sample_db, tmp / "s.db")
    rows = [{"id": "r1", "fields": {"招标人": "某市公安局", "中标人": "某某智能科技有限公司", "中标价(元)": "1200000.00",
                                    "公告发布日期": "2025-03-02", "标段(包)编号": "ABC-2025-01"}}]
    with gzip.open(tmp / "t.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(rows[0], ensure_ascii=False) + "\n")
    assert run_cli("import-awards", str(tmp / "t.jsonl.gz"), "--db", str(db)).exit_code == 0
    res = run_cli("export", "--db", str(db), "--out", str(tmp / "out"), "--format", "ocds")
    assert res.exit_code == 0, res.stderr
    return db, json.loads((tmp / "out" / "release-package.json").read_text(encoding="utf-8"))


def test_every_release_is_valid(package):
    _validate(package[1])


def test_round_trip_keeps_buyer_values_dates_suppliers(package):
    from analyzer.ocds import ocds_date
    from analyzer.store import published

    db, pkg = package
    by_id = {r["id"]: r for r in pkg["releases"]}
    store = Store(db)
    docs = [d for d in store.documents() if d["status"] in ("ok", "partial")]
    assert {d["sha256"] for d in docs} <= set(by_id)
    for d in docs:
        rel = by_id[d["sha256"]]
        assert rel.get("buyer", {}).get("name") == d["buyer"] or (not d["buyer"] and "buyer" not in rel)
        if d["budget_yuan"] is not None:
            assert rel["tender"]["value"] == {"amount": round(d["budget_yuan"], 2), "currency": "CNY"}
        dates = json.loads(d["dates"]) if d["dates"] else {}
        if published(dates):
            assert rel["date"] == ocds_date(published(dates))
        if d["winner"]:
            assert d["winner"] in {s["name"] for a in rel["awards"] for s in a["suppliers"]}
        assert rel["tender"]["documents"][0]["sha256"] == d["sha256"]
    table = [r for r in pkg["releases"] if r["id"] not in {d["sha256"] for d in docs}]
    assert table[0]["buyer"]["name"] == "某市公安局"
    assert table[0]["awards"][0]["value"] == {"amount": 1200000.0, "currency": "CNY"}
    assert table[0]["awards"][0]["suppliers"][0]["name"] == "某某智能科技有限公司"
    assert table[0]["date"] == "2025-03-02T00:00:00+08:00"


def test_findings_travel_in_the_extension(package, sample_findings):
    _db, pkg = package
    got = {(f["documentId"], f["clauseId"], f["label"]) for r in pkg["releases"] for f in r.get("targeting", [])}
    want = {(f["sha256"], f["clause_id"], f["label"]) for f in sample_findings}
    assert got == want
