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
