"""Gather the report's data from the database as plain dicts: documents, matrix, cards.

Cards are per clause rather than per finding: two groups named in one clause are one
piece of evidence, and the capability and data-source findings on that clause belong on
the same card. Each finding still gets its own anchor so the matrix can point at it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from analyzer.records import CLEAN_STATUSES, Tier
from analyzer.store import published

DEFAULT_MARKERS = {
    "★": "substantive requirement: a bid that fails it is rejected (实质性条款)",
    "▲": "important parameter: weighted in scoring (重要技术参数)",
}
TIERS = {
    Tier.A: "explicit targeting: a group named with an operational requirement",
    Tier.B: "capability to target, or a weaker group cue",
    Tier.C: "surveillance context only, no group named",
    Tier.M: "model only: the model's reading of the whole clause, no span to quote",
}
KIND_ORDER = {"group": 0, "capability": 1, "data_source": 2}


@dataclass
class Card:
    """One flagged clause and everything needed to cite it."""

    n: int
    clause_id: str
    document: dict
    page: int | None
    number: str | None
    marker: str | None
    marker_meaning: str | None
    section_path: list[str]
    text: str
    segments: list[tuple[str, str | None]]  # (raw text, css class of the highlight or None)
    findings: list[dict]
    tier: str | None
    bbox: list[float] | None
    page_method: str | None = None
    ocr_confidence: float | None = None
    crop: str | None = None  # path of the PNG, relative to the report
    crop_note: str | None = None
    file_href: str | None = None  # link to the copied original, with #page=N for PDFs
    seen_in: list[dict] = field(default_factory=list)  # other documents of its lineage family

    @property
    def anchor(self) -> str:
        """The card's HTML anchor (E1, E2 …), what the matrix links to."""
        return f"E{self.n}"

    @property
    def groups(self) -> list[dict]:
        """The group findings on this clause."""
        return [f for f in self.findings if f["kind"] == "group"]

    @property
    def others(self) -> list[dict]:
        """The capability and data-source findings on this clause."""
        return [f for f in self.findings if f["kind"] != "group"]

    @property
    def title(self) -> str:
        """The card's title: the names of the groups it targets."""
        return " · ".join(dict.fromkeys(f["name"] for f in self.groups))


@dataclass
class Evidence:
    """Everything the templates show."""

    summary: dict[str, Any]
    documents: list[dict]
    attention: list[dict]
    groups: list[dict]  # matrix rows
    columns: list[dict]  # matrix columns (capabilities, then data sources)
    cells: dict[tuple[str, str], list[Card]]
    cards: list[Card]
    by_document: list[tuple[dict, list[Card]]] = field(default_factory=list)
    taxonomy_version: str | None = None
    procurements: list[dict] = field(default_factory=list)  # notices sharing a project number, in order
    police_vendors: list[dict] = field(default_factory=list)  # winners police buyers paid most


