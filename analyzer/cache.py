"""The user's cache folder: built models, and small derived data kept between runs.

Derived data (the parsed taxonomy, the first characters of its patterns) is never required:
a missing, unreadable or stale file is rebuilt, and a cache that cannot be written is
skipped. Entries are keyed by a hash of everything they derive from, so an edited taxonomy
or another Python never reads an old entry. Saves ~0.1 s at every start, which is most of
what a one-file run costs beyond the file itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from analyzer import __version__


def cache_dir() -> Path:
    """Where analyzer keeps built models: $ANALYZER_CACHE, else $XDG_CACHE_HOME/analyzer, else ~/.cache/analyzer."""
    if os.environ.get("ANALYZER_CACHE"):
        return Path(os.environ["ANALYZER_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "analyzer"
    return Path.home() / ".cache" / "analyzer"


def key(*parts: str | bytes) -> str:
    """A hash of ``parts`` plus the analyzer and Python versions (both change what is derived)."""
    h = hashlib.sha256(f"{__version__}|{sys.version_info[0]}.{sys.version_info[1]}".encode())
    for p in parts:
        h.update(b"\0")
        h.update(p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p)
    return h.hexdigest()[:32]


def derived_path(name: str, k: str, suffix: str = ".json") -> Path:
    """Where the derived entry ``name`` with key ``k`` lives (regex_cache.py keeps marshal files there)."""
    return cache_dir() / "derived" / f"{name}-{k}{suffix}"


def read_json(name: str, k: str) -> Any | None:
    """The cached JSON for ``key``, or None when missing, stale or unreadable (then it is rebuilt)."""
    try:
        return json.loads(derived_path(name, k).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(name: str, k: str, value: Any) -> None:
    """Write atomically (a temporary file renamed into place); any failure leaves no entry."""
    path = derived_path(name, k)
    try:
        text = json.dumps(value, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except (OSError, TypeError, ValueError):
        return


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place: a reader (another
    worker, another run) sees the old file or the whole new one, never half; errors are raised."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """``write_text_atomic`` for bytes."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
