"""analyze(paths): the only place that loops over files.

Per document: sha256 → skip if unchanged → ingest → segment → metadata → classify → boxes
→ one transactional write. Failure is recorded first and success last (ingest-file's
habit): any exception in a stage becomes the document's status and error, and the batch
goes on. Worker processes do the per-document work; only this process writes SQLite.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import __version__
from analyzer.errors import AnalyzerError, IngestError, LimitExceeded
from analyzer.ingest import GARBLED_TEXT
from analyzer.limits import DEFAULT, Limits
from analyzer.records import DONE_STATUSES, MEMBER_SEP, Clause, Document, Finding, Status
from analyzer.store import DocumentRecord, Store

if TYPE_CHECKING:
    from analyzer.classify.combine import Pending

# Inside folders, files of these kinds are code and data, not procurement documents: they are
# counted as ignored (and listed with --verbose progress), not analysed. Name one explicitly to
# analyse it anyway.
NOT_DOCUMENTS = {".py", ".pyc", ".json", ".jsonl", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".sh", ".js",
                 ".css", ".map", ".lock", ".db", ".sqlite", ".db-wal", ".db-shm", ".log"}
SKIP_DIRS = {".git", "__MACOSX", ".svn", ".hg", "__pycache__", ".venv", "node_modules"}


@dataclass
class Options:
    """How a batch is analysed: classifier, OCR mode, limits, re-analysis, executor."""
    method: str = "rules"  # rules | model | auto
    ocr_mode: str = "auto"  # auto | force | off
    limits: Limits = DEFAULT
    force: bool = False  # re-analyse even unchanged files
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    isolate: bool = True  # run files in watched worker processes even with one worker
    db_path: str | None = None  # where workers read cached embeddings from
    defer_model: bool = False  # auto: leave new model work to the parent's batch (classify/batch.py)


@dataclass
class Summary:
    """What a batch did: files seen, analysed, skipped, failed, unread, garbled, ignored."""
    files: int = 0
    analyzed: int = 0
    skipped: int = 0
    reread: int = 0  # unchanged files read again because the extraction changed (an upgrade)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, status, error)
    needs_ocr: list[str] = field(default_factory=list)
    garbled: list[tuple[str, str]] = field(default_factory=list)  # (path, note): read, but partly garbled
    ignored: list[str] = field(default_factory=list)  # code/data files met in folders, not analysed


# What can change a stored document: every stage's code and the data it reads (taxonomy, model head).
_EXTRACTION_PARTS = ("ingest", "normalize.py", "segment.py", "metadata", "classify", "taxonomy",
                     "records.py", "limits.py")


@functools.lru_cache(maxsize=1)
def extraction_version() -> str:
    """A hash of everything that can change a document's output, so upgrades re-read unchanged files.

    A constant (``__version__``) must be remembered on every change and was not; hashing the
    stages' own files (code, taxonomy, the trained head) cannot be forgotten. Databases written
    before it existed have no version stored and are re-read once.
    """
    root = Path(__file__).parent
    h = hashlib.sha256()
    for part in _EXTRACTION_PARTS:
        path = root / part
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file() and f.suffix != ".pyc" and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def sha256_file(path: Path) -> str:
    """The file's sha256, read in 1 MiB chunks: the document's id and what a reader cites."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def iter_files(paths: Iterable[str | Path], ignored: list[str] | None = None) -> Iterator[Path]:
    """Files under the given paths, recursively, in a stable order; hidden and VCS dirs skipped.

    Code and data files met inside folders are appended to ``ignored`` instead of yielded.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            seen: set[str] = set()
            for root, dirs, files in os.walk(p, followlinks=True):
                real = os.path.realpath(root)
                if real in seen:  # a symlink loop, or the same folder reached twice
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or name in ("Thumbs.db",):
                        continue
                    if Path(name).suffix.lower() in NOT_DOCUMENTS:
                        if ignored is not None:
                            ignored.append(str(Path(root) / name))
                        continue
                    yield Path(root) / name
        else:
            yield p


# -- per-document work (runs in worker processes) ---------------------------------------------


def classify_clauses(clauses: list[Clause], method: str, metadata: dict | None = None,
                     db_path: str | None = None, defer: bool = False) -> list[tuple[int, Finding]] | Pending:
    """Findings for a document's clauses with the named method (classify/combine.py); with
    ``defer``, a combine.Pending when the model has new clauses to read."""
    from analyzer.classify import combine

    return combine.classify(clauses, method, metadata, db_path, defer)


def _attach_boxes(doc: Document, clauses: list[Clause], flagged: set[int]) -> None:
    """Bounding boxes for flagged clauses: the union of the located words or lines they cover.

    PDF ingestion locates OCR words and text-layer lines while each page is open, so this
    needs no second pass over the file.
    """
    pages = {p.number: p for p in doc.pages}
    for c in clauses:
        if c.ordinal not in flagged or c.bbox is not None or c.page_start is None:
            continue
        end = c.page_end if c.page_end is not None else c.page_start + len(c.text)
        page = pages.get(c.page)
        if page is None or not page.words:
            continue
        boxes = [w.bbox for w in page.words if w.end > c.page_start and w.start < end]
        if boxes:
            c.bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                      max(b[2] for b in boxes), max(b[3] for b in boxes))


def _metadata(doc: Document) -> dict:
    from analyzer.metadata import document_metadata

    return document_metadata(doc)


def process_document(path: Path, display: str, sha: str, size: int, opts: Options,
                     fmt: str | None = None, parent: str | None = None) -> DocumentRecord:
    """Ingest, segment, classify one non-archive file. Never raises for a bad file."""
    from analyzer import ingest

    rec = new_record(sha, display, size, opts, fmt, parent)
    try:
        if size > opts.limits.max_file_bytes:
            raise LimitExceeded(f"{rec.name}: {size:,} bytes, over the {opts.limits.max_file_bytes:,}-byte limit")
        fmt = fmt or ingest.detect(path)
        rec.format = fmt
        return analyse(ingest.read(path, fmt, ocr_mode=opts.ocr_mode), rec, opts)
    except AnalyzerError as ex:
        rec.status = getattr(ex, "status", Status.FAILED)
        rec.error = str(ex)
    except MemoryError:
        rec.status, rec.error = Status.TOO_LARGE, f"{rec.name}: ran out of memory"
    except Exception as ex:  # a bug or a library crash on a hostile file: record it, keep going
        rec.status, rec.error = Status.FAILED, f"{rec.name}: {type(ex).__name__}: {ex}"
    return rec


def new_record(sha: str, display: str, size: int, opts: Options, fmt: str | None = None,
               parent: str | None = None) -> DocumentRecord:
    """A document's record before analysis: failed until ``analyse`` finishes (failure first)."""
    from analyzer.taxonomy import load

    return DocumentRecord(sha256=sha, name=leaf_name(display), path=display, size=size,
                          format=fmt, status=Status.FAILED, error="analysis did not finish",
                          parent_sha256=parent, method=opts.method, taxonomy_version=load().version)