def gather(store) -> Evidence:
    """Read the database into an ``Evidence``; works for zero findings as for thousands."""
    from analyzer.taxonomy import load

    tax = load()
    docs = {d["id"]: _doc(d) for d in store.documents()}
    pages = store.page_methods()
    rows = store.finding_rows()
    by_clause: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_clause[r["clause_id"]].append(r)
    doc_labels: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        doc_labels[r["document_id"]][r["kind"]].add(r["label"])

    cards: list[Card] = []
    for cid, frs in by_clause.items():
        if not any(f["kind"] == "group" for f in frs):
            continue
        first = frs[0]
        doc = docs.get(first["document_id"], {"name": "?", "sha256": first["document_id"]})
        findings = sorted((_finding(f, tax) for f in frs), key=lambda f: (KIND_ORDER.get(f["kind"], 9),
                                                                            -(f["score"] or 0), f["label"]))
        tiers = sorted(f["tier"] for f in findings if f["kind"] == "group" and f["tier"])
        page = pages.get((first["document_id"], first["page"])) or {}
        markers = doc.get("marker_legend") or DEFAULT_MARKERS
        cards.append(Card(
            n=0, clause_id=cid, document=doc, page=first["page"], number=first["number"],
            marker=first["marker"], marker_meaning=markers.get(first["marker"]) if first["marker"] else None,
            section_path=json.loads(first["section_path"]) if first["section_path"] else [],
            text=first["text"] or "", segments=segments(first["text"] or "", findings), findings=findings,
            tier=tiers[0] if tiers else None, bbox=json.loads(first["bbox"]) if first["bbox"] else None,
            page_method=page.get("method"), ocr_confidence=page.get("ocr_confidence"),
        ))
    # Per procurement, strongest first: tier, then ★ before ▲ before unmarked (docs/taxonomy.md §5).
    mark_rank = {"★": 0, "▲": 1}
    ordinal = {r["clause_id"]: r["ordinal"] for r in rows}
    cards.sort(key=lambda c: (c.document.get("name") or "", c.document.get("sha256") or "", c.tier or "Z",
                              mark_rank.get(c.marker or "", 2), ordinal.get(c.clause_id, 0)))
    for i, c in enumerate(cards, 1):
        c.n = i

    by_document: list[tuple[dict, list[Card]]] = []
    for c in cards:
        if by_document and by_document[-1][0] is c.document:
            by_document[-1][1].append(c)
        else:
            by_document.append((c.document, [c]))

    cells: dict[tuple[str, str], list[Card]] = defaultdict(list)
    group_ids: dict[str, set[str]] = defaultdict(set)  # group -> document ids
    col_cards: dict[str, int] = defaultdict(int)  # column -> number of cards carrying it
    for c in cards:
        cols = list(dict.fromkeys(f["label"] for f in c.others))
        for col in cols:
            col_cards[col] += 1
        for g in dict.fromkeys(f["label"] for f in c.groups):
            cells[(g, "*")].append(c)
            group_ids[g].add(c.document.get("id", ""))
            for col in cols:
                cells[(g, col)].append(c)
    groups = [{"id": g, "name": _name(tax, g), "parents": tax.ancestors(g)[1:], "clauses": len(cells[(g, "*")]),
               "documents": len(group_ids[g])} for g in group_ids]
    groups.sort(key=lambda g: (-g["clauses"], g["id"]))
    columns = [{"id": col, "name": _name(tax, col), "kind": tax.kind_of(col) or "capability", "cards": n}
               for col, n in col_cards.items()]
    columns.sort(key=lambda col: (KIND_ORDER.get(col["kind"], 9), -col["cards"], col["id"]))

    _attach_lineage(store, cards, by_document)
    doc_cards = {id(doc): cs for doc, cs in by_document}
    for d in docs.values():
        labels = doc_labels.get(d["id"], {})
        d["groups"] = [{"id": g, "name": _name(tax, g)} for g in sorted(labels.get("group", ()))]
        d["cards"] = doc_cards.get(id(d), [])
        # The pair first: the systems asked for in the flagged clauses, then those found elsewhere.
        paired = list(dict.fromkeys(f["label"] for c in d["cards"] for f in sorted(
            c.others, key=lambda f: (KIND_ORDER.get(f["kind"], 9), f["label"]))))
        d["capabilities"] = [{"id": g, "name": _name(tax, g)} for g in paired]
        d["other_capabilities"] = [{"id": g, "name": _name(tax, g)} for g in sorted(labels.get("capability", ()))
                                   if g not in paired]
    documents = [d for d in docs.values() if d.get("format") != "zip"]
    procurements = _procurements(documents)
    attention = _attention(store, docs)
    summary = {
        "documents": len(documents),
        "pages": store.count("pages"),
        "clauses": store.count("clauses"),
        "cards": len(cards),
        "group_findings": sum(1 for r in rows if r["kind"] == "group"),
        "findings": len(rows),
        "attention": len(attention),
    }
    return Evidence(summary=summary, documents=documents, attention=attention, groups=groups, columns=columns,
                    cells=dict(cells), cards=cards, by_document=by_document, taxonomy_version=tax.version,
                    procurements=procurements, police_vendors=_police_vendors(store, cards, tax))


def _attach_lineage(store, cards: list[Card], by_document: list[tuple[dict, list[Card]]]) -> None:
    """Each card's other documents in its lineage family, linked when they have cards here.

    Only what ``analyzer lineage`` has placed is shown: the report never computes lineage, so a
    database where it was not run prints no line rather than a wrong "seen in 0".
    """
    in_report = {doc.get("sha256") for doc, _ in by_document}
    others = store.lineage_other_documents([c.clause_id for c in cards])
    for c in cards:
        c.seen_in = [{**o, "href": f"#doc-{o['sha256'][:12]}" if o["sha256"] in in_report else None}
                     for o in others.get(c.clause_id, [])]


