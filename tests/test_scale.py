"""Workers, limits and the Dask executor."""

from __future__ import annotations

import json
import time

import pytest
from conftest import CORPUS, run_cli

from analyzer.workers import run_pool


def _job(x):
    if x == "sleep":
        time.sleep(60)
    if x == "boom":
        raise ValueError("bad file")
    if x == "huge":
        b = bytearray(2 * 1024 ** 3)  # over the 512 MB cap below
        return len(b)
    if x == "die":
        import os

        os._exit(7)
    return x * 2


def test_pool_kills_hung_workers_and_keeps_going():
    t = time.monotonic()
    out = {task: (status, value) for task, status, value in
           run_pool(_job, [1, "sleep", 2, "boom", "huge", "die", 3], workers=2, timeout_s=3, memory_mb=512)}
    assert time.monotonic() - t < 30
    assert out[1] == ("ok", 2) and out[2] == ("ok", 4) and out[3] == ("ok", 6)
    assert out["sleep"][0] == "timeout" and "killed" in out["sleep"][1]
    assert out["boom"] == ("error", "ValueError: bad file")
    assert out["huge"][0] == "error" and "memory" in out["huge"][1]
    assert out["die"][0] == "crashed"


def test_hanging_file_is_recorded_as_timeout(tmp_path, monkeypatch):
    """A reader that hangs on one file is killed; the other files are analysed."""
    from analyzer import ingest

    real = ingest.INGESTORS["txt"]

    def slow(path, **kw):
        if path.name.startswith("hang"):
            time.sleep(120)
        return real(path, **kw)

    monkeypatch.setitem(ingest.INGESTORS, "txt", slow)  # fork: workers inherit the patch
    d = tmp_path / "in"
    d.mkdir()
    (d / "hang.txt").write_text("x", encoding="utf-8")
    (d / "ok.txt").write_text("系统应对涉疆人员进行实时预警。", encoding="utf-8")
    res = run_cli("analyze", str(d), "--db", str(tmp_path / "t.db"), "--timeout", "3", "--workers", "2", "--quiet")
    assert res.exit_code == 3 and "timeout" in res.stderr
    docs = {r["name"]: r for r in json.loads(run_cli("documents", "--db", str(tmp_path / "t.db"),
                                                     "--format", "json").stdout)}
    assert docs["hang.txt"]["status"] == "timeout" and docs["ok.txt"]["status"] == "ok"


@pytest.mark.slow
def test_dask_executor_gives_the_same_findings(tmp_path, sample_db):
    pytest.importorskip("dask.distributed")
    db = tmp_path / "dask.db"
    res = run_cli("analyze", str(CORPUS), "--db", str(db), "--executor", "dask", "--workers", "2", "--quiet")
    assert res.exit_code == 0, res.stderr
    local = run_cli("findings", "--db", str(sample_db), "--format", "csv").stdout
    dask = run_cli("findings", "--db", str(db), "--format", "csv").stdout
    assert dask == local and local.count("\n") > 50


# -- one document on several cores (workers.spread) ------------------------------------------------


def _part(k):
    import os

    if k == "raise":
        raise ValueError("bad part")
    if k == "die":
        os._exit(3)
    return k * 10, os.getpid()


def _gone(pid: int) -> bool:
    """Whether a process has ended (reaped, or a zombie waiting for init)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_spread_runs_parts_in_children_in_order_and_reaps_them():
    import os

    from analyzer.workers import spread

    out = spread(_part, [1, 2, 3])
    assert [v for v, _ in out] == [10, 20, 30]
    pids = [p for _, p in out]
    assert pids[0] == os.getpid() and len(set(pids)) == 3  # the first part here, the others forked
    for pid in pids[1:]:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no zombies left behind


def test_spread_raises_what_a_child_raised_and_reports_a_dead_child():
    from analyzer.workers import spread

    with pytest.raises(ValueError, match="bad part"):
        spread(_part, [1, "raise"])
    with pytest.raises(RuntimeError, match="died .*exit code 3"):
        spread(_part, [1, "die"])
    assert spread(_part, [4]) == [(40, __import__("os").getpid())]  # one part: no fork at all


def _spread_forever(path):
    from analyzer.workers import spread

    def sleeper(k):
        import os

        if k:
            with open(path, "w") as f:
                f.write(str(os.getpid()))
        time.sleep(60)

    spread(sleeper, [0, 1])


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_a_worker_killed_for_its_time_limit_takes_its_children_along(tmp_path):
    marker = tmp_path / "child.pid"
    out = list(run_pool(_spread_forever, [str(marker)], workers=1, timeout_s=3))
    assert out[0][1] == "timeout"
    pid = int(marker.read_text())
    deadline = time.monotonic() + 5
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(pid), "the forked reader outlived the worker that was killed"


def test_a_document_read_on_two_cores_is_the_document_read_on_one(monkeypatch):
    """Pages, clauses, metadata and findings: every stage that spreads over cores gives exactly
    what one process gives (thresholds lowered so the 15-page sample tender is spread)."""
    import dataclasses

    from analyzer import pipeline, workers
    from analyzer.classify import combine
    from analyzer.ingest import pdf

    monkeypatch.setattr(pdf, "MIN_PAGES_PER_PART", 4)
    monkeypatch.setattr(combine, "MIN_CLAUSES_PER_PART", 20)
    monkeypatch.setattr(pipeline, "MIN_CHARS_TO_SPREAD", 1000)
    path = CORPUS / "songjiang_style_tender.pdf"
    seen = []
    for cores in (1, 2):
        monkeypatch.setattr(workers, "_CORES", cores)
        rec = pipeline.process_document(path, str(path), "0" * 64, path.stat().st_size,
                                        pipeline.Options(method="rules"))
        assert rec.status == "ok", rec.error
        seen.append(([dataclasses.asdict(p) for p in rec.pages], [dataclasses.asdict(c) for c in rec.clauses],
                     rec.metadata, rec.findings))
    assert seen[0] == seen[1]
    assert seen[0][3] and all(c["norm"] for c in seen[0][1])  # findings, and every clause's normalised text


def test_a_single_file_gets_the_cores_of_the_workers_it_does_not_need(tmp_path, monkeypatch):
    """One file and two workers: one worker, allowed both cores (so its pages are read on both)."""
    from analyzer import pipeline, workers
    from analyzer.store import Store

    seen = tmp_path / "cores"
    real = pipeline._task

    def recording(args):
        seen.write_text(str(workers.cores()))
        return real(args)

    monkeypatch.setattr(pipeline, "_task", recording)  # fork: the worker inherits the patch
    monkeypatch.setattr(workers, "available_cpus", lambda: 2)
    summary = pipeline.analyze([CORPUS / "english_excerpt.txt"], Store(tmp_path / "t.db"), workers=2,
                               options=pipeline.Options(method="rules"))
    assert summary.analyzed == 1 and seen.read_text() == "2"
    pipeline.analyze([CORPUS / "english_excerpt.txt", CORPUS / "notice_gbk.html"], Store(tmp_path / "u.db"),
                     workers=2, options=pipeline.Options(method="rules"))
    assert seen.read_text() == "1"  # two files, two workers: a core each
