"""Migrations on real DuckDB files."""

import datetime as dt

import duckdb
import pytest

from analysis import interviews, migrations, store


def test_new_database_gets_every_migration_recorded(db_path):
    con = store.connect(db_path).cursor()
    assert migrations.applied(con) == [m.version for m in migrations.MIGRATIONS]
    assert migrations.pending(con) == []


def old_database(path, upto: int) -> duckdb.DuckDBPyConnection:
    """A database file migrated only ``upto`` a version, holding interview 1 (Old Co), left open."""
    con = duckdb.connect(str(path))
    migrations.migrate(con, upto=upto)
    con.execute(
        "INSERT INTO interviews (company, role, interview_date, stage, outcome) "
        "VALUES ('Old Co', 'Analyst', DATE '2024-03-05', 'technical', 'advanced')"
    )
    return con


def test_database_written_by_first_migration_opens_under_latest_code_with_nothing_lost(tmp_path):
    path = tmp_path / "old.duckdb"
    con = old_database(path, upto=1)
    con.execute(
        "INSERT INTO questions (interview_id, position, question, category, rating) "
        "VALUES (1, 1, 'Walk me through a join', 'sql drills', 2)"
    )
    con.close()

    reopened = store.open_database(path)
    try:
        assert migrations.applied(reopened) == [m.version for m in migrations.MIGRATIONS]
        old = interviews.load_interview(reopened, 1)
        assert (old.company, old.role, old.interview_date, old.outcome) == (
            "Old Co",
            "Analyst",
            dt.date(2024, 3, 5),
            "advanced",
        )
        assert [(q.question, q.category, q.rating) for q in old.questions] == [
            ("Walk me through a join", "sql drills", 2)
        ]
        # A category already in use becomes selectable after the upgrade.
        assert "sql drills" in interviews.categories(reopened)
        # New rows do not collide with the old ids.
        new = interviews.save_interview(
            reopened, interviews.Interview(company="New Co", interview_date=dt.date(2026, 1, 2))
        )
        assert new.id == 2
    finally:
        reopened.close()


def test_failed_migration_leaves_no_trace(tmp_path, monkeypatch):
    path = tmp_path / "broken.duckdb"
    con = duckdb.connect(str(path))
    migrations.migrate(con, upto=1)
    broken = migrations.Migration(99, "broken", ("CREATE TABLE half_done (x INTEGER)", "SELECT * FROM no_such_table"))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    with pytest.raises(duckdb.CatalogException):
        migrations.migrate(con)
    # Migrations before the broken one landed, the broken one left nothing behind.
    assert migrations.applied(con) == [m.version for m in migrations.MIGRATIONS[:-1]]
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half_done" not in tables
    con.close()


QUESTION_COLUMNS = (
    "SELECT column_name, data_type, column_default FROM duckdb_columns() "
    "WHERE table_name = 'questions' ORDER BY column_index"
)


def test_questions_rebuilt_without_an_index_keep_every_row_and_their_ids(tmp_path):
    """Migration 9 rebuilds questions without the primary key's index: same rows, same ids, same rules."""
    path = tmp_path / "v8.duckdb"
    con = old_database(path, upto=8)
    con.execute(
        "INSERT INTO questions (interview_id, position, question, category, rating, reaction, clarify, "
        "better_answer, notes, clarified_on) VALUES "
        "(1, 1, 'Walk me through a join', 'technical', 2, 'negative', 'Send the query', 'Start from keys', "
        "'  spaced  ', DATE '2024-03-06'), (1, 2, 'Why us?', 'culture/motivation', NULL, NULL, NULL, NULL, NULL, NULL)"
    )
    con.execute("DELETE FROM questions WHERE position = 1")  # ids need not be dense
    con.execute("INSERT INTO questions (interview_id, position, question) VALUES (1, 1, 'Walk me through a join')")
    before = con.execute("SELECT * FROM questions ORDER BY id").fetchall()
    columns = con.execute(QUESTION_COLUMNS).fetchall()
    con.close()

    reopened = store.open_database(path)
    try:
        assert migrations.applied(reopened)[-1] == 9
        assert reopened.execute("SELECT * FROM questions ORDER BY id").fetchall() == before
        assert reopened.execute(QUESTION_COLUMNS).fetchall() == columns
        kinds = {
            r[0]
            for r in reopened.execute(
                "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'questions'"
            ).fetchall()
        }
        assert "PRIMARY KEY" not in kinds and {"CHECK", "NOT NULL"} <= kinds
        with pytest.raises(duckdb.ConstraintException):
            reopened.execute("INSERT INTO questions (interview_id, position, question, rating) VALUES (1, 3, 'x', 9)")
        reopened.execute("INSERT INTO questions (interview_id, position, question) VALUES (1, 3, 'Any questions?')")
        ids = [r[0] for r in reopened.execute("SELECT id FROM questions ORDER BY id").fetchall()]
        assert ids[:2] == [2, 3] and ids[2] > 3  # the sequence goes on (the refused row used one up)
    finally:
        reopened.close()
