"""The shape the codebase keeps: small functions, modules of a readable size, SQL built one way.

Long files are not a problem in themselves; these limits keep each fact and
each step small enough to read at once. Data tables (the demo's question bank)
may sit in a module of their own, exempt from the length limit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANALYSIS = ROOT / "analysis"
CODE = sorted(p for p in ANALYSIS.rglob("*.py"))
DATA_MODULES = {"demo_data.py"}  # tables of made-up data, not code
MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 80


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", [p for p in CODE if p.name not in DATA_MODULES], ids=_relative)
def test_no_module_in_analysis_is_over_700_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_relative(path)} has {lines} lines; split it by what it holds"


@pytest.mark.parametrize("path", CODE, ids=_relative)
def test_no_function_in_analysis_is_over_80_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_relative(path)}: " + ", ".join(long)


@pytest.mark.parametrize("path", [p for p in CODE if p.name != "sql.py"], ids=_relative)
def test_sql_is_built_only_through_the_toolkit(path):
    """Statements are built with analysis.sql, so no module needs to silence ruff's SQL-construction check."""
    text = path.read_text(encoding="utf-8")
    assert "noqa: S608" not in text, f"{_relative(path)} silences S608: build the statement with sql.render"
    assert 'execute("BEGIN' not in text and "execute('BEGIN" not in text, (
        f"{_relative(path)} writes BEGIN by hand: use `with sql.transaction(con):`"
    )