# Text a document must hold before its metadata is read beside its segmentation on a second core
# (analyse): below it (~25 dense pages) the fork costs more than the ~1 ms a page it saves.
MIN_CHARS_TO_SPREAD = 50_000


def analyse(doc: Document, rec: DocumentRecord, opts: Options) -> DocumentRecord:
    """Segment, read metadata, classify and box an ingested document into ``rec`` (which it returns).

    Separate from reading the file so that documents that are not files (a crawler's notice
    records, ingest/notice.py) go through exactly the same stages. Raises what the stages raise.
    """
    from analyzer import workers
    from analyzer.segment import segment

    rec.pages, rec.encoding, rec.title = doc.pages, doc.encoding, doc.title
    if workers.cores() > 1 and sum(len(p.text) for p in doc.pages) >= MIN_CHARS_TO_SPREAD:
        # Two independent reads of the same pages: the metadata in a forked child (its small
        # dict comes back) while this process segments (its clauses stay here).
        clauses, rec.metadata = workers.spread(lambda stage: stage(doc), [segment, _metadata])
    else:
        clauses, rec.metadata = segment(doc), _metadata(doc)
    findings = classify_clauses(clauses, opts.method, rec.metadata, opts.db_path, opts.defer_model)
    if opts.method != "rules":
        from analyzer.classify.combine import Pending, new_embeddings

        rec.embeddings = new_embeddings(opts.method, opts.db_path)
        if isinstance(findings, Pending):
            rec.pending, findings = findings, findings.found
    flagged = {o for o, _ in findings}
    if rec.format == "pdf" and (flagged or rec.pending):
        # The model may flag the clauses it reads in the parent: box them now, while the page's
        # located lines are here; the parent drops the boxes of those it does not flag.
        maybe = set(rec.pending.chosen) - flagged if rec.pending else set()
        if maybe:
            unboxed = {c.ordinal for c in clauses if c.bbox is None}
            rec.pending.boxed = sorted(maybe & unboxed)
        _attach_boxes(doc, clauses, flagged | maybe)
    rec.clauses, rec.findings = clauses, findings
    unread = [p.number for p in doc.pages if p.needs_ocr]
    rec.status, rec.error = (Status.NEEDS_OCR, f"pages {_ranges(unread)} have no usable text and could not be "
                             f"OCRed: {doc.pages[unread[0] - 1].note}") if unread else (Status.OK, None)
    return rec


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    for n in nums:
        if out and "-" not in out[-1] and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}-{n}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == n - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ",".join(out)


