"""`analyzer report`: evidence cards with quotes, page crops and links; escaping; a real browser."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import CORPUS, run_cli

from analyzer.report.evidence import segments
from analyzer.report.render import md_escape, md_quote, safe_name

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HOSTILE = """第三章 采购需求
一、功能需求
1.系统应对涉疆人员进行实时预警。<script>alert(1)</script>
2.平台应支持\"><img src=x onerror=alert(2)>对重点上访人员购票进行预警推送。
"""


class _Tags(HTMLParser):
    """Collect the attributes of <img> and <a> tags and any <script> element."""

    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "script":
            self.scripts += 1


def _tags(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def html_report(sample_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    res = run_cli("report", "--db", str(sample_db), "--out", str(out))
    assert res.exit_code == 0, res.stderr
    assert res.stdout.strip() == str(out / "index.html")
    return out


def _group_findings(sample_findings: list[dict]) -> list[dict]:
    return [f for f in sample_findings if f["kind"] == "group"]


def test_report_has_a_card_per_flagged_clause(html_report, sample_findings):
    html = (html_report / "index.html").read_text(encoding="utf-8")
    groups = _group_findings(sample_findings)
    clauses = {f["clause_id"] for f in groups}
    assert html.count('<article class="card"') == len(clauses)
    for f in groups:
        assert f["clause_id"] in html
        assert f["sha256"] in html
        assert f"page <b>{f['page']}</b>" in html
    for name in {f["document"] for f in groups}:
        assert name in html


def test_card_quotes_clause_verbatim_and_highlights_evidence(html_report, sample_findings):
    import html as htmllib
    import re

    from markupsafe import escape

    page = (html_report / "index.html").read_text(encoding="utf-8")
    quotes = {htmllib.unescape(re.sub(r"</?mark[^>]*>", "", q))
              for q in re.findall(r'<blockquote class="quote"[^>]*>(.*?)</blockquote>', page, flags=re.S)}
    for f in _group_findings(sample_findings):
        assert f'<mark class="hit-group">{escape(f["evidence"])}</mark>' in page
        assert f["text"] in quotes  # the raw clause, line breaks and all


def test_pdf_cards_have_a_real_png_crop_and_a_page_link(html_report, sample_findings):
    from PIL import Image

    html = (html_report / "index.html").read_text(encoding="utf-8")
    tags = _tags(html)
    pdf_findings = [f for f in _group_findings(sample_findings) if f["document"].endswith(".pdf")]
    if not pdf_findings:
        pytest.skip("the classifier flagged no clause in the sample PDFs")
    crops = [i["src"] for i in tags.imgs if i.get("src", "").startswith("crops/")]
    assert len(crops) == len({f["clause_id"] for f in pdf_findings})
    for src in crops:
        png = html_report / src
        assert png.read_bytes()[:8] == PNG_MAGIC
        with Image.open(png) as im:
            assert im.width > 300 and im.height > 60
    boxed = next(f for f in pdf_findings if f["bbox"])
    with Image.open(html_report / "crops" / f"{boxed['clause_id']}.png") as im:
        rgb = im.convert("RGB").tobytes()
        red = sum(1 for i in range(0, len(rgb), 3) if rgb[i] > 200 and rgb[i + 1] < 80 and rgb[i + 2] < 80)
    assert red > 100, "the clause's box is outlined in red"
    f = pdf_findings[0]
    link = next(h for h in tags.links if h.endswith(f"#page={f['page']}") and f["document"] in unquote(h))
    copied = html_report / unquote(link.split("#")[0])
    assert hashlib.sha256(copied.read_bytes()).hexdigest() == f["sha256"]


def test_overview_matrix_and_attention(html_report, sample_findings):
    html = (html_report / "index.html").read_text(encoding="utf-8")
    assert 'id="documents"' in html and 'id="matrix"' in html and 'id="attention"' in html
    assert "songjiang_style_tender.pdf" in html and "上海市云间区公安分局" in html
    assert "¥3,150,000" in html
    if _group_findings(sample_findings):
        first = _group_findings(sample_findings)[0]
        assert f'href="#cell-{first["label"]}"' in html
    assert "scanned_tender_excerpt.pdf" in html.split('id="attention"')[1].split('id="evidence"')[0]


def test_procurement_timeline_joins_tender_and_award(html_report):
    html = (html_report / "index.html").read_text(encoding="utf-8")
    section = html.split('id="procurements"', 1)[1].split('id="matrix"', 1)[0]
    songjiang = section.split("SHSJ-GA-2023-017", 1)[1].split("</section>", 1)[0]
    rows = [name for name in ("songjiang_style_tender.pdf", "notice_gbk.html", "award_notice.html") if name in songjiang]
    assert rows == ["songjiang_style_tender.pdf", "notice_gbk.html", "award_notice.html"]  # tender before award
    assert songjiang.index("songjiang_style_tender.pdf") < songjiang.index("award_notice.html")
    assert "won by 上海澄元智能科技有限公司 for ¥2,268,000" in songjiang and "Uyghur" in songjiang


def test_markdown_report(sample_db, sample_findings, tmp_path):
    res = run_cli("report", "--db", str(sample_db), "--out", str(tmp_path), "--format", "md")
    assert res.exit_code == 0, res.stderr
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Evidence report")
    groups = _group_findings(sample_findings)
    for f in groups:
        assert f["sha256"] in md
        assert f"**{md_escape(f['evidence'])}**" in md
    if any(f["document"].endswith(".pdf") for f in groups):
        assert "![page " in md
        src = md.split("![page ", 1)[1].split("](<", 1)[1].split(">)", 1)[0]
        assert (tmp_path / src).read_bytes()[:8] == PNG_MAGIC


def _hostile_db(tmp_path: Path) -> Path:
    src = tmp_path / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    db = tmp_path / "hostile.db"
    res = run_cli("analyze", str(src), "--db", str(db), "--quiet", "--workers", "1")
    assert res.exit_code == 0, res.stderr
    return db


def test_hostile_tender_text_is_escaped(tmp_path):
    db = _hostile_db(tmp_path)
    out = tmp_path / "rep"
    assert run_cli("report", "--db", str(db), "--out", str(out)).exit_code == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "涉疆人员" in html, "the targeting clause became a card"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    tags = _tags(html)
    assert tags.scripts == 0 and not any("onerror" in i for i in tags.imgs)
    assert run_cli("report", "--db", str(db), "--out", str(out), "-f", "md").exit_code == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "\\<script\\>" in md


def test_report_with_no_findings(tmp_path):
    src = tmp_path / "canteen.txt"
    src.write_text("1.食堂采购大米一批，质保期一年。\n2.供应商应按时送货。\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert run_cli("analyze", str(src), "--db", str(db), "--quiet", "--workers", "1").exit_code == 0
    for fmt, name in (("html", "index.html"), ("md", "report.md")):
        res = run_cli("report", "--db", str(db), "--out", str(tmp_path / "r"), "-f", fmt)
        assert res.exit_code == 0, res.stderr
        assert "No evidence cards" in (tmp_path / "r" / name).read_text(encoding="utf-8")


def test_moved_originals_are_found_with_source_and_checked_by_hash(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CORPUS / "songjiang_style_tender.pdf", corpus)
    db = tmp_path / "m.db"
    assert run_cli("analyze", str(corpus), "--db", str(db), "--quiet", "--workers", "1").exit_code == 0
    moved = tmp_path / "moved"
    corpus.rename(moved)
    res = run_cli("report", "--db", str(db), "--out", str(tmp_path / "r1"))
    assert res.exit_code == 0 and "--source" in res.stderr
    html = (tmp_path / "r1" / "index.html").read_text(encoding="utf-8")
    if 'class="card"' not in html:
        pytest.skip("no group finding in the sample tender")
    assert "Original not found" in html and not list((tmp_path / "r1").glob("crops/*.png"))
    res = run_cli("report", "--db", str(db), "--out", str(tmp_path / "r2"), "--source", str(moved))
    assert res.exit_code == 0 and "--source" not in res.stderr
    assert list((tmp_path / "r2").glob("crops/*.png"))
    (moved / "songjiang_style_tender.pdf").write_bytes(b"%PDF-1.4 a different file")
    run_cli("report", "--db", str(db), "--out", str(tmp_path / "r3"), "--source", str(moved))
    assert not list((tmp_path / "r3").glob("crops/*.png")), "a file with another sha256 is never used"


def test_archive_member_is_found_inside_the_zip(sample_db, html_report):
    from analyzer.report import sources
    from analyzer.store import Store

    store = Store(sample_db)
    member = next(d for d in store.documents() if "!/" in (d["paths"] or ""))
    store.close()
    import json

    data = sources.find(member["sha256"], json.loads(member["paths"]), [Path.cwd()])
    assert data is not None and hashlib.sha256(data).hexdigest() == member["sha256"]


def test_segments_and_markdown_escaping():
    text = "系统应对涉疆人员进行布控预警"
    segs = segments(text, [
        {"kind": "capability", "start": 10, "end": 12, "evidence": "布控"},
        {"kind": "group", "start": 4, "end": 8, "evidence": "涉疆人员"},
        {"kind": "capability", "start": None, "end": None, "evidence": "预警"},  # no offsets: found by text
        {"kind": "group", "start": 0, "end": 2, "evidence": "不对"},  # offsets disagree with evidence: skipped
    ])
    assert "".join(s for s, _ in segs) == text
    assert ("涉疆人员", "hit-group") in segs and ("布控", "hit-capability") in segs
    assert ("预警", "hit-capability") in segs and segs[0] == ("系统应对", None)
    assert md_escape("a*b_[c](d)<e>|f") == "a\\*b\\_\\[c\\](d)\\<e\\>\\|f"
    assert md_quote([("1. 第一行\n# 第二行 ", None), ("涉疆", "hit-group")]) == "> 1\\. 第一行\n> \\# 第二行 **涉疆**"
    assert safe_name('../a/b:c?.pdf') == "_a_b_c_.pdf"


def _screenshot(page: Path, png: Path, tmp: Path, height: int = 2000) -> None:
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp}", f"--screenshot={png}", f"--window-size=1280,{height}", page.as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="chromium not installed (WITH_CHROMIUM=1 scripts/system-deps.sh installs it)")
def test_report_renders_in_headless_chromium(html_report, tmp_path):
    """The report as a person sees it: the header band, the tables and Chinese text actually drawn."""
    from PIL import Image

    png = tmp_path / "report.png"
    _screenshot(html_report / "index.html", png, tmp_path / "profile")
    assert png.exists() and png.read_bytes()[:8] == PNG_MAGIC, "chromium took no screenshot"
    with Image.open(png) as im:
        im = im.convert("RGB")
        assert im.size == (1280, 2000)
        assert im.getpixel((20, 20)) == (0x12, 0x30, 0x4F), "the dark header band is drawn"
        colours = im.resize((128, 200)).getcolors(maxcolors=100000) or []
        assert len(colours) > 50, "the page is not blank"
        body = im.crop((0, 400, 1280, 2000)).convert("L")
        dark = sum(body.histogram()[:100])
        assert dark > 5000, "text is drawn below the header"
    keep = Path(__file__).resolve().parent.parent / ".pytest_cache" / "report-screenshot.png"
    keep.parent.mkdir(exist_ok=True)
    shutil.copy(png, keep)  # for a person to look at after the run


def test_documents_list_the_systems_of_flagged_clauses_first(sample_db):
    """The pair in the documents table: the capabilities and data sources asked for in the flagged
    clauses, then, apart, the capabilities found only elsewhere in the document."""
    from analyzer.report.evidence import gather
    from analyzer.store import Store

    store = Store(sample_db)
    ev = gather(store)
    store.close()
    flagged = [d for d in ev.documents if d["cards"]]
    assert flagged and any(d["capabilities"] for d in flagged)
    for d in ev.documents:
        paired = {f["label"] for c in d["cards"] for f in c.others}
        assert {c["id"] for c in d["capabilities"]} == paired
        assert not paired & {c["id"] for c in d["other_capabilities"]}
