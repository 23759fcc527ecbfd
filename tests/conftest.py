"""Shared fixtures: the sample corpus analysed once per test run through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

# The suite exercises the rules path unless a test asks for the model: loading the transformer
# in every worker of every analysis would make the run many minutes longer.
os.environ.setdefault("ANALYZER_METHOD", "rules")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "samples" / "corpus"
EXPECTED = json.loads((ROOT / "samples" / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


def run_cli(*args: str, input: str | None = None):
    """Invoke the real CLI in-process and return the result (stdout and stderr kept apart)."""
    from analyzer.cli import app

    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled corpus analysed once (rules path, 2 workers) into a fresh database."""
    db = tmp_path_factory.mktemp("db") / "samples.db"
    res = run_cli("analyze", str(CORPUS), "--db", str(db), "--workers", "2", "--quiet")
    assert res.exit_code == 0, res.stderr
    return db


@pytest.fixture(scope="session")
def sample_findings(sample_db) -> list[dict]:
    res = run_cli("findings", "--db", str(sample_db), "--format", "json")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst
