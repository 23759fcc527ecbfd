"""Clause lineage: near-duplicate clauses across documents, as families.

A vendor's specification pasted into many tenders comes back edited: other numbers, another
city's name, list items reordered, different punctuation, sometimes traditional characters.
So clauses are compared on a folded copy (traditional → simplified, digit runs → ``0``, Latin
case folded, punctuation and spaces dropped), as sets of character 3-grams: one edited
character breaks three shingles, not a whole clause. MinHash signatures (datasketch's
permutations and formula, computed in numpy batches so 300,000 clauses take seconds) go into
LSH bands stored in SQLite, so a new document's clauses find their families by looking up their
bands, without recomputing the corpus. Candidate pairs are confirmed on the signatures'
estimated Jaccard similarity before two families merge (union-find, the smaller id survives).

Identical folded texts share one signature (``lineage_texts``); each clause points to its text
(``lineage_clauses``). A family is a set of texts; what makes it interesting is the number of
documents its clauses sit in.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable

from analyzer.normalize import t2s

SHINGLE = 3  # characters per shingle: Chinese words are 1-3 characters; an edit breaks 3 shingles
NUM_PERM = 64
SEED = 1
THRESHOLD = 0.5  # estimated Jaccard of the 3-gram sets for two clauses to be one family
MIN_CHARS = 16  # folded characters; shorter clauses (headings, "质保期一年") prove nothing
STAR_ONLY = 200  # LSH buckets bigger than this are only checked against their first member
BATCH = 4000  # texts hashed per numpy batch (memory stays around 100 MB)

_MAX_HASH = (1 << 32) - 1


_DIGITS = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿.%％]*[0-9０-９][0-9０-９.%％]*")
_DROP = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff0a-z]+")


def fold(norm: str) -> str:
    """The text clauses are compared on: edits that do not change what is asked fold away."""
    s = unicodedata.normalize("NFKC", norm).translate(t2s()).lower()
    s = _DIGITS.sub("0", s)
    return _DROP.sub("", s)


def text_key(folded: str) -> str:
    """The folded text two clauses are compared on: numbers, names, punctuation and script variants don't split a family."""
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:20]


@functools.lru_cache(maxsize=1)
def _params() -> tuple[object, object, int, int]:
    """datasketch's permutations (a, b) for NUM_PERM/SEED and its LSH split into bands × rows."""
    import numpy as np
    from datasketch import MinHash
    from datasketch.lsh import _optimal_param

    perms = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
    a, b = (np.asarray(p, dtype=np.uint32).reshape(-1, 1) for p in perms)
    bands, rows = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)
    return a, b, bands, rows