def process_file(path: str, display: str, sha: str, size: int, opts: Options, depth: int = 0,
                 parent: str | None = None) -> list[DocumentRecord]:
    """One input file: a document, or an archive record plus one record per member."""
    from analyzer import ingest
    from analyzer.ingest import archive

    p = Path(path)
    try:
        fmt = ingest.detect(p)
    except AnalyzerError as ex:
        return [DocumentRecord(sha, Path(display).name, display, size, None, getattr(ex, "status", Status.FAILED),
                               str(ex), parent_sha256=parent)]
    except OSError as ex:
        return [DocumentRecord(sha, Path(display).name, display, size, None, Status.UNREADABLE,
                               f"{Path(display).name}: cannot read ({ex.strerror or ex})", parent_sha256=parent)]
    if fmt != "zip":
        return [process_document(p, display, sha, size, opts, fmt, parent)]
    name = leaf_name(display)
    zrec = DocumentRecord(sha, name, display, size, "zip", Status.FAILED, "archive did not finish", parent_sha256=parent,
                          method=opts.method, taxonomy_version=_tax_version())
    out: list[DocumentRecord] = []
    if depth >= opts.limits.max_zip_depth:
        zrec.status, zrec.error = Status.TOO_LARGE, f"{name}: archives nested deeper than {opts.limits.max_zip_depth}"
        return [zrec]
    work = Path(tempfile.mkdtemp(prefix="analyzer-zip-"))
    try:
        problems: list[str] = []
        count = 0
        for m in archive.members(p, work, opts.limits):
            count += 1
            mdisplay = f"{display}{MEMBER_SEP}{m.name}"
            if m.path is None:
                problems.append(f"{m.name}: {m.error}")
                msha = hashlib.sha256(mdisplay.encode()).hexdigest()  # no content: id from its place
                out.append(DocumentRecord(msha, Path(m.name).name or m.name, mdisplay, 0, None,
                                          m.status or Status.FAILED, f"{m.name}: {m.error}", parent_sha256=sha))
                continue
            msize = m.path.stat().st_size
            out.extend(process_file(str(m.path), mdisplay, sha256_file(m.path), msize, opts, depth + 1, sha))
            m.path.unlink(missing_ok=True)
        zrec.status = Status.PARTIAL if problems else Status.OK
        zrec.error = "; ".join(problems) or None
        zrec.title = f"{count} members"
    except IngestError as ex:
        zrec.status, zrec.error = getattr(ex, "status", Status.FAILED), str(ex)
    finally:
        archive.cleanup(work)
    # The archive's own record goes last: a crash before it leaves the archive unrecorded, so a
    # re-run processes it (and its members) again instead of skipping it as done.
    return [*out, zrec]


def leaf_name(display: str) -> str:
    """The file name of a path, or of the innermost member of an archive path."""
    return Path(display.split(MEMBER_SEP)[-1]).name


def _tax_version() -> str:
    from analyzer.taxonomy import load

    return load().version


def _task(args: tuple) -> list[DocumentRecord]:
    """process_file in a worker, its records made light for the trip back to the parent."""
    records = process_file(*args)
    for rec in records:
        # Located lines and table rows have served segmentation and boxes; the store keeps neither,
        # and on a 200-page tender they were a seventh of what was pickled back.
        for p in rec.pages or []:
            p.words, p.rows, p.table_spans = [], [], []
    return records


# -- the batch (main process) -------------------------------------------------------------------


