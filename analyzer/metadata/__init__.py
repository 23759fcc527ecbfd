"""Document-level metadata: the fields that link a tender, its notices and its award into one procurement.

Primer 4.4 links notices on the 项目编号, and failing that on the project name (notice-type
suffix stripped), the buyer, the dates and the amounts; docs/taxonomy.md §1 lists the label variants.
Everything here is pure text processing: no I/O, standard library only, so it can run on the
text of any ingested format and be tested on hand-written notices.

How it reads a document. The text is NFKC-folded first (full-width digits, colons and brackets
become ASCII) while keeping a map back to the raw text, because only the project number is
returned exactly as found. Then every line yields *label/value pairs* in four shapes:

* ``label：value`` (several per line, or nested as in ``采购人 | 名称：X 地址：Y``);
* table cells, ``label | value | label | value`` or tab-separated;
* a header row of labels with the values in the next row (award tables);
* a label alone on a line with its value on the next line (tables flattened by PDF extraction).

A label only counts when it *is* the whole key in front of the separator, so sentences such as
"采购人有权…" never become a buyer. Each field takes the first pair, in document order and by
label tier, whose value passes that field's check (an organisation name, a parseable amount or
date, a number with digits in it). Under the 2020 template the buyer and agency sit under
"1.采购人信息 / 名称：…"; a small context tracker maps that bare "名称" to the right field.
"""

from analyzer.metadata.extract import (
    document_metadata,
    extract_metadata,
    lot_awards,
    lot_budgets,
    lot_winners,
    marker_legend,
)
from analyzer.metadata.fields import NOTICE_TYPES, TenderMetadata
from analyzer.metadata.parsers import (
    classify_buyer,
    normalize_project_number,
    parse_amount,
    parse_chinese_date,
    placeholder,
)

__all__ = [
    "NOTICE_TYPES",
    "TenderMetadata",
    "classify_buyer",
    "document_metadata",
    "extract_metadata",
    "lot_awards",
    "lot_budgets",
    "lot_winners",
    "marker_legend",
    "normalize_project_number",
    "parse_amount",
    "parse_chinese_date",
    "placeholder",
]