def signatures(texts: list[str]):
    """MinHash signatures (n × NUM_PERM, uint32) of the 3-gram sets of folded texts, in batches.

    Shingles are hashed with a polynomial over their code points (vectorised over the whole
    batch); then datasketch's default scheme (affine32): its MurmurHash3 finalizer, then
    ``a·h + b mod 2^32`` with its permutations, so the values equal ``MinHash.update_batch``'s.
    """
    import numpy as np
    from datasketch.minhash import _fmix

    a, b, _, _ = _params()
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    for lo in range(0, len(texts), BATCH):
        chunk = texts[lo:lo + BATCH]
        codes = np.frombuffer("".join(chunk).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lens = np.fromiter((len(t) for t in chunk), dtype=np.int64, count=len(chunk))
        ends = np.cumsum(lens)
        starts = ends - lens
        n_sh = np.maximum(lens - SHINGLE + 1, 1)  # a text shorter than a shingle is one shingle
        h = np.zeros(len(codes), dtype=np.uint64)
        for k in range(SHINGLE):  # h[i] = sum c[i+k]·P^k over the window (wraps mod 2^64)
            shifted = np.zeros(len(codes), dtype=np.uint64)
            shifted[:len(codes) - k] = codes[k:]
            h = h * np.uint64(1000003) + shifted
        h = (h ^ (h >> np.uint64(29))) & np.uint64(_MAX_HASH)
        # positions of each text's shingles, in order
        idx = np.repeat(starts, n_sh) + (np.arange(n_sh.sum()) - np.repeat(np.cumsum(n_sh) - n_sh, n_sh))
        hs = _fmix(h[idx].astype(np.uint32), 32)
        seg = np.concatenate(([0], np.cumsum(n_sh)[:-1]))
        with np.errstate(over="ignore"):
            hv = a * hs[None, :] + b
        out[lo:lo + len(chunk)] = np.minimum.reduceat(hv, seg, axis=1).T
    return out


def band_keys(sigs):
    """One signed 64-bit key per LSH band of each signature (n × bands): SQLite integers."""
    import numpy as np

    _, _, bands, rows = _params()
    keys = np.zeros((len(sigs), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(bands):
            k = np.full(len(sigs), np.uint64(i + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for j in range(rows):
                k = (k ^ sigs[:, i * rows + j].astype(np.uint64)) * np.uint64(0x100000001B3)
            keys[:, i] = k
    return keys.view(np.int64)


def similarity(sig_a, sig_b) -> float:
    """Estimated Jaccard similarity of two signatures (the share of equal minima)."""
    import numpy as np

    return float(np.mean(np.asarray(sig_a) == np.asarray(sig_b)))


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, x: str, y: str) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            lo, hi = (rx, ry) if rx < ry else (ry, rx)
            self.parent[hi] = lo


def update(store, progress: Callable[[str], None] | None = None) -> dict:
    """Add the clauses not yet in the lineage tables to their families; return counts.

    Only new clauses are folded and hashed; they meet old ones through the stored LSH bands,
    so a corpus is never recomputed. Old families that a new clause bridges merge.
    """
    import numpy as np

    pending = store.lineage_pending()
    if not pending:
        return {"clauses": 0, "texts": 0, "merged": 0}
    say = progress or (lambda _m: None)
    rows: list[tuple[str, str, str | None]] = []
    texts: dict[str, str] = {}
    for cid, doc_id, norm in pending:
        f = fold(norm or "")
        if len(f) < MIN_CHARS:
            rows.append((cid, doc_id, None))
            continue
        key = text_key(f)
        texts.setdefault(key, f)
        rows.append((cid, doc_id, key))
    stored = store.lineage_texts_info(list(texts))  # text key -> (signature bytes, family)
    new_keys = [k for k in texts if k not in stored]
    say(f"lineage: {len(pending)} new clauses, {len(new_keys)} new texts to hash")
    sigs = signatures([texts[k] for k in new_keys]) if new_keys else np.zeros((0, NUM_PERM), np.uint32)
    bands = band_keys(sigs) if new_keys else np.zeros((0, 1), np.int64)
    sig_of = {k: sigs[i] for i, k in enumerate(new_keys)}

    # candidates: buckets among the new texts, and stored texts sharing a band with a new one
    buckets: dict[int, list[str]] = defaultdict(list)
    for i, k in enumerate(new_keys):
        for bk in bands[i].tolist():
            buckets[bk].append(k)
    old = store.lineage_band_matches(list(buckets))  # band key -> stored text keys
    stored.update(store.lineage_texts_info({k for ks in old.values() for k in ks} - set(stored)))
    sig_of.update({k: np.frombuffer(v, dtype=np.uint32) for k, (v, _f) in stored.items()})
    uf = _Union()
    for k, (_v, fam) in stored.items():  # a stored text is one with its family, whichever group meets it
        uf.union(k, fam)
    for bk, members in buckets.items():
        group = sorted(set(old.get(bk, []))) + sorted(set(members))
        if len(group) < 2:
            continue
        head = group[0]
        pairs: Iterable[tuple[str, str]] = [(head, m) for m in group[1:]]
        if len(group) <= STAR_ONLY:
            pairs = [*pairs, *zip(group[1:], group[2:], strict=False)]
        for x, y in pairs:
            if uf.find(x) != uf.find(y) and similarity(sig_of[x], sig_of[y]) >= THRESHOLD:
                uf.union(x, y)
    # a stored text keeps its family id until a merge gives it a smaller one
    groups: dict[str, set[str]] = defaultdict(set)
    for k in set(new_keys) | set(uf.parent):
        groups[uf.find(k)].add(k)
    remap: dict[str, str] = {}
    fam_of_new: dict[str, str] = {}
    for group in groups.values():
        fams = {stored[k][1] if k in stored else k for k in group}
        target = min(fams)
        remap.update({f: target for f in fams if f != target})
        fam_of_new.update({k: target for k in group if k not in stored})
    store.lineage_write(
        texts=[(k, sig_of[k].astype(np.uint32).tobytes(), fam_of_new[k]) for k in new_keys],
        bands=[(int(bk), k) for i, k in enumerate(new_keys) for bk in bands[i].tolist()],
        clauses=rows, remap=remap)
    return {"clauses": len(pending), "texts": len(new_keys), "merged": len(remap)}


def families(store, flagged: bool = False, label: str | None = None, min_docs: int = 2) -> list[dict]:
    """Families of clauses found in at least ``min_docs`` documents, most widespread first.

    Each carries its documents (name, sha256, clause id, page, date, buyer, region), ``size``
    (documents), ``first_seen`` (the earliest document date; null when none is known), the
    finding labels on its clauses and whether any clause sits in a boilerplate zone.
    """
    labels = None
    if label:
        from analyzer.taxonomy import load

        labels = load().descendants(label)
    update(store)
    out = []
    for fam, rows in store.lineage_family_rows(min_docs, flagged_only=flagged, labels=labels):
        out.append(_family(fam, rows))
    out.sort(key=lambda f: (-f["size"], f["first_seen"] or "9999", f["family"]))
    return out


def similar(store, clause_id: str) -> dict:
    """The family of one clause (all its members, even in the same document)."""
    from analyzer.errors import AnalyzerError

    update(store)
    fam = store.lineage_family_id(clause_id)
    if fam is None:
        if not store.clause_exists(clause_id):
            raise AnalyzerError(f"no clause {clause_id!r}; clause ids are listed by `analyzer findings`")
        return {"family": None, "clause_id": clause_id, "size": 1, "documents": [], "labels": [],
                "first_seen": None, "note": f"too short to compare (under {MIN_CHARS} characters once folded)"}
    rows = store.lineage_family_members(fam)
    return {"clause_id": clause_id, **_family(fam, rows)}


def _family(fam: str, rows: list[dict]) -> dict:
    docs = []
    seen: set[str] = set()
    for r in sorted(rows, key=lambda r: (r["published"] or "9999", r["document"], r["clause_id"])):
        if r["clause_id"] in seen:
            continue
        seen.add(r["clause_id"])
        docs.append({k: r[k] for k in ("document", "sha256", "clause_id", "page", "published", "buyer",
                                       "region", "zone", "text")})
    labels = sorted({lab for r in rows for lab in (r["labels"] or "").split(",") if lab})
    dates = [d["published"] for d in docs if d["published"]]
    return {
        "family": fam, "size": len({d["sha256"] for d in docs}), "clauses": len(docs),
        "first_seen": min(dates) if dates else None, "labels": labels,
        "buyers": sorted({d["buyer"] for d in docs if d["buyer"]}),
        "regions": sorted({d["region"] for d in docs if d["region"]}),
        "boilerplate": any(d["zone"] for d in docs), "documents": docs,
    }


def seen_elsewhere(store) -> dict[str, list[dict]]:
    """For each clause in a family spanning several documents: the other documents (for evidence cards)."""
    update(store)
    out: dict[str, list[dict]] = {}
    for _fam, rows in store.lineage_family_rows(2, flagged_only=True, labels=None):
        for r in rows:
            others = {o["sha256"]: {"document": o["document"], "sha256": o["sha256"], "clause_id": o["clause_id"],
                                    "page": o["page"]} for o in rows if o["sha256"] != r["sha256"]}
            out[r["clause_id"]] = list(others.values())
    return out
