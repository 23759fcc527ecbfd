"""Browse an analyzer database in Datasette, with descriptions, facets and canned queries.

Datasette is an optional extra (``pip install 'analyzer[serve]'``): the tool is useful
without a web server, and datasette brings one in. The metadata lives in
``serve_metadata.json`` so it can be read and reviewed as data; canned queries name label
sets as ``{descendants:ethnic_minority}``, filled in from the taxonomy when the metadata is
built, so a label added to the taxonomy shows up in the queries without editing SQL.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from analyzer.errors import AnalyzerError

METADATA = Path(__file__).with_name("serve_metadata.json")
INSTALL_HINT = "datasette is not installed; run: pip install 'analyzer[serve]'"
SETTINGS = {"sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000, "default_page_size": 50}
_TOKEN = re.compile(r"\{descendants:([a-z0-9_]+)\}")


class MissingExtra(AnalyzerError):
    """An optional dependency is needed for this command."""


def available() -> bool:
    """Whether Datasette (the serve extra) is installed."""
    return importlib.util.find_spec("datasette") is not None


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file: its stem."""
    return Path(db_path).stem


def metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette metadata for this database file: descriptions, facets, canned queries."""
    from analyzer.taxonomy import load

    tax = load()
    raw = json.loads(METADATA.read_text(encoding="utf-8"))
    dbs = raw.get("databases", {})
    spec = dbs.pop("{db}", {})
    for q in spec.get("queries", {}).values():
        q["sql"] = _TOKEN.sub(lambda m: ", ".join(_literal(lab) for lab in tax.descendants(m.group(1))), q["sql"])
    dbs[database_name(db_path)] = spec
    raw["databases"] = dbs
    return raw


def canned_queries(db_path: str | Path) -> dict[str, dict]:
    """The canned queries, SQL filled in: tests run each one against a real database."""
    return metadata(db_path)["databases"][database_name(db_path)].get("queries", {})


def _literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def make_datasette(db_path: str | Path):
    """A configured ``Datasette`` instance (not started): for ``serve`` and for in-process tests."""
    if not available():
        raise MissingExtra(INSTALL_HINT)
    from datasette.app import Datasette

    return Datasette([str(db_path)], metadata=metadata(db_path), settings=SETTINGS)


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", open_browser: bool = False) -> None:
    """Run Datasette on the database until interrupted, through datasette's own ``serve`` command."""
    if not available():
        raise MissingExtra(INSTALL_HINT)
    import tempfile

    from datasette.cli import cli

    with tempfile.TemporaryDirectory(prefix="analyzer-serve-") as tmp:
        md = Path(tmp) / "metadata.json"
        md.write_text(json.dumps(metadata(db_path), ensure_ascii=False, indent=2), encoding="utf-8")
        args = ["serve", str(db_path), "--metadata", str(md), "--host", host, "--port", str(port)]
        for key, value in SETTINGS.items():
            args += ["--setting", key, str(value)]
        if open_browser:
            args.append("--open")
        cli.main(args=args, prog_name="datasette", standalone_mode=False)
