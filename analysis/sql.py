"""One way to build and run SQL: quoted identifiers, bound values, transactions, temp tables.

Every statement Debrief runs is either a literal string or put together here:

- ``ident(name)`` is the one function that quotes an identifier.
- ``render(template, **parts)`` fills ``{name}`` slots in a template written in
  Debrief's own code. A part given as a plain ``str`` is an identifier and is
  quoted; a part given as ``SQL`` is a fragment built by Debrief's own code and
  goes in as it is. Values never go through ``render``: they are bound as
  parameters (``?`` or ``$name``) when the statement runs.
- ``write_transaction(con)`` wraps every write: BEGIN, COMMIT, and ROLLBACK on
  error, and records the change in ``data_changes`` so that every program
  holding the file (the app, the command line) sees the data version move.
  ``transaction(con)`` is the same without the record, for consistent reads
  (a backup) and schema changes.
- ``TempTables`` names temporary tables after one token and drops every one
  of them, so no staging table outlives the work that made it.
"""

from __future__ import annotations

import re
import string
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import duckdb


class SQL(str):
    """A piece of SQL text written by Debrief's own code, never taken from user input or a file."""


_FORMATTER = string.Formatter()


def ident(name: str) -> SQL:
    """``name`` as a DuckDB identifier: in double quotes, inner double quotes doubled."""
    name = str(name)
    if not name or "\x00" in name:
        raise ValueError(f"not a usable SQL identifier: {name!r}")
    return SQL('"' + name.replace('"', '""') + '"')


def join(parts: Iterable[str], sep: str = ", ") -> SQL:
    """Join SQL fragments (each already ``SQL``, or an identifier to quote) with ``sep``."""
    return SQL(sep.join(p if isinstance(p, SQL) else ident(p) for p in parts))


def idents(names: Iterable[str]) -> SQL:
    """A comma-separated list of quoted identifiers."""
    return SQL(", ".join(ident(n) for n in names))


def render(template: str, **parts: str) -> SQL:
    """Fill the ``{name}`` slots of ``template``: ``SQL`` parts as they are, plain strings as identifiers.

    Every slot must be given and every part used, so a typo fails at once
    rather than producing a different statement.
    """
    slots = {field for _, field, _, _ in _FORMATTER.parse(template) if field is not None}
    if slots != set(parts):
        raise ValueError(f"template slots {sorted(slots)} do not match parts {sorted(parts)}")
    filled = {k: v if isinstance(v, SQL) else ident(v) for k, v in parts.items()}
    return SQL(template.format(**filled))


def literal(value: str) -> SQL:
    """A string literal for the rare place DuckDB takes no parameter (``COPY ... TO``, ``SET``).

    Only for text Debrief itself generates (file names in its scratch folder,
    fixed patterns); quotes are doubled regardless.
    """
    return SQL("'" + str(value).replace("'", "''") + "'")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block as one transaction: committed when it ends, rolled back on any error.

    A failing ROLLBACK (the disk is full, the connection is gone) must not hide
    the error that caused it, so the original exception is the one raised.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    else:
        try:
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise


# One row per committed write transaction; the newest row's ``version`` is the
# data version caches key on (``store.data_version``). Rows are appended, never
# updated: two writers updating one counter row would conflict in DuckDB.
DATA_CHANGES = "data_changes"


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block as one transaction that changes the data, and record the change with it.

    As ``transaction``, plus a new row in ``data_changes`` committed together
    with the block's writes: a reader that sees the new version sees the new
    data too, whichever program (the app, the command line) wrote it.
    """
    with transaction(con):
        yield con
        con.execute(render("INSERT INTO {table} DEFAULT VALUES", table=DATA_CHANGES))


class TempTables:
    """Temporary tables that belong to one piece of work, named after one token.

    ``name("stage")`` gives the quoted name ``"_debrief_<token>_stage"``; the
    same kind always gives the same name. ``drop()`` drops every table made under
    this token, whether or not the work finished. Usable as a context manager.
    """

    PREFIX = "_debrief_"

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None, token: str | None = None):
        self.con = con
        self.token = token or uuid.uuid4().hex[:12]
        if not re.fullmatch(r"[a-z0-9_]+", self.token):
            raise ValueError(f"temp table token must be lower-case letters, digits and _: {self.token!r}")

    def name(self, kind: str) -> SQL:
        """The quoted name of this work's temporary table ``kind``."""
        if not re.fullmatch(r"[a-z0-9_]+", kind):
            raise ValueError(f"temp table kind must be lower-case letters, digits and _: {kind!r}")
        return ident(self.unquoted(kind))

    def existing(self, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
        """The temporary tables of this token that exist on ``con`` (unquoted names)."""
        con = con or self.con
        return [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, ?)",
                [f"{self.PREFIX}{self.token}_"],
            ).fetchall()
        ]

    def unquoted(self, kind: str) -> str:
        """The name of this work's table ``kind`` as ``existing`` lists it."""
        return f"{self.PREFIX}{self.token}_{kind}"

    def exists(self, kind: str, con: duckdb.DuckDBPyConnection | None = None) -> bool:
        """Whether this token's table ``kind`` exists on ``con``."""
        return self.unquoted(kind) in self.existing(con)

    def drop(self, con: duckdb.DuckDBPyConnection | None = None, kinds: Iterable[str] | None = None) -> None:
        """Drop this token's tables (only ``kinds`` if given) on ``con``; never raises for a closed connection."""
        con = con or self.con
        if con is None:
            return
        try:
            names = self.existing(con)
            if kinds is not None:
                wanted = {self.unquoted(k) for k in kinds}
                names = [n for n in names if n in wanted]
            for table in names:
                con.execute(render("DROP TABLE IF EXISTS {table}", table=table))
        except duckdb.ConnectionException:
            pass

    def __enter__(self) -> TempTables:
        return self

    def __exit__(self, *exc) -> None:
        self.drop()
