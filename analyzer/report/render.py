"""Write the report: gather evidence, find and copy the originals, render crops, fill a template.

HTML is rendered with autoescaping on, and the Markdown template escapes every value it
prints (``finalize``), because every string that comes from a tender — clause text, file
names, buyer names — is untrusted input.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from analyzer.report.evidence import TIERS, Evidence, confidence, gather

FORMATS = {"html": ("report.html", "index.html"), "md": ("report.md", "report.md")}  # template, output
TEMPLATES = Path(__file__).with_name("templates")
PAGED_FORMATS = {"pdf"}


@dataclass
class ReportResult:
    """What was written, and what could not be shown (so the CLI can say so)."""

    path: Path
    cards: int = 0
    crops: int = 0
    missing_sources: list[str] = field(default_factory=list)


def write_report(store, out_dir: Path, fmt: str = "html", *, sources: list[Path] | None = None,
                 copy_files: bool = True) -> ReportResult:
    """Write the report for every finding in ``store`` into ``out_dir``; returns the main file's path.

    :param sources: extra folders to look for the original files in, when they have moved
        since analysis (paths are tried as recorded, then relative to the current folder and
        the database's folder, then under each of these).
    :param copy_files: copy each flagged original into ``out_dir/files`` so page links work
        when the folder is published or handed on.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ev = gather(store)
    roots = [Path.cwd()]
    if getattr(store, "path", None):
        roots.append(Path(store.path).resolve().parent)
    roots += [Path(s) for s in sources or []]
    result = ReportResult(path=out_dir / FORMATS[fmt][1], cards=len(ev.cards))
    _attach_sources(ev, out_dir, roots, copy_files, result)
    current = {c.crop for c in ev.cards if c.crop}
    for old in (out_dir / "crops").glob("*.png"):  # a crop left from an earlier run would mislead
        if f"crops/{old.name}" not in current:
            old.unlink()
    text = _env(fmt).get_template(FORMATS[fmt][0]).render(
        ev=ev, tiers=TIERS, generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        database=Path(store.path).name if getattr(store, "path", None) else "(in memory)",
        version=_version())
    # Tender text and file names are untrusted: control characters (ANSI escapes, BEL, …) are
    # shown as \\x.. so neither a browser nor `cat report.md` in a terminal acts on them.
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
    result.path.write_text(text, encoding="utf-8")
    return result


def _version() -> str:
    from analyzer import __version__

    return __version__


def _attach_sources(ev: Evidence, out_dir: Path, roots: list[Path], copy_files: bool, result: ReportResult) -> None:
    from analyzer.report import sources
    from analyzer.report.crops import render_crops

    for doc, cards in ev.by_document:
        sha = doc.get("sha256") or doc.get("id") or ""
        fmt = (doc.get("format") or "").lower()
        data = sources.find(sha, doc.get("paths") or [], roots)
        if data is None:
            result.missing_sources.append(doc.get("name") or sha)
            where = ", ".join(doc.get("paths") or []) or "no recorded path"
            for c in cards:
                c.crop_note = (f"Original not found or changed since analysis ({where}); "
                               "run the report with --source DIR pointing at the files.")
            continue
        href = None
        if copy_files:
            rel = Path("files") / sha[:12] / safe_name(doc.get("name") or f"{sha[:12]}.{fmt or 'bin'}")
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.stat().st_size != len(data):
                target.write_bytes(data)
            href = quote(rel.as_posix())
        for c in cards:
            c.file_href = f"{href}#page={c.page}" if href and fmt in PAGED_FORMATS and c.page else href
        if fmt not in PAGED_FORMATS:
            for c in cards:
                c.crop_note = f"No page image: a {fmt.upper() or 'file'} of this kind has no fixed pages."
            continue
        wanted = [(c.page or 1, c.bbox, out_dir / "crops" / f"{safe_name(c.clause_id)}.png") for c in cards]
        done = render_crops(data, wanted)
        for c, (_, _, png) in zip(cards, wanted, strict=True):
            err = done.get(png)
            if err is None:
                c.crop = (Path("crops") / png.name).as_posix()
                result.crops += 1
                if not c.bbox:
                    c.crop_note = "The clause's position on the page is not known: the whole page is shown."
            else:
                c.crop_note = err


def safe_name(name: str) -> str:
    """A file name safe on every system and in a URL path, keeping Chinese characters readable."""
    name = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|#%&]+', "_", name).strip(" .") or "file"
    return name[:150]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


def _env(fmt: str):
    import jinja2

    if fmt == "html":
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                 trim_blocks=True, lstrip_blocks=True)
    else:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                                 trim_blocks=True, lstrip_blocks=True, finalize=_md_finalize)
        env.filters["mdquote"] = md_quote
        env.filters["mdcode"] = md_code
        env.filters["mdlink"] = md_link
        env.filters["mdstart"] = md_start
    env.filters["pct"] = lambda v: "" if v is None else f"{v:.2f}"
    env.filters["conf"] = confidence
    env.filters["when"] = lambda v: str(v).replace("T", " ") if v else v
    return env


