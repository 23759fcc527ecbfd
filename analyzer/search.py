"""Search clause text: FTS5 (trigram) for terms of 3+ characters, LIKE for shorter ones.

Chinese has no word boundaries, so the index is a trigram one over ``clauses.norm`` (the
normalised text). A trigram index cannot answer a 1–2 character query, and the short ones
are exactly what matters here (维族, 涉疆, 涉恐, 上访), so those become LIKE conditions on the
same column: a scan, but a correct one. Every hit is re-checked in Python against the
normalised text, which also guards against an index that went stale (e.g. after VACUUM
renumbered rowids), and the snippet is cut from the raw text so it can be quoted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

OPEN, CLOSE = "【", "】"
SNIPPET_CONTEXT = 30  # raw characters kept on each side of the first hit
SEARCH_COLUMNS = ["document", "page", "section_path", "clause_number", "marker", "snippet", "labels", "buyer",
                  "published", "sha256", "clause_id"]


def terms(query: str) -> list[str]:
    """The query's terms, normalised like ``clauses.norm`` so full-width and Kangxi forms still match."""
    from analyzer.normalize import norm_text

    return [t for t in (norm_text(w) for w in query.split()) if t]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(store, query: str, *, label: str | None = None, buyer: str | None = None, since: str | None = None,
           limit: int = 50) -> Iterator[dict]:
    """Clauses containing every term of ``query``, best FTS rank first (document order for LIKE-only).

    :param label: only clauses with a finding on this taxonomy id or one of its children.
    :param buyer: substring of the document's buyer.
    :param since: ``YYYY-MM-DD``; documents published (or, lacking that, dated) on or after it.
    """
    from analyzer.errors import AnalyzerError

    words = terms(query)
    if not words:
        raise AnalyzerError("empty search query; give at least one character to look for")
    if since is not None:
        _check_date(since)
    long_terms = [t for t in words if len(t) >= 3]
    labels = None
    if label:
        from analyzer.taxonomy import load

        labels = load().descendants(label)
    rows = store.search_clauses(" AND ".join(_fts_phrase(t) for t in long_terms) or None,
                                [_like(t) for t in words if len(t) < 3], labels=labels,
                                buyer_like=_like(buyer) if buyer else None, since=since)
    found = 0
    for row in rows:
        if limit and found >= limit:
            break
        hit = _hit(row, words)
        if hit is not None:
            found += 1
            yield hit


def _hit(row: dict, words: list[str]) -> dict | None:
    from analyzer.normalize import normalize

    raw = row.pop("text") or ""
    norm = normalize(raw)
    folded = norm.text.casefold()
    spans: list[tuple[int, int]] = []
    for t in words:
        t = t.casefold()
        pos = folded.find(t)
        if pos < 0:
            return None  # the index and the text disagree (stale index): drop rather than mislead
        while pos >= 0:
            spans.append(norm.raw_span(pos, pos + len(t)))
            pos = folded.find(t, pos + len(t))
    row.pop("norm", None)
    row["section_path"] = " › ".join(json.loads(row["section_path"])) if row["section_path"] else ""
    row["snippet"] = snippet(raw, spans)
    row["hits"] = [list(s) for s in merge(spans)]
    return row


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans (overlapping or touching ones joined)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def snippet(raw: str, spans: list[tuple[int, int]], context: int = SNIPPET_CONTEXT) -> str:
    """Raw text around the hits with 【】 around each one, whitespace runs folded to one space."""
    spans = merge(spans)
    if not spans:
        return " ".join(raw[: 2 * context].split())
    start = max(0, spans[0][0] - context)
    end = min(len(raw), max(spans[-1][1], spans[0][1] + context) + context)
    parts: list[str] = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        if s >= end:
            break
        parts += [raw[pos:s], OPEN, raw[s:min(e, end)], CLOSE]
        pos = min(e, end)
    parts += [raw[pos:end], "…" if end < len(raw) else ""]
    return " ".join("".join(parts).split())


def _check_date(value: str) -> None:
    import datetime as dt

    from analyzer.errors import AnalyzerError

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise AnalyzerError(f"--since {value!r}: use a date like 2023-02-01 (YYYY-MM-DD)") from None
