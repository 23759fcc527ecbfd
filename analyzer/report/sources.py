"""Find the original bytes of a stored document, and prove they are the same file.

The database keeps the paths a file was seen at (``bundle.zip!member.pdf`` for archive
members), relative to wherever ``analyze`` ran. Those paths may have moved since, so we try
them as recorded, then under each extra root; archive members are found by hashing, since
member names may have been decoded from GBK differently. A candidate is used only when its
sha256 equals the document id: a crop from a different version of a tender is worse than
no crop.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

MAX_BYTES = 512 * 1024 * 1024  # never read more than this for one candidate
MAX_DEPTH = 3  # archives inside archives


def find(sha256: str, paths: Iterable[str], roots: Iterable[Path] = ()) -> bytes | None:
    """The bytes of the document whose sha256 is ``sha256``, or None if no recorded path still holds it."""
    roots = [Path(r) for r in roots]
    tried: set[Path] = set()
    for display in paths:
        from analyzer.records import MEMBER_SEP

        outer, *members = display.split(MEMBER_SEP)
        op = Path(outer)
        candidates = [op] if op.is_absolute() else [op, *(r / op for r in roots)]
        candidates += [r / op.name for r in roots]
        for cand in candidates:
            try:
                key = cand.resolve()
            except OSError:
                continue
            if key in tried or not cand.is_file():
                continue
            tried.add(key)
            data = _read(cand, sha256, bool(members))
            if data is not None:
                return data
    return None


def _read(path: Path, sha256: str, archive: bool) -> bytes | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() == sha256:
        return data
    return _in_zip(data, sha256, 0) if archive else None


def _in_zip(data: bytes, sha256: str, depth: int) -> bytes | None:
    import zipfile

    if depth >= MAX_DEPTH:
        return None
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with zf:
        for info in zf.infolist():
            if info.is_dir() or info.file_size > MAX_BYTES:
                continue
            try:
                member = zf.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
                continue  # encrypted or damaged member: not ours to open here
            if hashlib.sha256(member).hexdigest() == sha256:
                return member
            if member[:4] == b"PK\x03\x04" and (found := _in_zip(member, sha256, depth + 1)):
                return found
    return None
