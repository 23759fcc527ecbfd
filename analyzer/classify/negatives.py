"""Real clauses that target nobody, as training negatives: referenced in the repository, read from the corpus.

The head learnt only from clauses written for the project, which are cleaner than what buyers publish;
on real tenders and notices it raised group probabilities on ordinary clauses (a notice naming the media
it is published in, a hospital's patients …). `samples/labelled/real_negatives.jsonl` lists such clauses
from the calibration half of the shared corpus (``../shared/corpus``: the 24 tenders and the notices at
even positions), each read by a person and labelled ``none`` when it targets nobody. The repository keeps
references, never the text: the document's sha256 (of the file for a tender; of the notice record as
``json.dumps(record, sort_keys=True)`` for a notice), the clause ordinal the pipeline gives it, and the
first 12 hex digits of the sha256 of the clause text. Training re-extracts each document exactly as the
pipeline does (ingest, then ``segment``), picks the clause by ordinal and checks the text hash; a clause
whose text no longer matches (a changed extractor or segmenter) is skipped with a warning, and without the
corpus every reference is left out, said once.

The label says what a person read, not what the model said: ``none`` (targets nobody), a group id (a real
targeting clause, kept apart: it is not used as a negative), or null (not read yet: not used).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.records import Clause

NEGATIVES_FILE = "real_negatives.jsonl"
TENDER_SUFFIXES = (".pdf", ".docx", ".html")
NOTICES = Path("notices") / "ningbo.jsonl.gz"


def text_sha(text: str) -> str:
    """The reference's hash of a clause text: first 12 hex digits of its sha256 (UTF-8)."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def notice_sha(record: dict) -> str:
    """A notice record's document hash, as bench/real_corpus.py computes it."""
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def reference_key(ref: dict) -> tuple[str, int, str]:
    """What identifies a reference: (document sha256, clause ordinal, text hash)."""
    return ref["document_sha256"], int(ref["ordinal"]), ref["text_sha256_12"]


def read_references(path: Path | str) -> list[dict]:
    """The reference lines of a real-negatives file, in file order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
    return out


def write_references(path: Path | str, refs: Iterable[dict]) -> None:
    """Write references sorted by (document, ordinal), one JSON object a line (never a clause's text)."""
    rows = sorted(refs, key=lambda r: (r["document_sha256"], int(r["ordinal"])))
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: v for k, v in r.items() if k != "text"}, ensure_ascii=False) + "\n")


def merge_references(old: list[dict], new: list[dict]) -> list[dict]:
    """``old`` plus the references of ``new`` it lacks (unread: label null); a label once given is kept."""
    have = {reference_key(r) for r in old}
    out = list(old)
    for r in new:
        if reference_key(r) not in have:
            have.add(reference_key(r))
            out.append({**r, "label": r.get("label")})
    return out


def document_clauses(corpus: Path, wanted: set[str], positions: dict[str, int] | None = None,
                     ocr_mode: str = "auto") -> Iterator[tuple[str, list[Clause]]]:
    """(sha256, clauses) for each corpus document whose sha256 is in ``wanted``, extracted as the pipeline does.

    Tenders are matched by the sha256 of their file; notices by that of their record, trying the record at a
    reference's ``position`` first and scanning the file only for what is still missing.
    """
    from analyzer import ingest
    from analyzer.ingest.notice import iter_records, read_notice
    from analyzer.segment import segment

    left = set(wanted)
    tenders = corpus / "tenders"
    if tenders.is_dir():
        for p in sorted(tenders.iterdir()):
            if not left or p.suffix.lower() not in TENDER_SUFFIXES:
                continue
            sha = hashlib.sha256(p.read_bytes()).hexdigest()
            if sha in left:
                left.discard(sha)
                yield sha, segment(ingest.read(p, ingest.detect(p), ocr_mode=ocr_mode))
    notices = corpus / NOTICES
    if left and notices.is_file():
        at = {pos: sha for sha, pos in (positions or {}).items() if sha in left}
        for pos, record in iter_records(notices):
            if not left:
                break
            if at and pos not in at and len(at) == len(left):
                continue  # every document still wanted has a position: hash only those records
            sha = notice_sha(record)
            if sha in left:
                left.discard(sha)
                yield sha, segment(read_notice(record))


@dataclass
class Resolved:
    """What resolving a references file gave: the clauses (text and reference), and what was left out."""

    rows: list[dict] = field(default_factory=list)  # {"id", "text", "groups", "ref"} in reference order
    references: int = 0
    unread: int = 0  # label null: nobody has read the clause yet
    positives: int = 0  # labelled with a group: a real targeting clause, not a negative
    missing_corpus: bool = False
    mismatched: list[str] = field(default_factory=list)  # reference ids whose text hash or document did not match

    def summary(self) -> str:
        if self.missing_corpus:
            return (f"real negatives: the shared corpus (../shared/corpus) is absent; the {self.references} "
                    f"referenced real clauses were left out of training")
        parts = [f"real negatives: {len(self.rows)} of {self.references} referenced clauses resolved from the corpus"]
        if self.unread:
            parts.append(f"{self.unread} not read yet (label null) left out")
        if self.positives:
            parts.append(f"{self.positives} labelled with a group left out")
        if self.mismatched:
            parts.append(f"{len(self.mismatched)} skipped: text no longer matches its hash")
        return "; ".join(parts)


def ref_id(ref: dict) -> str:
    return f"real:{ref['document_sha256'][:12]}#{ref['ordinal']}"


def resolve(path: Path | str, corpus: Path | None, warn: Callable[[str], None] | None = None,
            labels: tuple[str | None, ...] = ("none",)) -> Resolved:
    """The referenced clauses whose label is in ``labels`` (default: read and found to target nobody).

    ``warn`` gets one line per reference that cannot be resolved (document not in the corpus, ordinal out of
    range, text hash differs); nothing is raised for them. With ``corpus`` None or absent nothing resolves.
    """
    say = warn or (lambda _m: None)
    refs = read_references(path)
    out = Resolved(references=len(refs))
    out.unread = sum(r.get("label") is None for r in refs)
    out.positives = sum(r.get("label") not in (None, "none") for r in refs)
    use = [r for r in refs if r.get("label") in labels]
    if corpus is None or not Path(corpus).is_dir():
        out.missing_corpus = True
        return out
    wanted = {r["document_sha256"] for r in use}
    positions = {r["document_sha256"]: r["position"] for r in use if r.get("position") is not None}
    texts: dict[tuple[str, int], str] = {}
    needed = {(r["document_sha256"], int(r["ordinal"])) for r in use}
    for sha, clauses in document_clauses(Path(corpus), wanted, positions):
        for c in clauses:
            if (sha, c.ordinal) in needed:
                texts[(sha, c.ordinal)] = c.text
    for r in use:
        text = texts.get((r["document_sha256"], int(r["ordinal"])))
        if text is None or text_sha(text) != r["text_sha256_12"]:
            out.mismatched.append(ref_id(r))
            say(f"warning: real negative {ref_id(r)} skipped: "
                + ("document or clause not found in the corpus" if text is None
                   else f"clause text hash {text_sha(text)} differs from the reference's {r['text_sha256_12']}"))
            continue
        out.rows.append({"id": ref_id(r), "text": text, "groups": [r["label"]] if r.get("label") not in (None, "none") else [],
                         "ref": r})
    return out
