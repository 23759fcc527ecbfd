"""Field accuracy of the metadata extractor against labelled documents and notice records.

A label line names what to read and the values a person (or a crawler) read off it:

* ``{"file": "x.pdf", "sha256": …, "buyer": …, "budget_yuan": …, "alternatives": {…}}``, the
  shape of the real-document corpus' ``labels.jsonl`` (files beside the labels file or under
  ``docs``);
* ``{"record": {"path": "notices/ningbo.jsonl.gz", "position": 12, "id": …}, …}``, a notice
  record in a crawler's JSON-lines file (path under ``docs``), read with its title and date;
* a crawler's award file (``fields`` with 招标人 / 招标机构 / 中标人 / 中标价(元)), turned
  into labels by :func:`award_labels`.

Only the fields a line names are scored. Strings compare after NFKC and whitespace removal,
amounts to the yuan, ``alternatives`` count as right, and a label of null is right only when
nothing is reported (a placeholder read as a value is a failure).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from analyzer.errors import AnalyzerError

#: Label field -> key in the extracted metadata (``dates.deadline`` for the deadline).
FIELDS = {
    "notice_type": "notice_type", "project_number": "project_number", "project_name": "project_name",
    "buyer": "buyer", "is_police_buyer": "buyer_is_police", "agency": "agency", "budget_yuan": "budget_yuan",
    "deadline": "deadline", "region": "region", "winner": "winner", "award_yuan": "award_yuan",
}
#: The labels' notice types named as this project names them.
LABEL_TYPES = {"consultation": "consultation_competitive"}
_AMOUNTS = {"budget_yuan", "award_yuan"}


def fold(value) -> str:
    """NFKC, no whitespace, ``T`` between date and time dropped: how labels and values compare."""
    if value is None:
        return ""
    s = "".join(unicodedata.normalize("NFKC", str(value)).split())
    return re.sub(r"(?<=\d{4}-\d{2}-\d{2})T(?=\d)", "", s)


def _same(field: str, gold, got) -> bool:
    if gold in ("", None):
        return got in ("", None, False) if field != "is_police_buyer" else not got
    if field in _AMOUNTS:
        try:
            return got is not None and abs(float(got) - float(gold)) < 0.5
        except (TypeError, ValueError):
            return False
    if field == "is_police_buyer":
        return bool(gold) == bool(got)
    if field == "notice_type":
        gold = LABEL_TYPES.get(gold, gold)
    g, v = fold(gold), fold(got)
    if field == "region":  # compared at the level the label names (province, city or county)
        return bool(v) and (g == v or g.startswith(v) and len(v) >= 3 or v.startswith(g))
    return g == v


def _value(md: dict, field: str):
    key = FIELDS[field]
    return (md.get("dates") or {}).get(key) if key == "deadline" else md.get(key)


def read_labels(path: Path) -> list[dict]:
    """Labelled documents from a JSONL file (labels.jsonl style, or record references)."""
    labels = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as ex:
                raise AnalyzerError(f"{path}: line {n} is not JSON ({ex.msg})") from None
            if not isinstance(obj, dict) or not (obj.get("file") or obj.get("record")):
                raise AnalyzerError(f"{path}: line {n} needs a \"file\" or a \"record\"")
            labels.append(obj)
    return labels


def award_labels(path: Path, half: str | None = None) -> Iterator[dict]:
    """Labels from a crawler's award file: buyer, agency, winner and price from each page's own table.

    A price given as a rate (``中标价(%)``) leaves the crawler's price empty; the label then
    expects no amount.
    """
    from analyzer.ingest.notice import iter_records

    for pos, rec in iter_records(path, half):
        f = rec.get("fields") or {}
        price = f.get("中标价(元)")
        yield {"record": {"path": str(path), "position": pos, "id": rec.get("id"), "inline": rec},
               "notice_type": "award", "buyer": f.get("招标人"), "agency": f.get("招标机构"),
               "winner": f.get("中标人"), "award_yuan": float(str(price).replace(",", "")) if price else None}


def _read_record(ref: dict, docs: Path | None):
    from analyzer.ingest.notice import read_notice

    if "inline" in ref:
        return read_notice(ref["inline"])
    path = Path(ref["path"])
    if not path.is_absolute():
        path = (docs or Path(".")) / path
    rec = _records(path.resolve()).get(ref["position"])
    if rec is None:
        raise AnalyzerError(f"{path}: no record at position {ref['position']}")
    if ref.get("id") and rec.get("id") != ref["id"]:
        raise AnalyzerError(f"{path}: record {ref['position']} is {rec.get('id')}, not {ref['id']}")
    return read_notice(rec)


@functools.lru_cache(maxsize=2)
def _records(path: Path) -> dict[int, dict]:
    """Every record of a notices file by position, read once: labels reference hundreds of them,
    and reading the gzip file from its start for each one took minutes."""
    from analyzer.ingest.notice import iter_records

    return dict(iter_records(path))


def _read_file(name: str, base: Path, docs: Path | None, ocr_mode: str):
    from analyzer import ingest

    for folder in (docs, base):
        if folder is not None and (folder / name).exists():
            return ingest.read(folder / name, ocr_mode=ocr_mode)
    raise AnalyzerError(f"{name}: not found beside the labels or under --docs")


def evaluate_metadata(labels: Iterable[dict], base: Path = Path("."), docs: Path | None = None,
                      ocr_mode: str = "off") -> dict:
    """{"rows": per-field accuracy, "failures": [{id, field, gold, got}]} over ``labels``."""
    from analyzer.metadata import document_metadata

    stats: dict[str, list[int]] = {}
    failures: list[dict] = []
    for lab in labels:
        ident = lab.get("file") or f"{Path(lab['record']['path']).name}#{lab['record']['position']}"
        try:
            doc = (_read_file(lab["file"], base, docs, ocr_mode) if lab.get("file")
                   else _read_record(lab["record"], docs))
            md = document_metadata(doc)
        except AnalyzerError as ex:
            md = {"error": str(ex)}
        alts = lab.get("alternatives") or {}
        for field in FIELDS:
            if field not in lab:
                continue
            got = _value(md, field)
            ok = any(_same(field, gold, got) for gold in [lab[field], *alts.get(field, [])])
            st = stats.setdefault(field, [0, 0])
            st[0] += ok
            st[1] += 1
            if not ok:
                failures.append({"id": ident, "field": field, "gold": lab[field], "got": got})
    rows = [{"field": f, "right": r, "n": n, "accuracy": round(r / n, 3) if n else None}
            for f, (r, n) in stats.items()]
    return {"rows": rows, "failures": failures}
