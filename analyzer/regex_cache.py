"""Compiled regular expressions kept between runs, in the user's cache folder.

The rules compile a few hundred patterns built from the taxonomy (alternations of hundreds of
terms, case-folded English with word-boundary assertions). ``re`` spends ~0.4 s on that in
every process, a tenth of the rules path on a 200-page tender, and the answer never changes
for the same pattern on the same Python. ``re.compile`` is two steps: parse and generate the
matcher's code (pure Python, the slow part), then hand the code to the C engine
(``_sre.compile``, microseconds). This keeps the generated code, keyed by the exact Python
build and the engine's ``MAGIC``, and replays the second step.

Everything here is an optimisation, never a change in what matches: a pattern is compiled by
the same functions ``re.compile`` calls, the C engine validates the code it is given, and any
surprise (a Python whose internals differ, an unreadable or stale file) falls back to
``re.compile``. Nothing here is required to exist or to be writable.
"""

from __future__ import annotations

import marshal
import re
import sys
from typing import Any

from analyzer import cache

Entry = tuple[str, int, list[int], int, dict[str, int], tuple[str | None, ...]]


def _engine_key() -> str:
    try:
        import _sre

        magic = str(_sre.MAGIC)
    except (ImportError, AttributeError):  # pragma: no cover - every CPython has it
        magic = "?"
    return cache.key(sys.version, magic, str(sys.maxunicode))


def _generate(pattern: str, flags: int) -> Entry:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for ``pattern`` (raises on surprise)."""
    from re import _compiler, _parser

    tree = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(tree, flags)]
    groupindex = dict(tree.state.groupdict)
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return pattern, int(flags | tree.state.flags), code, tree.state.groups - 1, groupindex, tuple(indexgroup)


class RegexCache:
    """``compile`` as ``re.compile``, answered from a file of earlier runs' generated code.

    Use one per set of patterns that are built together (``name``), call ``save`` once they are
    all compiled: the file then holds exactly the patterns this run used, so an edited
    taxonomy replaces the stale ones instead of growing the file.
    """

    def __init__(self, name: str):
        self.name = name
        self._path = cache.derived_path(f"regex-{name}", _engine_key(), ".marshal")
        self._known: dict[tuple[str, int], Entry] = {}
        self._used: dict[tuple[str, int], Entry] = {}
        self._new = False
        try:
            loaded = marshal.loads(self._path.read_bytes())
            self._known = {(entry[0], flags): tuple(entry) for flags, entry in loaded}  # type: ignore[misc]
        except (OSError, EOFError, ValueError, TypeError):
            self._known = {}

    def compile(self, pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern:
        """The compiled ``pattern``, equal to ``re.compile(pattern, flags)``."""
        k = (pattern, int(flags))
        entry = self._known.get(k)
        if entry is not None:
            try:
                import _sre

                compiled = _sre.compile(*entry)
                self._used[k] = entry
                return compiled
            except Exception:  # the engine refused the code: generate it again
                pass
        try:
            entry = _generate(pattern, int(flags))
            import _sre

            compiled = _sre.compile(*entry)
        except re.error:
            raise
        except Exception:  # a Python whose regex internals differ: the plain way, nothing kept
            return re.compile(pattern, flags)
        self._used[k], self._new = entry, True
        return compiled

    def save(self) -> None:
        """Keep this run's patterns for the next run (only when something was new or dropped)."""
        if not self._new and len(self._used) == len(self._known):
            return
        data: list[Any] = [(flags, entry) for (_pattern, flags), entry in self._used.items()]
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            cache.write_bytes_atomic(self._path, marshal.dumps(data))
        except (OSError, ValueError):
            return
        self._known, self._new = dict(self._used), False
