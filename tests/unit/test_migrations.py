"""Migrations on real DuckDB files."""

import datetime as dt

import duckdb
import pytest

from analysis import interviews, migrations, store


def test_new_database_gets_every_migration_recorded(db_path):
    con = store.connect(db_path).cursor()
    assert migrations.applied(con) == [m.version for m in migrations.MIGRATIONS]
    assert migrations.pending(con) == []


def test_database_written_by_first_migration_opens_under_latest_code_with_nothing_lost(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrations.migrate(con, upto=1)
    con.execute(
        "INSERT INTO interviews (company, role, interview_date, stage, outcome) "
        "VALUES ('Old Co', 'Analyst', DATE '2024-03-05', 'technical', 'advanced')"
    )
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
