"""Load the versioned taxonomy (taxonomy.yaml): target groups, capabilities, data sources.

Ids are stable (docs/taxonomy.md §2). Parents are implied: a finding on ``foreign_journalist``
is also about ``journalist``, so label filters and evaluation expand through ``parent``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("taxonomy.yaml")
KINDS = {"groups": "group", "capabilities": "capability", "data_sources": "data_source"}


@dataclass
class Label:
    """One taxonomy id: kind, parent, terms (strong, weak, regex, English), exclusions, gloss, sources."""
    id: str
    kind: str  # group | capability | data_source
    name: str
    gloss: str
    parent: str | None = None
    zh: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    zh_regex: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Taxonomy:
    """The versioned vocabulary: labels by id and the context words of the targeting test."""
    version: str
    labels: dict[str, Label]
    # The targeting test's vocabulary (cues, refuters, frames, proxy sites): lists of pattern
    # alternatives, or label -> patterns mappings (proxy_sites, weak_en).
    context: dict[str, list[str] | dict[str, Any]]

    def ancestors(self, label: str) -> list[str]:
        """The label itself, then its parent chain."""
        out = []
        cur: str | None = label
        while cur and cur in self.labels and cur not in out:
            out.append(cur)
            cur = self.labels[cur].parent
        return out or [label]

    def descendants(self, label: str) -> list[str]:
        """The label and every label that has it as an ancestor (for --label filters)."""
        return [k for k in self.labels if label in self.ancestors(k)] or [label]

    def expand(self, labels: list[str] | set[str]) -> set[str]:
        """The labels with all their ancestors (a child implies its parents)."""
        return {a for lab in labels for a in self.ancestors(lab)}

    def gloss(self, label: str) -> str | None:
        """The English gloss of a label, for findings and reports."""
        lab = self.labels.get(label)
        return lab.gloss if lab else None

    def kind_of(self, label: str) -> str | None:
        """group, capability or data_source for a label id (None when unknown)."""
        lab = self.labels.get(label)
        return lab.kind if lab else None


@functools.lru_cache(maxsize=4)
def load(path: str | Path = PATH) -> Taxonomy:
    """The taxonomy at ``path``, checked (every pattern compiles, every parent exists).

    A checked copy is kept as JSON in the user's cache, keyed by the file's bytes: parsing
    the YAML and compiling ~650 patterns to check them costs ~70 ms at every start.
    """
    from analyzer import cache

    raw = Path(path).read_bytes()
    k = cache.key(raw)
    data = cache.read_json("taxonomy", k)
    if isinstance(data, dict):
        return _build(data, check=False)
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
    data = yaml.load(raw.decode("utf-8"), Loader=loader)
    tax = _build(data, check=True)
    cache.write_json("taxonomy", k, data)
    return tax


def _simplified(items: list) -> list:
    """Patterns and terms with traditional characters folded to simplified (text is matched so,
    analyzer/normalize.py), duplicates dropped: the hand-written traditional variants collapse into
    their simplified originals."""
    from analyzer.normalize import simplified

    out = [simplified(x) if isinstance(x, str) else x for x in items]
    return list(dict.fromkeys(out)) if all(isinstance(x, str) for x in out) else out


def _joined(context: dict) -> dict:
    """Context lists with every ``"@name"`` item replaced by the items of the top-level list ``name``.

    Several word lists are another list plus a few words (the nouns a camera network or an alert is
    about are ``people_words`` and police words); YAML cannot join lists, so a list names the one it
    extends and the loader splices it in, instead of the file keeping copies that drift apart.
    """
    def splice(items: list, seen: tuple[str, ...]) -> list:
        out: list = []
        for item in items:
            if isinstance(item, str) and re.fullmatch(r"@[a-z_]+", item):  # "@qq\.com" stays a pattern
                name = item[1:]
                base = context.get(name)
                if not isinstance(base, list) or name in seen:
                    raise ValueError(f"taxonomy: {item} names no context list (or joins itself)")
                out.extend(splice(base, (*seen, name)))
            else:
                out.append(item)
        return list(dict.fromkeys(out)) if all(isinstance(x, str) for x in out) else out

    return {k: ({kk: splice(vv, (k,)) if isinstance(vv, list) else vv for kk, vv in v.items()}
                if isinstance(v, dict) else splice(v, (k,))) for k, v in context.items()}


def _build(data: dict, check: bool) -> Taxonomy:
    labels: dict[str, Label] = {}
    for section, kind in KINDS.items():
        for id_, spec in (data.get(section) or {}).items():
            spec = spec or {}
            labels[id_] = Label(
                id=id_, kind=kind, name=spec.get("name") or id_, gloss=spec.get("gloss") or "",
                parent=spec.get("parent"), zh=_simplified(spec.get("zh") or []),
                weak=_simplified(spec.get("weak") or []), zh_regex=_simplified(spec.get("zh_regex") or []),
                en=list(spec.get("en") or []), exclude=_simplified(spec.get("exclude") or []),
                sources=list(spec.get("sources") or []),
            )
    for lab in labels.values():
        for pat in (lab.en + lab.zh_regex) if check else ():
            re.compile(pat)
        if lab.parent and lab.parent not in labels:
            raise ValueError(f"taxonomy: {lab.id} has unknown parent {lab.parent}")
    context = {k: {kk: _simplified(vv) if isinstance(vv, list) else _simplified([vv])[0] for kk, vv in v.items()}
               if isinstance(v, dict) else _simplified(list(v or [])) for k, v in (data.get("context") or {}).items()}
    context = _joined(context)
    for v in context.values():
        for pat in (v.values() if isinstance(v, dict) else v) if check else ():
            for p in (pat if isinstance(pat, list) else [pat]):
                re.compile(p)  # context lists are pattern alternatives: a bad one fails here, named by re
    return Taxonomy(str(data.get("version", "0")), labels, context)
