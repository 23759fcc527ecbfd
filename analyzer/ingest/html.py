"""HTML notice pages: a real parser (lxml via BeautifulSoup), declared encodings honoured,
server-page code, scripts, styles, comments and navigation dropped, tables kept row by row."""

from __future__ import annotations

import re
from pathlib import Path

from analyzer.errors import EmptyFile
from analyzer.ingest.text import check_length, decode
from analyzer.records import Document, Page, TableRow

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_\-]+)""", re.I)
DROP_TAGS = ["script", "style", "noscript", "iframe", "nav", "template", "svg", "head"]
# Inline elements never break a line: platforms split one sentence across <span>/<u>/<font> runs
# ("招标人为<u>X</u>，委托…"), and a line per run leaves every label apart from its value.
INLINE_TAGS = ["span", "u", "b", "i", "em", "strong", "font", "a", "sub", "sup", "small", "big", "s", "strike",
               "ins", "label", "abbr", "code", "mark", "o:p"]


def _inline(tag) -> bool:
    # Word-exported pages mangle "<span style='mso-spacerun:yes';…>" into tags named "spanyes';font-…".
    return tag.name in INLINE_TAGS or tag.name.startswith("span")


# Server-page code left in saved or scraped pages (JSP/ASP directives, scriptlets and expressions,
# JSP comments, PHP blocks): browsers never show it, but an HTML parser keeps it as text.
_SERVER_CODE = re.compile(r"<%--.*?--%>|<%.*?%>|<\?(?:php\b|=).*?(?:\?>|\Z)", re.S | re.I)


def strip_server_code(text: str) -> str:
    """The page without its server-side code (``<%@ page … %>``, ``<% … %>``, ``<%= … %>``, ``<?php … ?>``)."""
    return _SERVER_CODE.sub("", text)


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML file declares (BOM, meta charset), or None."""
    head = data[:4096]
    m = _META.search(head) or _XML_DECL.search(head)
    return m.group(1).decode("ascii") if m else None


# What browsers and archivers write into a saved page: IE/Edge "saved from url", SingleFile's
# header comment (with the time of saving), the canonical link and og:url.
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(https?://[^\s<>\"']+?)\s*-->", re.I)
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\s*url:\s*(https?://[^\s<>\"']+)\s*"
                         r"saved date:\s*([^<>]{8,80}?)\s*-->", re.I | re.S)
_HTTP = re.compile(r"https?://[^\s<>\"']{4,2000}$", re.I)


def saved_source(text: str, soup) -> tuple[str | None, str | None]:
    """(source URL, retrieval time in ISO 8601) that a saved web page records about itself.

    A journalist cites a notice by its address and the day it was read; when the browser or
    archiver that saved the page wrote those down, we keep them (the file's own word, never
    guessed). Only http(s) addresses count.
    """
    head = text[:20000]
    if m := _SINGLEFILE.search(head):
        return m.group(1), _when(m.group(2))
    if m := _SAVED_FROM.search(head):
        return m.group(1), None
    for tag, attrs, key in (("link", {"rel": "canonical"}, "href"), ("meta", {"property": "og:url"}, "content")):
        el = soup.find(tag, attrs=attrs)
        value = (el.get(key) or "").strip() if el is not None else ""
        if isinstance(value, str) and _HTTP.match(value):
            return value, None
    return None, None


def _when(raw: str) -> str | None:
    """SingleFile's "Tue Feb 20 2024 09:30:00 GMT+0800 (China Standard Time)" as ISO 8601."""
    from datetime import datetime

    m = re.match(r"\w{3} (\w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-]\d{4})", raw.strip())
    if not m:
        return None
    try:
        return datetime.strptime(f"{m.group(1)} {m.group(2)}", "%b %d %Y %H:%M:%S %z").isoformat()
    except ValueError:
        return None


def _cell(el) -> str:
    return " ".join(el.get_text(" ").split())


def read(path: Path) -> Document:
    """An HTML file's visible text (saved notice pages), as one page."""
    return parse(path.read_bytes(), path.name)


def parse(data: bytes, name: str) -> Document:
    """An HTML page's bytes as a Document; ``name`` is only for messages (notice records have no file)."""
    from bs4 import BeautifulSoup

    if not data.strip():
        raise EmptyFile(f"{name}: empty file")
    text, enc = decode(data, declared_encoding(data))
    check_length(name, text)
    soup = BeautifulSoup(strip_server_code(text), "lxml")  # comments and <?…?> never reach get_text
    title = soup.title.get_text(strip=True) if soup.title else None
    source_url, retrieved_at = saved_source(text, soup)
    for tag in soup(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_inline):
        tag.unwrap()
    soup.smooth()
    tables: list[list[TableRow]] = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is not None:
            continue
        rows: list[TableRow] = []
        header: list[str] = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            cells = [_cell(td) for td in tr.find_all(["td", "th"], recursive=False)]
            if not any(cells):
                continue
            if not header and (tr.find("th") is not None or len(rows) == 0):
                header = cells
                if tr.find("th") is not None or len(table.find_all("tr")) > 2:
                    continue
            rows.append(TableRow(cells, header))
        tables.append(rows)
        table.replace_with(f"\n\x00TABLE{len(tables) - 1}\x00\n")
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    page_rows: list[TableRow] = []
    pos = 0
    for raw_line in soup.get_text("\n").split("\n"):
        line = " ".join(raw_line.split())
        if not line:
            continue
        m = re.fullmatch("\x00TABLE(\\d+)\x00", line)
        rows = tables[int(m.group(1))] if m else []
        if rows and rows[0].header:
            # The header line stays in the text (metadata reads label rows), but is no clause row.
            header = " | ".join(rows[0].header)
            lines.append(header)
            pos += len(header) + 1
        items = [r.text for r in rows] if m else [line]
        page_rows.extend(rows)
        for item in items:
            if m:
                spans.append((pos, pos + len(item)))
            lines.append(item)
            pos += len(item) + 1
    body = "\n".join(lines)
    if not body.strip():
        raise EmptyFile(f"{name}: no text in the HTML page")
    page = Page(1, body, "html", rows=page_rows, table_spans=spans)
    return Document("html", [page], title=title, encoding=enc, source_url=source_url, retrieved_at=retrieved_at)
