"""Matching thousands of literal terms at once: the longest listed term at every position.

The rules look up every taxonomy term, cue and refuter word in each clause; one regex
alternation of thousands of terms was slower to compile and to run than a dictionary keyed on
each term's first character, and that in turn slower than an Aho-Corasick automaton
(classify/rules.py uses these scanners).
"""

from __future__ import annotations

import re


class _Match:
    """A re.Match look-alike: where a term starts and the term as written."""

    __slots__ = ("_start", "_term")

    def __init__(self, start: int, term: str):
        self._start, self._term = start, term

    def start(self) -> int:
        """Where the term starts in the text."""
        return self._start

    def group(self, _n: int = 0) -> str:
        """The term as written in the text (any group number gives it)."""
        return self._term


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
# Case-folded (English) matching also treats a hyphen or an underscore as a space, one character for
# one so offsets hold: "flood early-warning" and flood_early_warning are the listed "flood early warning".
_ASCII_FOLD = {**_ASCII_LOWER, ord("-"): " ", ord("_"): " "}
_FOLDED = re.compile("[A-Z_-]")  # the characters _ASCII_FOLD changes


class TermScanner:
    """The longest listed term starting at every position, overlaps kept.

    An Aho-Corasick automaton (pyahocorasick, in C) over every term: one pass over the text
    finds every occurrence of every term, and Python only sees the few matches. A dictionary
    keyed on each term's first character (the earlier scanner) tried a slice at almost every
    character of a Chinese clause, since most ideographs begin some term; on a dense 200-page
    tender that loop cost more than the rest of classification. With ``ignore_case`` ASCII is
    folded by str.translate, which keeps offsets (letters to lower case, - and _ to a space), and
    the original text is returned.
    """

    def __init__(self, terms, ignore_case: bool = False):
        import ahocorasick

        self.ignore_case = ignore_case
        self.terms = {self._fold(t) for t in terms if t}
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for t in self.terms:
            self._automaton.add_word(t)
        if self.terms:
            self._automaton.make_automaton()

    def _fold(self, text: str) -> str:
        # (most Chinese clauses hold nothing to fold, and translate costs a dictionary lookup a character)
        return text.translate(_ASCII_FOLD) if self.ignore_case and _FOLDED.search(text) else text

    def fold(self, text: str) -> str:
        """``text`` as the scanner compares it (case and joiners folded when it ignores case)."""
        return self._fold(text)

    def finditer(self, text: str) -> list[_Match]:
        """re-style matches (start(), group(1)) of the longest term at each position, in order."""
        if not self.terms:
            return []
        longest: dict[int, int] = {}
        for end, length in self._automaton.iter(self._fold(text)):
            start = end - length + 1
            if length > longest.get(start, 0):
                longest[start] = length
        return [_Match(start, text[start:start + longest[start]]) for start in sorted(longest)]

    def search(self, text: str) -> _Match | None:
        """The first match, or None."""
        found = self.finditer(text)
        return found[0] if found else None


def overlapping(terms: dict, flags: int = 0) -> TermScanner:
    """A scanner reporting the longest term starting at every position (overlaps kept)."""
    return TermScanner(terms, ignore_case=bool(flags & re.I))
