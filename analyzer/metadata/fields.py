"""What a document's metadata holds: the TenderMetadata record and the notice types it names."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: notice_type values, after the 13 MOF 2020 templates (docs/taxonomy.md §1) plus the tender itself.
NOTICE_TYPES: dict[str, str] = {
    "intention": "采购意向公开: planned purchase, budget and month, posted 30+ days ahead",
    "consultation": "采购需求公示 / 征求意见: requirements published for comment",
    "prequalification": "资格预审公告: bidder pre-qualification",
    "tender": "招标公告 / 招标文件 / 投标邀请: open or invited tender, notice or the document",
    "negotiation": "竞争性谈判公告 / 谈判文件",
    "consultation_competitive": "竞争性磋商公告 / 磋商文件 (MOF 财库〔2014〕214号)",
    "rfq": "询价公告 / 询价文件: request for quotation",
    "single_source": "单一来源采购公示: names the supplier before award",
    "correction": "更正 / 变更 / 澄清公告: amends an earlier notice",
    "award": "中标 / 成交 / 结果公告, 中标候选人公示: winner and price",
    "failed": "废标 / 流标 / 终止公告: no award, usually re-tendered",
    "contract": "合同公告: signed contract, parties and amount",
    "acceptance": "验收结果公告: delivered scope",
    "template": "标准文件 / 示范文本 / 范本: a model text with blanks, no procurement of its own",
}


@dataclass
class TenderMetadata:
    """One document's metadata; every field is optional because notices carry different subsets.

    Names (project, buyer, agency, winner, region) are NFKC-folded and whitespace-tidied so the
    same buyer written with full- or half-width brackets compares equal across notices. Only
    ``project_number`` keeps the raw form, since that is what people search for; the linking
    key is ``project_number_norm``.
    """

    notice_type: str | None = None
    project_number: str | None = None
    project_number_norm: str | None = None
    project_name: str | None = None
    buyer: str | None = None
    buyer_is_police: bool = False
    buyer_type: str | None = None
    agency: str | None = None
    budget_yuan: float | None = None
    # What budget_yuan is, as printed: total | per_year | lots_summed | unit_price (see BUDGET_BASES)
    budget_basis: str | None = None
    award_yuan: float | None = None
    winner: str | None = None
    winner_credit_code: str | None = None
    region: str | None = None
    dates: dict[str, str] = field(default_factory=dict)
    # The document's own legend for requirement markers: "★" -> "substantive requirement: 为实质性条款…"
    markers: dict[str, str] = field(default_factory=dict)
    # Budget per lot (合同包/采购包/标段), yuan, when the notice gives two or more; budget_yuan is their sum
    # unless the notice states a different total.
    budget_lots: dict[str, float] = field(default_factory=dict)
    award_lots: dict[str, float] = field(default_factory=dict)  # the same for award amounts
    # An award priced as a rate (中标价(%): a discount or fee rate on a schedule) has no amount;
    # the rate is kept as printed.
    award_rate: str | None = None
    # Where each field was read: {field: {"offset", "snippet", "how", "confidence"}} (offset into the
    # text given; document_metadata adds the page). "how" is label | table | definition | prose | title.
    evidence: dict[str, dict] = field(default_factory=dict)
    # Why a field is null although the document has a slot for it ("template placeholder: [采购单位名称]").
    null_reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain dict for JSON export and the store."""
        return asdict(self)
