"""`analyzer export`: CSV and JSON per table, documented columns, formula cells neutralised."""

from __future__ import annotations

import csv
import json
import re

import pytest
from conftest import ROOT, run_cli

TABLES = ("documents", "clauses", "findings")
HOSTILE = """第三章 采购需求
一、功能需求
=cmd|' /C calc'!A0 系统应对涉疆人员进行实时预警。
2.+SUM(1,2) 系统应支持对重点上访人员购票信息进行实时预警推送。
"""


def documented_columns() -> dict[str, list[str]]:
    """Columns per table, in order, read from the README's export section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for table in TABLES:
        section = text.split(f"### {table}.csv", 1)[1].split("\n### ", 1)[0]
        out[table] = re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M)
    return out


@pytest.fixture(scope="module")
def exported(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    res = run_cli("export", "--db", str(sample_db), "--out", str(out))
    assert res.exit_code == 0, res.stderr
    assert sorted(res.stdout.split()) == sorted(str(out / f"{t}.{x}") for t in TABLES for x in ("csv", "json"))
    return out


@pytest.mark.parametrize("table", TABLES)
def test_csv_columns_match_documentation(exported, table):
    with open(exported / f"{table}.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    documented = documented_columns()[table]
    missing = [c for c in documented if c not in header]
    undocumented = [c for c in header if c not in documented]
    assert not missing, f"{table}.csv lost documented columns {missing}"
    assert not undocumented, f"document the new {table}.csv columns {undocumented} in the README's export section"
    assert header == documented, "columns in the order the README documents them"


def test_findings_command_and_export_give_the_same_columns(exported, sample_db):
    """`findings --format csv` and `export`'s findings.csv are one table: same fields, same order."""
    res = run_cli("findings", "--db", str(sample_db), "--format", "csv")
    assert res.exit_code == 0, res.stderr
    with open(exported / "findings.csv", encoding="utf-8", newline="") as f:
        assert res.stdout.splitlines()[0] == f.readline().rstrip("\n")


@pytest.mark.parametrize("table", TABLES)
def test_csv_round_trips_and_matches_json(exported, table):
    with open(exported / f"{table}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    data = json.loads((exported / f"{table}.json").read_text(encoding="utf-8"))
    assert len(rows) == len(data) > 0
    key = "clause_id" if table == "findings" else "id"
    first = data[0]
    row = next(r for r in rows if r[key] == first[key] and r.get("label") == first.get("label"))
    for col, value in first.items():
        if isinstance(value, str) and not value.startswith(("=", "+", "-", "@")):
            assert row[col] == value, col  # Chinese, newlines and quotes survive the CSV dialect


def test_findings_export_has_contract_fields(exported):
    data = json.loads((exported / "findings.json").read_text(encoding="utf-8"))
    assert {"document", "sha256", "page", "kind", "label", "score", "method", "text", "evidence", "bbox"} <= set(data[0])
    assert any(r["bbox"] and len(r["bbox"]) == 4 for r in data)


def test_formula_cells_are_neutralised(tmp_path):
    src = tmp_path / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    db, out = tmp_path / "h.db", tmp_path / "out"
    assert run_cli("analyze", str(src), "--db", str(db), "--quiet", "--workers", "1").exit_code == 0
    res = run_cli("export", "--db", str(db), "--out", str(out), "--bom")
    assert res.exit_code == 0, res.stderr
    raw = (out / "clauses.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    with open(out / "clauses.csv", encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@")], "a cell would run as a formula"
    assert any(c.startswith("'=cmd|") for c in cells)
    clauses = json.loads((out / "clauses.json").read_text(encoding="utf-8"))
    assert any(c["text"].startswith("=cmd|") for c in clauses)  # JSON keeps the exact text
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as f:
        findings = list(csv.DictReader(f))
    assert findings and not [r for r in findings if r["text"][:1] in ("=", "+", "@")]


def test_export_needs_existing_database(tmp_path):
    res = run_cli("export", "--db", str(tmp_path / "nope.db"), "--out", str(tmp_path / "o"))
    assert res.exit_code == 1 and "no database" in res.stderr


def test_group_findings_carry_the_systems_of_their_clause(exported):
    """The pair: a group finding lists the capability and data-source ids of its own clause."""
    data = json.loads((exported / "findings.json").read_text(encoding="utf-8"))
    systems: dict[str, set[str]] = {}
    for r in data:
        if r["kind"] != "group":
            systems.setdefault(r["clause_id"], set()).add(r["label"])
    groups = [r for r in data if r["kind"] == "group"]
    assert groups and any(r["capabilities"] for r in groups)
    for r in groups:
        assert r["capabilities"] == sorted(systems.get(r["clause_id"], ())), r["clause_id"]
    assert all(r["capabilities"] is None for r in data if r["kind"] != "group")