class MdSafe(str):
    """Markdown built by our own filters from escaped parts; printed as is."""


# Backslash escapes (CommonMark) rather than entities, so the raw Markdown still reads well
# when pasted into notes; ``&`` is escaped so that "&lt;" in a tender stays literal.
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
MD_LINE_START = re.compile(r"^(\s*)(\d*)(>|[#+\-.)](?=\s|$))")  # blockquote, heading, list item


def _escape_line_start(s: str) -> str:
    """Backslash the character that would make a line a heading, list item or quote ("1." -> "1\\.")."""
    m = MD_LINE_START.match(s)
    if not m or (m.group(3) in ".)" and not m.group(2)) or (m.group(2) and m.group(3) not in ".)"):
        return s
    return s[:m.start(3)] + "\\" + s[m.start(3):]


def md_escape(value: object) -> str:
    """Escape text for Markdown: no markup, link or raw HTML can come from tender text."""
    s = "" if value is None else str(value)
    s = re.sub(r"\s+", " ", s)  # one line: a newline in a table cell would break the table
    return MD_SPECIAL.sub(r"\\\1", s)


def md_start(value: object) -> MdSafe:
    """Escaped text that begins a line, where "1." or "# " would otherwise start a list or heading."""
    return MdSafe(_escape_line_start(md_escape(value)))


def _md_finalize(value: object) -> str:
    return value if isinstance(value, MdSafe) else md_escape(value)


def md_quote(segments: list[tuple[str, str | None]]) -> MdSafe:
    """A clause as a Markdown blockquote, line breaks kept, matched spans in bold."""
    lines: list[str] = [""]
    for text, cls in segments:
        for i, part in enumerate(str(text or "").replace("\r", "").split("\n")):
            if i:
                lines.append("")
            esc = MD_SPECIAL.sub(r"\\\1", part)
            if cls and esc.strip():  # CommonMark bold must hug its text
                core = esc.strip()
                lead, trail = esc[:len(esc) - len(esc.lstrip())], esc[len(esc.rstrip()):]
                esc = f"{lead}**{core}**{trail}"
            lines[-1] += esc
    return MdSafe("\n".join("> " + _escape_line_start(ln.strip()) if ln.strip() else ">" for ln in lines))


def md_code(value: object) -> MdSafe:
    """Text safe inside Markdown inline code (backticks cannot end it)."""
    s = "" if value is None else str(value).replace("`", "'")
    return MdSafe(f"`{s}`")


def md_link(href: str | None, label: object, prefix: str = "") -> MdSafe:
    """A link (nothing when there is no target); the target goes in <> so spaces and brackets are safe."""
    if not href:
        return MdSafe("")
    return MdSafe(f"{prefix}[{md_escape(label)}](<{href.replace('>', '%3E').replace('<', '%3C')}>)")
