"""Try a set of regular expressions only where one of them can start.

Python's ``re`` tries every branch of an alternation at every position of the text: with the
taxonomy's 88 Chinese and 558 English patterns that cost ~10 µs per character, more than all
the dictionary matching together. Reading each pattern's possible first characters from its
parse lets us jump (in C) to the few positions where a match can begin and try only the
patterns that can begin with that character there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path


@functools.lru_cache(maxsize=1)
def _lower_sources() -> dict[str, set[str]]:
    """Every BMP character by the one character it lowercases to: what re.IGNORECASE equates.

    Uses the simple case mapping that ``re`` itself uses (İ lowers to i there, to i̇ in str.lower).
    """
    try:
        from _sre import unicode_tolower as tolower
    except ImportError:  # pragma: no cover - every CPython has it
        def tolower(code: int) -> int:
            low = chr(code).lower()
            return ord(low) if len(low) == 1 else code
    out: dict[str, set[str]] = {}
    for code in range(0x10000):
        low = tolower(code)
        if low != code:
            out.setdefault(chr(low), set()).add(chr(code))
    return out


def first_chars(pattern: str, flags: int = 0) -> set[str] | None:
    """The set of characters a match of ``pattern`` can begin with, or None when unbounded.

    Read from the parsed pattern (``re._parser``). Lookarounds are zero-width and skipped, so
    a lookbehind still sees the text before the position it is tried at. Any surprise (a
    construct not handled here, or a Python whose parser differs) gives None, and the caller
    falls back to a plain search: the answer is an optimisation, never a change in matches.
    """
    try:
        import re._constants as c
        import re._parser as parser

        def seq(items, icase: bool) -> tuple[set[str] | None, bool]:
            chars: set[str] = set()
            for op, av in items:
                got, nullable = one(op, av, icase)
                if got is None:
                    return None, False
                chars |= got
                if not nullable:
                    return chars, False
            return chars, True

        extra = getattr(c, "_EXTRA_CASES", None)
        if extra is None:
            import re._compiler as compiler

            extra = getattr(compiler, "_EXTRA_CASES", {})  # s ~ ſ, k ~ K (Kelvin), i ~ ı ~ İ …

        def lit(code: int, icase: bool) -> set[str]:
            ch = chr(code)
            if not icase:
                return {ch}
            variants = {ch, ch.lower(), ch.upper()}
            for v in list(variants):
                if len(v) == 1:
                    variants.update(chr(x) for x in extra.get(ord(v.lower()), ()))
                    variants.update(_lower_sources().get(v.lower(), ()))  # the Kelvin sign K lowers to k
            return {v for v in variants if len(v) == 1}  # 'İ'.lower() is two characters

        def one(op, av, icase: bool) -> tuple[set[str] | None, bool]:
            if op is c.LITERAL:
                return lit(av, icase), False
            if op is c.IN:
                out: set[str] = set()
                for iop, iav in av:
                    if iop is c.LITERAL:
                        out |= lit(iav, icase)
                    elif iop is c.RANGE and iav[1] - iav[0] <= 64:
                        for code in range(iav[0], iav[1] + 1):
                            out |= lit(code, icase)
                    else:
                        return None, False
                return out, False
            if op is c.BRANCH:
                out, nullable = set(), False
                for alt in av[1]:
                    got, n = seq(alt, icase)
                    if got is None:
                        return None, False
                    out |= got
                    nullable = nullable or n
                return out, nullable
            if op is c.SUBPATTERN:
                return seq(av[3], icase or bool(av[1] & c.SRE_FLAG_IGNORECASE))
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                got, n = seq(av[2], icase)
                return got, n or av[0] == 0
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                return set(), True
            return None, False

        chars, nullable = seq(parser.parse(pattern, flags), bool(flags & re.I))
        return None if nullable else chars
    except Exception:  # pragma: no cover - a Python whose regex internals differ
        return None


def _first_chars_all(patterns: list[str], flags: int) -> list[set[str] | None]:
    """``first_chars`` of each pattern, kept in the user's cache: parsing ~650 patterns costs ~50 ms."""
    from analyzer import cache

    k = cache.key(Path(__file__).read_bytes(), str(flags), *patterns)  # this code's bytes: a fix here is a new key
    got = cache.read_json("firstchars", k)
    if isinstance(got, list) and len(got) == len(patterns):
        return [None if g is None else set(g) for g in got]
    out = [first_chars(p, flags) for p in patterns]
    cache.write_json("firstchars", k, [None if c is None else sorted(c) for c in out])
    return out


class FirstCharIndex:
    """``search`` answers whether any of ``patterns`` matches ``text``, as their alternation would.

    ``before`` and ``after`` wrap every pattern (zero-width assertions such as word boundaries):
    written once around each group instead of around each pattern, which compiles ~4x faster.
    Every group is compiled here, through ``compile`` (a RegexCache's, which replays earlier
    runs' work): a forked worker then inherits them all instead of compiling its own.
    """

    def __init__(self, patterns: list[str], flags: int = 0, before: str = "", after: str = "",
                 compile: Callable[[str, int], re.Pattern] = re.compile):
        self.flags, self.before, self.after = flags, before, after
        self.patterns = list(patterns)
        always: list[int] = []
        by_char: dict[str, list[int]] = {}
        for k, chars in enumerate(_first_chars_all([before + p for p in self.patterns], flags)):
            if chars is None:
                always.append(k)
            else:
                for ch in chars:
                    by_char.setdefault(ch, []).append(k)
        compiled: dict[tuple[int, ...], re.Pattern] = {}
        for ks in map(tuple, by_char.values()):
            if ks not in compiled:
                compiled[ks] = compile(self._join(ks), flags)
        self.by_char = {ch: compiled[tuple(ks)] for ch, ks in by_char.items()}
        self.start = re.compile("[" + "".join(map(re.escape, sorted(by_char))) + "]") if by_char else None
        self.always = compile(self._join(always), flags) if always else None

    def _join(self, ks: tuple[int, ...] | list[int]) -> str:
        alternation = "|".join(f"(?:{self.patterns[k]})" for k in ks)
        return f"{self.before}(?:{alternation}){self.after}"

    def search(self, text: str) -> bool:
        """Whether any of the patterns matches somewhere in text."""
        if self.always is not None and self.always.search(text):
            return True
        if self.start is None:
            return False
        by_char = self.by_char
        for m in self.start.finditer(text):
            rx = by_char.get(m.group())
            if rx is not None and rx.match(text, m.start()):
                return True
        return False
