"""The README states the contract's words; these tests hold it to the code (sqlite-utils'
`test_commands_are_documented` habit): statuses, tiers, kinds, methods, columns, commands."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from analyzer.records import FINDING_METHODS, Kind, Status, Tier

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _row(table: str, column: str) -> str:
    """The meaning cell of one column in the README's export section for ``table``."""
    section = README.split(f"### {table}.csv", 1)[1].split("\n### ", 1)[0]
    m = re.search(rf"^\| `{column}` \| (.*) \|$", section, flags=re.M)
    assert m, f"the README documents no `{column}` column for {table}"
    return m.group(1)


def _ticked(cell: str) -> set[str]:
    return set(re.findall(r"`([A-Za-z_]+)`", cell))


def test_readme_lists_every_status_and_no_other():
    assert _ticked(_row("documents", "status")) == {s.value for s in Status}


def test_readme_lists_every_tier_and_no_other():
    assert _ticked(_row("findings", "tier")) == {t.value for t in Tier}


def test_readme_lists_every_finding_kind_and_method():
    assert _ticked(_row("findings", "kind")) == {k.value for k in Kind}
    assert _ticked(_row("findings", "method")) == {m.value for m in FINDING_METHODS}


@pytest.mark.parametrize("table", ["documents", "clauses", "findings"])
def test_readme_columns_are_the_column_table(table):
    from analyzer.export import COLUMNS

    section = README.split(f"### {table}.csv", 1)[1].split("\n### ", 1)[0]
    assert re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M) == COLUMNS[table]


def test_every_command_is_in_the_readme_usage_block():
    from analyzer.cli import app

    usage = README.split("## Use", 1)[1].split("```", 2)[1]
    names = [cmd.name or cmd.callback.__name__.replace("_", "-") for cmd in app.registered_commands]
    for group in app.registered_groups:
        names += [f"{group.name} {cmd.name}" for cmd in group.typer_instance.registered_commands]
    missing = [n for n in names if not re.search(rf"(analyzer|\|) +{re.escape(n)}\b", usage)]
    assert not missing, f"commands missing from the README's usage block: {missing}"
