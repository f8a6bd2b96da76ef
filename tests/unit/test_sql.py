"""The SQL toolkit: one identifier quoting, templates that refuse mistakes, transactions, temporary tables."""

from __future__ import annotations

import duckdb
import pytest

from analysis import sql
from analysis.sql import SQL


@pytest.fixture
def memory():
    """An in-memory database with one table, for the toolkit alone (no migrations needed)."""
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE notes (id INTEGER, body VARCHAR)")
    yield con
    con.close()


# --- identifiers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("company", '"company"'),
        ("odd name", '"odd name"'),
        ('say "hi"', '"say ""hi"""'),
        ("DROP TABLE x; --", '"DROP TABLE x; --"'),
    ],
)
def test_ident_quotes_and_doubles_inner_quotes(name, quoted):
    assert sql.ident(name) == quoted
    assert isinstance(sql.ident(name), SQL)


@pytest.mark.parametrize("name", ["", "a\x00b"])
def test_ident_refuses_empty_names_and_nul(name):
    with pytest.raises(ValueError, match="not a usable SQL identifier"):
        sql.ident(name)


def test_a_quoted_hostile_name_is_one_table_in_duckdb(memory):
    name = 'x"; DROP TABLE notes; --'
    memory.execute(sql.render("CREATE TABLE {table} (v INTEGER)", table=name))
    tables = {r[0] for r in memory.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"notes", name}


def test_idents_and_join_quote_plain_names_but_keep_sql_fragments():
    assert sql.idents(["a", "b c"]) == '"a", "b c"'
    assert sql.join(["a", SQL("count(*)")]) == '"a", count(*)'
    assert sql.join(["a", "b"], " AND ") == '"a" AND "b"'


# --- render ---------------------------------------------------------------------------------------


def test_render_quotes_plain_str_parts_and_inserts_sql_parts_as_they_are():
    statement = sql.render("SELECT {expr} FROM {table}", expr=SQL("count(*)"), table="my table")
    assert statement == 'SELECT count(*) FROM "my table"'
    assert isinstance(statement, SQL)


def test_render_refuses_a_missing_part():
    with pytest.raises(ValueError, match="do not match"):
        sql.render("SELECT * FROM {table} WHERE {column} = ?", table="notes")


def test_render_refuses_an_extra_part():
    with pytest.raises(ValueError, match="do not match"):
        sql.render("SELECT * FROM {table}", table="notes", colum="id")


def test_rendered_statement_binds_values_rather_than_inserting_them(memory):
    memory.execute("INSERT INTO notes VALUES (1, ?)", ["'); DROP TABLE notes; --"])
    statement = sql.render("SELECT {column} FROM {table} WHERE id = ?", column="body", table="notes")
    assert memory.execute(statement, [1]).fetchall() == [("'); DROP TABLE notes; --",)]


def test_literal_doubles_quotes():
    assert sql.literal("it's") == "'it''s'"


# --- transaction ----------------------------------------------------------------------------------


def _bodies(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT body FROM notes ORDER BY id").fetchall()]


def test_transaction_commits_when_the_block_ends(memory):
    with sql.transaction(memory) as con:
        con.execute("INSERT INTO notes VALUES (1, 'kept')")
        con.execute("INSERT INTO notes VALUES (2, 'also kept')")
    assert _bodies(memory) == ["kept", "also kept"]


def test_transaction_rolls_back_everything_on_an_error(memory):
    with pytest.raises(ZeroDivisionError), sql.transaction(memory):
        memory.execute("INSERT INTO notes VALUES (1, 'half done')")
        raise ZeroDivisionError
    assert _bodies(memory) == []
    # The connection is usable again: no transaction was left open.
    with sql.transaction(memory):
        memory.execute("INSERT INTO notes VALUES (2, 'next')")
    assert _bodies(memory) == ["next"]


class _Failing:
    """A connection on which one statement fails, as when the disk is full or the connection has gone."""

    def __init__(self, con, failing: str):
        self.con = con
        self.failing = failing
        self.statements: list[str] = []

    def execute(self, statement, *args):
        self.statements.append(statement)
        if statement == self.failing:
            raise duckdb.IOException(f"{statement} failed: disk full")
        return self.con.execute(statement, *args)


def test_when_rollback_itself_fails_the_original_error_is_raised(memory):
    failing = _Failing(memory, "ROLLBACK")
    with pytest.raises(KeyError, match="the real cause"), sql.transaction(failing):
        raise KeyError("the real cause")
    assert failing.statements == ["BEGIN TRANSACTION", "ROLLBACK"]
    memory.execute("ROLLBACK")


def test_a_failing_commit_is_raised_and_the_work_rolled_back(memory):
    failing = _Failing(memory, "COMMIT")
    with pytest.raises(duckdb.IOException, match="COMMIT failed"), sql.transaction(failing):
        failing.execute("INSERT INTO notes VALUES (1, 'never committed')")
    assert failing.statements[-2:] == ["COMMIT", "ROLLBACK"]
    assert _bodies(memory) == []


# --- temporary tables -----------------------------------------------------------------------------


def test_temp_tables_are_named_after_one_token():
    temp = sql.TempTables(token="abc123")
    assert temp.name("stage") == '"_debrief_abc123_stage"'
    assert temp.name("stage") == temp.name("stage")
    assert temp.name("rows") != temp.name("stage")
    assert sql.TempTables().token != sql.TempTables().token


@pytest.mark.parametrize("token", ["Upper", "a-b", 'x"; --'])
def test_temp_tables_refuse_a_token_that_is_not_plain(token):
    with pytest.raises(ValueError, match="token"):
        sql.TempTables(token=token)


def test_temp_tables_refuse_a_kind_that_is_not_plain():
    with pytest.raises(ValueError, match="kind"):
        sql.TempTables(token="abc").name("Stage two")


def test_temp_tables_exist_and_drop_drops_every_one_of_its_token(memory):
    mine = sql.TempTables(memory, "mine")
    theirs = sql.TempTables(memory, "theirs")
    for temp in (mine, theirs):
        for kind in ("stage", "rows"):
            memory.execute(sql.render("CREATE TEMP TABLE {table} (x INTEGER)", table=temp.name(kind)))
    assert mine.exists("stage") and mine.exists("rows") and not mine.exists("other")
    assert sorted(mine.existing()) == ["_debrief_mine_rows", "_debrief_mine_stage"]

    mine.drop(kinds=["rows"])
    assert mine.existing() == ["_debrief_mine_stage"]
    mine.drop()
    assert mine.existing() == []
    assert len(theirs.existing()) == 2, "another piece of work's tables are not touched"


def test_temp_tables_as_a_context_manager_drop_even_when_the_work_fails(memory):
    with pytest.raises(RuntimeError), sql.TempTables(memory, "work") as temp:
        memory.execute(sql.render("CREATE TEMP TABLE {table} (x INTEGER)", table=temp.name("stage")))
        raise RuntimeError("the import stopped half way")
    assert temp.existing() == []


def test_drop_on_a_closed_connection_does_not_raise():
    con = duckdb.connect(":memory:")
    temp = sql.TempTables(con, "gone")
    con.close()
    temp.drop()
    assert sql.TempTables(None, "none").drop() is None