def analyze(paths: Iterable[str | Path], store: Store, *, workers: int | None = None,
            options: Options | None = None,
            progress: Callable[[str, DocumentRecord | None], None] | None = None) -> Summary:
    """Analyse files, folders and ZIPs into ``store``. Idempotent: unchanged files are skipped."""
    opts = options or Options()
    if opts.db_path is None and store.path is not None:
        opts = dataclasses.replace(opts, db_path=str(store.path))
    summary = Summary()
    from analyzer.taxonomy import load

    tax_version = load().version
    version = extraction_version()
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))

    def tasks() -> Iterator[tuple]:
        for f in iter_files(paths, summary.ignored):
            summary.files += 1
            display = str(f.absolute())  # reports find the original from anywhere
            try:
                if f.is_symlink() and not f.exists():
                    raise OSError("broken symbolic link")
                st = f.stat()
                if not stat.S_ISREG(st.st_mode):
                    # FIFOs and devices would block or never end when read.
                    rec = DocumentRecord(hashlib.sha256(display.encode()).hexdigest(), f.name, display, 0, None,
                                         Status.UNSUPPORTED, f"{f.name}: not a regular file (FIFO, device or socket)")
                    _record(rec)
                    continue
                size = st.st_size
                sha = sha256_file(f)
            except OSError as ex:
                sha = hashlib.sha256(display.encode()).hexdigest()
                rec = DocumentRecord(sha, f.name, display, 0, None, Status.UNREADABLE,
                                     f"{f.name}: cannot read ({getattr(ex, 'strerror', None) or ex})")
                _record(rec)
                continue
            old = store.known(sha)
            if (not opts.force and old and old["status"] in DONE_STATUSES and old["taxonomy_version"] == tax_version
                    and (old["method"] or "rules") == opts.method):
                if old.get("extraction_version") == version:
                    store.add_path(sha, display)
                    summary.skipped += 1
                    if progress:
                        progress(display, None)
                    continue
                summary.reread += 1  # unchanged file, changed extraction: read again (no --force needed)
            yield (str(f), display, sha, size)

    def _record(rec: DocumentRecord) -> None:
        rec.extraction_version = version
        store.write(rec, __version__)
        if rec.format != "zip" or rec.status not in DONE_STATUSES:
            summary.analyzed += 1
        if rec.status == Status.NEEDS_OCR:
            summary.needs_ocr.append(rec.path)
        elif rec.status == Status.OK and (note := next((p.note for p in rec.pages or [] if p.note
                                                        and p.note.startswith(GARBLED_TEXT)), None)):
            summary.garbled.append((rec.path, note))
        elif rec.status not in DONE_STATUSES:
            summary.failed.append((rec.path, rec.status, rec.error or rec.status))
        if progress:
            progress(rec.path, rec)

    if opts.executor == "dask":
        from analyzer.distributed import run_dask

        for t, status, value in run_dask(_task, (_with(t, opts) for t in tasks()), scheduler=opts.scheduler,
                                         workers=workers):
            for rec in _results(t, status, value):
                _record(rec)
        return summary
    if workers == 1 and opts.isolate is False:
        for t in tasks():
            for rec in _task(_with(t, opts)):
                _record(rec)
        return summary
    from analyzer.classify import service
    from analyzer.classify.batch import Batcher
    from analyzer.workers import run_pool

    pending = tasks()
    head = list(itertools.islice(pending, workers))
    if not head:
        return summary  # nothing changed: no classifier to build, no workers to start
    if len(head) < workers:
        # Fewer files than workers: fewer, wider workers, so a long PDF reads its pages on the
        # cores an idle worker would have held (workers.cores(), ingest/pdf.py read()).
        workers = len(head)
    if opts.method != "model":  # the model-only path never uses the rules
        from analyzer.classify.rules import default as rules

        rules()  # compiled once here; forked workers inherit it instead of each building their own
    # One model for all the workers, loaded when the first clause reaches it (classify/service.py);
    # in auto, the workers leave new model work to one batch across documents here (classify/batch.py).
    with service.running(opts.method != "rules") as address:
        if address and opts.method == "auto":
            opts = dataclasses.replace(opts, defer_model=True)
        batcher = Batcher(opts.db_path)
        for t, status, value in run_pool(_task, (_with(t, opts) for t in itertools.chain(head, pending)),
                                         workers=workers, timeout_s=opts.limits.per_file_timeout_s,
                                         memory_mb=opts.limits.per_file_memory_mb):
            for rec in batcher.add(_results(t, status, value)):
                _record(rec)
        for rec in batcher.close():
            _record(rec)
    return summary


def _with(task: tuple, opts: Options) -> tuple:
    """A file's task (path, display, sha, size) with the options it runs under."""
    return (*task, opts)


def _results(task: tuple, status: str, value) -> list[DocumentRecord]:
    """Records from a finished task; a killed or crashed worker becomes a failed record."""
    if status == "ok":
        return value
    display, sha, size = task[1], task[2], task[3]
    st = {"timeout": Status.TIMEOUT, "crashed": Status.CRASHED}.get(status, Status.FAILED)
    return [DocumentRecord(sha, Path(display).name, display, size, None, st, f"{Path(display).name}: {value}")]
