"""Running the importer's statements and telling the caller how far along the work is."""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb

# Called with a fraction between 0 and 1 and a short message for a progress bar.
Progress = Callable[[float, str], None]

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def run(con: duckdb.DuckDBPyConnection, statement: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
    """Execute ``statement``, binding only the named parameters it uses (DuckDB refuses extra ones)."""
    if not params:
        return con.execute(statement)
    used = set(_PARAMETER.findall(statement))
    return con.execute(statement, {k: v for k, v in params.items() if k in used})


def report(progress: Progress | None, fraction: float, message: str) -> None:
    """Tell ``progress`` (if any) how far along the work is, the fraction kept within 0..1."""
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)