def _police_vendors(store, cards: list[Card], tax) -> list[dict]:
    """The network's vendors of police buyers, their flagged clauses pointing at this report's cards."""
    from analyzer.corpus.network import police_vendors

    anchors = {c.clause_id: c.anchor for c in cards}
    rows = police_vendors(store)
    for r in rows:
        r["amount"] = yuan(r["amount_yuan"]) if r["amount_yuan"] else None
        for f in r["flagged"]:
            f["anchor"] = anchors.get(f["clause_id"])
            f["names"] = [_name(tax, lab) for lab in f["labels"]]
        r["flagged"].sort(key=lambda f: (int(f["anchor"][1:]) if f["anchor"] else 1 << 30, f["clause_id"]))
    return rows


# The life of a procurement (docs/taxonomy.md §1): plan, requirements, tender, changes, award, contract.
NOTICE_ORDER = {t: i for i, t in enumerate((
    "intention", "consultation", "prequalification", "tender", "negotiation", "consultation_competitive", "rfq",
    "single_source", "correction", "failed", "award", "contract", "acceptance"))}


def _procurements(documents: list[dict]) -> list[dict]:
    """Documents that share a normalised project number, as one timeline each.

    The tender that asks for an Uyghur alert module and the award notice that names who sells
    it and for how much are separate files; a reader needs them side by side, in the order
    of the procurement (by date, then by the usual order of notices), with the groups the
    tender targets and the winner and price the award gives.
    """
    by_number: dict[str, list[dict]] = defaultdict(list)
    for d in documents:
        if d.get("project_number_norm"):
            by_number[d["project_number_norm"]].append(d)
    out = []
    for ds in by_number.values():
        if len(ds) < 2:
            continue
        ds = sorted(ds, key=lambda d: (d.get("published") or "9999", NOTICE_ORDER.get(d.get("notice_type") or "", 99),
                                       d.get("name") or ""))
        award = next((d for d in ds if d.get("award_yuan") or d.get("winner")), None)
        groups = {g["id"]: g for d in ds for g in d.get("groups", [])}
        buyer = next((d["buyer"] for d in ds if d.get("buyer")), None)
        budget = next((d["budget"] for d in ds if d.get("budget")), None)
        won = None
        if award:
            won = f"won by {award.get('winner') or '?'}" + (f" for {award['award']}" if award.get("award") else "")
        out.append({
            "facts": [f for f in (buyer, f"budget {budget}" if budget else None, won) if f],  # buyer · budget · award
            "number": next(d["project_number"] for d in ds if d.get("project_number")),
            "name": next((d["project_name"] for d in ds if d.get("project_name")), None),
            "groups": sorted(groups.values(), key=lambda g: g["id"]),
            "documents": ds,
        })
    out.sort(key=lambda p: (-len(p["groups"]), p["number"]))
    return out


def _name(tax, label: str) -> str:
    lab = tax.labels.get(label)
    return lab.name if lab and lab.name else label


def _finding(f: dict, tax) -> dict:
    lab = tax.labels.get(f["label"])
    return {
        "id": f["id"], "anchor": f"f-{f['id']}", "kind": f["kind"], "label": f["label"],
        "name": lab.name if lab else f["label"], "gloss": lab.gloss if lab else "",
        "parents": [{"id": p, "name": _name(tax, p)} for p in tax.ancestors(f["label"])[1:]],
        "sources": list(lab.sources) if lab else [],
        "score": f["score"], "method": f["method"], "evidence": f["evidence"] or "",
        "start": f["evidence_start"], "end": f["evidence_end"], "reason": f["reason"] or "", "tier": f["tier"],
    }


def segments(text: str, findings: list[dict]) -> list[tuple[str, str | None]]:
    """Split ``text`` into runs, each highlighted by the kind of the findings covering it.

    Offsets come from the classifier; when they are missing or do not match the evidence,
    the evidence string is looked up in the text instead, so a highlight never lands on the
    wrong words.
    """
    marks: list[tuple[int, str] | None] = [None] * len(text)
    rank = {"group": 0, "capability": 1, "data_source": 2}
    order = sorted(enumerate(findings), key=lambda p: -rank.get(p[1]["kind"], 3))  # groups painted last: they win
    for n, f in order:
        s, e = f.get("start"), f.get("end")
        ev = f.get("evidence") or ""
        if s is None or e is None or not (0 <= s < e <= len(text)) or (ev and text[s:e] != ev):
            pos = text.find(ev) if ev else -1
            if pos < 0:
                continue
            s, e = pos, pos + len(ev)
        for i in range(s, e):
            marks[i] = (n, "hit-" + f["kind"].replace("_", "-"))
    out: list[tuple[str, str | None]] = []
    last: tuple[int, str] | None = None
    for i, (ch, m) in enumerate(zip(text, marks, strict=True)):
        if i and m == last:  # one run per finding, so two adjacent hits stay two highlights
            out[-1] = (out[-1][0] + ch, out[-1][1])
        else:
            out.append((ch, m[1] if m else None))
        last = m
    return out


def _doc(d: dict) -> dict:
    d = dict(d)
    for key in ("dates", "paths", "markers", "budget_lots", "award_lots"):
        try:
            d[key] = json.loads(d[key]) if d.get(key) else None
        except (TypeError, ValueError):
            pass
    d["dates"] = d["dates"] if isinstance(d.get("dates"), dict) else {}
    d["paths"] = d["paths"] if isinstance(d.get("paths"), list) else []
    d["marker_legend"] = d["markers"] if isinstance(d.get("markers"), dict) and d["markers"] else None
    d["published"] = published(d["dates"])
    d["budget"] = yuan(d.get("budget_yuan"))
    d["budget_parts"] = yuan_parts(d.get("budget_yuan"))
    for key, out in (("budget_lots", "lots"), ("award_lots", "award_lot_list")):
        lots = d.get(key) if isinstance(d.get(key), dict) else {}
        d[out] = [(k, yuan(v)) for k, v in sorted(lots.items(), key=lambda kv: (len(kv[0]), kv[0]))]
    d["award"] = yuan(d.get("award_yuan"))
    d["cite"] = _metadata_cites(d.get("metadata_evidence"))
    return d


def _metadata_cites(raw: str | None) -> dict[str, str]:
    """Hover text per metadata field: where it was read ("p. 3 · label · 0.95: 采购人：…") or why it is null."""
    try:
        ev = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    out = {}
    for name, e in (ev.get("fields") or {}).items():
        where = f"p. {e['page']}" if e.get("page") else "title"
        out[name] = f"{where} · {e.get('how')} · {e.get('confidence')}: {e.get('snippet', '')}"
    for name, why in (ev.get("null_reasons") or {}).items():
        out.setdefault(name, f"no value: {why}")
    return out


def confidence(v: float | None) -> str:
    """OCR confidence as a percentage, whether stored as 0–1 or 0–100."""
    if v is None:
        return ""
    return f"{v * 100:.0f}%" if v <= 1 else f"{v:.0f}%"


def yuan(v: float | None) -> str | None:
    """¥1,234,567 (and 万 for readers used to it), or None."""
    main, wan = yuan_parts(v)
    return f"{main} ({wan})" if wan else main


def yuan_parts(v: float | None) -> tuple[str | None, str | None]:
    """The amount in yuan and, from ten thousand up, in 万元: two lines in the HTML table."""
    if v is None:
        return None, None
    return f"¥{v:,.2f}".removesuffix(".00"), (f"{v / 10000:,.2f} 万元" if v >= 10000 else None)


def _attention(store, docs: dict[str, dict]) -> list[dict]:
    """Documents that failed or need OCR, and pages read by OCR, not read at all or flagged as garbled
    (formats that cannot be OCRed), with reasons."""
    out: list[dict] = []
    for d in docs.values():
        if d.get("status") not in CLEAN_STATUSES:
            out.append({"document": d, "what": d.get("status") or "unknown", "reason": d.get("error") or ""})
        elif d.get("status") == "partial" and d.get("error"):
            out.append({"document": d, "what": "partial", "reason": d["error"]})
    for r in store.ocr_page_runs():
        d = docs.get(r["document_id"])
        if d is None:
            continue
        pages = f"page {r['first']}" if r["n"] == 1 else f"pages {r['first']}–{r['last']} ({r['n']})"
        if r["needs_ocr"]:
            out.append({"document": d, "what": "needs OCR", "reason": f"{pages}: {r['note'] or 'no usable text'}"})
        elif r["method"] != "ocr":
            out.append({"document": d, "what": "garbled text", "reason": f"{pages}: {r['note']}"})
        else:
            conf = f", mean confidence {confidence(r['conf'])}" if r["conf"] is not None else ""
            out.append({"document": d, "what": "OCR text",
                        "reason": f"{pages} read by OCR{conf}; check quotes against the page image"
                                  + (f" ({r['note']})" if r["note"] else "")})
    return out
